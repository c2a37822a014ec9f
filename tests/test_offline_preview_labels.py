"""The offline upload preview names stored choices by their Korean labels and lists real changes only."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from reports.progress import services
from tests import bad_files
from tests.conftest import complete_data


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def saved_report(report, officer):
    """Task 15's Q1 report saved with every milestone 진행중, every target met and 자체 진단 정상."""
    return services.report_save(report=report, user=officer, version=report.version, data=complete_data(report))


def template(client, period) -> bytes:
    return b"".join(client.get(f"/offline/{period.pk}/template/").streaming_content)


def preview_html(client, period, content: bytes) -> str:
    response = client.post(f"/offline/{period.pk}/upload/", {"file": SimpleUploadedFile("실적.xlsx", content)})
    assert response.status_code == 200
    return response.content.decode().split("<tbody>")[1]


def mark_done_and_at_risk(wb) -> None:
    milestone = next(r for r in wb["추진일정"].iter_rows(min_row=2) if r[2].value == 15)
    milestone[7].value = "완료"
    narrative = next(r for r in wb["서술"].iter_rows(min_row=2) if r[2].value == 15)
    narrative[7].value = "주의"


@pytest.mark.django_db
def test_preview_shows_korean_labels_of_changed_choices(client, officer, open_q1, saved_report):
    client.force_login(officer)
    html = preview_html(client, open_q1, bad_files.edit(template(client, open_q1), mark_done_and_at_risk))
    assert "진행 상태: <del>진행중</del> → <ins>완료</ins>" in html
    assert "자체 진단: <del>정상</del> → <ins>주의</ins>" in html
    for code in ("in_progress", "done", "on_track", "at_risk"):
        assert f">{code}<" not in html


@pytest.mark.django_db
def test_preview_of_an_unchanged_file_lists_no_change(client, officer, open_q1, saved_report):
    client.force_login(officer)
    html = preview_html(client, open_q1, template(client, open_q1))
    assert "<del>" not in html  # stored 342.00 read back as 342 is no change
