"""Dashboard figures: roll-ups, reporting discipline and charts, summed by the database from stored assessments.

``assessments.stored_judging_missing`` makes each selected task's rows current; the roll-ups are then a few grouped
queries, so a dashboard runs the same queries, and little Python, with 16 tasks or 10,000.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Max, Q, QuerySet, Sum

from budgets import rules as budget_rules
from budgets.models import BudgetAmount
from initiatives import charts as plan_charts
from initiatives.models import Milestone, Plan
from initiatives.rules import span_in_year
from initiatives.selectors import milestones_of_year
from reports.evaluation import charts, scoring
from reports.evaluation.assessments import QuarterTotals, Stored, group_sums, stored_judging_missing
from reports.models import MilestoneProgress, ProgressReport, ReportEvent, ReportingPeriod, ScoringWeights, TaskStatus
from reports.progress import rules as progress_rules
from reports.progress.services import periods_ensure


def with_opened_quarter(plans: QuerySet[Plan]) -> QuerySet[Plan]:
    """The plans, each with ``opened_quarter`` (the latest quarter that has opened) and how many quarters it has."""
    opened = Max("periods__quarter", filter=~Q(periods__state=ReportingPeriod.State.SCHEDULED))
    return plans.annotate(opened_quarter=opened, quarters=Count("periods"))


def default_quarter(*, plan: Plan) -> int:
    """The quarter a dashboard (and its workbook) shows when none is chosen: the latest that has opened. Read with
    the plan when it comes through ``with_opened_quarter`` and has its four quarters; else they are made first."""
    if getattr(plan, "quarters", 0) < 4:
        periods_ensure(plan=plan)
        plan = with_opened_quarter(Plan.objects.filter(pk=plan.pk)).get()
    return plan.opened_quarter or 1


def _pct(value: Decimal | None) -> Decimal | None:
    return None if value is None else scoring.quantize(value * 100, "0.1")


@dataclass
class Rollup:
    """A group of tasks (programme, area, department, all) with what its figures add up to."""

    key: object
    label: str
    task_count: int = 0
    status_counts: dict[TaskStatus, int] = field(default_factory=lambda: dict.fromkeys(TaskStatus, 0))
    available: int = 0
    spent: int = 0
    rate_spent: int = 0  # Σ of the lines with both figures: the 집행률 rule's own sums
    rate_available: int = 0
    submitted: int = 0
    scored: int = 0
    score_sum: Decimal = Decimal(0)
    weight_sum: Decimal = Decimal(0)
    samples: int = 0
    due: int = 0
    on_time: int = 0
    returns: int = 0

    def add(self, sums: dict) -> None:
        """Add a group's sums (a row of ``assessments.group_sums``)."""
        self.task_count += sums["tasks"]
        for status in TaskStatus:
            self.status_counts[status] += sums[status.value]
        self.available += sums["available_sum"] or 0
        self.spent += sums["spent_sum"] or 0
        self.rate_spent += sums["rate_spent_sum"] or 0
        self.rate_available += sums["rate_available_sum"] or 0
        for name in ("submitted", "scored", "samples", "due", "on_time", "returns"):
            setattr(self, name, getattr(self, name) + (sums[name] or 0))
        self.score_sum += sums["score_sum"] or 0
        self.weight_sum += sums["weight_sum"] or 0

    @property
    def score(self) -> Decimal | None:
        return scoring.mean_from_sums(self.score_sum, self.weight_sum)

    @property
    def left_out(self) -> int:
        """Tasks without a score (or, weighted by budget, without a budget): not counted as zero."""
        return self.task_count - self.scored

    @property
    def execution_rate(self) -> Decimal | None:
        return budget_rules.execution_rate(spent=self.rate_spent, available=self.rate_available)

    @property
    def completeness(self) -> Decimal | None:
        return scoring.quantize(Decimal(self.submitted) / self.task_count) if self.task_count else None

    @property
    def undetermined(self) -> int:
        return self.status_counts[TaskStatus.UNDETERMINED]

    @property
    def late_or_missing(self) -> int:
        return self.due - self.on_time


PROGRAMME_KEYS = (
    "task__programme__strategic_area__number",
    "task__programme__strategic_area__title",
    "task__programme__number",
    "task__programme__title",
)


@dataclass
class PlanRollups:
    areas: list[Rollup]
    programmes: list[Rollup]
    total: Rollup
    executed: dict[tuple, int]  # spending per plan-year budget column (to_year, from_year, label)


