import signal
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "포털을 실행합니다: 웹 서버(runserver)와 그 옆의 백그라운드 작업자(run_worker)를 함께 시작하고, "
        "웹 서버를 끝내면(Ctrl+C) 작업자도 끝냅니다. 운영에서는 gunicorn과 run_worker를 따로 실행하세요(README)."
    )

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000", help="주소:포트 (기본 127.0.0.1:8000)")

    def handle(self, *args, addrport: str, **options):
        manage = Path(settings.BASE_DIR) / "manage.py"
        worker = subprocess.Popen([sys.executable, str(manage), "run_worker", "--verbosity", "0"])
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # stopped by a signal, the worker is stopped too
        try:
            # no autoreloader: it would run this command (and a second worker) again in a child process
            call_command("runserver", addrport, use_reloader=False)
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
