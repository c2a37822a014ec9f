"""The README's two commands: CI runs the test one; setup_portal is the run one's set-up step."""

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
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
    assert "setup_portal" in run and "run_portal 127.0.0.1:8000" in run
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
    assert all(u.email == f"{u.username}@demo.invalid" for u in users.all())  # the demo's reminders are mailed


@pytest.mark.django_db
def test_migrations_are_complete():
    call_command("makemigrations", "--check", "--dry-run", stdout=StringIO())


def test_ruff_finds_nothing():
    result = subprocess.run([sys.executable, "-m", "ruff", "check", str(ROOT)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_readme_run_command_runs_the_portal_as_users_see_it():
    run = readme_commands()[0]
    assert "DJANGO_DEBUG=0 DJANGO_LOCAL_HTTP=1 " in run.split("setup_portal")[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url: str) -> tuple[int, dict, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


@pytest.fixture
def run_command_server(tmp_path):
    """``manage.py run_portal`` (the web server and its worker) started with the README run command's environment,
    on a free port, on a migrated database of its own."""
    run = readme_commands()[0]
    env = dict(re.findall(r"(DJANGO_\w+)=(\S+)", run.split("setup_portal")[1]))
    env = {**os.environ, **env, "SQLITE_PATH": str(tmp_path / "db.sqlite3"), "DJANGO_SETTINGS_MODULE": "gov30.settings"}
    for name in ("DJANGO_SECRET_KEY", "DATABASE_URL", "GOV30_TASK_BACKEND"):
        env.pop(name, None)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "run_portal", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None:
                    break
                time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)
        for _ in range(100):  # the worker ends with it
            if not processes_on(env["SQLITE_PATH"]):
                break
            time.sleep(0.2)
        assert not processes_on(env["SQLITE_PATH"]), "the run command left its worker running"


def test_run_command_shows_korean_error_pages_over_plain_http(run_command_server):
    status, _, page = get(f"{run_command_server}/no-such-page/")
    assert status == 404 and "페이지를 찾을 수 없습니다" in page and "계획 개요로 가기" in page
    assert "URLconf" not in page and "DEBUG = True" not in page  # not Django's technical 404
    status, headers, page = get(f"{run_command_server}/accounts/login/")
    assert status == 200, "no redirect to https"
    assert "csrftoken=" in headers.get("Set-Cookie", "") and "Secure" not in headers["Set-Cookie"]
    assert get(f"{run_command_server}/static/css/gov30.css")[0] == 200  # whitenoise, without collectstatic
    assert get(f"{run_command_server}/static/img/favicon.svg")[0] == 200


def processes_on(database: str) -> list[int]:
    """The processes started with ``SQLITE_PATH=database`` (the run command's web server and worker)."""
    found = []
    for environ in Path("/proc").glob("[0-9]*/environ"):
        try:
            if f"SQLITE_PATH={database}".encode() in environ.read_bytes().split(b"\0"):
                found.append(int(environ.parent.name))
        except OSError:
            continue
    return found


def test_the_run_command_starts_the_worker_beside_the_web_server(run_command_server, tmp_path):
    """The worker runs the schedule's first reminder job at once; stopping the run command stops it too."""
    import sqlite3

    database = str(tmp_path / "db.sqlite3")
    state = None
    for _ in range(300):
        with sqlite3.connect(database, timeout=10) as db:
            row = db.execute("SELECT state FROM reports_job WHERE key LIKE 'reminders:%'").fetchone()
        state = row and row[0]
        if state == "succeeded":
            break
        time.sleep(0.2)
    assert state == "succeeded"
    assert len(processes_on(database)) == 2  # the web server and its worker
