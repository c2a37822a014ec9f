"""The briefing book (보고서): a dashboard selection's quarter as a document in which every figure has a source.

Nothing is computed here. A task's status, score and 집행률 are the dashboard's stored rows printed by the
dashboard's own cells (``reports.evaluation.tables.CELLS``); the roll-ups are the dashboard's (``plan_rollups``)
in the workbook's summary columns; the indicator, milestone and budget tables are the evaluation workbook's sheets
cut per task. This module arranges them and numbers where each figure came from (``Sources``): the plan's sentence
(원문), a governed target change, the report's history entry that last set it, or the quarter's assessment.
``reports.briefing.pdf`` and ``reports.briefing.hwpx_document`` write the same ``Book``.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.humanize.templatetags.humanize import intcomma
from django.db.models import QuerySet
from django.utils import formats, timezone

from budgets.models import BudgetLine, BudgetTable
from initiatives.models import IndicatorTargetChange, Programme, StrategicArea
from reports.evaluation.annual import PlanData, weights_current
from reports.evaluation.assessments import explanations, stored_judging_missing
from reports.evaluation.dashboards import Rollup, plan_rollups
from reports.evaluation.tables import CELLS, READ, STATUS
from reports.models import BudgetExecution, IndicatorResult, MilestoneProgress, ProgressReport, ReportEvent
from reports.progress import rules
from reports.progress.selectors import period_start
from reports.progress.services import REPORT_FIELDS, change_prefix
from reports.spreadsheets.workbook import (
    Sheet,
    WorkbookFilter,
    actor_name,
    budget_sheet,
    indicator_sheet,
    milestone_sheet,
    rollup_cells,
    rollup_columns,
    task_quarter_sheet,
    task_slices,
)

ISSUING_OFFICE = "정보기획담당관"
# How a report's history labels a change of each of its own fields.
REPORT_LABELS = {name: str(ProgressReport._meta.get_field(name).verbose_name) for name in REPORT_FIELDS}


@dataclass(frozen=True)
class Cited:
    """A figure or text as the book prints it, with the number of its source (none for a label or a blank)."""

    text: str
    ref: int | None = None


@dataclass
class Source:
    number: int
    kind: str  # 계획 원문, 목표 변경, 보고 이력, 분기 진단, 대시보드 집계
    where: str
    text: str = ""


class Sources:
    """The book's list of sources: each origin numbered once, in the order the book first cites it."""

    def __init__(self) -> None:
        self.entries: list[Source] = []
        self._numbers: dict[tuple, int] = {}

    def cite(self, key: tuple, kind: str, where: str, text: str = "") -> int:
        number = self._numbers.get(key)
        if number is None:
            number = self._numbers[key] = len(self.entries) + 1
            self.entries.append(Source(number, kind, where, text))
        return number


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list[Cited]]


@dataclass
class Section:
    level: int  # 1: a part (summary, area, appendix); 2: a programme; 3: a task
    title: str
    anchor: str
    facts: list[tuple[str, Cited]] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[tuple[str, str]] = field(default_factory=list)  # (description, SVG data URI): ``briefing.charts``


@dataclass
class Book:
    title: str
    plan_title: str
    selection: str
    quarter: int
    made_at: datetime.datetime
    sections: list[Section]
    sources: list[Source]
    office: str = ISSUING_OFFICE

    @property
    def contents(self) -> list[Section]:
        """The table of contents: parts and programmes (a task is found under its programme)."""
        return [s for s in self.sections if s.level < 3]


def cell_text(value, kind: str) -> str:
    """A workbook cell as the pages print it: grouped integers, localized decimals, rates as ``percent_text``."""
    if value is None or value == "":
        return "–"
    if kind in ("int", "money"):
        return intcomma(value)
    if kind == "decimal":
        return formats.localize(value)
    if kind == "pct":  # the sheet's rate as a float: its repr is the stored decimal's digits
        return rules.percent_text(Decimal(repr(value)))
    if kind == "datetime":
        return f"{value:%Y-%m-%d %H:%M}"
    if kind == "date":
        return value.isoformat()
    return str(value)


def _keyed(sheet: Sheet) -> Iterator[dict]:
    """A sheet's rows as header → value."""
    headers = [c.header for c in sheet.columns]
    for row in sheet.rows:
        yield dict(zip(headers, row, strict=True))


def _kinds(sheet: Sheet) -> dict[str, str]:
    return {c.header: c.kind for c in sheet.columns}


