"""Evaluation rules (평가 기준): roll-ups, task status and scores, from plain facts.

Everything here is pure: facts in, numbers and Korean explanations out. ``reports.evaluation.annual``
gathers the facts from the database; the 평가 기준 page (/criteria/) prints the constants below.
"""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from budgets import rules as budget_rules
from reports.models import MilestoneProgress, TaskStatus
from reports.progress import rules
from reports.progress.rules import expected_fraction

# Task status thresholds on pace (value ÷ what is expected by the end of the quarter).
STATUS_DELAYED_BELOW = Decimal("0.7")
STATUS_ATTENTION_BELOW = Decimal("0.9")
BUDGET_DELAYED_BELOW = Decimal("0.5")
BUDGET_ATTENTION_BELOW = Decimal("0.8")
MILESTONE_DELAYED_DAYS = 30
GRADES = [(Decimal(90), "S"), (Decimal(80), "A"), (Decimal(70), "B"), (Decimal(60), "C"), (Decimal(0), "D")]
COMPONENTS = ("indicator", "milestone", "budget", "timeliness")
PERFORMANCE_COMPONENTS = ("indicator", "milestone", "budget")
COMPONENT_LABELS = {
    "indicator": "성과지표",
    "milestone": "추진일정",
    "budget": "예산 집행",
    "timeliness": "보고 적시성",
}
# The parts of a score's provenance (``TaskScore.provenance``) as the score page and the 산출 근거 sheet name them.
PROVENANCE_LABELS = {
    "status": "진단",
    "weights_version": "가중치 버전",
    "weights": "가중치",
    "components": "항목 값 (0~1)",
    "rules": "규칙",
    "report_ids": "사용한 보고",
    "indicators": COMPONENT_LABELS["indicator"],
    "milestones": COMPONENT_LABELS["milestone"],
    "budget": COMPONENT_LABELS["budget"],
    "submissions": COMPONENT_LABELS["timeliness"],
}

Milestone = MilestoneProgress.Status
ON_TRACK, ATTENTION, DELAYED, UNDETERMINED = (
    TaskStatus.ON_TRACK,
    TaskStatus.ATTENTION,
    TaskStatus.DELAYED,
    TaskStatus.UNDETERMINED,
)


@dataclass(frozen=True)
class IndicatorFact:
    name: str
    target: Decimal | None
    actual: Decimal | None
    higher_is_better: bool = True
    report_ids: tuple[int, ...] = ()

    @property
    def rate(self) -> Decimal | None:
        """달성률 (``rules.achievement_rate``)."""
        return rules.achievement_rate(actual=self.actual, target=self.target, higher_is_better=self.higher_is_better)


@dataclass(frozen=True)
class MilestoneFact:
    label: str
    planned_end: datetime.date | None
    status: str
    actual_end: datetime.date | None = None
    report_id: int | None = None


@dataclass(frozen=True)
class BudgetFact:
    name: str
    available: int | None
    spent: int | None
    report_id: int | None = None


@dataclass(frozen=True)
class SubmissionFact:
    quarter: int
    due_on: datetime.date
    first_submitted_on: datetime.date | None
    returns: int = 0
    status: str | None = None  # the quarter's report status now; None without a report
    started: bool = True  # the quarter has been opened (not 예정)


@dataclass
class TaskFacts:
    """What is known of one task as of the end of ``quarter``."""

    quarter: int
    non_budget: bool = False
    has_report: bool = False
    report_quarter: int | None = None  # the quarter of the report the figures come from
    indicators: list[IndicatorFact] = field(default_factory=list)
    milestones: list[MilestoneFact] = field(default_factory=list)
    budgets: list[BudgetFact] = field(default_factory=list)
    submissions: list[SubmissionFact] = field(default_factory=list)


def quantize(value: Decimal | None, places: str = "0.0001") -> Decimal | None:
    return None if value is None else Decimal(value).quantize(Decimal(places), rounding=ROUND_HALF_UP)


# ---------------------------------------------------------------- indicators


def indicator_component(facts: list[IndicatorFact], quarter: int) -> Decimal | None:
    """Mean of each indicator's pace (rate ÷ expected by now), capped; indicators without a rate left out."""
    paces = [pace for pace in (_indicator_pace(f, quarter) for f in facts) if pace is not None]
    if not paces:
        return None
    return quantize(sum(min(p, rules.ACHIEVEMENT_CAP) for p in paces) / len(paces))


