"""axe-core finds no serious or critical WCAG 2 A/AA violation on the public and planning-office pages.

The report journey (test_report_journey.py) runs axe on every page it visits as well; here are the
pages it does not reach, with enough data behind them that their tables and charts are not empty.
"""

import pytest

from reports.evaluation import annual
from reports.models import ProgressReport
from reports.progress import services
from tests.browser.helpers import axe_violations, describe, login, wait_for_charts
from tests.conftest import complete_data

PUBLIC_PAGES = [
    "/",
    "/tasks/",
    "/tasks/{task15}/",
    "/departments/",
    "/departments/{department}/",
    "/agencies/",
    "/criteria/",
    "/results/",
    "/accounts/login/",
]
REVIEWER_PAGES = [
    "/review/",
    "/reports/{report}/",
    "/dashboard/?quarter=1",
    "/dashboard/departments/?quarter=1",
    "/dashboard/schedule/",
    "/evaluation/",
    "/evaluation/weights/",
    "/evaluation/scores/{score}/",
    "/periods/",
    "/register/",
    "/indicators/{indicator}/target/",
]


@pytest.fixture
def reviewed_reports(live_plan, q1, officer15, planner) -> dict[str, int]:
    """Task 15's Q1 report approved, task 6's submitted, the evaluation run: no page is empty."""
    task15, task6 = live_plan.tasks.get(number=15), live_plan.tasks.get(number=6)
    approved = services.report_start(task=task15, period=q1, user=officer15)
    approved = services.report_submit(
        report=approved, user=officer15, version=approved.version, data=complete_data(approved)
    )
    services.report_approve(report=approved, user=planner, version=approved.version)
    waiting = services.report_start(task=task6, period=q1, user=officer15)
    services.report_submit(report=waiting, user=officer15, version=waiting.version, data=complete_data(waiting))
    scores = annual.evaluation_run(plan=live_plan, user=planner).scores
    return {
        "score": scores.get(task=task15).pk,
        "task15": task15.pk,
        "department": task15.department_id,
        "report": ProgressReport.objects.get(task=task6).pk,
        "indicator": task15.indicators.first().pk,
    }


def scan(page, live_server, paths: list[str], ids: dict[str, int]) -> list[str]:
    problems = []
    for path in paths:
        url = live_server.url + path.format(**ids)
        response = page.goto(url)
        assert response.ok, f"{url}: HTTP {response.status}"
        wait_for_charts(page)
        violations = axe_violations(page)
        if violations:
            problems.append(describe(violations, path.format(**ids)))
    return problems


def test_public_pages_have_no_serious_violations(live_page, live_server, reviewed_reports):
    problems = scan(live_page, live_server, PUBLIC_PAGES, reviewed_reports)
    assert not problems, "\n".join(problems)


def test_planning_office_pages_have_no_serious_violations(live_page, live_server, reviewed_reports):
    login(live_page, live_server, "planner")
    problems = scan(live_page, live_server, REVIEWER_PAGES, reviewed_reports)
    assert not problems, "\n".join(problems)


def test_every_chart_has_a_caption_and_a_table_alternative(live_page, live_server, reviewed_reports):
    login(live_page, live_server, "planner")
    for path in ("/dashboard/?quarter=1", "/dashboard/departments/?quarter=1", "/dashboard/schedule/"):
        live_page.goto(live_server.url + path)
        charts = wait_for_charts(live_page)
        for chart in live_page.locator("div.chart").all():
            chart_id = chart.get_attribute("id")
            caption = live_page.locator(f"figure[aria-labelledby='{chart_id}-caption'] figcaption")
            assert "표에서 볼 수 있습니다" in caption.text_content(), f"{path}: chart {chart_id} has no caption"
            table = live_page.locator(f"table[data-chart='{chart_id}']")
            assert table.count() == 1, f"{path}: chart {chart_id} has no table alternative"
            assert table.locator("tbody tr").count() > 0, f"{path}: chart {chart_id}'s table is empty"
        assert charts > 0, f"{path} has no charts"
        # plotly.js 4 would offer to upload the chart to Plotly Cloud; the portal turns that off
        assert live_page.locator(".modebar-btn[data-title^='Share chart']").count() == 0
