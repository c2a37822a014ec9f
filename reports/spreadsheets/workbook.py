"""The evaluation workbook (평가 통합 엑셀): one row generator per sheet, one shared writer.

Numbers are numbers (백만원 in the headers), text is escaped by ``reports.spreadsheets.xlsx``, and every
score's provenance is in the workbook (산출 근거) so that anyone can recompute it.
"""

import datetime
import json
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from budgets import rules as budget_rules
from budgets.models import BudgetAmount, BudgetTable
from budgets.services import budget_summary
from initiatives.models import Department, Plan, StrategicArea, Task
from reports.evaluation import scoring
from reports.evaluation.annual import PlanData, indicator_figure_in, plan_data, weights_current
from reports.evaluation.assessments import explanations, stored_judging_missing
from reports.evaluation.dashboards import PlanRollups, Rollup, plan_rollups
from reports.models import Evaluation, ReportEvent, TaskStatus
from reports.progress import rules
from reports.progress.selectors import discussion_of, period_start
from reports.spreadsheets.xlsx import Column, Sheet, write_sheets

# Told how far a long export is: (parts done, parts in all, the stage in Korean).
Progress = Callable[[int, int, str], None]

SHEET_TITLES = [
    "요약",
    "과제별 실적",
    "성과지표",
    "추진일정",
    "예산",
    "평가 결과",
    "산출 근거",
    "마감 후 변경",
    "보고 논의",
]


@dataclass
class WorkbookFilter:
    plan: Plan
    quarter: int = 4
    area: StrategicArea | None = None
    department: Department | None = None

    def tasks(self):
        tasks = self.plan.tasks.all()
        if self.area is not None:
            tasks = tasks.filter(programme__strategic_area=self.area)
        if self.department is not None:
            tasks = tasks.filter(department=self.department)
        return tasks

    def params(self) -> dict:
        """The selection as a background job keeps it (``from_params`` reads it back)."""
        return {
            "plan": self.plan.pk,
            "quarter": self.quarter,
            "area": self.area.pk if self.area else None,
            "department": self.department.pk if self.department else None,
        }

    @classmethod
    def from_params(cls, params: dict) -> "WorkbookFilter":
        return cls(
            plan=Plan.objects.get(pk=params["plan"]),
            quarter=params["quarter"],
            area=StrategicArea.objects.get(pk=params["area"]) if params["area"] else None,
            department=Department.objects.get(pk=params["department"]) if params["department"] else None,
        )

    def describe(self) -> str:
        parts = [f"{self.plan.year}년", f"{self.quarter}분기 기준"]
        if self.area:
            parts.append(f"추진방안 {self.area}")
        if self.department:
            parts.append(f"주관부서 {self.department}")
        return " · ".join(parts)


def _rate(value) -> float | None:
    return None if value is None else float(value)


def rollup_columns(quarter: int) -> list[Column]:
    """The figures of a roll-up (area, programme, plan) as the summary sheet and the briefing book give them."""
    return [
        Column("과제 수", "int", 6),
        *(Column(status.label, "int", 7) for status in TaskStatus),
        Column("종합 점수", "decimal", 7),
        Column("점수 없어 제외된 과제", "int", 8),
        Column("예산현액(백만원)", "money", 10),
        Column("지출액 누계(백만원)", "money", 10),
        Column("집행잔액(백만원)", "money", 10),
        Column("집행률", "pct", 7),
        Column(f"{quarter}분기 제출", "int", 7),
    ]


def rollup_cells(group: Rollup) -> list:
    """A roll-up's cells in the order of ``rollup_columns``."""
    return [
        group.task_count,
        *(group.status_counts[status] for status in TaskStatus),
        group.score,
        group.left_out,
        group.available,
        group.spent,
        budget_rules.balance(available=group.available, spent=group.spent),
        _rate(group.execution_rate),
        group.submitted,
    ]


