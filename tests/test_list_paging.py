"""Lists that grow with the plan show 50 rows a page: the inbox (each of its three lists), 내 과제, the register.

Every list below is given the same number of rows (one per task), so page sizes are exact: 60 tasks give
a page of 50 and a page of 10. A page number that is not a number shows the first page; one past the
end shows the last (as the task table does). The period list is not paged: a plan has four quarters.
"""

import datetime
import re

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bench.synthetic import Spec, synthetic_generate
from initiatives.models import Department, Plan
from reports.models import LateChangeException, ProgressReport, ReportEvent, ReportingPeriod
from reports.progress import selectors, services
from reports.progress.paging import paginate
from tests.factories import make_task

ROW_LINK = re.compile(r'<a href="[^"]+">(?:\d분기 · )?(\d+)\. ')


def grow(plan: Plan, *, tasks: int, officer, reviewer) -> None:
    """``tasks`` tasks, all of 자치행정과 (the officer's), each with one row in every paged list.

    Q1 (open) holds a submitted report per task: 검토 대기. Q2 (closed) holds a returned one: 반려, and
    기한 경과 (2017 is long past). Each Q2 report has one change under an exception: the register.
    """
    department = Department.objects.get(name="자치행정과")
    for number in range(plan.tasks.count() + 1, tasks + 1):
        make_task(plan=plan, number=number, department_name=department.name)
    plan.tasks.update(department=department)
    q1, q2, *_ = services.periods_ensure(plan=plan)
    ReportingPeriod.objects.filter(pk=q1.pk).update(state="open")
    ReportingPeriod.objects.filter(pk=q2.pk).update(state="closed")
    now = timezone.now()
    todo = plan.tasks.exclude(reports__period=q1).order_by("number")
    ProgressReport.objects.bulk_create(
        [ProgressReport(task=t, period=q1, status="submitted", submitted_by=officer, submitted_at=now) for t in todo]
    )
    returned = ProgressReport.objects.bulk_create(
        [
            ProgressReport(task=t, period=q2, status="returned", returned_by=reviewer, return_comment="보완 바람")
            for t in plan.tasks.exclude(reports__period=q2).order_by("number")
        ]
    )
    exceptions = LateChangeException.objects.bulk_create(
        [LateChangeException(report=r, reason="감사 지적", granted_by=reviewer, granted_at=now) for r in returned]
    )
    ReportEvent.objects.bulk_create(
        [
            ReportEvent(
                report=e.report,
                action="save",
                actor=officer,
                at=now - datetime.timedelta(minutes=e.report.task.number),
                exception=e,
                changes=[{"field": "problems", "label": "문제점 및 대책", "old": "", "new": "수치 정정"}],
            )
            for e in exceptions
        ]
    )


def section(html: str, name: str) -> str:
    """One of the inbox's three sections, from its heading to the next one."""
    ids = ["h-waiting", "h-overdue", "h-returned"]
    rest = html.split(f'id="{name}"')[1]
    later = ids[ids.index(name) + 1 :]
    return rest.split(f'id="{later[0]}"')[0] if later else rest


def numbers(html: str) -> list[int]:
    """The task numbers of the table rows, in order (one link per row names the task)."""
    body = html.split("<tbody>")[1].split("</tbody>")[0]
    return [int(n) for n in ROW_LINK.findall(body)]


@pytest.fixture
def sixty(plan, officer, reviewer):
    grow(plan, tasks=60, officer=officer, reviewer=reviewer)
    return plan


def get(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


# ---------------------------------------------------------------- the inbox: three lists, paged apart


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["h-waiting", "h-overdue", "h-returned"])
def test_inbox_list_shows_50_rows_then_the_rest(client, reviewer, sixty, name):
    client.force_login(reviewer)
    param = name.removeprefix("h-") + "_page"
    first = section(get(client, "/review/"), name)
    second = section(get(client, f"/review/?{param}=2"), name)
    assert numbers(first) == list(range(1, 51))
    assert numbers(second) == list(range(51, 61))
    assert "전체 60건 · 1 / 2쪽" in first and "전체 60건 · 2 / 2쪽" in second


