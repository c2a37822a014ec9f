"""Every list, dashboard and export runs the same queries with a small and a five-times larger plan.

The plans come from the synthetic generator, so every page sees reports in every workflow state, with
their rows and history (the 2017 fixture has none). Dashboards stay within 12 queries, filtered or not.
"""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.synthetic import Spec, department_names, synthetic_clear, synthetic_generate
from initiatives.models import Department, Plan

YEAR = 2018  # after the real plan, so that the pages showing the latest plan show this one


def urls(plan: Plan) -> dict[str, dict[str, str]]:
    """Who visits what: user → {page name: URL} (the URLs carry ids that change with each plan)."""
    area = plan.strategic_areas.get(number=1)
    department = Department.objects.get(name=department_names(1)[0])
    return {
        "anonymous": {
            "overview": "/",
            "task list": "/tasks/",
            "task list sorted and filtered": f"/tasks/?area={area.pk}&sort=-budget_total",
            "departments": "/departments/",
            "department detail": f"/departments/{department.pk}/",
            "agencies": "/agencies/",
            "open results": "/results/",
            "criteria": "/criteria/",
        },
        "synth-reviewer": {
            "dashboard": "/dashboard/?quarter=2",
            "dashboard filtered": f"/dashboard/?quarter=4&area={area.pk}&status=delayed",
            "dashboard by department": f"/dashboard/?department={department.pk}",
            "department dashboard": "/dashboard/departments/?quarter=2",
            "schedule": "/dashboard/schedule/",
            "schedule filtered": f"/dashboard/schedule/?quarter=4&area={area.pk}&status=delayed",
            "evaluation": "/evaluation/",
            "inbox": "/review/",
            "periods": "/periods/",
            "late-change register": "/register/",
            "evaluation workbook": "/exports/workbook/?quarter=4",
        },
        "synth00001": {"my tasks": "/my/"},
    }


DASHBOARD_QUERIES = 12
DASHBOARDS = {
    "dashboard",
    "dashboard filtered",
    "dashboard by department",
    "department dashboard",
    "schedule",
    "schedule filtered",
    "evaluation",
    "open results",
}


def queries(client, url: str) -> int:
    client.get(url)  # first visits create what is made once (weights v1, a session)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        assert response.status_code == 200, url
        if response.streaming:
            b"".join(response.streaming_content)
    return len(ctx.captured_queries)


def measure(client, tasks: int) -> dict[str, int]:
    synthetic_clear()
    synthetic_generate(Spec(tasks=tasks, years=1, seed=4, last_year=YEAR))
    counts = {}
    for username, pages in urls(Plan.objects.get(year=YEAR)).items():
        client.logout()
        if username != "anonymous":
            client.force_login(get_user_model().objects.get(username=username))
        counts.update({name: queries(client, url) for name, url in pages.items()})
    return counts


@pytest.mark.django_db
def test_pages_run_the_same_queries_with_8_and_40_tasks(client):
    small = measure(client, 8)
    large = measure(client, 40)
    grown = {name: (small[name], large[name]) for name in small if small[name] != large[name]}
    assert not grown, f"queries grow with the plan (8 tasks → 40 tasks): {grown}"
    over = {name: small[name] for name in DASHBOARDS if small[name] > DASHBOARD_QUERIES}
    assert not over, f"dashboards over {DASHBOARD_QUERIES} queries: {over}"