def summary_sheet(rollups: PlanRollups, quarter: int, title: str) -> Sheet:
    """Roll-ups by area and programme of the selected tasks as of ``quarter`` (as on the dashboard)."""
    areas, programmes = rollups.areas, rollups.programmes

    def rows() -> Iterator[list]:
        for area in areas:
            members = [p for p in programmes if p.key[0] == area.key]
            for group, level in [(area, "추진방안"), *[(p, "중점 추진과제") for p in members]]:
                yield [level, group.label, *rollup_cells(group)]

    columns = [Column("구분", width=9), Column("명칭", width=30), *rollup_columns(quarter)]
    return Sheet("요약", columns, rows(), notes=[title, "금액 단위: 백만원. 점수 규칙: 평가 기준(/criteria/)"])


def task_quarter_sheet(data: PlanData, explained: dict[tuple[int, int], str]) -> Sheet:
    """Every task × quarter with its report and the stored assessment's explanation."""
    by_task_period = {(r.task_id, r.period_id): r for r in data.reports}

    def rows() -> Iterator[list]:
        for task in data.tasks:
            for period in data.periods:
                report = by_task_period.get((task.pk, period.pk))
                yield [
                    task.number,
                    task.title,
                    task.department.name,
                    period.quarter,
                    report.get_status_display() if report else "미작성",
                    timezone.localtime(report.first_submitted_at) if report and report.first_submitted_at else None,
                    timezone.localtime(report.approved_at) if report and report.approved_at else None,
                    report.get_self_assessment_display() if report else "",
                    explained[(task.pk, period.quarter)],
                    report.achievements if report else "",
                    report.problems if report else "",
                    report.next_steps if report else "",
                    "예시 자료" if report and report.is_sample else "",
                ]

    columns = [
        Column("연번", "int", 5),
        Column("과제명", width=16),
        Column("주관부서", width=10),
        Column("분기", "int", 5),
        Column("보고 상태", width=7),
        Column("최초 제출", "datetime", 17),
        Column("승인", "datetime", 17),
        Column("자체 진단", width=7),
        Column("산출 진단", width=32),
        Column("주요 추진실적", width=24),
        Column("문제점 및 대책", width=14),
        Column("향후 계획", width=14),
        Column("비고", width=6),
    ]
    return Sheet("과제별 실적", columns, rows())


def indicator_sheet(data: PlanData) -> Sheet:
    tasks = {t.pk: t for t in data.tasks}

    starts = {p.pk: period_start(p) for p in data.periods}
    counted: dict[int, list] = {}
    for report in data.reports:
        if report.status in data.statuses:
            counted.setdefault(report.task_id, []).append(report)

    def rows() -> Iterator[list]:
        for report in sorted(data.reports, key=lambda r: (r.task_id, r.period.quarter)):
            task = tasks[report.task_id]
            results = {r.indicator_id: r for r in data.report_rows(report).indicator_results}
            for indicator in data.indicators.get(task.pk, []):
                result = results.get(indicator.pk)
                if result is None:
                    continue
                figure = indicator_figure_in(
                    data, report, indicator, counted.get(task.pk, []), starts[report.period_id]
                )
                yield [
                    task.number,
                    task.title,
                    indicator.name,
                    indicator.unit,
                    figure.target,
                    report.period.quarter,
                    report.get_status_display(),
                    result.actual,
                    figure.actual,
                    _rate(figure.rate),
                    rules.achievement_class(figure.rate) or "",
                    result.comment,
                    indicator.source_text,
                ]

    columns = [
        Column("연번", "int", 5),
        Column("과제명", width=18),
        Column("지표", width=20),
        Column("단위", width=6),
        Column("목표", "decimal", 9),
        Column("분기", "int", 5),
        Column("보고 상태", width=7),
        Column("실적", "decimal", 9),
        Column("누계 실적", "decimal", 9),
        Column("달성률", "pct", 7),
        Column("달성 구분", width=7),
        Column("설명", width=18),
        Column("원문", width=30),
    ]
    return Sheet("성과지표", columns, rows())


