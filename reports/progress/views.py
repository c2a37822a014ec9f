"""Quarterly progress pages: 내 과제, report form, report page, reviewer inbox, periods, register."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import prefetch_related_objects
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from budgets import rules as budget_rules
from gov30.korean import quoted, with_particle
from initiatives.models import Indicator
from initiatives.selectors import plan_latest
from reports.models import ProgressReport, ReportingPeriod
from reports.progress import permissions, rules, selectors, services
from reports.progress.forms import (
    BudgetExecutionForm,
    BulkApproveForm,
    CommentForm,
    EvidenceForm,
    IndicatorResultForm,
    PeriodStateForm,
    ReasonForm,
    ReportFormBundle,
    ReviewForm,
    TargetChangeForm,
)
from reports.progress.paging import Pager, paginate


def _plan_or_404():
    plan = plan_latest()
    if plan is None:
        raise Http404("적재된 실행계획이 없습니다.")
    return plan


@login_required
@require_GET
def home(request):
    if permissions.is_reviewer(request.user):
        return redirect("reports:inbox")
    if permissions.is_officer(request.user):
        return redirect("reports:my-tasks")
    return redirect("initiatives:plan-overview")


@login_required
@require_GET
def my_tasks(request):
    if not permissions.is_officer(request.user):
        raise PermissionDenied("부서 담당자만 볼 수 있는 화면입니다.")
    plan = _plan_or_404()
    periods = services.periods_ensure(plan=plan)
    tasks = permissions.tasks_for_officer(request.user, plan.tasks.all())
    pager = paginate(request, selectors.task_matrix_tasks(tasks=tasks, periods=periods))
    rows = selectors.task_report_rows(tasks=pager.page, periods=periods, today=timezone.localdate())
    return render(request, "reports/my_tasks.html", {"plan": plan, "periods": periods, "rows": rows, "pager": pager})


@login_required
@require_POST
def report_start(request, task_pk: int, period_pk: int):
    if not permissions.is_officer(request.user):
        raise PermissionDenied("보고는 주관부서 담당자만 작성할 수 있습니다.")
    task = permissions.get_task_for_officer(request.user, task_pk)
    period = get_object_or_404(ReportingPeriod, pk=period_pk, plan=task.plan)
    try:
        report = services.report_start(task=task, period=period, user=request.user)
    except services.ReportActionRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("reports:my-tasks")
    return redirect("reports:report-edit", pk=report.pk)


def _annotate_rows(bundle: ReportFormBundle) -> None:
    """Give each row the plan figures it is judged against (target in force, 예산현액)."""
    report = bundle.report
    indicator_forms = [f for f in bundle.formsets["indicator_results"].forms if f.instance.pk is not None]
    figures = selectors.indicator_figures(
        task_id=report.task_id,
        period=report.period,
        values={f.instance.indicator_id: f.instance.actual for f in indicator_forms},
        indicators=[f.instance.indicator for f in indicator_forms],
    )
    for form in indicator_forms:
        form.figure = figures[form.instance.indicator_id]
        form.off_target = rules.is_off_target(form.figure.rate)
    year = report.period.plan.year
    budget_forms = [f for f in bundle.formsets["budget_executions"].forms if f.instance.pk is not None]
    prefetch_related_objects([f.instance for f in budget_forms], selectors.line_amounts())
    for form in budget_forms:
        amounts = list(form.instance.budget_line.amounts.all())
        form.available = budget_rules.available_budget(amounts=amounts, year=year)
        spent = form.instance.spent_to_date
        form.balance = budget_rules.balance(available=form.available.amount, spent=spent)
        form.rate = budget_rules.execution_rate(spent=spent, available=form.available.amount)
        form.warning = budget_rules.overspend_warning(available=form.available.amount, spent=spent)


def _render_form(request, bundle: ReportFormBundle, status: int = 200):
    _annotate_rows(bundle)
    if status != 200:
        bundle.file_not_attached()
    report = bundle.report
    context = {
        "report": report,
        "bundle": bundle,
        "form": bundle.form,
        "evidence_form": bundle.evidence_form,
        "evidence": report.evidence.all(),
        "block_reason": services.edit_block_reason(user=request.user, report=report),
        "exception": services.active_exception(report),
    }
    return render(request, "reports/report_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def report_edit(request, pk: int):
    report = permissions.get_report_for_user(request.user, pk, write=True)
    bundle = ReportFormBundle(report, request.POST or None, request.FILES or None)
    if request.method != "POST":
        return _render_form(request, bundle)
    if not bundle.is_valid():
        messages.error(request, f"입력값 {bundle.error_count()}곳을 확인하세요. 입력하신 내용은 그대로 두었습니다.")
        return _render_form(request, bundle, status=400)
    submit = "submit" in request.POST
    service = services.report_submit if submit else services.report_save
    try:
        service(
            report=report,
            user=request.user,
            version=bundle.version,
            data=bundle.data(),
            evidence=bundle.evidence(),
            rows=bundle.rows,
        )
    except services.SubmissionInvalid as invalid:
        bundle.add_problems(invalid.problems)
        messages.error(request, f"{invalid} (아무것도 저장되지 않았습니다. 임시 저장은 할 수 있습니다.)")
        return _render_form(request, bundle, status=400)
    except services.ReportActionRefused as refusal:
        messages.error(request, str(refusal))
        return _render_form(request, bundle, status=409)
    attached = " 증빙 파일을 첨부했습니다." if bundle.evidence() else ""
    if submit:
        messages.success(request, f"제출했습니다. 검토 결과를 기다려 주세요.{attached}")
        return redirect("reports:report-detail", pk=report.pk)
    messages.success(request, f"임시 저장했습니다. 이어서 작성할 수 있습니다.{attached}")
    return redirect("reports:report-edit", pk=report.pk)  # a draft is written over several sittings


@login_required
@require_GET
def report_detail(request, pk: int):
    return _render_detail(request, permissions.get_report_for_user(request.user, pk))


def _render_detail(request, report: ProgressReport, comment_form: CommentForm | None = None, status: int = 200):
    reviewer = permissions.can_review(request.user)
    discusses = permissions.can_discuss(request.user, report)
    context = {
        "report": report,
        "history": selectors.report_history(report=report),
        "discussion": selectors.report_discussion(report=report),
        "comment_form": (comment_form or CommentForm()) if discusses else None,
        "evidence": report.evidence.select_related("uploaded_by"),
        "block_reason": services.edit_block_reason(user=request.user, report=report),
        "can_attach": services.evidence_block_reason(user=request.user, report=report) is None,
        "can_write": permissions.can_write_report_content(request.user, report.task),
        "can_review": reviewer,
        "review_actions": services.review_actions(report) if reviewer else (),
        "period_locked": report.period.state == ReportingPeriod.State.LOCKED,
        "period_closed": report.period.state == ReportingPeriod.State.CLOSED,
        "review_form": ReviewForm(initial={"version": report.version}) if reviewer else None,
        "evidence_form": EvidenceForm(),
        "bundle": _read_only_bundle(report),
    }
    return render(request, "reports/report_detail.html", context, status=status)


@login_required
@require_POST
def report_comment(request, pk: int):
    """A comment in the report's discussion; a refused one comes back on the page with the text as typed."""
    report = permissions.get_report_for_user(request.user, pk)
    permissions.ensure_can_discuss(request.user, report)
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, "의견을 남기지 못했습니다: " + " ".join(form.errors["text"]))
        return _render_detail(request, report, comment_form=form, status=400)
    services.report_comment(report=report, user=request.user, text=form.cleaned_data["text"])
    messages.success(request, "의견을 남겼습니다. 보고의 처리 이력에도 기록됩니다.")
    return redirect(reverse("reports:report-detail", args=[report.pk]) + "#h-discussion")


