"""Stored assessments: each task × quarter judged once and kept, so that a dashboard reads one row per task.

The rows are computed by ``evaluation.assemble`` — the rules of ``reports.scoring``, as the annual
evaluation uses them — and hold what the dashboards show: status and reasons, the four components,
budget figures, the counted report and the reporting discipline. A row is current while its
``revision`` equals its task's; ``tasks_changed`` bumps that number whenever something the row was
computed from changes (a report or its rows, the plan's milestones, indicators, targets and budget, the
quarters' dates — see ``reports.signals``), and the next read recomputes the tasks whose rows are not
current. A quarter not yet over is judged at today's date, so its rows also expire at the end of the
day (``valid_until``); ``manage.py refresh_assessments`` recomputes them at night, ahead of the first
reader. Changing the rules themselves needs the same command, run once after the deployment.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Iterable, NamedTuple

from django.db.models import Count, F, Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone

from initiatives.models import Plan, Programme, Task
from reports import rules, scoring
from reports.evaluation import PlanData, TaskView, plan_data
from reports.models import ProgressReport, ReportingPeriod, TaskAssessment
from reports.services import periods_ensure

REPORT_STATUS_LABELS = dict(ProgressReport.Status.choices)
SELF_ASSESSMENT_LABELS = dict(ProgressReport.SelfAssessment.choices)

# Tasks judged at a time when rows are recomputed: memory stays flat on a large plan.
CHUNK = 1000


def tasks_changed(task_ids: Iterable[int] | QuerySet) -> None:
    """Mark the tasks' stored assessments out of date (they are recomputed when next read)."""
    Task.objects.filter(pk__in=task_ids).update(revision=F("revision") + 1)


# ---------------------------------------------------------------- computing and storing


def _plan_year_column(data: PlanData, task: Task, year: int) -> tuple[int, int, str]:
    """The budget column that holds the plan year's amounts: where the budget chart puts the task's spending."""
    for line in data.budget_lines(task):
        for amount in line.amounts:
            column = amount.column
            if rules.column_covers_year(from_year=column.from_year, to_year=column.to_year, year=year):
                return column.to_year, column.from_year or 0, column.label
    return year, year, f"'{year % 100}년"


def _row(data: PlanData, view: TaskView, period: ReportingPeriod, as_of: datetime.date, own: dict) -> TaskAssessment:
    pairs = [(b.spent, b.available) for b in view.facts.budgets if b.spent is not None and b.available]
    due = [s for s in view.facts.submissions if s.due_on < as_of]
    report = view.report
    components = view.assessment.components
    quarter_over = as_of >= scoring.quarter_end(data.plan.year, period.quarter)
    column_to_year, column_from_year, column_label = _plan_year_column(data, view.task, data.plan.year)
    return TaskAssessment(
        task_id=view.task.pk,
        period=period,
        revision=view.task.revision,
        as_of=as_of,
        valid_until=None if quarter_over else as_of,
        status=view.assessment.status or "",
        explanation=view.assessment.explanation,
        indicator=components["indicator"],
        milestone=components["milestone"],
        budget=components["budget"],
        timeliness=components["timeliness"],
        available=view.available,
        spent=view.spent,
        rate_spent=sum(s for s, _ in pairs) if pairs else None,
        rate_available=sum(a for _, a in pairs) if pairs else None,
        column_to_year=column_to_year,
        column_from_year=column_from_year,
        column_label=column_label,
        report=report,
        report_quarter=report.period.quarter if report else None,
        report_status=report.status if report else "",
        own_report_status=own.get((view.task.pk, period.pk), ""),
        self_assessment=report.self_assessment if report else "",
        is_sample=bool(report and report.is_sample),
        submissions_due=len(due),
        submissions_on_time=sum(1 for s in due if s.first_submitted_on and s.first_submitted_on <= s.due_on),
        returns=sum(s.returns for s in view.facts.submissions),
    )


STORED_FIELDS = [f.name for f in TaskAssessment._meta.concrete_fields if f.name not in ("id", "task", "period")]