def plan_rollups(selection: Stored, *, quarter: int, status: str | None = None) -> PlanRollups:
    """Programme, area and plan roll-ups of ``quarter`` in one grouped query (programmes add up to areas)."""
    groups = group_sums(
        selection.quarter(quarter, status),
        PROGRAMME_KEYS,
        quarter=quarter,
        by_budget=selection.weights.rollup_by_budget,
    )
    programmes: dict[tuple, Rollup] = {}
    areas: dict[int, Rollup] = {}
    total = Rollup(key=0, label="전체")
    executed: dict[tuple, int] = defaultdict(int)
    for sums in groups:
        area_number, area_title, number, title = (sums[k] for k in PROGRAMME_KEYS)
        key = (area_number, number)
        programmes.setdefault(key, Rollup(key=key, label=f"{area_number}-{number}. {title}")).add(sums)
        areas.setdefault(area_number, Rollup(key=area_number, label=f"{area_number}. {area_title}")).add(sums)
        total.add(sums)
        if sums["spent_sum"] is not None:
            executed[(sums["column_to_year"], sums["column_from_year"], sums["column_label"])] += sums["spent_sum"]
    return PlanRollups(
        [areas[k] for k in sorted(areas)], [programmes[k] for k in sorted(programmes)], total, dict(executed)
    )


@dataclass
class PlanDashboard:
    rows: QuerySet  # the shown tasks' rows of the quarter, for the task table
    areas: list[Rollup]
    programmes: list[Rollup]
    total: Rollup
    charts: "list[charts.Chart]" = field(default_factory=list)

    @property
    def has_sample(self) -> bool:
        return self.total.samples > 0

    @property
    def area_rows(self) -> list[tuple[Rollup, bool]]:
        """The roll-up table's rows in order: each area (True) followed by its programmes."""
        programmes = defaultdict(list)
        for programme in self.programmes:
            programmes[programme.key[0]].append((programme, False))
        return [row for area in self.areas for row in [(area, True), *programmes[area.key]]]

    @property
    def status_counts(self) -> list[tuple[str, int]]:
        return [(status.label, count) for status, count in self.total.status_counts.items()]


def plan_dashboard(
    *, plan: Plan, tasks: QuerySet, quarter: int, weights: ScoringWeights, status: str = ""
) -> PlanDashboard:
    selection = stored_judging_missing(plan=plan, tasks=tasks, weights=weights)
    chosen = TaskStatus(status) if status else None
    rollups = plan_rollups(selection, quarter=quarter, status=chosen)
    rows = selection.quarter(quarter, chosen)
    totals = selection.quarter_totals(quarter, chosen)
    areas = rollups.areas
    dashboard = PlanDashboard(rows, areas, rollups.programmes, rollups.total)
    dashboard.charts = [
        charts.score_by_group(
            "chart-area-score", "추진방안별 종합 점수", [a.label for a in areas], [a.score for a in areas]
        ),
        charts.score_by_group(
            "chart-programme-score",
            "중점 추진과제별 종합 점수",
            [p.label for p in rollups.programmes],
            [p.score for p in rollups.programmes],
        ),
        charts.status_counts(
            "chart-status",
            [a.label for a in areas],
            {status: [a.status_counts[status] for a in areas] for status in TaskStatus},
        ),
        _budget_chart(tasks.values("pk") if chosen is None else rows.values("task_id"), rollups.executed),
        _completeness_chart(totals),
        _trend_chart(totals),
    ]
    return dashboard


