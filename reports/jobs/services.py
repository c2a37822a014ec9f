"""Background jobs: started from a page or by the schedule, run by a worker, watched on a progress page.

A job is a ``Job`` row; the queue (django-tasks: the database backend or RQ) only carries its id. A worker
claims the row with one conditional UPDATE, so that a job enqueued twice runs once; while it runs it reports its
progress, and a job not heard from for ``GOV30_JOB_STALE_SECONDS`` (its worker was killed) is enqueued again by
the schedule. A job's result file has one name, written again on a retry; the mail that it has ended is a
notification kept once per job (``job_ended``, received by ``reports.notifications``).

Each capability registers the work of its kinds with ``job_work`` (``reports.apps`` imports their ``jobs``
modules): this framework knows the kinds' names, never their code, so it sits below them all."""

import datetime
import logging
from collections.abc import Callable

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.db.models import F
from django.dispatch import Signal
from django.utils import timezone

from reports.jobs.tasks import run_job
from reports.models import Job

logger = logging.getLogger(__name__)
Kind, State = Job.Kind, Job.State
# Sent (sender=Job, job=...) when a job has ended, succeeded or failed, in the transaction that ends it: the person
# who asked is told by ``reports.notifications``, which this framework does not know.
job_ended = Signal()


def results_storage() -> FileSystemStorage:
    """Where results are kept (the private media folder; shared between machines when workers run on several): a
    retried job writes its file again under the same name, never beside it."""
    return FileSystemStorage(location=settings.MEDIA_ROOT, allow_overwrite=True)


class JobProgress:
    """What a running job says about itself: how far it is (done of total) and at which stage, in Korean."""

    def __init__(self, job: Job) -> None:
        self.job = job

    def __call__(self, done: int, total: int, stage: str) -> None:
        percent = min(99, int(done * 100 / total)) if total else 0  # 100 only once the result is kept
        Job.objects.filter(pk=self.job.pk, attempts=self.job.attempts).update(
            percent=percent, stage=stage[:100], heartbeat_at=timezone.now()
        )


Work = Callable[[Job, JobProgress], None]
WORKS: dict[str, Work] = {}


def job_work(kind: str) -> Callable[[Work], Work]:
    """Register the function that does the jobs of ``kind``; it ends them with ``job_finish``."""

    def register(work: Work) -> Work:
        WORKS[kind] = work
        return work

    return register


def job_start(*, kind: str, owner=None, params: dict | None = None, key: str | None = None) -> Job:
    """A new job, queued. With ``key`` (a scheduled slot), the job of that key if there is one already."""
    now = timezone.now()
    try:
        with transaction.atomic():
            job = Job.objects.create(
                kind=kind, owner=owner, params=params or {}, key=key, created_at=now, heartbeat_at=now
            )
    except IntegrityError:
        return Job.objects.get(key=key)
    _enqueue(job)
    return job


def _enqueue(job: Job) -> None:
    try:
        result = run_job.enqueue(job.pk)
    except Exception:  # the queue (Redis) is away: the job waits, and the schedule enqueues it again (jobs_recover)
        logger.exception("job %s could not be enqueued", job.pk)
        return
    Job.objects.filter(pk=job.pk).update(task_id=result.id)


