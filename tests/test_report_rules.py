"""The pure arithmetic of reporting, one case a line."""

import datetime
from decimal import Decimal

from reports.progress import rules


def test_achievement_rate():
    assert rules.achievement_rate(actual=Decimal(171), target=Decimal(342)) == Decimal("0.5")
    assert rules.achievement_rate(actual=Decimal(50), target=Decimal(100), higher_is_better=False) == 2
    assert rules.achievement_rate(actual=None, target=Decimal(1)) is None
    assert rules.achievement_rate(actual=Decimal(1), target=Decimal(0)) is None
    assert rules.achievement_rate(actual=Decimal(0), target=Decimal(5), higher_is_better=False) is None


def test_off_target():
    assert rules.is_off_target(Decimal("0.99")) and not rules.is_off_target(Decimal(1))
    assert not rules.is_off_target(None)


def test_execution_figures_and_overspend():
    assert rules.execution_figures(available=72050, spent=36025) == (36025, Decimal("0.5"))
    assert rules.execution_figures(available=None, spent=1) == (None, None)
    assert rules.execution_figures(available=0, spent=0) == (0, None)
    assert rules.is_overspent(available=100, spent=101) and not rules.is_overspent(available=100, spent=100)


def test_milestone_lateness_is_by_month():
    end = datetime.date(2017, 9, 1)
    assert not rules.milestone_is_late(planned_end=end, actual_end=datetime.date(2017, 9, 30), status="done")
    assert rules.milestone_is_late(planned_end=end, actual_end=datetime.date(2017, 10, 1), status="done")
    assert rules.milestone_is_late(planned_end=None, actual_end=None, status="late")


def test_year_coverage():
    assert rules.covers_year(start=datetime.date(2016, 1, 1), end=None, year=2017)
    assert not rules.covers_year(start=datetime.date(2016, 1, 1), end=datetime.date(2016, 12, 1), year=2017)
    assert rules.column_covers_year(from_year=2016, to_year=2017, year=2017)
    assert rules.column_covers_year(from_year=None, to_year=2013, year=2012)
    assert not rules.column_covers_year(from_year=2013, to_year=2014, year=2017)


def test_overdue():
    due = datetime.date(2017, 4, 10)
    assert rules.is_overdue(due_on=due, today=datetime.date(2017, 4, 11), status=None)
    assert rules.is_overdue(due_on=due, today=datetime.date(2017, 4, 11), status="returned")
    assert not rules.is_overdue(due_on=due, today=datetime.date(2017, 4, 11), status="submitted")
    assert not rules.is_overdue(due_on=due, today=due, status=None)