class History:
    """The history entries of the judged reports: which entry last set each value, and each review decision."""

    def __init__(self, report_ids: list[int]) -> None:
        events = (
            ReportEvent.objects.filter(report__in=report_ids)
            .exclude(action=ReportEvent.Action.COMMENT)
            .select_related("actor")
            .order_by("at", "pk")
        )
        self.setting: dict[tuple[int, str], ReportEvent] = {}
        self.decision: dict[int, ReportEvent] = {}  # the decision the report's present state comes from
        for event in events.iterator(chunk_size=2000):
            for change in event.changes:
                self.setting[(event.report_id, change["label"])] = event
            if event.action in (ReportEvent.Action.APPROVE, ReportEvent.Action.RETURN):
                self.decision[event.report_id] = event
            elif event.action in (ReportEvent.Action.SUBMIT, ReportEvent.Action.REOPEN):
                self.decision.pop(event.report_id, None)  # resubmitted or reopened: waiting for a new decision

    @staticmethod
    def describe(event: ReportEvent, quarter: int) -> str:
        at = timezone.localtime(event.at)
        return (
            f"{quarter}분기 보고 이력 #{event.pk}: {at:%Y-%m-%d %H:%M} {actor_name(event)} {event.get_action_display()}"
        )


class TaskPages:
    """Builds each task's section from one slice's loads, citing into the book's ``Sources``."""

    def __init__(self, sources: Sources, data: PlanData, tasks: QuerySet, rows: dict[int, dict], quarter: int):
        self.sources, self.data, self.quarter, self.rows = sources, data, quarter, rows
        self.by_number = {t.number: t for t in data.tasks}
        judged = [rows[t.pk] for t in data.tasks]
        self.rows_by_report = {r["report_id"]: r["report_quarter"] for r in judged if r["report_id"]}
        self.history = History(list(self.rows_by_report))
        self.counted: dict[int, list[ProgressReport]] = defaultdict(list)  # task pk → its counted reports, in order
        for report in data.reports:
            if report.status in data.statuses:
                self.counted[report.task_id].append(report)
        self.narrative = self._per_task(task_quarter_sheet(data, explanations(plan=data.plan, tasks=tasks)))
        self.indicators = self._per_task(indicator_sheet(data))
        self.milestones = self._per_task(milestone_sheet(data))
        self.budget = self._per_task(budget_sheet(data, quarter), every_quarter=True)
        self.changes = self._target_changes()
        self.lines = self._line_sources(data)

    def _per_task(self, sheet: Sheet, *, every_quarter: bool = False) -> dict[int, tuple[list[dict], dict]]:
        """The sheet's rows of each task's judged report (its quarter), or all its rows (budget)."""
        kinds = _kinds(sheet)
        grouped: dict[int, list[dict]] = defaultdict(list)
        for row in _keyed(sheet):
            task = self.by_number[row["연번"]]
            judged = self.rows[task.pk]["report_quarter"]
            if every_quarter or row.get("분기") == judged:
                grouped[task.pk].append(row)
        return {pk: (rows, kinds) for pk, rows in grouped.items()}

    def _target_changes(self) -> dict[int, list[IndicatorTargetChange]]:
        changes = IndicatorTargetChange.objects.filter(indicator__task__in=self.data.task_ids).select_related(
            "changed_by"
        )
        grouped: dict[int, list[IndicatorTargetChange]] = defaultdict(list)
        for change in changes.order_by("changed_at", "pk"):
            grouped[change.indicator_id].append(change)
        return grouped

    @staticmethod
    def _line_sources(data: PlanData) -> dict[tuple[int, str], str]:
        """Each budget line's plan sentence by (task, name), and each table's 계 row by (task, None)."""
        lines = BudgetLine.objects.filter(table__task__in=data.task_ids).values_list(
            "table__task", "name", "source_text"
        )
        totals = BudgetTable.objects.filter(task__in=data.task_ids).values_list("task", "total_row_source_text")
        return {(task, name): text for task, name, text in lines} | {(task, None): text for task, text in totals}

    # -- citing

    def _plan_sentence(self, key: tuple, where: str, text: str) -> int:
        return self.sources.cite(("원문", *key), "계획 원문", where, text)

    def _entry(self, report_id: int | None, label: str) -> int | None:
        """The history entry that last set ``label`` in the report (none when no entry did: nothing was typed)."""
        event = self.history.setting.get((report_id, label)) if report_id else None
        if event is None:
            return None
        change = next(c for c in event.changes if c["label"] == label)
        text = f"{label}: {change['old'] or '(빈 값)'} → {change['new'] or '(빈 값)'}"
        quarter = self.rows_by_report[report_id]
        return self.sources.cite(("이력", event.pk, label), "보고 이력", History.describe(event, quarter), text)

    def _assessment(self, task, row: dict) -> int:
        where = (
            f"과제 {task.number} {self.quarter}분기 진단 (판단 기준일 {row['as_of']:%Y-%m-%d}, "
            f"가중치 버전 {row['weights_version']}"
            + (f", {row['report_quarter']}분기 보고 #{row['report_id']})" if row["report_id"] else ", 보고 없음)")
        )
        return self.sources.cite(("진단", task.pk, self.quarter), "분기 진단", where, "평가 기준: /criteria/")

    # -- the page of a task

    def section(self, task) -> Section:
        row = self.rows[task.pk]
        report_id = row["report_id"]
        assessed = self._assessment(task, row)
        where = f"과제 {task.number} {task.title}"
        section = Section(3, f"{task.number}. {task.title}", f"task-{task.number}")
        section.facts = [
            ("주관부서", Cited(task.department.name, self._plan_sentence(("task", task.pk), where, task.source_text))),
            (f"{self.quarter}분기 진단", Cited(STATUS[row["status"]], assessed)),
            ("진단 사유", Cited(row["explanation"], assessed)),
            ("종합 점수", Cited(CELLS["score"](row), assessed)),
            ("집행률", Cited(CELLS["execution"](row), assessed)),
            (
                "자체 진단",
                Cited(CELLS["self_assessment"](row), self._entry(report_id, REPORT_LABELS["self_assessment"])),
            ),
        ]
        section.facts += self._narrative(task, report_id)
        section.facts.append(("검토 결과", self._decision(report_id)))
        section.tables = [t for t in (self._indicator_table(task, report_id), self._milestone_table(task, report_id))]
        section.tables += self._budget_tables(task, report_id)
        return section

    def _narrative(self, task, report_id: int | None) -> list[tuple[str, Cited]]:
        rows, _ = self.narrative.get(task.pk, ([], {}))
        row = rows[0] if rows else {}
        status = row.get("보고 상태", "미작성")
        facts = [("보고", Cited(f"{self.rows[task.pk]['report_quarter'] or self.quarter}분기 {status}"))]
        for header, name in (
            ("주요 추진실적", "achievements"),
            ("문제점 및 대책", "problems"),
            ("향후 계획", "next_steps"),
        ):
            text = row.get(header) or "–"
            facts.append((header, Cited(text, self._entry(report_id, REPORT_LABELS[name]))))
        return facts

    def _decision(self, report_id: int | None) -> Cited:
        event = self.history.decision.get(report_id) if report_id else None
        if event is None:
            return Cited("검토 전")
        at = timezone.localtime(event.at)
        text = f"{event.get_action_display()} ({at:%Y-%m-%d}, {actor_name(event)})"
        if event.comment:
            text += f": {event.comment}"
        where = History.describe(event, self.rows_by_report[report_id])
        return Cited(text, self.sources.cite(("이력", event.pk, "결정"), "보고 이력", where, event.comment))

    def _indicator_table(self, task, report_id: int | None) -> Table:
        rows, kinds = self.indicators.get(task.pk, ([], {}))
        plan = {i.name: i for i in self.data.indicators.get(task.pk, [])}
        actual_label = str(IndicatorResult._meta.get_field("actual").verbose_name)
        headers = ["지표", "단위", "목표", "이 보고 실적", "누계 실적", "달성률", "달성 구분"]
        table = Table("성과지표", headers, [])
        for r in rows:
            indicator = plan[r["지표"]]
            where = f"과제 {task.number} 성과지표 '{indicator.name}'"
            name = Cited(indicator.name, self._plan_sentence(("indicator", indicator.pk), where, indicator.source_text))
            target = Cited(cell_text(r["목표"], kinds["목표"]), self._target_source(task, indicator))
            entry = self._entry(report_id, change_prefix("indicator_results", indicator) + actual_label)
            typed = Cited(cell_text(r["실적"], kinds["실적"]), entry)
            # a cumulative indicator's figure is the report's own; a periodic one adds up the quarters' reports
            to_date = entry if indicator.cumulative else self._quarters_sum(task, indicator)
            actual = Cited(cell_text(r["누계 실적"], kinds["누계 실적"]), to_date)
            rate = cell_text(r["달성률"], kinds["달성률"])
            table.rows.append(
                [name, Cited(r["단위"] or "–"), target, typed, actual, Cited(rate), Cited(r["달성 구분"] or "–")]
            )
        return table

    def _counted(self, task) -> list[ProgressReport]:
        """The task's reports that count (submitted, approved) up to its judged report's quarter, in order."""
        judged = self.rows[task.pk]["report_quarter"] or 0
        return [r for r in self.counted[task.pk] if r.period.quarter <= judged]

    def _quarters_sum(self, task, indicator) -> int:
        """The source of a periodic indicator's 누계 실적: each counted quarter's report and its value."""
        parts = []
        for report in self._counted(task):
            values = [
                v.actual for v in self.data.report_rows(report).indicator_results if v.indicator_id == indicator.pk
            ]
            parts.append(
                f"{report.period.quarter}분기 보고 #{report.pk}: {cell_text(values[0] if values else None, 'decimal')}"
            )
        where = f"과제 {task.number} 성과지표 '{indicator.name}' 누계 (분기 보고 실적의 합)"
        return self.sources.cite(("합", task.pk, indicator.pk), "분기 진단", where, "; ".join(parts))

    def _target_source(self, task, indicator) -> int:
        """The target in force when the judged report's quarter opened (``selectors.target_in_force``): set by the
        last change made before then, else the plan's."""
        judged = self.rows[task.pk]["report_quarter"] or self.quarter
        at = period_start(next(p for p in self.data.periods if p.quarter == judged))
        made = [c for c in self.changes.get(indicator.pk, []) if c.changed_at <= at]
        if not made:
            return self._plan_sentence(
                ("indicator", indicator.pk), f"과제 {task.number} 성과지표 '{indicator.name}'", indicator.source_text
            )
        change = made[-1]
        where = (
            f"과제 {task.number} 성과지표 '{indicator.name}' 목표 변경 "
            f"{timezone.localtime(change.changed_at):%Y-%m-%d} {change.changed_by.get_full_name()}"
        )
        text = f"{change.old_target} → {change.new_target}: {change.reason}"
        return self.sources.cite(("목표", change.pk), "목표 변경", where, text)

    def _milestone_table(self, task, report_id: int | None) -> Table:
        rows, kinds = self.milestones.get(task.pk, ([], {}))
        plan = {(m.date_text, m.title): m for m in self.data.milestones.get(task.pk, [])}
        status_label = str(MilestoneProgress._meta.get_field("status").verbose_name)
        end_label = str(MilestoneProgress._meta.get_field("actual_end").verbose_name)
        headers = ["일정(원문)", "내용", "계획 종료", "진행 상태", "실제 완료", "지연 일수", "지연 사유"]
        table = Table("추진일정", headers, [])
        for r in rows:
            milestone = plan[(r["일정(원문)"], r["내용"])]
            where = f"과제 {task.number} 추진일정 '{milestone.date_text} {milestone.title}'"
            planned = self._plan_sentence(("milestone", milestone.pk), where, milestone.source_text)
            prefix = change_prefix("milestone_progress", milestone)
            table.rows.append(
                [
                    Cited(r["일정(원문)"], planned),
                    Cited(r["내용"]),
                    Cited(cell_text(r["계획 종료"], kinds["계획 종료"]), planned),
                    Cited(r["진행 상태"], self._entry(report_id, prefix + status_label)),
                    Cited(cell_text(r["실제 완료"], kinds["실제 완료"]), self._entry(report_id, prefix + end_label)),
                    Cited(cell_text(r["지연 일수"], kinds["지연 일수"])),
                    Cited(r["지연 사유"] or "–"),
                ]
            )
        return table

    def _budget_tables(self, task, report_id: int | None) -> list[Table]:
        rows, kinds = self.budget.get(task.pk, ([], {}))
        lines = [r for r in rows if r["연도 열"]]
        if not lines:
            note = rows[0]["사업내용"] if rows else "예산 정보 없음"
            return [Table("소요예산", ["구분"], [[Cited(note)]])]
        labels = list(dict.fromkeys(r["연도 열"] for r in lines))
        by_line: dict[str, list[dict]] = defaultdict(list)
        for r in lines:
            by_line[r["사업내용"]].append(r)
        total = rows[-1]
        plan = Table("소요예산 (계획, 백만원)", ["사업내용", *labels, "인쇄된 계", "계산 합계", "불일치"], [])
        spent_label = str(BudgetExecution._meta.get_field("spent_to_date").verbose_name)
        year = self.data.plan.year
        execution = Table(
            f"예산 집행 ({year}년, 백만원)", ["사업내용", "예산현액", "지출액 누계", "집행잔액", "집행률"], []
        )
        for name, cells in by_line.items():
            first = cells[0]
            where = f"과제 {task.number} 소요예산 '{name}'"
            printed = self._plan_sentence(("line", task.pk, name), where, self.lines.get((task.pk, name), ""))
            amounts = {c["연도 열"]: c["계획 금액(백만원)"] for c in cells}
            plan.rows.append(
                [
                    Cited(name, printed),
                    *(Cited(cell_text(amounts.get(label), "money"), printed) for label in labels),
                    Cited(cell_text(first["인쇄된 계(백만원)"], "money"), printed),
                    Cited(cell_text(first["계산 합계(백만원)"], "money")),
                    Cited(first["원문 합계 불일치"] or "–"),
                ]
            )
            label = change_prefix("budget_executions", BudgetLine(name=name)) + spent_label
            execution.rows.append(
                [
                    Cited(name, printed),
                    Cited(cell_text(first[f"예산현액 {year}(백만원)"], "money"), printed),
                    Cited(cell_text(first["지출액 누계(백만원)"], "money"), self._entry(report_id, label)),
                    Cited(cell_text(first["집행잔액(백만원)"], "money")),
                    Cited(cell_text(first["집행률"], kinds["집행률"])),
                ]
            )
        where = f"과제 {task.number} 소요예산 계 행"
        total_source = self._plan_sentence(("total", task.pk), where, self._total_sentence(task))
        plan.rows.append(
            [
                Cited("계(표 전체)", total_source),
                *(Cited("") for _ in labels),
                Cited(cell_text(total["인쇄된 계(백만원)"], "money"), total_source),
                Cited(cell_text(total["계산 합계(백만원)"], "money")),
                Cited(total["원문 합계 불일치"] or "–"),
            ]
        )
        return [plan, execution]

    def _total_sentence(self, task) -> str:
        return self.lines.get((task.pk, None), "")

    def mismatches(self, task) -> list[tuple[str, int]]:
        """The task's printed-versus-computed flags, each with the plan sentence of the 계 row."""
        rows, _ = self.budget.get(task.pk, ([], {}))
        flags = rows[-1]["원문 합계 불일치"] if rows and not rows[-1]["연도 열"] else ""
        if not flags:
            return []
        source = self._plan_sentence(
            ("total", task.pk), f"과제 {task.number} 소요예산 계 행", self._total_sentence(task)
        )
        return [(flag, source) for flag in flags.split("; ")]


