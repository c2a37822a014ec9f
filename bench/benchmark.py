"""The benchmark behind ``manage.py benchmark``: each figure beside a floor measured in the same run.

Floors are the least work that produces the same numbers or rows, written by hand:

- the plan dashboard vs one raw SQL aggregate of the same per-area figures (tasks, 판단 불가,
  예산현액, 지출액 누계, 분기 제출) — ``dashboard_floor`` and a check that both agree;
- the task table page vs the raw SQL of the same first page (join, sum, sort, limit, count);
- the evaluation workbook vs a raw openpyxl write-only dump of the same sheets' rows, each in its
  own process so that its peak memory (RSS) is its own;
- the offline import (preview + confirm through the services) vs ``bulk_create`` of the same rows.

Beside them, the bytes of the dashboard, department and schedule pages as sent raw and gzipped (no floor: the
target is under 300 KB of HTML).

Wall-clock figures are medians of a few runs after a warm-up; they are never asserted in tests.
"""

import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook, load_workbook

from budgets.models import BudgetAmount, BudgetColumn, BudgetLine, BudgetTable
from initiatives.models import Department, Indicator, Milestone, Plan, Programme, StrategicArea, Task
from reports.evaluation import annual
from reports.evaluation.assessments import assessments_refresh
from reports.models import (
    BudgetExecution,
    IndicatorResult,
    MilestoneProgress,
    ProgressReport,
    ReportEvent,
    ReportingPeriod,
)
from reports.progress import permissions
from reports.progress.services import tasks_changed
from reports.spreadsheets import offline
from reports.spreadsheets.workbook import WorkbookFilter, evaluation_workbook

IMPORT_ROWS = 10_000


@dataclass
class Row:
    """One line of the table: a figure, its floor, and the target it is judged against."""

    size: int
    item: str
    value: float
    unit: str
    floor: float | None = None
    floor_name: str = ""
    target: str = ""
    met: bool | None = None
    page_bytes: tuple[int, int] | None = None  # (raw, gzip) of the page measured, for pages

    @property
    def ratio(self) -> float | None:
        return self.value / self.floor if self.floor else None


def _t(name: str) -> str:
    return connection.ops.quote_name(name)


def _tables() -> dict[str, str]:
    models = {
        "task": Task,
        "programme": Programme,
        "area": StrategicArea,
        "department": Department,
        "report": ProgressReport,
        "period": ReportingPeriod,
        "execution": BudgetExecution,
        "btable": BudgetTable,
        "bline": BudgetLine,
        "bamount": BudgetAmount,
        "bcolumn": BudgetColumn,
        "iresult": IndicatorResult,
        "indicator": Indicator,
        "mprogress": MilestoneProgress,
        "milestone": Milestone,
    }
    return {key: _t(model._meta.db_table) for key, model in models.items()} | {"order": _t("order")}


# ---------------------------------------------------------------- floors in raw SQL

DASHBOARD_SQL = """
WITH counted AS (
    SELECT r.id, r.task_id, p.quarter,
           ROW_NUMBER() OVER (PARTITION BY r.task_id ORDER BY p.quarter DESC) AS rn
    FROM {report} r JOIN {period} p ON p.id = r.period_id
    WHERE p.plan_id = %(plan)s AND p.quarter <= %(quarter)s AND r.status IN ('submitted', 'approved')
),
latest AS (
    SELECT c.task_id, MAX(c.quarter) AS quarter, SUM(e.spent_to_date) AS spent
    FROM counted c LEFT JOIN {execution} e ON e.report_id = c.id
    WHERE c.rn = 1 GROUP BY c.task_id
),
available AS (
    SELECT bt.task_id, SUM(a.amount) AS amount
    FROM {btable} bt JOIN {bline} bl ON bl.table_id = bt.id
    JOIN {bamount} a ON a.line_id = bl.id JOIN {bcolumn} c ON c.id = a.column_id
    WHERE (c.from_year IS NULL OR c.from_year <= %(year)s) AND c.to_year >= %(year)s
    GROUP BY bt.task_id
)
SELECT sa.number,
       COUNT(*) AS tasks,
       SUM(CASE WHEN l.task_id IS NULL THEN 1 ELSE 0 END) AS undetermined,
       COALESCE(SUM(av.amount), 0) AS available,
       COALESCE(SUM(l.spent), 0) AS spent,
       SUM(CASE WHEN l.quarter = %(quarter)s THEN 1 ELSE 0 END) AS submitted
FROM {task} t
JOIN {programme} pr ON pr.id = t.programme_id
JOIN {area} sa ON sa.id = pr.strategic_area_id
LEFT JOIN latest l ON l.task_id = t.id
LEFT JOIN available av ON av.task_id = t.id
WHERE t.plan_id = %(plan)s
GROUP BY sa.number ORDER BY sa.number
"""


