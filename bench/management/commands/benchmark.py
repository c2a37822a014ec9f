import argparse
import json
import time
import warnings

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from bench import benchmark
from bench.synthetic import Spec, is_synthetic, synthetic_generate
from initiatives.models import Plan


class Command(BaseCommand):
    help = (
        "합성 계획으로 대시보드·부서별 현황·추진일정·과제 표·보고 저장·평가 엑셀·엑셀 가져오기를 재고, 같은 실행에서 "
        "번갈아 잰 바닥값(같은 SQL을 재실행하는 공정 바닥값, 원시 SQL, openpyxl·XlsxWriter 원시 덤프, bulk_create) "
        "옆에 중앙값과 범위로 출력합니다. 크기마다 데이터베이스를 비우므로(flush) "
        "시험용 데이터베이스에서만 실행하세요: 실제 계획이 있으면 거부합니다."
    )

    def add_arguments(self, parser):
        parser.add_argument("--sizes", default="16,1000,10000", help="계획 한 해의 과제 수 목록 (쉼표로 구분)")
        parser.add_argument("--years", type=int, default=3, help="크기마다 만들 계획 연도 수 (기본 3)")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--repeat",
            type=int,
            default=3,
            help="측정값과 바닥값을 번갈아 재는 회차 수 (기본 3, 준비 1회 별도; 중앙값)",
        )
        parser.add_argument(
            "--import-rows",
            default=",".join(str(n) for n in benchmark.IMPORT_ROWS),
            help="엑셀 가져오기 행 수 목록 (쉼표로 구분, 기본 1000,10000; 계획이 작으면 그 계획의 행 수까지)",
        )
        parser.add_argument("--skip-exports", action="store_true", help="평가 엑셀 측정을 건너뜁니다")
        parser.add_argument("--child", choices=list(benchmark.EXPORTS), help=argparse.SUPPRESS)
        parser.add_argument("--year", type=int, help=argparse.SUPPRESS)

    def handle(self, *args, **options):
        warnings.filterwarnings("ignore", message="No directory at")  # whitenoise, before collectstatic
        # Query logging under DEBUG keeps every bulk INSERT's SQL in memory; measure as production runs.
        settings.DEBUG = False
        if options["child"]:
            self.stdout.write(json.dumps(benchmark.export_child(options["child"], options["year"])))
            return
        real = [p.year for p in Plan.objects.all() if not is_synthetic(p)]
        if real:
            raise CommandError(
                f"실제 계획({real})이 있는 데이터베이스입니다. 벤치마크는 데이터베이스를 비우므로 시험용 "
                "데이터베이스(예: DATABASE_URL=postgres://.../gov30_bench 또는 SQLITE_PATH=/tmp/bench.sqlite3)에서 "
                "실행하세요."
            )
        sizes = [int(s) for s in options["sizes"].split(",") if s.strip()]
        if options["repeat"] < 1:
            raise CommandError("--repeat는 1 이상이어야 합니다 (정직한 중앙값에는 3 이상).")
        measure = benchmark.Settings(
            repeat=options["repeat"],
            import_rows=tuple(int(n) for n in options["import_rows"].split(",") if n.strip()),
            exports=not options["skip_exports"],
        )
        self.stdout.write(f"기계: {benchmark.machine()}")
        rows = []
        for size in sizes:
            rows += self._size(size, options, measure)
        self.stdout.write("")
        self.stdout.write(f"기계: {benchmark.machine()}")
        self.stdout.write(benchmark.table(rows))

    def _size(self, size: int, options: dict, measure: benchmark.Settings) -> list[benchmark.Row]:
        call_command("flush", interactive=False, verbosity=0)
        spec = Spec(tasks=size, years=options["years"], seed=options["seed"])
        started = time.perf_counter()
        counts = synthetic_generate(
            spec, progress=lambda year, c: self.stdout.write(f"  {year}년 합성 계획 (누적 보고 {c.reports:,}건)")
        )
        self.stdout.write(
            f"N={size:,}: 합성 계획 {counts.plans}개, 보고 {counts.reports:,}건, 행 {counts.rows:,}, "
            f"이력 {counts.events:,} ({time.perf_counter() - started:.1f}초)"
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # planner statistics, as a database in service has them
        plan = Plan.objects.get(year=spec.plan_years()[-1])
        return benchmark.measure_size(size, plan, measure, self.stdout.write)
