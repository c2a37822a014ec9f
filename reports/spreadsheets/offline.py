"""Offline quarterly reporting: a pre-filled xlsx template, and its upload with a preview.

The template holds one sheet per part of the report, hidden key columns, unlocked input cells
on a protected sheet, and live formulas (달성률, 집행잔액, 집행률). On upload the file is checked
(``gov30.spreadsheets``), read, and each row goes through a django-import-export resource in
dry-run mode: the resource finds the row's object, validates the cells with the very forms the
web page uses, and reports new / changed / unchanged / error. What the preview found is kept
(``pending``) and confirming applies it through ``services.report_start`` / ``reports_save_many`` in
one transaction, or nothing; the reports' versions, claimed then, refuse it if anything changed since.
"""

import datetime
import json
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any
from xml.etree.ElementTree import ParseError

import tablib
from defusedxml import DefusedXmlException
from django import forms as django_forms
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from import_export import fields, resources
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from budgets import rules as budget_rules
from budgets.models import BudgetLine
from gov30.spreadsheets import UploadRefused, escape_text, unescape_text
from initiatives.models import Indicator, Milestone, Task
from initiatives.selectors import milestones_of_year
from reports.models import BudgetExecution, IndicatorResult, MilestoneProgress, ProgressReport, ReportingPeriod
from reports.progress import forms, permissions, rules, selectors, services
from reports.spreadsheets.xlsx import fit_row, print_setup, text_lines

INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
WRAPPED_TOP = Alignment(wrap_text=True, vertical="top")
GUIDE_WIDTH = 100
STATUS_LABELS, SELF_LABELS = rules.CHOICE_LABELS["status"], rules.CHOICE_LABELS["self_assessment"]


@dataclass(frozen=True)
class TemplateColumn:
    header: str
    role: str = "info"  # key, info, input, formula
    attribute: str = ""
    width: int = 14


SHEETS: dict[str, list[TemplateColumn]] = {
    "성과지표": [
        TemplateColumn("과제키", "key"),
        TemplateColumn("항목키", "key"),
        TemplateColumn("연번", width=6),
        TemplateColumn("과제명", width=30),
        TemplateColumn("지표", width=30),
        TemplateColumn("단위", width=8),
        TemplateColumn("목표", width=10),
        TemplateColumn("실적", "input", "actual", 12),
        TemplateColumn("달성률", "formula", width=10),
        TemplateColumn("설명·미달성 사유", "input", "comment", 40),
    ],
    "추진일정": [
        TemplateColumn("과제키", "key"),
        TemplateColumn("항목키", "key"),
        TemplateColumn("연번", width=6),
        TemplateColumn("과제명", width=20),
        TemplateColumn("일정(원문)", width=14),
        TemplateColumn("내용", width=30),
        TemplateColumn("계획 종료", width=10),
        TemplateColumn("진행 상태", "input", "status", 10),
        TemplateColumn("실제 시작일", "input", "actual_start", 12),
        TemplateColumn("실제 완료일", "input", "actual_end", 12),
        TemplateColumn("지연 사유", "input", "delay_reason", 24),
    ],
    "예산집행": [
        TemplateColumn("과제키", "key"),
        TemplateColumn("항목키", "key"),
        TemplateColumn("연번", width=6),
        TemplateColumn("과제명", width=30),
        TemplateColumn("사업내용", width=30),
        TemplateColumn("예산현액(백만원)", width=14),
        TemplateColumn("지출액 누계(백만원)", "input", "spent_to_date", 16),
        TemplateColumn("집행잔액(백만원)", "formula", width=14),
        TemplateColumn("집행률", "formula", width=9),
        TemplateColumn("초과·부진 사유", "input", "explanation", 30),
    ],
    "서술": [
        TemplateColumn("과제키", "key"),
        TemplateColumn("버전", "key"),
        TemplateColumn("연번", width=6),
        TemplateColumn("과제명", width=20),
        TemplateColumn("주요 추진실적", "input", "achievements", 40),
        TemplateColumn("문제점 및 대책", "input", "problems", 30),
        TemplateColumn("향후 계획", "input", "next_steps", 30),
        TemplateColumn("자체 진단", "input", "self_assessment", 8),
    ],
}
GUIDE_SHEET = "안내"


