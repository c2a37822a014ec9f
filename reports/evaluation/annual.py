"""Facts from the database for ``reports.evaluation.scoring``: stored assessments and the annual evaluation.

``plan_facts`` reads a whole plan in a fixed number of queries, whatever the number of tasks,
so that every dashboard costs the same with 16 tasks or 10,000.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Callable, Iterable, NamedTuple

from django.conf import settings
from django.db import transaction
from django.db.models import CharField, Count, DateField, DecimalField, Max, Q, Value
from django.db.models.functions import Cast
from django.utils import timezone

from budgets.models import BudgetLine
from budgets.rules import available_budget
from initiatives.models import Indicator, Milestone, Plan, Task
from reports.evaluation import scoring
from reports.models import (
    BudgetExecution,
    Evaluation,
    IndicatorResult,
    MilestoneProgress,
    ProgressReport,
    ReportEvent,
    ReportingPeriod,
    ScoringWeights,
    TaskScore,
)
from reports.progress import permissions, rules
from reports.progress.selectors import IndicatorFigure, indicator_figure, period_start
from reports.progress.services import ReportActionRefused, periods_ensure

INTERNAL_STATUSES = (ProgressReport.Status.SUBMITTED, ProgressReport.Status.APPROVED)
APPROVED_ONLY = (ProgressReport.Status.APPROVED,)


@dataclass
class TaskView:
    """A task with its facts, assessment and figures for one quarter."""

    task: Task
    facts: scoring.TaskFacts
    assessment: scoring.Assessment
    report: ProgressReport | None
    available: int | None
    spent: int | None
    provenance: dict = field(default_factory=dict)

    @property
    def execution_rate(self) -> Decimal | None:
        return scoring.execution_rate(self.facts.budgets)


@dataclass
class PlanFacts:
    plan: Plan
    quarter: int
    periods: list[ReportingPeriod]
    as_of: datetime.date
    tasks: list[TaskView]


def _latest_by_task(reports: Iterable[ProgressReport], quarter: int) -> dict[int, ProgressReport]:
    latest: dict[int, ProgressReport] = {}
    for report in sorted(reports, key=lambda r: r.period.quarter):
        if report.period.quarter <= quarter:
            latest[report.task_id] = report
    return latest


# Report rows and budget amounts are read by the hundred thousand on a large plan; as plain tuples
# they cost a tenth of model instances. They keep the attribute names of the models they stand for.
class IndicatorRow(NamedTuple):
    report_id: int
    indicator_id: int
    actual: Decimal | None
    comment: str


class MilestoneRow(NamedTuple):
    report_id: int
    milestone_id: int
    status: str
    actual_start: datetime.date | None
    actual_end: datetime.date | None
    delay_reason: str

    def get_status_display(self) -> str:
        return MILESTONE_STATUS_LABELS.get(self.status, self.status)


class ExecutionRow(NamedTuple):
    report_id: int
    budget_line_id: int
    spent_to_date: int | None
    explanation: str


class ColumnRow(NamedTuple):
    label: str
    from_year: int | None
    to_year: int
    order: int


class AmountRow(NamedTuple):
    """A plan amount with its column, shaped like ``BudgetAmount`` for ``budgets.rules.available_budget``."""

    amount: int
    column: ColumnRow


class LineRow(NamedTuple):
    pk: int
    name: str
    amounts: list[AmountRow]


MILESTONE_STATUS_LABELS = dict(MilestoneProgress.Status.choices)


@dataclass
class ReportRows:
    indicator_results: list[IndicatorRow] = field(default_factory=list)
    milestone_progress: list[MilestoneRow] = field(default_factory=list)
    budget_executions: list[ExecutionRow] = field(default_factory=list)


NO_ROWS = ReportRows()


@dataclass
class PlanData:
    """Everything the roll-ups need, loaded once; ``assemble`` then works without queries."""

    plan: Plan
    periods: list[ReportingPeriod]
    tasks: list[Task]
    reports: list[ProgressReport]
    statuses: tuple[str, ...]
    rows: dict[int, ReportRows] = field(default_factory=dict)  # report pk → its rows
    lines: dict[int, list[LineRow]] = field(default_factory=dict)  # task pk → its budget lines
    indicators: dict[int, list["PlanIndicator"]] = field(default_factory=dict)  # task pk → this year's indicators
    milestones: dict[int, list[Milestone]] = field(default_factory=dict)  # task pk → milestones
    task_ids: Any = None  # the selected tasks' pks as a subquery, for loads made later (exports)
    assembled: dict[int, "PlanFacts"] = field(default_factory=dict, repr=False)

    def report_rows(self, report: ProgressReport) -> ReportRows:
        return self.rows.get(report.pk, NO_ROWS)

    def budget_lines(self, task: Task) -> list[LineRow]:
        return self.lines.get(task.pk, [])

    def latest_reports(self, quarter: int) -> dict[int, ProgressReport]:
        """Task pk → its latest report in ``statuses`` up to ``quarter`` (the one a quarter is judged on)."""
        return _latest_by_task([r for r in self.reports if r.status in self.statuses], quarter)

    def facts(self, quarter: int) -> "PlanFacts":
        """``assemble`` for a quarter, computed once per load (a page asks for the same quarter many times)."""
        if quarter not in self.assembled:
            self.assembled[quarter] = assemble(self, quarter=quarter, provenance=False)
        return self.assembled[quarter]


# Task columns no roll-up, chart or export of figures reads; a large plan's tasks load faster without them.
TASK_TEXT_FIELDS = ("source_text", "placement_note", "background", "service_demand", "goals", "people_source_text")


def plan_data(*, plan: Plan, statuses: tuple[str, ...] = INTERNAL_STATUSES, tasks=None) -> PlanData:
    """Load a plan's tasks, plan figures and reports in seven queries, whatever the number of tasks."""
    periods = periods_ensure(plan=plan)
    selected = tasks if tasks is not None else plan.tasks.all()
    task_ids = selected.values("pk")
    task_list = list(
        selected.select_related("programme__strategic_area", "department", "budget_table")
        .defer(*TASK_TEXT_FIELDS)
        .order_by("number")
    )
    shared: dict[tuple[str, int], Any] = {}  # one programme and department object each, not one per task
    for task in task_list:
        task.programme = shared.setdefault(("programme", task.programme_id), task.programme)
        task.department = shared.setdefault(("department", task.department_id), task.department)
    reports = list(
        ProgressReport.objects.filter(task__in=task_ids, period__plan=plan)
        .defer("return_comment")
        .annotate(
            returns=Count("events", filter=Q(events__action=ReportEvent.Action.RETURN)),
            late_changes=Count("events", filter=Q(events__exception__isnull=False)),
        )
        .order_by("task", "period__quarter")
    )
    by_period = {p.pk: p for p in periods}
    zone = timezone.get_current_timezone()
    for report in reports:
        report.period = by_period[report.period_id]
        first = report.first_submitted_at
        report.first_submitted_on = first.astimezone(zone).date() if first else None
    data = PlanData(plan=plan, periods=periods, tasks=task_list, reports=reports, statuses=statuses, task_ids=task_ids)
    data.rows = _report_rows(plan, task_ids)
    data.lines = _budget_lines(task_ids)
    data.indicators = _indicators(plan, task_ids)
    data.milestones = _group(
        Milestone.objects.filter(task__in=task_ids)
        .only("pk", "task_id", "order", "title", "date_text", "start", "end")
        .order_by("task", "order")
    )
    return data


