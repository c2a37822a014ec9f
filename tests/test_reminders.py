"""The reporting cycle reminds for the planning office: mail over SMTP to a real server on loopback, each mail once,
retried when the server is down; the same notifications in the portal.

A simulated quarter moves the clock day by day (time-machine) through 2017 Q1 (due 2017-04-10) with the defaults:
reminders 7 days before, every 3 days while overdue, the head told after 14 days overdue."""

import datetime
import threading
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.db import connection

from initiatives.models import Department
from reports.models import Notification
from reports.notifications import services as notify
from reports.notifications.rules import OPTIONAL
from reports.progress import services
from reports.progress.permissions import OFFICER, REVIEWER
from tests.conftest import complete_data, make_user
from tests.mailserver import Inbox, free_port

SEOUL = ZoneInfo("Asia/Seoul")


@pytest.fixture
def people(plan, periods):
    """Officers of 자치행정과 (tasks 6, 15) and 주차계획과, a reviewer, and 자치행정과's head; all with addresses."""
    return {
        "officer": make_user("자치행정 담당", OFFICER, ("자치행정과",), email="officer@seoul.example"),
        "parking": make_user("주차계획 담당", OFFICER, ("주차계획과",), email="parking@seoul.example"),
        "reviewer": make_user("정보기획 검토", REVIEWER, email="reviewer@seoul.example"),
        "head": _head("자치행정과", "자치행정과장", "head@seoul.example"),
    }


def _head(department_name: str, name: str, address: str):
    user = make_user(name, None, (department_name,), email=address)
    Department.objects.filter(name=department_name).update(head=user)
    return user


def at(day: str, hour: int = 9) -> datetime.datetime:
    return datetime.datetime.fromisoformat(day).replace(hour=hour, tzinfo=SEOUL)


def run_day(day: datetime.date) -> None:
    with time_machine.travel(at(day.isoformat()), tick=False):
        notify.remind()
        notify.deliver()


def days(first: str, last: str):
    day = datetime.date.fromisoformat(first)
    while day <= datetime.date.fromisoformat(last):
        yield day
        day += datetime.timedelta(days=1)


def open_quarter(periods):
    from reports.models import ReportingPeriod

    ReportingPeriod.objects.filter(pk=periods[0].pk).update(state="open")
    periods[0].refresh_from_db()
    return periods[0]


@pytest.mark.django_db
def test_a_simulated_quarter_sends_exactly_the_expected_mails_once_each(smtp, plan, periods, people):
    q1 = open_quarter(periods)
    parking_task = plan.tasks.filter(department__name="주차계획과").first()
    for day in days("2017-03-25", "2017-04-30"):
        if day == datetime.date(2017, 4, 5):  # 주차계획과 submits; the reviewer approves two days later
            with time_machine.travel(at("2017-04-05", 8), tick=False):
                report = services.report_start(task=parking_task, period=q1, user=people["parking"])
                services.report_submit(
                    report=report, user=people["parking"], version=report.version, data=complete_data(report)
                )
        if day == datetime.date(2017, 4, 7):
            with time_machine.travel(at("2017-04-07", 8), tick=False):
                report.refresh_from_db()
                services.report_approve(report=report, user=people["reviewer"], version=report.version)
        run_day(day)

    overdue_days = ["2017-04-11", "2017-04-14", "2017-04-17", "2017-04-20", "2017-04-23", "2017-04-26", "2017-04-29"]
    assert smtp.kinds() == Counter(
        {
            ("officer@seoul.example", "opened"): 1,
            ("officer@seoul.example", "due_soon"): 1,
            ("officer@seoul.example", "overdue"): len(overdue_days),
            ("parking@seoul.example", "opened"): 1,
            ("parking@seoul.example", "due_soon"): 1,  # 2017-04-03, before it submitted
            ("parking@seoul.example", "approved"): 1,
            ("reviewer@seoul.example", "submitted"): 1,
            ("reviewer@seoul.example", "digest"): 2,  # 04-05 and 04-06, while the report waited
            ("head@seoul.example", "escalated"): 1,  # 2017-04-25: 15 days overdue
        }
    )
    overdue = [m for m in smtp.messages if m["X-Gov30-Notification"] == "overdue"]
    assert [m["Date"].datetime.astimezone(SEOUL).date().isoformat() for m in overdue] == overdue_days
    escalated = next(m for m in smtp.messages if m["X-Gov30-Notification"] == "escalated")
    assert escalated["Date"].datetime.astimezone(SEOUL).date() == datetime.date(2017, 4, 25)

    message = overdue[0]
    # (Python folds a long encoded subject onto a second line; unfolded, the value starts with that space)
    assert message["Subject"].strip() == "[정부3.0 포털] 2017년 1분기 실적 보고 기한이 지났습니다 (1일 경과)"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "https://gov30.example/my/" in text and 'href="https://gov30.example/my/"' in html
    for task in plan.tasks.filter(department__name="자치행정과"):
        assert f"{task.number}. {task.title}" in text
    assert parking_task.title not in text


