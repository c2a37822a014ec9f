"""The load run reads forms as a browser submits them, stays on loopback, runs Locust bounded and checks every save."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from bench import loadrun
from bench.synthetic import Spec, synthetic_generate


@pytest.mark.django_db
def test_report_form_read_from_the_page_is_accepted_back(client, report, officer):
    client.force_login(officer)
    url = f"/reports/{report.pk}/edit/"
    form = loadrun.post_form(client.get(url).content.decode(), "report-version")
    assert form is not None and "csrfmiddlewaretoken" in form and form["report-version"] == str(report.version)
    assert any(name.startswith("indicator_results-") for name in form)
    form.update({"report-achievements": "[부하 시험] 저장 확인", "save": ""})
    response = client.post(url, form)
    assert response.status_code == 302 and response["Location"].endswith(f"/reports/{report.pk}/edit/")
    report.refresh_from_db()
    assert report.achievements == "[부하 시험] 저장 확인"


def test_form_reader_takes_checked_choices_and_selected_options():
    html = """<form method="post"><input type="hidden" name="a" value="1">
      <input type="radio" name="r" value="x"><input type="radio" name="r" value="y" checked>
      <select name="s"><option value="p">P</option><option value="q" selected>Q</option></select>
      <textarea name="t">
첫 줄 &amp; 둘째</textarea><button type="submit" name="save">저장</button></form>
      <form method="post"><input name="other"></form>"""
    assert loadrun.post_form(html, "a") == {"a": "1", "r": "y", "s": "q", "t": "첫 줄 & 둘째"}


@pytest.mark.parametrize("url", ["http://example.org:8000", "http://10.0.0.5:8001"])
def test_only_loopback_is_loaded(url):
    with pytest.raises(loadrun.LoadRunRefused, match="127.0.0.1"):
        loadrun.check_loopback(url)


@pytest.fixture(scope="module")
def _plan_restored_afterwards(django_db_setup, django_db_blocker):
    """The live server needs committed data, so the database is flushed after the test; put the plan back."""
    yield
    with django_db_blocker.unblock():
        call_command("load_plan", verbosity=0, stdout=StringIO())


def test_locust_runs_headless_bounded_as_a_subprocess(tmp_path):
    command = loadrun.locust_command(
        url="http://127.0.0.1:8001",
        users=50,
        seconds=60,
        login_allowance=120,
        csv=tmp_path / "l",
        user_class="PortalUser",
    )
    assert command[1:4] == ["-m", "locust", "--headless"]
    assert command[command.index("-t") + 1] == "181s" and command[command.index("-u") + 1] == "50"
    assert command[-1] == "PortalUser" and str(loadrun.LOCUSTFILE) in command


def test_the_django_process_never_imports_locust():
    import subprocess
    import sys

    from django.conf import settings

    probe = "import django; django.setup(); import bench.loadrun, bench.benchmark, sys; print('locust' in sys.modules)"
    env = {"DJANGO_SETTINGS_MODULE": "bench.settings", "PATH": "/usr/bin:/bin"}
    run = dict(capture_output=True, text=True, env=env, cwd=settings.BASE_DIR, check=True)
    finished = subprocess.run([sys.executable, "-c", probe], **run)
    assert finished.stdout.strip() == "False"


@pytest.mark.django_db
def test_the_trivial_view_answers_without_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/bench/trivial/")
    assert response.status_code == 200 and response.content.decode() == "정상"


@pytest.mark.django_db(transaction=True)
def test_load_run_through_locust_against_a_live_server_saves_are_all_in_the_database(
    _plan_restored_afterwards, live_server
):
    # The load run is a PostgreSQL measurement: pytest's in-memory SQLite test database is one connection
    # shared by the live server's threads, so concurrent requests collide there ("transaction within a
    # transaction"); CI runs this test in its PostgreSQL pass.
    if connection.vendor == "sqlite":
        pytest.skip("concurrent load needs a real database server (runs in CI's PostgreSQL pass)")
    synthetic_generate(Spec(tasks=16, years=1, seed=2, last_year=2018))  # the latest plan: pages show it
    accounts, password, plan = loadrun.prepare(users=2, reviewers=1)
    run = dict(url=live_server.url, accounts=accounts, password=password, plan=plan, login_allowance=60)
    result = loadrun.run(seconds=3, **run)
    assert {s.action for s in result.logins} == set(loadrun.LOGIN) and len(result.logins) == 4
    assert {"보고 저장", "보고 양식"} <= {s.action for s in result.samples}
    assert result.errors == 0, loadrun.failures(result)
    found, missing = loadrun.verify(result)
    assert found == len(result.saves) > 0 and missing == []
    assert "처리량" in loadrun.summary(result)[-1]
    trivial = loadrun.run(seconds=1, user_class="TrivialUser", **run)
    assert trivial.errors == 0 and trivial.rate > 0 and {s.action for s in trivial.samples} == {"빈 화면"}


def test_a_save_the_database_lacks_is_reported_missing(db):
    result = loadrun.Result("abc12345", "PortalUser", [], [], [loadrun.Save(10**9, "[부하 abc12345 x#0 1]")], 0.0, 1.0)
    found, missing = loadrun.verify(result)
    assert found == 0 and missing == result.saves


def test_window_excludes_logins_and_starts_when_everyone_is_in(tmp_path):
    import json

    lines = [
        {"action": "로그인", "start": 100.0, "seconds": 5.0, "ok": True},
        {"action": loadrun.START, "start": 110.0, "seconds": 0, "ok": True},
        {"action": "대시보드", "start": 110.5, "seconds": 0.5, "ok": True},
        {"action": "과제 표", "start": 111.0, "seconds": 1.0, "ok": False, "error": "HTTP 500"},
    ]
    (tmp_path / "s.jsonl").write_text("\n".join(json.dumps(line) for line in lines), encoding="utf-8")
    result = loadrun.read_result("r", "PortalUser", tmp_path / "s.jsonl", tmp_path / "none.jsonl", window=1.5)
    assert [s.action for s in result.samples] == ["대시보드", "과제 표"] and len(result.logins) == 1
    # the second request ends after the window: its latency counts, its completion does not
    assert result.completed == 1 and result.rate == 1 / 1.5 and result.errors == 1
    assert loadrun.failures(result) == ["과제 표: HTTP 500"]
