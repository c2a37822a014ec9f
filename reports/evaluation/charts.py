"""Evaluation charts: plain numbers in, a plotly Figure out, with the same numbers as a table beside it."""

from decimal import Decimal

import plotly.graph_objects as go

from initiatives.charts import AMOUNT_AXIS, COUNT_AXIS, PERCENT_AXIS, Chart, as_float, base_layout
from reports.models import TaskStatus

STATUS_COLOURS = {
    TaskStatus.ON_TRACK: "#198754",
    TaskStatus.ATTENTION: "#ffc107",
    TaskStatus.DELAYED: "#dc3545",
    TaskStatus.UNDETERMINED: "#adb5bd",
}


def score_by_group(chart_id: str, title: str, labels: list[str], scores: list[Decimal | None]) -> Chart:
    """Bar chart of 0–100 scores per group (area, programme, department); groups without a score show none."""
    figure = go.Figure(go.Bar(x=labels, y=[as_float(s) for s in scores], marker_color="#0d6efd", name="점수"))
    figure.update_layout(**base_layout(title, yaxis={**PERCENT_AXIS, "range": [0, 100], "title": {"text": "점수"}}))
    rows = [[label, "–" if score is None else f"{score}"] for label, score in zip(labels, scores, strict=True)]
    return Chart(chart_id, title, figure, ["구분", "점수"], rows)


def budget_plan_vs_execution(chart_id: str, years: list[str], planned: list[int], executed: list[int | None]) -> Chart:
    """Plan amounts per year column beside what reports say was executed (백만원)."""
    figure = go.Figure(
        [
            go.Bar(x=years, y=planned, name="계획(소요예산)", marker_color="#6c757d"),
            go.Bar(x=years, y=executed, name="집행(지출액 누계)", marker_color="#0d6efd"),
        ]
    )
    figure.update_layout(**base_layout("연도별 예산 계획 대비 집행 (백만원)", barmode="group", yaxis=AMOUNT_AXIS))
    rows = [[y, p, "–" if e is None else e] for y, p, e in zip(years, planned, executed, strict=True)]
    return Chart(chart_id, "연도별 예산 계획 대비 집행 (백만원)", figure, ["연도", "계획", "집행"], rows)


def status_counts(chart_id: str, labels: list[str], counts: dict[TaskStatus, list[int]]) -> Chart:
    """Stacked bars of task status (정상/주의/지연/판단 불가) per group or quarter."""
    figure = go.Figure(
        [
            go.Bar(x=labels, y=values, name=status.label, marker_color=STATUS_COLOURS[status])
            for status, values in counts.items()
        ]
    )
    figure.update_layout(
        **base_layout("과제 상태", barmode="stack", yaxis={**COUNT_AXIS, "title": {"text": "과제 수"}})
    )
    rows = [[label, *[counts[status][i] for status in counts]] for i, label in enumerate(labels)]
    return Chart(chart_id, "과제 상태", figure, ["구분", *(status.label for status in counts)], rows)


def submission_completeness(chart_id: str, quarters: list[str], series: dict[str, list[int]]) -> Chart:
    """Per quarter: approved, submitted (waiting), returned or draft, and missing reports."""
    colours = {"승인": "#198754", "제출(검토 대기)": "#0d6efd", "작성중·반려": "#ffc107", "미작성": "#dc3545"}
    figure = go.Figure(
        [go.Bar(x=quarters, y=values, name=name, marker_color=colours[name]) for name, values in series.items()]
    )
    figure.update_layout(**base_layout("분기별 보고 제출 현황 (과제 수)", barmode="stack", yaxis=COUNT_AXIS))
    rows = [[q, *[series[name][i] for name in series]] for i, q in enumerate(quarters)]
    return Chart(chart_id, "분기별 보고 제출 현황 (과제 수)", figure, ["분기", *series], rows)


def quarterly_trend(chart_id: str, quarters: list[str], series: dict[str, list[Decimal | None]]) -> Chart:
    """Lines across quarters (e.g. indicator achievement, execution rate), in percent."""
    figure = go.Figure(
        [
            go.Scatter(x=quarters, y=[as_float(v) for v in values], name=name, mode="lines+markers")
            for name, values in series.items()
        ]
    )
    figure.update_layout(**base_layout("분기별 추이 (%)", yaxis=PERCENT_AXIS))
    rows = [
        [q, *["–" if series[name][i] is None else f"{series[name][i]}" for name in series]]
        for i, q in enumerate(quarters)
    ]
    return Chart(chart_id, "분기별 추이 (%)", figure, ["분기", *series], rows)
