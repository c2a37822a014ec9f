"""Pure rules of quarterly reporting: the quarter calendar, achievement, milestone lateness and overdue reports.

Numbers and dates in, numbers and words out; no database access. Every page, export, form, template
formula and command calls these (the offline template's 달성률 formula is written by
``achievement_formula`` beside the rule it mirrors)."""

import calendar
import datetime
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from reports.models import MilestoneProgress, ProgressReport

Milestone, Report = MilestoneProgress.Status, ProgressReport.Status  # the codes the rules compare
# Fields whose history and preview values are stored codes; people read the choices' Korean labels.
CHOICE_LABELS = {"status": dict(Milestone.choices), "self_assessment": dict(ProgressReport.SelfAssessment.choices)}

# Values past this are typing mistakes, not results.
MAX_INDICATOR_VALUE = Decimal("1000000000")

# Achievement above this counts as this much (a huge over-achievement cannot hide other failures).
ACHIEVEMENT_CAP = Decimal("1.2")
# 초과달성 from this rate up; 달성 from 1.0; below 1.0 미달성.
OVER_ACHIEVED_FROM = Decimal("1.1")
RATE_PLACES = Decimal("0.0001")
PERCENT_PLACES = Decimal("0.1")


# ---------------------------------------------------------------- the quarter calendar


def quarter_dates(*, year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
    """Default opening and due dates: a quarter opens on its first day and is due 10 days after it ends."""
    opens_on = datetime.date(year, 3 * quarter - 2, 1)
    next_quarter = datetime.date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1)
    return opens_on, next_quarter + datetime.timedelta(days=9)


def quarter_end(year: int, quarter: int) -> datetime.date:
    """The last day of the quarter: the date its figures are judged at once it is over."""
    month = 3 * quarter
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def judged_on(*, year: int, quarter: int, today: datetime.date) -> datetime.date:
    """The day a quarter's figures are judged at: its last day, or today while it is still running."""
    return min(quarter_end(year, quarter), today)


def expected_fraction(quarter: int) -> Decimal:
    """Share of the year's target or budget expected by the end of the quarter (linear)."""
    return Decimal(quarter) / 4


def pace(share: Decimal, quarter: int) -> Decimal:
    """A share of the year's target or budget against what is expected by the end of ``quarter`` (1 = on pace):
    the pace of an indicator's 달성률 and of a task's 집행률 alike."""
    return share / expected_fraction(quarter)


def month_end(day: datetime.date) -> datetime.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


# ---------------------------------------------------------------- achievement


def actual_to_date(*, cumulative: bool, values: Sequence[Decimal | None]) -> Decimal | None:
    """An indicator's actual as of a quarter, from its reports' values in quarter order (latest last).

    A cumulative indicator reports its running total, so the latest report's value is the figure; a
    periodic one reports each quarter's own figure, so the quarters add up. Nothing in the latest
    report is no figure for either."""
    if not values or values[-1] is None:
        return None
    if cumulative:
        return values[-1]
    present = [v for v in values if v is not None]
    return sum(present, Decimal(0)) if present else None


def achievement_rate(*, actual: Decimal | None, target: Decimal | None, higher_is_better: bool) -> Decimal | None:
    """달성률: actual ÷ target (target ÷ actual when lower is better), at most ``ACHIEVEMENT_CAP``.

    No value or no target: None (not judged). Target 0: met (1) when higher is better; when lower is
    better, met if the actual is 0 too, else 0. Lower is better and an actual of 0 against a positive
    target beats any target: the cap."""
    if actual is None or target is None:
        return None
    if target == 0:
        return Decimal(1) if higher_is_better or actual == 0 else Decimal(0)
    if higher_is_better:
        rate = Decimal(actual) / Decimal(target)
    elif actual == 0:
        rate = ACHIEVEMENT_CAP
    else:
        rate = Decimal(target) / Decimal(actual)
    return min(max(rate, Decimal(0)), ACHIEVEMENT_CAP).quantize(RATE_PLACES, rounding=ROUND_HALF_UP)


def achievement_formula(*, actual: str, target: str, higher_is_better: bool, earlier: Decimal | None = None) -> str:
    """``achievement_rate`` of ``actual_to_date`` as a spreadsheet formula over two cell references (the offline
    template's 달성률); ``earlier`` is what a periodic indicator's earlier quarters add to the typed value."""
    cap, value = ACHIEVEMENT_CAP, f"({actual}+{earlier})" if earlier else actual
    if higher_is_better:
        rate = f"IF({target}=0,1,MIN({cap},MAX(0,{value}/{target})))"
    else:
        rate = f"IF({target}=0,IF({value}=0,1,0),IF({value}=0,{cap},MIN({cap},MAX(0,{target}/{value}))))"
    return f'=IF(OR({actual}="",{target}=""),"",ROUND({rate},4))'


def is_off_target(rate: Decimal | None) -> bool:
    """미달성: below the target. No rate (no value or no target) is not judged off target."""
    return rate is not None and rate < 1


def achievement_class(rate: Decimal | None) -> str | None:
    if rate is None:
        return None
    if rate >= OVER_ACHIEVED_FROM:
        return "초과달성"
    return "달성" if rate >= 1 else "미달성"


def percent_value(rate: Decimal | None) -> Decimal | None:
    """A rate in percent, rounded as ``percent_text`` shows it (open data publishes the number): 0.2675 → 26.8."""
    if rate is None:
        return None
    return (Decimal(rate) * 100).quantize(PERCENT_PLACES, rounding=ROUND_HALF_UP)


def percent_text(rate: Decimal | None) -> str:
    """A rate as people read it, on every page and chart: 0.2675 → "26.8%", 0.5 → "50%"; none → "–"."""
    if rate is None:
        return "–"
    return f"{percent_value(rate):f}".removesuffix(".0") + "%"


# ---------------------------------------------------------------- milestones


def milestone_is_due(*, planned_end: datetime.date | None, status: str, as_of: datetime.date) -> bool:
    """A milestone counts for adherence once its planned month has ended by ``as_of`` (cancelled ones never)."""
    return planned_end is not None and status != Milestone.CANCELLED and month_end(planned_end) <= as_of


def milestone_days_late(
    *, planned_end: datetime.date | None, status: str, actual_end: datetime.date | None, as_of: datetime.date
) -> int:
    """Days past the end of the planned month: to completion, or to ``as_of`` while unfinished."""
    if planned_end is None or status == Milestone.CANCELLED:
        return 0
    finished = actual_end if status == Milestone.DONE else None
    return max(0, ((finished or as_of) - month_end(planned_end)).days)


def milestone_is_late(
    *, planned_end: datetime.date | None, status: str, actual_end: datetime.date | None, as_of: datetime.date
) -> bool:
    """Late when reported 지연, or past its planned month (finished after it, or unfinished at ``as_of``)."""
    days = milestone_days_late(planned_end=planned_end, status=status, actual_end=actual_end, as_of=as_of)
    return status == Milestone.LATE or days > 0


# ---------------------------------------------------------------- reporting


def choice_label(field: str, value: str) -> str:
    """A stored change value as people read it: a choice's Korean label, anything else as it is."""
    return CHOICE_LABELS.get(field, {}).get(value, value)


def is_overdue(*, started: bool, due_on: datetime.date, today: datetime.date, status: str | None) -> bool:
    """A started quarter (not 예정) past its due date with nothing submitted (no report, a draft, a returned one)."""
    return started and due_on < today and status not in (Report.SUBMITTED, Report.APPROVED)