def assessments_refresh(*, plan: Plan, tasks: QuerySet | None = None) -> int:
    """Judge the tasks (all the plan's by default) for every quarter and store the rows; returns tasks done."""
    periods = periods_ensure(plan=plan)
    selected = tasks if tasks is not None else plan.tasks.all()
    ids = list(selected.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        data = plan_data(plan=plan, tasks=Task.objects.filter(pk__in=ids[start : start + CHUNK]))
        own = {(r.task_id, r.period_id): r.status for r in data.reports}
        rows = [
            _row(data, view, period, facts.as_of, own)
            for period in periods
            for facts in [data.facts(period.quarter)]
            for view in facts.tasks
        ]
        TaskAssessment.objects.bulk_create(
            rows,
            batch_size=500,
            update_conflicts=True,
            unique_fields=["task", "period"],
            update_fields=STORED_FIELDS,
        )
    return len(ids)


def assessments_ensure(*, plan: Plan, tasks: QuerySet | None = None) -> int:
    """Recompute only the tasks (the plan's by default) without a current row for every quarter."""
    tasks = tasks if tasks is not None else plan.tasks.all()
    complete = (
        _current(plan, tasks, timezone.localdate())
        .values("task_id")
        .annotate(quarters=Count("pk"))
        .filter(quarters=4)
        .values("task_id")
    )
    return assessments_refresh(plan=plan, tasks=tasks.exclude(pk__in=complete))


# ---------------------------------------------------------------- reading


class DepartmentRow(NamedTuple):
    pk: int
    name: str


class TaskRow:
    """The task columns a dashboard shows, with its programme and department objects shared between rows."""

    __slots__ = ("pk", "number", "title", "programme", "department", "department_id")

    def __init__(self, pk, number, title, programme, department) -> None:
        self.pk, self.number, self.title = pk, number, title
        self.programme, self.department, self.department_id = programme, department, department.pk

    def get_absolute_url(self) -> str:
        return reverse("reports:task-detail", args=[self.pk])


@dataclass
class StoredView:
    """A stored assessment shaped for roll-ups (``evaluation.rollups``) and the dashboard's table."""

    task: TaskRow
    quarter: int
    assessment: scoring.Assessment  # status and components (the reasons are in ``explanation``)
    explanation: str
    available: int | None
    spent: int | None
    rate_spent: int | None
    rate_available: int | None
    budget_column: tuple
    report_id: int | None
    report_quarter: int | None
    report_status: str
    self_assessment: str
    is_sample: bool
    submissions_due: int
    submissions_on_time: int
    returns: int

    @property
    def execution_rate(self) -> Decimal | None:
        return scoring.execution_rate(rate_facts(self.rate_spent, self.rate_available))

    @property
    def budget_weight(self) -> Decimal:
        return Decimal(self.available or 0)

    @property
    def submitted(self) -> bool:
        return self.report_quarter == self.quarter

    @property
    def report_label(self) -> str:
        if self.report_id is None:
            return "없음"
        return f"{self.report_quarter}분기 {REPORT_STATUS_LABELS[self.report_status]}"

    @property
    def self_assessment_label(self) -> str | None:
        return SELF_ASSESSMENT_LABELS.get(self.self_assessment) if self.report_id else None

    @property
    def report_url(self) -> str:
        return reverse("reports:report-detail", args=[self.report_id]) if self.report_id else ""


def rate_facts(spent: int | None, available: int | None) -> list[scoring.BudgetFact]:
    """Σ 지출액 누계 and Σ 예산현액 of the lines with both, as one fact for ``scoring.execution_rate``."""
    return [] if spent is None else [scoring.BudgetFact("", available, spent)]


@dataclass
class QuarterTotals:
    """Sums over a selection's rows for one quarter, made by the database (trend and completeness charts)."""

    rows: int = 0
    indicator_sum: Decimal = Decimal(0)
    indicator_count: int = 0
    rate_spent: int | None = None
    rate_available: int | None = None
    reports: Counter = field(default_factory=Counter)  # the quarter's own reports by status ("" none)

    def add(self, count: int, indicator_sum, indicator_count: int, spent, available) -> None:
        self.rows += count
        self.indicator_sum += indicator_sum or 0
        self.indicator_count += indicator_count
        if spent is not None:
            self.rate_spent = (self.rate_spent or 0) + spent
            self.rate_available = (self.rate_available or 0) + (available or 0)


READ_FIELDS = (
    "task_id",
    "period__quarter",
    "status",
    "explanation",
    "indicator",
    "milestone",
    "budget",
    "timeliness",
    "available",
    "spent",
    "rate_spent",
    "rate_available",
    "column_to_year",
    "column_from_year",
    "column_label",
    "report_id",
    "report_quarter",
    "report_status",
    "self_assessment",
    "is_sample",
    "submissions_due",
    "submissions_on_time",
    "returns",
)


def _current(plan: Plan, tasks: QuerySet, today: datetime.date) -> QuerySet:
    return TaskAssessment.objects.filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=today),
        period__plan=plan,
        task__in=tasks.values("pk"),
        revision=F("task__revision"),
    )


