import django_tables2 as tables
from django.utils.html import format_html

from initiatives.models import Task


class TaskTable(tables.Table):
    number = tables.Column("연번", attrs={"td": {"class": "text-end"}})
    title = tables.Column("과제명", linkify=True)
    area = tables.Column(
        "추진방안", accessor="programme__strategic_area__title", order_by=("programme__strategic_area__number",)
    )
    programme = tables.Column(
        "중점 추진과제",
        accessor="programme__title",
        order_by=("programme__strategic_area__number", "programme__number"),
    )
    department = tables.Column("주관부서", linkify=True, order_by=("department__name",))
    budget_total = tables.Column(
        "소요예산 합계(백만원)", default="–", attrs={"td": {"class": "text-end"}, "th": {"class": "text-end"}}
    )
    non_budget = tables.BooleanColumn("비예산", yesno="비예산,")

    class Meta:
        model = Task
        fields = ("number", "title", "area", "programme", "department", "budget_total", "non_budget")
        order_by = ("number",)
        attrs = {"class": "table table-sm table-striped align-middle"}
        empty_text = "조건에 맞는 과제가 없습니다."

    def render_budget_total(self, value):
        return f"{value:,}"

    def render_non_budget(self, value):
        return "비예산" if value else ""


class DashboardTaskTable(tables.Table):
    """Rows are dicts made by the dashboard view from stored task figures.

    Cells are made by ``render_*`` methods, not ``TemplateColumn``: a template per cell was a fifth of the page."""

    number = tables.Column("연번", attrs={"td": {"class": "text-end"}})
    title = tables.Column("과제명", order_by=("title",))
    department = tables.Column("주관부서")
    status = tables.Column("진단(산출)")
    self_assessment = tables.Column("자체 진단", default="–")
    score = tables.Column("점수", default="–", attrs={"td": {"class": "text-end"}})
    execution = tables.Column("집행률", default="–", attrs={"td": {"class": "text-end"}})
    report = tables.Column("보고")

    class Meta:
        attrs = {"class": "table table-sm table-striped align-middle"}
        empty_text = "조건에 맞는 과제가 없습니다."
        order_by = ("number",)

    def render_title(self, record, value):
        return format_html('<a href="{}">{}</a>', record["url"], value)

    def render_status(self, record, value):
        return format_html(
            '<span class="badge status-{}">{}</span><div class="small">{}</div>',
            record["status_class"],
            value,
            record["explanation"],
        )

    def render_execution(self, value):
        return f"{value}%"

    def render_report(self, record, value):
        url = record["report_url"]
        return format_html('<a href="{}">{}</a>', url, value) if url else value
