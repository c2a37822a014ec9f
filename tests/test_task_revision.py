"""A task's revision lives in reporting (``TaskRevision``): bumped in one statement, 0 while a task has no row."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.evaluation import annual, assessments
from reports.models import TaskAssessment, TaskRevision
from reports.progress import services
from tests.factories import make_task


def revisions(tasks) -> dict[int, int]:
    stored = dict(TaskRevision.objects.filter(task__in=tasks).values_list("task_id", "revision"))
    return {task.pk: stored.get(task.pk, 0) for task in tasks}


@pytest.mark.django_db
def test_bumping_adds_one_and_starts_missing_rows_at_one_in_one_statement(plan):
    first, second, third = plan.tasks.order_by("number")[:3]
    TaskRevision.objects.filter(task=second).delete()
    TaskRevision.objects.update_or_create(task=first, defaults={"revision": 5})
    before = revisions([first, second, third])
    with CaptureQueriesContext(connection) as queries:
        services.tasks_changed([first.pk, second.pk])
    assert len(queries) == 1
    assert revisions([first, second, third]) == {first.pk: 6, second.pk: 1, third.pk: before[third.pk]}


@pytest.mark.django_db
def test_bumping_a_queryset_of_tasks_bumps_each_once(plan):
    before = revisions(list(plan.tasks.all()))
    with CaptureQueriesContext(connection) as queries:
        services.tasks_changed(plan.tasks.filter(number__lte=4).values("pk"))
    assert len(queries) == 1
    after = revisions(list(plan.tasks.all()))
    assert {pk for pk in after if after[pk] != before[pk]} == set(
        plan.tasks.filter(number__lte=4).values_list("pk", flat=True)
    )
    assert all(after[pk] == before[pk] + 1 for pk in after if after[pk] != before[pk])


@pytest.mark.django_db
def test_bumping_no_task_sends_no_query():
    with CaptureQueriesContext(connection) as queries:
        services.tasks_changed([])
    assert len(queries) == 0


@pytest.mark.django_db
def test_a_task_without_a_revision_row_keeps_its_rows_at_revision_0(plan, periods):
    TaskRevision.objects.filter(task__plan=plan).delete()
    assessments.stored_judging_missing(plan=plan, tasks=plan.tasks.all(), weights=annual.weights_current())
    assert set(TaskAssessment.objects.filter(period__plan=plan).values_list("revision", flat=True)) == {0}
    assert assessments.assessments_ensure(plan=plan) == 0  # the rows just made are current: nothing to redo
    first = plan.tasks.order_by("number").first()
    services.tasks_changed([first.pk])
    assert assessments.assessments_ensure(plan=plan) == 1
    assert set(TaskAssessment.objects.filter(task=first).values_list("revision", flat=True)) == {1}


@pytest.mark.django_db
def test_deleting_a_task_leaves_no_revision_behind(plan):
    task = make_task(plan=plan, number=17)
    services.tasks_changed([task.pk])
    task.delete()  # its milestones, indicators and budget go first, and their receivers bump it again
    assert not TaskRevision.objects.filter(task_id=task.pk).exists()
    connection.check_constraints()  # what the commit would check
