"""The benchmark's floors compute what the pages compute, and measuring leaves nothing behind.

Wall-clock times are printed by ``manage.py benchmark``, never asserted here.
"""

from io import BytesIO, StringIO

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from bench import benchmark
from bench.synthetic import Spec, synthetic_generate
from initiatives.models import Plan
from reports.models import ProgressReport, ReportEvent


@pytest.fixture
def synthetic_plan(db):
    synthetic_generate(Spec(tasks=40, years=2, seed=11))
    return Plan.objects.get(year=2016)


@pytest.mark.parametrize("quarter", [1, 2, 3, 4])
def test_raw_sql_floor_gives_the_dashboards_figures(synthetic_plan, quarter):
    floor = benchmark.dashboard_floor(plan=synthetic_plan, quarter=quarter)
    assert floor == benchmark.dashboard_figures(plan=synthetic_plan, quarter=quarter)
    assert sum(row[1] for row in floor) == 40
    assert any(row[3] for row in floor) and any(row[4] for row in floor)  # budgets and spending present


def test_raw_sql_floor_agrees_on_the_real_plan(plan, approved_q1):
    assert benchmark.dashboard_floor(plan=plan, quarter=1) == benchmark.dashboard_figures(plan=plan, quarter=1)


@pytest.fixture
def approved_q1(report, officer, reviewer):
    from reports.progress import services
    from tests.conftest import complete_data

    services.report_submit(report=report, user=officer, version=report.version, data=complete_data(report))
    services.report_approve(report=report, user=reviewer, version=report.version)
    return report


def test_task_page_floor_reads_one_page(synthetic_plan):
    area = synthetic_plan.strategic_areas.get(number=1)
    assert 0 < benchmark.task_page_floor(plan=synthetic_plan, area=area) <= 25


def test_raw_dump_writes_the_same_sheets_rows(synthetic_plan):
    out = BytesIO()
    rows = benchmark.raw_dump(out, plan=synthetic_plan)
    workbook = load_workbook(BytesIO(out.getvalue()))
    assert workbook.sheetnames == list(benchmark.RAW_SHEETS)
    assert sum(ws.max_row for ws in workbook.worksheets) == rows
    assert workbook["과제별 실적"].max_row == 40 * 4  # every task in every quarter, as the workbook has


def test_import_measure_keeps_nothing(synthetic_plan):
    before = (ProgressReport.objects.count(), ReportEvent.objects.count())
    rows, seconds, floor = benchmark.measure_import(plan=synthetic_plan, limit=60)
    assert rows >= 60 and seconds > 0 and floor > 0
    assert (ProgressReport.objects.count(), ReportEvent.objects.count()) == before


def test_table_marks_missed_targets():
    rows = [
        benchmark.Row(16, "대시보드 응답 시간", 0.3, "s", 0.01, "원시 SQL 집계", "≤ 3×", False),
        benchmark.Row(16, "대시보드 쿼리 수", 14, "개", target="≤ 15", met=True),
    ]
    text = benchmark.table(rows)
    assert "30.0×" in text and "**미달**" in text and "충족" in text


@pytest.mark.django_db
def test_benchmark_refuses_a_database_with_the_real_plan(plan):
    with pytest.raises(CommandError, match="시험용 데이터베이스"):
        call_command("benchmark", sizes="16", stdout=StringIO())


def test_table_gives_each_page_its_bytes_raw_and_gzipped():
    rows = [
        benchmark.Row(
            16, "추진일정 첫 쪽 크기", 233_000, "B", target="< 300 KB", met=True, page_bytes=(233_000, 22_600)
        ),
        benchmark.Row(16, "대시보드 쿼리 수", 14, "개", target="≤ 15", met=True),
    ]
    lines = benchmark.table(rows).splitlines()
    assert lines[0].endswith("| 쪽 크기(원본) | 쪽 크기(gzip) |")
    assert lines[2].endswith("| < 300 KB | 충족 | 233.0 KB | 22.6 KB |")
    assert lines[3].endswith("| – | – |")


@pytest.mark.django_db
def test_page_bytes_are_the_page_as_sent_raw_and_gzipped(client, reviewer, plan):
    client.force_login(reviewer)
    raw, compressed = benchmark.page_bytes(client, "/dashboard/schedule/")
    assert raw == len(client.get("/dashboard/schedule/").content)
    assert 0 < compressed < raw / 3
