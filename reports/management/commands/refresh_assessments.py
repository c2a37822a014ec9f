from django.core.management.base import BaseCommand, CommandError

from initiatives.models import Plan
from reports.evaluation.assessments import assessments_ensure, assessments_refresh


class Command(BaseCommand):
    help = (
        "과제별 분기 진단(대시보드가 읽는 저장값)을 다시 산출합니다. 진행 중인 분기는 오늘 날짜로 판단하므로 "
        "매일 밤 실행하세요(예: cron '5 0 * * *'). 평가 규칙을 바꾼 배포 뒤에는 --all로 한 번 실행하세요."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="이 연도의 계획만 (생략하면 모든 계획)")
        parser.add_argument("--all", action="store_true", help="최신인 저장값까지 모두 다시 산출")

    def handle(self, *args, year: int | None, all: bool, **options):
        plans = Plan.objects.order_by("year")
        if year is not None:
            plans = plans.filter(year=year)
            if not plans.exists():
                raise CommandError(f"{year}년 실행계획이 없습니다.")
        for plan in plans:
            count = assessments_refresh(plan=plan) if all else assessments_ensure(plan=plan)
            self.stdout.write(f"{plan.year}년: {count}개 과제의 분기 진단을 다시 산출했습니다.")
