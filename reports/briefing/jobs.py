"""The briefing book of a large selection, made in the background."""

import tempfile

from reports.briefing.documents import FORMATS, book_write
from reports.jobs.services import JobProgress, job_finish, job_result_keep, job_work
from reports.models import Job
from reports.spreadsheets.workbook import WorkbookFilter


@job_work(Job.Kind.BOOK)
def book(job: Job, progress: JobProgress) -> None:
    """The book the reviewer asked for, dated when they asked: the same file as the direct download then."""
    kind = job.params["format"]
    with tempfile.TemporaryFile() as handle:
        book_write(handle, WorkbookFilter.from_params(job.params), kind, now=job.created_at, progress=progress)
        handle.seek(0)
        kept = job_result_keep(job, handle, FORMATS[kind].suffix)
    job_finish(job, result_file=kept, result_name=job.params["name"])
