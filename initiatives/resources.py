"""django-import-export resources for plan data (admin import with preview, export to xlsx/csv).

Rows are matched by ``id``; an unchanged re-import is skipped. Indicator targets are exported but
never imported: a target changes only through the governed target page (who, when, why).
"""

from import_export import fields, resources, widgets

from gov30.spreadsheets import EscapedResourceMixin
from initiatives.models import Department, Indicator, Milestone, Programme, Task


class PlanResource(EscapedResourceMixin, resources.ModelResource):
    class Meta:
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True


class TaskResource(PlanResource):
    department = fields.Field(
        attribute="department", column_name="department", widget=widgets.ForeignKeyWidget(Department, "name")
    )
    programme = fields.Field(attribute="programme", column_name="programme", widget=widgets.ForeignKeyWidget(Programme))

    class Meta(PlanResource.Meta):
        model = Task
        fields = (
            "id",
            "plan",
            "number",
            "title",
            "programme",
            "department",
            "agencies_text",
            "manager_name",
            "manager_title",
            "officer_name",
            "officer_title",
            "phone",
            "background",
            "service_demand",
            "goals",
            "placement_note",
            "source_text",
            "people_source_text",
        )


class MilestoneResource(PlanResource):
    class Meta(PlanResource.Meta):
        model = Milestone
        fields = ("id", "task", "order", "date_text", "title", "start", "end", "section", "source_text", "note")


class IndicatorResource(PlanResource):
    target = fields.Field(attribute="target", column_name="target", readonly=True)

    class Meta(PlanResource.Meta):
        model = Indicator
        fields = (
            "id",
            "task",
            "order",
            "name",
            "unit",
            "target",
            "year",
            "baseline",
            "cumulative",
            "higher_is_better",
            "source_text",
            "note",
        )
