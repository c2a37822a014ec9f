"""Dashboards: Korean pages for the planning office, constant queries, charts equal to their tables."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.evaluation import annual, dashboards
from reports.progress import services
from tests.conftest import complete_data
from tests.factories import make_tasks


@pytest.fixture
def approved(report, officer, reviewer):
    """Task 15's Q1 report submitted with 300 of 342 동 and 20,000 of 72,050 spent, then approved."""
    data = complete_data(report)
    for result in report.indicator_results.select_related("indicator"):
        data["indicator_results"][result.pk]["actual"] = result.indicator.target
    (execution,) = report.budget_executions.all()
    data["budget_executions"][execution.pk]["spent_to_date"] = 20000
    services.report_submit(report=report, user=officer, version=report.version, data=data)
    services.report_approve(report=report, user=reviewer, version=report.version)
    return report


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/dashboard/",
        "/dashboard/?quarter=1&status=on_track",
        "/dashboard/departments/",
        "/dashboard/schedule/",
        "/evaluation/",
        "/criteria/",
    ],
)
def test_pages_render_in_korean(client, reviewer, approved, url):
    client.force_login(reviewer)
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="ko">' in html
    if "dashboard" in url and "schedule" not in url:
        assert "찾아가는 동주민센터" in html or "자치행정과" in html


@pytest.mark.django_db
def test_dashboard_explains_the_status_in_words(client, reviewer, approved):
    client.force_login(reviewer)
    html = client.get("/dashboard/?quarter=1").content.decode()
    # 20,000 of 72,050 is 27.8% against 25% expected in Q1; every target met: 정상.
    assert "정상: 모든 기준 충족" in html
    html = client.get("/dashboard/?quarter=2").content.decode()
    assert "집행률 27.8%, 2분기 기대치 50%" in html


@pytest.mark.django_db
def test_plotly_is_served_locally_once_per_page(client, reviewer, approved):
    client.force_login(reviewer)
    html = client.get("/dashboard/").content.decode()
    assert html.count("vendor/plotly/plotly.min.js") == 1
    assert "cdn" not in html.lower()
    assert "<script>" not in html.replace("<script src=", "")  # no inline scripts beyond JSON data
    from django.contrib.staticfiles import finders

    assert finders.find("vendor/plotly/plotly.min.js")


@pytest.mark.django_db
def test_charts_data_matches_the_tables(plan, approved):
    board = dashboards.plan_dashboard(plan=plan, tasks=plan.tasks.all(), quarter=1, weights=annual.weights_current())
    charts = {c.id: c for c in board.charts}
    area = charts["chart-area-score"]
    assert area.spec["data"][0]["x"] == [row[0] for row in area.rows]
    assert [("–" if y is None else f"{y}") for y in area.spec["data"][0]["y"]] == [
        ("–" if r[1] == "–" else f"{float(r[1])}") for r in area.rows
    ]
    budget = charts["chart-budget"]
    planned, executed = budget.spec["data"]
    assert planned["y"] == [row[1] for row in budget.rows]
    assert "'17년" in planned["x"]
    idx = executed["x"].index("'17년")
    assert executed["y"][idx] == 20000 == budget.rows[idx][2]
    completeness = charts["chart-completeness"]
    by_name = {trace["name"]: trace["y"] for trace in completeness.spec["data"]}
    assert by_name["승인"][0] == 1 and by_name["미작성"][0] == 15
    assert [row[1] for row in completeness.rows] == by_name["승인"]
    for chart in board.charts:  # every chart has its numbers as a table
        assert chart.rows and chart.headers


@pytest.mark.django_db
def test_gantt_bars_match_the_schedule_table(client, reviewer, plan):
    from initiatives import charts

    milestones = list(plan.tasks.get(number=15).milestones.filter(start__year=2017))
    items = [charts.GanttItem(m.title, m.start, m.end or m.start) for m in milestones]
    chart = charts.gantt("g", "일정", items)
    bars, yaxis = chart.spec["data"][0], chart.spec["layout"]["yaxis"]
    labels = dict(zip(yaxis["tickvals"], yaxis["ticktext"]))
    # labels wrap onto lines but keep every character (whitespace aside)
    assert ["".join(labels[y].replace("<br>", "").split()) for y in bars["y"]] == [
        "".join(row[0].split()) for row in chart.rows
    ]
    assert bars["base"] == [m.start.isoformat() for m in milestones]


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    ["/dashboard/?quarter=2", "/dashboard/departments/?quarter=2", "/evaluation/", "/results/", "/dashboard/schedule/"],
)
def test_dashboard_queries_are_the_same_with_16_and_500_tasks(client, reviewer, plan, approved, url):
    client.force_login(reviewer)
    count_queries(client, url)  # warm-up: creates the first weights version and the quarters
    small = count_queries(client, url)
    make_tasks(plan=plan, count=484)
    count_queries(client, url)  # the new tasks' assessments are judged and stored on first read
    large = count_queries(client, url)
    assert large == small, f"{url}: {small} queries with 16 tasks, {large} with 500"
    assert small <= 15


@pytest.mark.django_db
def test_sample_data_is_marked_on_every_page_that_shows_it(client, reviewer, approved):
    approved.is_sample = True
    approved.save(update_fields=["is_sample"])
    client.force_login(reviewer)
    for url in ["/dashboard/?quarter=1", "/dashboard/departments/?quarter=1", "/results/", f"/reports/{approved.pk}/"]:
        html = client.get(url).content.decode()
        assert "예시 자료" in html, url


@pytest.mark.django_db
def test_real_data_carries_no_sample_mark(client, reviewer, approved):
    client.force_login(reviewer)
    assert "예시 자료 포함" not in client.get("/dashboard/?quarter=1").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/dashboard/?quarter=9", "/dashboard/departments/?status=zzz"])
def test_a_bad_filter_value_is_named_not_silently_dropped(client, reviewer, url):
    client.force_login(reviewer)
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "조건에 올바르지 않은 값이 있어 기본 조건으로 보여 드립니다" in html
    assert "올바르게 선택해 주세요" in html  # Django's Korean message for a choice not offered
