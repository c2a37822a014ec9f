"""Small make_* helpers for tests (no factory framework)."""

import datetime

from budgets.models import BudgetAmount, BudgetColumn, BudgetLine, BudgetTable
from initiatives.models import Agency, Department, Indicator, Milestone, Plan, Programme, Task, TaskAgency


def make_task(
    *, plan: Plan, number: int, programme: Programme | None = None, department_name: str = "테스트과"
) -> Task:
    """A task with an agency, a milestone, an indicator and a one-line budget table."""
    department, _ = Department.objects.get_or_create(name=department_name)
    task = Task.objects.create(
        plan=plan,
        number=number,
        title=f"시험 과제 {number}",
        programme=programme or Programme.objects.filter(strategic_area__plan=plan).first(),
        department=department,
    )
    agency, _ = Agency.objects.get_or_create(name=f"시험 기관 {number % 5}")
    TaskAgency.objects.create(task=task, agency=agency)
    Milestone.objects.create(task=task, title="착수", date_text="’17.1월", start=datetime.date(plan.year, 1, 1))
    Indicator.objects.create(task=task, name="지표", unit="건", target=10, year=plan.year)
    table = BudgetTable.objects.create(task=task)
    column = BudgetColumn.objects.create(table=table, order=0, label="'17년", from_year=2017, to_year=2017)
    line = BudgetLine.objects.create(table=table, order=0, name="사업", printed_total=number)
    BudgetAmount.objects.create(line=line, column=column, amount=number)
    return task


def make_tasks(*, plan: Plan, count: int) -> list[Task]:
    start = plan.tasks.count() + 1
    return [make_task(plan=plan, number=n, department_name=f"시험과{n % 7}") for n in range(start, start + count)]
