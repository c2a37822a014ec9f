import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand

DEMO_LOGINS = Path(settings.BASE_DIR) / ".demo-logins"


class Command(BaseCommand):
    help = "데모 실행 준비: 마이그레이션, 2017 계획 적재, 관리자 계정 생성(처음 한 번). 여러 번 실행해도 안전합니다."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000/")

    def handle(self, *args, url: str, **options):
        call_command("migrate", interactive=False, verbosity=0)
        call_command("load_plan", stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(f"포털 주소: {url}"))
        self.stdout.write(f"관리자 로그인: {url}admin/  계정 admin / 비밀번호 {self._admin_password()}")

    def _admin_password(self) -> str:
        """Create the demo administrator once; the password is kept in .demo-logins (git-ignored)."""
        users = get_user_model().objects
        if users.filter(username="admin").exists() and DEMO_LOGINS.exists():
            return DEMO_LOGINS.read_text(encoding="utf-8").strip()
        password = secrets.token_urlsafe(12)
        admin = users.filter(username="admin").first() or users.create_superuser("admin", "", password)
        admin.set_password(password)
        admin.save()
        DEMO_LOGINS.write_text(password, encoding="utf-8")
        DEMO_LOGINS.chmod(0o600)
        return password