# ---------------------------------------------------------------- the template


def _tasks_for(user, period: ReportingPeriod):
    return permissions.tasks_for_officer(user, period.plan.tasks.select_related("department")).order_by("number")


def _sheet(workbook: Workbook, title: str) -> Any:
    ws = workbook.create_sheet(title)
    columns = SHEETS[title]
    for index, col in enumerate(columns, start=1):
        letter = get_column_letter(index)
        ws.column_dimensions[letter].width = col.width
        ws.column_dimensions[letter].hidden = col.role == "key"
        cell = ws.cell(row=1, column=index, value=col.header)
        cell.font, cell.fill, cell.alignment = Font(bold=True), HEADER_FILL, WRAPPED_TOP
    fit_row(ws, 1, max(text_lines(col.header, col.width) for col in columns))
    ws.freeze_panes = "C2"
    print_setup(ws, header_row=1)
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # officers may widen columns
    return ws


def _put(ws, row: int, values: list[Any]) -> None:
    columns, lines = SHEETS[ws.title], 1
    for index, (col, value) in enumerate(zip(columns, values, strict=True), start=1):
        text = isinstance(value, str) and col.role != "formula"
        if text:
            value = escape_text(value)
            lines = max(lines, text_lines(value, col.width))
        cell = ws.cell(row=row, column=index, value=value)
        cell.alignment = WRAPPED_TOP
        if text:
            cell.data_type = "s"
        if col.role == "input":
            cell.protection = Protection(locked=False)
            cell.fill = INPUT_FILL
        if isinstance(value, datetime.date):
            cell.number_format = "yyyy-mm-dd"
    fit_row(ws, row, lines)