def _rollup_table(title: str, groups: list[tuple[Rollup, int]], quarter: int) -> Table:
    """Roll-ups side by side (one column a group), a row a figure: as many groups as an area has programmes fit
    an A4 page, the dozen figures would not."""
    columns = rollup_columns(quarter)
    cells = [rollup_cells(group) for group, _ in groups]
    rows = [
        [Cited(column.header), *(Cited(cell_text(c[i], column.kind), ref) for c, (_, ref) in zip(cells, groups))]
        for i, column in enumerate(columns)
    ]
    return Table(title, ["항목", *(group.label for group, _ in groups)], rows)


def _rollup_source(sources: Sources, group: Rollup, quarter: int, weights_version: int) -> int:
    where = (
        f"{quarter}분기 {group.label}: 선택한 과제 {group.task_count}개의 분기 진단 합 (가중치 버전 {weights_version})"
    )
    return sources.cite(("집계", group.key), "대시보드 집계", where, "대시보드(/dashboard/)의 같은 조건 집계와 같음")


def _task_list(tasks: list, pages: dict[int, Section]) -> Table:
    table = Table("과제", ["연번", "과제명", "주관부서", "진단", "종합 점수", "집행률"], [])
    for task in tasks:
        facts = dict(pages[task.pk].facts)
        table.rows.append(
            [
                Cited(str(task.number)),
                Cited(task.title),
                Cited(task.department.name),
                facts[next(label for label in facts if label.endswith("분기 진단"))],
                facts["종합 점수"],
                facts["집행률"],
            ]
        )
    return table


