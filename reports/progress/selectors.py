"""Named read queries for quarterly reporting pages."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Prefetch, QuerySet

from initiatives.models import Plan, Task
from reports.models import ProgressReport, ReportEvent, ReportingPeriod
from reports.progress import permissions, rules


def periods_for_plan(*, plan: Plan) -> list[ReportingPeriod]:
    return list(ReportingPeriod.objects.filter(plan=plan).select_related("plan").order_by("quarter"))


@dataclass
class Cell:
    period: ReportingPeriod
    report: ProgressReport | None
    overdue: bool


@dataclass
class TaskRow:
    task: Task
    cells: list[Cell]

    @property
    def overdue(self) -> bool:
        return any(cell.overdue for cell in self.cells)


def task_matrix_tasks(*, tasks: QuerySet[Task], periods: list[ReportingPeriod]) -> QuerySet[Task]:
    """The tasks in number order with their department and their reports of ``periods`` (two queries).

    Slice it (one page) before handing it to ``task_report_rows``.
    """
    return (
        tasks.select_related("department")
        .prefetch_related(
            Prefetch("reports", queryset=ProgressReport.objects.filter(period__in=periods), to_attr="period_reports")
        )
        .order_by("number")
    )


def task_report_rows(*, tasks: Iterable[Task], periods: list[ReportingPeriod], today: datetime.date) -> list[TaskRow]:
    """Each task × each quarter: its report (if any) and whether it is overdue; tasks from ``task_matrix_tasks``."""
    rows = []
    for task in tasks:
        by_period = {r.period_id: r for r in task.period_reports}
        cells = []
        for period in periods:
            report = by_period.get(period.pk)
            overdue = period.state != ReportingPeriod.State.SCHEDULED and rules.is_overdue(
                due_on=period.due_on, today=today, status=report.status if report else None
            )
            cells.append(Cell(period=period, report=report, overdue=overdue))
        rows.append(TaskRow(task=task, cells=cells))
    return rows


def _statuses_on_time() -> list[str]:
    """The statuses that stop a quarter being overdue, asked of the rule so that it stays in one place."""
    long_ago, now = datetime.date.min, datetime.date.max
    return [s for s in ProgressReport.Status.values if not rules.is_overdue(due_on=long_ago, today=now, status=s)]


def overdue_cells(*, plan: Plan, periods: list[ReportingPeriod], today: datetime.date) -> QuerySet[Task]:
    """One row per task × quarter that is overdue, in task then quarter order, counted and sliced in the database.

    A quarter counts once it has started (not 예정) and its due date has passed; the task is overdue in
    it unless its report is submitted or approved (``rules.is_overdue``). Each row is a ``Task`` with
    ``overdue_period_id`` and its draft or returned reports of those quarters in ``open_reports``:
    ``overdue_rows`` turns a page of them into (task, cell) pairs. Count, page and reports: three queries.
    """
    due = [
        p.pk
        for p in periods
        if p.state != ReportingPeriod.State.SCHEDULED and rules.is_overdue(due_on=p.due_on, today=today, status=None)
    ]
    on_time = ProgressReport.objects.filter(
        task=OuterRef("pk"), period=OuterRef("overdue_period_id"), status__in=_statuses_on_time()
    )
    return (
        Task.objects.filter(plan=plan)
        .annotate(overdue_period_id=F("plan__periods"), overdue_quarter=F("plan__periods__quarter"))
        .filter(overdue_period_id__in=due)
        .exclude(Exists(on_time))
        .select_related("department")
        .prefetch_related(
            Prefetch(
                "reports",
                queryset=ProgressReport.objects.filter(period__in=due).exclude(status__in=_statuses_on_time()),
                to_attr="open_reports",
            )
        )
        .order_by("number", "overdue_quarter")
    )


def overdue_rows(*, tasks: Iterable[Task], periods: list[ReportingPeriod]) -> list[tuple[Task, Cell]]:
    """(task, cell) pairs for rows of ``overdue_cells``: the quarter and the unsubmitted report, if any."""
    by_pk = {p.pk: p for p in periods}
    rows = []
    for task in tasks:
        report = next((r for r in task.open_reports if r.period_id == task.overdue_period_id), None)
        rows.append((task, Cell(period=by_pk[task.overdue_period_id], report=report, overdue=True)))
    return rows


def reports_with_status(*, user, status: str) -> QuerySet[ProgressReport]:
    return (
        permissions.reports_for_user(user)
        .filter(status=status)
        .select_related("task__department", "period__plan", "submitted_by", "returned_by")
        .order_by("period__quarter", "task__number")
    )


def report_history(*, report: ProgressReport) -> QuerySet[ReportEvent]:
    return report.events.select_related("actor", "exception").order_by("at", "pk")


def late_change_register(*, plan: Plan) -> QuerySet[ReportEvent]:
    """Every change made to a report of a closed quarter under an exception, with its reason."""
    return (
        ReportEvent.objects.filter(report__period__plan=plan, exception__isnull=False)
        .select_related("report__task__department", "report__period", "actor", "exception__granted_by")
        .order_by("-at")
    )
