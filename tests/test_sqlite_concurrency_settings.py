"""The embedded SQLite database runs in WAL mode with IMMEDIATE transactions and a busy timeout."""

import copy

import pytest
from django.db import connections
from django.db.backends.sqlite3.base import DatabaseWrapper


@pytest.mark.django_db
def test_sqlite_file_database_uses_wal_and_immediate_transactions(tmp_path):
    config = copy.deepcopy(connections.settings["default"])
    if config["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("runs against PostgreSQL in this job")
    config["NAME"] = str(tmp_path / "portal.sqlite3")
    wrapper = DatabaseWrapper(config, alias="wal-check")
    try:
        with wrapper.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
            cursor.execute("PRAGMA busy_timeout")
            assert cursor.fetchone()[0] >= 5000
        assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    finally:
        wrapper.close()