def _group(objects) -> dict[int, list]:
    grouped: dict[int, list] = defaultdict(list)
    for obj in objects:
        grouped[obj.task_id].append(obj)
    return grouped


def _report_rows(plan: Plan, task_ids) -> dict[int, ReportRows]:
    """The reports' indicator, milestone and budget rows in one query: a UNION ALL of the three tables."""
    mine = {"report__task__in": task_ids, "report__period__plan": plan}
    number = DecimalField(max_digits=20, decimal_places=2)
    no_text, no_date, no_number = Value(None, CharField()), Value(None, DateField()), Value(None, number)
    indicators = IndicatorResult.objects.filter(**mine).order_by()
    milestones = MilestoneProgress.objects.filter(**mine).order_by()
    executions = BudgetExecution.objects.filter(**mine).order_by()
    union = indicators.values_list(
        "report_id", Value(1), "indicator_id", Cast("actual", number), no_text, "comment", no_date, no_date
    ).union(
        milestones.values_list(
            "report_id", Value(2), "milestone_id", no_number, "status", "delay_reason", "actual_start", "actual_end"
        ),
        executions.values_list(
            "report_id",
            Value(3),
            "budget_line_id",
            Cast("spent_to_date", number),
            no_text,
            "explanation",
            no_date,
            no_date,
        ),
        all=True,
    )
    rows: dict[int, ReportRows] = defaultdict(ReportRows)
    for report_id, kind, key, value, status, text, start, end in sorted(union, key=lambda r: r[:3]):
        if kind == 1:
            rows[report_id].indicator_results.append(IndicatorRow(report_id, key, value, text))
        elif kind == 2:
            rows[report_id].milestone_progress.append(MilestoneRow(report_id, key, status, start, end, text))
        else:
            spent = None if value is None else int(value)
            rows[report_id].budget_executions.append(ExecutionRow(report_id, key, spent, text))
    return rows


