"""The admin in Korean: app and model names (django-axes included), permissions, the export page, the
import result message; and the project's compiled catalogue matches its source."""

import gettext
import shutil
import subprocess
from pathlib import Path

import pytest
import tablib
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from initiatives.resources import MilestoneResource
from tests.korean_text import english_in, visible_text

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "ko" / "LC_MESSAGES"


@pytest.fixture
def admin_client(client, db):
    client.force_login(get_user_model().objects.create_superuser("관리 책임자", "", "pw-for-tests-only"))
    return client


def test_admin_index_names_every_app_and_model_in_korean(admin_client):
    text = visible_text(admin_client.get("/admin/").content.decode())
    for name in ("로그인 제한", "로그인 실패 기록", "접속 기록", "실행계획", "예산", "실적 보고·평가", "대표과제"):
        assert name in text
    assert not english_in(text), english_in(text)


@pytest.mark.parametrize("app", ["axes", "initiatives", "budgets", "reports", "auth"])
def test_each_app_list_is_korean(admin_client, app):
    text = visible_text(admin_client.get(f"/admin/{app}/").content.decode())
    assert not english_in(text), english_in(text)


def test_role_screen_names_permissions_in_korean(admin_client):
    text = visible_text(admin_client.get("/admin/auth/group/add/").content.decode())
    assert "로그인 제한 | 로그인 실패 기록 | 추가" in text and "Can add" not in text


def test_export_page_names_columns_in_korean(admin_client):
    text = visible_text(admin_client.get("/admin/initiatives/milestone/export/").content.decode())
    assert "모두 선택" in text and "다음 열을 내보냅니다" in text
    assert not english_in(text), english_in(text)


@pytest.mark.django_db
def test_import_result_message_is_korean(admin_client):
    dataset = MilestoneResource().export()
    content = tablib.Dataset(*[list(r) for r in dataset], headers=dataset.headers).export("csv").encode("utf-8")
    preview = admin_client.post(
        "/admin/initiatives/milestone/import/",
        {"resource": "0", "format": "1", "import_file": SimpleUploadedFile("m.csv", content)},
    )
    confirm = preview.context["confirm_form"]
    done = admin_client.post(
        "/admin/initiatives/milestone/process_import/", {**confirm.initial, "resource": "0"}, follow=True
    )
    messages = [str(m) for m in done.context["messages"]]
    assert any(m.startswith("가져오기를 마쳤습니다(추진일정): 새로 추가 0건") for m in messages), messages
    assert not any("Import finished" in m for m in messages)


def test_compiled_catalogue_matches_its_source(tmp_path):
    """The committed django.mo is what msgfmt makes of django.po (the README's run needs no gettext)."""
    if not shutil.which("msgfmt"):
        pytest.skip("msgfmt not installed (apt-get install gettext); CI installs it")
    subprocess.run(["msgfmt", "--check", "-o", str(tmp_path / "django.mo"), str(CATALOGUE / "django.po")], check=True)

    def catalogue(path: Path) -> dict:
        with path.open("rb") as handle:
            return gettext.GNUTranslations(handle)._catalog

    assert catalogue(CATALOGUE / "django.mo") == catalogue(tmp_path / "django.mo")