def _indicator_pace(fact: IndicatorFact, quarter: int) -> Decimal | None:
    return None if fact.rate is None else rules.pace(fact.rate, quarter)


# ---------------------------------------------------------------- milestones


def milestone_days_late(fact: MilestoneFact, as_of: datetime.date) -> int:
    """``rules.milestone_days_late`` of a milestone fact."""
    return rules.milestone_days_late(
        planned_end=fact.planned_end, status=fact.status, actual_end=fact.actual_end, as_of=as_of
    )


def milestone_component(facts: list[MilestoneFact], as_of: datetime.date) -> tuple[Decimal | None, int, int]:
    """(on time ÷ due, on time, due). A milestone is due when its planned month has ended by ``as_of``."""
    due = [f for f in facts if rules.milestone_is_due(planned_end=f.planned_end, status=f.status, as_of=as_of)]
    on_time = [f for f in due if f.status == Milestone.DONE and milestone_days_late(f, as_of) == 0]
    if not due:
        return None, 0, 0
    return quantize(Decimal(len(on_time)) / len(due)), len(on_time), len(due)


# ---------------------------------------------------------------- budget


def execution_rate(facts: list[BudgetFact]) -> Decimal | None:
    """A task's 집행률 (``budgets.rules.lines_execution_rate``) from its budget facts."""
    return budget_rules.lines_execution_rate([(f.spent, f.available) for f in facts])


def budget_component(facts: list[BudgetFact], quarter: int, non_budget: bool) -> Decimal | None:
    """Execution pace (rate ÷ expected by now), at most 1: overspending earns nothing extra. Non-budget: None."""
    if non_budget:
        return None
    rate = execution_rate(facts)
    if rate is None:
        return None
    return quantize(min(Decimal(1), rules.pace(rate, quarter)))


# ---------------------------------------------------------------- timeliness


def timeliness_component(facts: list[SubmissionFact], as_of: datetime.date) -> tuple[Decimal | None, int, int]:
    """(on time ÷ due, on time, due) over the quarters whose due date has passed; a missing report is late."""
    due = [f for f in facts if f.due_on < as_of]
    on_time = [f for f in due if f.first_submitted_on is not None and f.first_submitted_on <= f.due_on]
    if not due:
        return None, 0, 0
    return quantize(Decimal(len(on_time)) / len(due)), len(on_time), len(due)


# ---------------------------------------------------------------- status and score


@dataclass
class Assessment:
    components: dict[str, Decimal | None]
    status: TaskStatus
    reasons: list[str]
    notes: list[str] = field(default_factory=list)  # what the figures are based on, not signals

    @property
    def explanation(self) -> str:
        reasons = "; ".join(self.reasons) or ("모든 기준 충족" if self.status == ON_TRACK else "")
        notes = f" ({'; '.join(self.notes)})" if self.notes else ""
        return f"{self.status.label}: {reasons}{notes}"


Signal = tuple[TaskStatus, str]


def assess(facts: TaskFacts, *, as_of: datetime.date, today: datetime.date | None = None) -> Assessment:
    """Components and the derived status (정상/주의/지연), always with the reasons in words.

    ``as_of`` is the day the quarter is judged at; ``today`` (default ``as_of``) tells whether its report is overdue."""
    q = facts.quarter
    components = {
        "indicator": indicator_component(facts.indicators, q),
        "milestone": milestone_component(facts.milestones, as_of)[0],
        "budget": budget_component(facts.budgets, q, facts.non_budget),
        "timeliness": timeliness_component(facts.submissions, as_of)[0],
    }
    submissions = _submission_signals(facts, today or as_of)
    if not facts.has_report:
        reasons = [f"{q}분기까지 승인·제출된 보고가 없습니다", *(reason for _, reason in submissions)]
        return Assessment(components, UNDETERMINED, reasons)
    signals = [
        *_indicator_signals(facts),
        *_budget_signals(facts),
        *_milestone_signals(facts, as_of),
        *submissions,
    ]
    levels = {level for level, _ in signals}
    status = DELAYED if DELAYED in levels else ATTENTION if ATTENTION in levels else ON_TRACK
    return Assessment(components, status, [reason for _, reason in signals], _notes(facts, components))


