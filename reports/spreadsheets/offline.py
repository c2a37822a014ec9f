"""Offline quarterly reporting: a pre-filled xlsx template, and its upload with a preview.

The template holds one sheet per part of the report, hidden key columns, unlocked input cells
on a protected sheet, and live formulas (달성률, 집행잔액, 집행률). On upload the file is checked
(``gov30.spreadsheets``), read (python-calamine, plus the sheets' XML for formulas typed in), and each
row is checked against what the officer's reports hold, loaded once: its object is found, its cells
validated with the very forms the web page uses, and it is reported new / changed / unchanged / error.
What the preview found is kept (``pending``) and confirming applies it through
``services.reports_start_many`` / ``reports_save_many`` in one transaction, or nothing; the reports'
versions, claimed then, refuse it if anything changed since. Both steps run a number of queries that does
not grow with the rows. (django-import-export stays for the admin: here its dry run opened a savepoint per
row, and every hook it offers was overridden.)
"""

import datetime
import functools
import json
import re
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as defused_et
from django import forms as django_forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.db.models.sql import Query
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from python_calamine import CalamineError, CalamineWorkbook

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

Row = dict[str, Any]  # a sheet row: "행" (its number in the sheet) and a value per header
SHEET_UNREADABLE = "엑셀 파일의 시트를 읽을 수 없습니다. 손상되었거나 허용하지 않는 내용이 있습니다."
# A cell holding a formula: <c r="H2" …><f>…</f> (the formula is the cell's first child, by the schema).
FORMULA_CELL = re.compile(rb'<(?:\w+:)?c\s[^>]*?\br="([A-Z]+)([0-9]+)"[^>]*>\s*<(?:\w+:)?f[\s>/]')
# What an XML parser refuses or defusedxml forbids (calamine reads past them): a DTD, an undefined entity.
UNSAFE_XML = re.compile(rb"<!DOCTYPE|<!ENTITY|&(?!(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);)")


def read_workbook(handle: IO[bytes]) -> tuple[int | None, dict[str, list[Row]]]:
    """The period key and the rows of each sheet; refuses missing or extra columns, and formulas typed in.

    Values are read by python-calamine (about ten times openpyxl's speed); calamine gives a formula cell's
    cached value only, so the formula refusal reads the cells holding formulas from the sheets' XML."""
    try:
        workbook = CalamineWorkbook.from_filelike(handle)
    except Exception as exc:  # calamine raises many kinds for a damaged file
        raise UploadRefused("엑셀 파일을 열 수 없습니다. 손상되었거나 지원하지 않는 형식입니다.") from exc
    missing = [title for title in [GUIDE_SHEET, *SHEETS] if title not in workbook.sheet_names]
    if missing:
        raise UploadRefused(f"양식의 시트가 없습니다: {', '.join(missing)}. 포털에서 내려받은 양식을 쓰세요.")
    try:
        grids = {title: _grid(workbook, title) for title in [GUIDE_SHEET, *SHEETS]}
    except CalamineError as exc:  # a sheet's XML is read only now
        raise UploadRefused(SHEET_UNREADABLE) from exc
    formulas = formula_cells(handle)
    return _period_key(grids[GUIDE_SHEET]), {
        title: _rows(grids[title], title, formulas.get(title, set())) for title in SHEETS
    }


def _grid(workbook, title: str) -> list[list[Any]]:
    """The sheet's cells from A1, as openpyxl gives them: an empty cell None, a whole number an int."""
    rows = workbook.get_sheet_by_name(title).to_python(skip_empty_area=False)
    return [[_value(v) for v in row] for row in rows]


def _value(value: Any) -> Any:
    if value == "" and isinstance(value, str):
        return None
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def formula_cells(handle: IO[bytes]) -> dict[str, set[tuple[str, int]]]:
    """Sheet title → the cells (column letters, row) holding a formula, read from the sheets' XML; refuses XML
    that defusedxml would (a DTD, an undefined entity), which calamine reads past."""
    try:
        archive = zipfile.ZipFile(handle)
        parts = {title: archive.read(path) for title, path in _sheet_paths(archive).items() if title in SHEETS}
        strings = archive.read("xl/sharedStrings.xml") if "xl/sharedStrings.xml" in archive.namelist() else b""
    except (KeyError, ParseError, DefusedXmlException, zipfile.BadZipFile, ValueError) as exc:
        raise UploadRefused(SHEET_UNREADABLE) from exc
    if any(UNSAFE_XML.search(xml) for xml in [strings, *parts.values()]):
        raise UploadRefused(SHEET_UNREADABLE)
    return {title: _formulas(xml) for title, xml in parts.items()}


