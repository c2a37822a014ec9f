"""Public plan pages: Korean, 200 for anyone, Korean 404 for unknown ids, bounded queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from initiatives.models import Department, Task
from tests.factories import make_tasks


def page_urls(plan) -> dict[str, str]:
    task = Task.objects.get(plan=plan, number=13)
    return {
        "overview": "/",
        "task list": "/tasks/",
        "task list filtered": f"/tasks/?department={task.department_id}&non_budget=no&sort=-budget_total",
        "task detail": f"/tasks/{task.pk}/",
        "department list": "/departments/",
        "department detail": f"/departments/{task.department_id}/",
        "agency list": "/agencies/",
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name,expected",
    [
        ("overview", ["맞춤형 원스톱 서비스 대폭 확대", "찾아가는 동주민센터", "145,214"]),
        ("task list", ["대표과제 목록", "주관부서", "다둥이 행복카드 사업 추진"]),
        ("task list filtered", ["서울시 주차정보통합안내서비스 개선"]),
        ("task detail", ["주차계획과", "윤보영", "02-2133-2356", "1,817", "1,827", "원문 합계 불일치", "백만원"]),
        ("department list", ["주관부서", "자치행정과"]),
        ("department detail", ["주차계획과", "서울시 주차정보통합안내서비스 개선"]),
        ("agency list", ["관련 협업기관", "한국세무사고시회"]),
    ],
)
def test_page_renders_korean_for_anonymous(client, plan, name, expected):
    response = client.get(page_urls(plan)[name])
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="ko">' in html
    for text in expected:
        assert text in html, text


@pytest.mark.django_db
def test_task_detail_shows_every_part_of_the_plan(client, plan):
    task = Task.objects.get(plan=plan, number=15)
    html = client.get(f"/tasks/{task.pk}/").content.decode()
    for text in [
        "추진 배경",
        "서비스 수요 및 고객 대상",
        "과제 목표 및 주요 내용",
        "이행계획 및 추진일정",
        "성과지표",
        "342",
        "참여 자치구",
        "동사무소",
        "유보화",
        "원문",
        "18,731",
        "54,433",
        "72,050",
    ]:
        assert text in html, text


@pytest.mark.django_db
def test_non_budget_task_says_so(client, plan):
    task = Task.objects.get(plan=plan, number=4)
    html = client.get(f"/tasks/{task.pk}/").content.decode()
    assert "비예산" in html and "민관 컨소시엄형태 사업" in html


@pytest.mark.django_db
def test_filter_by_non_budget(client, plan):
    html = client.get("/tasks/?non_budget=yes").content.decode()
    assert "구강관리 플랫폼 구축" in html and "서울시 마을세무사 운영" in html
    assert "다둥이 행복카드" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/tasks/999999/", "/departments/999999/", "/nowhere/"])
def test_unknown_ids_give_a_korean_404(client, url, settings):
    settings.DEBUG = False
    response = client.get(url)
    assert response.status_code == 404
    assert "페이지를 찾을 수 없습니다" in response.content.decode()


@pytest.mark.django_db
def test_pages_refuse_writes(client, plan):
    for url in page_urls(plan).values():
        assert client.post(url).status_code == 405, url


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    [
        "overview",
        "task list",
        "task list filtered",
        "department list",
        "agency list",
        "department detail",
        "task detail",
    ],
)
def test_query_count_does_not_grow_with_tasks(client, plan, name):
    url = page_urls(plan)[name]
    small = count_queries(client, url)
    make_tasks(plan=plan, count=40)
    Task.objects.filter(number__gt=16).update(department=Department.objects.get(name="주차계획과"))
    large = count_queries(client, url)
    assert large == small, f"{name}: {small} queries with 16 tasks, {large} with 56"
    assert small <= 12


@pytest.mark.django_db
@pytest.mark.parametrize("year", [2014, 2016, 2017, 2018])
def test_the_milestones_of_a_year_are_the_same_as_a_query(plan, year):
    from initiatives import rules
    from initiatives.models import Milestone
    from initiatives.selectors import milestones_of_year

    everything = list(Milestone.objects.all())
    by_rule = {m.pk for m in everything if rules.covers_year(start=m.start, end=m.end, year=year)}
    assert {m.pk for m in milestones_of_year(year=year)} == by_rule
    assert by_rule and any(m.end is None for m in everything)  # open ends are in the plan
