import logging
import threading

import django_rq
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django_tasks_rq import Job
from rq import SimpleWorker

from reports.jobs.services import schedule

logger = logging.getLogger(__name__)
TICK_SECONDS = 60


def _keep_schedule(stop: threading.Event) -> None:
    """Once a minute: the schedule's jobs of this slot, and the jobs whose worker went quiet enqueued again."""
    while not stop.wait(TICK_SECONDS):
        close_old_connections()
        try:
            schedule()
        except Exception:  # a database that is away for a minute must not end the worker
            logger.exception("the schedule could not be kept this minute")


class Command(BaseCommand):
    help = (
        "백그라운드 작업자를 실행합니다: 대기 중인 작업(평가 자료 엑셀, 큰 엑셀 보고 미리보기, 알림·메일, 분기 진단 "
        "재산출)을 처리하고, 1분마다 정해진 작업(알림 몇 분마다, 분기 진단 매일 밤)을 넣습니다. 웹 서버 옆에서 "
        "계속 실행하세요. 작업자를 여러 개 실행해도 같은 작업은 한 번만 처리됩니다."
    )

    def add_arguments(self, parser):
        parser.add_argument("--burst", action="store_true", help="기다리는 작업을 모두 처리하고 끝냅니다.")
        parser.add_argument("--no-schedule", action="store_true", help="정해진 작업을 넣지 않고 처리만 합니다.")
        parser.add_argument(
            "--in-process",
            action="store_true",
            help="(RQ) 작업마다 프로세스를 나누지 않고 이 프로세스에서 처리합니다.",
        )

    def handle(self, *args, burst: bool, no_schedule: bool, in_process: bool, **options):
        stop = threading.Event()
        if not no_schedule:
            schedule()
            if not burst:
                threading.Thread(target=_keep_schedule, args=(stop,), name="gov30-schedule", daemon=True).start()
        try:
            if settings.GOV30_TASK_BACKEND == "rq" and in_process:
                # no fork, and this process's database connection kept (rqworker closes it before forking)
                django_rq.get_worker("default", job_class=Job, worker_class=SimpleWorker).work(burst=burst)
            elif settings.GOV30_TASK_BACKEND == "rq":
                call_command(
                    "rqworker", "default", job_class="django_tasks_rq.Job", burst=burst, verbosity=options["verbosity"]
                )
            else:
                call_command(
                    "db_worker", batch=burst, reload=False, startup_delay=not burst, verbosity=options["verbosity"]
                )
        finally:
            stop.set()
