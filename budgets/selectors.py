"""Named read queries for budget tables."""

from django.db.models import F, Prefetch, QuerySet, Sum

from budgets.models import BudgetAmount
from initiatives.models import Task


def budget_prefetch(prefix: str = "budget_table") -> list:
    """Prefetches that make ``budget_summary`` run without queries, seen from a Task queryset."""
    return [
        f"{prefix}__columns",
        f"{prefix}__lines",
        Prefetch(f"{prefix}__lines__amounts", queryset=BudgetAmount.objects.order_by("column__order")),
    ]


def with_budget_totals(tasks: QuerySet[Task]) -> QuerySet[Task]:
    """Annotate ``budget_total`` (sum of every amount, 백만원) and ``non_budget`` in the same query."""
    return tasks.annotate(
        budget_total=Sum("budget_table__lines__amounts__amount"),
        non_budget=F("budget_table__non_budget"),
    )
