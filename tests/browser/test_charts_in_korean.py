"""Charts read in Korean as plotly.js draws them: Korean dates, amounts as #,##0 (never "20k"), a Korean
toolbar, and a width that follows the screen. The text is read from the rendered SVG."""

import re

from tests.browser.helpers import login, wait_for_charts
from tests.korean_text import english_in

CHART_TEXT = """() => Object.fromEntries([...document.querySelectorAll('div.chart')].map(d => [d.id, {
  x: [...d.querySelectorAll('.xtick text')].map(t => t.textContent),
  y: [...d.querySelectorAll('.ytick text')].map(t => t.textContent),
  all: [...d.querySelectorAll('svg text')].map(t => t.textContent).join(' '),
  toolbar: [...d.querySelectorAll('.modebar-btn')].map(b => b.getAttribute('data-title')),
  width: d.querySelector('svg.main-svg').getBoundingClientRect().width,
}]))"""
KOREAN_DATE = re.compile(r"^(\d{4}년( \d{1,2}월)?|\d{1,2}월( \d{1,2}일)?)$")  # the schedule of one year: "3월"
AMOUNT = re.compile(r"^−?\d{1,3}(,\d{3})*(\.\d)?$")


def charts_on(page, url: str) -> dict:
    page.goto(url)
    assert wait_for_charts(page) > 0, f"{url} has no charts"
    return page.evaluate(CHART_TEXT)


def test_schedule_axis_reads_korean_dates(live_page, live_server, planner):
    login(live_page, live_server, "planner")
    gantt = charts_on(live_page, f"{live_server.url}/dashboard/schedule/")["chart-gantt"]
    assert gantt["x"], "the schedule has no date ticks"
    assert all(KOREAN_DATE.match(label) for label in gantt["x"]), gantt["x"]
    assert not english_in(gantt["all"]), english_in(gantt["all"])


def test_dashboard_amounts_are_grouped_numbers_and_everything_is_korean(live_page, live_server, planner):
    login(live_page, live_server, "planner")
    charts = charts_on(live_page, f"{live_server.url}/dashboard/?quarter=1")
    budget = charts["chart-budget"]["y"]
    assert any("," in label for label in budget), f"no tick of a thousand 백만원 or more: {budget}"
    assert all(AMOUNT.match(label) for label in budget), budget
    for chart_id, chart in charts.items():
        assert not english_in(chart["all"]), f"{chart_id}: {english_in(chart['all'])}"
        assert all(AMOUNT.match(label) for label in chart["y"]), f"{chart_id}: {chart['y']}"
        assert "PNG 이미지 파일로 차트를 다운로드 합니다" in chart["toolbar"], f"{chart_id}: {chart['toolbar']}"


def test_charts_fit_a_phone(live_page, live_server, planner):
    login(live_page, live_server, "planner")
    live_page.set_viewport_size({"width": 375, "height": 800})
    charts = charts_on(live_page, f"{live_server.url}/dashboard/?quarter=1")
    assert all(chart["width"] <= 375 for chart in charts.values()), {k: c["width"] for k, c in charts.items()}
    live_page.set_viewport_size({"width": 1200, "height": 800})
    # responsive: the first chart grows with the window instead of keeping its phone width
    live_page.wait_for_function(
        "() => document.querySelector('div.chart svg.main-svg').getBoundingClientRect().width > 400"
    )
