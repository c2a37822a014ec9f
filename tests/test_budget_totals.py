"""Budget tables: printed totals kept as printed, computed totals derived, mismatches flagged."""

import pytest

from budgets.models import BudgetTable
from budgets.selectors import budget_prefetch
from budgets.services import budget_summary, total_mismatch
from initiatives.models import Task

# number: (printed grand total, computed grand total) as the plan prints / adds up.
TOTALS = {
    1: (282, 282),
    2: (1397, 1397),
    3: (1744, 1744),
    5: (100, 100),
    6: (None, 959),
    7: (1500, 1500),
    8: (406, 406),
    9: (805, 805),
    10: (611, 611),
    11: (374, 374),
    13: (1817, 1827),
    14: (155, 155),
    15: (145214, 145214),
    16: (258, 258),
}


def summaries():
    tasks = Task.objects.filter(plan__year=2017).select_related("budget_table").prefetch_related(*budget_prefetch())
    return {t.number: budget_summary(t.budget_table) for t in tasks}


@pytest.mark.django_db
def test_printed_and_computed_totals_per_task():
    got = {n: (s.printed_total, s.computed_total) for n, s in summaries().items() if not s.table.non_budget}
    assert got == TOTALS


@pytest.mark.django_db
def test_non_budget_tasks_are_4_and_12():
    assert set(BudgetTable.objects.filter(non_budget=True).values_list("task__number", flat=True)) == {4, 12}
    assert not BudgetTable.objects.filter(non_budget=True, lines__isnull=False).exists()


@pytest.mark.django_db
def test_flagged_mismatches_are_tasks_9_and_13():
    flagged = {n: s.flags for n, s in summaries().items() if s.flags}
    assert set(flagged) == {9, 13}
    assert any("1,817" in f and "1,827" in f for f in flagged[13])
    # Task 9 prints a '15 column total of 195 where its lines give 213, and column totals adding to 787.
    assert any("195" in f and "213" in f for f in flagged[9])
    assert any("787" in f and "805" in f for f in flagged[9])


@pytest.mark.django_db
def test_merged_and_before_year_columns():
    columns = {
        t.number: [(c.from_year, c.to_year) for c in t.budget_table.columns.all()]
        for t in Task.objects.filter(number__in=[6, 11]).select_related("budget_table")
    }
    assert columns[6] == [(2013, 2014), (2015, 2015), (2016, 2017)]
    assert columns[11][0] == (None, 2013)


@pytest.mark.django_db
def test_funding_notes():
    notes = dict(BudgetTable.objects.exclude(funding_note="").values_list("task__number", "funding_note"))
    assert "국비 50%, 시비 50% 매칭" in notes[7]
    assert "전액국비" in notes[10]


def test_total_mismatch_ignores_missing_printed_total():
    assert total_mismatch(None, 10) is False
    assert total_mismatch(10, 10) is False
    assert total_mismatch(1817, 1827) is True
