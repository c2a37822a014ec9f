"""The README's two commands: CI runs the test one; setup_portal is the run one's set-up step."""

import json
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command

ROOT = Path(settings.BASE_DIR)


def readme_commands() -> list[str]:
    return re.findall(r"^    (python3 -m venv .*)$", (ROOT / "README.md").read_text(encoding="utf-8"), re.M)


def test_readme_has_a_run_and_a_test_command():
    run, test = readme_commands()[:2]
    assert "setup_portal" in run and "runserver 127.0.0.1:8000" in run
    assert test.endswith("-m pytest")


def test_ci_runs_the_readme_test_command_on_both_databases():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert readme_commands()[1] in ci
    assert "DATABASE_URL=postgres://" in ci and "apt-get install" in ci and "postgresql" in ci


@pytest.mark.django_db
def test_setup_portal_prints_url_and_demo_logins_and_is_idempotent(tmp_path, monkeypatch):
    from initiatives.models import Department
    from reports.management.commands import setup_portal
    from reports.progress import permissions

    monkeypatch.setattr(setup_portal, "DEMO_LOGINS", tmp_path / ".demo-logins")
    first, second = StringIO(), StringIO()
    call_command("setup_portal", stdout=first)
    passwords = json.loads((tmp_path / ".demo-logins").read_text())
    call_command("setup_portal", stdout=second)
    assert "http://127.0.0.1:8000/" in first.getvalue()
    users = get_user_model().objects
    owning = Department.objects.filter(tasks__isnull=False).distinct()
    assert users.filter(groups__name=permissions.OFFICER).count() == owning.count() == 15
    assert all(d.members.filter(groups__name=permissions.OFFICER).count() == 1 for d in owning)
    assert permissions.is_reviewer(users.get(username="reviewer"))
    assert permissions.is_administrator(users.get(username="admin"))
    for username, password in passwords.items():
        assert f"{username:<12} / {password}" in first.getvalue()
        assert f"{username:<12} / {password}" in second.getvalue()
        assert users.get(username=username).check_password(password)
    assert users.count() == 17


@pytest.mark.django_db
def test_migrations_are_complete():
    call_command("makemigrations", "--check", "--dry-run", stdout=StringIO())


def test_ruff_finds_nothing():
    result = subprocess.run([sys.executable, "-m", "ruff", "check", str(ROOT)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
