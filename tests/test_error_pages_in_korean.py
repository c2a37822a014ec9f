"""With DEBUG off (as pytest-django runs), every error a person can meet is a Korean page with a way back."""

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import path

from gov30 import urls as portal_urls
from tests.korean_text import english_in, visible_text

BACK = "계획 개요로 가기"


def korean_page(response, status: int, heading: str) -> str:
    assert not settings.DEBUG  # pytest-django runs with DEBUG off, as the README's run command does
    page = response.content.decode()
    assert response.status_code == status
    assert heading in page and BACK in page
    assert not english_in(visible_text(page)), english_in(visible_text(page))
    return page


def broken_view(request):
    raise RuntimeError("boom")


urlpatterns = [*portal_urls.urlpatterns, path("broken/", broken_view)]
handler500 = portal_urls.handler500


@pytest.mark.django_db
def test_a_missing_page_is_korean_404(client):
    korean_page(client.get("/no-such-page/"), 404, "페이지를 찾을 수 없습니다")


@pytest.mark.django_db
def test_an_officer_refused_the_dashboard_gets_a_korean_403_saying_why(client, officer):
    client.force_login(officer)
    page = korean_page(client.get("/dashboard/"), 403, "이 화면을 볼 권한이 없습니다")
    assert "Forbidden" not in page
    assert "내 업무 첫 화면" in page


@pytest.mark.django_db
def test_the_way_back_is_the_page_the_person_came_from(client, officer):
    client.force_login(officer)
    page = korean_page(client.get("/dashboard/", HTTP_REFERER="http://testserver/my/"), 403, "권한이 없습니다")
    assert 'href="http://testserver/my/"' in page
    page = client.get("/dashboard/", HTTP_REFERER="https://evil.example/").content.decode()
    assert "evil.example" not in page


@pytest.mark.django_db
def test_a_bad_csrf_token_gets_the_korean_csrf_page(officer, report):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    page = korean_page(client.post(f"/reports/{report.pk}/edit/", {}), 403, "보안 확인에 실패해")
    assert "CSRF" not in page


@pytest.mark.django_db
@override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=10)
def test_too_many_fields_gets_a_korean_400(client, officer, report):
    client.force_login(officer)
    response = client.post(f"/reports/{report.pk}/edit/", {f"f{i}": "x" for i in range(20)})
    korean_page(response, 400, "입력 항목이 너무 많습니다")


@pytest.mark.django_db
@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1024)
def test_an_oversized_field_gets_a_korean_400(client, officer, report):
    client.force_login(officer)
    response = client.post(f"/reports/{report.pk}/edit/", {"report-achievements": "가" * 2000})
    korean_page(response, 400, "받을 수 있는 크기를 넘었습니다")


@pytest.mark.django_db
def test_a_foreign_host_header_gets_the_korean_400(client):
    korean_page(
        client.get("/", HTTP_HOST="evil.example", HTTP_REFERER="http://evil.example/"), 400, "요청을 처리할 수 없습니다"
    )


@pytest.mark.django_db
def test_a_nul_character_gets_the_korean_400_page(client, officer, report):
    client.force_login(officer)
    response = client.post(f"/reports/{report.pk}/edit/", {"report-achievements": "추진\x00실적"})
    korean_page(response, 400, "쓸 수 없는 제어 문자(널 문자)")


@pytest.mark.django_db
@override_settings(MAX_REQUEST_BYTES=1024 * 1024)
def test_an_oversized_request_gets_a_korean_413(client, officer, report):
    client.force_login(officer)
    response = client.post(f"/reports/{report.pk}/edit/", {"report-achievements": "가" * 400_000})
    korean_page(response, 413, "한 번에 1MB까지")


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_a_server_error_is_korean_500():
    client = Client(raise_request_exception=False)
    korean_page(client.get("/broken/"), 500, "일시적인 서버 오류가 발생했습니다")
