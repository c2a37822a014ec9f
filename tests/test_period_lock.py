"""Closed and locked quarters refuse every change on the server, each for its own stated reason."""

import pytest

from reports.models import ProgressReport, ReportingPeriod
from reports.progress import services
from tests.conftest import complete_data, post_data


def set_state(period, state):
    ReportingPeriod.objects.filter(pk=period.pk).update(state=state)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "state,message",
    [("locked", "확정되었습니다"), ("closed", "마감되었습니다"), ("scheduled", "아직 시작되지 않았습니다")],
)
def test_period_state_refuses_save_with_its_own_reason(client, report, officer, state, message):
    set_state(report.period, state)
    client.force_login(officer)
    page = client.get(f"/reports/{report.pk}/edit/").content.decode()
    assert message in page and "lock-mark" in page and "disabled" in page  # visible before anyone types
    response = client.post(f"/reports/{report.pk}/edit/", post_data(report, **{"report-problems": "변경 시도"}))
    assert response.status_code == 409
    assert message in response.content.decode()
    assert ProgressReport.objects.get(pk=report.pk).problems == ""


@pytest.mark.django_db
def test_submitted_and_approved_reports_give_different_reasons(report, officer, reviewer):
    services.report_submit(report=report, user=officer, version=report.version, data=complete_data(report))
    assert "검토를 기다리는" in services.edit_block_reason(user=officer, report=report)
    services.report_approve(report=report, user=reviewer, version=report.version)
    assert "승인된 보고" in services.edit_block_reason(user=officer, report=report)


@pytest.mark.django_db
def test_locked_period_refuses_review_actions_too(report, officer, reviewer):
    services.report_submit(report=report, user=officer, version=report.version, data=complete_data(report))
    set_state(report.period, "locked")
    with pytest.raises(services.ReportActionRefused, match="확정"):
        services.report_approve(report=report, user=reviewer, version=report.version)
    assert ProgressReport.objects.get(pk=report.pk).status == "submitted"


@pytest.mark.django_db
def test_period_transitions(client, periods, reviewer, officer):
    q1 = periods[0]
    client.force_login(reviewer)
    client.post(f"/periods/{q1.pk}/state/", {"state": "open"})
    client.post(f"/periods/{q1.pk}/state/", {"state": "closed"})
    client.post(f"/periods/{q1.pk}/state/", {"state": "locked"})
    q1.refresh_from_db()
    assert q1.state == "locked"
    response = client.post(f"/periods/{q1.pk}/state/", {"state": "open"}, follow=True)
    assert "바꿀 수 없습니다" in response.content.decode()
    q1.refresh_from_db()
    assert q1.state == "locked"
    client.force_login(officer)
    assert client.post(f"/periods/{periods[1].pk}/state/", {"state": "open"}).status_code == 403
    periods[1].refresh_from_db()
    assert periods[1].state == "scheduled"


@pytest.mark.django_db
def test_report_cannot_start_in_a_period_not_open(client, task, periods, officer):
    client.force_login(officer)
    response = client.post(f"/tasks/{task.pk}/periods/{periods[1].pk}/start/", follow=True)
    assert "아직 시작되지 않았습니다" in response.content.decode()
    assert not ProgressReport.objects.filter(task=task).exists()