@pytest.mark.django_db
def test_a_returned_report_mails_its_officer_the_comment_with_a_link(smtp, plan, periods, people):
    q1 = open_quarter(periods)
    report = services.report_start(task=plan.tasks.get(number=15), period=q1, user=people["officer"])
    services.report_submit(report=report, user=people["officer"], version=report.version, data=complete_data(report))
    services.report_return(
        report=report, user=people["reviewer"], version=report.version, comment="지표 근거를 붙여 주세요"
    )
    notify.remind()
    notify.deliver()
    returned = [m for m in smtp.messages if m["X-Gov30-Notification"] == "returned"]
    assert [m["To"] for m in returned] == ["officer@seoul.example"]
    assert returned[0]["Subject"].strip().startswith("[정부3.0 포털] 보고 반려: 2017년 1분기 15.")
    body = returned[0].get_body(("plain",)).get_content()
    assert "지표 근거를 붙여 주세요" in body and f"https://gov30.example/reports/{report.pk}/" in body


@pytest.mark.django_db
def test_a_reopened_report_mails_its_officer_the_reason(smtp, plan, periods, people):
    q1 = open_quarter(periods)
    report = services.report_start(task=plan.tasks.get(number=15), period=q1, user=people["officer"])
    services.report_submit(report=report, user=people["officer"], version=report.version, data=complete_data(report))
    services.report_approve(report=report, user=people["reviewer"], version=report.version)
    services.report_reopen(report=report, user=people["reviewer"], version=report.version, reason="예산 수치 재확인")
    notify.remind()
    notify.deliver()
    reopened = [m for m in smtp.messages if m["X-Gov30-Notification"] == "reopened"]
    assert [m["To"] for m in reopened] == ["officer@seoul.example"]
    assert "예산 수치 재확인" in reopened[0].get_body(("plain",)).get_content()


@pytest.mark.django_db
def test_a_mail_server_down_at_first_gets_the_mail_later_once(settings, plan, periods, people):
    open_quarter(periods)
    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    with time_machine.travel(at("2017-03-25"), tick=False):
        notify.remind()
        assert notify.deliver().failed == 1  # nobody listens: the first mail fails, the rest wait
    failed = Notification.objects.get(mail_attempts=1)
    assert failed.mail_sent_at is None and "Connection" in failed.mail_error
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with time_machine.travel(at("2017-03-25") + datetime.timedelta(minutes=1), tick=False):
            notify.deliver()
        assert failed.recipient.email not in [m["To"] for m in inbox.messages]  # not before its retry time
        with time_machine.travel(at("2017-03-25") + datetime.timedelta(minutes=6), tick=False):
            notify.deliver()
            notify.deliver()
        assert Counter(m["To"] for m in inbox.messages) == {"officer@seoul.example": 1, "parking@seoul.example": 1}
    finally:
        controller.stop()
    failed.refresh_from_db()
    assert failed.mail_sent_at is not None and failed.mail_error == ""


