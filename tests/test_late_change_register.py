"""A change to a closed quarter needs an exception with a reason, and then shows in the register."""

import pytest

from reports.models import ProgressReport, ReportingPeriod
from reports.progress import services


@pytest.mark.django_db
def test_closed_quarter_without_exception_is_refused(report, officer):
    ReportingPeriod.objects.filter(pk=report.period_id).update(state="closed")
    with pytest.raises(services.ReportActionRefused, match="마감되었습니다"):
        services.report_save(report=report, user=officer, version=report.version, data={"problems": "늦은 수정"})
    assert ProgressReport.objects.get(pk=report.pk).problems == ""


@pytest.mark.django_db
def test_exception_needs_a_reason_and_a_closed_quarter(report, reviewer):
    with pytest.raises(services.ReportActionRefused, match="마감된 분기"):
        services.exception_grant(report=report, user=reviewer, reason="사유")
    ReportingPeriod.objects.filter(pk=report.period_id).update(state="closed")
    report.refresh_from_db()
    with pytest.raises(services.ReportActionRefused, match="사유"):
        services.exception_grant(report=report, user=reviewer, reason="  ")


@pytest.mark.django_db
def test_change_under_exception_is_listed_in_the_register(client, report, officer, reviewer):
    ReportingPeriod.objects.filter(pk=report.period_id).update(state="closed")
    report.refresh_from_db()
    client.force_login(reviewer)
    client.post(f"/reports/{report.pk}/exception/", {"reason": "감사 지적에 따른 수치 정정"})
    services.report_save(report=report, user=officer, version=report.version, data={"problems": "수치 정정 반영"})
    assert ProgressReport.objects.get(pk=report.pk).problems == "수치 정정 반영"
    html = client.get("/register/").content.decode()
    assert "감사 지적에 따른 수치 정정" in html and "수치 정정 반영" in html and officer.first_name in html


@pytest.mark.django_db
def test_register_is_empty_of_ordinary_changes(client, report, officer, reviewer):
    services.report_save(report=report, user=officer, version=report.version, data={"problems": "평상시 수정"})
    client.force_login(reviewer)
    assert "평상시 수정" not in client.get("/register/").content.decode()


@pytest.mark.django_db
def test_the_workbook_lists_late_changes_in_korean_words(report, officer, reviewer, plan):
    from io import BytesIO

    import openpyxl

    from reports.spreadsheets.workbook import WorkbookFilter, evaluation_workbook

    ReportingPeriod.objects.filter(pk=report.period_id).update(state="closed")
    report.refresh_from_db()
    services.exception_grant(report=report, user=reviewer, reason="감사 지적에 따른 정정")
    progress = report.milestone_progress.first()
    data = {"milestone_progress": {progress.pk: {"status": "in_progress"}}, "self_assessment": "at_risk"}
    services.report_save(report=report, user=officer, version=report.version, data=data)
    handle = BytesIO()
    evaluation_workbook(handle, WorkbookFilter(plan=plan, quarter=1))
    sheet = openpyxl.load_workbook(BytesIO(handle.getvalue()))["마감 후 변경"]
    text = " ".join(str(v) for row in sheet.iter_rows(values_only=True) for v in row if v)
    assert "→ 진행중" in text and "→ 주의" in text
    assert "in_progress" not in text and "at_risk" not in text
