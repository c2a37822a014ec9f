"""Named read queries for quarterly reporting pages."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, prefetch_related_objects
from django.utils import timezone

from budgets import rules as budget_rules
from budgets.models import BudgetAmount
from initiatives.models import Indicator, Plan, Task
from reports.models import IndicatorResult, ProgressReport, ReportEvent, ReportingPeriod
from reports.progress import permissions, rules


def target_in_force(*, indicator: Indicator, at: datetime.datetime) -> Decimal:
    """The target as it stood at ``at``: the old value of the first change made after it, else the current one."""
    later = [c for c in indicator.target_changes.all() if c.changed_at > at]
    return later[0].old_target if later else indicator.target


def period_start(period: ReportingPeriod) -> datetime.datetime:
    """When the quarter opened: the moment whose targets its reports are judged against."""
    return timezone.make_aware(datetime.datetime.combine(period.opens_on, datetime.time.min))


COUNTED = (ProgressReport.Status.SUBMITTED, ProgressReport.Status.APPROVED)


@dataclass(frozen=True)
class IndicatorFigure:
    """An indicator's achievement in a report: the target in force, the actual to date and the 달성률."""

    target: Decimal
    actual: Decimal | None
    rate: Decimal | None


def indicator_figure(
    *, indicator: Indicator, at: datetime.datetime, earlier: list[Decimal | None], value: Decimal | None
) -> IndicatorFigure:
    """The figure of ``value`` reported after the counted ``earlier`` values (quarter order)."""
    target = target_in_force(indicator=indicator, at=at)
    actual = rules.actual_to_date(cumulative=indicator.cumulative, values=[*earlier, value])
    rate = rules.achievement_rate(actual=actual, target=target, higher_is_better=indicator.higher_is_better)
    return IndicatorFigure(target=target, actual=actual, rate=rate)


def line_amounts() -> Prefetch:
    """For budget execution rows: their line's amounts with the columns (years) ``budget_rules.available_budget``
    reads, in one query."""
    return Prefetch("budget_line__amounts", queryset=BudgetAmount.objects.select_related("column"))


def indicator_figures(
    *,
    task_id: int,
    period: ReportingPeriod,
    values: dict[int, Decimal | None],
    indicators: list[Indicator] | None = None,
) -> dict[int, IndicatorFigure]:
    """Indicator pk → its figure in the task's report of ``period``, for ``values`` (typed or stored) after the
    task's earlier submitted or approved quarters. ``indicators``: those of ``values`` when already in memory
    (the report's rows carry them). Three queries, two with ``indicators``: the indicators, their target changes,
    the earlier values."""
    if indicators is None:
        indicators = Indicator.objects.filter(pk__in=values).prefetch_related("target_changes")
    else:
        prefetch_related_objects(indicators, "target_changes")
    earlier: dict[int, list[Decimal | None]] = {pk: [] for pk in values}
    rows = IndicatorResult.objects.filter(
        indicator__in=list(values),
        report__task=task_id,
        report__status__in=COUNTED,
        report__period__plan=period.plan_id,
        report__period__quarter__lt=period.quarter,
    ).order_by("report__period__quarter")
    for indicator_id, actual in rows.values_list("indicator_id", "actual"):
        earlier[indicator_id].append(actual)
    at = period_start(period)
    return {i.pk: indicator_figure(indicator=i, at=at, earlier=earlier[i.pk], value=values[i.pk]) for i in indicators}


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
            overdue = rules.is_overdue(
                started=period.has_started,
                due_on=period.due_on,
                today=today,
                status=report.status if report else None,
            )
            cells.append(Cell(period=period, report=report, overdue=overdue))
        rows.append(TaskRow(task=task, cells=cells))
    return rows


def _statuses_on_time() -> list[str]:
    """The statuses that stop a quarter being overdue, asked of the rule so that it stays in one place."""
    long_ago, now = datetime.date.min, datetime.date.max
    return [
        s
        for s in ProgressReport.Status.values
        if not rules.is_overdue(started=True, due_on=long_ago, today=now, status=s)
    ]


def tasks_not_reported_on_time(*, period: ReportingPeriod) -> QuerySet[Task]:
    """The plan's tasks whose report for ``period`` does not stop it being overdue yet (none, a draft, a returned
    one), whatever today is, in plan order with their department: those the quarter's reminders name."""
    on_time = ProgressReport.objects.filter(task=OuterRef("pk"), period=period, status__in=_statuses_on_time())
    return (
        Task.objects.filter(plan=period.plan).exclude(Exists(on_time)).select_related("department").order_by("number")
    )