def _task_rows(plan: Plan, tasks: QuerySet) -> dict[int, TaskRow]:
    programmes = {p.pk: p for p in Programme.objects.filter(strategic_area__plan=plan).select_related("strategic_area")}
    departments: dict[int, DepartmentRow] = {}
    rows = tasks.order_by("number").values_list(
        "pk", "number", "title", "programme_id", "department_id", "department__name"
    )
    return {
        pk: TaskRow(
            pk,
            number,
            title,
            programmes[programme_id],
            departments.setdefault(department_id, DepartmentRow(department_id, department_name)),
        )
        for pk, number, title, programme_id, department_id, department_name in rows
    }


def stored_views(
    *, plan: Plan, tasks: QuerySet, quarter: int, status: str | None = None
) -> tuple[list[StoredView], dict[int, QuarterTotals]]:
    """The selected tasks' stored assessments for ``quarter`` in task order (only those of ``status`` when
    given; "" is 판단 불가), and every quarter's totals over them. Rows missing or out of date are
    recomputed first."""
    task_rows = _task_rows(plan, tasks)
    current = _current(plan, tasks, timezone.localdate())
    for attempt in range(3):
        rows = list(current.filter(period__quarter=quarter).values_list(*READ_FIELDS))
        shown = [row for row in rows if status is None or row[2] == status]
        of_shown = current.filter(task__in=current.filter(period__quarter=quarter, status=status).values("task_id"))
        totals = _totals(current if status is None else of_shown)
        if len(rows) == len(task_rows) and all(totals[q].rows == len(shown) for q in range(1, 5)):
            break
        if attempt == 0:
            assessments_ensure(plan=plan, tasks=tasks)
        else:  # a write came between the refresh and this read: show the rows just made, judge again next time
            current = TaskAssessment.objects.filter(period__plan=plan, task__in=tasks.values("pk"))
    views = [_view(task_rows[row[0]], row) for row in shown]
    views.sort(key=lambda v: v.task.number)
    return views, totals


def explanations(*, plan: Plan, tasks: QuerySet) -> dict[tuple[int, int], str]:
    """(task pk, quarter) → the stored explanation, for tasks whose rows ``stored_views`` has just made current."""
    rows = TaskAssessment.objects.filter(period__plan=plan, task__in=tasks.values("pk"))
    return {
        (task_id, quarter): text
        for task_id, quarter, text in rows.values_list("task_id", "period__quarter", "explanation")
    }


def tasks_with_status(*, plan: Plan, tasks: QuerySet, quarter: int, status: str) -> QuerySet:
    """The tasks whose current row for ``quarter`` has ``status`` (a subquery, not a list of ids)."""
    rows = _current(plan, tasks, timezone.localdate()).filter(period__quarter=quarter, status=status)
    return tasks.filter(pk__in=rows.values("task_id"))


def _view(task: TaskRow, row: tuple) -> StoredView:
    _, quarter, status, explanation, *values = row
    components, (available, spent, rate_spent, rate_available, *column), report = values[:4], values[4:11], values[11:]
    return StoredView(
        task,
        quarter,
        scoring.Assessment(dict(zip(scoring.COMPONENTS, components, strict=True)), status or None, []),
        explanation,
        available,
        spent,
        rate_spent,
        rate_available,
        tuple(column),
        *report,
    )


def _totals(rows: QuerySet) -> dict[int, QuarterTotals]:
    totals = {q: QuarterTotals() for q in range(1, 5)}
    sums = (
        rows.values_list("period__quarter", "own_report_status")
        .annotate(Count("pk"), Sum("indicator"), Count("indicator"), Sum("rate_spent"), Sum("rate_available"))
        .order_by()
    )
    for quarter, own_status, count, *figures in sums:
        totals[quarter].add(count, *figures)
        totals[quarter].reports[own_status] += count
    return totals