def dashboard_floor(*, plan: Plan, quarter: int) -> list[tuple[int, int, int, int, int, int]]:
    """Per area: (number, tasks, 판단 불가, 예산현액, 지출액 누계, 분기 제출) in one SQL statement."""
    with connection.cursor() as cursor:
        cursor.execute(DASHBOARD_SQL.format(**_tables()), {"plan": plan.pk, "quarter": quarter, "year": plan.year})
        return [tuple(int(v or 0) for v in row) for row in cursor.fetchall()]


def dashboard_figures(*, plan: Plan, quarter: int) -> list[tuple[int, int, int, int, int, int]]:
    """The same figures as the dashboard computes them (for the agreement check)."""
    from reports.evaluation.dashboards import plan_dashboard

    board = plan_dashboard(plan=plan, tasks=plan.tasks.all(), quarter=quarter, weights=annual.weights_current())
    return sorted((a.key, a.task_count, a.undetermined, a.available, a.spent, a.submitted) for a in board.areas)


TASK_PAGE_SQL = """
SELECT t.id, t.number, t.title, sa.title, pr.title, d.name, SUM(a.amount) AS budget_total, bt.non_budget
FROM {task} t
JOIN {programme} pr ON pr.id = t.programme_id
JOIN {area} sa ON sa.id = pr.strategic_area_id
JOIN {department} d ON d.id = t.department_id
LEFT JOIN {btable} bt ON bt.task_id = t.id
LEFT JOIN {bline} bl ON bl.table_id = bt.id
LEFT JOIN {bamount} a ON a.line_id = bl.id
WHERE t.plan_id = %(plan)s AND pr.strategic_area_id = %(area)s
GROUP BY t.id, t.number, t.title, sa.title, pr.title, d.name, bt.non_budget
ORDER BY budget_total DESC, t.number LIMIT 25
"""
TASK_COUNT_SQL = """
SELECT COUNT(*) FROM {task} t JOIN {programme} pr ON pr.id = t.programme_id
WHERE t.plan_id = %(plan)s AND pr.strategic_area_id = %(area)s
"""


def task_page_floor(*, plan: Plan, area: StrategicArea) -> int:
    with connection.cursor() as cursor:
        params = {"plan": plan.pk, "area": area.pk}
        cursor.execute(TASK_PAGE_SQL.format(**_tables()), params)
        rows = cursor.fetchall()
        cursor.execute(TASK_COUNT_SQL.format(**_tables()), params)
        cursor.fetchone()
    return len(rows)


