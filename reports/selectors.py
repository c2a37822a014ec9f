"""Named read queries for quarterly reporting pages."""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from initiatives.models import Plan, Task
from reports import permissions, rules
from reports.models import ProgressReport, ReportEvent, ReportingPeriod


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


def task_report_matrix(*, tasks: QuerySet[Task], periods: list[ReportingPeriod], today: datetime.date) -> list[TaskRow]:
    """Each task × each quarter: its report (if any) and whether it is overdue. Two queries."""
    tasks = tasks.select_related("department").prefetch_related(
        Prefetch("reports", queryset=ProgressReport.objects.filter(period__in=periods), to_attr="period_reports")
    )
    rows = []
    for task in tasks.order_by("number"):
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
