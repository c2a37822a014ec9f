"""Dashboard figures: roll-ups, reporting discipline and charts, computed from ``PlanData``.

One load (``evaluation.plan_data``) feeds every number and chart on a page, so a dashboard runs
the same queries with 16 tasks or 500.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from reports import charts, rules, scoring
from reports.evaluation import PlanData, PlanFacts, Rollup, TaskView, progress_figures, rollups, task_score
from reports.models import ProgressReport, ScoringWeights

STATUS_NAMES = [scoring.ON_TRACK, scoring.ATTENTION, scoring.DELAYED]


def _pct(value: Decimal | None) -> Decimal | None:
    return None if value is None else scoring.quantize(value * 100, "0.1")


@dataclass
class PlanDashboard:
    facts: PlanFacts
    views: list[TaskView]
    areas: list[Rollup]
    programmes: list[Rollup]
    total: Rollup
    charts: "list[charts.Chart]" = field(default_factory=list)

    @property
    def has_sample(self) -> bool:
        return has_sample(self.facts.tasks)


def has_sample(views: list[TaskView]) -> bool:
    """Whether any figure shown comes from demo sample reports (they must be marked on the page)."""
    return any(v.report is not None and v.report.is_sample for v in views)


def area_rollups(views: list[TaskView], weights: ScoringWeights) -> list[Rollup]:
    return rollups(
        views,
        lambda t: t.programme.strategic_area.number,
        lambda t: f"{t.programme.strategic_area.number}. {t.programme.strategic_area.title}",
        weights,
    )


def programme_rollups(views: list[TaskView], weights: ScoringWeights) -> list[Rollup]:
    return rollups(
        views,
        lambda t: (t.programme.strategic_area.number, t.programme.number),
        lambda t: f"{t.programme.code}. {t.programme.title}",
        weights,
    )


def plan_dashboard(data: PlanData, *, quarter: int, weights: ScoringWeights, status: str = "") -> PlanDashboard:
    facts = data.facts(quarter)
    views = [v for v in facts.tasks if not status or (v.assessment.status or "판단 불가") == status]
    areas = area_rollups(views, weights)
    programmes = programme_rollups(views, weights)
    total = (rollups(views, lambda t: 0, lambda t: "전체", weights) or [Rollup(key=0, label="전체")])[0]
    dashboard = PlanDashboard(facts, views, areas, programmes, total)
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
        _budget_chart(data, views),
        _completeness_chart(data, {v.task.pk for v in views}),
        _trend_chart(data, {v.task.pk for v in views}),
    ]
    return dashboard


def _budget_chart(data: PlanData, views: list[TaskView]) -> charts.Chart:
    """Plan amounts per printed year column; execution (this year's reports) in the plan year's columns."""
    planned: dict[tuple, int] = defaultdict(int)
    executed: dict[tuple, int] = defaultdict(int)
    for view in views:
        for line in data.budget_lines(view.task):
            for amount in line.amounts:
                key = (amount.column.to_year, amount.column.from_year or 0, amount.column.label)
                planned[key] += amount.amount
        for fact in view.facts.budgets:
            if fact.spent is not None:
                executed[_plan_year_key(data, view, data.plan.year)] += fact.spent
    keys = sorted(set(planned) | {k for k in executed if k})
    return charts.budget_plan_vs_execution(
        "chart-budget",
        [k[2] for k in keys],
        [planned.get(k, 0) for k in keys],
        [executed.get(k) if k in executed else None for k in keys],
    )


def _plan_year_key(data: PlanData, view: TaskView, year: int) -> tuple:
    for line in data.budget_lines(view.task):
        for amount in line.amounts:
            column = amount.column
            if rules.column_covers_year(from_year=column.from_year, to_year=column.to_year, year=year):
                return (column.to_year, column.from_year or 0, column.label)
    return (year, year, f"'{year % 100}년")


SUBMISSION_SERIES = {
    "승인": {ProgressReport.Status.APPROVED},
    "제출(검토 대기)": {ProgressReport.Status.SUBMITTED},
    "작성중·반려": {ProgressReport.Status.DRAFT, ProgressReport.Status.RETURNED},
}


def _completeness_chart(data: PlanData, task_ids: set[int]) -> charts.Chart:
    quarters = [f"{p.quarter}분기" for p in data.periods]
    statuses = {(r.task_id, r.period_id): r.status for r in data.reports if r.task_id in task_ids}
    series = {
        name: [sum(1 for (t, p), s in statuses.items() if p == period.pk and s in wanted) for period in data.periods]
        for name, wanted in SUBMISSION_SERIES.items()
    }
    series["미작성"] = [len(task_ids) - sum(1 for (t, p) in statuses if p == period.pk) for period in data.periods]
    return charts.submission_completeness("chart-completeness", quarters, series)


def _trend_chart(data: PlanData, task_ids: set[int]) -> charts.Chart:
    achievement, execution = [], []
    for quarter in range(1, 5):
        figures = [f for pk, f in progress_figures(data, quarter=quarter).items() if pk in task_ids]
        achievement.append(_pct(scoring.rollup([(indicator, Decimal(1)) for indicator, _ in figures])[0]))
        execution.append(_pct(scoring.execution_rate([b for _, budgets in figures for b in budgets])))
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


def department_rows(data: PlanData, *, quarter: int, weights: ScoringWeights) -> list[DepartmentRow]:
    """Roll-ups by owning department, with its reporting discipline up to ``quarter``."""
    facts = data.facts(quarter)
    groups = rollups(facts.tasks, lambda t: t.department_id, lambda t: t.department.name, weights)
    rows = {g.key: DepartmentRow(rollup=g) for g in groups}
    for view in facts.tasks:
        row = rows[view.task.department_id]
        for submission in view.facts.submissions:
            if submission.due_on < facts.as_of:
                row.due += 1
                on_time = (
                    submission.first_submitted_on is not None and submission.first_submitted_on <= submission.due_on
                )
                row.on_time += on_time
                row.late_or_missing += not on_time
            row.returns += submission.returns
    task_department = {t.pk: t.department_id for t in data.tasks}
    for report in data.reports:  # plan_data counts each report's changes made under an exception
        rows[task_department[report.task_id]].changes_after_close += report.late_changes
    return sorted(rows.values(), key=lambda r: r.rollup.label)


def task_scores(views: list[TaskView], weights: ScoringWeights) -> dict[int, Decimal | None]:
    return {v.task.pk: task_score(v, weights.as_dict()) for v in views}


def status_counts(views: list[TaskView]) -> list[tuple[str, int]]:
    counts = Counter(v.assessment.status or "판단 불가" for v in views)
    return [(name, counts[name]) for name in [*STATUS_NAMES, "판단 불가"]]
