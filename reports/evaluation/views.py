"""Planning-office dashboards, the annual evaluation, the rules page and the open results page."""

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_tables2 import RequestConfig

from initiatives.models import Plan
from reports.evaluation import annual, charts, dashboards, scoring
from reports.evaluation.filters import DashboardFilter
from reports.evaluation.tables import DashboardTaskTable
from reports.models import Evaluation, TaskScore
from reports.progress import permissions, rules
from reports.progress.paging import paginate
from reports.progress.services import ReportActionRefused


def plan_and_years(request=None, plans: QuerySet[Plan] | None = None) -> tuple[Plan, list[int]]:
    """The plan of the chosen ?year= (else the latest) among ``plans`` (all) and every plan year, in one query."""
    year = request.GET.get("year", "") if request is not None else ""
    plans = list((Plan.objects.all() if plans is None else plans).defer("source_text").order_by("-year"))
    chosen = [p for p in plans if str(p.year) == year] if year.isdigit() else plans[:1]
    if not chosen:
        raise Http404("적재된 실행계획이 없습니다.")
    return chosen[0], [p.year for p in plans]


def _plan(request=None) -> Plan:
    return plan_and_years(request)[0]


class CountedPaginator(Paginator):
    """Pages of rows already counted (by the roll-up): saves counting them again."""

    def __init__(self, object_list, per_page, *, count: int, **kwargs) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self.__dict__["count"] = count  # fills the cached_property


def dashboard_selection(request) -> tuple[Plan, DashboardFilter]:
    """The reviewer's dashboard selection (plan and filter); the filter's quarter defaults to the current one."""
    permissions.ensure_reviewer(request.user)
    plan, years = plan_and_years(request, dashboards.with_opened_quarter(Plan.objects.all()))
    quarter = dashboards.default_quarter(plan=plan)
    return plan, DashboardFilter(request.GET, queryset=plan.tasks.all(), plan=plan, years=years, quarter=quarter)


def _selection(request):
    """The dashboard selection with its quarter and the current weights."""
    plan, selection = dashboard_selection(request)
    return plan, selection, selection.shown_quarter, annual.weights_current()


@login_required
@require_GET
def plan_dashboard(request):
    plan, selection, quarter, weights = _selection(request)
    board = dashboards.plan_dashboard(
        plan=plan, tasks=selection.qs, quarter=quarter, weights=weights, status=selection.chosen("status")
    )
    table = DashboardTaskTable(board.rows)
    paging = {"per_page": 50, "paginator_class": CountedPaginator, "count": board.total.task_count}
    RequestConfig(request, paginate=paging).configure(table)
    context = {
        "plan": plan,
        "filter": selection,
        "quarter": quarter,
        "board": board,
        "table": table,
        "weights": weights,
        "status_counts": board.status_counts,
        "has_sample": board.has_sample,
    }
    return render(request, "reports/dashboard.html", context)


@login_required
@require_GET
def department_dashboard(request):
    plan, selection, quarter, weights = _selection(request)
    rows = dashboards.department_rows(plan=plan, tasks=selection.qs, quarter=quarter, weights=weights)
    pager = paginate(request, rows, label="부서 쪽 이동")
    shown = pager.page.object_list
    chart = charts.score_by_group(
        "chart-department-score", "부서별 종합 점수", [r.rollup.label for r in shown], [r.rollup.score for r in shown]
    )
    context = {
        "plan": plan,
        "filter": selection,
        "quarter": quarter,
        "pager": pager,
        "charts": [chart],
        "has_sample": any(row.rollup.samples for row in rows),
    }
    return render(request, "reports/dashboard_departments.html", context)


@login_required
@require_GET
def plan_gantt(request):
    plan, selection, quarter, weights = _selection(request)
    judged = dashboards.schedule_tasks(
        plan=plan, tasks=selection.qs, quarter=quarter, weights=weights, status=selection.chosen("status")
    )
    pager = paginate(request, judged, label="추진일정 쪽 이동")
    chart = dashboards.schedule_chart(plan=plan, judged=pager.page.object_list, quarter=quarter)
    context = {
        "plan": plan,
        "filter": selection,
        "quarter": quarter,
        "pager": pager,
        "charts": [chart] if chart.rows else [],
    }
    return render(request, "reports/dashboard_gantt.html", context)


@require_GET
def criteria(request):
    weights = annual.weights_current()
    expected = [(q, rules.percent_text(rules.expected_fraction(q))) for q in range(1, 5)]
    context = {"weights": weights, "s": scoring, "r": rules, "expected": expected}
    return render(request, "reports/criteria.html", context)


