"""django-import-export resources for plan data (admin import with preview, export to xlsx/csv).

Rows are matched by ``id``; an unchanged re-import is skipped. Indicator targets are exported but
never imported: a target changes only through the governed target page (who, when, why).
"""

from import_export import fields, widgets

from gov30.spreadsheets import PlanDataResource
from initiatives.models import Department, Indicator, Milestone, Programme, Task


class TaskResource(PlanDataResource):
    department = fields.Field(
        attribute="department", column_name="department", widget=widgets.ForeignKeyWidget(Department, "name")
    )
    programme = fields.Field(attribute="programme", column_name="programme", widget=widgets.ForeignKeyWidget(Programme))

    class Meta(PlanDataResource.Meta):
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


class MilestoneResource(PlanDataResource):
    class Meta(PlanDataResource.Meta):
        model = Milestone
        fields = ("id", "task", "order", "date_text", "title", "start", "end", "section", "source_text", "note")


class IndicatorResource(PlanDataResource):
    target = fields.Field(attribute="target", column_name="target", readonly=True)

    class Meta(PlanDataResource.Meta):
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
