"""The benchmark behind ``manage.py benchmark``: each figure beside floors measured in the same run.

Every timed figure and its floors are measured as alternating rounds after a warm-up (``alternate``): floor then
figure, figure then floor, and so on, ``repeat`` times, so that a slow moment of a shared machine falls on both
sides alike; the table gives the median of each, the ratio of the medians and the spread (min–max of each side and
the range of the per-round ratios). Floors do the same work with the least code:

- the pages (plan dashboard, departments, schedule, task table) vs their fair floor: a bare view through the same
  middleware, session and base layout replaying the SQL the page ran (``bench.views``); the dashboard also vs one
  raw SQL aggregate of its per-area figures (``dashboard_floor``, checked to give the same numbers) and the task
  table vs the raw SQL of its first page;
- the report save (the real form, 임시 저장) vs its fair floor: the save's statements replayed in a transaction
  that is rolled back, then the same redirect;
- the evaluation workbook vs a raw dump of the same sheets' cells from raw SQL with openpyxl (write-only) and with
  XlsxWriter (constant memory), each in its own process so that its peak memory (RSS) is its own; beside it, up
  to 1,000 tasks, the briefing book as PDF and as HWPX (time and peak memory, each in its own process);
- the offline upload (preview + confirm through the services) vs ``bulk_create`` of the same rows.

Beside them, each page's bytes as sent raw and gzipped, and query counts. Wall-clock figures are never asserted
in tests.
"""

import datetime
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Any

import xlsxwriter
from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook, load_workbook

from bench import views as floor_views
from bench.loadrun import post_form
from budgets.models import BudgetAmount, BudgetColumn, BudgetLine, BudgetTable
from initiatives.models import Department, Indicator, Milestone, Plan, Programme, StrategicArea, Task
from reports.briefing.documents import book_write
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

IMPORT_ROWS = (1_000, 10_000)


@dataclass
class Row:
    """One line of the table: a figure's samples, its floor's samples (same rounds), the target and its verdict."""

    size: int
    item: str
    values: list[float]
    unit: str
    floors: list[float] = field(default_factory=list)
    floor_name: str = ""
    target: str = ""
    met: bool | None = None
    page_bytes: tuple[int, int] | None = None  # (raw, gzip) of the page measured, for pages

    @property
    def value(self) -> float:
        return statistics.median(self.values)

    @property
    def floor(self) -> float | None:
        return statistics.median(self.floors) if self.floors else None

    @property
    def ratio(self) -> float | None:
        return self.value / self.floor if self.floor else None

    @property
    def round_ratios(self) -> list[float]:
        return [v / f for v, f in zip(self.values, self.floors) if f]


def within(row: Row, factor: float) -> Row:
    """The row judged on the ratio of its medians: met when the figure is at most ``factor`` times its floor."""
    row.target, row.met = f"≤ {factor:g}×", row.ratio is not None and row.ratio <= factor
    return row


def at_most(row: Row, limit: float, target: str) -> Row:
    row.target, row.met = target, row.value <= limit
    return row


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
    """The openpyxl floor of the workbook: the same sheets' rows from raw SQL into a write-only workbook, unstyled."""
    workbook = Workbook(write_only=True)
    count = 0
    for title, sql in RAW_SHEETS.items():
        ws = workbook.create_sheet(title)
        for row in _sql_rows(sql, {"plan": plan.pk}):
            ws.append([_naive(v) for v in row])
            count += 1
    workbook.save(path)
    return count


def xlsxwriter_dump(path, *, plan: Plan) -> int:
    """The writer's floor of the workbook: the same cells as ``raw_dump`` through XlsxWriter in constant memory
    (the writer the workbook uses), unstyled but for the one date format a date needs to read back as a date."""
    workbook = xlsxwriter.Workbook(path, {"constant_memory": True})
    dated = workbook.add_format({"num_format": "yyyy-mm-dd h:mm:ss"})
    count = 0
    for title, sql in RAW_SHEETS.items():
        ws = workbook.add_worksheet(title)
        for index, row in enumerate(_sql_rows(sql, {"plan": plan.pk})):
            for column, value in enumerate(row):
                _xlsxwriter_cell(ws, index, column, _naive(value), dated)
            count += 1
    workbook.close()
    return count


