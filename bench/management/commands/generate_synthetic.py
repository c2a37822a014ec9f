import time

from django.core.management.base import BaseCommand, CommandError

from bench.synthetic import Spec, synthetic_clear, synthetic_generate


class Command(BaseCommand):
    help = (
        "벤치마크·부하 시험용 합성 실행계획을 만듭니다 (같은 시드 → 같은 결과). "
        "연도는 실제 2017 계획과 겹치지 않도록 2016년부터 거꾸로 씁니다. 시험용 데이터베이스에서만 쓰세요."
    )

    def add_arguments(self, parser):
        parser.add_argument("--tasks", type=int, required=True, help="계획 한 해의 과제 수 (1~32,767)")
        parser.add_argument("--years", type=int, default=3, help="만들 계획 연도 수 (기본 3)")
        parser.add_argument("--seed", type=int, default=1, help="난수 시드 (기본 1)")
        parser.add_argument("--last-year", type=int, default=2016, help="가장 최근 합성 계획의 연도 (기본 2016)")
        parser.add_argument("--replace", action="store_true", help="기존 합성 계획을 지우고 만듭니다")

    def handle(self, *args, tasks: int, years: int, seed: int, last_year: int, replace: bool, **options):
        spec = Spec(tasks=tasks, years=years, seed=seed, last_year=last_year)
        if replace:
            self.stdout.write(f"기존 합성 계획 {synthetic_clear()}개를 지웠습니다.")
        started = time.perf_counter()

        def progress(year, counts):
            self.stdout.write(
                f"  {year}년 계획 완료 (누적 보고 {counts.reports:,}건, {time.perf_counter() - started:.1f}초)"
            )

        try:
            counts = synthetic_generate(spec, progress=progress)
        except ValueError as error:
            raise CommandError(str(error)) from error
        states = ", ".join(f"{k} {v:,}" for k, v in sorted(counts.by_status.items()))
        self.stdout.write(
            self.style.SUCCESS(
                f"합성 계획 {counts.plans}개 ({', '.join(map(str, spec.plan_years()))}년), 과제 {counts.tasks:,}개, "
                f"보고 {counts.reports:,}건 (행 {counts.rows:,}, 이력 {counts.events:,}), "
                f"{time.perf_counter() - started:.1f}초"
            )
        )
        self.stdout.write(f"과제 × 분기 상태: {states}")
