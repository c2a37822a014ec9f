"""Public pages of the plan: it is a public document, readable without login."""

from django.db.models import Prefetch
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe
from django_tables2 import RequestConfig

from budgets.selectors import budget_prefetch, with_budget_totals
from budgets.services import budget_summary
from initiatives import charts
from initiatives.exports import plan_export
from initiatives.filters import TaskFilter
from initiatives.models import Agency, Department, Plan, Task
from initiatives.rules import months_covered, span_in_year
from initiatives.selectors import (
    areas_for_plan,
    departments_with_task_counts,
    plan_latest,
    task_detail_queryset,
    tasks_for_plan,
)
from initiatives.tables import TaskTable


def _current_plan():
    plan = plan_latest()
    if plan is None:
        raise Http404("적재된 실행계획이 없습니다.")
    return plan


@require_safe
def plan_overview(request):
    plan = _current_plan()
    tasks = list(with_budget_totals(tasks_for_plan(plan=plan)).order_by("number"))
    areas = list(areas_for_plan(plan=plan))
    for area in areas:
        for programme in area.programmes.all():
            programme.task_rows = [t for t in tasks if t.programme_id == programme.pk]
    totals = [t.budget_total for t in tasks if t.budget_total is not None]
    context = {"plan": plan, "areas": areas, "task_count": len(tasks), "budget_total": sum(totals)}
    return render(request, "initiatives/plan_overview.html", context)


@require_safe
def task_detail(request, pk: int):
    task = get_object_or_404(
        task_detail_queryset().select_related("budget_table").prefetch_related(*budget_prefetch()), pk=pk
    )
    table = getattr(task, "budget_table", None)
    year = task.plan.year
    milestones = [(m, months_covered(start=m.start, end=m.end, year=year)) for m in task.milestones.all()]
    spans = [(m, span_in_year(start=m.start, end=m.end, year=year)) for m in task.milestones.all()]
    items = [charts.GanttItem(f"{m.date_text} {m.title}", *span) for m, span in spans if span]
    gantt = charts.gantt("chart-task-gantt", f"{year}년 추진일정", items, year=year) if items else None
    context = {
        "task": task,
        "gantt": gantt,
        "budget": budget_summary(table) if table else None,
        "milestones": milestones,
        "months": range(1, 13),
    }
    return render(request, "initiatives/task_detail.html", context)


@require_safe
def task_list(request):
    plan = _current_plan()
    task_filter = TaskFilter(request.GET, queryset=with_budget_totals(tasks_for_plan(plan=plan)))
    table = TaskTable(task_filter.qs)
    RequestConfig(request, paginate={"per_page": 25}).configure(table)
    return render(request, "initiatives/task_list.html", {"plan": plan, "filter": task_filter, "table": table})


@require_safe
def department_list(request):
    return render(request, "initiatives/department_list.html", {"departments": departments_with_task_counts()})


@require_safe
def department_detail(request, pk: int):
    department = get_object_or_404(Department, pk=pk)
    tasks = with_budget_totals(
        Task.objects.filter(department=department).select_related("programme__strategic_area", "plan")
    ).order_by("plan__year", "number")
    return render(request, "initiatives/department_detail.html", {"department": department, "tasks": tasks})


@require_safe
def agency_list(request):
    agencies = Agency.objects.prefetch_related(
        Prefetch("tasks", queryset=Task.objects.order_by("number").only("pk", "number", "title"))
    )
    return render(request, "initiatives/agency_list.html", {"agencies": agencies})


@require_safe
def plan_api(request, year: int):
    plan = Plan.objects.filter(year=year).first()
    if plan is None:
        return JsonResponse(
            {"error": f"{year}년 실행계획이 없습니다."}, status=404, json_dumps_params={"ensure_ascii": False}
        )
    return JsonResponse(plan_export(plan=plan), json_dumps_params={"ensure_ascii": False, "indent": 2})
