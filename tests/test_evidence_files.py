"""Evidence files: type and size limits, stored outside the web root, downloadable only by those who may see."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from reports.models import Evidence


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def upload(client, report, name, content, kind="사진"):
    return client.post(
        f"/reports/{report.pk}/evidence/", {"kind": kind, "file": SimpleUploadedFile(name, content)}, follow=True
    )


@pytest.mark.django_db
def test_pdf_is_stored_under_a_generated_name_and_downloads(client, report, officer, media):
    client.force_login(officer)
    response = upload(client, report, "../../../etc/passwd.pdf", b"%PDF-1.4 report")
    assert "첨부했습니다" in response.content.decode()
    evidence = Evidence.objects.get(report=report)
    assert evidence.original_name == "passwd.pdf" or evidence.original_name.endswith(".pdf")
    stored = media / evidence.file.name
    assert stored.exists() and "passwd" not in evidence.file.name and ".." not in evidence.file.name
    download = client.get(f"/evidence/{evidence.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 report"
    assert report.events.filter(action="evidence").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name,content,message",
    [
        ("script.exe", b"MZ....", "허용되지 않는 파일 형식"),
        ("fake.pdf", b"<html>not a pdf</html>", "확장자(.pdf)와 맞지 않습니다"),
        ("empty.pdf", b"", "빈 파일"),
    ],
)
def test_bad_files_are_refused(client, report, officer, name, content, message):
    client.force_login(officer)
    response = upload(client, report, name, content)
    assert message in response.content.decode()
    assert not Evidence.objects.exists()


@pytest.mark.django_db
def test_file_over_the_limit_is_refused(client, report, officer, settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    client.force_login(officer)
    response = upload(client, report, "big.pdf", b"%PDF" + b"0" * 2048)
    assert "파일이 너무 큽니다" in response.content.decode()
    assert not Evidence.objects.exists()


@pytest.mark.django_db
def test_media_root_is_not_served(client, report, officer):
    from django.conf import settings as django_settings

    assert not getattr(django_settings, "MEDIA_URL", "").strip("/")
    client.force_login(officer)
    upload(client, report, "a.pdf", b"%PDF-1.4")
    name = Evidence.objects.get().file.name
    assert client.get(f"/{name}").status_code == 404
    assert client.get(f"/media/{name}").status_code == 404
