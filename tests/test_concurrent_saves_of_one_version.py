"""Two saves of the same form at the same moment on PostgreSQL: one is stored, the other is refused as stale.

The second save's claim waits on the first one's row lock; when the first commits, PostgreSQL checks the
claim's conditions again against the row's new version. A condition reached through a join would still see
the old version there and let both saves through (a lost update that SQLite, one writer at a time, never shows).
"""

import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.test import Client

from reports.models import ProgressReport, ReportEvent
from reports.progress import services
from tests.conftest import post_data


@pytest.fixture(scope="module")
def _plan_restored_afterwards(django_db_setup, django_db_blocker):
    """Threads need committed data, so the database is flushed after the test; put the plan back (after the
    flush: a module's teardown comes after its tests')."""
    yield
    with django_db_blocker.unblock():
        call_command("load_plan", verbosity=0, stdout=StringIO())


def waiting_on_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite takes one writer at a time: the race needs row locks (runs in CI's PostgreSQL pass)",
)
@pytest.mark.django_db(transaction=True)
def test_the_second_of_two_simultaneous_saves_is_refused(_plan_restored_afterwards, report, officer, monkeypatch):
    first_holds = threading.Event()
    release = threading.Event()
    write_rows = services._write_rows

    def held(changed):  # the first save stops inside its transaction, after its claim
        if threading.current_thread().name == "first":
            first_holds.set()
            release.wait(timeout=60)
        write_rows(changed)

    monkeypatch.setattr(services, "_write_rows", held)
    statuses = {}

    def save(name: str) -> None:
        client = Client()
        client.force_login(officer)
        data = post_data(ProgressReport.objects.get(pk=report.pk), **{"report-achievements": f"{name} 창"})
        try:
            statuses[name] = client.post(f"/reports/{report.pk}/edit/", data).status_code
        finally:
            connections.close_all()

    first = threading.Thread(target=save, args=("first",), name="first")
    first.start()
    assert first_holds.wait(timeout=60)
    second = threading.Thread(target=save, args=("second",), name="second")
    second.start()
    for _ in range(600):  # until the second save waits on the first one's lock (or has finished)
        if waiting_on_a_lock() or not second.is_alive():
            break
        second.join(timeout=0.1)
    release.set()
    first.join(timeout=60)
    second.join(timeout=60)
    assert statuses == {"first": 302, "second": 409}
    assert ProgressReport.objects.get(pk=report.pk).achievements == "first 창"
    saves = ReportEvent.objects.filter(report=report, action=ReportEvent.Action.SAVE)
    assert [c["new"] for e in saves for c in e.changes if c["field"] == "achievements"] == ["first 창"]
