"""django-import-export resources for budget lines and amounts (admin import with preview, export)."""

from import_export import resources

from budgets.models import BudgetAmount, BudgetLine
from gov30.spreadsheets import EscapedResourceMixin


class BudgetResource(EscapedResourceMixin, resources.ModelResource):
    class Meta:
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True


class BudgetLineResource(BudgetResource):
    class Meta(BudgetResource.Meta):
        model = BudgetLine
        fields = ("id", "table", "order", "name", "printed_total", "source_text", "note")


class BudgetAmountResource(BudgetResource):
    class Meta(BudgetResource.Meta):
        model = BudgetAmount
        fields = ("id", "line", "column", "amount")
