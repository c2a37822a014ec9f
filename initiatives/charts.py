"""Charts of the plan (and the base every chart shares): plain numbers in, a plotly Figure out, with the same numbers as a table beside it.

No ORM here. Each chart is drawn by static/js/charts.js from JSON (no inline script), with
plotly.js served from the portal's own static files.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import plotly.graph_objects as go

FONT = {"family": "Noto Sans CJK KR, Malgun Gothic, sans-serif", "size": 12}

# Numbers as the portal's tables print them, 1,234 (plotly's default would write "1.2k"); decimals only
# when the ticks themselves are fractional (a count axis that runs from 0 to 2).
COUNT_AXIS = {
    "tickformat": ",d",
    "hoverformat": ",d",
    "tickformatstops": [{"dtickrange": [None, 1], "value": ",.1f"}],
    "rangemode": "tozero",
}
AMOUNT_AXIS = {**COUNT_AXIS, "title": {"text": "백만원"}}
PERCENT_AXIS = {"tickformat": ",.0f", "hoverformat": ",.1f", "rangemode": "tozero", "title": {"text": "%"}}
# Dates in Korean at every zoom: 3월 15일, 2017년 3월, 2017년 (the ko locale alone would write "3월 2017").
DATE_AXIS = {
    "type": "date",
    "hoverformat": "%Y년 %-m월 %-d일",
    "tickformatstops": [
        {"dtickrange": [None, "M1"], "value": "%-m월 %-d일"},
        {"dtickrange": ["M1", "M12"], "value": "%Y년 %-m월"},
        {"dtickrange": ["M12", None], "value": "%Y년"},
    ],
}


@dataclass
class Chart:
    id: str
    title: str
    figure: go.Figure
    headers: list[str]
    rows: list[list]

    @property
    def spec(self) -> dict:
        """The figure as plain data for ``json_script``: encoded once, by the page."""
        return self.figure.to_plotly_json()


def base_layout(title: str, **extra) -> dict:
    """Every chart's layout: Korean font, "." decimals and "," thousands, and a width that follows the page
    (autosize here, ``responsive`` in static/js/charts.js) so that charts fit a phone."""
    return {
        "title": {"text": title},
        "font": FONT,
        "separators": ".,",
        "autosize": True,
        "margin": {"l": 60, "r": 20, "t": 50, "b": 80},
        **extra,
    }


def as_float(value: Decimal | int | None) -> float | None:
    return None if value is None else float(value)


@dataclass(frozen=True)
class GanttItem:
    label: str
    start: datetime.date
    end: datetime.date  # first day of the planned end month
    group: str = ""


def gantt(chart_id: str, title: str, items: list[GanttItem]) -> Chart:
    """Horizontal bars from the start month to the end of the end month."""

    def finish(item: GanttItem) -> datetime.date:
        year, month = (item.end.year + item.end.month // 12, item.end.month % 12 + 1)
        return datetime.date(year, month, 1)

    durations = [(finish(i) - i.start).days * 86_400_000 for i in items]
    figure = go.Figure(
        go.Bar(
            y=[i.label for i in items],
            x=durations,
            base=[i.start.isoformat() for i in items],
            orientation="h",
            marker_color="#0d6efd",
            customdata=[[i.start.strftime("%Y-%m"), i.end.strftime("%Y-%m")] for i in items],
            hovertemplate="%{y}<br>%{customdata[0]} ~ %{customdata[1]}<extra></extra>",
        )
    )
    figure.update_layout(
        **base_layout(title, xaxis=DATE_AXIS, yaxis={"autorange": "reversed"}, height=max(300, 28 * len(items) + 120))
    )
    rows = [[i.label, i.start.strftime("%Y-%m"), i.end.strftime("%Y-%m")] for i in items]
    return Chart(chart_id, title, figure, ["일정", "시작", "종료"], rows)
