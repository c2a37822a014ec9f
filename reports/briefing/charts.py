"""The book's charts as SVG, drawn offline by matplotlib (no browser, no network): the summary's status counts
and budget by area. Their figures are the summary table's, which the book prints beside them."""

import base64
import io

import matplotlib
from matplotlib.figure import Figure  # drawn without pyplot: no display, no global state

from reports.evaluation.charts import STATUS_COLOURS
from reports.evaluation.dashboards import Rollup
from reports.models import TaskStatus

# Debian's fonts-noto-cjk; the text becomes outlines in the SVG, so the PDF needs no font for the charts.
KOREAN_FONTS = ["Noto Sans CJK KR", "Noto Sans CJK JP", "DejaVu Sans"]
PARAMS = {"font.family": "sans-serif", "font.sans-serif": KOREAN_FONTS, "svg.fonttype": "path", "font.size": 8}


def _svg(figure: Figure) -> str:
    """The figure as an SVG image's data URI: an image of its own, so that two charts' element ids never meet."""
    out = io.BytesIO()
    figure.savefig(out, format="svg", bbox_inches="tight")
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()


def _short(label: str, limit: int = 18) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def status_chart(areas: list[Rollup]) -> str:
    with matplotlib.rc_context(PARAMS):
        figure = Figure(figsize=(6.2, 0.5 + 0.4 * len(areas)))
        axes = figure.subplots()
        labels = [_short(a.label) for a in reversed(areas)]
        left = [0] * len(areas)
        for status in TaskStatus:
            counts = [a.status_counts[status] for a in reversed(areas)]
            axes.barh(labels, counts, left=left, label=status.label, color=STATUS_COLOURS[status])
            left = [x + c for x, c in zip(left, counts, strict=True)]
        axes.set_title("추진방안별 진단 (과제 수)")
        axes.legend(loc="upper center", ncols=len(TaskStatus), fontsize=7, frameon=False, bbox_to_anchor=(0.5, -0.3))
        axes.spines[["top", "right"]].set_visible(False)
        return _svg(figure)


def budget_chart(areas: list[Rollup]) -> str:
    with matplotlib.rc_context(PARAMS):
        figure = Figure(figsize=(6.2, 0.5 + 0.5 * len(areas)))
        axes = figure.subplots()
        labels = [_short(a.label) for a in reversed(areas)]
        positions = range(len(areas))
        axes.barh([p + 0.2 for p in positions], [a.available for a in reversed(areas)], 0.4, label="예산현액")
        axes.barh([p - 0.2 for p in positions], [a.spent for a in reversed(areas)], 0.4, label="지출액 누계")
        axes.set_yticks(list(positions), labels)
        axes.set_title("추진방안별 예산 (백만원)")
        axes.legend(loc="upper center", ncols=2, fontsize=7, frameon=False, bbox_to_anchor=(0.5, -0.3))
        axes.spines[["top", "right"]].set_visible(False)
        return _svg(figure)


def summary_charts(areas: list[Rollup]) -> list[tuple[str, str]]:
    """(what the chart shows, its image) for the summary."""
    return [
        ("추진방안별 진단 과제 수", status_chart(areas)),
        ("추진방안별 예산현액과 지출액 누계", budget_chart(areas)),
    ]
