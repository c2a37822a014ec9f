"""Plain rules about the plan's own data: which milestones belong to a year, and the months they cover."""

import datetime


def months_covered(*, start: datetime.date, end: datetime.date | None, year: int) -> list[bool]:
    """For each month of ``year``, whether the span start..end (month precision) covers it.

    An open end (the plan's "’16~" or "~ 현재") runs to the end of ``year``.
    """
    last = end or datetime.date(year, 12, 1)
    first_key = start.year * 12 + start.month
    last_key = last.year * 12 + last.month
    return [first_key <= year * 12 + month <= last_key for month in range(1, 13)]


def covers_year(*, start: datetime.date, end: datetime.date | None, year: int) -> bool:
    """The milestones of a year: those covering at least one of its months."""
    return any(months_covered(start=start, end=end, year=year))
