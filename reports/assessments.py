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
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable

from django.db.models import Count, F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from initiatives.models import Department, Plan, Programme, Task
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


def _plan_year_column(data: PlanData, task: Task, year: int) -> list:
    """The budget column that holds the plan year's amounts: where the budget chart puts the task's spending."""
    for line in data.budget_lines(task):
        for amount in line.amounts:
            column = amount.column
            if rules.column_covers_year(from_year=column.from_year, to_year=column.to_year, year=year):
                return [column.to_year, column.from_year or 0, column.label]
    return [year, year, f"'{year % 100}년"]


def _row(data: PlanData, view: TaskView, period: ReportingPeriod, as_of: datetime.date) -> TaskAssessment:
    pairs = [(b.spent, b.available) for b in view.facts.budgets if b.spent is not None and b.available]
    due = [s for s in view.facts.submissions if s.due_on < as_of]
    report = view.report
    components = view.assessment.components
    quarter_over = as_of >= scoring.quarter_end(data.plan.year, period.quarter)
    return TaskAssessment(
        task_id=view.task.pk,
        period=period,
        revision=view.task.revision,
        as_of=as_of,
        valid_until=None if quarter_over else as_of,
        status=view.assessment.status or "",
        reasons=view.assessment.reasons,
        indicator=components["indicator"],
        milestone=components["milestone"],
        budget=components["budget"],
        timeliness=components["timeliness"],
        available=view.available,
        spent=view.spent,
        rate_spent=sum(s for s, _ in pairs) if pairs else None,
        rate_available=sum(a for _, a in pairs) if pairs else None,
        budget_column=_plan_year_column(data, view.task, data.plan.year),
        report=report,
        report_quarter=report.period.quarter if report else None,
        report_status=report.status if report else "",
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
        rows = [
            _row(data, view, period, facts.as_of)
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


def assessments_ensure(*, plan: Plan) -> int:
    """Recompute only the plan's tasks without a current row for every quarter (the nightly run)."""
    complete = (
        _current(plan, plan.tasks.all(), timezone.localdate())
        .values("task_id")
        .annotate(quarters=Count("pk"))
        .filter(quarters=4)
        .values("task_id")
    )
    return assessments_refresh(plan=plan, tasks=plan.tasks.exclude(pk__in=complete))


# ---------------------------------------------------------------- reading


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
    assessment: scoring.Assessment
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
        return scoring.execution_rate(self.rate_facts())

    def rate_facts(self) -> list[scoring.BudgetFact]:
        if self.rate_spent is None:
            return []
        return [scoring.BudgetFact("", self.rate_available, self.rate_spent, self.report_id)]

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


READ_FIELDS = (
    "task_id",
    "period__quarter",
    "status",
    "reasons",
    "indicator",
    "milestone",
    "budget",
    "timeliness",
    "available",
    "spent",
    "rate_spent",
    "rate_available",
    "budget_column",
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
    departments = {d.pk: d for d in Department.objects.filter(tasks__in=tasks.values("pk")).distinct()}
    return {
        pk: TaskRow(pk, number, title, programmes[programme_id], departments[department_id])
        for pk, number, title, programme_id, department_id in tasks.order_by("number").values_list(
            "pk", "number", "title", "programme_id", "department_id"
        )
    }


def stored_views(*, plan: Plan, tasks: QuerySet, quarter: int) -> tuple[list[StoredView], dict[int, list[StoredView]]]:
    """The selected tasks' stored assessments for ``quarter`` (in task order), and every quarter's for the
    trend; rows that are missing or out of date are recomputed first."""
    today = timezone.localdate()
    task_rows = _task_rows(plan, tasks)
    current = _current(plan, tasks, today)
    rows = list(current.values_list(*READ_FIELDS))
    missing = set(task_rows) - _complete(rows)
    if missing:
        assessments_refresh(plan=plan, tasks=Task.objects.filter(pk__in=missing))
        rows = list(current.values_list(*READ_FIELDS))
    by_quarter: dict[int, list[StoredView]] = defaultdict(list)
    for task_id, row_quarter, status, reasons, *values in rows:
        components, (available, spent, rate_spent, rate_available, column, *report) = values[:4], values[4:]
        view = StoredView(
            task_rows[task_id],
            row_quarter,
            scoring.Assessment(dict(zip(scoring.COMPONENTS, components, strict=True)), status or None, reasons),
            available,
            spent,
            rate_spent,
            rate_available,
            tuple(column),
            *report,
        )
        by_quarter[row_quarter].append(view)
    for views in by_quarter.values():
        views.sort(key=lambda v: v.task.number)
    return by_quarter[quarter], by_quarter


def _complete(rows: list[tuple]) -> set[int]:
    """Tasks with a current row for each of the four quarters."""
    quarters: dict[int, int] = defaultdict(int)
    for row in rows:
        quarters[row[0]] += 1
    return {task_id for task_id, count in quarters.items() if count == 4}
