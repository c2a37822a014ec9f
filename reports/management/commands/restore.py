import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from reports.backups import BackupError, database_restore

WARNING = "복원하면 현재 데이터베이스의 내용이 모두 백업 시점의 내용으로 바뀝니다. 웹 서버를 먼저 멈추세요."


class Command(BaseCommand):
    help = "backup 명령으로 만든 백업 파일로 데이터베이스 전체를 되돌립니다."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path, help="backup 명령이 만든 파일")
        parser.add_argument("--yes", action="store_true", help="확인을 묻지 않고 복원합니다")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="복원할 데이터베이스 별칭")

    def handle(self, *args, file: Path, yes: bool, database: str, **options) -> None:
        if not file.is_file():
            raise CommandError(f"백업 파일이 없습니다: {file}")
        if not (yes or self.confirmed(file)):
            raise CommandError("복원하지 않았습니다. 확인 없이 복원하려면 --yes를 붙이세요.")
        try:
            current = database_restore(path=file, using=database)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"복원했습니다: {file}"))
        if not current:
            self.stdout.write(
                self.style.WARNING("백업의 스키마가 현재 코드보다 오래되었습니다. 'manage.py migrate'를 실행하세요.")
            )

    def confirmed(self, file: Path) -> bool:
        if not sys.stdin.isatty():
            return False
        self.stdout.write(WARNING)
        return input(f"{file}에서 복원하려면 yes를 입력하세요: ").strip().lower() == "yes"