def _formulas(xml: bytes) -> set[tuple[str, int]]:
    return {(letters.decode(), int(number)) for letters, number in FORMULA_CELL.findall(xml)}


RELATIONSHIPS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def _sheet_paths(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet title → its part in the archive, from xl/workbook.xml and its relationships."""
    targets = {
        rel.get("Id"): rel.get("Target", "")
        for rel in defused_et.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
        if rel.get("Id")
    }
    paths = {}
    for sheet in defused_et.fromstring(archive.read("xl/workbook.xml")).iter():
        if sheet.tag.endswith("}sheet") and sheet.get(RELATIONSHIPS) in targets:
            target = targets[sheet.get(RELATIONSHIPS)]
            paths[sheet.get("name")] = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return paths


def _period_key(grid: list[list[Any]]) -> int | None:
    for row in grid[:5]:
        if row and row[0] == "분기키" and len(row) > 1 and isinstance(row[1], int):
            return row[1]
    return None


def _rows(grid: list[list[Any]], title: str, formulas: set[tuple[str, int]]) -> list[Row]:
    columns = SHEETS[title]
    expected = [c.header for c in columns]
    header = [h for h in (grid[0] if grid else []) if h is not None]
    if header != expected:
        _refuse_header(title, expected, header)
    inputs = [(index, get_column_letter(index + 1)) for index, c in enumerate(columns) if c.role == "input"]
    rows = []
    for number, row in enumerate(grid[1:], start=2):
        values = list(row[: len(expected)]) + [None] * (len(expected) - len(row))
        if all(v is None for v in values):
            continue
        for index, letter in inputs:
            value = values[index]
            if (letter, number) in formulas or (isinstance(value, str) and value.startswith("=")):
                raise UploadRefused(
                    f"'{title}' 시트 {letter}{number} 칸에 수식이 있습니다. 입력 칸에는 값만 넣어 주세요."
                )
        rows.append({"행": number, **dict(zip(expected, values, strict=True))})
    return rows


def _refuse_header(title: str, expected: list[str], header: list[Any]) -> None:
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


# ---------------------------------------------------------------- checking the rows (the preview)


GROUPS = [
    ("indicator_results", (IndicatorResult, "indicator_id")),
    ("milestone_progress", (MilestoneProgress, "milestone_id")),
    ("budget_executions", (BudgetExecution, "budget_line_id")),
]


@dataclass
class Lookups:
    """What the rows of one upload are checked against, loaded once in a fixed number of queries:
    the officer's tasks, their reports for the quarter (with their late-change exceptions) and those reports'
    rows, and the plan items (indicators, milestones, budget lines) a row may name."""

    tasks: dict[int, Task]
    reports: dict[int, ProgressReport]  # task pk → report
    excepted: set[int]  # reports holding an active late-change exception
    rows: dict[tuple[str, int, int], Any]  # (group, report pk, indicator/milestone/line pk) → row
    indicators: dict[int, Indicator]
    milestones: dict[int, Milestone]
    lines: dict[int, BudgetLine]

    @classmethod
    def load(cls, user, period: ReportingPeriod) -> "Lookups":
        tasks = {t.pk: t for t in _tasks_for(user, period)}
        reports = {r.task_id: r for r in ProgressReport.objects.filter(period=period, task__in=tasks)}
        for report in reports.values():
            report.period, report.task = period, tasks[report.task_id]
        rows: dict[tuple[str, int, int], Any] = {}
        for group, (model, key) in GROUPS:
            for row in model.objects.filter(report__period=period, report__task__in=tasks):
                rows[(group, row.report_id, getattr(row, key))] = row
        return cls(
            tasks=tasks,
            reports=reports,
            excepted=set(services.active_exceptions(list(reports.values()))),
            rows=rows,
            indicators={i.pk: i for i in Indicator.objects.filter(year=period.plan.year, task__in=tasks)},
            milestones={m.pk: m for m in Milestone.objects.filter(task__in=tasks)},
            lines={b.pk: b for b in BudgetLine.objects.filter(table__task__in=tasks).select_related("table")},
        )


@dataclass
class ImportContext:
    user: Any
    period: ReportingPeriod
    lookups: Lookups
    versions: dict[int, int] = field(default_factory=dict)  # task pk → the report's version in the file
    seen: set = field(default_factory=set)


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


@dataclass
class PreviewRow:
    sheet: str
    number: int
    task: str
    status: str  # 신규, 변경, 변경 없음, 오류
    changes: list[tuple[str, str, str, str]]  # header, field, old, new (stored values)
    errors: list[str]


class _WithoutRowQueries:
    """The web form's rules without its per-row queries: each row is one item of one report by construction
    (found by its keys, duplicates refused), and the models' check constraints are checked for a whole sheet
    in one query (``constraint_failures``)."""

    def validate_unique(self):
        pass

    def _post_clean(self):
        # the model's full_clean, as the form calls it, but without its query per check constraint
        self.instance.full_clean = functools.partial(
            type(self.instance).full_clean, self.instance, validate_constraints=False
        )
        try:
            super()._post_clean()
        finally:
            del self.instance.full_clean


def _upload_form(form_class: type[django_forms.ModelForm]) -> type[django_forms.ModelForm]:
    return type(form_class.__name__, (_WithoutRowQueries, form_class), {})


TEXT_FIELDS = {"comment", "delay_reason", "explanation", "achievements", "problems", "next_steps"}


class SheetRows:
    """One sheet's rows: which object each is about, its cells validated with the web form; nothing is saved
    here (confirming applies the values through the services)."""

    sheet = ""
    model: type[models.Model]
    form_class: type[django_forms.ModelForm]

    def __init__(self, context: ImportContext):
        self.context = context
        self.inputs = [c for c in SHEETS[self.sheet] if c.role == "input"]
        self.form: django_forms.ModelForm | None = None

    def check(self, row: Row) -> tuple[PreviewRow, Any]:
        """The row's preview line, and the object with the row's values (None for a refused row)."""
        try:
            task = self._task(row)
            self._before(row, task)
            stored = self._stored(row, task)
            instance = stored if stored is not None else self._new(row, task)
            # the loaded object takes the row's values (each is checked once: a second row for it is refused)
            before = {c.attribute: getattr(instance, c.attribute) for c in self.inputs}
            self._validate(instance, row)
        except ValidationError as error:
            messages = error.messages if not hasattr(error, "error_dict") else sum(error.message_dict.values(), [])
            return self._line(row, "오류", errors=messages), None
        except (TypeError, ValueError, ArithmeticError) as error:  # a value no check foresaw
            return self._line(row, "오류", errors=[f"{row['행']}행: 처리할 수 없는 값입니다 ({error})"]), None
        unchanged = all(getattr(instance, c.attribute) == before[c.attribute] for c in self.inputs)
        status = "변경 없음" if unchanged else "신규" if stored is None else "변경"
        return self._line(row, status, changes=self._changes(before if stored else None, instance)), instance

    def _line(self, row: Row, status: str, *, changes=(), errors=()) -> PreviewRow:
        label = f"{row.get('연번')}. {row.get('과제명')}"
        return PreviewRow(self.sheet, row["행"], label, status, list(changes), list(errors))

    def _changes(self, before: dict | None, instance) -> list[tuple[str, str, str, str]]:
        changes = []
        for col in self.inputs:
            model_field = self.model._meta.get_field(col.attribute)
            new = getattr(instance, col.attribute)
            old = before[col.attribute] if before is not None else model_field.get_default()
            if not services.is_same_value(model_field, old, new):  # the field name lets the page show a label
                changes.append((col.header, col.attribute, services.display_value(old), services.display_value(new)))
        return changes

    # -- what is this row about
    def _task(self, row: Row) -> Task:
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

    def _before(self, row: Row, task: Task) -> None:
        key = (self.sheet, task.pk, row.get("항목키") if "항목키" in row else None)
        if key in self.context.seen:
            raise ValidationError(f"{row['행']}행: 같은 항목이 두 번 있습니다 (중복 행).")
        self.context.seen.add(key)
        report = self._report(task)
        if report is not None:
            excepted = report.pk in self.context.lookups.excepted
            reason = services.edit_block_reason(user=self.context.user, report=report, has_exception=excepted)
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
    def _validate(self, instance, row: Row) -> None:
        data = self._data(instance, {c.attribute: _form_value(row[c.header]) for c in self.inputs})
        form = self._bound(instance, data)
        if not form.is_valid():
            raise ValidationError(
                {
                    name: [f"{self._cell(name, row)}: {message}" for message in messages]
                    for name, messages in form.errors.items()
                }
            )
        for name, value in form.cleaned_data.items():
            if name not in ("id", "version"):
                setattr(instance, name, value if value is not None or name not in TEXT_FIELDS else "")

    def _bound(self, instance, data: dict) -> django_forms.ModelForm:
        """The sheet's form bound to this row: made once and bound to each row in turn, as building a form (a
        deep copy of its fields) costs more than checking a row with it."""
        if self.form is None:
            self.form = self._make_form(instance, data)
        else:
            self.form.instance, self.form.data, self.form._errors = instance, data, None
        return self.form

    def _make_form(self, instance, data: dict) -> django_forms.ModelForm:
        return self.form_class(data=data, instance=instance)

    def _data(self, instance, data: dict) -> dict:
        return data

    def _cell(self, attribute: str, row: Row) -> str:
        columns = SHEETS[self.sheet]
        index = next((i for i, c in enumerate(columns) if c.attribute == attribute), 0)
        return f"'{self.sheet}' {get_column_letter(index + 1)}{row['행']}"


def _form_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str):
        return unescape_text(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _code(labels: dict[str, str], value: Any) -> Any:
    """A Korean label typed in the sheet (정상, 진행중, …) as the stored code; anything else as typed."""
    return {label: code for code, label in labels.items()}.get(value, value)


class ItemRows(SheetRows):
    """Rows about one plan item of a task each (an indicator, a milestone or a budget line)."""

    group = ""  # the report's rows: services.CHILD_FIELDS key
    items = ""  # Lookups attribute holding the items a row may name
    item_field = ""  # the row model's foreign key to the item
    not_this_tasks = ""  # Korean message for an item of another task

    def _owner(self, item) -> int:
        return item.task_id

    def _stored(self, row: Row, task: Task):
        report = self._report(task)
        return report and self.context.lookups.rows.get((self.group, report.pk, _int(row["항목키"])))

    def _new(self, row: Row, task: Task):
        item = getattr(self.context.lookups, self.items).get(_int(row["항목키"]))
        if item is None or self._owner(item) != task.pk:
            raise ValidationError(f"{row['행']}행: {self.not_this_tasks} (항목키).")
        return self.model(**{self.item_field: item})


class IndicatorRows(ItemRows):
    sheet, model, form_class = "성과지표", IndicatorResult, _upload_form(forms.IndicatorResultForm)
    group, items, item_field, not_this_tasks = (
        "indicator_results",
        "indicators",
        "indicator",
        "이 과제의 지표가 아닙니다",
    )


class MilestoneRows(ItemRows):
    sheet, model, form_class = "추진일정", MilestoneProgress, _upload_form(forms.MilestoneProgressForm)
    group, items, item_field, not_this_tasks = (
        "milestone_progress",
        "milestones",
        "milestone",
        "이 과제의 일정이 아닙니다",
    )

    def _data(self, instance, data: dict) -> dict:
        return {**data, "status": _code(STATUS_LABELS, data.get("status"))}

    def _make_form(self, instance, data: dict) -> django_forms.ModelForm:
        return self.form_class(data=data, instance=instance, year=self.context.period.plan.year)


class BudgetRows(ItemRows):
    sheet, model, form_class = "예산집행", BudgetExecution, _upload_form(forms.BudgetExecutionForm)
    group, items, item_field, not_this_tasks = (
        "budget_executions",
        "lines",
        "budget_line",
        "이 과제의 예산 행이 아닙니다",
    )

    def _owner(self, item) -> int:
        return item.table.task_id


class NarrativeRows(SheetRows):
    sheet, model, form_class = "서술", ProgressReport, _upload_form(forms.ReportForm)

    def _data(self, instance, data: dict) -> dict:
        data = {**data, "self_assessment": _code(SELF_LABELS, data.get("self_assessment")), "version": instance.version}
        return {f"report-{k}": v for k, v in data.items()}

    def _make_form(self, instance, data: dict) -> django_forms.ModelForm:
        return self.form_class(data=data, instance=instance, prefix="report")

    def _stored(self, row: Row, task: Task):
        return self._report(task)

    def _new(self, row: Row, task: Task):
        return ProgressReport(task=task, period=self.context.period)


SHEET_ROWS = [NarrativeRows, IndicatorRows, MilestoneRows, BudgetRows]
ITEM_ROWS = [IndicatorRows, MilestoneRows, BudgetRows]


def constraint_failures(model: type[models.Model], instances: list) -> dict[int, list[str]]:
    """Index in ``instances`` → the names of the model's check constraints its values break, one query per
    constraint and 500 objects (Django's own check runs one query per object)."""
    failures: dict[int, list[str]] = defaultdict(list)
    for constraint in model._meta.constraints:
        if not isinstance(constraint, models.CheckConstraint):
            continue
        for start in range(0, len(instances), 500):
            for index in _failing(model, constraint, instances[start : start + 500]):
                failures[start + index].append(constraint.name)
    return failures


def _failing(model, constraint: models.CheckConstraint, instances: list) -> list[int]:
    """The objects' values as a derived table named as the model's table, so that the condition compiled for
    the model reads them; a condition that is unknown (NULL) passes, as in the database."""
    if not instances:
        return []
    query = Query(model)
    compiler = query.get_compiler(connection=connection)
    condition, condition_params = compiler.compile(query.build_where(constraint.condition))
    names = sorted({name for name in constraint.condition.referenced_base_fields})
    model_fields = [model._meta.get_field(name) for name in names]
    casts = ", ".join(
        f"CAST(%s AS {f.cast_db_type(connection)}) AS {connection.ops.quote_name(f.column)}" for f in model_fields
    )
    selects = " UNION ALL ".join([f"SELECT %s AS i, {casts}"] * len(instances))
    params = []
    for index, instance in enumerate(instances):
        params += [index, *(f.get_db_prep_value(getattr(instance, f.attname), connection) for f in model_fields)]
    table = connection.ops.quote_name(model._meta.db_table)
    sql = f"SELECT i FROM ({selects}) AS {table} WHERE NOT COALESCE(({condition}), %s)"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *condition_params, True])
        return [index for (index,) in cursor.fetchall()]


