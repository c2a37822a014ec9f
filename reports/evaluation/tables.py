import django_tables2 as tables
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import formats
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from reports.models import ProgressReport, TaskStatus
from reports.progress import rules

STATUS = dict(TaskStatus.choices)
REPORT_STATUS = dict(ProgressReport.Status.choices)
SELF_ASSESSMENT = dict(ProgressReport.SelfAssessment.choices)


def _title(row: dict) -> str:
    return format_html(
        '<a href="{}">{}</a>', reverse("initiatives:task-detail", args=[row["task_id"]]), row["task__title"]
    )


def _status(row: dict) -> str:
    return format_html(
        '<span class="badge status-{}">{}</span><div class="small">{}</div>',
        row["status"],
        STATUS[row["status"]],
        row["explanation"],
    )


def _report(row: dict) -> str:
    if row["report_id"] is None:
        return "없음"
    label = f"{row['report_quarter']}분기 {REPORT_STATUS[row['report_status']]}"
    return format_html('<a href="{}">{}</a>', reverse("reports:report-detail", args=[row["report_id"]]), label)


# Each column's cell from a stored row (the fields of ``READ``), as the page prints it: numbers localized as a
# template would.
CELLS = {
    "number": lambda row: formats.localize(row["task__number"]),
    "title": _title,
    "department": lambda row: row["task__department__name"],
    "status": _status,
    "self_assessment": lambda row: SELF_ASSESSMENT.get(row["self_assessment"], "–") if row["report_id"] else "–",
    "score": lambda row: "–" if row["total"] is None else formats.localize(row["total"]),
    "execution": lambda row: rules.percent_text(row["execution_rate"]),
    "report": _report,
}
READ = (
    *("task_id", "task__number", "task__title", "task__department__name", "status", "explanation"),
    *("self_assessment", "total", "execution_rate", "report_id", "report_quarter", "report_status"),
)


class DashboardTaskTable(tables.Table):
    """A quarter's stored assessments (``TaskAssessment`` rows, only the fields ``READ``), sorted and paged by the
    database.

    tables2 makes the header (sort links) and the paging; the rows are ``body_rows``, each cell made once by
    ``CELLS``: tables2's own rows resolve each cell's accessor, inspect its renderer's signature and compute its
    attributes, cell by cell, which was a fifth of the page."""

    number = tables.Column("연번", accessor="task__number", attrs={"td": {"class": "text-end"}})
    title = tables.Column("과제명", accessor="task__title")
    department = tables.Column("주관부서", accessor="task__department__name")
    status = tables.Column("진단(산출)", empty_values=())
    self_assessment = tables.Column("자체 진단")
    score = tables.Column("점수", accessor="total", attrs={"td": {"class": "text-end"}})
    execution = tables.Column("집행률", accessor="execution_rate", attrs={"td": {"class": "text-end"}})
    report = tables.Column("보고", accessor="report_quarter", empty_values=())

    class Meta:
        attrs = {"class": "table table-sm table-striped align-middle"}
        empty_text = "조건에 맞는 과제가 없습니다."
        order_by = ("number",)
        template_name = "reports/_dashboard_task_table.html"

    def __init__(self, rows: QuerySet, **kwargs) -> None:
        super().__init__(rows.values(*READ), **kwargs)

    def body_rows(self) -> list[SafeString]:
        """The shown page's rows as ``<tr>`` HTML, in the columns' order with their cell attributes."""
        columns = [(CELLS[column.name], column.attrs["td"].as_html()) for column in self.columns]
        return [
            format_html(
                "<tr>{}</tr>", format_html_join("", "<td {}>{}</td>", ((a, cell(row.record)) for cell, a in columns))
            )
            for row in self.paginated_rows
        ]
