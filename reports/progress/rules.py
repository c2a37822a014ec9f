"""Pure rules of quarterly reporting: numbers and dates in, answers out. No database access."""

import calendar
import datetime
from decimal import Decimal

# Values past these are typing mistakes, not results.
MAX_INDICATOR_VALUE = Decimal("1000000000")
MAX_SPENT_MILLION_WON = 100_000_000


def quarter_dates(*, year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
    """Default opening and due dates: a quarter opens on its first day and is due 10 days after it ends."""
    opens_on = datetime.date(year, 3 * quarter - 2, 1)
    next_quarter = datetime.date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1)
    return opens_on, next_quarter + datetime.timedelta(days=9)


def expected_fraction(quarter: int) -> Decimal:
    """Share of the year's target or budget expected by the end of the quarter (linear)."""
    return Decimal(quarter) / 4


def quarter_end(year: int, quarter: int) -> datetime.date:
    """The last day of the quarter: the date its figures are judged at once it is over."""
    month = 3 * quarter
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def month_end(day: datetime.date) -> datetime.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def achievement_rate(
    *, actual: Decimal | None, target: Decimal | None, higher_is_better: bool = True
) -> Decimal | None:
    """actual ÷ target (or target ÷ actual when lower is better); None where it cannot be judged."""
    if actual is None or target is None or target == 0:
        return None
    if higher_is_better:
        return Decimal(actual) / Decimal(target)
    if actual == 0:
        return None
    return Decimal(target) / Decimal(actual)


def is_off_target(rate: Decimal | None) -> bool:
    """미달성: below the target. No rate (no value or no target) is not judged off target."""
    return rate is not None and rate < 1


def execution_figures(*, available: int | None, spent: int | None) -> tuple[int | None, Decimal | None]:
    """집행잔액 (available − spent) and 집행률 (spent ÷ available)."""
    if available is None or spent is None:
        return None, None
    balance = available - spent
    rate = Decimal(spent) / Decimal(available) if available else None
    return balance, rate


def is_overspent(*, available: int | None, spent: int | None) -> bool:
    return available is not None and spent is not None and spent > available


def milestone_is_late(*, planned_end: datetime.date | None, actual_end: datetime.date | None, status: str) -> bool:
    """Late when reported 지연, or finished after the month the plan gave."""
    if status == "late":
        return True
    if planned_end is None or actual_end is None:
        return False
    return (actual_end.year, actual_end.month) > (planned_end.year, planned_end.month)


def covers_year(*, start: datetime.date, end: datetime.date | None, year: int) -> bool:
    """A milestone belongs to a year's reports when its span touches that year."""
    return start.year <= year and (end is None or end.year >= year)


def column_covers_year(*, from_year: int | None, to_year: int, year: int) -> bool:
    return (from_year is None or from_year <= year) and year <= to_year


def is_overdue(*, due_on: datetime.date, today: datetime.date, status: str | None) -> bool:
    """Past the due date with nothing submitted (no report, a draft, or a returned one)."""
    return due_on < today and status not in ("submitted", "approved")