# ---------------------------------------------------------------- preview and apply


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


def preview(*, handle: IO[bytes], user, period: ReportingPeriod) -> Preview:
    """Dry run of the whole file: what each row would do. Refuses the file (UploadRefused) or reports row errors.
    Its queries do not grow with the rows: everything a row is checked against is loaded once (``Lookups``)."""
    period_key, sheets = read_workbook(handle)
    if period_key != period.pk:
        raise UploadRefused(f"이 파일은 {period} 양식이 아닙니다. 해당 분기의 양식을 내려받아 쓰세요.")
    context = ImportContext(
        user=user,
        period=period,
        lookups=Lookups.load(user, period),
        versions={_int(r["과제키"]): _int(r["버전"]) for r in sheets["서술"] if _int(r["과제키"]) is not None},
    )
    result = Preview(
        period=period, rows=[], values=defaultdict(lambda: {r.group: {} for r in ITEM_ROWS}), context=context
    )
    for rows_class in SHEET_ROWS:
        checker = rows_class(context)
        checked = [(row, *checker.check(row)) for row in sheets[checker.sheet]]
        valid = [(line, instance) for _, line, instance in checked if instance is not None]
        for index, names in constraint_failures(rows_class.model, [i for _, i in valid]).items():
            line = valid[index][0]
            line.status, line.changes = "오류", []
            line.errors += [f"{line.number}행: 허용되지 않는 값입니다 ({name})." for name in names]
        for row, line, instance in checked:
            result.rows.append(line)
            if instance is not None and not line.errors:
                _collect(result.values, rows_class, _int(row["과제키"]), instance)
    return result


