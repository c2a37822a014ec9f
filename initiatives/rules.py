"""Plain rules about the plan's own data: which milestones belong to a year, and the months of it they cover."""

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


def span_in_year(
    *, start: datetime.date, end: datetime.date | None, year: int
) -> tuple[datetime.date, datetime.date] | None:
    """The first and last month of ``year`` the span covers (``months_covered``), as their 1st days; None if none.

    Every Gantt of a year (the task page, the schedule) draws a milestone over these months."""
    months = [month for month, on in enumerate(months_covered(start=start, end=end, year=year), start=1) if on]
    return (datetime.date(year, months[0], 1), datetime.date(year, months[-1], 1)) if months else None
