"""The open datasets of a plan year: their data dictionaries and their rows.

The same rules as ``/results/``: the results come from ``annual.approved_figures`` (approved reports only)
and ``annual.final_scores`` (a finalised evaluation only), so that no draft, submission, return, comment or
portal user's name can reach a file. The plan datasets come from ``initiatives.exports.plan_export``, the
document ``/api/plans/<year>/`` serves: the same numbers, and only the plan's own printed text.

Each column has a stable ASCII ``name`` (the CSV header, the JSON key, the Frictionless field name) and a
Korean ``title`` (the XLSX header, the index page's dictionary): machines read names that never change when a
label is reworded, people read Korean.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Max, Q
from django.utils import timezone

from initiatives.exports import plan_export
from initiatives.models import IndicatorTargetChange, Plan
from reports.evaluation import annual
from reports.models import ReportEvent, ReportingPeriod
from reports.progress import rules

TYPE_LABELS = {"integer": "정수", "number": "숫자", "string": "문자", "boolean": "예/아니오", "yearmonth": "연월"}
LICENCE = {
    "name": "KOGL-Type1",
    "title": "공공누리 제1유형: 출처표시",
    "path": "https://www.kogl.or.kr/info/licenseType1.do",
}
PORTAL = "gov30 정부3.0 실행계획 포털"


@dataclass(frozen=True)
class Column:
    """One column of a dataset: its entry in the data dictionary (a Frictionless table schema field)."""

    name: str
    title: str
    type: str  # a Frictionless type: integer, number, string, boolean, yearmonth
    description: str
    unit: str = ""

    @property
    def type_label(self) -> str:
        return TYPE_LABELS[self.type]

    def descriptor(self) -> dict[str, Any]:
        described = {"name": self.name, "title": self.title, "type": self.type, "description": self.description}
        if self.unit:
            described["unit"] = self.unit  # a custom property; the unit is in the description too
        if self.type == "boolean":
            described |= {"trueValues": ["예"], "falseValues": ["아니오"]}
        return described


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: str
    description: str
    columns: tuple[Column, ...]
    kind: str  # "results" (approved figures) or "plan" (the plan's text and numbers)
    quarter: int | None = None


@dataclass
class Table:
    """A dataset of one plan year, filled: its rows in column order, and where they come from."""

    plan: Plan
    dataset: Dataset
    rows: list[list[Any]]
    last_change: datetime.datetime
    sources: list[dict[str, str]] = field(default_factory=list)

    def records(self) -> list[dict[str, Any]]:
        """The rows as column name → plain value: the JSON file's rows and the API's answer."""
        names = [c.name for c in self.dataset.columns]
        return [dict(zip(names, map(number, row), strict=True)) for row in self.rows]


def _c(name: str, title: str, type_: str, description: str, unit: str = "") -> Column:
    if unit:
        description = f"{description} (단위: {unit})"
    return Column(name, title, type_, description, unit)


TASK_NUMBER = _c("task_number", "연번", "integer", "실행계획의 과제 연번")
RESULT_COLUMNS = (
    TASK_NUMBER,
    _c("task_title", "과제명", "string", "과제의 이름"),
    _c("department", "주관부서", "string", "과제를 맡은 서울시 부서"),
    _c("report_quarter", "승인된 최근 보고 분기", "integer", "수치의 출처인 승인된 분기 보고의 분기 (없으면 빈칸)"),
    _c("status", "진단", "string", "평가 기준에 따른 진단 (정상·주의·지연·판단 불가)"),
    _c("status_explanation", "진단 사유", "string", "진단과 그 사유 (추진실적 공개 화면의 문구)"),
    _c("available_budget", "예산현액", "integer", "해당 연도의 예산현액", "백만원"),
    _c("spent", "지출액 누계", "integer", "승인된 보고의 지출액 누계", "백만원"),
    _c("execution_rate", "집행률", "number", "지출액 누계 ÷ 예산현액 (소수 첫째 자리로 반올림)", "%"),
    _c("evaluation_score", "평가 점수", "number", "확정된 연말 추진실적 평가의 점수 (확정 전에는 빈칸)", "점"),
    _c("evaluation_grade", "등급", "string", "확정된 연말 추진실적 평가의 등급 (확정 전에는 빈칸)"),
)
INDICATOR_RESULT_COLUMNS = (
    TASK_NUMBER,
    _c("indicator", "성과지표", "string", "성과지표의 이름"),
    _c("unit", "단위", "string", "지표 값의 단위"),
    _c("target", "목표", "number", "그 분기에 적용된 연간 목표치 (단위는 '단위' 열)"),
    _c("actual", "실적", "number", "승인된 보고의 실적 (누적 지표는 그 분기까지의 값, 없으면 빈칸)"),
    _c("achievement_rate", "달성률", "number", "실적 ÷ 목표 (낮을수록 좋은 지표는 목표 ÷ 실적)", "%"),
)
TASK_COLUMNS = (
    TASK_NUMBER,
    _c("title", "과제명", "string", "과제의 이름"),
    _c("strategic_area", "추진방안 번호", "integer", "과제가 속한 추진방안(전략)의 번호"),
    _c("strategic_area_title", "추진방안", "string", "추진방안(전략)의 이름"),
    _c("programme", "추진과제 번호", "integer", "과제가 속한 추진과제의 번호"),
    _c("programme_title", "추진과제", "string", "추진과제의 이름"),
    _c("department", "주관부서", "string", "과제를 맡은 서울시 부서"),
    _c("agencies", "협업기관", "string", "협업기관 (여러 곳은 '; '로 구분)"),
    _c("manager", "책임자", "string", "실행계획에 적힌 책임자 (직위 이름)"),
    _c("officer", "실무자", "string", "실행계획에 적힌 실무자 (직위 이름)"),
    _c("phone", "연락처", "string", "실행계획에 적힌 연락처"),
    _c("non_budget", "비예산", "boolean", "예산이 들지 않는 과제이면 '예'"),
    _c("budget_printed_total", "예산 합계(계획서)", "integer", "실행계획에 인쇄된 예산 합계", "백만원"),
    _c("budget_computed_total", "예산 합계(계산)", "integer", "예산 항목 금액의 합", "백만원"),
)
BUDGET_COLUMNS = (
    TASK_NUMBER,
    _c("budget_line", "예산 항목", "string", "예산표의 항목 (사업명)"),
    _c("from_year", "시작 연도", "integer", "금액 열의 첫 연도"),
    _c("to_year", "끝 연도", "integer", "금액 열의 마지막 연도 (한 해이면 시작 연도와 같음)"),
    _c("amount", "금액", "integer", "그 열의 금액", "백만원"),
    _c("line_printed_total", "항목 합계(계획서)", "integer", "실행계획에 인쇄된 항목 합계", "백만원"),
    _c("line_computed_total", "항목 합계(계산)", "integer", "항목 금액의 합", "백만원"),
)
MILESTONE_COLUMNS = (
    TASK_NUMBER,
    _c("order", "순서", "integer", "과제 안에서 추진일정의 순서"),
    _c("title", "추진내용", "string", "추진일정의 내용"),
    _c("start", "시작 월", "yearmonth", "계획된 시작 월 (예: 2017-03)"),
    _c("end", "끝 월", "yearmonth", "계획된 끝 월 (예: 2017-12, 없으면 빈칸)"),
    _c("date_text", "일정 표기", "string", "실행계획에 적힌 일정"),
)
INDICATOR_COLUMNS = (
    TASK_NUMBER,
    _c("indicator", "성과지표", "string", "성과지표의 이름"),
    _c("unit", "단위", "string", "지표 값의 단위"),
    _c("year", "연도", "integer", "목표의 연도"),
    _c("target", "목표", "number", "현재 적용되는 목표치 (단위는 '단위' 열)"),
)


def result_datasets(q: int) -> tuple[Dataset, Dataset]:
    """The results of quarter ``q``: each task's figures, and each indicator's."""
    return (
        Dataset(
            f"results-q{q}",
            f"{q}분기 추진실적",
            f"과제별 진단과 예산 집행 ({q}분기 말 기준, 승인된 보고만)",
            RESULT_COLUMNS,
            "results",
            q,
        ),
        Dataset(
            f"indicator-results-q{q}",
            f"{q}분기 성과지표 실적",
            f"과제별 성과지표의 목표·실적·달성률 ({q}분기 말 기준, 승인된 보고만)",
            INDICATOR_RESULT_COLUMNS,
            "results",
            q,
        ),
    )


def datasets(*, quarters: Iterable[int]) -> list[Dataset]:
    """A plan year's datasets: the results of each quarter that has a reporting period, then the plan."""
    results = [d for q in quarters for d in result_datasets(q)]
    return results + [
        Dataset("tasks", "과제", "실행계획의 과제와 주관부서·협업기관·예산 합계", TASK_COLUMNS, "plan"),
        Dataset("budgets", "예산", "과제별 예산표: 항목 × 연도 열의 금액", BUDGET_COLUMNS, "plan"),
        Dataset("milestones", "추진일정", "과제별 추진일정", MILESTONE_COLUMNS, "plan"),
        Dataset("indicators", "성과지표", "과제별 성과지표와 목표", INDICATOR_COLUMNS, "plan"),
    ]