def _collect(values: dict, rows_class, task_pk: int, instance) -> None:
    if rows_class is NarrativeRows:
        values[task_pk].update({name: getattr(instance, name) for name in services.REPORT_FIELDS})
        return
    group, key = rows_class.group, f"{rows_class.item_field}_id"
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


def pending_keep(result: Preview, name: str) -> str:
    """Keep a preview's changes server-side, as ``name`` in the private storage, until the officer confirms them
    (they may be thousands of rows: not in the session). Returns the name kept."""
    if default_storage.exists(name):
        default_storage.delete(name)  # a retried preview job keeps its changes under its own name again
    return default_storage.save(name, ContentFile(pending_json(result)))


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
    """Apply a confirmed preview, all or nothing, through the services: the reports missing at the preview
    started in one batch, then every report saved with its history (``services.reports_save_many``)."""
    if pending.get("period") != period.pk:
        raise UploadRefused("확인할 업로드가 이 분기의 것이 아닙니다. 파일을 다시 올려 주세요.")
    entries = pending["entries"]
    reports = ProgressReport.objects.filter(pk__in=[e["report"] for e in entries if e["report"]]).in_bulk()
    if any(e["report"] is not None and e["report"] not in reports for e in entries):
        raise services.StaleReportError()
    missing = [e["task"] for e in entries if e["report"] is None]
    with transaction.atomic():
        tasks = _tasks_for(user, period).filter(pk__in=missing).select_related("plan").in_bulk()
        if len(tasks) != len(set(missing)):
            raise UploadRefused("이 파일의 과제를 보고할 권한이 없습니다.")
        started = services.reports_start_many(tasks=[tasks[pk] for pk in missing], period=period, user=user)
        by_task = {report.task_id: report for report in started}
        claimed = [
            (by_task[e["task"]], by_task[e["task"]].version, e["data"])
            if e["report"] is None
            else (reports[e["report"]], e["version"], e["data"])
            for e in entries
        ]
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
