import json
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand

from initiatives.models import Department
from initiatives.selectors import plan_latest
from reports.models import ReportingPeriod
from reports.progress import permissions, services
from reports.progress.sample import sample_progress_load

DEMO_LOGINS = Path(settings.BASE_DIR) / ".demo-logins"


class Command(BaseCommand):
    help = (
        "데모 실행 준비: 마이그레이션, 2017 계획 적재, 역할과 데모 계정(부서별 담당자, 검토자, 관리자) 생성, "
        "보고 분기 준비. 여러 번 실행해도 안전합니다. 데모 전용입니다."
    )

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000/")
        parser.add_argument(
            "--sample",
            action="store_true",
            help="1~3분기 예시 실적(예시 자료로 표시)을 함께 만듭니다 (보고가 없을 때만).",
        )

    def handle(self, *args, url: str, sample: bool, **options):
        call_command("migrate", interactive=False, verbosity=0)
        call_command("load_plan", stdout=self.stdout)
        plan = plan_latest()
        logins = self._demo_accounts()
        if sample:
            officers = {
                d.pk: d.members.order_by("username").first() for d in Department.objects.filter(tasks__plan=plan)
            }
            created = sample_progress_load(
                plan=plan, officers=officers, reviewer=get_user_model().objects.get(username="reviewer")
            )
            self.stdout.write(
                f"예시 실적 보고 {created}건을 만들었습니다 (화면에 '예시 자료'로 표시)."
                if created
                else "보고가 이미 있어 예시 실적을 만들지 않았습니다."
            )
        periods = services.periods_ensure(plan=plan)
        if all(p.state == ReportingPeriod.State.SCHEDULED for p in periods):
            # First run only: open Q1 so that the demo has something to report on.
            ReportingPeriod.objects.filter(pk=periods[0].pk).update(state=ReportingPeriod.State.OPEN)
        self.stdout.write(self.style.SUCCESS(f"포털 주소: {url}"))
        self.stdout.write(f"로그인: {url}accounts/login/   관리 화면: {url}admin/")
        self.stdout.write("데모 계정 (데모 전용, 비밀번호는 .demo-logins 파일에도 있습니다):")
        for username, (role, label, password) in logins.items():
            self.stdout.write(f"  {role:<8} {username:<12} / {password}   {label}")

    def _demo_accounts(self) -> dict[str, tuple[str, str, str]]:
        officer_group, reviewer_group, admin_group = permissions.ensure_roles_exist()
        passwords = json.loads(DEMO_LOGINS.read_text(encoding="utf-8")) if DEMO_LOGINS.exists() else {}
        accounts: dict[str, tuple[str, str, str]] = {}
        admin = self._account("admin", "관리자", admin_group, passwords, superuser=True)
        accounts["admin"] = ("관리자", admin.first_name, passwords["admin"])
        self._account("reviewer", "정보기획담당관 검토자", reviewer_group, passwords)
        accounts["reviewer"] = ("검토자", "정보기획담당관 검토자", passwords["reviewer"])
        departments = Department.objects.filter(tasks__isnull=False).distinct().order_by("pk")
        for index, department in enumerate(departments, start=1):
            username = f"officer{index:02d}"
            user = self._account(username, f"{department.name} 담당자", officer_group, passwords)
            department.members.add(user)
            accounts[username] = ("부서 담당자", department.name, passwords[username])
        DEMO_LOGINS.write_text(json.dumps(passwords, ensure_ascii=False, indent=1), encoding="utf-8")
        DEMO_LOGINS.chmod(0o600)
        return accounts

    def _account(self, username: str, name: str, group: Group, passwords: dict, superuser: bool = False):
        users = get_user_model().objects
        user = users.filter(username=username).first()
        if user is None or username not in passwords:
            passwords[username] = secrets.token_urlsafe(9)
            user = user or users.create_user(username, password=passwords[username])
            user.set_password(passwords[username])
        user.first_name = name
        # an address in the reserved .invalid domain, so that the demo's reminders are written (var/mail/ in the
        # run command) and can never reach anyone if a real mail server is configured
        user.email = user.email or f"{username}@demo.invalid"
        user.is_staff = user.is_superuser = superuser
        user.save()
        user.groups.add(group)
        return user