def _xlsxwriter_cell(ws, row: int, column: int, value: Any, dated) -> None:
    if value is None:
        return
    if isinstance(value, str):
        ws.write_string(row, column, value)  # never ``write``: it would take "=…" for a formula
    elif isinstance(value, bool):
        ws.write_boolean(row, column, value)
    elif isinstance(value, (datetime.date, datetime.datetime)):
        ws.write_datetime(row, column, value, dated)
    else:
        ws.write_number(row, column, value)


def workbook_export(path, *, plan: Plan) -> None:
    evaluation_workbook(path, WorkbookFilter(plan=plan, quarter=4))


def book_export(kind: str) -> Callable[..., None]:
    def export(path, *, plan: Plan) -> None:
        book_write(path, WorkbookFilter(plan=plan, quarter=4), kind)

    return export


EXPORTS: dict[str, Callable[..., Any]] = {
    "workbook": workbook_export,
    "openpyxl": raw_dump,
    "xlsxwriter": xlsxwriter_dump,
    "book_pdf": book_export("pdf"),
    "book_hwpx": book_export("hwpx"),
}
SUFFIXES = {"book_pdf": ".pdf", "book_hwpx": ".hwpx"}
# The briefing book is measured up to this size: a page per task, so 10,000 tasks would be a 10,000-page book.
BOOK_MAX_TASKS = 1000


def export_child(kind: str, year: int) -> dict:
    """Run in a child process by ``benchmark --child``: one export, timed inside the process."""
    plan = Plan.objects.get(year=year)
    target = Path(settings.BASE_DIR) / "var" / "benchmark" / f"{kind}-{year}{SUFFIXES.get(kind, '.xlsx')}"
    target.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    EXPORTS[kind](str(target), plan=plan)
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


# ---------------------------------------------------------------- alternating rounds


def alternate(
    figure: Callable[[], float], floors: dict[str, Callable[[], float]], repeat: int
) -> tuple[list[float], dict[str, list[float]]]:
    """Seconds of ``figure`` and of each floor over ``repeat`` rounds after one warm-up round (figure first, so
    that a floor may reuse what the figure produced). The order turns round every other round (floors, figure;
    figure, floors; …) so that neither side always runs on a warmer or a busier machine."""
    sides = [("", figure), *floors.items()]
    for _, action in sides:
        action()
    samples: dict[str, list[float]] = {name: [] for name, _ in sides}
    for round_ in range(repeat):
        for name, action in sides[::-1] if round_ % 2 == 0 else sides:
            samples[name].append(action())
    figures = samples.pop("")
    return figures, samples


def timed(action: Callable[[], Any]) -> Callable[[], float]:
    def run() -> float:
        started = time.perf_counter()
        action()
        return time.perf_counter() - started

    return run


def _consume(response) -> bytes:
    if not response.streaming:
        return response.content  # closing it again would end the request twice (PostgreSQL's connection closed)
    body = b"".join(response.streaming_content)
    response.close()  # a file response holds its file open until closed
    return body


def fetch(client: Client, url: str, data: dict | None = None) -> bytes:
    """One GET (or POST with ``data``) in-process: middleware, view and template; a page must answer 200 and a
    form post its redirect."""
    response = client.post(url, data) if data is not None else client.get(url)
    body = _consume(response)
    expected = 302 if data is not None else 200
    if response.status_code != expected:
        raise RuntimeError(f"{url}: HTTP {response.status_code} (기대 {expected})")
    return body


