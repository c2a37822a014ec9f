"""A job's page: its progress while it runs (the page's script asks ``job_status`` and shows it; without
JavaScript the page is reloaded by hand), then its result — only for the person who started it."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from reports.jobs.services import results_storage
from reports.models import Job
from reports.progress import permissions


def _status(job: Job) -> dict:
    return {
        "state": job.state,
        "state_label": job.get_state_display(),
        "percent": job.percent,
        "stage": job.stage,
        "finished": job.finished,
    }


@login_required
@require_GET
def job_detail(request, pk: int):
    job = permissions.get_job_for_user(request.user, pk)
    if job.state == Job.State.SUCCEEDED and job.result.get("next"):
        return redirect(job.result["next"])  # a result that is a page of its own (an upload's preview)
    context = {"job": job, "status_url": reverse("reports:job-status", args=[job.pk])}
    return render(request, "jobs/detail.html", context)


@login_required
@require_GET
def job_status(request, pk: int):
    return JsonResponse(_status(permissions.get_job_for_user(request.user, pk)))


@login_required
@require_GET
def job_download(request, pk: int):
    job = permissions.get_job_for_user(request.user, pk)
    storage = results_storage()
    if job.state != Job.State.SUCCEEDED or not job.result_file or not storage.exists(job.result_file):
        raise Http404("내려받을 파일이 없습니다.")
    # the content type from the kept file's suffix (.xlsx, .pdf, .hwpx)
    return FileResponse(storage.open(job.result_file, "rb"), as_attachment=True, filename=job.result_name)