RAW_SHEETS = {
    "과제별 실적": """
        SELECT t.number, t.title, d.name, p.quarter, r.status, r.first_submitted_at, r.approved_at,
               r.self_assessment, r.achievements, r.problems, r.next_steps
        FROM {task} t JOIN {department} d ON d.id = t.department_id
        JOIN {period} p ON p.plan_id = t.plan_id
        LEFT JOIN {report} r ON r.task_id = t.id AND r.period_id = p.id
        WHERE t.plan_id = %(plan)s ORDER BY t.number, p.quarter""",
    "성과지표": """
        SELECT t.number, t.title, i.name, i.unit, i.target, p.quarter, r.status, x.actual, x.comment, i.source_text
        FROM {iresult} x JOIN {report} r ON r.id = x.report_id JOIN {period} p ON p.id = r.period_id
        JOIN {indicator} i ON i.id = x.indicator_id JOIN {task} t ON t.id = r.task_id
        WHERE p.plan_id = %(plan)s ORDER BY t.number, p.quarter, i.{order}""",
    "추진일정": """
        SELECT t.number, t.title, m.date_text, m.title, m.start, m."end", p.quarter, x.status,
               x.actual_start, x.actual_end, x.delay_reason
        FROM {mprogress} x JOIN {report} r ON r.id = x.report_id JOIN {period} p ON p.id = r.period_id
        JOIN {milestone} m ON m.id = x.milestone_id JOIN {task} t ON t.id = r.task_id
        WHERE p.plan_id = %(plan)s ORDER BY t.number, p.quarter, m.{order}""",
    "예산": """
        SELECT t.number, t.title, bl.name, c.label, a.amount, bl.printed_total, bt.funding_note
        FROM {bline} bl JOIN {btable} bt ON bt.id = bl.table_id JOIN {task} t ON t.id = bt.task_id
        JOIN {bcolumn} c ON c.table_id = bt.id LEFT JOIN {bamount} a ON a.line_id = bl.id AND a.column_id = c.id
        WHERE t.plan_id = %(plan)s ORDER BY t.number, bl.{order}, c.{order}""",
}


def _naive(value: Any) -> Any:
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    return value


def _sql_rows(sql: str, params: dict) -> Iterator[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql.format(**_tables()), params)
        while batch := cursor.fetchmany(2000):
            yield from batch


def raw_dump(path, *, plan: Plan) -> int:
    """The floor of the workbook: the same sheets' rows from raw SQL into a write-only workbook, unstyled."""
    workbook = Workbook(write_only=True)
    count = 0
    for title, sql in RAW_SHEETS.items():
        ws = workbook.create_sheet(title)
        for row in _sql_rows(sql, {"plan": plan.pk}):
            ws.append([_naive(v) for v in row])
            count += 1
    workbook.save(path)
    return count


def export_child(kind: str, year: int) -> dict:
    """Run in a child process by ``benchmark --child``: one export, timed inside the process."""
    plan = Plan.objects.get(year=year)
    target = Path(settings.BASE_DIR) / "var" / "benchmark" / f"{kind}-{year}.xlsx"
    target.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    if kind == "workbook":
        evaluation_workbook(str(target), WorkbookFilter(plan=plan, quarter=4))
    else:
        raw_dump(str(target), plan=plan)
    seconds = time.perf_counter() - started
    size = target.stat().st_size
    target.unlink()
    return {"seconds": seconds, "bytes": size, "peak_mb": peak_rss_mb()}


def peak_rss_mb() -> float:
    """This process's peak resident memory. VmHWM, unlike ru_maxrss, does not count the parent's pages
    the process held between fork and exec."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_child(kind: str, year: int) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of one export in its own process."""
    command = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "benchmark", "--child", kind]
    finished = subprocess.run([*command, "--year", str(year)], capture_output=True, cwd=settings.BASE_DIR)
    if finished.returncode != 0:
        raise RuntimeError(f"benchmark --child {kind} failed: {finished.stderr.decode()[-2000:]}")
    result = json.loads(finished.stdout.decode().strip().splitlines()[-1])
    return result["seconds"], result["peak_mb"]


# ---------------------------------------------------------------- timing helpers