def _budget_lines(task_ids) -> dict[int, list[LineRow]]:
    """Each task's budget lines with every amount and its column, in the plan's order (one query)."""
    lines: dict[int, list[LineRow]] = defaultdict(list)
    by_pk: dict[int, LineRow] = {}
    joined = (
        BudgetLine.objects.filter(table__task__in=task_ids)
        .order_by("table__task", "order", "pk", "amounts__column__order")
        .values_list(
            "pk",
            "table__task",
            "name",
            "amounts__amount",
            "amounts__column__label",
            "amounts__column__from_year",
            "amounts__column__to_year",
            "amounts__column__order",
        )
    )
    for pk, task_id, name, amount, *column in joined:
        if pk not in by_pk:
            by_pk[pk] = LineRow(pk, name, [])
            lines[task_id].append(by_pk[pk])
        if amount is not None:
            by_pk[pk].amounts.append(AmountRow(amount, ColumnRow(*column)))
    return lines


class Related(list):
    """A list that answers ``.all()`` like a prefetched relation (``selectors.target_in_force`` reads one)."""

    def all(self) -> "Related":
        return self


class TargetChangeRow(NamedTuple):
    changed_at: datetime.datetime
    old_target: Decimal


@dataclass
class PlanIndicator:
    """An indicator as the evaluation reads it, with its target changes in date order."""

    pk: int
    task_id: int
    name: str
    unit: str
    target: Decimal
    cumulative: bool
    higher_is_better: bool
    source_text: str
    target_changes: Related = field(default_factory=Related)


INDICATOR_FIELDS = ("pk", "task_id", "name", "unit", "target", "cumulative", "higher_is_better", "source_text")


def _indicators(plan: Plan, task_ids) -> dict[int, list[PlanIndicator]]:
    """This year's indicators of the tasks with their target changes (one query, a LEFT JOIN)."""
    joined = (
        Indicator.objects.filter(task__in=task_ids, year=plan.year)
        .order_by("task", "order", "pk", "target_changes__changed_at", "target_changes__pk")
        .values_list(*INDICATOR_FIELDS, "target_changes__changed_at", "target_changes__old_target")
    )
    grouped: dict[int, list[PlanIndicator]] = defaultdict(list)
    by_pk: dict[int, PlanIndicator] = {}
    for *values, changed_at, old_target in joined:
        indicator = by_pk.get(values[0])
        if indicator is None:
            indicator = by_pk[values[0]] = PlanIndicator(*values)
            grouped[indicator.task_id].append(indicator)
        if changed_at is not None:
            indicator.target_changes.append(TargetChangeRow(changed_at, old_target))
    return grouped


def assemble(data: PlanData, *, quarter: int, as_of: datetime.date | None = None, provenance: bool = True) -> PlanFacts:
    """Every task's facts as of the end of ``quarter``, from reports in ``data.statuses``. No queries.

    ``provenance=False`` leaves out the record of where each figure came from (pages do not show it)."""
    plan = data.plan
    # an explicit ``as_of`` (the annual evaluation) is also the day overdue reports are judged at: re-runs agree
    today = as_of or timezone.localdate()
    as_of = as_of or rules.judged_on(year=plan.year, quarter=quarter, today=today)
    counted = [r for r in data.reports if r.status in data.statuses]
    latest = _latest_by_task(counted, quarter)
    by_task: dict[int, list[ProgressReport]] = defaultdict(list)
    counted_by_task: dict[int, list[ProgressReport]] = defaultdict(list)
    for report in data.reports:
        by_task[report.task_id].append(report)
    for report in counted:
        counted_by_task[report.task_id].append(report)
    starts = {p.pk: period_start(p) for p in data.periods}
    context = _Context(data, quarter, as_of, starts, provenance, today=today)
    views = [
        _task_view(context, task, latest.get(task.pk), counted_by_task[task.pk], by_task[task.pk])
        for task in data.tasks
    ]
    return PlanFacts(plan=plan, quarter=quarter, periods=data.periods, as_of=as_of, tasks=views)


