import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from reports.progress import rules


class DashboardTaskTable(tables.Table):
    """A quarter's stored assessments (``TaskAssessment``), sorted and paged by the database.

    Cells are made by ``render_*`` methods, not ``TemplateColumn``: a template per cell was a fifth of the page."""

    number = tables.Column("연번", accessor="task__number", attrs={"td": {"class": "text-end"}})
    title = tables.Column("과제명", accessor="task__title")
    department = tables.Column("주관부서", accessor="task__department__name")
    status = tables.Column("진단(산출)", empty_values=())
    self_assessment = tables.Column("자체 진단", default="–")
    score = tables.Column("점수", accessor="total", default="–", attrs={"td": {"class": "text-end"}})
    execution = tables.Column("집행률", accessor="execution_rate", default="–", attrs={"td": {"class": "text-end"}})
    report = tables.Column("보고", accessor="report_quarter", empty_values=())

    class Meta:
        attrs = {"class": "table table-sm table-striped align-middle"}
        empty_text = "조건에 맞는 과제가 없습니다."
        order_by = ("number",)

    def render_title(self, record, value):
        return format_html('<a href="{}">{}</a>', reverse("initiatives:task-detail", args=[record.task_id]), value)

    def render_status(self, record):
        return format_html(
            '<span class="badge status-{}">{}</span><div class="small">{}</div>',
            record.status,
            record.get_status_display(),
            record.explanation,
        )

    def render_self_assessment(self, record):
        return record.get_self_assessment_display() if record.report_id else "–"

    def render_execution(self, value):
        return rules.percent_text(value)

    def render_report(self, record):
        if record.report_id is None:
            return "없음"
        label = f"{record.report_quarter}분기 {record.get_report_status_display()}"
        return format_html('<a href="{}">{}</a>', reverse("reports:report-detail", args=[record.report_id]), label)