def template_workbook(handle: IO[bytes], *, user, period: ReportingPeriod) -> None:
    """The officer's pre-filled template for ``period``: every task of their departments."""
    year = period.plan.year
    workbook = Workbook()
    guide = workbook.active
    guide.title = GUIDE_SHEET
    for row in [
        [f"{period} 실적 보고 양식 ({period.plan.title})"],
        ["분기키", period.pk],
        ["만든 때", timezone.localtime().strftime("%Y-%m-%d %H:%M")],
        [
            "노란 칸만 입력하세요. 다른 칸과 숨은 열은 바꾸지 마세요. 숫자는 1,234처럼(쉼표는 세 자리마다), "
            "날짜는 2017-03-31, 2017.03.31 또는 2017. 3. 31. 형식으로 입력합니다."
        ],
        ["입력한 파일을 포털의 '엑셀로 제출' 화면에 올리면 미리보기 후 확인을 눌러야 반영됩니다."],
        ["진행 상태: " + ", ".join(STATUS_LABELS.values()) + " / 자체 진단: " + ", ".join(SELF_LABELS.values())],
    ]:
        guide.append(row)
        guide.cell(row=guide.max_row, column=1).alignment = WRAPPED_TOP
        fit_row(guide, guide.max_row, text_lines(row[0], GUIDE_WIDTH))
    guide.column_dimensions["A"].width = GUIDE_WIDTH
    print_setup(guide, header_row=None)
    guide.protection.sheet = True
    sheets = {title: _sheet(workbook, title) for title in SHEETS}
    rows = defaultdict(lambda: 2)
    status_list = DataValidation(type="list", formula1='"' + ",".join(STATUS_LABELS.values()) + '"', allow_blank=True)
    self_list = DataValidation(type="list", formula1='"' + ",".join(SELF_LABELS.values()) + '"', allow_blank=True)
    sheets["추진일정"].add_data_validation(status_list)
    sheets["서술"].add_data_validation(self_list)
    for task in _tasks_for(user, period):
        report = ProgressReport.objects.filter(task=task, period=period).first()
        current = _current_values(report)
        indicators = list(task.indicators.filter(year=year).order_by("order"))
        # the target in force and the earlier quarters' part of the actual, as the report page judges them
        figures = selectors.indicator_figures(
            task_id=task.pk, period=period, values={i.pk: Decimal(0) for i in indicators}
        )
        for indicator in indicators:
            r = rows["성과지표"]
            result = current["indicator"].get(indicator.pk)
            figure = figures[indicator.pk]
            earlier = None if indicator.cumulative else figure.actual
            _put(
                sheets["성과지표"],
                r,
                [
                    task.pk,
                    indicator.pk,
                    task.number,
                    task.title,
                    indicator.name,
                    indicator.unit,
                    float(figure.target),
                    _num(result and result.actual),
                    rules.achievement_formula(
                        actual=f"H{r}", target=f"G{r}", higher_is_better=indicator.higher_is_better, earlier=earlier
                    ),
                    result.comment if result else "",
                ],
            )
            sheets["성과지표"].cell(row=r, column=9).number_format = "0.0%"
            rows["성과지표"] += 1
        for milestone in milestones_of_year(year=year, milestones=task.milestones.order_by("order")):
            r = rows["추진일정"]
            progress = current["milestone"].get(milestone.pk)
            _put(
                sheets["추진일정"],
                r,
                [
                    task.pk,
                    milestone.pk,
                    task.number,
                    task.title,
                    milestone.date_text,
                    milestone.title,
                    milestone.end.strftime("%Y-%m") if milestone.end else "계속",
                    STATUS_LABELS[progress.status] if progress else STATUS_LABELS[MilestoneProgress.Status.PLANNED],
                    progress and progress.actual_start,
                    progress and progress.actual_end,
                    progress.delay_reason if progress else "",
                ],
            )
            status_list.add(f"H{r}")
            rows["추진일정"] += 1
        for line in (
            BudgetLine.objects.filter(table__task=task, table__non_budget=False)
            .prefetch_related("amounts__column")
            .order_by("order")
        ):
            r = rows["예산집행"]
            execution = current["budget"].get(line.pk)
            available = budget_rules.available_budget(amounts=list(line.amounts.all()), year=year).amount
            _put(
                sheets["예산집행"],
                r,
                [
                    task.pk,
                    line.pk,
                    task.number,
                    task.title,
                    line.name,
                    available,
                    execution and execution.spent_to_date,
                    budget_rules.balance_formula(spent=f"G{r}", available=f"F{r}"),
                    budget_rules.execution_rate_formula(spent=f"G{r}", available=f"F{r}"),
                    execution.explanation if execution else "",
                ],
            )
            sheets["예산집행"].cell(row=r, column=6).number_format = "#,##0"
            sheets["예산집행"].cell(row=r, column=7).number_format = "#,##0"
            sheets["예산집행"].cell(row=r, column=8).number_format = "#,##0"
            sheets["예산집행"].cell(row=r, column=9).number_format = "0.0%"
            rows["예산집행"] += 1
        r = rows["서술"]
        _put(
            sheets["서술"],
            r,
            [
                task.pk,
                report.version if report else 0,
                task.number,
                task.title,
                report.achievements if report else "",
                report.problems if report else "",
                report.next_steps if report else "",
                SELF_LABELS.get(report.self_assessment, "") if report else "",
            ],
        )
        self_list.add(f"H{r}")
        rows["서술"] += 1
    workbook.properties.title = f"{period} 실적 보고 양식"
    workbook.save(handle)


