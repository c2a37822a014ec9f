"""The report form: 임시 저장 keeps it open, files are attached from it (draft and returned), a file attached
while submitted goes through the report page until approval, and spending above 예산현액 is a warning."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from reports.models import Evidence, ProgressReport, ReportEvent
from reports.progress import services
from tests.conftest import complete_data, post_data

PDF = b"%PDF-1.4 evidence"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def pdf(name="회의록.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def returned(report, officer, reviewer):
    services.report_submit(report=report, user=officer, version=report.version, data=complete_data(report))
    services.report_return(report=report, user=reviewer, version=report.version, comment="증빙을 붙여 주세요")
    return report


# ---------------------------------------------------------------- 임시 저장 stays on the form


@pytest.mark.django_db
def test_draft_save_returns_to_the_form_with_a_saved_message(client, report, officer):
    client.force_login(officer)
    data = post_data(report, **{"report-achievements": "이어서 쓸 실적", "save": "1"})
    response = client.post(f"/reports/{report.pk}/edit/", data)
    assert response.status_code == 302 and response["Location"] == f"/reports/{report.pk}/edit/"
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "임시 저장했습니다" in html and "이어서 쓸 실적" in html
    report.refresh_from_db()
    assert f'name="report-version" value="{report.version}"' in html  # the next save is not stale


@pytest.mark.django_db
def test_submit_still_goes_to_the_report_page(client, report, officer):
    client.force_login(officer)
    response = client.post(f"/reports/{report.pk}/edit/", post_data(report, submit="1"))
    assert response.status_code == 302 and response["Location"] == f"/reports/{report.pk}/"


# ---------------------------------------------------------------- evidence from the form


def _post_with_file(client, report, button="save", **overrides):
    data = post_data(report, **{"evidence-kind": "회의록", "evidence-file": pdf(), button: "1", **overrides})
    return client.post(f"/reports/{report.pk}/edit/", data)


@pytest.mark.django_db
def test_the_report_form_is_multipart_with_a_file_input(client, report, officer):
    client.force_login(officer)
    html = client.get(f"/reports/{report.pk}/edit/").content.decode()
    assert 'enctype="multipart/form-data"' in html and 'type="file" name="evidence-file"' in html


@pytest.mark.django_db
def test_a_draft_saved_with_a_file_attaches_it_and_moves_the_version_once(client, report, officer):
    client.force_login(officer)
    version = report.version
    response = _post_with_file(client, report, **{"report-achievements": "증빙과 함께 저장"})
    assert response.status_code == 302
    evidence = Evidence.objects.get(report=report)
    assert (evidence.kind, evidence.original_name, evidence.uploaded_by) == ("회의록", "회의록.pdf", officer)
    report.refresh_from_db()
    assert report.version == version + 1 and report.achievements == "증빙과 함께 저장"
    assert list(report.events.order_by("pk").values_list("action", flat=True))[-2:] == ["save", "evidence"]
    assert "증빙 파일을 첨부했습니다" in client.get(response["Location"]).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("button,status", [("save", "returned"), ("submit", "submitted")])
def test_a_returned_report_takes_a_file_from_the_form(client, report, officer, reviewer, button, status):
    returned(report, officer, reviewer)
    client.force_login(officer)
    assert _post_with_file(client, report, button).status_code == 302
    assert Evidence.objects.filter(report=report).count() == 1
    assert ProgressReport.objects.get(pk=report.pk).status == status


@pytest.mark.django_db
def test_a_refused_file_refuses_the_whole_save_and_keeps_the_input(client, report, officer):
    client.force_login(officer)
    before = (report.version, ReportEvent.objects.filter(report=report).count())
    data = post_data(
        report,
        **{"evidence-file": pdf("가짜.pdf", b"<html>"), "report-problems": "입력한 그대로", "save": "1"},
    )
    response = client.post(f"/reports/{report.pk}/edit/", data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "확장자(.pdf)와 맞지 않습니다" in html and 'aria-describedby="id_evidence-file-error"' in html
    assert "입력한 그대로" in html
    report.refresh_from_db()
    assert (report.version, ReportEvent.objects.filter(report=report).count()) == before
    assert not Evidence.objects.exists()


@pytest.mark.django_db
def test_a_file_sent_with_a_refused_submit_is_not_attached_and_the_page_says_so(client, report, officer):
    client.force_login(officer)
    response = _post_with_file(client, report, "submit", **{"report-achievements": ""})
    html = response.content.decode()
    assert response.status_code == 400 and "파일은 첨부되지 않았습니다" in html
    assert not Evidence.objects.exists()


@pytest.mark.django_db
def test_a_file_sent_with_a_stale_form_is_not_attached(client, report, officer):
    client.force_login(officer)
    stale = post_data(report, **{"evidence-file": pdf(), "save": "1"})
    services.report_save(report=report, user=officer, version=report.version, data={"problems": "다른 창"})
    response = client.post(f"/reports/{report.pk}/edit/", stale)
    assert response.status_code == 409 and "먼저 변경했습니다" in response.content.decode()
    assert not Evidence.objects.exists()


# ---------------------------------------------------------------- evidence on the report page, by state


def _upload_on_the_page(client, report):
    return client.post(f"/reports/{report.pk}/evidence/", {"kind": "증빙", "file": pdf()}, follow=True)


@pytest.mark.django_db
def test_a_submitted_report_takes_a_file_on_its_page_until_it_is_approved(client, report, officer, reviewer):
    services.report_submit(report=report, user=officer, version=report.version, data=complete_data(report))
    client.force_login(officer)
    page = client.get(f"/reports/{report.pk}/").content.decode()
    assert 'name="file"' in page  # the upload is offered while the reviewer has not decided
    version = ProgressReport.objects.get(pk=report.pk).version
    assert "첨부했습니다" in _upload_on_the_page(client, report).content.decode()
    report.refresh_from_db()
    assert report.version == version and report.status == "submitted"  # the reviewer's form is not made stale
    services.report_approve(report=report, user=reviewer, version=report.version)
    html = _upload_on_the_page(client, report).content.decode()
    assert "승인된 보고입니다" in html and 'name="file"' not in html
    assert Evidence.objects.filter(report=report).count() == 1


@pytest.mark.django_db
def test_a_file_sent_after_the_report_was_approved_elsewhere_is_refused(report, officer, reviewer):
    services.report_submit(report=report, user=officer, version=report.version, data=complete_data(report))
    page_seen = ProgressReport.objects.get(pk=report.pk)  # the officer's page, loaded while submitted
    approving = ProgressReport.objects.get(pk=report.pk)
    services.report_approve(report=approving, user=reviewer, version=approving.version)
    with pytest.raises(services.ReportActionRefused, match="승인된 보고입니다"):
        services.evidence_add(report=page_seen, user=officer, upload=pdf(), kind="회의록")
    assert not Evidence.objects.filter(report=report).exists()


@pytest.mark.django_db
def test_a_returned_report_takes_a_file_on_its_page(client, report, officer, reviewer):
    returned(report, officer, reviewer)
    client.force_login(officer)
    assert "첨부했습니다" in _upload_on_the_page(client, report).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("state,message", [("closed", "마감되었습니다"), ("locked", "확정되었습니다")])
def test_a_closed_or_locked_quarter_refuses_files(client, report, officer, state, message):
    report.period.__class__.objects.filter(pk=report.period_id).update(state=state)
    client.force_login(officer)
    assert message in _upload_on_the_page(client, report).content.decode()
    assert not Evidence.objects.exists()


# ---------------------------------------------------------------- spending above 예산현액: a warning


@pytest.mark.django_db
def test_spending_above_the_budget_saves_and_the_form_warns(client, report, officer):
    client.force_login(officer)
    data = post_data(report, **{"budget_executions-0-spent_to_date": "80,000", "save": "1"})
    response = client.post(f"/reports/{report.pk}/edit/", data)
    assert response.status_code == 302
    assert report.budget_executions.get().spent_to_date == 80000
    html = client.get(response["Location"]).content.decode()
    assert "경고: 지출액 누계가 예산현액을 7,950백만원 넘습니다" in html


@pytest.mark.django_db
def test_the_live_figures_warn_of_spending_above_the_budget(client, report, officer):
    line = report.budget_executions.get().budget_line_id
    client.force_login(officer)
    over = client.get(f"/reports/{report.pk}/figures/", {f"line-{line}": "80,000"}).json()[f"line-{line}"]
    assert over["warning"].startswith("경고") and over["error"] == "" and over["balance"] == "-7,950"
    within = client.get(f"/reports/{report.pk}/figures/", {f"line-{line}": "100"}).json()[f"line-{line}"]
    assert within["warning"] == ""


@pytest.mark.django_db
def test_the_live_figures_give_the_forms_message_for_a_misgrouped_number(client, report, officer):
    indicator = report.indicator_results.first().indicator_id
    client.force_login(officer)
    figures = client.get(f"/reports/{report.pk}/figures/", {f"indicator-{indicator}": "12,34,5"}).json()
    assert figures[f"indicator-{indicator}"]["rate"] == "–"
    assert "'12,34,5': 쉼표는" in figures[f"indicator-{indicator}"]["error"]
    valid = client.get(f"/reports/{report.pk}/figures/", {f"indicator-{indicator}": "1,234"}).json()
    assert valid[f"indicator-{indicator}"]["error"] == ""