@login_required
@require_GET
def report_figures(request, pk: int):
    """달성률, 집행잔액 and 집행률 for the values being typed: the form's live figures come from the server's rules."""
    report = permissions.get_report_for_user(request.user, pk)
    fields = {
        "actual": IndicatorResultForm.base_fields["actual"],
        "spent": BudgetExecutionForm.base_fields["spent_to_date"],
    }
    return JsonResponse(selectors.typed_figures(report=report, typed=request.GET.dict(), **fields))


def _read_only_bundle(report):
    bundle = ReportFormBundle(report)
    _annotate_rows(bundle)
    return bundle


def _run_review(action: str, report, user, version: int, comment: str):
    if action == "approve":
        return services.report_approve(report=report, user=user, version=version)
    if action == "return":
        return services.report_return(report=report, user=user, version=version, comment=comment)
    return services.report_reopen(report=report, user=user, version=version, reason=comment)


REVIEW_DONE = {
    "approve": "승인했습니다.",
    "return": "반려했습니다. 담당자에게 의견이 표시됩니다.",
    "reopen": "보고를 재개했습니다.",
}


@login_required
@require_POST
def report_review(request, pk: int, action: str):
    report = permissions.get_report_for_user(request.user, pk)
    permissions.ensure_reviewer(request.user)
    done = _act(
        request,
        ReviewForm(request.POST),
        "요청이 올바르지 않습니다. 화면을 새로 고친 뒤 다시 시도하세요.",
        lambda data: _run_review(action, report, request.user, data["version"], data["comment"]),
        lambda: REVIEW_DONE[action] if action == "reopen" else _done_elsewhere(report, REVIEW_DONE[action]),
    )
    if done and action != "reopen":
        return _next_waiting(request, report)
    return redirect("reports:report-detail", pk=pk)


