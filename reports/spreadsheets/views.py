"""Spreadsheet pages: the evaluation workbook download; the offline template, its upload, preview and confirm."""

import json
import tempfile
import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gov30.spreadsheets import XLSX_CONTENT_TYPE, UploadRefused, check_xlsx
from reports.evaluation.views import dashboard_selection
from reports.jobs.services import job_start
from reports.models import Job, ReportingPeriod
from reports.progress import permissions
from reports.progress.services import ReportActionRefused
from reports.spreadsheets import offline
from reports.spreadsheets.forms import WorkbookUploadForm
from reports.spreadsheets.workbook import WorkbookFilter, evaluation_workbook, workbook_filename

SESSION_KEY = "offline_upload"


def _officer_period(request, period_pk: int) -> ReportingPeriod:
    if not permissions.is_officer(request.user):
        raise PermissionDenied("엑셀 보고는 부서 담당자만 할 수 있습니다.")
    return get_object_or_404(ReportingPeriod.objects.select_related("plan"), pk=period_pk)


@login_required
@require_GET
def template_download(request, period_pk: int):
    period = _officer_period(request, period_pk)
    handle = tempfile.TemporaryFile()
    offline.template_workbook(handle, user=request.user, period=period)
    handle.seek(0)
    name = f"gov30-{period.plan.year}-{period.quarter}분기-실적보고-양식.xlsx"
    return FileResponse(
        handle,
        as_attachment=True,
        filename=name,
        content_type=XLSX_CONTENT_TYPE,
    )


@login_required
@require_http_methods(["GET", "POST"])
def upload(request, period_pk: int):
    period = _officer_period(request, period_pk)
    form = WorkbookUploadForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return render(
            request,
            "reports/offline_upload.html",
            {"period": period, "form": form},
            status=400 if request.method == "POST" else 200,
        )
    upload_file = form.cleaned_data["file"]
    request.session.pop(SESSION_KEY, None)
    try:
        check_xlsx(upload_file, size=upload_file.size, name=upload_file.name)
        if upload_file.size > settings.GOV30_UPLOAD_JOB_BYTES:  # a large file is previewed in the background
            kept = default_storage.save(f"jobs/uploads/{uuid.uuid4().hex}.xlsx", upload_file)
            params = {"period": period.pk, "upload": kept}
            job = job_start(kind=Job.Kind.UPLOAD_PREVIEW, owner=request.user, params=params)
            return redirect("reports:job-detail", pk=job.pk)
        result = offline.preview(handle=upload_file, user=request.user, period=period)
    except UploadRefused as refusal:
        return _upload_refused(request, period, form, str(refusal))
    if not result.errors:  # kept server-side until confirmed (it may hold thousands of rows)
        stored = offline.pending_keep(result, f"imports/{uuid.uuid4().hex}.json")
        request.session[SESSION_KEY] = {"name": stored, "period": period.pk}
    return render(request, "reports/offline_preview.html", {"period": period, "preview": result})


def _upload_refused(request, period: ReportingPeriod, form: WorkbookUploadForm, refusal: str):
    form.add_error("file", refusal)
    return render(request, "reports/offline_upload.html", {"period": period, "form": form}, status=400)


@login_required
@require_GET
def job_preview(request, pk: int):
    """A large upload's preview, made by its job: the same page as a small one's, its changes kept for the confirm."""
    job = permissions.get_job_for_user(request.user, pk)
    if job.kind != Job.Kind.UPLOAD_PREVIEW or job.state != Job.State.SUCCEEDED:
        return redirect("reports:job-detail", pk=job.pk)
    period = _officer_period(request, job.params["period"])
    if "refused" in job.result:
        messages.error(request, f"올린 파일을 받지 않았습니다: {job.result['refused']}")
        return redirect("reports:offline-upload", period_pk=period.pk)
    preview = offline.Preview(period=period, rows=[offline.PreviewRow(**row) for row in job.result["rows"]], values={})
    if job.result["pending"] and default_storage.exists(job.result["pending"]):
        request.session[SESSION_KEY] = {"name": job.result["pending"], "period": period.pk}
    return render(request, "reports/offline_preview.html", {"period": period, "preview": preview})


@login_required
@require_POST
def confirm(request, period_pk: int):
    period = _officer_period(request, period_pk)
    pending = request.session.pop(SESSION_KEY, None)
    if not pending or pending.get("period") != period.pk or not default_storage.exists(pending["name"]):
        messages.error(request, "확인할 업로드가 없습니다. 파일을 다시 올려 주세요.")
        return redirect("reports:offline-upload", period_pk=period.pk)
    try:
        with default_storage.open(pending["name"], "rb") as handle:
            applied = offline.apply(pending=json.load(handle), user=request.user, period=period)
    except (UploadRefused, ReportActionRefused) as refusal:
        messages.error(request, f"반영하지 못했습니다: {refusal}")
        return redirect("reports:offline-upload", period_pk=period.pk)
    finally:
        default_storage.delete(pending["name"])
    messages.success(request, f"엑셀 내용을 보고 {applied}건에 반영했습니다. 각 보고의 이력에 기록되었습니다.")
    return redirect("reports:my-tasks")


def dashboard_export_selection(request) -> WorkbookFilter:
    """The dashboard's current selection (plan, quarter, area, department) as its exports read it; 403 for anyone
    but the planning office and administrators."""
    plan, selection = dashboard_selection(request)
    data = selection.form.cleaned_data if selection.form.is_valid() else {}
    return WorkbookFilter(
        plan=plan,
        quarter=selection.shown_quarter,
        area=data.get("area"),
        department=data.get("department"),
    )


@login_required
@require_GET
def workbook_download(request):
    """The evaluation workbook for the dashboard's current selection, streamed from a temporary file."""
    chosen = dashboard_export_selection(request)
    name = workbook_filename(chosen, timezone.localdate())
    if chosen.tasks().count() > settings.GOV30_WORKBOOK_JOB_TASKS:  # a large workbook is made in the background
        job = job_start(kind=Job.Kind.WORKBOOK, owner=request.user, params={**chosen.params(), "name": name})
        return redirect("reports:job-detail", pk=job.pk)
    handle = tempfile.TemporaryFile()
    evaluation_workbook(handle, chosen)
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=name,
        content_type=XLSX_CONTENT_TYPE,
    )