def milestone_sheet(data: PlanData) -> Sheet:
    today = timezone.localdate()
    as_of = {p.quarter: rules.judged_on(year=data.plan.year, quarter=p.quarter, today=today) for p in data.periods}
    tasks = {t.pk: t for t in data.tasks}

    def rows() -> Iterator[list]:
        for report in sorted(data.reports, key=lambda r: (r.task_id, r.period.quarter)):
            task = tasks[report.task_id]
            progress_of = {p.milestone_id: p for p in data.report_rows(report).milestone_progress}
            for m in data.milestones.get(task.pk, []):
                progress = progress_of.get(m.pk)
                if progress is None:
                    continue
                fact = scoring.MilestoneFact(m.title, m.end, progress.status, progress.actual_end)
                yield [
                    task.number,
                    task.title,
                    m.date_text,
                    m.title,
                    m.start,
                    m.end,
                    report.period.quarter,
                    progress.get_status_display(),
                    progress.actual_start,
                    progress.actual_end,
                    scoring.milestone_days_late(fact, as_of[report.period.quarter]),
                    progress.delay_reason,
                ]

    columns = [
        Column("연번", "int", 5),
        Column("과제명", width=18),
        Column("일정(원문)", width=12),
        Column("내용", width=30),
        Column("계획 시작", "date", 11),
        Column("계획 종료", "date", 11),
        Column("분기", "int", 5),
        Column("진행 상태", width=7),
        Column("실제 시작", "date", 11),
        Column("실제 완료", "date", 11),
        Column("지연 일수", "int", 6),
        Column("지연 사유", width=22),
    ]
    return Sheet("추진일정", columns, rows())


def _budget_tables(data: PlanData) -> dict[int, BudgetTable]:
    """The selected tasks' budget tables with columns, lines and amounts (four queries, whatever the size)."""
    tables = BudgetTable.objects.filter(task__in=data.task_ids).prefetch_related(
        "columns",
        "lines",
        Prefetch("lines__amounts", queryset=BudgetAmount.objects.select_related("column").order_by("column__order")),
    )
    return {t.task_id: t for t in tables}


def budget_sheet(data: PlanData, quarter: int) -> Sheet:
    """Per budget line and year column: the plan's amounts, printed vs computed totals, and execution."""
    latest = data.latest_reports(quarter)
    year = data.plan.year
    tables = _budget_tables(data)

    def rows() -> Iterator[list]:
        for task in data.tasks:
            table = tables.get(task.pk)
            if table is None or table.non_budget:
                yield [task.number, task.title, "비예산" if table else "예산 정보 없음", *[None] * 11]
                continue
            summary = budget_summary(table)
            report = latest.get(task.pk)
            executions = data.report_rows(report).budget_executions if report else []
            spent = {e.budget_line_id: e.spent_to_date for e in executions}
            for line in summary.lines:
                available = budget_rules.available_budget(amounts=list(line.line.amounts.all()), year=year).amount
                line_spent = spent.get(line.line.pk)
                balance = budget_rules.balance(available=available, spent=line_spent)
                rate = budget_rules.execution_rate(spent=line_spent, available=available)
                for column, amount in zip(summary.columns, line.cells, strict=True):
                    yield [
                        task.number,
                        task.title,
                        line.line.name,
                        column.column.label,
                        amount,
                        line.printed_total,
                        line.computed_total,
                        "불일치" if line.mismatch else "",
                        available,
                        spent.get(line.line.pk),
                        balance,
                        _rate(rate),
                        line.line.note,
                        table.funding_note,
                    ]
            yield [
                task.number,
                task.title,
                "계(표 전체)",
                "",
                None,
                summary.printed_total,
                summary.computed_total,
                "; ".join(summary.flags),
                None,
                None,
                None,
                None,
                table.note,
                table.funding_note,
            ]

    columns = [
        Column("연번", "int", 5),
        Column("과제명", width=14),
        Column("사업내용", width=30),
        Column("연도 열", width=7),
        Column("계획 금액(백만원)", "money", 10),
        Column("인쇄된 계(백만원)", "money", 10),
        Column("계산 합계(백만원)", "money", 10),
        Column("원문 합계 불일치", width=14),
        Column(f"예산현액 {year}(백만원)", "money", 10),
        Column("지출액 누계(백만원)", "money", 10),
        Column("집행잔액(백만원)", "money", 10),
        Column("집행률", "pct", 7),
        Column("해석 메모", width=14),
        Column("재원", width=8),
    ]
    return Sheet(
        "예산", columns, rows(), notes=["소요예산: 계획 원문의 금액과 인쇄된 계를 그대로, 계산 합계를 옆에 둠"]
    )


