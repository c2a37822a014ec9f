"""Database backup and restore: SQLite through its online backup API, PostgreSQL through pg_dump/pg_restore.

Both work on the live Django connection's database (the same code serves the production file, a
PostgreSQL server and the tests' in-memory SQLite database). Evidence files under PRIVATE_MEDIA_ROOT
are not in the database and are backed up separately (see README).
"""

import datetime
import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"


class BackupError(Exception):
    """A backup or restore that could not be done; the message, in Korean, tells the operator why."""


def default_backup_path(*, using: str = DEFAULT_DB_ALIAS, now: datetime.datetime | None = None) -> Path:
    """var/backups/gov30-<local time>.sqlite3 (SQLite) or .dump (pg_dump custom format)."""
    extension = "sqlite3" if connections[using].vendor == "sqlite" else "dump"
    stamp = timezone.localtime(now or timezone.now()).strftime("%Y%m%d-%H%M%S")
    return Path(settings.BACKUP_DIR) / f"gov30-{stamp}.{extension}"


def database_backup(*, path: Path, using: str = DEFAULT_DB_ALIAS) -> Path:
    """Write one consistent snapshot of the database to ``path`` (readable by its owner only)."""
    connection = connections[using]
    _ensure_outside_transaction(connection)
    if path.exists():
        raise BackupError(f"이미 있는 파일에는 백업하지 않습니다: {path}")
    path.parent.mkdir(parents=True, exist_ok=True)
    # Created empty and private first: a backup holds password hashes.
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    try:
        if connection.vendor == "sqlite":
            _sqlite_backup(connection, path)
        else:
            _run("pg_dump", ["--format=custom", "--file", str(path), *_pg_connection_args(connection)], connection)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path


def database_restore(*, path: Path, using: str = DEFAULT_DB_ALIAS) -> bool:
    """Replace the whole database with the backup at ``path``.

    Returns False when the backup's schema is older than the code (``migrate`` then brings it up).
    """
    connection = connections[using]
    if connection.vendor == "sqlite":
        _check_sqlite_backup(path)
        _ensure_outside_transaction(connection)
        _sqlite_restore(connection, path)
    else:
        _check_header(path, PG_DUMP_MAGIC, "PostgreSQL(pg_dump)")
        _ensure_outside_transaction(connection)
        _pg_restore(connection, path)
    ContentType.objects.clear_cache()
    return schema_is_current(using=using)


def _ensure_outside_transaction(connection: BaseDatabaseWrapper) -> None:
    # Inside a transaction SQLite's backup waits forever on our own lock, and pg_dump would miss
    # the uncommitted rows.
    if connection.in_atomic_block:
        raise BackupError("트랜잭션 안에서는 백업하거나 복원할 수 없습니다.")


def schema_is_current(*, using: str = DEFAULT_DB_ALIAS) -> bool:
    executor = MigrationExecutor(connections[using])
    return not executor.migration_plan(executor.loader.graph.leaf_nodes())


# ---------------------------------------------------------------- SQLite


def _sqlite_backup(connection: BaseDatabaseWrapper, path: Path) -> None:
    connection.ensure_connection()
    with closing(sqlite3.connect(path)) as target:
        connection.connection.backup(target)
        _ensure_intact(target, path)


def _sqlite_restore(connection: BaseDatabaseWrapper, path: Path) -> None:
    # A fresh connection holds no transaction; backup() into it replaces every page at once.
    connection.close()
    connection.ensure_connection()
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as source:
        source.backup(connection.connection)


def _check_sqlite_backup(path: Path) -> None:
    _check_header(path, SQLITE_MAGIC, "SQLite")
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as source:
        _ensure_intact(source, path)
        found = source.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'django_migrations'")
        if found.fetchone() is None:
            raise BackupError(f"gov30 데이터베이스의 백업이 아닙니다: {path}")


def _ensure_intact(database: sqlite3.Connection, path: Path) -> None:
    result = database.execute("PRAGMA integrity_check").fetchone()[0]
    if result != "ok":
        raise BackupError(f"백업 파일이 손상되었습니다 ({result}): {path}")


# ---------------------------------------------------------------- PostgreSQL


def _pg_restore(connection: BaseDatabaseWrapper, path: Path) -> None:
    connections.close_all()  # pg_restore drops the tables: no open transaction may hold them
    args = ["--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error"]
    _run("pg_restore", [*args, *_pg_connection_args(connection), str(path)], connection)


def _pg_connection_args(connection: BaseDatabaseWrapper) -> list[str]:
    params = connection.settings_dict
    args = ["--no-password"]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if params.get(key):
            args += [flag, str(params[key])]
    return [*args, "--dbname", params["NAME"]]


def _pg_env(connection: BaseDatabaseWrapper) -> dict[str, str]:
    params = connection.settings_dict
    env = dict(os.environ)
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = params["PASSWORD"]
    if params.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = params["OPTIONS"]["sslmode"]
    return env


def _run(tool: str, args: list[str], connection: BaseDatabaseWrapper) -> None:
    executable = shutil.which(tool)
    if executable is None:
        raise BackupError(f"{tool} 명령을 찾을 수 없습니다. PostgreSQL 클라이언트(postgresql-client)를 설치하세요.")
    result = subprocess.run([executable, *args], env=_pg_env(connection), capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{tool} 실행에 실패했습니다: {result.stderr.strip()}")


# ---------------------------------------------------------------- files


def _check_header(path: Path, magic: bytes, kind: str) -> None:
    if not path.is_file():
        raise BackupError(f"백업 파일이 없습니다: {path}")
    with path.open("rb") as file:
        if file.read(len(magic)) != magic:
            raise BackupError(f"이 데이터베이스에 맞는 {kind} 백업 파일이 아닙니다: {path}")