def plan_facts(
    *,
    plan: Plan,
    quarter: int,
    statuses: tuple[str, ...] = INTERNAL_STATUSES,
    tasks=None,
    as_of: datetime.date | None = None,
) -> PlanFacts:
    return assemble(plan_data(plan=plan, statuses=statuses, tasks=tasks), quarter=quarter, as_of=as_of)


# ---------------------------------------------------------------- the published figures (/results/, open data)


def approved_quarters(*, plan: Plan) -> tuple[int | None, int]:
    """The latest quarter with an approved report (``None`` if none yet) and how many approved reports are samples."""
    approved = ProgressReport.objects.filter(period__plan=plan, status=ProgressReport.Status.APPROVED)
    shown = approved.aggregate(latest=Max("period__quarter"), samples=Count("pk", filter=Q(is_sample=True)))
    return shown["latest"], shown["samples"]


def approved_figures(*, plan: Plan, quarter: int, tasks=None) -> tuple[PlanData, PlanFacts]:
    """What the public sees of ``quarter``: approved reports only (no drafts, submissions or returns), every
    task's figures as of the quarter's end. The open results page and the open data both publish these."""
    data = plan_data(plan=plan, statuses=APPROVED_ONLY, tasks=tasks)
    return data, data.facts(quarter)


def final_scores(*, plan: Plan, tasks=None) -> tuple[Evaluation | None, dict[int, TaskScore]]:
    """The finalised annual evaluation, if any, and its scores by task pk (a draft evaluation is not public)."""
    final = Evaluation.objects.filter(plan=plan, status=Evaluation.Status.FINAL).first()
    if final is None:
        return None, {}
    scores = final.scores.all() if tasks is None else final.scores.filter(task__in=tasks)
    return final, {s.task_id: s for s in scores}


class Trail(dict):
    """Where a task's figures came from (kept with each evaluation score so that anyone can recompute it)."""

    def __init__(self) -> None:
        super().__init__(report_ids=[], indicators=[], milestones=[], budget=[], submissions=[])

    def add(self, key: str, entry: Callable[[], dict]) -> None:
        self[key].append(entry())


class _NoTrail(Trail):
    """Dashboards show figures, not their provenance; building it for every task and quarter cost a third."""

    def add(self, key: str, entry: Callable[[], dict]) -> None:
        pass

    def __setitem__(self, key, value) -> None:
        pass


NO_TRAIL = _NoTrail()


@dataclass(frozen=True)
class _Context:
    data: PlanData
    quarter: int
    as_of: datetime.date
    starts: dict[int, datetime.datetime]  # period pk → when it opened (targets in force then)
    provenance: bool = True
    today: datetime.date | None = None  # whether the quarter's report is overdue


def _task_view(context: _Context, task, report, counted, all_reports) -> TaskView:
    data, quarter, year = context.data, context.quarter, context.data.plan.year
    table = getattr(task, "budget_table", None)
    non_budget = bool(table and table.non_budget)
    lines = data.budget_lines(task)
    facts = scoring.TaskFacts(
        quarter=quarter,
        non_budget=non_budget,
        has_report=report is not None,
        report_quarter=report.period.quarter if report else None,
    )
    provenance = Trail() if context.provenance else NO_TRAIL
    if report is not None:
        provenance["report_ids"] = [report.pk]
        facts.indicators = _indicator_facts(context, task, report, counted, provenance)
        facts.milestones = _milestone_facts(data, task, report, provenance)
        facts.budgets = _budget_facts(data, lines, report, year, provenance)
    facts.submissions = _submission_facts(data.periods, all_reports, quarter, provenance)
    available_amounts = [available_budget(amounts=line.amounts, year=year).amount for line in lines]
    available = sum(a for a in available_amounts if a is not None) if lines else None
    spent_values = [b.spent for b in facts.budgets if b.spent is not None]
    return TaskView(
        task=task,
        facts=facts,
        assessment=scoring.assess(facts, as_of=context.as_of, today=context.today),
        report=report,
        available=available,
        spent=sum(spent_values) if spent_values else None,
        provenance=provenance,
    )


def _indicator_values(data: PlanData, report: ProgressReport, indicator_id: int) -> list[Decimal | None]:
    return [r.actual for r in data.report_rows(report).indicator_results if r.indicator_id == indicator_id]


