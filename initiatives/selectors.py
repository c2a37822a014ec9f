"""Named read queries for the plan, with their joins built in."""

from django.db.models import Count, QuerySet

from initiatives.models import Department, Milestone, Plan, StrategicArea, Task


def plan_latest() -> Plan | None:
    return Plan.objects.order_by("-year").first()


def tasks_for_plan(*, plan: Plan) -> QuerySet[Task]:
    """Tasks with programme, area and department joined (one query)."""
    return Task.objects.filter(plan=plan).select_related("programme__strategic_area", "department", "plan")


def task_detail_queryset() -> QuerySet[Task]:
    """Everything the task page shows, in a fixed number of queries."""
    return Task.objects.select_related("programme__strategic_area", "department", "plan").prefetch_related(
        "task_agencies__agency", "milestones", "indicators"
    )


def areas_for_plan(*, plan: Plan) -> QuerySet[StrategicArea]:
    return StrategicArea.objects.filter(plan=plan).prefetch_related("programmes")


def departments_with_task_counts() -> QuerySet[Department]:
    return Department.objects.annotate(task_count=Count("tasks")).order_by("name")


def milestones_of_year(*, year: int, milestones: QuerySet[Milestone] | None = None) -> QuerySet[Milestone]:
    """The milestones of a year: ``rules.covers_year`` as a query (an open end runs on)."""
    milestones = milestones if milestones is not None else Milestone.objects.all()
    return milestones.filter(start__year__lte=year).exclude(end__year__lt=year)
