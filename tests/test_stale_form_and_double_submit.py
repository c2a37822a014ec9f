"""No update is silently lost: a stale form is refused with the input kept; a double submit submits once."""

import pytest

from reports.models import ProgressReport, ReportEvent
from tests.conftest import post_data


@pytest.mark.django_db
def test_second_save_of_a_stale_form_is_refused_and_input_kept(client, report, officer):
    client.force_login(officer)
    first = post_data(report, **{"report-problems": "첫 번째 창에서 쓴 내용"})
    second = post_data(report, **{"report-problems": "두 번째 창에서 쓴 내용"})  # same version: a stale copy
    assert client.post(f"/reports/{report.pk}/edit/", first).status_code == 302
    response = client.post(f"/reports/{report.pk}/edit/", second)
    assert response.status_code == 409
    html = response.content.decode()
    assert "먼저 변경했습니다" in html
    assert "두 번째 창에서 쓴 내용" in html  # what the user typed is still in the form
    assert ProgressReport.objects.get(pk=report.pk).problems == "첫 번째 창에서 쓴 내용"


@pytest.mark.django_db
def test_double_clicked_submit_creates_one_submission(client, report, officer):
    client.force_login(officer)
    data = post_data(report, submit="1")
    assert client.post(f"/reports/{report.pk}/edit/", data).status_code == 302
    second = client.post(f"/reports/{report.pk}/edit/", data)
    assert second.status_code in (403, 409)
    assert ReportEvent.objects.filter(report=report, action="submit").count() == 1
    assert ProgressReport.objects.get(pk=report.pk).status == "submitted"


@pytest.mark.django_db
def test_stale_review_action_is_refused(client, report, officer, reviewer):
    from reports.progress import services
    from tests.conftest import complete_data

    services.report_submit(report=report, user=officer, version=report.version, data=complete_data(report))
    client.force_login(reviewer)
    stale_version = report.version
    client.post(f"/reports/{report.pk}/approve/", {"version": stale_version})
    response = client.post(
        f"/reports/{report.pk}/return/", {"version": stale_version, "comment": "늦은 반려"}, follow=True
    )
    assert "먼저 변경했습니다" in response.content.decode()
    assert ProgressReport.objects.get(pk=report.pk).status == "approved"
