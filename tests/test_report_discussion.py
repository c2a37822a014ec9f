"""A discussion on every report: the owning department's officer and the planning office write to each other on the
report page; each comment is in the report's history and the workbook, never on the public pages."""

from io import BytesIO

import openpyxl
import pytest
from django.utils import timezone

from reports.models import ReportEvent
from reports.progress import services
from reports.spreadsheets.workbook import WorkbookFilter, evaluation_workbook
from tests.conftest import complete_data


def _comment(client, report, text):
    return client.post(f"/reports/{report.pk}/comments/", {"text": text})


@pytest.mark.django_db
def test_officer_and_reviewer_write_a_thread_kept_in_the_history_with_who_and_when(client, report, officer, reviewer):
    version = report.version
    client.force_login(officer)
    answer = _comment(client, report, "2분기 수치는 동별 집계가 끝나면 보완하겠습니다.")
    assert answer.status_code == 302 and answer["Location"].endswith(f"/reports/{report.pk}/#h-discussion")
    client.force_login(reviewer)
    _comment(client, report, "집계 기준일을 보고서에 적어 주세요.")

    events = list(ReportEvent.objects.filter(report=report, action=ReportEvent.Action.COMMENT).order_by("at", "pk"))
    assert [(e.actor, e.comment) for e in events] == [
        (officer, "2분기 수치는 동별 집계가 끝나면 보완하겠습니다."),
        (reviewer, "집계 기준일을 보고서에 적어 주세요."),
    ]
    assert all(abs((timezone.now() - e.at).total_seconds()) < 60 for e in events)
    report.refresh_from_db()
    assert report.version == version  # a comment is not a change of the report: no form open on it goes stale

    html = client.get(f"/reports/{report.pk}/").content.decode()
    discussion = html[html.index('id="h-discussion"') : html.index('id="h-history"')]
    assert discussion.index("동별 집계가 끝나면") < discussion.index("집계 기준일을")
    assert officer.first_name in discussion and reviewer.first_name in discussion
    history = html[html.index('id="h-history"') :]
    assert "의견" in history and "집계 기준일을 보고서에 적어 주세요." in history


@pytest.mark.django_db
def test_returning_a_report_continues_its_thread(client, report, officer, reviewer):
    services.report_comment(report=report, user=officer, text="제출 전에 확인 부탁드립니다.")
    services.report_submit(report=report, user=officer, version=report.version, data=complete_data(report))
    services.report_return(
        report=report, user=reviewer, version=report.version, comment="지표 2의 근거 자료가 없습니다."
    )
    client.force_login(officer)
    html = client.get(f"/reports/{report.pk}/").content.decode()
    discussion = html[html.index('id="h-discussion"') : html.index('id="h-history"')]
    assert discussion.index("제출 전에 확인") < discussion.index("지표 2의 근거 자료가 없습니다.")
    assert "반려" in discussion


@pytest.mark.django_db
def test_another_department_s_officer_neither_sees_nor_writes_the_thread(client, report, officer, other_officer):
    services.report_comment(report=report, user=officer, text="부서 내부 논의")
    client.force_login(other_officer)
    assert _comment(client, report, "끼어들기").status_code == 404
    assert client.get(f"/reports/{report.pk}/").status_code == 404
    assert not ReportEvent.objects.filter(comment="끼어들기").exists()
    client.logout()
    answer = _comment(client, report, "익명")
    assert answer.status_code == 302 and "/accounts/login/" in answer["Location"]
    assert not ReportEvent.objects.filter(comment="익명").exists()


@pytest.mark.django_db
def test_an_empty_or_too_long_comment_is_refused_with_the_text_kept(client, report, officer):
    client.force_login(officer)
    answer = _comment(client, report, "   ")
    assert answer.status_code == 400 and "의견을 적어 주세요." in answer.content.decode()
    long_text = "가" * 5001
    answer = _comment(client, report, long_text)
    html = answer.content.decode()
    assert answer.status_code == 400 and "5,000자 이내로 적어 주세요." in html
    assert long_text in html  # the textarea gives back what was typed
    assert not ReportEvent.objects.filter(report=report, action=ReportEvent.Action.COMMENT).exists()


@pytest.mark.django_db
def test_the_service_refuses_a_user_outside_the_discussion(report, other_officer):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.report_comment(report=report, user=other_officer, text="권한 없음")
    with pytest.raises(services.ReportActionRefused, match="의견을 적어"):
        services.report_comment(report=report, user=report.task.department.members.first(), text="\n ")


@pytest.mark.django_db
def test_the_public_results_page_shows_no_comment(client, report, officer, reviewer):
    services.report_comment(report=report, user=officer, text="비공개 논의 문구 가나다")
    services.report_submit(report=report, user=officer, version=report.version, data=complete_data(report))
    services.report_comment(report=report, user=reviewer, text="검토자 비공개 메모 라마바")
    services.report_approve(report=report, user=reviewer, version=report.version)
    for url in ("/results/", f"/tasks/{report.task_id}/", "/"):
        html = client.get(url).content.decode()
        assert "비공개 논의 문구 가나다" not in html and "검토자 비공개 메모 라마바" not in html, url


@pytest.mark.django_db
def test_the_workbook_gives_the_planning_office_every_thread(plan, report, officer, reviewer):
    services.report_comment(report=report, user=officer, text="집계가 늦어집니다.")
    services.report_submit(report=report, user=officer, version=report.version, data=complete_data(report))
    services.report_return(report=report, user=reviewer, version=report.version, comment="근거를 붙여 주세요.")
    handle = BytesIO()
    evaluation_workbook(handle, WorkbookFilter(plan=plan, quarter=1))
    sheet = openpyxl.load_workbook(BytesIO(handle.getvalue()))["보고 논의"]
    rows = [r for r in sheet.iter_rows(min_row=3, values_only=True) if any(r)]
    assert [(r[1], r[2], r[4], r[5], r[6]) for r in rows] == [
        (1, report.task.number, "의견", officer.first_name, "집계가 늦어집니다."),
        (1, report.task.number, "반려", reviewer.first_name, "근거를 붙여 주세요."),
    ]