def indicator_figure_in(
    data: PlanData, report: ProgressReport, indicator, counted, at: datetime.datetime
) -> IndicatorFigure:
    """``selectors.indicator_figure`` of a report, from loaded data: ``counted`` are the task's counted reports
    in quarter order (as ``plan_data`` loads them), ``at`` is when the report's quarter opened."""
    earlier = [
        value
        for r in counted
        if r.period.quarter < report.period.quarter
        for value in _indicator_values(data, r, indicator.pk)
    ]
    value = next(iter(_indicator_values(data, report, indicator.pk)), None)
    return indicator_figure(indicator=indicator, at=at, earlier=earlier, value=value)


def _indicator_facts(context: _Context, task, report, counted, provenance) -> list[scoring.IndicatorFact]:
    data = context.data
    facts = []
    at = context.starts[report.period_id]
    for indicator in data.indicators.get(task.pk, []):
        figure = indicator_figure_in(data, report, indicator, counted, at)
        sources = (
            [report] if indicator.cumulative else [r for r in counted if r.period.quarter <= report.period.quarter]
        )
        facts.append(
            scoring.IndicatorFact(
                indicator.name, figure.target, figure.actual, indicator.higher_is_better, tuple(r.pk for r in sources)
            )
        )
        provenance.add(
            "indicators",
            lambda: {
                "name": indicator.name,
                "target": str(figure.target),
                "target_at": at.date().isoformat(),
                "actual": _str(figure.actual),
                "cumulative": indicator.cumulative,
                "report_ids": [r.pk for r in sources],
                "rate": _str(figure.rate),
            },
        )
    return facts


def _milestone_facts(data: PlanData, task, report, provenance) -> list[scoring.MilestoneFact]:
    by_milestone = {p.milestone_id: p for p in data.report_rows(report).milestone_progress}
    facts = []
    for milestone in data.milestones.get(task.pk, []):
        progress = by_milestone.get(milestone.pk)
        if progress is None:
            continue
        label = f"{milestone.date_text} {milestone.title[:20]}"
        facts.append(scoring.MilestoneFact(label, milestone.end, progress.status, progress.actual_end, report.pk))
        provenance.add(
            "milestones",
            lambda: {
                "label": label,
                "planned_end": milestone.end.isoformat()[:7] if milestone.end else None,
                "status": progress.status,
                "actual_end": progress.actual_end.isoformat() if progress.actual_end else None,
                "report_id": report.pk,
            },
        )
    return facts


def _budget_facts(data: PlanData, lines, report, year, provenance) -> list[scoring.BudgetFact]:
    spent = {e.budget_line_id: e.spent_to_date for e in data.report_rows(report).budget_executions}
    facts = []
    for line in lines:
        available = available_budget(amounts=line.amounts, year=year)
        facts.append(scoring.BudgetFact(line.name, available.amount, spent.get(line.pk), report.pk))
        provenance.add(
            "budget",
            lambda: {
                "line": line.name,
                "available": available.amount,
                "column": available.column_label,
                "spent": spent.get(line.pk),
                "report_id": report.pk,
            },
        )
    return facts


def _submission_facts(periods, reports, quarter, provenance) -> list[scoring.SubmissionFact]:
    by_period = {r.period_id: r for r in reports}
    facts = []
    for period in periods:
        if period.quarter > quarter:
            continue
        report = by_period.get(period.pk)
        submitted = report.first_submitted_on if report else None
        returns, status = getattr(report, "returns", 0), report.status if report else None
        facts.append(
            scoring.SubmissionFact(period.quarter, period.due_on, submitted, returns, status, period.has_started)
        )
        provenance.add(
            "submissions",
            lambda: {
                "quarter": period.quarter,
                "due_on": period.due_on.isoformat(),
                "first_submitted_on": submitted.isoformat() if submitted else None,
            },
        )
    return facts


def _str(value) -> str | None:
    return None if value is None else str(value)


# ---------------------------------------------------------------- weights and the annual evaluation


def weights_current() -> ScoringWeights:
    """The newest weights; the first version comes from settings.EVALUATION_DEFAULT_WEIGHTS."""
    current = ScoringWeights.objects.order_by("-version").first()
    if current is None:
        current = ScoringWeights.objects.create(version=1, note="초기 설정값", **settings.EVALUATION_DEFAULT_WEIGHTS)
    return current


def weights_change(*, user, values: dict, note: str) -> ScoringWeights:
    permissions.ensure_reviewer(user)
    if sum(values[c] for c in scoring.COMPONENTS) != 100:
        raise ReportActionRefused("가중치의 합은 100이어야 합니다.")
    if not note.strip():
        raise ReportActionRefused("가중치를 바꾸는 사유를 적어야 합니다.")
    with transaction.atomic():
        version = weights_current().version + 1
        return ScoringWeights.objects.create(version=version, note=note.strip(), created_by=user, **values)