def plan_quarters(plan: Plan) -> list[int]:
    """The quarters of ``plan`` that have a reporting period (their results are published)."""
    return list(ReportingPeriod.objects.filter(plan=plan).order_by("quarter").values_list("quarter", flat=True))


def plan_datasets(plan: Plan) -> list[Dataset]:
    return datasets(quarters=plan_quarters(plan))


def find_dataset(plan: Plan, slug: str) -> Dataset | None:
    return next((d for d in plan_datasets(plan) if d.slug == slug), None)


# ---------------------------------------------------------------- when the published figures last changed


def _as_datetime(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def last_changes(plan: Plan) -> dict[str, datetime.datetime]:
    """When each kind of dataset last changed. The plan: its approval date, or a later change of an indicator's
    target (the plan's only recorded change). The results: the newest approval or reopening of one of the
    plan's reports (an approved report's figures change only through these), the evaluation's finalisation, or
    a target change (달성률 follows the target), and never earlier than the plan."""
    approved_on = _as_datetime(plan.approved_on)
    target = IndicatorTargetChange.objects.filter(indicator__task__plan=plan).aggregate(at=Max("changed_at"))["at"]
    plan_change = max(filter(None, [approved_on, target]))
    actions = Q(action__in=[ReportEvent.Action.APPROVE, ReportEvent.Action.REOPEN])
    event = ReportEvent.objects.filter(actions, report__period__plan=plan).aggregate(at=Max("at"))["at"]
    final, _ = annual.final_scores(plan=plan, tasks=plan.tasks.none())
    finalised = final.finalised_at if final else None
    return {"plan": plan_change, "results": max(filter(None, [plan_change, event, finalised]))}


def sources(plan: Plan, *, portal_url: str = "") -> list[dict[str, str]]:
    """The plan document and the portal, as Frictionless ``sources``."""
    document = {"title": f"{plan.title} ({plan.document_number}, {plan.approved_on:%Y-%m-%d} 결재)"}
    portal = {"title": f"{PORTAL} 추진실적 공개 (승인된 분기 보고)"}
    if portal_url:
        document["path"] = portal_url + "/"
        portal["path"] = portal_url + "/results/"
    return [document, portal]


# ---------------------------------------------------------------- the rows


def table(plan: Plan, dataset: Dataset, *, portal_url: str = "") -> Table:
    rows = ROWS[dataset.slug.rsplit("-q", 1)[0]](plan, dataset.quarter)
    changed = last_changes(plan)[dataset.kind]
    return Table(plan, dataset, list(rows), changed, sources(plan, portal_url=portal_url))


def _result_rows(plan: Plan, quarter: int) -> Iterable[list[Any]]:
    _, facts = annual.approved_figures(plan=plan, quarter=quarter)
    _, scores = annual.final_scores(plan=plan)
    for view in facts.tasks:
        score = scores.get(view.task.pk)
        yield [
            view.task.number,
            view.task.title,
            view.task.department.name,
            view.report.period.quarter if view.report else None,
            view.assessment.status.label,
            view.assessment.explanation,
            view.available,
            view.spent,
            rules.percent_value(view.execution_rate),
            score.total if score else None,
            score.grade if score and score.grade else None,
        ]


def _indicator_result_rows(plan: Plan, quarter: int) -> Iterable[list[Any]]:
    data, facts = annual.approved_figures(plan=plan, quarter=quarter)
    for view in facts.tasks:
        # ``assemble`` makes one fact per indicator of the year, in the plan's order, when there is a report
        indicators = data.indicators.get(view.task.pk, []) if view.report else []
        for indicator, fact in zip(indicators, view.facts.indicators, strict=True):
            yield [
                view.task.number,
                fact.name,
                indicator.unit,
                fact.target,
                fact.actual,
                rules.percent_value(fact.rate),
            ]


def _task_rows(plan: Plan, _quarter=None) -> Iterable[list[Any]]:
    document = plan_export(plan=plan)
    areas = {a["number"]: a for a in document["strategic_areas"]}
    programmes = {(a["number"], p["number"]): p["title"] for a in areas.values() for p in a["programmes"]}
    for task in document["tasks"]:
        yield [
            task["number"],
            task["title"],
            task["area"],
            areas[task["area"]]["title"],
            task["programme"],
            programmes[(task["area"], task["programme"])],
            task["department"],
            "; ".join(task["agencies"]),
            _person(task["manager"]),
            _person(task["officer"]),
            task["phone"],
            task["non_budget"],
            task["budget_printed_total"],
            task["budget_computed_total"],
        ]


def _person(person: dict[str, str] | None) -> str:
    return " ".join(filter(None, [person["title"], person["name"]])) if person else ""


def _budget_rows(plan: Plan, _quarter=None) -> Iterable[list[Any]]:
    for task in plan_export(plan=plan)["tasks"]:
        for line in task["budget_lines"]:
            totals = [line["printed_total"], line["computed_total"]]
            if not line["amounts"]:
                yield [task["number"], line["name"], None, None, None, *totals]
            for amount in line["amounts"]:
                from_year = amount["from_year"] or amount["to_year"]
                yield [task["number"], line["name"], from_year, amount["to_year"], amount["amount"], *totals]


def _milestone_rows(plan: Plan, _quarter=None) -> Iterable[list[Any]]:
    for task in plan_export(plan=plan)["tasks"]:
        for order, m in enumerate(task["milestones"], start=1):
            yield [task["number"], order, m["title"], m["start"], m["end"], m["date_text"]]


def _indicator_rows(plan: Plan, _quarter=None) -> Iterable[list[Any]]:
    for task in plan_export(plan=plan)["tasks"]:
        for i in task["indicators"]:
            yield [task["number"], i["name"], i["unit"], i["year"], i["target"]]


ROWS: dict[str, Callable[[Plan, int | None], Iterable[list[Any]]]] = {
    "results": _result_rows,
    "indicator-results": _indicator_result_rows,
    "tasks": _task_rows,
    "budgets": _budget_rows,
    "milestones": _milestone_rows,
    "indicators": _indicator_rows,
}


def number(value: Any) -> Any:
    """A Decimal as the plain number it is (342.00 → 342, 26.80 → 26.8); anything else unchanged."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value
