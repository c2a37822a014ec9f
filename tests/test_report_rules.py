"""The pure arithmetic of reporting, one case a line."""

import datetime
from decimal import Decimal

from budgets import rules as budget_rules
from initiatives import rules as plan_rules
from reports.progress import rules


def test_achievement_rate_is_direction_aware_and_capped():
    assert rules.achievement_rate(actual=Decimal(171), target=Decimal(342), higher_is_better=True) == Decimal("0.5")
    # decreasing is better: 200 complaints against a ceiling of 100 is half the target
    assert rules.achievement_rate(actual=Decimal(200), target=Decimal(100), higher_is_better=False) == Decimal("0.5")
    # 50 against a ceiling of 100 would be 2: it counts as the cap
    assert rules.achievement_rate(actual=Decimal(50), target=Decimal(100), higher_is_better=False) == Decimal("1.2")
    assert rules.achievement_rate(actual=Decimal(300), target=Decimal(100), higher_is_better=True) == Decimal("1.2")
    assert rules.achievement_rate(actual=None, target=Decimal(1), higher_is_better=True) is None
    assert rules.achievement_rate(actual=Decimal(1), target=None, higher_is_better=True) is None


def test_achievement_rate_with_a_zero():
    # lower is better and nothing happened: better than any target (it was "–" on the form, 0 on the dashboard)
    assert rules.achievement_rate(actual=Decimal(0), target=Decimal(5), higher_is_better=False) == Decimal("1.2")
    assert rules.achievement_rate(actual=Decimal(0), target=Decimal(0), higher_is_better=False) == 1
    assert rules.achievement_rate(actual=Decimal(3), target=Decimal(0), higher_is_better=False) == 0
    assert rules.achievement_rate(actual=Decimal(3), target=Decimal(0), higher_is_better=True) == 1
    assert rules.achievement_rate(actual=Decimal(0), target=Decimal(5), higher_is_better=True) == 0


def test_actual_to_date_cumulative_or_periodic():
    values = [Decimal(10), None, Decimal(30)]
    assert rules.actual_to_date(cumulative=True, values=values) == 30
    assert rules.actual_to_date(cumulative=False, values=values) == 40
    assert rules.actual_to_date(cumulative=True, values=[Decimal(10), None]) is None
    assert rules.actual_to_date(cumulative=False, values=[None]) is None
    assert rules.actual_to_date(cumulative=False, values=[Decimal(10), None]) is None  # nothing this quarter


def test_achievement_classes():
    assert rules.achievement_class(Decimal("1.1")) == "초과달성"
    assert rules.achievement_class(Decimal("1.0")) == "달성"
    assert rules.achievement_class(Decimal("0.99")) == "미달성"
    assert rules.achievement_class(None) is None


def test_off_target():
    assert rules.is_off_target(Decimal("0.99")) and not rules.is_off_target(Decimal(1))
    assert not rules.is_off_target(None)


def test_percent_text_is_one_decimal():
    assert rules.percent_text(Decimal("0.2675")) == "26.8%"
    assert rules.percent_text(Decimal("0.5")) == "50%"
    assert rules.percent_text(None) == "–"


def test_execution_figures_and_overspend():
    assert budget_rules.balance(available=72050, spent=36025) == 36025
    assert budget_rules.execution_rate(spent=36025, available=72050) == Decimal("0.5")
    assert budget_rules.execution_rate(spent=1, available=None) is None
    assert budget_rules.execution_rate(spent=0, available=0) is None
    assert budget_rules.balance(available=None, spent=1) is None
    assert budget_rules.lines_execution_rate([(250, 1000), (None, 1000), (250, 1000)]) == Decimal("0.25")
    assert budget_rules.is_overspent(available=100, spent=101) and not budget_rules.is_overspent(
        available=100, spent=100
    )


def test_milestone_lateness_is_by_month_and_counts_unfinished_ones():
    end, as_of = datetime.date(2017, 9, 1), datetime.date(2017, 12, 31)
    on_time = dict(planned_end=end, status="done", actual_end=datetime.date(2017, 9, 30), as_of=as_of)
    assert not rules.milestone_is_late(**on_time)
    assert rules.milestone_is_late(planned_end=end, status="done", actual_end=datetime.date(2017, 10, 1), as_of=as_of)
    assert rules.milestone_is_late(planned_end=None, status="late", actual_end=None, as_of=as_of)
    # unfinished past its month: late, as the dashboard counts it (it was "not late" when submitting)
    unfinished = dict(planned_end=end, status="in_progress", actual_end=None, as_of=as_of)
    assert rules.milestone_is_late(**unfinished)
    assert rules.milestone_days_late(**unfinished) == 92
    assert not rules.milestone_is_late(**{**unfinished, "as_of": datetime.date(2017, 9, 30)})
    assert rules.milestone_days_late(**{**unfinished, "status": "cancelled"}) == 0


def test_year_coverage():
    assert plan_rules.covers_year(start=datetime.date(2016, 1, 1), end=None, year=2017)
    assert not plan_rules.covers_year(start=datetime.date(2016, 1, 1), end=datetime.date(2016, 12, 1), year=2017)
    assert budget_rules.column_covers_year(from_year=2016, to_year=2017, year=2017)
    assert budget_rules.column_covers_year(from_year=None, to_year=2013, year=2012)
    assert not budget_rules.column_covers_year(from_year=2013, to_year=2014, year=2017)


def test_quarter_calendar():
    assert rules.quarter_dates(year=2017, quarter=4) == (datetime.date(2017, 10, 1), datetime.date(2018, 1, 10))
    assert rules.quarter_end(2017, 1) == datetime.date(2017, 3, 31)
    assert rules.judged_on(year=2017, quarter=3, today=datetime.date(2017, 8, 2)) == datetime.date(2017, 8, 2)
    assert rules.judged_on(year=2017, quarter=1, today=datetime.date(2017, 8, 2)) == datetime.date(2017, 3, 31)
    assert rules.expected_fraction(3) == Decimal("0.75")


def test_overdue():
    due, after = datetime.date(2017, 4, 10), datetime.date(2017, 4, 11)
    assert rules.is_overdue(started=True, due_on=due, today=after, status=None)
    assert rules.is_overdue(started=True, due_on=due, today=after, status="returned")
    assert not rules.is_overdue(started=True, due_on=due, today=after, status="submitted")
    assert not rules.is_overdue(started=True, due_on=due, today=due, status=None)
    assert not rules.is_overdue(started=False, due_on=due, today=after, status=None)  # 예정: not opened yet
