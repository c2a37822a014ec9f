"""The briefing book's downloads from the dashboard's filter bar."""

import tempfile

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_GET

from reports.briefing.documents import book_filename, book_write
from reports.jobs.services import job_start
from reports.models import Job
from reports.spreadsheets.views import dashboard_export_selection


@login_required
@require_GET
def book_download(request, kind: str):
    """The book of the dashboard's selection as ``kind`` (pdf, hwpx): the planning office and administrators only
    (officers have their own pages, which print); a large book is made by a job."""
    chosen = dashboard_export_selection(request)
    name = book_filename(chosen, kind, timezone.localdate())
    if chosen.tasks().count() > settings.GOV30_BOOK_JOB_TASKS:
        job = job_start(
            kind=Job.Kind.BOOK, owner=request.user, params={**chosen.params(), "format": kind, "name": name}
        )
        return redirect("reports:job-detail", pk=job.pk)
    handle = tempfile.TemporaryFile()
    book_write(handle, chosen, kind)
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=name)
