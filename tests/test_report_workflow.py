"""draft → submit → return → resubmit → approve, with a history row for each step."""

import pytest
from django.db import transaction

from reports.models import ProgressReport, ReportEvent
from reports.progress import services
from tests.conftest import complete_data, post_data


def actions(report) -> list[str]:
    return list(report.events.order_by("at", "pk").values_list("action", flat=True))


@pytest.mark.django_db
def test_start_creates_rows_for_the_plan_year(report, task):
    assert report.status == "draft"
    assert report.indicator_results.count() == task.indicators.filter(year=2017).count() == 4
    # Only milestones touching 2017 are reported on; task 15's 2015–16 progress items are not.
    years = {
        (p.milestone.start.year, p.milestone.end.year if p.milestone.end else None)
        for p in report.milestone_progress.select_related("milestone")
    }
    assert all(start <= 2017 and (end is None or end >= 2017) for start, end in years)
    assert report.budget_executions.count() == 1
    assert actions(report) == ["create"]


@pytest.mark.django_db
def test_full_workflow_through_the_services(report, officer, reviewer):
    services.report_submit(report=report, user=officer, version=report.version, data=complete_data(report))
    services.report_return(report=report, user=reviewer, version=report.version, comment="집행률 근거를 보완하세요.")
    assert report.status == "returned" and report.returned_by == reviewer
    services.report_save(
        report=report,
        user=officer,
        version=report.version,
        data={"achievements": "3단계 확대 대상 59개 동 선정 및 인력 배치 완료"},
    )
    services.report_submit(report=report, user=officer, version=report.version)
    services.report_approve(report=report, user=reviewer, version=report.version)
    report.refresh_from_db()
    assert report.status == "approved"
    assert (report.submitted_by, report.approved_by, report.returned_by) == (officer, reviewer, reviewer)
    assert actions(report) == ["create", "submit", "return", "save", "submit", "approve"]
    events = list(report.events.order_by("at", "pk"))
    assert [(e.from_status, e.to_status) for e in events[1:]] == [
        ("draft", "submitted"),
        ("submitted", "returned"),
        ("returned", "returned"),
        ("returned", "submitted"),
        ("submitted", "approved"),
    ]
    assert events[2].comment == "집행률 근거를 보완하세요." and events[2].actor == reviewer
    save = events[3]
    assert save.changes == [
        {
            "field": "achievements",
            "label": "주요 추진실적",
            "old": "3단계 확대 대상 59개 동 선정",
            "new": "3단계 확대 대상 59개 동 선정 및 인력 배치 완료",
        }
    ]


@pytest.mark.django_db
def test_full_workflow_through_the_pages(client, report, officer, reviewer):
    client.force_login(officer)
    response = client.post(f"/reports/{report.pk}/edit/", post_data(report, submit="1"))
    assert response.status_code == 302, response.content.decode()[:2000]
    client.force_login(reviewer)
    report.refresh_from_db()
    client.post(f"/reports/{report.pk}/return/", {"version": report.version, "comment": "실적 수치 근거 보완"})
    client.force_login(officer)
    page = client.get(f"/reports/{report.pk}/edit/").content.decode()
    assert "반려 의견" in page and "실적 수치 근거 보완" in page
    response = client.post(f"/reports/{report.pk}/edit/", post_data(report, submit="1"))
    assert response.status_code == 302
    client.force_login(reviewer)
    report.refresh_from_db()
    client.post(f"/reports/{report.pk}/approve/", {"version": report.version, "comment": ""})
    report.refresh_from_db()
    assert report.status == "approved"
    html = client.get(f"/reports/{report.pk}/").content.decode()
    for text in ["승인", "반려", "제출", "처리 이력", "실적 수치 근거 보완", reviewer.first_name, officer.first_name]:
        assert text in html, text


@pytest.mark.django_db
def test_approved_report_is_final_until_reopened_with_reason(report, officer, reviewer):
    services.report_submit(report=report, user=officer, version=report.version, data=complete_data(report))
    services.report_approve(report=report, user=reviewer, version=report.version)
    with pytest.raises(services.ReportActionRefused, match="승인된 보고"):
        services.report_save(report=report, user=officer, version=report.version, data={"problems": "x"})
    with pytest.raises(services.ReportActionRefused, match="사유"):
        services.report_reopen(report=report, user=reviewer, version=report.version, reason=" ")
    services.report_reopen(report=report, user=reviewer, version=report.version, reason="수치 오기 정정")
    services.report_save(report=report, user=officer, version=report.version, data={"problems": "정정함"})
    assert ProgressReport.objects.get(pk=report.pk).problems == "정정함"
    assert ReportEvent.objects.filter(report=report, action="reopen", comment="수치 오기 정정").exists()


@pytest.mark.django_db
def test_return_needs_a_comment(report, officer, reviewer):
    services.report_submit(report=report, user=officer, version=report.version, data=complete_data(report))
    with pytest.raises(services.ReportActionRefused, match="의견"):
        services.report_return(report=report, user=reviewer, version=report.version, comment="")
    assert ProgressReport.objects.get(pk=report.pk).status == "submitted"


@pytest.mark.django_db
def test_reviewer_cannot_write_content_and_officer_cannot_approve(report, officer, reviewer):
    with pytest.raises(services.ReportActionRefused, match="검토자는 보고 내용을 수정할 수 없습니다"):
        services.report_save(report=report, user=reviewer, version=report.version, data={"problems": "x"})
    services.report_submit(report=report, user=officer, version=report.version, data=complete_data(report))
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.report_approve(report=report, user=officer, version=report.version)
    assert ProgressReport.objects.get(pk=report.pk).status == "submitted"


@pytest.mark.django_db
def test_history_shows_korean_labels_not_codes(client, report, officer):
    data = complete_data(report)
    services.report_submit(report=report, user=officer, version=report.version, data=data)
    client.force_login(officer)
    html = client.get(f"/reports/{report.pk}/").content.decode()
    history = html.split('id="h-history"')[1]
    assert "작성중 → 제출" in history and "진행중" in history and "정상" in history
    assert "draft" not in history and "in_progress" not in history and "on_track" not in history


@pytest.mark.django_db
@pytest.mark.parametrize("state", ["open", "locked"])
def test_the_page_offers_exactly_the_review_actions_the_services_accept(client, report, officer, reviewer, state):
    from reports.models import ReportingPeriod

    services.report_submit(report=report, user=officer, version=report.version, data=complete_data(report))
    ReportingPeriod.objects.filter(pk=report.period_id).update(state=state)
    report = ProgressReport.objects.select_related("period").get(pk=report.pk)
    client.force_login(reviewer)
    html = client.get(f"/reports/{report.pk}/").content.decode()
    offered = {action for action in ("approve", "return", "reopen") if f"/reports/{report.pk}/{action}/" in html}
    assert offered == set(services.review_actions(report))
    accepted = set()
    for action, run in {"approve": services.report_approve, "return": services.report_return}.items():
        extra = {"comment": "보완"} if action == "return" else {}
        try:
            with transaction.atomic():
                run(report=report, user=reviewer, version=report.version, **extra)
                raise _Undo
        except _Undo:
            accepted.add(action)
        except services.ReportActionRefused:
            pass
        report.refresh_from_db()
    assert accepted == offered - {"reopen"}
    assert (state == "locked") == ("확정되어 검토 작업을 할 수 없습니다" in html)


class _Undo(Exception):
    """Leaves a tried action without effect."""
