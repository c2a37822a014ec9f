"""Evaluation charts: plain numbers in, a plotly.js spec out (``initiatives.charts``), with the same numbers as a
table beside it."""

from decimal import Decimal

from initiatives.charts import AMOUNT_AXIS, COUNT_AXIS, PERCENT_AXIS, Chart, as_float, chart_spec
from reports.models import TaskStatus

STATUS_COLOURS = {
    TaskStatus.ON_TRACK: "#198754",
    TaskStatus.ATTENTION: "#ffc107",
    TaskStatus.DELAYED: "#dc3545",
    TaskStatus.UNDETERMINED: "#adb5bd",
}


def _bar(x: list, y: list, name: str, colour: str) -> dict:
    return {"type": "bar", "x": x, "y": y, "name": name, "marker": {"color": colour}}


def score_by_group(chart_id: str, title: str, labels: list[str], scores: list[Decimal | None]) -> Chart:
    """Bar chart of 0–100 scores per group (area, programme, department); groups without a score show none."""
    bar = _bar(labels, [as_float(s) for s in scores], "점수", "#0d6efd")
    spec = chart_spec([bar], title, yaxis={**PERCENT_AXIS, "range": [0, 100], "title": {"text": "점수"}})
    rows = [[label, "–" if score is None else f"{score}"] for label, score in zip(labels, scores, strict=True)]
    return Chart(chart_id, title, spec, ["구분", "점수"], rows)


def budget_plan_vs_execution(chart_id: str, years: list[str], planned: list[int], executed: list[int | None]) -> Chart:
    """Plan amounts per year column beside what reports say was executed (백만원)."""
    title = "연도별 예산 계획 대비 집행 (백만원)"
    bars = [_bar(years, planned, "계획(소요예산)", "#6c757d"), _bar(years, executed, "집행(지출액 누계)", "#0d6efd")]
    spec = chart_spec(bars, title, barmode="group", yaxis=AMOUNT_AXIS)
    rows = [[y, p, "–" if e is None else e] for y, p, e in zip(years, planned, executed, strict=True)]
    return Chart(chart_id, title, spec, ["연도", "계획", "집행"], rows)


def status_counts(chart_id: str, labels: list[str], counts: dict[TaskStatus, list[int]]) -> Chart:
    """Stacked bars of task status (정상/주의/지연/판단 불가) per group or quarter."""
    bars = [_bar(labels, values, status.label, STATUS_COLOURS[status]) for status, values in counts.items()]
    spec = chart_spec(bars, "과제 상태", barmode="stack", yaxis={**COUNT_AXIS, "title": {"text": "과제 수"}})
    rows = [[label, *[counts[status][i] for status in counts]] for i, label in enumerate(labels)]
    return Chart(chart_id, "과제 상태", spec, ["구분", *(status.label for status in counts)], rows)


def submission_completeness(chart_id: str, quarters: list[str], series: dict[str, list[int]]) -> Chart:
    """Per quarter: approved, submitted (waiting), returned or draft, and missing reports."""
    title = "분기별 보고 제출 현황 (과제 수)"
    colours = {"승인": "#198754", "제출(검토 대기)": "#0d6efd", "작성중·반려": "#ffc107", "미작성": "#dc3545"}
    bars = [_bar(quarters, values, name, colours[name]) for name, values in series.items()]
    spec = chart_spec(bars, title, barmode="stack", yaxis=COUNT_AXIS)
    rows = [[q, *[series[name][i] for name in series]] for i, q in enumerate(quarters)]
    return Chart(chart_id, title, spec, ["분기", *series], rows)


def quarterly_trend(chart_id: str, quarters: list[str], series: dict[str, list[Decimal | None]]) -> Chart:
    """Lines across quarters (e.g. indicator achievement, execution rate), in percent; colours from ``SHARED``."""
    lines = [
        {"type": "scatter", "x": quarters, "y": [as_float(v) for v in values], "name": name, "mode": "lines+markers"}
        for name, values in series.items()
    ]
    spec = chart_spec(lines, "분기별 추이 (%)", yaxis=PERCENT_AXIS)
    rows = [
        [q, *["–" if series[name][i] is None else f"{series[name][i]}" for name in series]]
        for i, q in enumerate(quarters)
    ]
    return Chart(chart_id, "분기별 추이 (%)", spec, ["분기", *series], rows)