@pytest.mark.django_db
def test_turning_off_an_optional_mail_stops_it_but_not_the_due_reminders(client, smtp, plan, periods, people):
    open_quarter(periods)
    client.force_login(people["officer"])
    page = client.get("/notifications/settings/").content.decode()
    assert "분기 보고 시작" in page and 'name="due_soon"' not in page and 'name="overdue"' not in page
    answer = client.post(
        "/notifications/settings/",
        {"submitted": "on", "returned": "on", "approved": "on", "reopened": "on", "job_done": "on"},
    )
    assert answer.status_code == 302
    for day in ("2017-03-25", "2017-04-03", "2017-04-11"):
        run_day(datetime.date.fromisoformat(day))
    officer = {kind for to, kind in smtp.kinds() if to == "officer@seoul.example"}
    assert officer == {"due_soon", "overdue"}  # no 분기 보고 시작, turned off
    assert "opened" in {to_kind[1] for to_kind in smtp.kinds() if to_kind[0] == "parking@seoul.example"}
    assert people["officer"].notifications.filter(kind="opened").exists()  # still listed in the portal
    assert set(people["officer"].mail_opt_outs.values_list("kind", flat=True)) == {"opened", "comment", "digest"}
    client.post("/notifications/settings/", {kind.value: "on" for kind in OPTIONAL})
    assert not people["officer"].mail_opt_outs.exists()


@pytest.mark.django_db
def test_the_portal_lists_the_same_notifications_with_an_unread_count(client, smtp, plan, periods, people):
    open_quarter(periods)
    run_day(datetime.date(2017, 4, 11))
    client.force_login(people["officer"])
    notes = list(people["officer"].notifications.order_by("pk"))
    assert {n.kind for n in notes} == {"opened", "overdue"}
    html = client.get("/notifications/").content.decode()
    assert all(n.subject in html for n in notes)
    assert '알림 <span class="badge text-bg-light">2<span class="visually-hidden">건 읽지 않음' in html
    overdue = next(n for n in notes if n.kind == "overdue")
    answer = client.get(f"/notifications/{overdue.pk}/")
    assert answer.status_code == 302 and answer["Location"] == "/my/"
    assert '<span class="badge text-bg-light">1<' in client.get("/notifications/").content.decode()
    client.force_login(people["parking"])
    assert client.get(f"/notifications/{overdue.pk}/").status_code == 404  # someone else's
    client.force_login(people["officer"])
    client.post("/notifications/read/")
    assert not people["officer"].notifications.filter(read_at__isnull=True).exists()


@pytest.mark.django_db
def test_a_comment_tells_the_other_side_of_the_discussion(smtp, plan, periods, people):
    q1 = open_quarter(periods)
    report = services.report_start(task=plan.tasks.get(number=15), period=q1, user=people["officer"])
    services.report_comment(report=report, user=people["officer"], text="기준일 확인 부탁드립니다")
    services.report_comment(report=report, user=people["reviewer"], text="3월 말 기준으로 적어 주세요")
    notify.remind()
    notify.deliver()
    comments = {
        (m["To"], m.get_body(("plain",)).get_content().count("기준"))
        for m in smtp.messages
        if m["X-Gov30-Notification"] == "comment"
    }
    assert {to for to, _ in comments} == {"reviewer@seoul.example", "officer@seoul.example"}


@pytest.mark.skipif(connection.vendor == "sqlite", reason="two workers need a database server (the PostgreSQL pass)")
def test_two_workers_at_the_same_time_send_each_mail_once(
    plan_reloaded_afterwards, transactional_db, smtp, plan, periods, people
):
    open_quarter(periods)
    start = threading.Barrier(2)
    errors = []

    def worker():
        try:
            start.wait()
            run_day(datetime.date(2017, 4, 11))
        except Exception as error:  # noqa: BLE001 — reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert smtp.kinds() == Counter(
        {
            ("officer@seoul.example", "opened"): 1,
            ("officer@seoul.example", "overdue"): 1,
            ("parking@seoul.example", "opened"): 1,
            ("parking@seoul.example", "overdue"): 1,
        }
    )


@pytest.mark.django_db
def test_the_command_stores_the_day_s_notifications_and_sends_them(smtp, plan, periods, people):
    from io import StringIO

    from django.core.management import call_command

    open_quarter(periods)
    out = StringIO()
    with time_machine.travel(at("2017-04-11"), tick=False):
        call_command("send_reminders", stdout=out)
    assert "새 알림 4건" in out.getvalue() and "메일 발송 4건, 실패 0건" in out.getvalue()
    assert len(smtp.messages) == 4
    with time_machine.travel(at("2017-04-11", 10), tick=False):
        call_command("send_reminders", "--no-mail", stdout=out)
    assert "새 알림 0건" in out.getvalue() and len(smtp.messages) == 4
