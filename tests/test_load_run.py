"""The load run's client submits forms as a browser would, stays on loopback, and checks every save."""

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


@pytest.mark.django_db(transaction=True)
def test_load_run_against_a_live_server_saves_are_all_in_the_database(_plan_restored_afterwards, live_server):
    # The load run is a PostgreSQL measurement: pytest's in-memory SQLite test database is one connection
    # shared by the live server's threads, so concurrent requests collide there ("transaction within a
    # transaction"); CI runs this test in its PostgreSQL pass.
    if connection.vendor == "sqlite":
        pytest.skip("concurrent load needs a real database server (runs in CI's PostgreSQL pass)")
    synthetic_generate(Spec(tasks=16, years=1, seed=2, last_year=2018))  # the latest plan: pages show it
    users, password, plan = loadrun.prepare(users=2, reviewers=1)
    result = loadrun.run(url=live_server.url, users=users, password=password, plan=plan, seconds=2)
    assert {s.action for s in result.samples} >= {"보고 저장"}
    assert result.errors == 0, [f for u in result.users for f in u.failures]
    found, missing = loadrun.verify(result)
    assert found == len(result.saves) > 0 and missing == []
    assert "처리량" in loadrun.summary(result)[-1]