def _scores(plan: Plan, task_ids: QuerySet) -> tuple[Evaluation | None, QuerySet | list]:
    evaluation = Evaluation.objects.filter(plan=plan).select_related("weights").first()
    if evaluation is None:
        return None, []
    return evaluation, evaluation.scores.filter(task__in=task_ids).select_related("task", "adjusted_by").order_by(
        "task__number"
    )


def evaluation_sheet(plan: Plan, task_ids: QuerySet) -> Sheet:
    evaluation, scores = _scores(plan, task_ids)
    state = f"{evaluation.get_status_display()} (가중치 버전 {evaluation.weights.version})" if evaluation else "미실행"

    def rows() -> Iterator[list]:
        for s in scores:
            yield [
                s.task.number,
                s.task.title,
                s.indicator_score,
                s.milestone_score,
                s.budget_score,
                s.timeliness_score,
                s.computed_total,
                s.adjusted_total,
                s.adjustment_reason,
                s.adjusted_by.get_full_name() if s.adjusted_by else "",
                s.grade,
                s.provenance.get("weights_version"),
                ", ".join(str(i) for i in s.provenance.get("report_ids", [])),
                s.provenance.get("status", ""),
            ]

    columns = [
        Column("연번", "int", 5),
        Column("과제명", width=20),
        *(Column(label, "decimal", 7) for label in scoring.COMPONENT_LABELS.values()),
        Column("산출 점수", "decimal", 7),
        Column("조정 점수", "decimal", 7),
        Column("조정 사유", width=20),
        Column("조정자", width=8),
        Column("등급", width=5),
        Column("가중치 버전", "int", 7),
        Column("사용한 보고", width=10),
        Column("진단", width=40),
    ]
    return Sheet("평가 결과", columns, rows(), notes=[f"추진실적 평가: {state}", "산출 근거: '산출 근거' 시트"])


def provenance_sheet(plan: Plan, task_ids: QuerySet) -> Sheet:
    """Each score's provenance, one row per part and per figure (each figure as JSON), so that every row
    fits a printed page; one JSON cell per score ran to 2,000 characters, taller than a row may be."""
    _, scores = _scores(plan, task_ids)

    def rows() -> Iterator[list]:
        for s in scores:
            for key, value in s.provenance.items():
                label = scoring.PROVENANCE_LABELS.get(key, key)
                for item in value if isinstance(value, list) and key != "report_ids" else [value]:
                    yield [s.task.number, s.task.title, label, json.dumps(item, ensure_ascii=False)]

    columns = [
        Column("연번", "int", 5),
        Column("과제명", width=20),
        Column("항목", width=12),
        Column("내용(JSON)", width=80),
    ]
    return Sheet(
        "산출 근거", columns, rows(), notes=["평가 점수의 산출 근거: 점수 화면(/evaluation/)의 '산출 근거'와 같음"]
    )


# A history entry's first cells and their columns, shared by the sheets that list entries of reports' histories.
EVENT_COLUMNS = [
    Column("일시", "datetime", 17),
    Column("분기", "int", 5),
    Column("연번", "int", 5),
    Column("과제명", width=20),
]


def _event_cells(e: ReportEvent) -> list:
    return [timezone.localtime(e.at), e.report.period.quarter, e.report.task.number, e.report.task.title]


def actor_name(e: ReportEvent) -> str:
    return e.actor.get_full_name() or e.actor.get_username()


def late_change_sheet(plan: Plan, task_ids: QuerySet) -> Sheet:
    events = (
        ReportEvent.objects.filter(report__period__plan=plan, report__task__in=task_ids, exception__isnull=False)
        .select_related("report__task", "report__period", "actor", "exception")
        .order_by("at")
    )

    def rows() -> Iterator[list]:
        for e in events.iterator(chunk_size=500):
            changes = "; ".join(
                f"{c['label']}: {rules.choice_label(c['field'], c['old'])} → {rules.choice_label(c['field'], c['new'])}"
                for c in e.changes
            )
            yield [*_event_cells(e), e.get_action_display(), actor_name(e), e.exception.reason, changes]

    columns = [
        *EVENT_COLUMNS,
        Column("처리", width=8),
        Column("처리자", width=10),
        Column("예외 사유", width=24),
        Column("변경 내용", width=50),
    ]
    return Sheet("마감 후 변경", columns, rows())


