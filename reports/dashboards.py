"""Dashboard figures: roll-ups, reporting discipline and charts, read from stored assessments.

``assessments.stored_views`` gives one row per task and quarter, so a dashboard runs the same queries
with 16 tasks or 10,000 and does no judging of its own.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum

from budgets.models import BudgetAmount
from initiatives.models import Plan
from reports import charts, scoring
from reports.assessments import QuarterTotals, StoredView, rate_facts, stored_views, tasks_with_status
from reports.evaluation import Rollup, rollups, task_score
from reports.models import ProgressReport, ReportEvent, ScoringWeights

STATUS_NAMES = [scoring.ON_TRACK, scoring.ATTENTION, scoring.DELAYED]


def _pct(value: Decimal | None) -> Decimal | None:
    return None if value is None else scoring.quantize(value * 100, "0.1")


@dataclass
class PlanDashboard:
    views: list[StoredView]
    scores: dict[int, Decimal | None]
    areas: list[Rollup]
    programmes: list[Rollup]
    total: Rollup
    charts: "list[charts.Chart]" = field(default_factory=list)

    @property
    def has_sample(self) -> bool:
        return any(v.is_sample for v in self.views)


def area_rollups(views: list, weights: ScoringWeights, scores: dict | None = None) -> list[Rollup]:
    return rollups(
        views,
        lambda t: t.programme.strategic_area.number,
        lambda t: f"{t.programme.strategic_area.number}. {t.programme.strategic_area.title}",
        weights,
        scores,
    )


def programme_rollups(views: list, weights: ScoringWeights, scores: dict | None = None) -> list[Rollup]:
    return rollups(
        views,
        lambda t: (t.programme.strategic_area.number, t.programme.number),
        lambda t: f"{t.programme.code}. {t.programme.title}",
        weights,
        scores,
    )


def plan_dashboard(
    *, plan: Plan, tasks: QuerySet, quarter: int, weights: ScoringWeights, status: str = ""
) -> PlanDashboard:
    stored_status = None if not status else "" if status == "판단 불가" else status
    views, totals = stored_views(plan=plan, tasks=tasks, quarter=quarter, status=stored_status)
    selected = tasks
    if stored_status is not None:
        selected = tasks_with_status(plan=plan, tasks=tasks, quarter=quarter, status=stored_status)
    scores = task_scores(views, weights)
    areas = area_rollups(views, weights, scores)
    programmes = programme_rollups(views, weights, scores)
    total = (rollups(views, lambda t: 0, lambda t: "전체", weights, scores) or [Rollup(key=0, label="전체")])[0]
    dashboard = PlanDashboard(views, scores, areas, programmes, total)
    dashboard.charts = [
        charts.score_by_group(
            "chart-area-score", "추진방안별 종합 점수", [a.label for a in areas], [a.score for a in areas]
        ),
        charts.score_by_group(
            "chart-programme-score",
            "중점 추진과제별 종합 점수",
            [p.label for p in programmes],
            [p.score for p in programmes],
        ),
        charts.status_counts(
            "chart-status",
            [a.label for a in areas],
            {
                name: [a.status_counts[key] for a in areas]
                for name, key in [*zip(STATUS_NAMES, STATUS_NAMES, strict=True), ("판단 불가", None)]
            },
        ),
        _budget_chart(views, selected),
        _completeness_chart(totals),
        _trend_chart(totals),
    ]
    return dashboard


def _budget_chart(views: list[StoredView], selected: QuerySet) -> charts.Chart:
    """Plan amounts per printed year column; execution (this year's reports) in the plan year's columns."""
    planned: dict[tuple, int] = defaultdict(int)
    executed: dict[tuple, int] = defaultdict(int)
    amounts = (
        BudgetAmount.objects.filter(line__table__task__in=selected.values("pk"))
        .values_list("column__to_year", "column__from_year", "column__label")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for to_year, from_year, label, total in amounts:
        planned[(to_year, from_year or 0, label)] += total
    for view in views:
        if view.spent is not None:
            executed[view.budget_column] += view.spent
    keys = sorted(set(planned) | {k for k in executed if k})
    return charts.budget_plan_vs_execution(
        "chart-budget",
        [k[2] for k in keys],
        [planned.get(k, 0) for k in keys],
        [executed.get(k) if k in executed else None for k in keys],
    )


SUBMISSION_SERIES = {
    "승인": {ProgressReport.Status.APPROVED},
    "제출(검토 대기)": {ProgressReport.Status.SUBMITTED},
    "작성중·반려": {ProgressReport.Status.DRAFT, ProgressReport.Status.RETURNED},
}


def _completeness_chart(totals: dict[int, QuarterTotals]) -> charts.Chart:
    quarters = range(1, 5)
    series = {
        name: [sum(totals[q].reports[s] for s in wanted) for q in quarters]
        for name, wanted in SUBMISSION_SERIES.items()
    }
    series["미작성"] = [totals[q].reports[""] for q in quarters]
    return charts.submission_completeness("chart-completeness", [f"{q}분기" for q in quarters], series)


def _trend_chart(totals: dict[int, QuarterTotals]) -> charts.Chart:
    achievement, execution = [], []
    for quarter in range(1, 5):
        sums = totals[quarter]
        achievement.append(_pct(scoring.mean_from_sums(sums.indicator_sum, sums.indicator_count)))
        execution.append(_pct(scoring.execution_rate(rate_facts(sums.rate_spent, sums.rate_available))))
    return charts.quarterly_trend(
        "chart-trend",
        [f"{q}분기" for q in range(1, 5)],
        {"성과지표 진도율(기대치 대비)": achievement, "예산 집행률": execution},
    )


@dataclass
class DepartmentRow:
    rollup: Rollup
    on_time: int = 0
    due: int = 0
    returns: int = 0
    late_or_missing: int = 0
    changes_after_close: int = 0


def department_rows(*, plan: Plan, tasks: QuerySet, quarter: int, weights: ScoringWeights) -> list[DepartmentRow]:
    """Roll-ups by owning department, with its reporting discipline up to ``quarter``."""
    views, _ = stored_views(plan=plan, tasks=tasks, quarter=quarter)
    groups = rollups(views, lambda t: t.department_id, lambda t: t.department.name, weights)
    rows = {g.key: DepartmentRow(rollup=g) for g in groups}
    for view in views:
        row = rows[view.task.department_id]
        row.due += view.submissions_due
        row.on_time += view.submissions_on_time
        row.late_or_missing += view.submissions_due - view.submissions_on_time
        row.returns += view.returns
    late_changes = (
        ReportEvent.objects.filter(report__task__in=tasks.values("pk"), report__period__plan=plan)
        .exclude(exception=None)
        .values_list("report__task__department")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for department_id, n in late_changes:
        rows[department_id].changes_after_close += n
    return sorted(rows.values(), key=lambda r: r.rollup.label)


def task_scores(views: list, weights: ScoringWeights) -> dict[int, Decimal | None]:
    return {v.task.pk: task_score(v, weights.as_dict()) for v in views}


def status_counts(views: list) -> list[tuple[str, int]]:
    counts = Counter(v.assessment.status or "판단 불가" for v in views)
    return [(name, counts[name]) for name in [*STATUS_NAMES, "판단 불가"]]
