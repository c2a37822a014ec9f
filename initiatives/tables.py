import django_tables2 as tables

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
    non_budget = tables.BooleanColumn(verbose_name="비예산", yesno="비예산,")

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