@pytest.mark.django_db
def test_inbox_pages_one_list_without_moving_the_others(client, reviewer, sixty):
    client.force_login(reviewer)
    html = get(client, "/review/?overdue_page=2")
    assert numbers(section(html, "h-overdue")) == list(range(51, 61))
    assert numbers(section(html, "h-waiting")) == list(range(1, 51))
    assert numbers(section(html, "h-returned")) == list(range(1, 51))


@pytest.mark.django_db
def test_inbox_page_links_keep_the_other_parameters(client, reviewer, sixty):
    client.force_login(reviewer)
    html = get(client, "/review/?waiting_page=2&overdue_page=2&keep=this")
    overdue = section(html, "h-overdue")
    assert '<nav aria-label="기한 경과 미제출 쪽 이동">' in overdue
    assert 'href="?waiting_page=2&amp;overdue_page=1&amp;keep=this#h-overdue" rel="prev">이전</a>' in overdue
    returned = section(html, "h-returned")
    assert (
        'href="?waiting_page=2&amp;overdue_page=2&amp;keep=this&amp;returned_page=2#h-returned" rel="next"' in returned
    )
    assert 'aria-current="page">2<' in section(html, "h-waiting")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query,shown", [("abc", range(1, 51)), ("1.5", range(1, 51)), ("999", range(51, 61)), ("0", range(51, 61))]
)
def test_inbox_bad_page_shows_the_first_or_last_page(client, reviewer, sixty, query, shown):
    client.force_login(reviewer)
    assert numbers(section(get(client, f"/review/?waiting_page={query}"), "h-waiting")) == list(shown)


@pytest.mark.django_db
def test_inbox_overdue_is_the_matrix_overdue_cells_in_the_same_order():
    """The database query of the overdue list finds what the task × quarter matrix marks overdue."""
    synthetic_generate(Spec(tasks=40, years=1, seed=4, last_year=2018))
    plan = Plan.objects.get(year=2018)
    periods = services.periods_ensure(plan=plan)
    for today in (datetime.date(2018, 8, 1), datetime.date(2030, 1, 1)):
        tasks = selectors.task_matrix_tasks(tasks=plan.tasks.all(), periods=periods)
        matrix = selectors.task_report_rows(tasks=tasks, periods=periods, today=today)
        expected = [(r.task.pk, c.period.pk, c.report and c.report.pk) for r in matrix for c in r.cells if c.overdue]
        tasks = selectors.overdue_cells(plan=plan, periods=periods, today=today)
        got = [
            (t.pk, c.period.pk, c.report and c.report.pk)
            for t, c in selectors.overdue_rows(tasks=tasks, periods=periods)
        ]
        assert got == expected
        assert {c.report.status if c.report else None for r in matrix for c in r.cells if c.overdue} == {
            None,
            "draft",
            "returned",
        }


# ---------------------------------------------------------------- 내 과제 and the register


@pytest.mark.django_db
@pytest.mark.parametrize("who,url", [("officer", "/my/"), ("reviewer", "/register/")])
def test_list_shows_50_rows_then_the_rest(client, request, sixty, who, url):
    client.force_login(request.getfixturevalue(who))
    first, second = get(client, url), get(client, f"{url}?page=2")
    shown = numbers(first) + numbers(second)
    assert len(numbers(first)) == 50 and len(numbers(second)) == 10
    assert sorted(shown) == list(range(1, 61))
    assert "전체 60건 · 1 / 2쪽" in first and "전체 60건 · 2 / 2쪽" in second
    assert '<nav aria-label="쪽 이동">' in first


