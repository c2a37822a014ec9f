"""Charts of the plan (and the base every chart shares): plain numbers in, a plotly.js spec out, with the same
numbers as a table beside it.

No ORM and no plotly objects here: a spec is the plain dicts and lists plotly.js reads (``data`` and ``layout``),
checked against plotly's schema by tests/test_chart_specs.py. Building them through plotly's object model was
two fifths of a dashboard, and its default template (7 KB) rode in every chart; what the charts share is
``SHARED`` instead, sent once per page (``{% chart_shared %}``) and laid under each chart by static/js/charts.js.
"""

import datetime
import functools
import textwrap
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import localize
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

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

# What every chart shares, once per page: its template (Korean font, "." decimals and "," thousands, margins,
# colours, a width that follows the page so that charts fit a phone) and plotly.js's config (the Korean toolbar,
# responsive; no logo, and no offer to upload the chart to Plotly Cloud: the portal sends nothing outside).
SHARED = {
    "template": {
        "layout": {
            "font": FONT,
            "separators": ".,",
            "autosize": True,
            "margin": {"l": 60, "r": 20, "t": 50, "b": 80},
            "colorway": ["#0d6efd", "#fd7e14", "#198754", "#6f42c1", "#dc3545", "#20c997"],
        }
    },
    "config": {"displaylogo": False, "responsive": True, "locale": "ko", "showSendToCloud": False},
}


@dataclass
class Chart:
    id: str
    title: str
    spec: dict  # {"data": [trace, ...], "layout": {...}} as plotly.js reads it, for ``json_script``
    headers: list[str]
    rows: list[list]

    def table_rows(self) -> SafeString:
        """The table beside the chart, its ``<tr>``s: the row's label a header, the figures localized as a template
        writes them (written here: a template loop per cell was most of the schedule page)."""
        return format_html_join(
            "",
            "{}",
            ((format_html(_table_row(len(cells)), label, *map(localize, cells)),) for label, *cells in self.rows),
        )


@functools.cache
def _table_row(figures: int) -> str:
    return '<tr><th scope="row">{}</th>' + '<td class="num">{}</td>' * figures + "</tr>"


def chart_spec(traces: list[dict], title: str, **layout) -> dict:
    """A chart's own part: its traces, title and axes; the rest is ``SHARED``."""
    return {"data": traces, "layout": {"title": {"text": title}, **layout}}


def as_float(value: Decimal | int | None) -> float | None:
    return None if value is None else float(value)


@dataclass(frozen=True)
class GanttItem:
    """One row of a Gantt: the planned months and, where a report says so, what was actually done."""

    label: str
    start: datetime.date  # first planned month drawn (its 1st day)
    end: datetime.date  # last planned month drawn (its 1st day)
    status: str = ""  # the legend entry whose colour the planned bar takes (the caller's vocabulary)
    actual_start: datetime.date | None = None
    actual_end: datetime.date | None = None  # the day the work ended, or the day judged at while it runs
    progress: str = ""  # the reported progress in words ("완료", "보고 없음")
    late: str = ""  # why it is late ("지연 12일"); empty when it is not


PLANNED_COLOUR = "#0d6efd"
ACTUAL_COLOUR = "#212529"
LABEL_LINE = 22  # characters of a label line before it wraps: labels wrap, they are never cut
ROW = 0.6  # rows' height in y units per label line, plus a gap of one line's
DAY_MS = 86_400_000


def _month_after(day: datetime.date) -> datetime.date:
    return datetime.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _rows_y(items: list[GanttItem]) -> tuple[list[float], list[str], float]:
    """Each row's centre and wrapped label, rows as tall as their label; and the height of them all."""
    centres, labels, top = [], [], 0.0
    for item in items:
        lines = textwrap.wrap(item.label, LABEL_LINE) or [""]
        height = ROW * (len(lines) + 1)
        centres.append(top + height / 2)
        labels.append("<br>".join(lines))
        top += height
    return centres, labels, top


def _actual_text(item: GanttItem) -> str:
    if item.actual_start is None:
        return item.progress or "–"
    end = f"{item.actual_end:%Y-%m-%d}" if item.actual_end else ""
    return f"{item.progress} ({item.actual_start:%Y-%m-%d} ~ {end})".strip()


def _hover(item: GanttItem) -> str:
    parts = [item.label, f"계획 {item.start:%Y-%m} ~ {item.end:%Y-%m}"]
    if item.status or item.progress:
        parts += [f"실적 {_actual_text(item)}", f"과제 상태 {item.status or '–'}"]
    return "<br>".join([*parts, *([item.late] if item.late else [])])


