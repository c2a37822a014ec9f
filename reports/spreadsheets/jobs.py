"""The spreadsheet work done in the background: the evaluation workbook of a large selection, and the preview of a
large upload. Each tells the person who asked once it has ended."""

import dataclasses
import tempfile

from django.core.files.storage import default_storage
from django.urls import reverse

from gov30.spreadsheets import UploadRefused
from reports.jobs.services import JobProgress, job_finish, job_result_keep, job_work
from reports.models import Job, ReportingPeriod
from reports.spreadsheets import offline
from reports.spreadsheets.workbook import WorkbookFilter, evaluation_workbook


@job_work(Job.Kind.WORKBOOK)
def workbook(job: Job, progress: JobProgress) -> None:
    """The evaluation workbook of the dashboard selection the reviewer asked for, dated when they asked: the same
    file as the direct export made at that moment."""
    with tempfile.TemporaryFile() as handle:
        evaluation_workbook(handle, WorkbookFilter.from_params(job.params), now=job.created_at, progress=progress)
        handle.seek(0)
        kept = job_result_keep(job, handle, ".xlsx")
    job_finish(job, result_file=kept, result_name=job.params["name"])


@job_work(Job.Kind.UPLOAD_PREVIEW)
def upload_preview(job: Job, progress: JobProgress) -> None:
    """The dry run of a large upload: its rows for the preview page and, when none is wrong, its changes kept
    until the officer confirms them, as for a small upload."""
    period = ReportingPeriod.objects.select_related("plan").get(pk=job.params["period"])
    progress(0, 2, "파일을 읽고 행을 확인하는 중")
    try:
        with default_storage.open(job.params["upload"], "rb") as handle:
            preview = offline.preview(handle=handle, user=job.owner, period=period)
    except UploadRefused as refusal:
        result = {"refused": str(refusal)}
    else:
        progress(1, 2, "미리보기 정리 중")
        pending = offline.pending_keep(preview, f"imports/job-{job.pk}.json") if not preview.errors else ""
        result = {"rows": [dataclasses.asdict(row) for row in preview.rows], "pending": pending}
    result["next"] = reverse("reports:offline-job-preview", args=[job.pk])
    if job_finish(job, result=result):
        default_storage.delete(job.params["upload"])  # read and ended with: a retry before this reads it again