def _plan_sections(
    selection: WorkbookFilter,
    rollups,
    sources: Sources,
    tasks_of: dict[int, list],
    pages: dict[int, Section],
    weights_version: int,
) -> list[Section]:
    """A page per area and programme of the selection, each programme followed by its tasks' pages."""
    sections: list[Section] = []
    plan, quarter = selection.plan, selection.quarter
    by_key = {r.key: r for r in [*rollups.areas, *rollups.programmes]}
    areas = StrategicArea.objects.filter(plan=plan).order_by("number")
    if selection.area is not None:
        areas = areas.filter(pk=selection.area.pk)
    programmes = Programme.objects.filter(strategic_area__in=areas).order_by("number")
    for area in areas:
        members = [p for p in programmes if p.strategic_area_id == area.pk]
        if selection.department is not None:
            members = [p for p in members if tasks_of.get(p.pk)]
            if not members:
                continue
        section = Section(1, f"추진방안 {area.number}. {area.title}", f"area-{area.number}")
        section.facts = [
            (
                "원문",
                Cited(
                    area.title,
                    sources.cite(("원문", "area", area.pk), "계획 원문", f"추진방안 {area.number}", area.source_text),
                ),
            )
        ]
        groups = [by_key[k] for k in [area.number, *((area.number, p.number) for p in members)] if k in by_key]
        if groups:
            section.tables = [
                _rollup_table(
                    "추진방안 현황 (금액: 백만원)",
                    [(g, _rollup_source(sources, g, quarter, weights_version)) for g in groups],
                    quarter,
                )
            ]
        sections.append(section)
        for programme in members:
            where = f"중점 추진과제 {area.number}-{programme.number}"
            part = Section(
                2, f"{area.number}-{programme.number}. {programme.title}", f"programme-{area.number}-{programme.number}"
            )
            part.facts = [
                (
                    "원문",
                    Cited(
                        programme.title,
                        sources.cite(("원문", "programme", programme.pk), "계획 원문", where, programme.source_text),
                    ),
                )
            ]
            members_tasks = tasks_of.get(programme.pk, [])
            part.tables = [_task_list(members_tasks, pages)] if members_tasks else []
            sections.append(part)
            sections.extend(pages[t.pk] for t in members_tasks)

    return sections