def _indicator_signals(facts: TaskFacts) -> list[Signal]:
    q, signals = facts.quarter, []
    for fact in facts.indicators:
        pace = _indicator_pace(fact, q)
        if pace is not None and pace < STATUS_ATTENTION_BELOW:
            level = DELAYED if pace < STATUS_DELAYED_BELOW else ATTENTION
            expected = rules.percent_text(expected_fraction(q))
            signals.append(
                (level, f"지표 '{fact.name}' 달성률 {rules.percent_text(fact.rate)}, {q}분기 기대치 {expected}")
            )
    return signals


def _budget_signals(facts: TaskFacts) -> list[Signal]:
    rate = None if facts.non_budget else execution_rate(facts.budgets)
    if rate is None:
        return []
    q, expected = facts.quarter, expected_fraction(facts.quarter)
    if rate > 1:
        return [(ATTENTION, f"집행률 {rules.percent_text(rate)}: 예산현액 초과 집행")]
    pace = rules.pace(rate, q)
    if pace >= BUDGET_ATTENTION_BELOW:
        return []
    level = DELAYED if pace < BUDGET_DELAYED_BELOW else ATTENTION
    return [(level, f"집행률 {rules.percent_text(rate)}, {q}분기 기대치 {rules.percent_text(expected)}")]


def _milestone_signals(facts: TaskFacts, as_of: datetime.date) -> list[Signal]:
    signals = []
    for fact in facts.milestones:
        days = milestone_days_late(fact, as_of)
        if days:
            level = DELAYED if days >= MILESTONE_DELAYED_DAYS else ATTENTION
            signals.append((level, f"일정 '{fact.label}' {days}일 지연"))
    return signals


def _submission_signals(facts: TaskFacts, today: datetime.date) -> list[Signal]:
    """The quarter's own report when it is overdue, as the review inbox lists it (lateness itself is scored)."""
    own = next((f for f in facts.submissions if f.quarter == facts.quarter), None)
    if own is None:
        return []
    due = f"{own.due_on.month}월 {own.due_on.day}일"
    if rules.is_overdue(started=own.started, due_on=own.due_on, today=today, status=own.status):
        return [(ATTENTION, f"{own.quarter}분기 보고 기한({due}) 경과: 미제출")]
    return []


def _notes(facts: TaskFacts, components: dict[str, Decimal | None]) -> list[str]:
    notes = []
    if facts.report_quarter is not None and facts.report_quarter != facts.quarter:
        notes.append(f"{facts.report_quarter}분기 보고 기준")
    if not any(components[name] is not None for name in PERFORMANCE_COMPONENTS):
        notes.append("점수 없음: 성과지표·추진일정·예산 집행 중 판단할 항목이 없습니다")
    return notes


def weighted_total(components: dict[str, Decimal | None], weights: dict[str, int]) -> Decimal | None:
    """0–100. A component without a value is left out and its weight shared among the others."""
    present = {name: value for name, value in components.items() if value is not None and weights.get(name)}
    weight_sum = sum(weights[name] for name in present)
    if not weight_sum:
        return None
    raw = sum(min(Decimal(1), value) * weights[name] for name, value in present.items()) / weight_sum * 100
    return quantize(raw, "0.01")


def task_total(assessment: Assessment, weights: dict[str, int]) -> Decimal | None:
    """No score from lateness alone: a task needs a report (else 판단 불가) and at least one of
    indicators, milestones or budget with a value."""
    components = assessment.components
    if assessment.status == UNDETERMINED or all(components[name] is None for name in PERFORMANCE_COMPONENTS):
        return None
    return weighted_total(components, weights)


def grade(total: Decimal | None) -> str:
    if total is None:
        return ""
    return next(letter for floor, letter in GRADES if total >= floor)


def rollup(values: list[tuple[Decimal | None, Decimal]]) -> tuple[Decimal | None, int]:
    """Weighted mean of (value, weight) pairs; values that are None are left out, not counted as zero.

    Returns the mean and how many were left out."""
    present = [(v, w) for v, w in values if v is not None and w > 0]
    return mean_from_sums(sum(v * w for v, w in present), sum(w for _, w in present)), len(values) - len(present)


def mean_from_sums(total: Decimal, weight: Decimal | int, places: str = "0.01") -> Decimal | None:
    """The roll-up's mean from Σ value × weight and Σ weight (summed here or by the database); scores to
    0.01, shares (0–1.2) to ``places="0.0001"`` so that their percent keeps its one decimal."""
    return quantize(Decimal(total) / weight, places) if weight else None
