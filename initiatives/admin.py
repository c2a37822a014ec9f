from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from gov30.spreadsheets import PlanImportExportAdmin
from initiatives.models import (
    Agency,
    Department,
    Indicator,
    IndicatorTargetChange,
    Milestone,
    Plan,
    Programme,
    StrategicArea,
    Task,
    TaskAgency,
)
from initiatives.resources import IndicatorResource, MilestoneResource, TaskResource


class ProgrammeInline(admin.TabularInline):
    model = Programme
    extra = 0
    fields = ("number", "title", "chapter_heading", "source_text")


class TaskAgencyInline(admin.TabularInline):
    model = TaskAgency
    extra = 0
    autocomplete_fields = ("agency",)


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0
    fields = ("order", "date_text", "title", "start", "end", "section", "source_text", "note")


class IndicatorInline(admin.TabularInline):
    """Shown here, edited on the indicator's own page, where a target is set once and then governed."""

    model = Indicator
    extra = 0
    fields = ("order", "name", "unit", "target", "year", "baseline", "cumulative", "higher_is_better")
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ("year", "title", "document_number", "approved_on")
    search_fields = ("title", "document_number")


@admin.register(StrategicArea)
class StrategicAreaAdmin(admin.ModelAdmin):
    list_display = ("__str__", "plan")
    list_filter = ("plan",)
    search_fields = ("title",)
    inlines = [ProgrammeInline]


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ("__str__", "strategic_area", "chapter_heading")
    list_filter = ("strategic_area__plan", "strategic_area")
    search_fields = ("title", "chapter_heading")
    list_select_related = ("strategic_area",)


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    search_fields = ("name",)
    filter_horizontal = ("members",)


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    search_fields = ("name",)


@admin.register(Task)
class TaskAdmin(PlanImportExportAdmin):
    resource_classes = [TaskResource]
    list_display = ("number", "title", "department", "programme", "manager_name", "officer_name", "phone")
    list_display_links = ("number", "title")
    list_filter = ("plan", "programme__strategic_area", "programme", "department", "budget_table__non_budget")
    search_fields = (
        "title",
        "department__name",
        "manager_name",
        "officer_name",
        "phone",
        "task_agencies__agency__name",
    )
    list_select_related = ("department", "programme__strategic_area")
    autocomplete_fields = ("department",)
    readonly_fields = ("budget_table_link",)
    inlines = [TaskAgencyInline, MilestoneInline, IndicatorInline]
    fieldsets = (
        (None, {"fields": ("plan", "programme", "number", "title", "source_text", "placement_note")}),
        (
            "담당",
            {
                "fields": (
                    "department",
                    "agencies_text",
                    ("manager_name", "manager_title"),
                    ("officer_name", "officer_title"),
                    "phone",
                    "people_source_text",
                )
            },
        ),
        ("과제 개요", {"fields": ("background", "service_demand", "goals")}),
        ("소요예산", {"fields": ("budget_table_link",)}),
    )

    @admin.display(description="소요예산표")
    def budget_table_link(self, task):
        # Budget lines live on the task's budget table page: Django admin has no nested inlines.
        table = getattr(task, "budget_table", None)
        if table is None:
            return "소요예산표가 없습니다. '소요예산표' 메뉴에서 추가하세요."
        url = reverse("admin:budgets_budgettable_change", args=[table.pk])
        return format_html('<a href="{}">소요예산표와 사업내용(예산 행) 편집</a>', url)


@admin.register(Milestone)
class MilestoneAdmin(PlanImportExportAdmin):
    resource_classes = [MilestoneResource]
    list_display = ("task", "date_text", "title", "start", "end")
    list_filter = ("task__plan", "task__department", "start")
    search_fields = ("title", "date_text", "source_text")
    list_select_related = ("task",)


class TargetChangeInline(admin.TabularInline):
    model = IndicatorTargetChange
    extra = 0
    fields = ("changed_at", "old_target", "new_target", "reason", "changed_by")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Indicator)
class IndicatorAdmin(PlanImportExportAdmin):
    resource_classes = [IndicatorResource]
    inlines = [TargetChangeInline]

    def get_readonly_fields(self, request, obj=None):
        # Once set, a target changes only through the portal's target page (who, when, why).
        return ("target",) if obj else ()

    list_display = ("task", "name", "target", "unit", "year")
    list_filter = ("task__plan", "year", "task__department")
    search_fields = ("name", "source_text")
    list_select_related = ("task",)
