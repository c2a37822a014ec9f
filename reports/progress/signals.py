"""Whatever a stored assessment was computed from, when it changes, marks the task's rows out of date.

Signals, not calls in each writer, because plan data is also changed by the admin, django-import-export
and ``load_plan``; report writes all go through ``reports.progress.services`` (child rows are saved with their
report). Writes that send no signal (bulk writes, the form's save that claims and writes the report in one
UPDATE) call ``services.tasks_changed`` themselves.
"""

from django.db.models.signals import post_delete, post_save

from budgets.models import BudgetAmount, BudgetColumn, BudgetLine, BudgetTable
from initiatives.models import Indicator, Milestone, Task
from reports.models import ProgressReport, ReportingPeriod, TaskRevision
from reports.progress.services import tasks_changed


def _task(sender, instance, **kwargs) -> None:
    tasks_changed([instance.task_id])


def _table(sender, instance, **kwargs) -> None:
    tasks_changed(Task.objects.filter(budget_table=instance.table_id).values("pk"))


def _amount(sender, instance, **kwargs) -> None:
    tasks_changed(Task.objects.filter(budget_table__lines=instance.line_id).values("pk"))


def _period(sender, instance, **kwargs) -> None:
    tasks_changed(Task.objects.filter(plan=instance.plan_id).values("pk"))


def _task_deleted(sender, instance, **kwargs) -> None:
    # A task's children are deleted before it, and their receivers bump (so re-create) its revision row.
    TaskRevision.objects.filter(task_id=instance.pk).delete()


RECEIVERS = {
    ProgressReport: _task,
    Milestone: _task,
    Indicator: _task,
    BudgetTable: _task,
    BudgetColumn: _table,
    BudgetLine: _table,
    BudgetAmount: _amount,
    ReportingPeriod: _period,
}


def connect() -> None:
    for model, receiver in RECEIVERS.items():
        post_save.connect(receiver, sender=model, dispatch_uid=f"assessments-{model.__name__}-save")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"assessments-{model.__name__}-delete")
    post_delete.connect(_task_deleted, sender=Task, dispatch_uid="assessments-Task-delete")
