"""A report save runs the same few statements whatever the number of its rows, and reads each row once.

Measured with a task of 2 indicators, milestones and budget lines and one with 10 of each. The counts
include the savepoint pair that ``transaction.atomic`` issues inside the test's transaction.
"""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from budgets.models import BudgetAmount, BudgetLine
from initiatives.models import Indicator, Milestone
from reports.progress import services
from reports.progress.forms import ReportFormBundle
from tests.conftest import complete_data, post_data
from tests.factories import make_task

# Session, user, their roles and departments, the report; its three row tables; savepoint, version claim, three
# row updates, the report, TaskRevision, history, release. Only the row updates and history depend on what changed.
SAVE_POST = 17
# The service given the rows the form read: savepoint, claim, three row updates, the report, TaskRevision,
# history, release.
SAVE_SERVICE = 9
# Reading the rows itself: three statements more.
SAVE_SERVICE_ALONE = 12
# As SAVE_POST, and the submit checks: the lines' amounts, the indicators' target changes, earlier quarters.
SUBMIT_POST = 20

ROW_TABLES = ("reports_indicatorresult", "reports_milestoneprogress", "reports_budgetexecution")


def report_of_task_with(rows: int, *, plan, open_q1, officer, number: int):
    """A fresh Q1 report of a task with ``rows`` indicators, milestones and budget lines."""
    task = make_task(plan=plan, number=number, department_name="자치행정과")
    line = task.budget_table.lines.get()
    column = line.amounts.get().column
    for order in range(1, rows):
        Indicator.objects.create(task=task, order=order, name=f"지표 {order}", unit="건", target=10, year=plan.year)
        Milestone.objects.create(
            task=task, order=order, title=f"일정 {order}", date_text="’17.2월", start=datetime.date(plan.year, 2, 1)
        )
        extra = BudgetLine.objects.create(table=line.table, order=order, name=f"사업 {order}", printed_total=100)
        BudgetAmount.objects.create(line=extra, column=column, amount=100)
    return services.report_start(task=task, period=open_q1, user=officer)


@pytest.fixture
def reports(plan, open_q1, officer):
    """(small, large): reports of tasks with 2 and with 10 rows of each kind."""
    return tuple(
        report_of_task_with(rows, plan=plan, open_q1=open_q1, officer=officer, number=number)
        for rows, number in ((2, 101), (10, 102))
    )


def statements(run) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        run()
    return [q["sql"] for q in ctx.captured_queries]


def post(client, report, **extra) -> list[str]:
    data = post_data(report, **extra)

    def run():
        response = client.post(f"/reports/{report.pk}/edit/", data)
        assert response.status_code == 302, response.content.decode()[:2000]

    return statements(run)


def reads_of(sql: list[str], table: str) -> int:
    return sum(1 for s in sql if s.startswith("SELECT") and re.search(rf'FROM "{table}"', s))


@pytest.mark.django_db
def test_saving_a_draft_runs_the_same_statements_with_2_and_10_rows_of_each_kind(client, officer, reports):
    client.force_login(officer)
    small, large = (post(client, report) for report in reports)
    assert len(small) == len(large), "\n".join(large)
    assert len(large) <= SAVE_POST, "\n".join(large)


@pytest.mark.django_db
def test_saving_a_draft_reads_each_row_once(client, officer, reports):
    client.force_login(officer)
    sql = post(client, reports[1])
    assert {table: reads_of(sql, table) for table in ROW_TABLES} == dict.fromkeys(ROW_TABLES, 1), "\n".join(sql)


def every_value_changed(report, text: str) -> dict:
    """Submittable values with ``text`` in each text box, so that the report and all its rows are written."""
    data = complete_data(report, achievements=text)
    for group, name in (
        ("indicator_results", "comment"),
        ("milestone_progress", "delay_reason"),
        ("budget_executions", "explanation"),
    ):
        for values in data[group].values():
            values[name] = text
    return data


@pytest.mark.django_db
def test_the_save_service_runs_the_same_statements_with_2_and_10_rows_of_each_kind(officer, reports):
    """On its own (the sample data, tests) and as the form calls it, with the rows the form read."""
    alone, given = [], []
    for report in reports:
        data = every_value_changed(report, "첫 저장")
        alone.append(
            statements(lambda: services.report_save(report=report, user=officer, version=report.version, data=data))
        )
        rows = ReportFormBundle(report).rows
        data = every_value_changed(report, "두 번째 저장")
        given.append(
            statements(
                lambda: services.report_save(report=report, user=officer, version=report.version, data=data, rows=rows)
            )
        )
    assert [len(s) for s in alone] == [SAVE_SERVICE_ALONE] * 2, "\n\n".join("\n".join(s) for s in alone)
    assert [len(s) for s in given] == [SAVE_SERVICE] * 2, "\n\n".join("\n".join(s) for s in given)


@pytest.mark.django_db
def test_submitting_runs_the_same_statements_with_2_and_10_rows_of_each_kind(client, officer, reports):
    client.force_login(officer)
    small, large = (post(client, report, submit="1") for report in reports)
    for report in reports:
        report.refresh_from_db()
        assert report.status == report.Status.SUBMITTED
    assert len(small) == len(large), "\n".join(large)
    assert len(large) <= SUBMIT_POST, "\n".join(large)
