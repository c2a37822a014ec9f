"""backup → wipe → restore gives back the same plan, reports and history, on SQLite and PostgreSQL."""

import re
import stat
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from initiatives.models import Plan
from reports.models import ProgressReport, ReportEvent
from reports.progress import services
from tests.conftest import complete_data


def command(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def snapshot() -> dict[str, str]:
    """export_plan's JSON and every row of every table (reports, events, users, plan, budgets …)."""
    return {"export_plan": command("export_plan", "--year", "2017"), "dumpdata": command("dumpdata", "--indent", "1")}


def reviewed_report(report, officer, reviewer) -> ProgressReport:
    report = services.report_submit(report=report, user=officer, version=report.version, data=complete_data(report))
    report = services.report_return(report=report, user=reviewer, version=report.version, comment="근거를 보완하세요.")
    return services.report_submit(report=report, user=officer, version=report.version)


# plan_reloaded_afterwards comes before transactional_db so that it tears down after the flush.
def test_backup_wipe_restore_round_trip(
    plan_reloaded_afterwards, transactional_db, report, officer, reviewer, tmp_path
):
    report = reviewed_report(report, officer, reviewer)
    assert ReportEvent.objects.filter(report=report).count() >= 4
    before = snapshot()
    backup = tmp_path / "gov30.backup"

    assert "백업했습니다" in command("backup", "-o", str(backup))
    call_command("flush", "--noinput")
    assert not Plan.objects.exists() and not ProgressReport.objects.exists()
    assert "복원했습니다" in command("restore", str(backup), "--yes")

    after = snapshot()
    assert after["export_plan"] == before["export_plan"]
    assert after["dumpdata"] == before["dumpdata"]
    # The restored database keeps working: sequences and history carry on after the restored rows.
    report = ProgressReport.objects.get(pk=report.pk)
    services.report_approve(report=report, user=reviewer, version=report.version)
    assert ReportEvent.objects.filter(report=report).latest("pk").action == "approve"


class Terminal(StringIO):
    def isatty(self) -> bool:
        return True


def test_restore_without_yes_refuses_and_changes_nothing(plan, tmp_path, monkeypatch):
    backup = tmp_path / "gov30.backup"
    backup.write_bytes(b"whatever")

    monkeypatch.setattr("sys.stdin", StringIO(""))  # not a terminal: nobody to ask
    with pytest.raises(CommandError, match="--yes"):
        command("restore", str(backup))
    monkeypatch.setattr("sys.stdin", Terminal("no\n"))  # a terminal, and the answer is not "yes"
    out = StringIO()
    with pytest.raises(CommandError, match="복원하지 않았습니다"):
        call_command("restore", str(backup), stdout=out)
    assert "현재 데이터베이스의 내용이 모두 백업 시점의 내용으로 바뀝니다" in out.getvalue()
    assert Plan.objects.filter(year=2017).exists()


def test_backup_refuses_to_run_inside_a_transaction(plan, tmp_path):
    with pytest.raises(CommandError, match="트랜잭션 안에서는"):
        command("backup", "-o", str(tmp_path / "gov30.backup"))
    assert not (tmp_path / "gov30.backup").exists()


def test_restore_refuses_a_file_that_is_not_a_backup(plan, tmp_path):
    not_a_backup = tmp_path / "plan.txt"
    not_a_backup.write_text("2017년도 서울시 정부3.0 실행계획", encoding="utf-8")

    with pytest.raises(CommandError, match="백업 파일이 아닙니다"):
        command("restore", str(not_a_backup), "--yes")
    with pytest.raises(CommandError, match="백업 파일이 없습니다"):
        command("restore", str(tmp_path / "missing.backup"), "--yes")
    assert Plan.objects.filter(year=2017).exists()


def test_backup_goes_to_a_private_dated_file_and_never_overwrites(
    plan_reloaded_afterwards, transactional_db, plan, settings, tmp_path
):
    settings.BACKUP_DIR = tmp_path / "backups"

    command("backup")

    [written] = Path(settings.BACKUP_DIR).iterdir()
    assert re.fullmatch(r"gov30-\d{8}-\d{6}\.(sqlite3|dump)", written.name)
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    with pytest.raises(CommandError, match="이미 있는 파일"):
        command("backup", "-o", str(written))
