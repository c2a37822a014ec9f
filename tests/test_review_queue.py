"""The reviewer's queue: 검토함's bulk approval (one plain POST, each report on its own), and going on to the
next waiting report after a single approval or return."""

import pytest
from django.core.exceptions import PermissionDenied

from reports.models import ProgressReport, ReportEvent, ReportingPeriod
from reports.progress import services
from tests.conftest import complete_data


def submitted(task, period, officer) -> ProgressReport:
    report = services.report_start(task=task, period=period, user=officer)
    return services.report_submit(report=report, user=officer, version=report.version, data=complete_data(report))


@pytest.fixture
def waiting(plan, periods, open_q1, officer) -> list[ProgressReport]:
    """Three submitted reports of 자치행정과: tasks 6 and 15 in Q1, task 15 in Q2."""
    ReportingPeriod.objects.filter(pk=periods[1].pk).update(state="open")
    periods[1].refresh_from_db()
    task6, task15 = plan.tasks.get(number=6), plan.tasks.get(number=15)
    return [
        submitted(task6, open_q1, officer),
        submitted(task15, open_q1, officer),
        submitted(task15, periods[1], officer),
    ]


def checked(*reports) -> dict:
    return {"reports": [f"{r.pk}:{r.version}" for r in reports]}


def approvals(report) -> int:
    return ReportEvent.objects.filter(report=report, action=ReportEvent.Action.APPROVE).count()


@pytest.mark.django_db
def test_inbox_offers_a_checkbox_per_waiting_report_with_the_version_shown(client, reviewer, waiting):
    client.force_login(reviewer)
    html = client.get("/review/").content.decode()
    assert 'action="/review/approve/"' in html and "선택한 보고 승인" in html
    for report in waiting:
        assert f'value="{report.pk}:{report.version}"' in html


@pytest.mark.django_db
def test_several_submitted_reports_are_approved_in_one_action_each_with_its_own_history_entry(
    client, reviewer, waiting
):
    client.force_login(reviewer)
    response = client.post("/review/approve/", checked(*waiting), follow=True)
    assert response.redirect_chain[-1][0] == "/review/"
    for report in waiting:
        report.refresh_from_db()
        assert report.status == ProgressReport.Status.APPROVED and report.approved_by == reviewer
        assert approvals(report) == 1
    assert "3건을 승인했습니다" in response.content.decode()


@pytest.mark.django_db
def test_a_stale_report_among_them_is_refused_alone_with_its_reason(client, reviewer, officer, waiting):
    client.force_login(reviewer)
    page_versions = checked(*waiting)  # what the inbox showed
    stale = waiting[1]
    # meanwhile another reviewer returns it and its officer submits it again: same status, new version
    services.report_return(report=stale, user=reviewer, version=stale.version, comment="근거 보완")
    services.report_submit(report=stale, user=officer, version=stale.version, data=complete_data(stale))
    response = client.post("/review/approve/", page_versions, follow=True)
    html = response.content.decode()
    for report in (waiting[0], waiting[2]):
        report.refresh_from_db()
        assert report.status == ProgressReport.Status.APPROVED and approvals(report) == 1
    stale.refresh_from_db()
    assert stale.status == ProgressReport.Status.SUBMITTED and approvals(stale) == 0
    assert "2건을 승인했습니다" in html
    assert f"승인하지 못했습니다 — {stale.period} {stale.task.number}. {stale.task.title}" in html
    assert "화면을 연 뒤에 다른 사용자가" in html


@pytest.mark.django_db
def test_a_report_no_longer_submitted_is_refused_with_its_status(reviewer, waiting):
    draft = waiting[0]
    services.report_return(report=draft, user=reviewer, version=draft.version, comment="보완")
    outcome = services.reports_approve_many(
        items=[(draft, draft.version), (waiting[1], waiting[1].version)], user=reviewer
    )
    assert outcome.approved == [waiting[1]]
    ((refused, reason),) = outcome.refused
    assert refused == draft and reason == "'반려' 상태의 보고는 승인할 수 없습니다."


@pytest.mark.django_db
def test_an_officer_cannot_bulk_approve_and_nothing_changes(client, officer, waiting):
    client.force_login(officer)
    assert client.post("/review/approve/", checked(*waiting)).status_code == 403
    assert set(ProgressReport.objects.values_list("status", flat=True)) == {ProgressReport.Status.SUBMITTED}
    with pytest.raises(PermissionDenied):
        services.reports_approve_many(items=[(waiting[0], waiting[0].version)], user=officer)


@pytest.mark.django_db
@pytest.mark.parametrize("posted", [{}, {"reports": ["x:1"]}, {"reports": ["1"]}, {"reports": ["²:1"]}])
def test_nothing_or_a_tampered_choice_is_refused_in_korean(client, reviewer, waiting, posted):
    client.force_login(reviewer)
    html = client.post("/review/approve/", posted, follow=True).content.decode()
    assert "승인할 보고를 하나 이상 고르세요." in html or "요청이 올바르지 않습니다" in html
    assert not ProgressReport.objects.filter(status=ProgressReport.Status.APPROVED).exists()


@pytest.mark.django_db
def test_a_report_not_found_is_named_as_not_approved(client, reviewer, waiting):
    client.force_login(reviewer)
    missing = ProgressReport.objects.order_by("-pk").first().pk + 1
    html = client.post(
        "/review/approve/", {"reports": [f"{missing}:1", f"{waiting[0].pk}:{waiting[0].version}"]}, follow=True
    )
    assert "1건을 승인했습니다" in html.content.decode() and "1건은 찾을 수 없는 보고" in html.content.decode()


# ---------------------------------------------------------------- the next waiting report


def review(client, report, action: str, comment: str = ""):
    report.refresh_from_db()
    return client.post(f"/reports/{report.pk}/{action}/", {"version": report.version, "comment": comment})


@pytest.mark.django_db
def test_approving_opens_the_next_waiting_report_in_inbox_order_and_the_last_goes_back_to_the_inbox(
    client, reviewer, waiting
):
    q1_task6, q1_task15, q2_task15 = waiting
    client.force_login(reviewer)
    response = review(client, q1_task15, "approve")
    assert response["Location"] == f"/reports/{q2_task15.pk}/"  # the one listed after it
    html = client.get(response["Location"]).content.decode()
    assert "승인했습니다" in html and f'href="/reports/{q1_task15.pk}/"' in html  # the way back to what was done
    assert "다음 검토 대기 보고서를 열었습니다 (검토 대기 2건)" in html
    assert "승인하거나 반려하면 검토함의 다음 검토 대기 보고서로 넘어갑니다" in html  # said before it happens
    response = review(client, q2_task15, "return", "근거 보완")
    assert response["Location"] == f"/reports/{q1_task6.pk}/"  # none after it: from the top
    response = review(client, q1_task6, "approve")
    assert response["Location"] == "/review/"
    assert "검토를 기다리는 보고가 더 없습니다" in client.get("/review/").content.decode()
    assert list(ProgressReport.objects.order_by("pk").values_list("status", flat=True)) == [
        "approved",
        "approved",
        "returned",
    ]


@pytest.mark.django_db
def test_a_refused_review_stays_on_the_report(client, reviewer, waiting):
    client.force_login(reviewer)
    report = waiting[0]
    response = client.post(f"/reports/{report.pk}/approve/", {"version": report.version - 1})
    assert response["Location"] == f"/reports/{report.pk}/"
    response = client.post(f"/reports/{report.pk}/return/", {"version": report.version, "comment": " "})
    assert response["Location"] == f"/reports/{report.pk}/"
