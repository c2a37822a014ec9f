"""django-import-export resources for budget lines and amounts (admin import with preview, export)."""

from budgets.models import BudgetAmount, BudgetLine
from gov30.spreadsheets import PlanDataResource


class BudgetLineResource(PlanDataResource):
    class Meta(PlanDataResource.Meta):
        model = BudgetLine
        fields = ("id", "table", "order", "name", "printed_total", "source_text", "note")


class BudgetAmountResource(PlanDataResource):
    class Meta(PlanDataResource.Meta):
        model = BudgetAmount
        fields = ("id", "line", "column", "amount")
