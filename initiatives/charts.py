"""Charts of the plan (and the base every chart shares): plain numbers in, a plotly Figure out, with the same numbers as a table beside it.

No ORM here. Each chart is drawn by static/js/charts.js from JSON (no inline script), with
plotly.js served from the portal's own static files.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import plotly.graph_objects as go

FONT = {"family": "Noto Sans CJK KR, Malgun Gothic, sans-serif", "size": 12}


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
    return {"title": {"text": title}, "font": FONT, "margin": {"l": 60, "r": 20, "t": 50, "b": 80}, **extra}


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
        **base_layout(
            title, xaxis={"type": "date"}, yaxis={"autorange": "reversed"}, height=max(300, 28 * len(items) + 120)
        )
    )
    rows = [[i.label, i.start.strftime("%Y-%m"), i.end.strftime("%Y-%m")] for i in items]
    return Chart(chart_id, title, figure, ["일정", "시작", "종료"], rows)
