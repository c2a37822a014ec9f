"""Evaluation rules (평가 기준): roll-ups, task status and scores, from plain facts.

Everything here is pure: facts in, numbers and Korean explanations out. ``reports.evaluation.annual``
gathers the facts from the database; the 평가 기준 page (/criteria/) prints the constants below.
"""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from reports.progress import rules
from reports.progress.rules import expected_fraction, month_end

# Achievement above this counts as this much (a huge over-achievement cannot hide other failures).
ACHIEVEMENT_CAP = Decimal("1.2")
# 초과달성 from this rate up; 달성 from 1.0; below 1.0 미달성.
OVER_ACHIEVED_FROM = Decimal("1.1")
# Task status thresholds on pace (value ÷ what is expected by the end of the quarter).
STATUS_DELAYED_BELOW = Decimal("0.7")
STATUS_ATTENTION_BELOW = Decimal("0.9")
BUDGET_DELAYED_BELOW = Decimal("0.5")
BUDGET_ATTENTION_BELOW = Decimal("0.8")
MILESTONE_DELAYED_DAYS = 30
GRADES = [(Decimal(90), "S"), (Decimal(80), "A"), (Decimal(70), "B"), (Decimal(60), "C"), (Decimal(0), "D")]
COMPONENTS = ("indicator", "milestone", "budget", "timeliness")
COMPONENT_LABELS = {
    "indicator": "성과지표",
    "milestone": "추진일정",
    "budget": "예산 집행",
    "timeliness": "보고 적시성",
}

ON_TRACK, ATTENTION, DELAYED = "정상", "주의", "지연"


@dataclass(frozen=True)
class IndicatorFact:
    name: str
    target: Decimal | None
    actual: Decimal | None
    higher_is_better: bool = True
    report_ids: tuple[int, ...] = ()


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


@dataclass
class TaskFacts:
    """What is known of one task as of the end of ``quarter``."""

    quarter: int
    non_budget: bool = False
    has_report: bool = False
    indicators: list[IndicatorFact] = field(default_factory=list)
    milestones: list[MilestoneFact] = field(default_factory=list)
    budgets: list[BudgetFact] = field(default_factory=list)
    submissions: list[SubmissionFact] = field(default_factory=list)


def quantize(value: Decimal | None, places: str = "0.0001") -> Decimal | None:
    return None if value is None else Decimal(value).quantize(Decimal(places), rounding=ROUND_HALF_UP)


# ---------------------------------------------------------------- indicators


def indicator_rate(*, actual: Decimal | None, target: Decimal | None, higher_is_better: bool) -> Decimal | None:
    """actual ÷ target, direction-aware. Target 0: met when the actual is 0 (lower is better) or any
    value (higher is better); no value or no target: None, and the indicator is left out."""
    if actual is None or target is None:
        return None
    if target == 0:
        if higher_is_better:
            return Decimal(1)
        return Decimal(1) if actual == 0 else Decimal(0)
    return rules.achievement_rate(actual=actual, target=target, higher_is_better=higher_is_better) or Decimal(0)


def achievement_class(rate: Decimal | None) -> str | None:
    if rate is None:
        return None
    if rate >= OVER_ACHIEVED_FROM:
        return "초과달성"
    return "달성" if rate >= 1 else "미달성"


def indicator_component(facts: list[IndicatorFact], quarter: int) -> Decimal | None:
    """Mean of each indicator's pace (rate ÷ expected by now), capped; indicators without a rate left out."""
    paces = [pace for pace in (_indicator_pace(f, quarter) for f in facts) if pace is not None]
    if not paces:
        return None
    return quantize(sum(min(p, ACHIEVEMENT_CAP) for p in paces) / len(paces))


def _indicator_pace(fact: IndicatorFact, quarter: int) -> Decimal | None:
    rate = indicator_rate(actual=fact.actual, target=fact.target, higher_is_better=fact.higher_is_better)
    return None if rate is None else rate / expected_fraction(quarter)


# ---------------------------------------------------------------- milestones


def milestone_days_late(fact: MilestoneFact, as_of: datetime.date) -> int:
    """Days past the end of the planned month: to completion, or to ``as_of`` while unfinished."""
    if fact.planned_end is None or fact.status == "cancelled":
        return 0
    deadline = month_end(fact.planned_end)
    finished = fact.actual_end if fact.status == "done" else None
    return max(0, ((finished or as_of) - deadline).days)


def milestone_component(facts: list[MilestoneFact], as_of: datetime.date) -> tuple[Decimal | None, int, int]:
    """(on time ÷ due, on time, due). A milestone is due when its planned month has ended by ``as_of``."""
    due = [f for f in facts if f.planned_end and f.status != "cancelled" and month_end(f.planned_end) <= as_of]
    on_time = [f for f in due if f.status == "done" and milestone_days_late(f, as_of) == 0]
    if not due:
        return None, 0, 0
    return quantize(Decimal(len(on_time)) / len(due)), len(on_time), len(due)