def median_time(action: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _consume(response) -> bytes:
    if not response.streaming:
        return response.content  # closing it again would end the request twice (PostgreSQL's connection closed)
    body = b"".join(response.streaming_content)
    response.close()  # a file response holds its file open until closed
    return body


def page(client: Client, url: str, repeat: int) -> tuple[float, int]:
    """Median server time (in-process, middleware and template included) and the query count of a GET."""
    _consume(client.get(url))  # warm-up
    times, queries = [], 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get(url)
            _consume(response)
            times.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise RuntimeError(f"{url}: HTTP {response.status_code}")
        queries = len(ctx.captured_queries)
    return statistics.median(times), queries


PAGE_LIMIT = 300_000  # bytes of HTML, the most any page may weigh at 10,000 tasks


def page_bytes(client: Client, url: str) -> tuple[int, int]:
    """(raw, gzip) bytes of a GET's body: as sent without and with ``Accept-Encoding: gzip`` (untimed)."""
    raw = _consume(client.get(url))
    compressed = _consume(client.get(url, headers={"accept-encoding": "gzip"}))
    return len(raw), len(compressed)


def _size_row(size: int, client: Client, item: str, url: str, log: Callable[[str], None]) -> Row:
    raw, compressed = page_bytes(client, url)
    log(f"  {item} {raw:,}바이트, gzip {compressed:,}바이트")
    return Row(size, item, raw, "B", target="< 300 KB", met=raw < PAGE_LIMIT, page_bytes=(raw, compressed))


# ---------------------------------------------------------------- the import and its floor


def _importer(plan: Plan, period: ReportingPeriod, limit: int):
    """An officer of enough departments to hold about ``limit`` rows in the open quarter's template."""
    from django.contrib.auth import get_user_model

    officer_group = permissions.ensure_roles_exist()[0]
    user = get_user_model().objects.create_user("synth-importer", first_name="합성 일괄 입력")
    user.groups.add(officer_group)
    rows, chosen = 0, []
    per_task = _rows_per_task(plan)
    by_department: dict[int, list[int]] = {}
    for task_id, department_id in plan.tasks.order_by("number").values_list("pk", "department_id"):
        by_department.setdefault(department_id, []).append(task_id)
    for department_id, task_ids in sorted(by_department.items()):
        if rows >= limit:
            break
        chosen.append(department_id)
        rows += sum(per_task.get(t, 0) + 1 for t in task_ids)
    Department.members.through.objects.bulk_create(
        [Department.members.through(department_id=d, user_id=user.pk) for d in chosen]
    )
    tasks = list(plan.tasks.filter(department__in=chosen).values_list("pk", flat=True))
    # An officer fills in the quarter's drafts offline: every chosen report is a draft again.
    ProgressReport.objects.filter(task__in=tasks, period=period).update(status=ProgressReport.Status.DRAFT)
    tasks_changed(tasks)
    return user, tasks


def _rows_per_task(plan: Plan) -> dict[int, int]:
    from initiatives.rules import covers_year

    counts: dict[int, int] = {}
    for task_id in Indicator.objects.filter(task__plan=plan, year=plan.year).values_list("task_id", flat=True):
        counts[task_id] = counts.get(task_id, 0) + 1
    for task_id, start, end in Milestone.objects.filter(task__plan=plan).values_list("task_id", "start", "end"):
        if covers_year(start=start, end=end, year=plan.year):
            counts[task_id] = counts.get(task_id, 0) + 1
    lines = BudgetLine.objects.filter(table__task__plan=plan, table__non_budget=False)
    for task_id in lines.values_list("table__task_id", flat=True):
        counts[task_id] = counts.get(task_id, 0) + 1
    return counts


FILL = {
    "실적": lambda row: row[6] * 0.8 if isinstance(row[6], (int, float)) else 1,
    "설명·미달성 사유": lambda row: "오프라인 일괄 입력",
    "진행 상태": lambda row: "진행중",
    "지출액 누계(백만원)": lambda row: int((row[5] or 0) * 0.5),
    "주요 추진실적": lambda row: "오프라인으로 입력한 분기 실적",
    "문제점 및 대책": lambda row: "특이사항 없음",
    "향후 계획": lambda row: "다음 분기 계속 추진",
    "자체 진단": lambda row: "정상",
}


def filled_template(*, user, period: ReportingPeriod) -> tuple[bytes, int]:
    """The officer's template with every input cell filled as an officer would; (bytes, data rows)."""
    handle = BytesIO()
    offline.template_workbook(handle, user=user, period=period)
    handle.seek(0)
    workbook = load_workbook(handle)
    rows = 0
    for title, columns in offline.SHEETS.items():
        ws = workbook[title]
        for cells in ws.iter_rows(min_row=2):
            values = [c.value for c in cells]
            for index, col in enumerate(columns):
                if col.header in FILL:
                    cells[index].value = FILL[col.header](values)
            rows += 1
    out = BytesIO()
    workbook.save(out)
    return out.getvalue(), rows


def measure_import(*, plan: Plan, limit: int = IMPORT_ROWS) -> tuple[int, float, float]:
    """(rows, seconds of preview + confirm, seconds of bulk_create of the same rows); nothing is kept."""
    period = ReportingPeriod.objects.select_related("plan").get(plan=plan, state=ReportingPeriod.State.OPEN)
    with transaction.atomic():
        user, tasks = _importer(plan, period, limit)
        content, rows = filled_template(user=user, period=period)
        started = time.perf_counter()
        result = offline.preview(handle=BytesIO(content), user=user, period=period)
        if result.errors:
            raise RuntimeError(f"import preview has {len(result.errors)} errors: {result.errors[0].errors}")
        offline.apply(pending=json.loads(offline.pending_json(result)), user=user, period=period)
        seconds = time.perf_counter() - started
        values = dict(result.values)
        transaction.set_rollback(True)
    with transaction.atomic():
        floor = _bulk_floor(period, tasks, values)
        transaction.set_rollback(True)
    return rows, seconds, floor


def _bulk_floor(period: ReportingPeriod, tasks: list[int], values: dict[int, dict]) -> float:
    """bulk_create of the same reports and rows (the existing ones are removed first, untimed)."""
    old = ProgressReport.objects.filter(task__in=tasks, period=period)
    for model in (ReportEvent, IndicatorResult, MilestoneProgress, BudgetExecution):
        model.objects.filter(report__in=old).delete()
    old.delete()
    started = time.perf_counter()
    reports = ProgressReport.objects.bulk_create(
        ProgressReport(task_id=t, period=period, **{k: v for k, v in values.get(t, {}).items() if isinstance(v, str)})
        for t in tasks
    )
    groups = {
        "indicator_results": (IndicatorResult, "indicator_id"),
        "milestone_progress": (MilestoneProgress, "milestone_id"),
        "budget_executions": (BudgetExecution, "budget_line_id"),
    }
    for group, (model, key) in groups.items():
        model.objects.bulk_create(
            model(report=report, **{key: obj}, **fields)
            for report in reports
            for obj, fields in values.get(report.task_id, {}).get(group, {}).items()
        )
    return time.perf_counter() - started


# ---------------------------------------------------------------- one size, and the table


@dataclass
class Settings:
    repeat: int = 3
    import_rows: int = IMPORT_ROWS
    exports: bool = True


def measure_size(size: int, plan: Plan, options: Settings, log: Callable[[str], None]) -> list[Row]:
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.get(username="synth-reviewer"))
    rows: list[Row] = []
    started = time.perf_counter()
    assessments_refresh(plan=plan)  # what the nightly refresh_assessments does; pages then read stored rows
    seconds = time.perf_counter() - started
    log(f"  저장 진단 전체 산출 {seconds:.2f}초")
    rows.append(Row(size, "저장 진단 전체 산출(과제×4분기, 야간·규칙 변경 시)", seconds, "s"))
    quarter = 2
    url = f"/dashboard/?year={plan.year}&quarter={quarter}"
    seconds, queries = page(client, url, options.repeat)
    floor = median_time(lambda: dashboard_floor(plan=plan, quarter=quarter), options.repeat)
    agree = dashboard_floor(plan=plan, quarter=quarter) == dashboard_figures(plan=plan, quarter=quarter)
    log(f"  대시보드 {seconds:.3f}초, 쿼리 {queries}개, 원시 SQL {floor:.4f}초, 수치 일치 {agree}")
    rows += [
        Row(size, "대시보드 응답 시간", seconds, "s", floor, "원시 SQL 집계", "≤ 3×", seconds <= 3 * floor),
        Row(size, "대시보드 쿼리 수", queries, "개", target="≤ 15", met=queries <= 15),
        Row(size, "대시보드 ↔ 원시 SQL 수치 일치", int(agree), "", target="일치", met=agree),
        _size_row(size, client, "대시보드 쪽 크기", url, log),
        _size_row(size, client, "부서별 현황 첫 쪽 크기", f"/dashboard/departments/?year={plan.year}", log),
        _size_row(size, client, "추진일정 첫 쪽 크기", f"/dashboard/schedule/?year={plan.year}", log),
    ]
    area = StrategicArea.objects.get(plan=plan, number=1)
    url = f"/tasks/?area={area.pk}&sort=-budget_total"
    seconds, queries = page(client, url, options.repeat)
    floor = median_time(lambda: task_page_floor(plan=plan, area=area), options.repeat)
    log(f"  과제 표 {seconds:.3f}초, 쿼리 {queries}개, 원시 SQL {floor:.4f}초")
    rows += [
        Row(size, "과제 표 첫 쪽(정렬·필터) 시간", seconds, "s", floor, "원시 SQL 한 쪽"),
        Row(size, "과제 표 쿼리 수", queries, "개", target="고정(N 무관)"),
    ]
    if options.exports:
        rows += _export_rows(size, plan, log)
    imported, seconds, floor = measure_import(plan=plan, limit=options.import_rows)
    log(f"  가져오기 {imported:,}행 {seconds:.2f}초, bulk_create {floor:.3f}초")
    rows.append(
        Row(size, f"엑셀 가져오기 {imported:,}행 (미리보기+확인)", seconds, "s", floor, "bulk_create", "≤ 5×",
            seconds <= 5 * floor)
    )  # fmt: skip
    return rows


