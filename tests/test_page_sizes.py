"""No dashboard page grows with the plan: the schedule and department pages show 50 tasks or departments a page,
their page links keep the filters, and pages are sent gzip-compressed to a browser that accepts it.

The bound. A page holds a fixed part (layout, one page of 50 rows, its chart and the chart's table) and one
thing that does grow: the filter's department list, one ``<option>`` per department (about 46 bytes; there is a
department for every 8 tasks, 1,250 at 10,000 tasks). So a page may weigh at most
``PAGE_BYTES + OPTION_BYTES × departments``: 225,000 + 60 × 1,250 = 300,000 bytes at 10,000 tasks. Measured
there by hand (``bench/benchmark.py``): the schedule 233 KB, the department page 98 KB. The schedule's fixed part
varies with the milestones of its 50 tasks (2 to 6 each in the synthetic plans, about 640 bytes each in the chart).
"""

import gzip
import math
import re

import pytest
from django.contrib.auth import get_user_model

from bench.synthetic import TASKS_PER_DEPARTMENT, Spec, synthetic_clear, synthetic_generate
from initiatives.models import Plan
from reports.progress.paging import PER_PAGE

YEAR = 2018  # after the real plan
PAGE_BYTES = 225_000
OPTION_BYTES = 60
PAGES = {"schedule": "/dashboard/schedule/", "departments": "/dashboard/departments/"}


def budget(tasks: int) -> int:
    return PAGE_BYTES + OPTION_BYTES * math.ceil(tasks / TASKS_PER_DEPARTMENT)


def plan_of(tasks: int) -> Plan:
    synthetic_clear()
    synthetic_generate(Spec(tasks=tasks, years=1, seed=4, last_year=YEAR))
    return Plan.objects.get(year=YEAR)


def sizes(client, tasks: int) -> dict[str, int]:
    assert tasks / TASKS_PER_DEPARTMENT > PER_PAGE  # more than a page of tasks and of departments
    plan_of(tasks)
    client.force_login(get_user_model().objects.get(username="synth-reviewer"))
    found = {}
    for name, url in PAGES.items():
        response = client.get(f"{url}?year={YEAR}&quarter=2")
        assert response.status_code == 200
        found[name] = len(response.content)
    return found


@pytest.mark.django_db
def test_schedule_and_department_pages_stay_within_the_budget_as_the_plan_doubles(client):
    assert budget(10_000) <= 300_000
    small, large = sizes(client, 440), sizes(client, 880)
    for name in PAGES:
        assert small[name] <= budget(440) and large[name] <= budget(880), (name, small[name], large[name])
        # one page of 50 rows at both sizes: twice the tasks, about the same page (the 50 tasks on it have 2 to 6
        # milestones each, at random, and the filter lists 55 more departments)
        assert large[name] <= 1.2 * small[name], (name, small[name], large[name])


CSRF_VALUE = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]+')


def without_csrf_token(html: bytes) -> bytes:
    """The page with its CSRF token blanked: the token is masked anew in every response (the BREACH defence)."""
    return CSRF_VALUE.sub(rb"\1", html)


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/dashboard/?quarter=1", "/dashboard/schedule/", "/dashboard/departments/", "/"])
def test_a_page_is_gzipped_for_a_browser_that_accepts_it_and_decompresses_to_the_page(client, reviewer, url):
    client.force_login(reviewer)
    plain = client.get(url)
    compressed = client.get(url, headers={"accept-encoding": "gzip, deflate, br"})

    assert "Content-Encoding" not in plain
    assert compressed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed["Vary"]
    assert len(compressed.content) < len(plain.content) / 3
    assert without_csrf_token(gzip.decompress(compressed.content)) == without_csrf_token(plain.content)
    assert compressed["Content-Security-Policy"] == plain["Content-Security-Policy"]


@pytest.mark.django_db
def test_a_workbook_download_is_sent_as_it_is_not_gzipped_again(client, reviewer):
    client.force_login(reviewer)
    response = client.get("/exports/workbook/?quarter=1", headers={"accept-encoding": "gzip"})

    assert response.status_code == 200
    assert "Content-Encoding" not in response
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body.startswith(b"PK")  # the xlsx (a zip) itself


def links(html: str) -> list[str]:
    return [h.replace("&amp;", "&") for h in re.findall(r'<a class="page-link" href="([^"]+)"', html)]


@pytest.mark.django_db
@pytest.mark.parametrize("name", PAGES)
def test_page_links_keep_the_filters(client, name):
    plan = plan_of(880)  # area 1 alone still has more than 50 departments
    area = plan.strategic_areas.get(number=1)
    client.force_login(get_user_model().objects.get(username="synth-reviewer"))
    query = f"year={YEAR}&quarter=3&area={area.pk}"
    first = client.get(f"{PAGES[name]}?{query}")
    pager = first.context["pager"]
    assert pager.page.paginator.count > PER_PAGE
    assert links(first.content.decode())
    for link in links(first.content.decode()):
        assert all(part in link.lstrip("?").split("&") for part in query.split("&")), link
        assert re.search(r"[?&]page=\d+", link), link

    second = client.get(PAGES[name] + pager.next_url)
    assert second.context["filter"].form.cleaned_data["area"] == area
    assert second.context["pager"].page.number == 2
    assert keys(second) and not keys(second) & keys(first)
    in_area = set(plan.tasks.filter(programme__strategic_area=area).values_list(KEY[name], flat=True))
    assert keys(second) <= in_area


KEY = {"schedule": "pk", "departments": "department_id"}


def keys(response) -> set[int]:
    """The tasks (schedule) or departments on the page."""
    rows = list(response.context["pager"].page.object_list)
    if rows and isinstance(rows[0], tuple):  # the schedule's (task, status, report, as of)
        return {row[0] for row in rows}
    return {row.rollup.key for row in rows}


@pytest.mark.django_db
def test_the_schedule_draws_the_milestones_of_its_page_tasks_only(client):
    plan = plan_of(120)
    client.force_login(get_user_model().objects.get(username="synth-reviewer"))
    response = client.get(f"/dashboard/schedule/?year={YEAR}&page=2")
    numbers = set(plan.tasks.filter(pk__in=keys(response)).values_list("number", flat=True))
    (chart,) = response.context["charts"]
    drawn = {int(row[0].split(".")[0]) for row in chart.rows}
    assert drawn == numbers and len(numbers) == PER_PAGE
