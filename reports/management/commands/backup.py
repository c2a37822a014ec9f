from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from reports.backups import BackupError, database_backup, default_backup_path


class Command(BaseCommand):
    help = "데이터베이스 전체를 일관된 상태로 백업합니다 (SQLite 온라인 백업 또는 pg_dump)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "-o", "--output", type=Path, help="백업 파일 경로 (기본: var/backups/gov30-<일시>.sqlite3 또는 .dump)"
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="백업할 데이터베이스 별칭")

    def handle(self, *args, output: Path | None, database: str, **options) -> None:
        path = output or default_backup_path(using=database)
        try:
            database_backup(path=path, using=database)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"백업했습니다: {path} ({path.stat().st_size:,}바이트)"))
