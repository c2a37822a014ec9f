"""Spreadsheet pages: the evaluation workbook download; the offline template, its upload, preview and confirm."""

import json
import tempfile
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gov30.spreadsheets import UploadRefused, check_xlsx
from reports.evaluation.views import dashboard_selection
from reports.models import ReportingPeriod
from reports.progress import permissions
from reports.progress.services import ReportActionRefused
from reports.spreadsheets import offline
from reports.spreadsheets.forms import WorkbookUploadForm
from reports.spreadsheets.workbook import WorkbookFilter, evaluation_workbook

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
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
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
    try:
        check_xlsx(upload_file, size=upload_file.size, name=upload_file.name)
        result = offline.preview(handle=upload_file, user=request.user, period=period)
    except UploadRefused as refusal:
        form.add_error("file", str(refusal))
        return render(request, "reports/offline_upload.html", {"period": period, "form": form}, status=400)
    request.session.pop(SESSION_KEY, None)
    if not result.errors:  # kept server-side until confirmed (it may hold thousands of rows)
        content = ContentFile(offline.pending_json(result))
        stored = default_storage.save(f"imports/{uuid.uuid4().hex}.json", content)
        request.session[SESSION_KEY] = {"name": stored, "period": period.pk}
    return render(request, "reports/offline_preview.html", {"period": period, "preview": result})


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


@login_required
@require_GET
def workbook_download(request):
    """The evaluation workbook for the dashboard's current selection, streamed from a temporary file."""
    plan, selection = dashboard_selection(request)
    data = selection.form.cleaned_data if selection.form.is_valid() else {}
    chosen = WorkbookFilter(
        plan=plan,
        quarter=selection.shown_quarter,
        area=data.get("area"),
        department=data.get("department"),
    )
    handle = tempfile.TemporaryFile()
    evaluation_workbook(handle, chosen)
    handle.seek(0)
    name = f"gov30-{plan.year}-평가자료-{chosen.quarter}분기-{timezone.localdate():%Y%m%d}.xlsx"
    return FileResponse(
        handle,
        as_attachment=True,
        filename=name,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
