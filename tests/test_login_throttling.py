"""django-axes: five wrong passwords lock that username from that address for 15 minutes."""

import pytest
from django.conf import settings

from tests.conftest import make_user

PASSWORD = "pw-for-tests-only"


def attempt(client, username: str, password: str, url: str = "/accounts/login/"):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR="10.0.0.7")


@pytest.fixture
def user(db):
    return make_user("throttled-officer", None)


def test_five_wrong_passwords_lock_out_even_the_right_one(client, user):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "throttled-officer", "wrong-password")

    response = attempt(client, "throttled-officer", PASSWORD)

    assert response.status_code == 429
    text = response.content.decode()
    assert "비밀번호를 5회 잘못 입력하여 이 계정의 로그인이 잠겼습니다." in text
    assert "15분 뒤에 다시 시도하세요." in text
    assert "_auth_user_id" not in client.session


def test_fewer_failures_do_not_lock_and_a_success_resets_the_count(client, user):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, "throttled-officer", "wrong-password").status_code == 200

    assert attempt(client, "throttled-officer", PASSWORD).status_code == 302
    client.post("/accounts/logout/")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "throttled-officer", "wrong-password")
    assert attempt(client, "throttled-officer", PASSWORD).status_code == 302


def test_lockout_is_per_username_and_address(client, user):
    other = make_user("other-officer", None)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "throttled-officer", "wrong-password")

    assert attempt(client, other.get_username(), PASSWORD).status_code == 302
    response = client.post(
        "/accounts/login/", {"username": "throttled-officer", "password": PASSWORD}, REMOTE_ADDR="10.0.0.8"
    )
    assert response.status_code == 302


def test_the_admin_login_is_throttled_too(client, user):
    user.is_staff = True
    user.save()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "throttled-officer", "wrong-password", url="/admin/login/")

    response = attempt(client, "throttled-officer", PASSWORD, url="/admin/login/")

    assert response.status_code == 429
    assert "로그인이 잠겼습니다" in response.content.decode()
