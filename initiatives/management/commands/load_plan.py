from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from initiatives.plan_loader import PlanFileError, load_plan


class Command(BaseCommand):
    help = "계획 파일(fixtures/plan_2017.yaml)을 읽어 실행계획을 적재합니다. 여러 번 실행해도 같은 결과입니다."

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=settings.PLAN_FIXTURE, help="계획 파일 경로 (YAML)")

    def handle(self, *args, file: Path, **options):
        try:
            result = load_plan(path=file)
        except PlanFileError as exc:
            raise CommandError(f"계획을 적재하지 못했습니다. 데이터베이스는 바뀌지 않았습니다.\n{exc}") from exc
        self.stdout.write(self.style.SUCCESS(f"계획 적재 완료: {result}"))