def job_execute(job_id: int) -> str:
    """Run the job ``job_id`` if it is waiting (a job enqueued twice runs once); returns its state."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, state=State.QUEUED).update(
        state=State.RUNNING, attempts=F("attempts") + 1, started_at=now, heartbeat_at=now, stage="시작"
    )
    job = Job.objects.get(pk=job_id)
    if not claimed:
        return job.state  # ended already, or another worker has it
    try:
        WORKS[job.kind](job, JobProgress(job))
    except Exception as error:
        logger.exception("job %s failed", job.pk)
        job_finish(job, state=State.FAILED, error=f"{type(error).__name__}: {error}"[:2000])
    return Job.objects.values_list("state", flat=True).get(pk=job_id)


def job_finish(job: Job, *, state: str = State.SUCCEEDED, error: str = "", **result) -> bool:
    """The job has ended: its state, and what its page shows (``result_file`` and ``result_name`` to download, or
    ``result`` with a ``next`` page to go on to); ``job_ended`` is sent with it. Only the attempt ``job`` is ends
    it: an attempt taken over by a retry (its worker was slow, not dead) changes nothing. Returns whether it did."""
    with transaction.atomic():
        ended = Job.objects.filter(pk=job.pk, attempts=job.attempts, state__in=[State.QUEUED, State.RUNNING]).update(
            state=state,
            percent=100 if state == State.SUCCEEDED else F("percent"),
            stage="",
            finished_at=timezone.now(),
            error=error,
            **result,
        )
        if ended:
            job.refresh_from_db()
            job_ended.send(sender=Job, job=job)
    return bool(ended)


def job_result_keep(job: Job, handle, suffix: str) -> str:
    """Keep ``handle``'s file as the job's result, under one name per job: a retried job writes it again."""
    return results_storage().save(f"jobs/{job.pk}{suffix}", File(handle))


# ---------------------------------------------------------------- the schedule


def schedule(now: datetime.datetime | None = None) -> list[Job]:
    """What the schedule wants now: the reminders of this slot (every few minutes) and, once a night, the
    assessments' refresh; each slot's job exists once however many schedulers run. Then the jobs whose worker
    went quiet are enqueued again (or failed once they have had their attempts)."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    every = settings.GOV30_REMINDERS_EVERY_MINUTES
    slot = local.replace(minute=local.minute - local.minute % every, second=0, microsecond=0)
    jobs = [job_start(kind=Kind.REMINDERS, key=f"reminders:{slot:%Y-%m-%dT%H:%M}")]
    if local.hour >= settings.GOV30_REFRESH_HOUR:
        jobs.append(job_start(kind=Kind.REFRESH, key=f"refresh:{local:%Y-%m-%d}"))
        jobs.append(job_start(kind=Kind.PRUNE, key=f"prune:{local:%Y-%m-%d}"))
    jobs_recover(now)
    return jobs


def jobs_recover(now: datetime.datetime) -> int:
    """Enqueue again the jobs not heard from for a while: running on a worker that was killed, or waiting in a
    queue that lost them. A job that has had its attempts fails. Returns how many were enqueued again."""
    quiet = Job.objects.filter(
        state__in=[State.QUEUED, State.RUNNING],
        heartbeat_at__lt=now - datetime.timedelta(seconds=settings.GOV30_JOB_STALE_SECONDS),
    )
    for job in quiet.filter(attempts__gte=settings.GOV30_JOB_MAX_ATTEMPTS):
        job_finish(job, state=State.FAILED, error="작업자가 응답하지 않아 여러 번 다시 시도했지만 끝내지 못했습니다.")
    again = 0
    for job in quiet.filter(attempts__lt=settings.GOV30_JOB_MAX_ATTEMPTS):
        # back in the queue; the killed attempt's progress reports no longer count (they name its attempt)
        if Job.objects.filter(pk=job.pk, state=job.state, attempts=job.attempts).update(
            state=State.QUEUED, heartbeat_at=now
        ):
            _enqueue(job)
            again += 1
    return again


@job_work(Kind.PRUNE)
def prune(job: Job, progress: JobProgress) -> None:
    """The nightly clean-up: jobs ended more than ``GOV30_JOB_KEEP_DAYS`` ago go, with their result files (the
    schedule adds one reminder run every few minutes), and so do the database queue's entries of that age."""
    before = timezone.now() - datetime.timedelta(days=settings.GOV30_JOB_KEEP_DAYS)
    ended = Job.objects.filter(finished_at__lt=before)
    storage = results_storage()
    for kept in ended.values_list("result_file", "params__upload", "result__pending"):
        for name in filter(None, kept):  # the result, and an upload's file and its unconfirmed changes
            storage.delete(name)
    removed, _ = ended.delete()
    if settings.GOV30_TASK_BACKEND == "database":
        call_command("prune_db_task_results", min_age_days=settings.GOV30_JOB_KEEP_DAYS, verbosity=0)
    job_finish(job, result={"removed": removed})
