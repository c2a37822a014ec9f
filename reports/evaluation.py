"""Facts from the database for ``reports.scoring``, dashboard roll-ups, and the annual evaluation.

``plan_facts`` reads a whole plan in a fixed number of queries, whatever the number of tasks,
so that every dashboard costs the same with 16 tasks or 10,000.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from budgets.models import BudgetAmount, BudgetLine
from initiatives.models import Indicator, IndicatorTargetChange, Milestone, Plan, Task
from reports import permissions, scoring
from reports.models import (
    Evaluation,
    ProgressReport,
    ReportEvent,
    ReportingPeriod,
    ScoringWeights,
    TaskScore,
)
from reports.services import ReportActionRefused, available_budget, period_start, periods_ensure, target_in_force

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
    budget_weight: Decimal
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


@dataclass
class PlanData:
    """Everything the roll-ups need, loaded once; ``assemble`` then works without queries."""

    plan: Plan
    periods: list[ReportingPeriod]
    tasks: list[Task]
    reports: list[ProgressReport]
    statuses: tuple[str, ...]


def plan_data(*, plan: Plan, statuses: tuple[str, ...] = INTERNAL_STATUSES, tasks=None) -> PlanData:
    """Load a plan's tasks, plan figures and reports in a fixed number of queries."""
    periods = periods_ensure(plan=plan)
    tasks = list(
        (tasks if tasks is not None else plan.tasks.all())
        .select_related("programme__strategic_area", "department", "budget_table")
        .prefetch_related(
            Prefetch(
                "indicators",
                queryset=Indicator.objects.filter(year=plan.year).prefetch_related(
                    Prefetch("target_changes", queryset=IndicatorTargetChange.objects.order_by("changed_at", "pk"))
                ),
            ),
            Prefetch("milestones", queryset=Milestone.objects.order_by("order")),
            Prefetch(
                "budget_table__lines",
                queryset=BudgetLine.objects.prefetch_related(
                    Prefetch(
                        "amounts", queryset=BudgetAmount.objects.select_related("column").order_by("column__order")
                    )
                ),
            ),
        )
        .order_by("number")
    )
    reports = list(
        ProgressReport.objects.filter(task__in=[t.pk for t in tasks], period__plan=plan)
        .select_related("period")
        .prefetch_related("indicator_results", "milestone_progress", "budget_executions")
        .annotate(returns=Count("events", filter=Q(events__action=ReportEvent.Action.RETURN)))
    )
    return PlanData(plan=plan, periods=periods, tasks=tasks, reports=reports, statuses=statuses)