def evaluation_run(*, plan: Plan, user, now=None) -> Evaluation:
    """Score every task from approved reports with the current weights. Same data → same scores."""
    permissions.ensure_reviewer(user)
    weights = weights_current()
    facts = plan_facts(plan=plan, quarter=4, statuses=APPROVED_ONLY, as_of=_evaluation_as_of(plan))
    with transaction.atomic():
        evaluation = Evaluation.objects.select_for_update().filter(plan=plan).first()
        if evaluation is not None and evaluation.status == Evaluation.Status.FINAL:
            raise ReportActionRefused("확정된 평가는 다시 실행할 수 없습니다.")
        if evaluation is None:
            evaluation = Evaluation(plan=plan)
        evaluation.weights, evaluation.run_by, evaluation.run_at = weights, user, now or timezone.now()
        evaluation.save()
        adjustments = {s.task_id: s for s in evaluation.scores.exclude(adjusted_total=None)}
        evaluation.scores.all().delete()
        TaskScore.objects.bulk_create(
            _score(evaluation, view, weights, adjustments.get(view.task.pk)) for view in facts.tasks
        )
    return evaluation


def _evaluation_as_of(plan: Plan) -> datetime.date:
    """The evaluation looks at the year as it stood when the last quarter's reports were due."""
    periods = periods_ensure(plan=plan)
    return max(p.due_on for p in periods)


def _score(evaluation, view: TaskView, weights: ScoringWeights, adjusted: TaskScore | None) -> TaskScore:
    components = view.assessment.components
    total = scoring.task_total(view.assessment, weights.as_dict())
    score = TaskScore(
        evaluation=evaluation,
        task=view.task,
        indicator_score=_points(components["indicator"]),
        milestone_score=_points(components["milestone"]),
        budget_score=_points(components["budget"]),
        timeliness_score=_points(components["timeliness"]),
        computed_total=total,
        grade=scoring.grade(total),
        provenance={
            **view.provenance,
            "weights_version": weights.version,
            "weights": weights.as_dict(),
            "rules": f"평가 기준: 지표 달성률(상한 {rules.ACHIEVEMENT_CAP})·일정 준수율·"
            "집행률(기대치 대비, 상한 1)·보고 적시성, 값이 없는 항목은 제외하고 나머지 가중치로 환산",
            "components": {k: _str(v) for k, v in components.items()},
            "status": view.assessment.explanation,
        },
    )
    if adjusted is not None:
        score.adjusted_total, score.adjustment_reason = adjusted.adjusted_total, adjusted.adjustment_reason
        score.adjusted_by, score.adjusted_at = adjusted.adjusted_by, adjusted.adjusted_at
        score.grade = scoring.grade(adjusted.adjusted_total)
    return score


def _points(component: Decimal | None) -> Decimal | None:
    return None if component is None else scoring.quantize(min(Decimal(1), component) * 100, "0.01")


def score_adjust(*, score: TaskScore, user, total: Decimal, reason: str, now=None) -> TaskScore:
    permissions.ensure_reviewer(user)
    if not reason.strip():
        raise ReportActionRefused("점수를 조정하려면 사유를 적어야 합니다.")
    if not Decimal(0) <= total <= Decimal(100):
        raise ReportActionRefused("점수는 0 이상 100 이하여야 합니다.")
    with transaction.atomic():
        evaluation = Evaluation.objects.select_for_update().get(pk=score.evaluation_id)
        if evaluation.status == Evaluation.Status.FINAL:
            raise ReportActionRefused("확정된 평가의 점수는 바꿀 수 없습니다.")
        score.adjusted_total, score.adjustment_reason = total, reason.strip()
        score.adjusted_by, score.adjusted_at = user, now or timezone.now()
        score.grade = scoring.grade(total)
        score.save()
    return score


def evaluation_finalise(*, evaluation: Evaluation, user, now=None) -> Evaluation:
    permissions.ensure_reviewer(user)
    with transaction.atomic():
        updated = Evaluation.objects.filter(pk=evaluation.pk, status=Evaluation.Status.DRAFT).update(
            status=Evaluation.Status.FINAL, finalised_by=user, finalised_at=now or timezone.now()
        )
        if not updated:
            raise ReportActionRefused("이미 확정된 평가입니다.")
    evaluation.refresh_from_db()
    return evaluation