@login_required
@require_GET
def evaluation_page(request):
    permissions.ensure_reviewer(request.user)
    plan = _plan()
    current = Evaluation.objects.filter(plan=plan).select_related("weights", "run_by", "finalised_by").first()
    scores = (
        current.scores.select_related("task__department", "adjusted_by").order_by("task__number") if current else []
    )
    context = {"plan": plan, "evaluation": current, "scores": scores, "weights": annual.weights_current()}
    return render(request, "reports/evaluation.html", context)


def _refusal_to_message(request, action) -> None:
    try:
        action()
    except ReportActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, "처리했습니다.")


@login_required
@require_POST
def evaluation_run(request):
    permissions.ensure_reviewer(request.user)
    plan = _plan()
    _refusal_to_message(request, lambda: annual.evaluation_run(plan=plan, user=request.user))
    return redirect("reports:evaluation")


@login_required
@require_POST
def evaluation_finalise(request):
    permissions.ensure_reviewer(request.user)
    current = get_object_or_404(Evaluation, plan=_plan())
    _refusal_to_message(request, lambda: annual.evaluation_finalise(evaluation=current, user=request.user))
    return redirect("reports:evaluation")


@login_required
@require_http_methods(["GET", "POST"])
def score_detail(request, pk: int):
    permissions.ensure_reviewer(request.user)
    score = get_object_or_404(TaskScore.objects.select_related("task", "evaluation__weights", "adjusted_by"), pk=pk)
    typed = {"total": request.POST.get("total", ""), "reason": request.POST.get("reason", "")}
    if request.method == "POST":
        total = _adjusted_total(typed["total"])
        if total is None:
            messages.error(request, "조정 점수는 0~100 사이의 숫자로 입력하세요 (예: 85.5).")
        else:
            try:
                annual.score_adjust(score=score, user=request.user, total=total, reason=typed["reason"])
            except ReportActionRefused as refusal:
                messages.error(request, str(refusal))
            else:
                messages.success(request, "점수를 조정했습니다.")
                return redirect("reports:score-detail", pk=pk)
    return render(request, "reports/score_detail.html", {"score": score, "typed": typed})


def _adjusted_total(text: str) -> Decimal | None:
    """A typed score as a form reads it: a finite number from 0 to 100 with two decimals at most, else None."""
    field = forms.DecimalField(min_value=0, max_value=100, max_digits=5, decimal_places=2)
    try:
        return field.clean(text.strip())
    except ValidationError:
        return None


@login_required
@require_http_methods(["GET", "POST"])
def weights_page(request):
    permissions.ensure_reviewer(request.user)
    current = annual.weights_current()
    typed = {name: request.POST.get(name, str(getattr(current, name))) for name in scoring.COMPONENTS}
    note = request.POST.get("note", "")
    if request.method == "POST":
        try:
            values = {name: int(typed[name]) for name in scoring.COMPONENTS}
            if any(v < 0 for v in values.values()):
                raise ValueError
        except ValueError:
            messages.error(request, "가중치는 0 이상의 정수로 입력하세요.")
        else:
            try:
                annual.weights_change(user=request.user, values=values, note=note)
            except ReportActionRefused as refusal:
                messages.error(request, str(refusal))
            else:
                messages.success(request, "가중치를 새 버전으로 저장했습니다. 평가를 다시 실행하면 반영됩니다.")
                return redirect("reports:evaluation")
    context = {
        "current": current,
        "typed": typed,
        "note": note,
        "labels": scoring.COMPONENT_LABELS,
        "history": current.__class__.objects.select_related("created_by"),
    }
    return render(request, "reports/weights.html", context)


@require_GET
def open_results(request):
    """Government 3.0 openness: approved figures only, no names, no comments, no drafts; a page of tasks."""
    plan = _plan()
    latest, samples = annual.approved_quarters(plan=plan)
    quarter = latest or 1
    pager = paginate(request, plan.tasks.order_by("number").values_list("pk", flat=True))
    shown = plan.tasks.filter(pk__in=list(pager.page))
    _, facts = annual.approved_figures(plan=plan, quarter=quarter, tasks=shown)
    final, scores = annual.final_scores(plan=plan, tasks=shown)
    rows = [{"view": v, "score": scores.get(v.task.pk)} for v in facts.tasks]
    context = {
        "plan": plan,
        "quarter": quarter,
        "rows": rows,
        "pager": pager,
        "final": final,
        "has_sample": samples > 0,
    }
    return render(request, "reports/open_results.html", context)