# ---------------------------------------------------------------- budget


def execution_rate(facts: list[BudgetFact]) -> Decimal | None:
    """Σ 지출액 누계 ÷ Σ 예산현액 over lines with both figures."""
    pairs = [(f.spent, f.available) for f in facts if f.spent is not None and f.available]
    if not pairs:
        return None
    return quantize(Decimal(sum(s for s, _ in pairs)) / sum(a for _, a in pairs))


def budget_component(facts: list[BudgetFact], quarter: int, non_budget: bool) -> Decimal | None:
    """Execution pace (rate ÷ expected by now), at most 1: overspending earns nothing extra. Non-budget: None."""
    if non_budget:
        return None
    rate = execution_rate(facts)
    if rate is None:
        return None
    return quantize(min(Decimal(1), rate / expected_fraction(quarter)))


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
    status: str | None
    reasons: list[str]

    @property
    def explanation(self) -> str:
        if self.status is None:
            return "판단 불가: " + "; ".join(self.reasons)
        return f"{self.status}: " + ("; ".join(self.reasons) if self.reasons else "모든 기준 충족")


def _percent(value: Decimal) -> str:
    return f"{(value * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)}%"


def assess(facts: TaskFacts, *, as_of: datetime.date) -> Assessment:
    """Components and the derived status (정상/주의/지연), always with the reasons in words."""
    q = facts.quarter
    expected = expected_fraction(q)
    components = {
        "indicator": indicator_component(facts.indicators, q),
        "milestone": milestone_component(facts.milestones, as_of)[0],
        "budget": budget_component(facts.budgets, q, facts.non_budget),
        "timeliness": timeliness_component(facts.submissions, as_of)[0],
    }
    if not facts.has_report:
        return Assessment(components, None, [f"{q}분기까지 승인·제출된 보고가 없습니다"])
    signals: list[tuple[str, str]] = []
    for fact in facts.indicators:
        pace = _indicator_pace(fact, q)
        if pace is not None and pace < STATUS_ATTENTION_BELOW:
            level = DELAYED if pace < STATUS_DELAYED_BELOW else ATTENTION
            rate = indicator_rate(actual=fact.actual, target=fact.target, higher_is_better=fact.higher_is_better)
            signals.append((level, f"지표 '{fact.name}' 달성률 {_percent(rate)}, {q}분기 기대치 {_percent(expected)}"))
    rate = None if facts.non_budget else execution_rate(facts.budgets)
    if rate is not None:
        pace = rate / expected
        if rate > 1:
            signals.append((ATTENTION, f"집행률 {_percent(rate)}: 예산현액 초과 집행"))
        elif pace < BUDGET_ATTENTION_BELOW:
            level = DELAYED if pace < BUDGET_DELAYED_BELOW else ATTENTION
            signals.append((level, f"집행률 {_percent(rate)}, {q}분기 기대치 {_percent(expected)}"))
    for fact in facts.milestones:
        days = milestone_days_late(fact, as_of)
        if days:
            level = DELAYED if days >= MILESTONE_DELAYED_DAYS else ATTENTION
            signals.append((level, f"일정 '{fact.label}' {days}일 지연"))
    levels = {level for level, _ in signals}
    status = DELAYED if DELAYED in levels else ATTENTION if ATTENTION in levels else ON_TRACK
    return Assessment(components, status, [reason for _, reason in signals])


def weighted_total(components: dict[str, Decimal | None], weights: dict[str, int]) -> Decimal | None:
    """0–100. A component without a value is left out and its weight shared among the others."""
    present = {name: value for name, value in components.items() if value is not None and weights.get(name)}
    weight_sum = sum(weights[name] for name in present)
    if not weight_sum:
        return None
    raw = sum(min(Decimal(1), value) * weights[name] for name, value in present.items()) / weight_sum * 100
    return quantize(raw, "0.01")


def task_total(assessment: Assessment, weights: dict[str, int]) -> Decimal | None:
    """A task with no report at all gets no score (판단 불가) rather than one made of lateness alone."""
    if assessment.status is None:
        return None
    return weighted_total(assessment.components, weights)


def grade(total: Decimal | None) -> str:
    if total is None:
        return ""
    return next(letter for floor, letter in GRADES if total >= floor)


def rollup(values: list[tuple[Decimal | None, Decimal]]) -> tuple[Decimal | None, int]:
    """Weighted mean of (value, weight) pairs; values that are None are left out, not counted as zero.

    Returns the mean and how many were left out."""
    present = [(v, w) for v, w in values if v is not None and w > 0]
    return mean_from_sums(sum(v * w for v, w in present), sum(w for _, w in present)), len(values) - len(present)


def mean_from_sums(total: Decimal, weight: Decimal | int) -> Decimal | None:
    """The roll-up's mean from Σ value × weight and Σ weight (summed here or by the database)."""
    return quantize(Decimal(total) / weight, "0.01") if weight else None