def book_build(selection: WorkbookFilter, *, now: datetime.datetime | None = None, draw=None) -> Book:
    """The book of ``selection`` (the dashboard's plan, quarter, area and department), its charts drawn by
    ``draw`` (``reports.briefing.charts``; none for a book without charts)."""
    plan, quarter = selection.plan, selection.quarter
    weights = weights_current()
    stored = stored_judging_missing(plan=plan, tasks=selection.tasks(), weights=weights)
    rollups = plan_rollups(stored, quarter=quarter)
    read = (*READ, "as_of", "weights_version", "report_quarter")
    rows = {r["task_id"]: r for r in stored.quarter(quarter).values(*read)}
    sources = Sources()

    summary = Section(1, "요약", "summary")
    total_ref = _rollup_source(sources, rollups.total, quarter, weights.version)
    area_refs = [(a, _rollup_source(sources, a, quarter, weights.version)) for a in rollups.areas]
    summary.tables = [
        _rollup_table(f"{quarter}분기 현황 (금액: 백만원)", [(rollups.total, total_ref), *area_refs], quarter)
    ]
    if draw is not None and rollups.areas:
        summary.charts = draw(rollups.areas)

    pages: dict[int, Section] = {}
    tasks_of: dict[int, list] = defaultdict(list)
    mismatches = Table("인쇄된 합계와 계산 합계의 불일치", ["연번", "과제명", "내용"], [])
    for tasks, data in task_slices(selection):
        builder = TaskPages(sources, data, tasks, rows, quarter)
        for task in data.tasks:
            pages[task.pk] = builder.section(task)
            tasks_of[task.programme_id].append(task)
            for flag, ref in builder.mismatches(task):
                mismatches.rows.append([Cited(str(task.number)), Cited(task.title), Cited(flag, ref)])

    sections = [summary, *_plan_sections(selection, rollups, sources, tasks_of, pages, weights.version)]
    appendix = Section(1, "부록: 원문 합계 불일치", "mismatches", tables=[mismatches])
    sections.append(appendix)
    return Book(
        title=f"{plan.title} 추진실적 보고",
        plan_title=plan.title,
        selection=selection.describe(),
        quarter=quarter,
        made_at=timezone.localtime(now or timezone.now()),
        sections=sections,
        sources=sources.entries,
    )