def _num(value: Decimal | int | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if value == int(value) else float(value)


def _current_values(report: ProgressReport | None) -> dict[str, dict]:
    if report is None:
        return {"indicator": {}, "milestone": {}, "budget": {}}
    return {
        "indicator": {r.indicator_id: r for r in report.indicator_results.all()},
        "milestone": {p.milestone_id: p for p in report.milestone_progress.all()},
        "budget": {e.budget_line_id: e for e in report.budget_executions.all()},
    }


# ---------------------------------------------------------------- reading the upload


def read_workbook(handle: IO[bytes]) -> tuple[int | None, dict[str, tablib.Dataset]]:
    """The period key and one Dataset per sheet; refuses missing or extra columns, and formulas typed in."""
    try:
        workbook = load_workbook(handle, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise UploadRefused("엑셀 파일을 열 수 없습니다. 손상되었거나 지원하지 않는 형식입니다.") from exc
    try:
        missing = [title for title in [GUIDE_SHEET, *SHEETS] if title not in workbook.sheetnames]
        if missing:
            raise UploadRefused(f"양식의 시트가 없습니다: {', '.join(missing)}. 포털에서 내려받은 양식을 쓰세요.")
        period_key = _period_key(workbook[GUIDE_SHEET])
        return period_key, {title: _dataset(workbook[title], title) for title in SHEETS}
    except (ParseError, DefusedXmlException) as exc:  # read-only mode parses each sheet's XML only now
        raise UploadRefused("엑셀 파일의 시트를 읽을 수 없습니다. 손상되었거나 허용하지 않는 내용이 있습니다.") from exc
    finally:
        workbook.close()


def _period_key(ws) -> int | None:
    for row in ws.iter_rows(min_row=1, max_row=5, values_only=True):
        if row and row[0] == "분기키" and len(row) > 1 and isinstance(row[1], int):
            return row[1]
    return None


def _dataset(ws, title: str) -> tablib.Dataset:
    columns = SHEETS[title]
    expected = [c.header for c in columns]
    rows = ws.iter_rows(values_only=True)
    header = [h for h in next(rows, ()) if h is not None]
    if header != expected:
        missing = [h for h in expected if h not in header]
        extra = [h for h in header if h not in expected]
        detail = "; ".join(
            filter(
                None,
                [
                    f"없는 열: {', '.join(missing)}" if missing else "",
                    f"양식에 없는 열: {', '.join(map(str, extra))}" if extra else "",
                    "열 순서가 바뀌었습니다" if not missing and not extra else "",
                ],
            )
        )
        raise UploadRefused(f"'{title}' 시트의 열이 양식과 다릅니다 ({detail}).")
    dataset = tablib.Dataset(headers=["행", *expected])
    for number, row in enumerate(rows, start=2):
        values = list(row[: len(expected)]) + [None] * (len(expected) - len(row))
        if all(v is None for v in values):
            continue
        for col, value in zip(columns, values, strict=True):
            if col.role == "input" and isinstance(value, str) and value.startswith("="):
                raise UploadRefused(
                    f"'{title}' 시트 {get_column_letter(columns.index(col) + 1)}{number} 칸에 수식이 "
                    "있습니다. 입력 칸에는 값만 넣어 주세요."
                )
        dataset.append([number, *values])
    return dataset


# ---------------------------------------------------------------- resources (dry run only)


GROUPS = [
    ("indicator_results", (IndicatorResult, "indicator_id")),
    ("milestone_progress", (MilestoneProgress, "milestone_id")),
    ("budget_executions", (BudgetExecution, "budget_line_id")),
]


@dataclass
class Lookups:
    """What the rows of one upload are checked against, loaded once in a fixed number of queries:
    the officer's tasks, their reports for the quarter and those reports' rows, and the plan items
    (indicators, milestones, budget lines) a row may name. Without it every row ran its own queries."""

    tasks: dict[int, Task]
    reports: dict[int, ProgressReport]  # task pk → report
    rows: dict[tuple[str, int, int], Any]  # (group, report pk, indicator/milestone/line pk) → row
    indicators: dict[int, Indicator]
    milestones: dict[int, Milestone]
    lines: dict[int, BudgetLine]

    @classmethod
    def load(cls, user, period: ReportingPeriod) -> "Lookups":
        tasks = _tasks_for(user, period)
        reports = {r.task_id: r for r in ProgressReport.objects.filter(period=period, task__in=tasks.values("pk"))}
        for report in reports.values():
            report.period = period
        rows: dict[tuple[str, int, int], Any] = {}
        report_ids = ProgressReport.objects.filter(period=period, task__in=tasks.values("pk")).values("pk")
        for group, (model, key) in GROUPS:
            for row in model.objects.filter(report__in=report_ids):
                rows[(group, row.report_id, getattr(row, key))] = row
        owned = {"task__in": tasks.values("pk")}
        return cls(
            tasks={t.pk: t for t in tasks},
            reports=reports,
            rows=rows,
            indicators={i.pk: i for i in Indicator.objects.filter(year=period.plan.year, **owned)},
            milestones={m.pk: m for m in Milestone.objects.filter(**owned)},
            lines={
                b.pk: b for b in BudgetLine.objects.filter(table__task__in=tasks.values("pk")).select_related("table")
            },
        )


@dataclass
class ImportContext:
    user: Any
    period: ReportingPeriod
    versions: dict[int, int] = field(default_factory=dict)
    seen: set = field(default_factory=set)
    loaded: Lookups | None = None

    @property
    def lookups(self) -> Lookups:
        if self.loaded is None:
            self.loaded = Lookups.load(self.user, self.period)
        return self.loaded

    def row(self, group: str, report: ProgressReport | None, key: Any):
        return report and self.lookups.rows.get((group, report.pk, _int(key)))


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


class OfflineRowResource(resources.ModelResource):
    """Finds a row's object and validates its cells with the web form; never saves (services do)."""

    sheet = ""
    form_class: type[django_forms.ModelForm]

    def __init__(self, *, context: ImportContext):
        super().__init__()
        self.context = context

    # -- what is this row about
    def _task(self, row) -> Task:
        task_pk = _int(row["과제키"])
        task = self.context.lookups.tasks.get(task_pk)
        if task is not None and permissions.can_write_report_content(self.context.user, task):
            return task
        task = Task.objects.filter(pk=task_pk, plan=self.context.period.plan).first() if task_pk else None
        if task is None:
            raise ValidationError(f"{row['행']}행: 과제키가 올바르지 않습니다 (숨은 열을 바꾸지 마세요).")
        raise ValidationError(f"{row['행']}행: 다른 부서의 과제({task.number}. {task.title})는 올릴 수 없습니다.")

    def _report(self, task: Task) -> ProgressReport | None:
        return self.context.lookups.reports.get(task.pk)

    def before_import_row(self, row, **kwargs):
        task = self._task(row)
        key = (self.sheet, task.pk, row.get("항목키") if "항목키" in row else None)
        if key in self.context.seen:
            raise ValidationError(f"{row['행']}행: 같은 항목이 두 번 있습니다 (중복 행).")
        self.context.seen.add(key)
        report = self._report(task)
        if report is not None:
            reason = services.edit_block_reason(user=self.context.user, report=report)
        else:
            reason = services.period_block_reason(self.context.period, has_exception=False)
        if reason:
            raise ValidationError(f"{row['행']}행 ({task.number}. {task.title}): {reason}")
        file_version = self.context.versions.get(task.pk)
        if file_version is not None and file_version != (report.version if report else 0):
            raise ValidationError(
                f"{row['행']}행 ({task.number}. {task.title}): 양식을 내려받은 뒤 보고가 바뀌었습니다. "
                "새 양식을 내려받아 다시 입력하세요."
            )

    # -- validation: the web form's rules, with the cell named in the message
    def import_instance(self, instance, row, **kwargs):
        columns = SHEETS[self.sheet]
        data = {c.attribute: self._form_value(c, row[c.header]) for c in columns if c.role == "input"}
        form = self._form(instance, data)
        if not form.is_valid():
            raise ValidationError(
                {
                    name: [f"{self._cell(name, row)}: {message}" for message in messages]
                    for name, messages in form.errors.items()
                }
            )
        for name, value in form.cleaned_data.items():
            if name not in ("id", "version"):
                setattr(instance, name, value if value is not None or name not in self._text_fields() else "")

    def _form(self, instance, data):
        return self.form_class(data=data, instance=instance)

    def _text_fields(self) -> set[str]:
        return {"comment", "delay_reason", "explanation", "achievements", "problems", "next_steps"}

    def _form_value(self, col: TemplateColumn, value: Any) -> Any:
        if value is None:
            return ""
        if isinstance(value, str):
            return unescape_text(value)
        if isinstance(value, datetime.datetime):
            return value.date().isoformat()
        if isinstance(value, datetime.date):
            return value.isoformat()
        return value

    def _cell(self, attribute: str, row) -> str:
        columns = SHEETS[self.sheet]
        index = next((i for i, c in enumerate(columns) if c.attribute == attribute), 0)
        return f"'{self.sheet}' {get_column_letter(index + 1)}{row['행']}"

    def save_instance(self, instance, is_create, row, **kwargs):
        """Nothing is written here: the confirm step applies changes through the services."""

    class Meta:
        skip_unchanged = True
        report_skipped = True
        store_instance = True
        use_transactions = False
        skip_html_diff = True


def _code(labels: dict[str, str], value: Any) -> Any:
    """A Korean label typed in the sheet (정상, 진행중, …) as the stored code; anything else as typed."""
    return {label: code for code, label in labels.items()}.get(value, value)


class ItemRowResource(OfflineRowResource):
    """A row about one plan item of a task (an indicator, a milestone or a budget line)."""

    group = ""  # the report's rows: services.CHILD_FIELDS key
    items = ""  # Lookups attribute holding the items a row may name
    item_field = ""  # the row model's foreign key to the item
    not_this_tasks = ""  # Korean message for an item of another task

    def _owner(self, item) -> int:
        return item.task_id

    def get_instance(self, instance_loader, row):
        return self.context.row(self.group, self._report(self._task(row)), row["항목키"])

    def init_instance(self, row=None):
        item = getattr(self.context.lookups, self.items).get(_int(row["항목키"]))
        if item is None or self._owner(item) != self._task(row).pk:
            raise ValidationError(f"{row['행']}행: {self.not_this_tasks} (항목키).")
        return self._meta.model(**{self.item_field: item})


class IndicatorRowResource(ItemRowResource):
    sheet = "성과지표"
    form_class = forms.IndicatorResultForm
    group, items, item_field, not_this_tasks = (
        "indicator_results",
        "indicators",
        "indicator",
        "이 과제의 지표가 아닙니다",
    )
    actual = fields.Field(attribute="actual", column_name="실적")
    comment = fields.Field(attribute="comment", column_name="설명·미달성 사유")

    class Meta(OfflineRowResource.Meta):
        model = IndicatorResult
        fields = ("actual", "comment")


class MilestoneRowResource(ItemRowResource):
    sheet = "추진일정"
    form_class = forms.MilestoneProgressForm
    group, items, item_field, not_this_tasks = (
        "milestone_progress",
        "milestones",
        "milestone",
        "이 과제의 일정이 아닙니다",
    )
    status = fields.Field(attribute="status", column_name="진행 상태")
    actual_start = fields.Field(attribute="actual_start", column_name="실제 시작일")
    actual_end = fields.Field(attribute="actual_end", column_name="실제 완료일")
    delay_reason = fields.Field(attribute="delay_reason", column_name="지연 사유")

    def _form(self, instance, data):
        data["status"] = _code(STATUS_LABELS, data.get("status"))
        return self.form_class(data=data, instance=instance, year=self.context.period.plan.year)

    class Meta(OfflineRowResource.Meta):
        model = MilestoneProgress
        fields = ("status", "actual_start", "actual_end", "delay_reason")


class BudgetRowResource(ItemRowResource):
    sheet = "예산집행"
    form_class = forms.BudgetExecutionForm
    group, items, item_field, not_this_tasks = (
        "budget_executions",
        "lines",
        "budget_line",
        "이 과제의 예산 행이 아닙니다",
    )
    spent_to_date = fields.Field(attribute="spent_to_date", column_name="지출액 누계(백만원)")
    explanation = fields.Field(attribute="explanation", column_name="초과·부진 사유")

    def _owner(self, item) -> int:
        return item.table.task_id

    class Meta(OfflineRowResource.Meta):
        model = BudgetExecution
        fields = ("spent_to_date", "explanation")


class NarrativeRowResource(OfflineRowResource):
    sheet = "서술"
    form_class = forms.ReportForm
    achievements = fields.Field(attribute="achievements", column_name="주요 추진실적")
    problems = fields.Field(attribute="problems", column_name="문제점 및 대책")
    next_steps = fields.Field(attribute="next_steps", column_name="향후 계획")
    self_assessment = fields.Field(attribute="self_assessment", column_name="자체 진단")

    def _form(self, instance, data):
        data["self_assessment"] = _code(SELF_LABELS, data.get("self_assessment"))
        data["version"] = instance.version or 1
        return self.form_class(data={f"report-{k}": v for k, v in data.items()}, instance=instance, prefix="report")

    def get_instance(self, instance_loader, row):
        return self._report(self._task(row))

    def init_instance(self, row=None):
        return ProgressReport(task=self._task(row), period=self.context.period)

    class Meta(OfflineRowResource.Meta):
        model = ProgressReport
        fields = ("achievements", "problems", "next_steps", "self_assessment")


RESOURCES = [NarrativeRowResource, IndicatorRowResource, MilestoneRowResource, BudgetRowResource]
ITEM_RESOURCES = [IndicatorRowResource, MilestoneRowResource, BudgetRowResource]


# ---------------------------------------------------------------- preview and apply


@dataclass
class PreviewRow:
    sheet: str
    number: int
    task: str
    status: str  # 신규, 변경, 변경 없음, 오류
    changes: list[tuple[str, str, str, str]]  # header, field, old, new (stored values)
    errors: list[str]


@dataclass
class Preview:
    period: ReportingPeriod
    rows: list[PreviewRow]
    values: dict[int, dict]  # task pk → data for services.report_save, keyed by object ids
    context: "ImportContext | None" = None

    @property
    def errors(self) -> list[PreviewRow]:
        return [r for r in self.rows if r.errors]

    @property
    def changed(self) -> list[PreviewRow]:
        return [r for r in self.rows if r.status in ("신규", "변경")]

    def counts(self) -> dict[str, int]:
        counts = {"신규": 0, "변경": 0, "변경 없음": 0, "오류": 0}
        for row in self.rows:
            counts[row.status] += 1
        return counts


STATUS_OF = {"new": "신규", "update": "변경", "skip": "변경 없음"}


def preview(*, handle: IO[bytes], user, period: ReportingPeriod) -> Preview:
    """Dry run of the whole file: what each row would do. Refuses the file (UploadRefused) or reports row errors."""
    period_key, datasets = read_workbook(handle)
    if period_key != period.pk:
        raise UploadRefused(f"이 파일은 {period} 양식이 아닙니다. 해당 분기의 양식을 내려받아 쓰세요.")
    context = ImportContext(
        user=user,
        period=period,
        versions={_int(r["과제키"]): _int(r["버전"]) for r in datasets["서술"].dict if _int(r["과제키"]) is not None},
    )
    result = Preview(
        period=period, rows=[], values=defaultdict(lambda: {r.group: {} for r in ITEM_RESOURCES}), context=context
    )
    for resource_class in RESOURCES:
        resource = resource_class(context=context)
        dataset = datasets[resource.sheet]
        outcome = resource.import_data(dataset, dry_run=True, raise_errors=False, use_transactions=False)
        for row, row_result in zip(dataset.dict, outcome.rows, strict=True):
            result.rows.append(_preview_row(resource, row, row_result))
            if row_result.import_type in ("new", "update", "skip") and row_result.instance is not None:
                _collect(result.values, resource_class, _int(row["과제키"]), row_result.instance)
    return result


def _preview_row(resource, row, row_result) -> PreviewRow:
    label = f"{row.get('연번')}. {row.get('과제명')}"
    errors = []
    if row_result.validation_error is not None:
        error = row_result.validation_error
        errors = (
            [m for messages in error.message_dict.values() for m in messages]
            if hasattr(error, "error_dict")
            else list(error.messages)
        )
    errors += [f"{row['행']}행: 처리할 수 없는 값입니다 ({e.error})" for e in row_result.errors]
    if errors:
        return PreviewRow(resource.sheet, row["행"], label, "오류", [], errors)
    changes = []
    original = getattr(row_result, "original", None)
    for col in SHEETS[resource.sheet]:
        if col.role != "input":
            continue
        field = resource._meta.model._meta.get_field(col.attribute)
        new = getattr(row_result.instance, col.attribute)
        old = getattr(original, col.attribute) if original is not None else field.get_default()
        if not services.is_same_value(field, old, new):  # the field name lets the page show a choice's label
            changes.append((col.header, col.attribute, services.display_value(old), services.display_value(new)))
    return PreviewRow(resource.sheet, row["행"], label, STATUS_OF[row_result.import_type], changes, [])


def _collect(values: dict, resource_class, task_pk: int, instance) -> None:
    if resource_class is NarrativeRowResource:
        values[task_pk].update({name: getattr(instance, name) for name in services.REPORT_FIELDS})
        return
    group, key = resource_class.group, f"{resource_class.item_field}_id"
    attributes = services.CHILD_FIELDS[group]
    values[task_pk][group][getattr(instance, key)] = {name: getattr(instance, name) for name in attributes}


def pending(result: Preview) -> dict:
    """What confirming ``result`` writes: each changed task's
    report, the version it was previewed at, and its typed values keyed by indicator, milestone and budget
    line (kept as ``pending_json``). Confirm does not check the file again: the versions are claimed, so anything saved in between
    refuses the whole upload (``services.StaleReportError``)."""
    changed = {row.task for row in result.changed}
    lookups = result.context.lookups
    entries = []
    for task_pk, values in result.values.items():
        task = lookups.tasks[task_pk]
        if f"{task.number}. {task.title}" not in changed:
            continue
        report = lookups.reports.get(task_pk)
        entries.append(
            {
                "task": task_pk,
                "report": report.pk if report else None,
                "version": report.version if report else None,
                "data": values,
            }
        )
    return {"period": result.period.pk, "entries": entries}


def pending_json(result: Preview) -> bytes:
    """``pending`` encoded once for keeping until confirm (numbers and dates as text, read back by ``_decoded``)."""
    return json.dumps(pending(result), cls=DjangoJSONEncoder).encode()


def _decoded(data: dict) -> dict:
    """``pending``'s JSON back to the values the services take (numbers, dates; object keys as ints)."""
    decoded = {name: data[name] for name in services.REPORT_FIELDS if name in data}
    for group, (model, _) in GROUPS:
        decoded[group] = {
            int(key): {name: model._meta.get_field(name).to_python(value) for name, value in values.items()}
            for key, values in data.get(group, {}).items()
        }
    return decoded


def apply(*, pending: dict, user, period: ReportingPeriod) -> int:
    """Apply a confirmed preview, all or nothing, through the same services as the web form."""
    if pending.get("period") != period.pk:
        raise UploadRefused("확인할 업로드가 이 분기의 것이 아닙니다. 파일을 다시 올려 주세요.")
    entries = pending["entries"]
    reports = ProgressReport.objects.filter(pk__in=[e["report"] for e in entries if e["report"]]).in_bulk()
    claimed = []
    with transaction.atomic():
        for entry in entries:
            if entry["report"] is None:  # no report when previewed: start it now
                task = _tasks_for(user, period).filter(pk=entry["task"]).first()
                if task is None:
                    raise UploadRefused("이 파일의 과제를 보고할 권한이 없습니다.")
                report = services.report_start(task=task, period=period, user=user)
                claimed.append((report, report.version, entry["data"]))
            elif entry["report"] not in reports:
                raise services.StaleReportError()
            else:
                claimed.append((reports[entry["report"]], entry["version"], entry["data"]))
        rows = _row_ids([report.pk for report, _, _ in claimed])
        items = [(report, version, _by_row_pk(_decoded(data), rows[report.pk])) for report, version, data in claimed]
        services.reports_save_many(items=items, user=user)
    return len(items)


def _row_ids(report_pks: list[int]) -> dict[int, dict[str, dict[int, int]]]:
    """Report pk → {group: {indicator/milestone/line pk: row pk}}, one query per kind of row."""
    rows: dict[int, dict[str, dict[int, int]]] = defaultdict(lambda: {group: {} for group, _ in GROUPS})
    for group, (model, item_field) in GROUPS:
        for report_id, item, pk in model.objects.filter(report__in=report_pks).values_list(
            "report_id", item_field, "pk"
        ):
            rows[report_id][group][item] = pk
    return rows


def _by_row_pk(values: dict, rows: dict[str, dict[int, int]]) -> dict:
    """Values keyed by indicator, milestone and budget line, keyed instead by the report's own rows."""
    data = {name: values[name] for name in services.REPORT_FIELDS if name in values}
    for group, by_object in rows.items():
        data[group] = {by_object[obj]: v for obj, v in values.get(group, {}).items() if obj in by_object}
    return data
