"""Stored assessments: each task × quarter judged once and kept, so that a dashboard reads one row per task.

The rows are computed by ``annual.assemble`` — the rules of ``reports.evaluation.scoring``, as the annual
evaluation uses them — and hold what the dashboards show: status and reasons, the four components,
budget figures, the counted report and the reporting discipline. A row is current while its
``revision`` equals its task's (``TaskRevision``, 0 without a row); ``services.tasks_changed`` bumps that number whenever something the row was
computed from changes (a report or its rows, the plan's milestones, indicators, targets and budget, the
quarters' dates — see ``reports.progress.signals``), and the next read recomputes the tasks whose rows are not
current. A quarter not yet over is judged at today's date, so its rows also expire at the end of the
day (``valid_until``); ``manage.py refresh_assessments`` recomputes them at night, ahead of the first
reader. Changing the rules themselves needs the same command with ``--all``, run once after the deployment.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, DecimalField, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from budgets import rules as budget_rules
from initiatives.models import Plan, Task
from reports.evaluation import scoring
from reports.evaluation.annual import PlanData, TaskView, plan_data, weights_current
from reports.models import ReportingPeriod, ScoringWeights, TaskAssessment, TaskStatus
from reports.progress.services import periods_ensure

# Tasks judged at a time when rows are recomputed: memory stays flat on a large plan.
CHUNK = 1000


# ---------------------------------------------------------------- computing and storing


def _plan_year_column(data: PlanData, task: Task, year: int) -> tuple[int, int, str]:
    """The budget column that holds the plan year's amounts: where the budget chart puts the task's spending."""
    for line in data.budget_lines(task):
        column = budget_rules.plan_year_column(amounts=line.amounts, year=year)
        if column is not None:
            return column.to_year, column.from_year or 0, column.label
    return year, year, f"'{year % 100}년"


def _row(
    data: PlanData, view: TaskView, period: ReportingPeriod, as_of: datetime.date, own: dict, weights: ScoringWeights
) -> TaskAssessment:
    pairs = budget_rules.counted_lines((b.spent, b.available) for b in view.facts.budgets)
    due = [s for s in view.facts.submissions if s.due_on < as_of]
    report = view.report
    components = view.assessment.components
    # settled once the report is due: until then an overdue reason may still appear (judged at today)
    today = timezone.localdate()
    settled = today > period.due_on
    column_to_year, column_from_year, column_label = _plan_year_column(data, view.task, data.plan.year)
    return TaskAssessment(
        task_id=view.task.pk,
        period=period,
        revision=view.task.revision,
        as_of=as_of,
        valid_until=None if settled else today,
        status=view.assessment.status,
        explanation=view.assessment.explanation,
        indicator=components["indicator"],
        milestone=components["milestone"],
        budget=components["budget"],
        timeliness=components["timeliness"],
        total=scoring.task_total(view.assessment, weights.as_dict()),
        weights_version=weights.version,
        available=view.available,
        spent=view.spent,
        rate_spent=sum(s for s, _ in pairs) if pairs else None,
        rate_available=sum(a for _, a in pairs) if pairs else None,
        execution_rate=scoring.execution_rate(view.facts.budgets),
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


# A task's current revision, read with the task itself (a LEFT JOIN: a task never changed has no row).
TASK_REVISION = Coalesce("assessment_revision__revision", 0)
STORED_FIELDS = [f.name for f in TaskAssessment._meta.concrete_fields if f.name not in ("id", "task", "period")]


def assessments_refresh(*, plan: Plan, tasks: QuerySet | None = None) -> int:
    """Judge the tasks (all the plan's by default) for every quarter and store the rows; returns tasks done."""
    periods = periods_ensure(plan=plan)
    weights = weights_current()
    selected = tasks if tasks is not None else plan.tasks.all()
    ids = list(selected.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        chunk = Task.objects.filter(pk__in=ids[start : start + CHUNK]).annotate(revision=TASK_REVISION)
        data = plan_data(plan=plan, tasks=chunk)
        own = {(r.task_id, r.period_id): r.status for r in data.reports}
        rows = [
            _row(data, view, period, facts.as_of, own, weights)
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


def _retotal(rows: QuerySet, weights: ScoringWeights) -> None:
    """New weights change the totals only: recompute them from the stored components, not the whole judgement."""
    stale = list(rows.exclude(weights_version=weights.version).only("pk", "status", *scoring.COMPONENTS))
    as_dict = weights.as_dict()
    for row in stale:
        components = {name: getattr(row, name) for name in scoring.COMPONENTS}
        row.total = scoring.task_total(scoring.Assessment(components, TaskStatus(row.status), []), as_dict)
        row.weights_version = weights.version
    TaskAssessment.objects.bulk_update(stale, ["total", "weights_version"], batch_size=500)


# ---------------------------------------------------------------- reading


def _current(plan: Plan, tasks: QuerySet, today: datetime.date) -> QuerySet:
    # An alias, not a filter on the join: a filter would make it an INNER JOIN and drop the tasks without a row.
    return TaskAssessment.objects.alias(task_revision=Coalesce("task__assessment_revision__revision", 0)).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=today),
        period__plan=plan,
        task__in=tasks.values("pk"),
        revision=F("task_revision"),
    )


@dataclass
class QuarterTotals:
    """Sums over a selection's rows for one quarter, made by the database (trend and completeness charts)."""

    rows: int = 0
    indicator_sum: Decimal = Decimal(0)
    indicator_count: int = 0
    rate_spent: int | None = None
    rate_available: int | None = None
    reports: Counter = field(default_factory=Counter)  # the quarter's own reports by status ("" none)
    other_weights: int = 0  # rows totalled with weights other than the current ones

    def add(self, count: int, indicator_sum, indicator_count: int, spent, available, other_weights: int) -> None:
        self.rows += count
        self.indicator_sum += indicator_sum or 0
        self.indicator_count += indicator_count
        self.other_weights += other_weights
        if spent is not None:
            self.rate_spent = (self.rate_spent or 0) + spent
            self.rate_available = (self.rate_available or 0) + (available or 0)


def _totals(rows: QuerySet, weights: ScoringWeights) -> dict[int, QuarterTotals]:
    totals = {q: QuarterTotals() for q in range(1, 5)}
    sums = (
        rows.values_list("period__quarter", "own_report_status")
        .annotate(
            n=Count("pk"),
            indicator_sum=Sum("indicator"),
            indicator_count=Count("indicator"),
            spent=Sum("rate_spent"),
            available=Sum("rate_available"),
            other_weights=Count("pk", filter=~Q(weights_version=weights.version)),
        )
        .order_by()
    )
    for quarter, own_status, count, *figures in sums:
        totals[quarter].add(count, *figures)
        totals[quarter].reports[own_status] += count
    return totals


@dataclass
class Stored:
    """A selection's stored rows, current for every task and quarter and totalled by ``weights``."""

    plan: Plan
    rows: QuerySet
    totals: dict[int, QuarterTotals]  # per quarter, over every selected task
    weights: ScoringWeights

    def quarter(self, quarter: int, status: str | None = None) -> QuerySet:
        """The rows of ``quarter``; only those of ``status`` (a ``TaskStatus``) when given."""
        rows = self.rows.filter(period__quarter=quarter)
        return rows if status is None else rows.filter(status=status)

    def quarter_totals(self, quarter: int, status: str | None) -> dict[int, QuarterTotals]:
        """Every quarter's totals over the tasks that have ``status`` in ``quarter`` (all when None)."""
        if status is None:
            return self.totals
        return _totals(self.rows.filter(task__in=self.quarter(quarter, status).values("task_id")), self.weights)


def stored_judging_missing(*, plan: Plan, tasks: QuerySet, weights: ScoringWeights) -> Stored:
    """The selected tasks' rows, first recomputing those missing or out of date and re-totalling those made
    with other weights; a page then reads them through a few grouped queries."""
    count = tasks.count()
    current = _current(plan, tasks, timezone.localdate())
    totals = _totals(current, weights)
    if any(totals[q].rows != count for q in totals):
        assessments_ensure(plan=plan, tasks=tasks)
        totals = _totals(current, weights)
        if any(totals[q].rows != count for q in totals):
            # A write came between the refresh and this read: show the rows just made, judge again next time.
            current = TaskAssessment.objects.filter(period__plan=plan, task__in=tasks.values("pk"))
            totals = _totals(current, weights)
    if any(t.other_weights for t in totals.values()):
        _retotal(current, weights)
    return Stored(plan, current, totals, weights)


def group_sums(rows: QuerySet, keys: tuple[str, ...], *, quarter: int, by_budget: bool) -> list[dict]:
    """Per group of ``keys`` (and per plan-year budget column): what a roll-up adds up. The mean score is
    ``scoring.mean_from_sums(score_sum, weight_sum)`` over the tasks with a score (and, by budget, a budget)."""
    scored = Q(total__isnull=False, available__gt=0) if by_budget else Q(total__isnull=False)
    score = DecimalField(max_digits=30, decimal_places=2)
    return list(
        rows.values(*keys, "column_to_year", "column_from_year", "column_label")
        .annotate(
            tasks=Count("pk"),
            **{status.value: Count("pk", filter=Q(status=status)) for status in TaskStatus},
            available_sum=Sum("available"),
            spent_sum=Sum("spent"),
            rate_spent_sum=Sum("rate_spent"),
            rate_available_sum=Sum("rate_available"),
            submitted=Count("pk", filter=Q(report_quarter=quarter)),
            scored=Count("pk", filter=scored),
            score_sum=Sum(F("total") * F("available"), filter=scored, output_field=score)
            if by_budget
            else Sum("total", filter=scored),
            weight_sum=Sum("available", filter=scored) if by_budget else Count("pk", filter=scored),
            samples=Count("pk", filter=Q(is_sample=True)),
            due=Sum("submissions_due"),
            on_time=Sum("submissions_on_time"),
            returns=Sum("returns"),
        )
        .order_by()
    )


def explanations(*, plan: Plan, tasks: QuerySet) -> dict[tuple[int, int], str]:
    """(task pk, quarter) → the stored explanation, for tasks whose rows ``stored_judging_missing`` has just made current."""
    rows = TaskAssessment.objects.filter(period__plan=plan, task__in=tasks.values("pk"))
    return {
        (task, quarter): text for task, quarter, text in rows.values_list("task_id", "period__quarter", "explanation")
    }