def _label(report: ProgressReport) -> str:
    return f"{report.period} {report.task.number}. {report.task.title}"


def _done_elsewhere(report: ProgressReport, done: str) -> str:
    """What was done, said on the next page: which report, and the way back to it."""
    url = reverse("reports:report-detail", args=[report.pk])
    return format_html('{}: {} <a href="{}">이 보고 다시 보기</a>', _label(report), done, url)


def _next_waiting(request, report: ProgressReport):
    """After an approval or a return the reviewer goes on to the next waiting report, or back to 검토함 when none is left."""
    upcoming, waiting = selectors.next_waiting_report(user=request.user, after=report)
    if upcoming is None:
        messages.info(request, "검토를 기다리는 보고가 더 없습니다. 검토함으로 돌아왔습니다.")
        return redirect("reports:inbox")
    messages.info(request, f"다음 검토 대기 보고서를 열었습니다 (검토 대기 {waiting}건).")
    return redirect("reports:report-detail", pk=upcoming.pk)


@login_required
@require_POST
def reports_approve(request):
    """검토함's bulk approval: each checked report is approved on its own, with the version the page showed."""
    permissions.ensure_reviewer(request.user)
    form = BulkApproveForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["reports"]))
        return redirect("reports:inbox")
    versions = form.cleaned_data["reports"]
    reports = permissions.reports_for_review(request.user, versions)
    outcome = services.reports_approve_many(items=[(r, versions[r.pk]) for r in reports], user=request.user)
    if outcome.approved:
        messages.success(
            request, f"{len(outcome.approved)}건을 승인했습니다: {', '.join(map(_label, outcome.approved))}"
        )
    for report, reason in outcome.refused:
        messages.error(request, f"승인하지 못했습니다 — {_label(report)}: {reason}")
    if len(reports) < len(versions):
        messages.error(request, f"{len(versions) - len(reports)}건은 찾을 수 없는 보고라 승인하지 않았습니다.")
    return redirect("reports:inbox")


def _act(request, form, invalid, run, done, failed: str = "") -> bool:
    """Validate ``form``, then run one service with its data; the refusal (in Korean) or ``done()`` is the message.
    True when the service ran.

    ``invalid`` is what to say when the form is not valid (a text, or a function of the form)."""
    try:
        if not form.is_valid():
            raise services.ReportActionRefused(invalid(form) if callable(invalid) else invalid)
        run(form.cleaned_data)
    except services.ReportActionRefused as refusal:
        messages.error(request, f"{failed}{refusal}")
        return False
    messages.success(request, done())
    return True


@login_required
@require_POST
def exception_grant(request, pk: int):
    report = permissions.get_report_for_user(request.user, pk)
    permissions.ensure_reviewer(request.user)
    _act(
        request,
        ReasonForm(request.POST),
        "마감 후 수정을 허용하려면 사유를 적어야 합니다.",
        lambda data: services.exception_grant(report=report, user=request.user, reason=data["reason"]),
        lambda: "마감 후 수정을 허용했습니다. 이후 변경은 마감 후 변경 대장에 기록됩니다.",
    )
    return redirect("reports:report-detail", pk=pk)


