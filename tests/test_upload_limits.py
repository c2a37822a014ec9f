"""A request body over MAX_REQUEST_BYTES is refused (413) before any view reads it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from reports.models import Evidence


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@override_settings(MAX_REQUEST_BYTES=64 * 1024)
def test_an_oversized_upload_is_refused_before_the_view(client, report, officer):
    client.force_login(officer)
    upload = SimpleUploadedFile("큰파일.pdf", b"%PDF-1.4\n" + b"0" * 80 * 1024, content_type="application/pdf")

    response = client.post(f"/reports/{report.pk}/evidence/", {"kind": "증빙", "file": upload})

    assert response.status_code == 413
    assert "요청이 너무 큽니다" in response.content.decode()
    assert not Evidence.objects.exists()


@override_settings(MAX_REQUEST_BYTES=64 * 1024)
def test_a_request_under_the_limit_reaches_the_view(client, report, officer):
    client.force_login(officer)
    upload = SimpleUploadedFile("작은파일.pdf", b"%PDF-1.4\n" + b"0" * 1024, content_type="application/pdf")

    response = client.post(f"/reports/{report.pk}/evidence/", {"kind": "증빙", "file": upload})

    assert response.status_code == 302
    assert Evidence.objects.filter(report=report).count() == 1


def test_the_default_limit_leaves_room_for_the_largest_evidence_file(settings):
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 5 * 1024 * 1024
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 5 * 1024 * 1024
    assert settings.EVIDENCE_MAX_BYTES < settings.MAX_REQUEST_BYTES <= 50 * 1024 * 1024