def _budget_chart(task_ids: QuerySet, executed: dict[tuple, int]) -> charts.Chart:
    """Plan amounts per printed year column; execution (this year's reports) in the plan year's columns."""
    planned: dict[tuple, int] = defaultdict(int)
    amounts = (
        BudgetAmount.objects.filter(line__table__task__in=task_ids)
        .values_list("column__to_year", "column__from_year", "column__label")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for to_year, from_year, label, total in amounts:
        planned[(to_year, from_year or 0, label)] += total
    keys = sorted(set(planned) | set(executed))
    return charts.budget_plan_vs_execution(
        "chart-budget",
        [k[2] for k in keys],
        [planned.get(k, 0) for k in keys],
        [executed.get(k) for k in keys],
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
        achievement.append(_pct(scoring.mean_from_sums(sums.indicator_sum, sums.indicator_count, "0.0001")))
        execution.append(_pct(budget_rules.execution_rate(spent=sums.rate_spent, available=sums.rate_available)))
    return charts.quarterly_trend(
        "chart-trend",
        [f"{q}분기" for q in range(1, 5)],
        {"성과지표 진도율(기대치 대비)": achievement, "예산 집행률": execution},
    )


@dataclass
class DepartmentRow:
    rollup: Rollup
    changes_after_close: int = 0


def department_rows(*, plan: Plan, tasks: QuerySet, quarter: int, weights: ScoringWeights) -> list[DepartmentRow]:
    """Roll-ups by owning department, with its reporting discipline up to ``quarter``."""
    selection = stored_judging_missing(plan=plan, tasks=tasks, weights=weights)
    keys = ("task__department_id", "task__department__name")
    rows: dict[int, DepartmentRow] = {}
    for sums in group_sums(selection.quarter(quarter), keys, quarter=quarter, by_budget=weights.rollup_by_budget):
        key, name = sums["task__department_id"], sums["task__department__name"]
        rows.setdefault(key, DepartmentRow(Rollup(key=key, label=name))).rollup.add(sums)
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


# ---------------------------------------------------------------- the schedule


def _milestone_item(
    milestone: Milestone, year: int, status: str, as_of, progress: tuple | None
) -> plan_charts.GanttItem:
    """A milestone's row: its months of ``year`` (the rule the task page draws by) in its task's status colour, and
    what the counted report says of it (actual span; lateness by the one rule the scoring uses), if there is one."""
    first, last = span_in_year(start=milestone.start, end=milestone.end, year=year)
    label = f"{milestone.task.number}. {milestone.date_text} {milestone.title}"
    planned = {"label": label, "start": first, "end": last, "status": TaskStatus(status).label}
    if progress is None:
        return plan_charts.GanttItem(**planned, progress="보고 없음")
    state, actual_start, actual_end = progress
    facts = {"planned_end": milestone.end, "status": state, "actual_end": actual_end, "as_of": as_of}
    days = progress_rules.milestone_days_late(**facts)
    late = f"지연 {days}일" if days else ("지연(담당자 보고)" if progress_rules.milestone_is_late(**facts) else "")
    finished = state == MilestoneProgress.Status.DONE
    return plan_charts.GanttItem(
        **planned,
        actual_start=actual_start,
        actual_end=actual_end if finished else (as_of if actual_start else None),
        progress=MilestoneProgress.Status(state).label + ("" if finished else f" ({as_of.month}월 {as_of.day}일 기준)"),
        late=late,
    )


def schedule_tasks(*, plan: Plan, tasks: QuerySet, quarter: int, weights: ScoringWeights, status: str = "") -> QuerySet:
    """The selected tasks with a milestone in the plan year (only those of ``status`` in ``quarter`` when given), by
    number, as ``(task, status, counted report, as of)``: the rows the schedule pages through."""
    rows = stored_judging_missing(plan=plan, tasks=tasks, weights=weights).quarter(
        quarter, TaskStatus(status) if status else None
    )
    scheduled = milestones_of_year(year=plan.year, milestones=Milestone.objects.filter(task__plan=plan))
    rows = rows.filter(task__in=scheduled.values("task_id")).order_by("task__number")
    return rows.values_list("task_id", "status", "report_id", "as_of")


def schedule_chart(*, plan: Plan, judged: list[tuple], quarter: int) -> plan_charts.Chart:
    """The plan year's milestones of the ``judged`` tasks (rows of ``schedule_tasks``): planned months in the task's
    status colour, and what the report ``quarter`` is judged on says was done. Two queries, whatever the number of
    tasks."""
    judged_by_task = {task: rest for task, *rest in judged}
    progress = {
        (report, milestone): tuple(rest)
        for report, milestone, *rest in MilestoneProgress.objects.filter(
            report__in=[report for _, report, _ in judged_by_task.values() if report is not None]
        ).values_list("report_id", "milestone_id", "status", "actual_start", "actual_end")
    }
    milestones = milestones_of_year(year=plan.year, milestones=Milestone.objects.filter(task__in=list(judged_by_task)))
    items = []
    for milestone in milestones.select_related("task").order_by("task__number", "order"):
        status, report, as_of = judged_by_task[milestone.task_id]
        items.append(_milestone_item(milestone, plan.year, status, as_of, progress.get((report, milestone.pk))))
    colours = {s.label: charts.STATUS_COLOURS[s] for s in TaskStatus}
    title = f"{plan.year}년 추진일정 ({quarter}분기 보고 기준)"
    return plan_charts.gantt("chart-gantt", title, items, year=plan.year, colours=colours)