def assemble(data: PlanData, *, quarter: int, as_of: datetime.date | None = None) -> PlanFacts:
    """Every task's facts as of the end of ``quarter``, from reports in ``data.statuses``. No queries."""
    plan = data.plan
    as_of = as_of or min(scoring.quarter_end(plan.year, quarter), timezone.localdate())
    counted = [r for r in data.reports if r.status in data.statuses]
    latest = _latest_by_task(counted, quarter)
    by_task: dict[int, list[ProgressReport]] = defaultdict(list)
    counted_by_task: dict[int, list[ProgressReport]] = defaultdict(list)
    for report in data.reports:
        by_task[report.task_id].append(report)
    for report in counted:
        counted_by_task[report.task_id].append(report)
    views = [
        _task_view(
            task,
            quarter,
            data.periods,
            latest.get(task.pk),
            counted_by_task[task.pk],
            by_task[task.pk],
            plan.year,
            as_of,
        )
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


def _task_view(task, quarter, periods, report, counted, all_reports, year, as_of) -> TaskView:
    table = getattr(task, "budget_table", None)
    non_budget = bool(table and table.non_budget)
    lines = list(table.lines.all()) if table else []
    facts = scoring.TaskFacts(quarter=quarter, non_budget=non_budget, has_report=report is not None)
    provenance: dict = {"report_ids": [], "indicators": [], "milestones": [], "budget": [], "submissions": []}
    if report is not None:
        provenance["report_ids"] = [report.pk]
        facts.indicators = _indicator_facts(task, report, counted, quarter, provenance)
        facts.milestones = _milestone_facts(task, report, provenance)
        facts.budgets = _budget_facts(lines, report, year, provenance)
    facts.submissions = _submission_facts(periods, all_reports, quarter, provenance)
    available = (
        sum(
            a
            for a in (available_budget(amounts=list(line.amounts.all()), year=year).amount for line in lines)
            if a is not None
        )
        if lines
        else None
    )
    spent_values = [b.spent for b in facts.budgets if b.spent is not None]
    return TaskView(
        task=task,
        facts=facts,
        assessment=scoring.assess(facts, as_of=as_of),
        report=report,
        available=available,
        spent=sum(spent_values) if spent_values else None,
        budget_weight=Decimal(available or 0),
        provenance=provenance,
    )


def _indicator_facts(task, report, counted, quarter, provenance) -> list[scoring.IndicatorFact]:
    facts = []
    at = period_start(report.period)
    upto = [r for r in counted if r.period.quarter <= quarter]
    for indicator in task.indicators.all():
        if indicator.cumulative:
            sources = [report]
            values = [res.actual for res in report.indicator_results.all() if res.indicator_id == indicator.pk]
        else:
            sources = upto
            values = [res.actual for r in upto for res in r.indicator_results.all() if res.indicator_id == indicator.pk]
        values = [v for v in values if v is not None]
        actual = sum(values) if values else None
        target = target_in_force(indicator=indicator, at=at)
        facts.append(
            scoring.IndicatorFact(
                indicator.name, target, actual, indicator.higher_is_better, tuple(r.pk for r in sources)
            )
        )
        provenance["indicators"].append(
            {
                "name": indicator.name,
                "target": str(target),
                "target_at": at.date().isoformat(),
                "actual": None if actual is None else str(actual),
                "cumulative": indicator.cumulative,
                "report_ids": [r.pk for r in sources],
                "rate": _str(
                    scoring.indicator_rate(actual=actual, target=target, higher_is_better=indicator.higher_is_better)
                ),
            }
        )
    return facts


def _milestone_facts(task, report, provenance) -> list[scoring.MilestoneFact]:
    by_milestone = {p.milestone_id: p for p in report.milestone_progress.all()}
    facts = []
    for milestone in task.milestones.all():
        progress = by_milestone.get(milestone.pk)
        if progress is None:
            continue
        label = f"{milestone.date_text} {milestone.title[:20]}"
        facts.append(scoring.MilestoneFact(label, milestone.end, progress.status, progress.actual_end, report.pk))
        provenance["milestones"].append(
            {
                "label": label,
                "planned_end": milestone.end.isoformat()[:7] if milestone.end else None,
                "status": progress.status,
                "actual_end": progress.actual_end.isoformat() if progress.actual_end else None,
                "report_id": report.pk,
            }
        )
    return facts


def _budget_facts(lines, report, year, provenance) -> list[scoring.BudgetFact]:
    spent = {e.budget_line_id: e.spent_to_date for e in report.budget_executions.all()}
    facts = []
    for line in lines:
        available = available_budget(amounts=list(line.amounts.all()), year=year)
        facts.append(scoring.BudgetFact(line.name, available.amount, spent.get(line.pk), report.pk))
        provenance["budget"].append(
            {
                "line": line.name,
                "available": available.amount,
                "column": available.column_label,
                "spent": spent.get(line.pk),
                "report_id": report.pk,
            }
        )
    return facts


def _submission_facts(periods, reports, quarter, provenance) -> list[scoring.SubmissionFact]:
    by_period = {r.period_id: r for r in reports}
    facts = []
    for period in periods:
        if period.quarter > quarter:
            continue
        report = by_period.get(period.pk)
        submitted = (
            timezone.localtime(report.first_submitted_at).date() if report and report.first_submitted_at else None
        )
        facts.append(scoring.SubmissionFact(period.quarter, period.due_on, submitted, getattr(report, "returns", 0)))
        provenance["submissions"].append(
            {
                "quarter": period.quarter,
                "due_on": period.due_on.isoformat(),
                "first_submitted_on": submitted.isoformat() if submitted else None,
            }
        )
    return facts


def _str(value) -> str | None:
    return None if value is None else str(value)


# ---------------------------------------------------------------- roll-ups


@dataclass
class Rollup:
    key: object
    label: str
    task_count: int = 0
    status_counts: dict = field(
        default_factory=lambda: {scoring.ON_TRACK: 0, scoring.ATTENTION: 0, scoring.DELAYED: 0, None: 0}
    )
    score: Decimal | None = None
    left_out: int = 0
    available: int = 0
    spent: int = 0
    submitted: int = 0

    @property
    def execution_rate(self) -> Decimal | None:
        return scoring.quantize(Decimal(self.spent) / self.available) if self.available else None

    @property
    def completeness(self) -> Decimal | None:
        return scoring.quantize(Decimal(self.submitted) / self.task_count) if self.task_count else None

    @property
    def undetermined(self) -> int:
        return self.status_counts[None]


def task_score(view: TaskView, weights: dict[str, int]) -> Decimal | None:
    return scoring.task_total(view.assessment, weights)


def rollups(views: list[TaskView], key, label, weights: ScoringWeights) -> list[Rollup]:
    """Group tasks (by programme, area or department) and roll their scores up by the weights' rule."""
    groups: dict = {}
    members: dict = defaultdict(list)
    for view in views:
        k = key(view.task)
        groups.setdefault(k, Rollup(key=k, label=label(view.task)))
        members[k].append(view)
    as_dict = weights.as_dict()
    for k, group in groups.items():
        items = members[k]
        group.task_count = len(items)
        for view in items:
            group.status_counts[view.assessment.status] += 1
            group.available += view.available or 0
            group.spent += view.spent or 0
            group.submitted += view.report is not None and view.report.period.quarter == view.facts.quarter
        pairs = [(task_score(v, as_dict), v.budget_weight if weights.rollup_by_budget else Decimal(1)) for v in items]
        group.score, group.left_out = scoring.rollup(pairs)
    return list(groups.values())


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
    total = task_score(view, weights.as_dict())
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
            "rules": "평가 기준 (/criteria/): 지표 달성률(상한 1.2)·일정 준수율·집행률(기대치 대비, 상한 1)·보고 적시성, "
            "값이 없는 항목은 제외하고 나머지 가중치로 환산",
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