def discussion_sheet(plan: Plan, task_ids: QuerySet) -> Sheet:
    """Every report's discussion, for the planning office: the entries of the report page's 논의."""
    events = (
        discussion_of(ReportEvent.objects.filter(report__period__plan=plan, report__task__in=task_ids))
        .select_related("report__task", "report__period", "actor")
        .order_by("report__task__number", "report__period__quarter", "at", "pk")
    )

    def rows() -> Iterator[list]:
        for e in events.iterator(chunk_size=500):
            yield [*_event_cells(e), e.get_action_display(), actor_name(e), e.comment]

    columns = [*EVENT_COLUMNS, Column("구분", width=6), Column("작성자", width=10), Column("의견", width=60)]
    notes = ["보고별 논의: 보고 화면의 '논의'와 같음 (담당자·검토자의 의견, 반려·재개 의견)"]
    return Sheet("보고 논의", columns, rows(), notes=notes)


# Tasks loaded and written at a time: the workbook's memory stays flat whatever the plan's size
# (one load of the plan figures per thousand tasks; the sheets are written side by side).
CHUNK = 1000


def task_slices(selection: WorkbookFilter) -> Iterator[tuple[QuerySet, PlanData]]:
    ids = list(selection.tasks().order_by("number").values_list("pk", flat=True))
    for start in range(0, max(len(ids), 1), CHUNK):  # an empty selection still gets its (empty) sheets
        tasks = Task.objects.filter(pk__in=ids[start : start + CHUNK])
        yield tasks, plan_data(plan=selection.plan, tasks=tasks)


def evaluation_sheets(selection: WorkbookFilter, title: str) -> Iterator[Sheet]:
    """The workbook's sheets in the order they are written; a sheet of tasks comes in one part per slice."""
    plan = selection.plan
    rollups = plan_rollups(
        stored_judging_missing(plan=plan, tasks=selection.tasks(), weights=weights_current()), quarter=selection.quarter
    )
    yield summary_sheet(rollups, selection.quarter, title)
    for tasks, data in task_slices(selection):
        yield task_quarter_sheet(data, explanations(plan=plan, tasks=tasks))
        yield indicator_sheet(data)
        yield milestone_sheet(data)
        yield budget_sheet(data, selection.quarter)
    task_ids = selection.tasks().values("pk")
    yield evaluation_sheet(plan, task_ids)
    yield provenance_sheet(plan, task_ids)
    yield late_change_sheet(plan, task_ids)
    yield discussion_sheet(plan, task_ids)


def workbook_title(selection: WorkbookFilter) -> str:
    return f"{selection.plan.title} 평가 자료 ({selection.describe()})"


def workbook_filename(selection: WorkbookFilter, day: datetime.date) -> str:
    return f"gov30-{selection.plan.year}-평가자료-{selection.quarter}분기-{day:%Y%m%d}.xlsx"


def _told(sheets: Iterator[Sheet], selection: WorkbookFilter, progress: Progress) -> Iterator[Sheet]:
    """``sheets``, telling ``progress`` before each part is written (the parts are counted beforehand)."""
    slices = max(math.ceil(selection.tasks().count() / CHUNK), 1)
    total = 1 + 4 * slices + 4  # the summary, four sheets a slice, the four plan-wide sheets
    for done, sheet in enumerate(sheets):
        progress(done, total, f"{sheet.title} 시트 작성 중")
        yield sheet
    progress(total, total, "파일 마무리 중")


def evaluation_workbook(path, selection: WorkbookFilter, *, now=None, progress: Progress | None = None) -> None:
    """Write the evaluation workbook for ``selection`` to ``path`` (a file name or a binary file), telling
    ``progress`` (done, total, stage) how far it is when given one.

    Assessments are the stored ones (``reports.evaluation.assessments``), as on the dashboard."""
    title = workbook_title(selection)
    created = timezone.localtime(now or timezone.now())
    sheets = evaluation_sheets(selection, title)
    if progress is not None:
        sheets = _told(sheets, selection, progress)
    write_sheets(path, sheets, title=title, created=created)