# A queryset's .iterator() on PostgreSQL opens a server-side cursor whose rows are fetched outside the capture;
# the replay runs the SELECT itself and fetches every row, as the page did.
# the transaction's own statements: PostgreSQL's BEGIN/COMMIT are logged in autocommit, a test's SAVEPOINTs inside
# its transaction; neither is work the save chose (the query-count tests leave them out alike)
TRANSACTION_CONTROL = re.compile(r"^(BEGIN|COMMIT|ROLLBACK|(RELEASE )?SAVEPOINT)\b", re.I)
SERVER_CURSOR = re.compile(r'^DECLARE\s+"[^"]+"\s+NO SCROLL\s+CURSOR\s+(?:WITH(?:OUT)?\s+HOLD\s+)?FOR\s+', re.I)


def statements(action: Callable[[], Any]) -> list[str]:
    """The SQL statements ``action`` ran, with their values bound (replayable)."""
    with CaptureQueriesContext(connection) as ctx:
        action()
    return [SERVER_CURSOR.sub("", query["sql"]) for query in ctx.captured_queries]


def _shape(sql: str) -> str:
    """A statement without its values: the session lookup of two requests differs only in its timestamps."""
    return re.sub(r"\b\d+(\.\d+)?\b", "?", re.sub(r"'(?:[^']|'')*'", "?", sql))


def page_statements(page: list[str], bare: list[str]) -> list[str]:
    """The page's statements less those a bare floor view runs by itself (session, user, roles in the layout)."""
    own = Counter(_shape(sql) for sql in bare)
    replay = []
    for sql in page:
        if own[_shape(sql)] > 0:
            own[_shape(sql)] -= 1
        else:
            replay.append(sql)
    return replay


def fair_floor(client: Client, name: str, run_page: Callable[[], Any], floor_url: str, data=None) -> list[str]:
    """Register the floor ``name`` with the statements the page runs; returns them (the floor view's own aside).
    ``run_page`` runs the page once more (a save leaves the report as it found it, see ``measure_save``)."""
    page = statements(run_page)
    floor_views.floor_register(name, [])
    bare = statements(lambda: fetch(client, floor_url, data))
    replay = page_statements(page, bare)
    floor_views.floor_register(name, replay)
    return replay


PAGE_LIMIT = 300_000  # bytes of HTML, the most any page may weigh at 10,000 tasks


def page_bytes(client: Client, url: str) -> tuple[int, int]:
    """(raw, gzip) bytes of a GET's body: as sent without and with ``Accept-Encoding: gzip`` (untimed)."""
    raw = _consume(client.get(url))
    compressed = _consume(client.get(url, headers={"accept-encoding": "gzip"}))
    return len(raw), len(compressed)


@dataclass
class PageSpec:
    name: str  # the floor's slug
    label: str  # the page in the table, Korean
    url: str
    query_target: int | None = None
    time_factor: float | None = None  # target: at most this many times the fair floor
    sql_floor: tuple[str, Callable[[], Any]] | None = None  # a raw SQL floor beside the fair one


def measure_page(size: int, client: Client, spec: PageSpec, repeat: int, log: Callable[[str], None]) -> list[Row]:
    """A page's time beside its fair floor (and a raw SQL floor, if given), its queries and its bytes."""
    fetch(client, spec.url)  # once-only work (the first weights, judging what is out of date) stays out of the count
    queries = len(statements(lambda: fetch(client, spec.url)))
    floor_url = f"/bench/floor/{spec.name}/"
    replayed = fair_floor(client, spec.name, lambda: fetch(client, spec.url), floor_url)
    sides = {"fair": timed(lambda: fetch(client, floor_url))}
    if spec.sql_floor:
        sides["sql"] = timed(spec.sql_floor[1])
    figures, samples = alternate(timed(lambda: fetch(client, spec.url)), sides, repeat)
    fair = Row(size, f"{spec.label} 응답 시간", figures, "s", samples["fair"], "공정 바닥값: 같은 SQL 재실행")
    rows = [within(fair, spec.time_factor) if spec.time_factor else fair]
    if spec.sql_floor:
        rows.append(Row(size, f"{spec.label} 응답 시간", figures, "s", samples["sql"], spec.sql_floor[0]))
    count = Row(size, f"{spec.label} 쿼리 수", [queries], "개")
    rows.append(at_most(count, spec.query_target, f"≤ {spec.query_target}") if spec.query_target else count)
    raw, compressed = page_bytes(client, spec.url)
    sent = Row(size, f"{spec.label} 크기", [raw], "B", page_bytes=(raw, compressed))
    rows.append(at_most(sent, PAGE_LIMIT, "≤ 300 KB"))
    log(
        f"  {spec.label} {rows[0].value * 1000:.1f}ms (공정 바닥값 {rows[0].floor * 1000:.1f}ms, 재실행 "
        f"{len(replayed)}문), 쿼리 {queries}개, {raw:,}바이트 (gzip {compressed:,})"
    )
    return rows


