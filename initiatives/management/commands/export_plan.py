import json

from django.core.management.base import BaseCommand, CommandError

from initiatives.exports import plan_export
from initiatives.models import Plan


class Command(BaseCommand):
    help = "적재된 실행계획을 JSON으로 출력합니다."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="계획 연도 (예: 2017)")

    def handle(self, *args, year: int, **options):
        plan = Plan.objects.filter(year=year).first()
        if plan is None:
            raise CommandError(f"{year}년 실행계획이 없습니다. 먼저 'python manage.py load_plan'을 실행하세요.")
        self.stdout.write(json.dumps(plan_export(plan=plan), ensure_ascii=False, indent=2))
