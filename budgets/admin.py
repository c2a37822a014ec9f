from django.contrib import admin

from budgets.models import BudgetAmount, BudgetColumn, BudgetLine, BudgetTable
from budgets.resources import BudgetAmountResource, BudgetLineResource
from gov30.spreadsheets import PlanImportExportAdmin


class BudgetColumnInline(admin.TabularInline):
    model = BudgetColumn
    extra = 0
    fields = ("order", "label", "from_year", "to_year", "printed_total")


class BudgetLineInline(admin.TabularInline):
    model = BudgetLine
    extra = 0
    fields = ("order", "name", "printed_total", "source_text", "note")
    show_change_link = True


class BudgetAmountInline(admin.TabularInline):
    model = BudgetAmount
    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Offer only the columns of this line's own table.
        if db_field.name == "column" and request.resolver_match.kwargs.get("object_id"):
            kwargs["queryset"] = BudgetColumn.objects.filter(table__lines=request.resolver_match.kwargs["object_id"])
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(BudgetTable)
class BudgetTableAdmin(admin.ModelAdmin):
    list_display = ("task", "non_budget", "funding_note", "printed_total")
    list_filter = ("non_budget", "task__plan", "task__department")
    search_fields = ("task__title", "funding_note", "lines__name")
    list_select_related = ("task",)
    inlines = [BudgetColumnInline, BudgetLineInline]


@admin.register(BudgetLine)
class BudgetLineAdmin(PlanImportExportAdmin):
    resource_classes = [BudgetLineResource]
    list_display = ("name", "table", "printed_total")
    list_filter = ("table__task__plan", "table__task__department")
    search_fields = ("name", "source_text", "table__task__title")
    list_select_related = ("table__task",)
    inlines = [BudgetAmountInline]


@admin.register(BudgetAmount)
class BudgetAmountAdmin(PlanImportExportAdmin):
    resource_classes = [BudgetAmountResource]
    list_display = ("line", "column", "amount")
    list_filter = ("line__table__task__plan", "line__table__task__department")
    search_fields = ("line__name", "line__table__task__title")
    list_select_related = ("line__table__task", "column")