# ---------------------------------------------------------------- the report save and its floor


def _save_target() -> tuple[ProgressReport, Any]:
    """An open-quarter draft of the newest plan and an officer of its department (a synthetic account)."""
    from django.contrib.auth import get_user_model

    report = (
        ProgressReport.objects.filter(period__state=ReportingPeriod.State.OPEN, status=ProgressReport.Status.DRAFT)
        .order_by("-period__plan__year", "task__number")
        .select_related("task")
        .first()
    )
    if report is None:
        raise RuntimeError("저장할 작성중 보고가 없습니다 (합성 계획의 진행 중 분기).")
    officer = get_user_model().objects.filter(departments=report.task.department_id).order_by("username").first()
    return report, officer


def measure_save(size: int, repeat: int, log: Callable[[str], None]) -> list[Row]:
    """The report form's 임시 저장 (POST, as the form sends it) beside its fair floor. Before each save and each
    replay the report's version is set back (untimed), so that every one claims the same version."""
    report, officer = _save_target()
    client = Client()
    client.force_login(officer)
    url, floor_url = f"/reports/{report.pk}/edit/", "/bench/floor/report-save/save/"
    form = post_form(fetch(client, url).decode(), "report-version")
    version = int(form["report-version"])
    texts = iter(range(1, 10**6))  # each save changes the text, so each writes its history entry

    def reset() -> None:
        ProgressReport.objects.filter(pk=report.pk).update(version=version)

    def post() -> None:
        fetch(client, url, {**form, "report-achievements": f"벤치마크 저장 {next(texts)}", "save": ""})

    def after_reset(action: Callable[[], Any]) -> Callable[[], float]:
        return lambda: (reset(), timed(action)())[1]

    reset()
    queries = len([sql for sql in statements(post) if not TRANSACTION_CONTROL.match(sql)])
    reset()
    fair_floor(client, "report-save", post, floor_url, data={})
    replay = after_reset(lambda: fetch(client, floor_url, {}))
    figures, samples = alternate(after_reset(post), {"fair": replay}, repeat)
    log(f"  보고 저장 {statistics.median(figures) * 1000:.1f}ms, 쿼리 {queries}개")
    return [
        Row(size, "보고 저장(임시 저장) 시간", figures, "s", samples["fair"], "공정 바닥값: 같은 SQL 재실행 후 롤백"),
        at_most(Row(size, "보고 저장 쿼리 수", [queries], "개"), 10, "≤ 10"),
    ]


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


def measure_import(*, plan: Plan, limit: int, repeat: int) -> tuple[int, list[float], list[float]]:
    """(rows, seconds of preview + confirm, seconds of bulk_create of the same rows) over alternating rounds.
    The officer and the template are made once; every round runs in a savepoint rolled back, so each starts from
    the same drafts, and nothing is kept."""
    period = ReportingPeriod.objects.select_related("plan").get(plan=plan, state=ReportingPeriod.State.OPEN)
    with transaction.atomic():
        user, tasks = _importer(plan, period, limit)
        content, rows = filled_template(user=user, period=period)
        values: dict[int, dict] = {}

        def upload() -> float:
            with transaction.atomic():
                started = time.perf_counter()
                result = offline.preview(handle=BytesIO(content), user=user, period=period)
                if result.errors:
                    raise RuntimeError(f"import preview has {len(result.errors)} errors: {result.errors[0].errors}")
                offline.apply(pending=json.loads(offline.pending_json(result)), user=user, period=period)
                seconds = time.perf_counter() - started
                values.update(result.values)
                transaction.set_rollback(True)
            return seconds

        def bulk() -> float:
            with transaction.atomic():
                seconds = _bulk_floor(period, tasks, values)
                transaction.set_rollback(True)
            return seconds

        figures, samples = alternate(upload, {"bulk_create": bulk}, repeat)
        transaction.set_rollback(True)
    return rows, figures, samples["bulk_create"]


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
    import_rows: tuple[int, ...] = IMPORT_ROWS
    exports: bool = True


