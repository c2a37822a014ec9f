"""Long work in the background (django-tasks), each test once on the database backend and once on RQ with Redis.

The evaluation workbook of a large selection and the preview of a large upload are jobs started from their pages:
a progress page, then the result for the person who asked only. The reminders and the nightly refresh are
scheduled, once per slot. A worker killed mid-way: the job is run again, with one file and one mail."""

import datetime
import os
import signal
import subprocess
import sys
import time
from io import BytesIO
from pathlib import Path
from unittest import mock
from urllib.parse import unquote
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from bench.synthetic import Spec, synthetic_generate
from initiatives.models import Plan
from reports.jobs import services as jobs
from reports.models import Job, Notification, ProgressReport
from reports.notifications.services import deliver
from reports.progress.permissions import OFFICER, REVIEWER
from reports.spreadsheets.workbook import WorkbookFilter, evaluation_workbook
from tests.conftest import make_user
from tests.test_offline_reporting import download, fill, upload

SEOUL = ZoneInfo("Asia/Seoul")
ROOT = Path(django_settings.BASE_DIR)
pg_only = pytest.mark.skipif(
    connection.vendor == "sqlite", reason="a worker in another process needs a database server (the PostgreSQL pass)"
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def work() -> None:
    """A worker in this process until the queue is empty: the test's database is this process's, inside the test's
    transaction, which the database worker's connection check would close (autocommit is off in it)."""
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("run_worker", "--burst", "--no-schedule", "--in-process", verbosity=0)


def direct_export(plan: Plan, quarter: int, now: datetime.datetime) -> bytes:
    out = BytesIO()
    evaluation_workbook(out, WorkbookFilter(plan=plan, quarter=quarter), now=now)
    return out.getvalue()


def content(response) -> bytes:
    return b"".join(response.streaming_content)


def job_files(media: Path, job: Job) -> list[str]:
    return sorted(p.name for p in (media / "jobs").glob(f"{job.pk}*"))


@pytest.fixture
def large_plan(settings):
    """1,000 tasks (a synthetic plan year 2016), above the threshold of a workbook made in the background."""
    settings.GOV30_WORKBOOK_JOB_TASKS = 200
    synthetic_generate(Spec(tasks=1000, years=1, seed=5))
    return Plan.objects.get(year=2016)


def start_workbook(client, plan: Plan) -> Job:
    response = client.get(f"/exports/workbook/?year={plan.year}&quarter=2")
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == f"/jobs/{job.pk}/"
    return job


@pytest.mark.django_db
def test_a_large_workbook_is_a_job_whose_file_is_the_direct_export(client, task_backend, reviewer, large_plan, media):
    client.force_login(reviewer)
    job = start_workbook(client, large_plan)
    assert (job.kind, job.state, job.owner, job.params["quarter"]) == ("workbook", "queued", reviewer, 2)
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "평가 자료 엑셀" in page and "대기" in page and 'value="0"' in page and "새로 고침" in page
    assert "js/job_progress.js" in page and "<script>" not in page  # the status is asked by a static script
    assert client.get(f"/jobs/{job.pk}/status/").json() == {
        "state": "queued",
        "state_label": "대기",
        "percent": 0,
        "stage": "",
        "finished": False,
    }
    assert client.get(f"/jobs/{job.pk}/download/").status_code == 404  # nothing yet
    work()
    job.refresh_from_db()
    assert (job.state, job.percent, job.attempts) == ("succeeded", 100, 1)
    assert client.get(f"/jobs/{job.pk}/status/").json()["finished"] is True
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "완료" in page and f"/jobs/{job.pk}/download/" in page and "새로 고침" not in page
    response = client.get(f"/jobs/{job.pk}/download/")
    assert response.status_code == 200 and "평가자료-2분기" in unquote(response["Content-Disposition"])
    assert content(response) == direct_export(large_plan, 2, job.created_at)
    assert job_files(media, job) == [f"{job.pk}.xlsx"]
    told = Notification.objects.get(recipient=reviewer, kind="job_done")
    assert told.path == f"/jobs/{job.pk}/" and "평가 자료 엑셀" in told.subject


@pytest.fixture
def plan_as_large(settings, plan):
    """The 2017 plan's 16 tasks, made in the background as a large selection is."""
    settings.GOV30_WORKBOOK_JOB_TASKS = 5
    return plan


@pytest.mark.django_db
def test_only_the_person_who_asked_sees_the_job_and_its_file(client, task_backend, reviewer, officer, plan_as_large):
    client.force_login(reviewer)
    job = start_workbook(client, plan_as_large)
    work()
    other_reviewer = make_user("검토자2", REVIEWER)
    for person in (other_reviewer, officer):
        client.force_login(person)
        for path in ("", "status/", "download/"):
            assert client.get(f"/jobs/{job.pk}/{path}").status_code == 404
    reviewer.groups.clear()  # no longer a reviewer: no longer their workbook either
    client.force_login(reviewer)
    assert client.get(f"/jobs/{job.pk}/download/").status_code == 404
    client.logout()
    assert client.get(f"/jobs/{job.pk}/download/").status_code == 302  # to the login page


@pytest.mark.django_db
def test_a_small_workbook_is_still_downloaded_at_once(client, reviewer, plan, settings):
    settings.GOV30_WORKBOOK_JOB_TASKS = 16
    client.force_login(reviewer)
    response = client.get("/exports/workbook/?quarter=1")
    assert response.status_code == 200 and not Job.objects.exists()


@pytest.mark.django_db
def test_the_workbook_job_tells_its_progress_sheet_by_sheet(task_backend, reviewer, plan_as_large, monkeypatch):
    seen = []
    told = jobs.JobProgress.__call__

    def watched(self, done, total, stage):
        told(self, done, total, stage)
        seen.append(Job.objects.values_list("percent", "stage").get(pk=self.job.pk))

    monkeypatch.setattr(jobs.JobProgress, "__call__", watched)
    job = jobs.job_start(
        kind=Job.Kind.WORKBOOK,
        owner=reviewer,
        params={**WorkbookFilter(plan=plan_as_large, quarter=2).params(), "name": "평가.xlsx"},
    )
    work()
    percents = [p for p, _ in seen]
    assert percents == sorted(percents) and percents[0] == 0 and percents[-1] == 99 and len(set(percents)) == 10
    assert ("과제별 실적 시트 작성 중" in {s for _, s in seen}) and seen[-1][1] == "파일 마무리 중"
    assert Job.objects.get(pk=job.pk).percent == 100


@pytest.mark.django_db
def test_a_large_upload_is_previewed_by_a_job_and_confirmed_as_a_small_one(
    client, task_backend, settings, officer, other_officer, open_q1
):
    settings.GOV30_UPLOAD_JOB_BYTES = 1  # every upload is large
    client.force_login(officer)
    response = upload(client, open_q1, fill(download(client, open_q1)))
    job = Job.objects.get(kind="upload_preview")
    assert response.status_code == 302 and response.url == f"/jobs/{job.pk}/"
    assert "엑셀 보고 미리보기" in client.get(response.url).content.decode()
    work()
    client.force_login(other_officer)
    assert client.get(f"/jobs/{job.pk}/").status_code == 404
    assert client.get(f"/offline/jobs/{job.pk}/").status_code == 404
    client.force_login(officer)
    response = client.get(f"/jobs/{job.pk}/", follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == f"/offline/jobs/{job.pk}/"
    assert "미리보기" in html and "신규" in html and "엑셀로 작성한 1분기 실적" in html
    assert not ProgressReport.objects.exists()  # nothing applied before confirming
    response = client.post(f"/offline/{open_q1.pk}/confirm/", follow=True)
    assert "반영했습니다" in response.content.decode()
    assert ProgressReport.objects.get(task__number=15).achievements == "엑셀로 작성한 1분기 실적"
    assert not list((django_settings.MEDIA_ROOT / "jobs" / "uploads").iterdir())  # the upload is not kept


@pytest.mark.django_db
def test_a_large_upload_refused_by_its_job_comes_back_to_the_form(client, task_backend, settings, officer, open_q1):
    settings.GOV30_UPLOAD_JOB_BYTES = 1
    client.force_login(officer)
    q2 = type(open_q1).objects.get(plan=open_q1.plan, quarter=2)
    upload(client, q2, download(client, open_q1))  # the first quarter's file to the second quarter's page
    work()
    response = client.get(f"/jobs/{Job.objects.get().pk}/", follow=True)
    assert response.redirect_chain[-1][0] == f"/offline/{q2.pk}/upload/"
    assert "올린 파일을 받지 않았습니다: 이 파일은" in response.content.decode()


def at(day: str, hour: int, minute: int) -> datetime.datetime:
    return datetime.datetime.fromisoformat(day).replace(hour=hour, minute=minute, tzinfo=SEOUL)


@pytest.mark.django_db
def test_the_schedule_starts_each_slot_once_and_the_worker_runs_it(task_backend, smtp, settings, periods):
    from tests.test_reminders import open_quarter

    open_quarter(periods)
    make_user("자치행정 담당", OFFICER, ("자치행정과",), email="officer@seoul.example")
    settings.GOV30_REFRESH_HOUR = 2
    with time_machine.travel(at("2017-04-11", 1, 3), tick=False):
        jobs.schedule()
        jobs.schedule()  # a second scheduler, or the same one again: the slot exists once
        assert list(Job.objects.values_list("key", flat=True)) == ["reminders:2017-04-11T01:00"]
        work()
    with time_machine.travel(at("2017-04-11", 2, 7), tick=False):
        jobs.schedule()
        work()
    with time_machine.travel(at("2017-04-11", 2, 9), tick=False):
        jobs.schedule()
        work()
    keys = dict(Job.objects.values_list("key", "state"))
    assert keys == {
        "reminders:2017-04-11T01:00": "succeeded",
        "reminders:2017-04-11T02:05": "succeeded",
        "refresh:2017-04-11": "succeeded",  # once that night
        "prune:2017-04-11": "succeeded",
    }
    assert sorted(m["X-Gov30-Notification"] for m in smtp.messages) == ["opened", "overdue"]  # each once
    assert Job.objects.get(key="refresh:2017-04-11").result["refreshed"]["2017"] >= 0


@pytest.mark.django_db
def test_a_job_enqueued_twice_runs_once_and_a_quiet_one_is_enqueued_again(task_backend, settings, reviewer, plan):
    calls = []
    settings.GOV30_JOB_STALE_SECONDS, settings.GOV30_JOB_MAX_ATTEMPTS = 60, 2

    @jobs.job_work("test")
    def counted(job, progress):
        calls.append(job.pk)
        jobs.job_finish(job)

    try:
        job = jobs.job_start(kind="test", owner=reviewer)
        jobs._enqueue(job)  # a second message for the same job
        work()
        assert calls == [job.pk] and Job.objects.get(pk=job.pk).state == "succeeded"
        # a worker killed mid-way: the job says it is running, and nothing is heard of it
        now = timezone.now()
        quiet = jobs.job_start(kind="test", owner=reviewer)
        Job.objects.filter(pk=quiet.pk).update(state="running", attempts=1, heartbeat_at=now)
        assert jobs.jobs_recover(now + datetime.timedelta(seconds=30)) == 0  # not quiet for long enough yet
        assert jobs.jobs_recover(now + datetime.timedelta(seconds=61)) == 1
        assert Job.objects.get(pk=quiet.pk).state == "queued"
        work()
        assert calls == [job.pk, quiet.pk] and Job.objects.get(pk=quiet.pk).attempts == 2
        # the attempt a retry took over (its worker was slow, not dead) cannot end the job any more
        slow = Job.objects.get(pk=quiet.pk)
        slow.attempts = 1
        Job.objects.filter(pk=quiet.pk).update(state="running")
        assert not jobs.job_finish(slow, state="failed", error="늦은 시도")
        assert Job.objects.get(pk=quiet.pk).error == ""
        spent = jobs.job_start(kind="test", owner=reviewer)
        Job.objects.filter(pk=spent.pk).update(state="running", attempts=2, heartbeat_at=now)
        assert jobs.jobs_recover(now + datetime.timedelta(seconds=61)) == 0
        spent.refresh_from_db()
        assert spent.state == "failed" and "다시 시도" in spent.error
        told = Notification.objects.get(recipient=reviewer, key=f"job:{spent.pk}")
        assert "마치지 못했습니다" in told.subject  # a failure is told too
    finally:
        del jobs.WORKS["test"]


@pytest.mark.django_db
def test_ended_jobs_are_removed_with_their_files_after_the_days_kept(task_backend, reviewer, plan_as_large, media):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django_tasks_db.models import DBTaskResult

    def ended(days_ago: int) -> Job:
        at = timezone.now() - datetime.timedelta(days=days_ago)
        kept = default_storage.save(f"jobs/old-{days_ago}.xlsx", ContentFile(b"PK"))
        return Job.objects.create(
            kind="workbook", owner=reviewer, state="succeeded", created_at=at, finished_at=at, result_file=kept
        )

    ended(15)
    recent = ended(13)
    default_storage.save("jobs/uploads/old.xlsx", ContentFile(b"PK"))
    default_storage.save("imports/job-old.json", ContentFile(b"{}"))
    at = timezone.now() - datetime.timedelta(days=15)
    Job.objects.create(
        kind="upload_preview",
        owner=reviewer,
        state="succeeded",
        created_at=at,
        finished_at=at,
        params={"upload": "jobs/uploads/old.xlsx"},
        result={"pending": "imports/job-old.json"},
    )
    jobs.job_start(kind=Job.Kind.PRUNE, key="prune:today")
    work()
    assert set(Job.objects.filter(kind="workbook").values_list("pk", flat=True)) == {recent.pk}
    assert sorted(p.name for p in (media / "jobs").iterdir() if p.is_file()) == ["old-13.xlsx"]
    assert not list((media / "jobs" / "uploads").iterdir()) and not list((media / "imports").iterdir())
    if task_backend == "database":  # the queue's own entries of that age go too
        DBTaskResult.objects.update(finished_at=timezone.now() - datetime.timedelta(days=15))
        jobs.job_start(kind=Job.Kind.PRUNE, key="prune:tomorrow")
        work()
        assert DBTaskResult.objects.count() == 1  # the run that pruned the others


@pytest.mark.django_db
def test_a_queue_that_cannot_be_reached_leaves_the_job_waiting_not_a_server_error(client, settings, reviewer, plan):
    from tests.jobqueue import BACKENDS, _free_port

    settings.GOV30_WORKBOOK_JOB_TASKS = 5
    settings.TASKS = BACKENDS["rq"]
    settings.RQ_QUEUES = {"default": {"URL": f"redis://127.0.0.1:{_free_port()}/0"}}  # nothing listens there
    client.force_login(reviewer)
    job = start_workbook(client, plan)
    assert (job.state, job.task_id) == ("queued", "")  # the schedule enqueues it again once the queue is back
    assert "대기" in client.get(f"/jobs/{job.pk}/").content.decode()


# ---------------------------------------------------------------- real workers in other processes


def worker_process(task_backend: str, *args: str) -> subprocess.Popen:
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}",
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "GOV30_TASK_BACKEND": task_backend,
        "PRIVATE_MEDIA_ROOT": str(django_settings.MEDIA_ROOT),
    }
    if task_backend == "rq":
        env["REDIS_URL"] = django_settings.RQ_QUEUES["default"]["URL"]
    return subprocess.Popen(
        [sys.executable, "manage.py", "run_worker", "--no-schedule", *args],
        cwd=ROOT,
        env=env,
        start_new_session=True,  # its own process group: RQ's work horse is killed with it
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


@pg_only
def test_a_worker_killed_mid_way_the_job_runs_again_with_one_file_and_one_mail(
    plan_reloaded_afterwards, transactional_db, client, task_backend, smtp, settings, media
):
    settings.GOV30_WORKBOOK_JOB_TASKS = 200
    synthetic_generate(Spec(tasks=1000, years=1, seed=5))
    large_plan = Plan.objects.get(year=2016)
    reviewer = make_user("정보기획 검토", REVIEWER, email="reviewer@seoul.example")
    client.force_login(reviewer)
    job = start_workbook(client, large_plan)
    worker = worker_process(task_backend)
    seen = set()
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:  # the page, as the reviewer watches it, until it is well under way
            status = client.get(f"/jobs/{job.pk}/status/").json()
            seen.add(status["percent"])
            if status["state"] == "running" and status["percent"] >= 30:
                break
            assert worker.poll() is None, worker.stderr.read().decode()
            time.sleep(0.1)
        page = client.get(f"/jobs/{job.pk}/").content.decode()
        assert "진행 중" in page and "시트 작성 중" in page
    finally:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()
    job.refresh_from_db()
    assert job.state == "running" and 0 < job.percent < 100 and len(seen - {0}) >= 1
    assert not Notification.objects.filter(kind="job_done").exists()

    later = timezone.now() + datetime.timedelta(seconds=settings.GOV30_JOB_STALE_SECONDS + 1)
    assert jobs.jobs_recover(later) == 1
    for _ in range(2):  # the retry, then a worker that finds nothing left to do
        rerun = worker_process(task_backend, "--burst")
        assert rerun.wait(timeout=300) == 0, rerun.stderr.read().decode()
        assert jobs.jobs_recover(later) == 0
    job.refresh_from_db()
    assert (job.state, job.attempts) == ("succeeded", 2)
    assert job_files(media, job) == [f"{job.pk}.xlsx"]
    assert content(client.get(f"/jobs/{job.pk}/download/")) == direct_export(large_plan, 2, job.created_at)
    deliver()
    deliver()
    done = [m for m in smtp.messages if m["X-Gov30-Notification"] == "job_done"]
    assert [m["To"] for m in done] == ["reviewer@seoul.example"]
    assert f"/jobs/{job.pk}/" in done[0].get_body(("plain",)).get_content()