@pytest.mark.django_db
@pytest.mark.parametrize("who,url", [("officer", "/my/"), ("reviewer", "/register/")])
def test_list_page_links_keep_the_other_parameters(client, request, sixty, who, url):
    client.force_login(request.getfixturevalue(who))
    html = get(client, f"{url}?keep=this&page=2")
    assert 'href="?keep=this&amp;page=1" rel="prev">이전</a>' in html
    assert 'href="?keep=this&amp;page=2" aria-current="page">2' in html
    assert '<span class="page-link">다음</span>' in html  # nowhere to go from the last page


@pytest.mark.django_db
@pytest.mark.parametrize("who,url", [("officer", "/my/"), ("reviewer", "/register/")])
@pytest.mark.parametrize("page,shown", [("abc", "1 / 2쪽"), ("", "1 / 2쪽"), ("99999999999999999999", "2 / 2쪽")])
def test_list_bad_page_shows_the_first_or_last_page(client, request, sixty, who, url, page, shown):
    client.force_login(request.getfixturevalue(who))
    html = get(client, f"{url}?page={page}")
    assert f"전체 60건 · {shown}" in html
    assert len(numbers(html)) == (50 if shown.startswith("1") else 10)


@pytest.mark.django_db
def test_short_list_has_no_page_links(client, reviewer, plan):
    client.force_login(reviewer)
    html = get(client, "/register/")
    assert "전체 0건 · 1 / 1쪽" in html and "쪽 이동" not in html


# ---------------------------------------------------------------- the partial


def test_pagination_partial_counts_elides_and_marks_the_current_page():
    request = RequestFactory().get("/somewhere/", {"q": "가족", "page": "7"})
    html = render_to_string("reports/_pagination.html", {"pager": paginate(request, range(1234))})
    assert "전체 1,234건 · 7 / 25쪽" in html
    assert '<nav aria-label="쪽 이동">' in html
    assert html.count('aria-current="page"') == 1 and 'page=7" aria-current="page">7<' in html
    assert 'href="?q=%EA%B0%80%EC%A1%B1&amp;page=6" rel="prev">이전</a>' in html
    assert 'href="?q=%EA%B0%80%EC%A1%B1&amp;page=8" rel="next">다음</a>' in html
    assert ">1<" in html and ">25<" in html and "…" in html and ">12<" not in html
    assert "<script" not in html and "onclick" not in html


# ---------------------------------------------------------------- queries do not grow with the rows


def page_queries(client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


PAGES = {
    "reviewer": ["/review/", "/review/?waiting_page=2&overdue_page=2&returned_page=2", "/register/?page=2"],
    "officer": ["/my/", "/my/?page=2"],
}


def measure(client, users: dict) -> dict[str, int]:
    counts = {}
    for who, urls in PAGES.items():
        client.force_login(users[who])
        counts.update({url: page_queries(client, url) for url in urls})
    return counts


@pytest.mark.django_db
def test_paged_lists_run_the_same_queries_with_60_and_120_rows(client, plan, officer, reviewer):
    users = {"officer": officer, "reviewer": reviewer}
    grow(plan, tasks=60, officer=officer, reviewer=reviewer)
    small = measure(client, users)
    grow(plan, tasks=120, officer=officer, reviewer=reviewer)
    large = measure(client, users)
    assert large == small
    assert max(small.values()) <= 15


# ---------------------------------------------------------------- the open results (anonymous)


@pytest.mark.django_db
def test_open_results_show_50_tasks_then_the_rest(client, plan):
    for number in range(17, 61):
        make_task(plan=plan, number=number)
    task_links = re.compile(r'<td class="num">(\d+)</td><td><a href="/tasks/\d+/">')
    first, second = get(client, "/results/"), get(client, "/results/?page=2")
    assert [int(n) for n in task_links.findall(first)] == list(range(1, 51))
    assert [int(n) for n in task_links.findall(second)] == list(range(51, 61))
    assert "전체 60건 · 1 / 2쪽" in first and 'href="?page=2" rel="next">다음</a>' in first
    assert "전체 60건 · 2 / 2쪽" in second
    assert "전체 60건 · 1 / 2쪽" in get(client, "/results/?page=abc")