def pages(plan: Plan) -> list[PageSpec]:
    area = StrategicArea.objects.get(plan=plan, number=1)
    quarter = 2
    raw_dashboard = ("원시 SQL 집계", lambda: dashboard_floor(plan=plan, quarter=quarter))
    return [
        PageSpec("dashboard", "대시보드", f"/dashboard/?year={plan.year}&quarter={quarter}", 12, 2, raw_dashboard),
        PageSpec("departments", "부서별 현황 첫 쪽", f"/dashboard/departments/?year={plan.year}"),
        PageSpec("schedule", "추진일정 첫 쪽", f"/dashboard/schedule/?year={plan.year}"),
        PageSpec(
            "tasks",
            "과제 표 첫 쪽(정렬·필터)",
            f"/tasks/?area={area.pk}&sort=-budget_total",
            sql_floor=("원시 SQL 한 쪽", lambda: task_page_floor(plan=plan, area=area)),
        ),
    ]


def measure_size(size: int, plan: Plan, options: Settings, log: Callable[[str], None]) -> list[Row]:
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.get(username="synth-reviewer"))
    started = time.perf_counter()
    assessments_refresh(plan=plan)  # what the nightly refresh_assessments does; pages then read stored rows
    seconds = time.perf_counter() - started
    log(f"  저장 진단 전체 산출 {seconds:.2f}초")
    rows = [Row(size, "저장 진단 전체 산출(과제×4분기, 야간·규칙 변경 시)", [seconds], "s")]
    agree = dashboard_floor(plan=plan, quarter=2) == dashboard_figures(plan=plan, quarter=2)
    rows.append(Row(size, "대시보드 ↔ 원시 SQL 수치 일치", [int(agree)], "일치", target="일치", met=agree))
    for spec in pages(plan):
        rows += measure_page(size, client, spec, options.repeat, log)
    rows += measure_save(size, options.repeat, log)
    if options.exports:
        rows += _export_rows(size, plan, options.repeat, log)
    return rows + _import_rows(size, plan, options, log)


def _import_rows(size: int, plan: Plan, options: Settings, log) -> list[Row]:
    rows, measured = [], set()
    for limit in options.import_rows:
        count, figures, floor = measure_import(plan=plan, limit=limit, repeat=options.repeat)
        if count in measured:
            continue  # the plan holds fewer rows than asked: the same upload again says nothing new
        measured.add(count)
        upload = within(Row(size, f"엑셀 가져오기 {count:,}행 (미리보기+확인)", figures, "s", floor, "bulk_create"), 6)
        speed = Row(size, f"엑셀 가져오기 {count:,}행 처리 속도", [count / s for s in figures], "행/초")
        log(f"  가져오기 {count:,}행 {upload.value:.2f}초 ({speed.value:,.0f}행/초), bulk_create {upload.floor:.3f}초")
        rows += [upload, speed]
    return rows