def overdue_cells(*, plan: Plan, periods: list[ReportingPeriod], today: datetime.date) -> QuerySet[Task]:
    """One row per task × quarter that is overdue, in task then quarter order, counted and sliced in the database.

    A quarter counts once it has started (not 예정) and its due date has passed; the task is overdue in
    it unless its report is submitted or approved (``rules.is_overdue``). Each row is a ``Task`` with
    ``overdue_period_id`` and its draft or returned reports of those quarters in ``open_reports``:
    ``overdue_rows`` turns a page of them into (task, cell) pairs. Count, page and reports: three queries.
    """
    due = [p.pk for p in periods if rules.is_overdue(started=p.has_started, due_on=p.due_on, today=today, status=None)]
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


def next_waiting_report(*, user, after: ProgressReport) -> tuple[ProgressReport | None, int]:
    """The waiting report 검토함 lists after ``after`` (else the first from the top) and how many wait besides it."""
    waiting = reports_with_status(user=user, status=ProgressReport.Status.SUBMITTED).exclude(pk=after.pk)
    quarter, number = after.period.quarter, after.task.number
    later = Q(period__quarter__gt=quarter) | Q(period__quarter=quarter, task__number__gt=number)
    upcoming = waiting.filter(later).first() or waiting.first()
    return upcoming, (waiting.count() if upcoming else 0)


def report_history(*, report: ProgressReport) -> QuerySet[ReportEvent]:
    return report.events.select_related("actor", "exception").order_by("at", "pk")


# The entries of a report's history that are its discussion: comments, and the reviewer's words when returning
# or reopening it (a return starts or continues the thread).
DISCUSSION_ACTIONS = (ReportEvent.Action.COMMENT, ReportEvent.Action.RETURN, ReportEvent.Action.REOPEN)


def discussion_of(events: QuerySet[ReportEvent]) -> QuerySet[ReportEvent]:
    return events.filter(action__in=DISCUSSION_ACTIONS).exclude(comment="")


def report_discussion(*, report: ProgressReport) -> QuerySet[ReportEvent]:
    return discussion_of(report_history(report=report))


def late_change_register(*, plan: Plan) -> QuerySet[ReportEvent]:
    """Every change made to a report of a closed quarter under an exception, with its reason."""
    return (
        ReportEvent.objects.filter(report__period__plan=plan, exception__isnull=False)
        .select_related("report__task__department", "report__period", "actor", "exception__granted_by")
        .order_by("-at")
    )


def _typed(field: forms.Field, text: str) -> tuple[object, str]:
    """``text`` as the report form's ``field`` reads it, and the form's message when it refuses it (value None)."""
    try:
        return field.clean(text), ""
    except ValidationError as refusal:
        return None, " ".join(refusal.messages)


def typed_figures(
    *, report: ProgressReport, typed: dict[str, str], actual: forms.Field, spent: forms.Field
) -> dict[str, dict[str, str]]:
    """The live figures for values being typed into the report form, by the rules of the saved page:
    ``indicator-<pk>`` → 달성률, ``line-<pk>`` → 집행잔액, 집행률 and the overspend warning; ``actual`` and
    ``spent`` are the form's own fields, so a value the form refuses shows no figure and ``error`` carries the
    form's message for it. Unknown keys are left out."""
    indicators = {
        int(key.split("-")[1]): _typed(actual, text)
        for key, text in typed.items()
        if key.startswith("indicator-") and key[10:].isdigit()
    }
    own = set(report.indicator_results.values_list("indicator_id", flat=True))
    figures = indicator_figures(
        task_id=report.task_id, period=report.period, values={k: v[0] for k, v in indicators.items() if k in own}
    )
    answer = {
        f"indicator-{pk}": {"rate": rules.percent_text(f.rate), "error": indicators.get(pk, (None, ""))[1]}
        for pk, f in figures.items()
    }
    lines = report.budget_executions.select_related("budget_line").prefetch_related(line_amounts())
    year = report.period.plan.year
    for execution in lines:
        key = f"line-{execution.budget_line_id}"
        if key not in typed:
            continue
        spent_to_date, error = _typed(spent, typed[key])
        available = budget_rules.available_budget(amounts=execution.budget_line.amounts.all(), year=year).amount
        balance = budget_rules.balance(available=available, spent=spent_to_date)
        answer[key] = {
            "balance": "–" if balance is None else f"{balance:,}",
            "rate": rules.percent_text(budget_rules.execution_rate(spent=spent_to_date, available=available)),
            "warning": budget_rules.overspend_warning(available=available, spent=spent_to_date),
            "error": error,
        }
    return answer
