"""내 과제 for officers and the reviewer's inbox: what is waiting, overdue and returned."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.models import ReportingPeriod
from reports.progress import services
from tests.conftest import complete_data
from tests.factories import make_tasks


@pytest.mark.django_db
def test_my_tasks_lists_only_my_departments_tasks(client, officer, open_q1):
    client.force_login(officer)
    html = client.get("/my/").content.decode()
    assert "찾아가는 동주민센터" in html and "한장으로 다양한 혜택을 누리는 서울시민카드 도입" in html
    assert "다둥이 행복카드" not in html
    assert "보고 작성" in html


@pytest.mark.django_db
def test_overdue_shows_for_officer_and_in_inbox(client, officer, reviewer, periods):
    # 2017 quarters are long past their due dates: an open Q1 without submission is overdue.
    ReportingPeriod.objects.filter(pk=periods[0].pk).update(state="open")
    client.force_login(officer)
    assert "기한 경과" in client.get("/my/").content.decode()
    client.force_login(reviewer)
    html = client.get("/review/").content.decode()
    assert "기한 경과 미제출" in html and "찾아가는 동주민센터" in html and "초미세먼지 예보제 시행" in html


@pytest.mark.django_db
def test_inbox_has_waiting_and_returned_reports(client, report, officer, reviewer, plan, open_q1):
    services.report_submit(report=report, user=officer, version=report.version, data=complete_data(report))
    other = services.report_start(task=plan.tasks.get(number=6), period=open_q1, user=officer)
    services.report_submit(report=other, user=officer, version=other.version, data=complete_data(other))
    services.report_return(report=other, user=reviewer, version=other.version, comment="근거 자료 첨부 바람")
    client.force_login(reviewer)
    html = client.get("/review/").content.decode()
    waiting, returned = html.split('id="h-waiting"')[1].split('id="h-overdue"')[0], html.split('id="h-returned"')[1]
    assert "찾아가는 동주민센터" in waiting and "서울시민카드" not in waiting
    assert "서울시민카드" in returned and "근거 자료 첨부 바람" in returned


@pytest.mark.django_db
def test_submitted_report_is_not_overdue(client, report, officer, reviewer):
    services.report_submit(report=report, user=officer, version=report.version, data=complete_data(report))
    client.force_login(reviewer)
    html = client.get("/review/").content.decode()
    overdue = html.split('id="h-overdue"')[1].split('id="h-returned"')[0]
    assert "찾아가는 동주민센터" not in overdue


def queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "who,url", [("officer", "/my/"), ("reviewer", "/review/"), ("reviewer", "/periods/"), ("reviewer", "/register/")]
)
def test_work_pages_run_the_same_queries_with_more_tasks(client, request, plan, open_q1, who, url):
    from initiatives.models import Department

    user = request.getfixturevalue(who)
    client.force_login(user)
    small = queries(client, url)
    make_tasks(plan=plan, count=30)
    plan.tasks.filter(number__gt=16).update(department=Department.objects.get(name="자치행정과"))
    large = queries(client, url)
    assert large == small <= 15


def test_quarter_default_dates():
    from reports.progress.rules import quarter_dates

    assert quarter_dates(year=2017, quarter=1) == (datetime.date(2017, 1, 1), datetime.date(2017, 4, 10))
    assert quarter_dates(year=2017, quarter=4) == (datetime.date(2017, 10, 1), datetime.date(2018, 1, 10))