def _export_rows(size: int, plan: Plan, repeat: int, log) -> list[Row]:
    runs: dict[str, list[tuple[float, float]]] = {kind: [] for kind in EXPORTS}

    def child(kind: str) -> Callable[[], float]:
        def run() -> float:
            runs[kind].append(run_child(kind, plan.year))
            return runs[kind][-1][0]

        return run

    figures, samples = alternate(child("workbook"), {k: child(k) for k in ("openpyxl", "xlsxwriter")}, repeat)
    peaks = {kind: [peak for _, peak in measured[1:]] for kind, measured in runs.items()}  # the warm-up aside
    log(
        f"  평가 엑셀 {statistics.median(figures):.2f}초 {max(peaks['workbook']):.0f}MB, openpyxl 덤프 "
        f"{statistics.median(samples['openpyxl']):.2f}초, XlsxWriter 덤프 {statistics.median(samples['xlsxwriter']):.2f}초"
    )
    name = "평가 통합 엑셀 시간"
    books = _book_rows(size, plan, figures, peaks["workbook"], log) if size <= BOOK_MAX_TASKS else []
    return [
        *books,
        within(Row(size, name, figures, "s", samples["openpyxl"], "openpyxl 원시 덤프"), 1.3),
        within(Row(size, name, figures, "s", samples["xlsxwriter"], "XlsxWriter 원시 덤프(같은 작성기)"), 2),
        at_most(
            Row(size, "평가 통합 엑셀 최대 메모리(RSS)", peaks["workbook"], "MB", peaks["xlsxwriter"],
                "XlsxWriter 덤프 RSS"),
            200, "< 200 MB",
        ),
    ]  # fmt: skip


def _book_rows(size: int, plan: Plan, workbook: list[float], workbook_peaks: list[float], log) -> list[Row]:
    """The briefing book's time and peak memory beside the workbook's of the same run: one run of each format
    (a 1,000-task book is a book of over a thousand pages; rounds would add little but minutes)."""
    rows = []
    for kind, label in (("book_pdf", "보고서 PDF"), ("book_hwpx", "보고서 HWPX")):
        seconds, peak = run_child(kind, plan.year)
        log(f"  {label} {seconds:.2f}초 {peak:.0f}MB")
        rows += [
            Row(size, f"{label} 시간", [seconds], "s", workbook, "평가 통합 엑셀(같은 실행)"),
            Row(size, f"{label} 최대 메모리(RSS)", [peak], "MB", workbook_peaks, "평가 통합 엑셀 RSS"),
        ]
    return rows


def _format(value: float | None, unit: str) -> str:
    if value is None:
        return "–"
    if unit == "s":
        return f"{value * 1000:,.1f} ms" if value < 1 else f"{value:.2f} s" if value < 10 else f"{value:.1f} s"
    if unit == "MB":
        return f"{value:.0f} MB"
    if unit == "B":
        return f"{value / 1000:,.1f} KB"
    if unit == "일치":
        return "일치" if value else "불일치"
    return f"{value:,.0f}{(' ' + unit) if unit else ''}"


def _spread(values: list[float], unit: str) -> str:
    if len(values) < 2:
        return "–"
    return f"{_format(min(values), unit)} – {_format(max(values), unit)}"


def table(rows: Iterable[Row]) -> str:
    lines = [
        "| N | 항목 | 중앙값 | 범위 | 바닥값 중앙값 | 바닥값 범위 | 배율 | 회차별 배율 | 회차 | 목표 | 충족 "
        "| 쪽 크기(원본) | 쪽 크기(gzip) |",
        "|---:|---|---:|---:|---|---:|---:|---:|---:|---|---|---:|---:|",
    ]
    for r in rows:
        sent = [_format(b, "B") for b in r.page_bytes] if r.page_bytes else ["–", "–"]
        floor = f"{_format(r.floor, r.unit)} ({r.floor_name})" if r.floor is not None else "–"
        ratio = f"{r.ratio:.2f}×" if r.ratio is not None else "–"
        ratios = r.round_ratios
        spread = f"{min(ratios):.2f}–{max(ratios):.2f}×" if len(ratios) > 1 else "–"
        met = "–" if r.met is None else ("충족" if r.met else "**미달**")
        cells = [
            f"{r.size:,}", r.item, _format(r.value, r.unit), _spread(r.values, r.unit), floor,
            _spread(r.floors, r.unit), ratio, spread, str(len(r.values)), r.target or "–", met, *sent,
        ]  # fmt: skip
        lines.append(f"| {' | '.join(cells)} |")
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