def _export_rows(size: int, plan: Plan, log) -> list[Row]:
    seconds, peak = run_child("workbook", plan.year)
    floor, floor_peak = run_child("raw", plan.year)
    log(f"  평가 엑셀 {seconds:.2f}초 {peak:.0f}MB, 원시 덤프 {floor:.2f}초 {floor_peak:.0f}MB")
    return [
        Row(size, "평가 통합 엑셀 시간", seconds, "s", floor, "openpyxl 원시 덤프", "≤ 1.5×", seconds <= 1.5 * floor),
        Row(size, "평가 통합 엑셀 최대 메모리(RSS)", peak, "MB", floor_peak, "원시 덤프 RSS", "< 300 MB", peak < 300),
    ]


def _format(value: float | None, unit: str) -> str:
    if value is None:
        return "–"
    if unit == "s":
        return f"{value * 1000:,.1f} ms" if value < 1 else f"{value:.2f} s" if value < 10 else f"{value:.1f} s"
    if unit == "MB":
        return f"{value:.0f} MB"
    if unit == "B":
        return f"{value / 1000:,.1f} KB"
    return f"{value:,.0f}{(' ' + unit) if unit else ''}"


def table(rows: Iterable[Row]) -> str:
    lines = [
        "| N | 항목 | 측정값 | 바닥값 | 배율 | 목표 | 충족 | 쪽 크기(원본) | 쪽 크기(gzip) |",
        "|---:|---|---:|---|---:|---|---|---:|---:|",
    ]
    for r in rows:
        sent = [_format(b, "B") for b in r.page_bytes] if r.page_bytes else ["–", "–"]
        floor = f"{_format(r.floor, r.unit)} ({r.floor_name})" if r.floor is not None else "–"
        ratio = f"{r.ratio:.1f}×" if r.ratio is not None else "–"
        met = "–" if r.met is None else ("충족" if r.met else "**미달**")
        value = ("일치" if r.value else "불일치") if r.target == "일치" else _format(r.value, r.unit)
        lines.append(
            f"| {r.size:,} | {r.item} | {value} | {floor} | {ratio} | {r.target or '–'} | {met} | {' | '.join(sent)} |"
        )
    return "\n".join(lines)


def machine() -> str:
    memory = "?"
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kb = int(meminfo.read_text().split("\n")[0].split()[1])
        memory = f"{kb / 1024 / 1024:.0f} GB"
    with connection.cursor() as cursor:
        version = connection.vendor
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            version = f"PostgreSQL {cursor.fetchone()[0]}"
        elif connection.vendor == "sqlite":
            cursor.execute("select sqlite_version()")
            version = f"SQLite {cursor.fetchone()[0]}"
    return (
        f"{os.cpu_count()} CPU ({platform.processor() or platform.machine()}), RAM {memory}, "
        f"Python {platform.python_version()}, {version}, {datetime.date.today():%Y-%m-%d}"
    )