def _planned_bars(rows: list[tuple], colours: dict[str, str]) -> list[dict]:
    """One trace per status (its colour, its legend entry), in the order of ``colours``; "계획" without one.
    ``rows`` are (item, y, hover text)."""
    bars = []
    for status in [*colours, ""]:
        shown = [row for row in rows if (row[0].status if row[0].status in colours else "") == status]
        if not shown:
            continue
        bars.append(
            {
                "type": "bar",
                "y": [pos for _, pos, _ in shown],
                "x": [(_month_after(i.end) - i.start).days * DAY_MS for i, _, _ in shown],
                "base": [i.start.isoformat() for i, _, _ in shown],
                "orientation": "h",
                "width": ROW * 1.4,
                "marker": {"color": colours.get(status, PLANNED_COLOUR)},
                "name": f"계획 · {status}" if status else "계획",
                "hovertext": [hover for _, _, hover in shown],
                "hoverinfo": "text",
            }
        )
    return bars


def _actual_bars(rows: list[tuple]) -> list[dict]:
    done = [
        (i, pos, hover) for i, pos, hover in rows if i.actual_start and i.actual_end and i.actual_end >= i.actual_start
    ]
    late = [row for row in rows if row[0].late]
    traces = []
    if done:
        traces.append(
            {
                "type": "bar",
                "y": [pos for _, pos, _ in done],
                "x": [((i.actual_end - i.actual_start).days + 1) * DAY_MS for i, _, _ in done],
                "base": [i.actual_start.isoformat() for i, _, _ in done],
                "orientation": "h",
                "width": ROW * 0.5,
                "marker": {"color": ACTUAL_COLOUR},
                "name": "실적(보고)",
                "hovertext": [hover for _, _, hover in done],
                "hoverinfo": "text",
            }
        )
    if late:
        traces.append(
            {
                "type": "scatter",
                "y": [pos for _, pos, _ in late],
                "x": [_month_after(i.end).isoformat() for i, _, _ in late],
                "mode": "markers",
                "marker": {"symbol": "x", "size": 12, "color": "#000", "line": {"color": "#fff", "width": 1}},
                "name": "지연",
                "hovertext": [hover for _, _, hover in late],
                "hoverinfo": "text",
            }
        )
    return traces


def gantt(
    chart_id: str, title: str, items: list[GanttItem], *, year: int | None = None, colours: dict[str, str] | None = None
) -> Chart:
    """Planned bars from the start month to the end of the end month, labels wrapped whole; with ``year`` the axis
    spans that year. With ``colours`` (status → colour) each planned bar takes its item's status colour, the
    reported actual span is a thin dark bar inside it, a late item is marked ✕ at its planned end, and the
    table says all of it."""
    y, labels, height = _rows_y(items)
    rows = list(zip(items, y, [_hover(i) for i in items]))
    traces = [*_planned_bars(rows, colours or {}), *(_actual_bars(rows) if colours is not None else [])]
    xaxis = {**DATE_AXIS, "side": "top"}
    if year is not None:  # one year: a tick a month, the month alone; no tick of the next January
        xaxis |= {"range": [f"{year}-01-01", f"{year}-12-31 23:59"], "dtick": "M1"}
        xaxis |= {"tickformat": "%-m월", "tickformatstops": []}
    spec = chart_spec(
        traces,
        title,
        barmode="overlay",
        xaxis=xaxis,
        yaxis={"tickvals": y, "ticktext": labels, "range": [height, 0], "automargin": True, "showgrid": False},
        legend={"orientation": "h", "yanchor": "top", "y": -0.02, "x": 0},
        height=max(300, int(height * 32) + 160),
        margin={"t": 90},  # room for the date axis on top; the other sides as ``SHARED`` has them
    )
    if colours is None:
        rows = [[i.label, i.start.strftime("%Y-%m"), i.end.strftime("%Y-%m")] for i in items]
        return Chart(chart_id, title, spec, ["일정", "시작", "종료"], rows)
    rows = [
        [i.label, f"{i.start:%Y-%m} ~ {i.end:%Y-%m}", _actual_text(i), i.status or "–", i.late or "–"] for i in items
    ]
    return Chart(chart_id, title, spec, ["일정", "계획", "실적(보고)", "과제 상태", "지연"], rows)
