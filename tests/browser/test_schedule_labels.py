"""The schedule's row labels are drawn whole: every label line inside the chart, none cut at its left edge."""

import datetime
import os

from reports.progress import services
from tests.browser.helpers import login, wait_for_charts
from tests.conftest import complete_data


def test_every_schedule_label_is_inside_the_chart(live_page, live_server, q1, officer15, planner):
    task6 = q1.plan.tasks.get(number=6)
    report = services.report_start(task=task6, period=q1, user=officer15)
    data = complete_data(report)
    for progress in report.milestone_progress.all():
        data["milestone_progress"][progress.pk].update(actual_start=datetime.date(2017, 1, 2))
    services.report_submit(report=report, user=officer15, version=report.version, data=data)
    login(live_page, live_server, "planner")
    live_page.goto(live_server.url + "/dashboard/schedule/")
    assert wait_for_charts(live_page) == 1
    chart = live_page.locator("#chart-gantt").bounding_box()
    lines = live_page.locator("#chart-gantt .ytick text")
    assert lines.count() > 40
    for box in (lines.nth(i).bounding_box() for i in range(lines.count())):
        assert chart["x"] <= box["x"] and box["x"] + box["width"] <= chart["x"] + chart["width"], box
    if os.environ.get("SCHEDULE_SCREENSHOT"):
        live_page.screenshot(path=os.environ["SCHEDULE_SCREENSHOT"], full_page=True)
