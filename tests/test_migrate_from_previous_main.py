"""A database made by the previous main (ca5f81d, before the layout move) migrates to this code with every row kept.

The old code, checked out of git history, makes a demo database with sample progress and stored assessments;
this code then migrates the same file. Both run as subprocesses on their own SQLite file whatever the suite's
database is: on PostgreSQL the test would have to create and drop a database of its own, and the migrations it
guards (a table created, rows copied by the ORM, a column dropped) use nothing backend-specific.
"""

import importlib
import io
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings

PREVIOUS_MAIN = "ca5f81d"
ROOT = Path(settings.BASE_DIR)
# Rows this code's migrate adds by itself: its own migrations, and the content type and permissions of its new model.
BOOKKEEPING = {"django_migrations", "django_content_type", "auth_permission"}

Snapshot = dict[str, tuple[list[str], list[tuple]]]  # table → (columns, rows)
# Values a migration rewrites on purpose: the stored status became a TaskStatus code.
RECODED = {
    ("reports_taskassessment", "status"): importlib.import_module("reports.migrations.0005_task_status_choices").CODES
}


def _unavailable(reason: str) -> None:
    message = f"cannot check the migration from the previous main ({PREVIOUS_MAIN}): {reason}"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def _checkout(target: Path) -> Path:
    """The previous main's files (``git archive``: no worktree left behind in the repository)."""
    if shutil.which("git") is None:
        _unavailable("git is not installed")
    archive = subprocess.run(["git", "-C", ROOT, "archive", PREVIOUS_MAIN], capture_output=True)
    if archive.returncode != 0:
        _unavailable(f"git archive failed (a shallow clone?): {archive.stderr.decode(errors='replace').strip()}")
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(target, filter="data")
    return target


def _manage(cwd: Path, database: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"}
    env |= {"DJANGO_SETTINGS_MODULE": "gov30.settings", "SQLITE_PATH": str(database), "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{' '.join(args)} in {cwd} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _code_of(cwd: Path, database: Path) -> Path:
    """Which tree the subprocess imports (an editable install of another checkout must not win)."""
    return Path(_manage(cwd, database, "-c", "import reports; print(reports.__file__)").strip()).resolve().parent.parent


def _snapshot(database: Path) -> Snapshot:
    with sqlite3.connect(database) as connection:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        snapshot = {}
        for table in tables:
            cursor = connection.execute(f'SELECT * FROM "{table}"')
            snapshot[table] = ([c[0] for c in cursor.description], cursor.fetchall())
    connection.close()
    return snapshot


def _rows(snapshot: Snapshot, table: str, columns: list[str], *, recode: bool = False) -> Counter:
    """The rows' values in ``columns``; ``recode`` maps the old values that a migration rewrites on purpose."""
    names, rows = snapshot[table]
    positions = [names.index(c) for c in columns]
    codes = [RECODED.get((table, c), {}) if recode else {} for c in columns]
    return Counter(tuple(code.get(row[p], row[p]) for p, code in zip(positions, codes)) for row in rows)


def _pairs(snapshot: Snapshot, table: str, key: str, value: str) -> dict:
    names, rows = snapshot[table]
    return {row[names.index(key)]: row[names.index(value)] for row in rows}


def _revisions(snapshot: Snapshot) -> dict[int, int]:
    """Task pk → revision, in either layout (a task without a TaskRevision row is at 0)."""
    if "revision" in snapshot["initiatives_task"][0]:
        return _pairs(snapshot, "initiatives_task", "id", "revision")
    stored = _pairs(snapshot, "reports_taskrevision", "task_id", "revision")
    return {pk: stored.get(pk, 0) for pk in _pairs(snapshot, "initiatives_task", "id", "id")}


@pytest.fixture(scope="module")
def migrated(tmp_path_factory) -> tuple[Snapshot, Snapshot, Path]:
    """The previous main's demo database, as it made it and after this code's ``migrate``."""
    workdir = tmp_path_factory.mktemp("previous-main")
    old_tree, database = _checkout(workdir / "tree"), workdir / "db.sqlite3"
    assert _code_of(old_tree, database) == old_tree.resolve() and _code_of(ROOT, database) == ROOT.resolve()
    _manage(old_tree, database, "manage.py", "migrate", "--no-input")
    _manage(old_tree, database, "manage.py", "setup_portal", "--sample")
    _manage(old_tree, database, "manage.py", "refresh_assessments")
    before = _snapshot(database)
    _manage(ROOT, database, "manage.py", "migrate", "--no-input")
    return before, _snapshot(database), database


def test_the_old_database_has_what_the_move_must_keep(migrated):
    before, _, _ = migrated
    assert any(_revisions(before).values()), "no task with a revision above 0: the copy would go unchecked"
    assert before["reports_taskassessment"][1] and before["reports_progressreport"][1]


def test_every_row_of_every_table_is_kept(migrated):
    before, after, _ = migrated
    assert set(before) <= set(after), f"tables gone: {set(before) - set(after)}"
    dropped = {(t, c) for t, (columns, _) in before.items() for c in columns if c not in after[t][0]}
    assert dropped == {("initiatives_task", "revision")}
    for table, (columns, _) in before.items():
        kept = [c for c in columns if c in after[table][0]]
        old, new = _rows(before, table, kept, recode=True), _rows(after, table, kept)
        if table in BOOKKEEPING:
            assert not old - new, f"{table}: rows lost"
        else:
            assert new == old, f"{table}: {sum(old.values())} rows before, {sum(new.values())} after"


def test_migrate_adds_only_this_codes_own_bookkeeping(migrated):
    before, after, _ = migrated
    added = _rows(after, "django_content_type", ["app_label", "model"]) - _rows(
        before, "django_content_type", ["app_label", "model"]
    )
    new_models = {
        ("reports", "taskrevision"),
        ("reports", "notification"),
        ("reports", "mailoptout"),
        ("reports", "job"),
        ("reports", "apitoken"),
        ("django_tasks_database", "dbtaskresult"),  # the database task backend's queue
    }
    assert added == Counter(dict.fromkeys(new_models, 1))
    permissions = sum(_rows(after, "auth_permission", ["id"]).values()) - sum(
        _rows(before, "auth_permission", ["id"]).values()
    )
    assert permissions == 4 * len(new_models)  # add, change, delete, view of each new model


def test_the_revisions_moved_with_their_values(migrated):
    before, after, _ = migrated
    assert _revisions(after) == _revisions(before)
    tasks = {pk for (pk,) in _rows(after, "initiatives_task", ["id"])}
    assert {pk for (pk,) in _rows(after, "reports_taskrevision", ["task_id"])} <= tasks


def test_stored_assessments_are_still_current_after_the_move(migrated):
    _, _, database = migrated
    out = _manage(ROOT, database, "manage.py", "refresh_assessments")
    assert "0개 과제" in out, out  # none judged again: each row's revision equals its task's moved one


def test_nothing_is_left_unapplied(migrated):
    _, _, database = migrated
    plan = _manage(ROOT, database, "manage.py", "showmigrations", "--plan")
    assert "[ ]" not in plan and "[X]" in plan, plan


def test_stored_statuses_became_codes_with_their_meaning(migrated):
    before, after, _ = migrated
    old = _rows(before, "reports_taskassessment", ["status"])
    assert set(old) & {("정상",), ("주의",), ("지연",)}, (
        "the old rows hold no Korean status: the recoding goes unchecked"
    )
    codes = RECODED[("reports_taskassessment", "status")]
    assert _rows(after, "reports_taskassessment", ["status"]) == Counter({(codes[k[0]],): n for k, n in old.items()})