@login_required
@require_POST
def evidence_upload(request, pk: int):
    report = permissions.get_report_for_user(request.user, pk, write=True)
    _act(
        request,
        EvidenceForm(request.POST, request.FILES),
        lambda form: " ".join(e for errors in form.errors.values() for e in errors),
        lambda data: services.evidence_add(report=report, user=request.user, upload=data["file"], kind=data["kind"]),
        lambda: "증빙 파일을 첨부했습니다.",
        failed="파일을 첨부하지 못했습니다: ",
    )
    return redirect("reports:report-detail", pk=pk)


@login_required
@require_GET
def evidence_download(request, pk: int):
    evidence = permissions.get_evidence_for_user(request.user, pk)
    return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.original_name)


INBOX_SECTIONS = {"waiting": "검토 대기", "overdue": "기한 경과 미제출", "returned": "반려되어 보완 중"}


def _inbox_pager(request, section: str, object_list) -> Pager:
    """The inbox pages its three lists apart (?waiting_page=, ?overdue_page=, ?returned_page=)."""
    label = f"{INBOX_SECTIONS[section]} 쪽 이동"
    return paginate(request, object_list, param=f"{section}_page", anchor=f"#h-{section}", label=label)


@login_required
@require_GET
def inbox(request):
    permissions.ensure_reviewer(request.user)
    plan = _plan_or_404()
    periods = services.periods_ensure(plan=plan)
    today = timezone.localdate()
    waiting = _inbox_pager(
        request, "waiting", selectors.reports_with_status(user=request.user, status=ProgressReport.Status.SUBMITTED)
    )
    overdue = _inbox_pager(request, "overdue", selectors.overdue_cells(plan=plan, periods=periods, today=today))
    returned = _inbox_pager(
        request, "returned", selectors.reports_with_status(user=request.user, status=ProgressReport.Status.RETURNED)
    )
    context = {
        "plan": plan,
        "waiting": waiting,
        # the reports offered for bulk approval: those the approve service accepts now
        "approvable": {r.pk for r in waiting.page if "approve" in services.review_actions(r)},
        "overdue": overdue,
        "overdue_rows": selectors.overdue_rows(tasks=overdue.page, periods=periods),
        "returned": returned,
    }
    return render(request, "reports/inbox.html", context)


@login_required
@require_GET
def period_list(request):
    permissions.ensure_reviewer(request.user)
    plan = _plan_or_404()
    periods = services.periods_ensure(plan=plan)
    choices = {p.pk: [services.State(s) for s in services.PERIOD_TRANSITIONS[services.State(p.state)]] for p in periods}
    return render(request, "reports/period_list.html", {"plan": plan, "periods": [(p, choices[p.pk]) for p in periods]})


@login_required
@require_POST
def period_state(request, pk: int):
    permissions.ensure_reviewer(request.user)
    period = get_object_or_404(ReportingPeriod, pk=pk)
    _act(
        request,
        PeriodStateForm(request.POST),
        "바꿀 상태를 고르세요.",
        lambda data: services.period_set_state(period=period, user=request.user, state=data["state"]),
        lambda: f"{period} 상태를 {with_particle(quoted(period.get_state_display()), '으로')} 바꿨습니다.",
    )
    return redirect("reports:period-list")


@login_required
@require_GET
def late_change_register(request):
    permissions.ensure_reviewer(request.user)
    plan = _plan_or_404()
    pager = paginate(request, selectors.late_change_register(plan=plan))
    return render(request, "reports/register.html", {"plan": plan, "events": pager.page, "pager": pager})


@login_required
@require_http_methods(["GET", "POST"])
def indicator_target(request, pk: int):
    if not permissions.can_change_targets(request.user):
        raise PermissionDenied("목표는 정보기획담당관만 바꿀 수 있습니다.")
    indicator = get_object_or_404(Indicator.objects.select_related("task"), pk=pk)
    form = TargetChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.indicator_change_target(
            indicator=indicator,
            new_target=form.cleaned_data["new_target"],
            reason=form.cleaned_data["reason"],
            user=request.user,
        )
        messages.success(request, "목표를 바꿨습니다. 이미 시작된 분기의 보고는 그 분기 시작 시점의 목표로 평가됩니다.")
        return redirect("initiatives:task-detail", pk=indicator.task_id)
    changes = indicator.target_changes.select_related("changed_by")
    return render(request, "reports/indicator_target.html", {"indicator": indicator, "form": form, "changes": changes})
