"""A report save runs the same few statements whatever the number of its rows, and reads each row once.

Measured with a task of 2 indicators, milestones and budget lines and one with 10 of each. The test runs inside
a transaction, so the save's ``transaction.atomic`` is a SAVEPOINT and its RELEASE; in production it is the
transaction's BEGIN and COMMIT. Those two are counted apart from the statements that read and write.
"""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from budgets.models import BudgetAmount, BudgetLine
from initiatives.models import Indicator, Milestone
from reports.progress import services
from tests.conftest import complete_data, post_data
from tests.factories import make_task

# 임시 저장 of the text, the rows as shown (what the load run does): session, user, the user's roles and departments,
# the report, its three row tables; the version claim that writes the report, TaskRevision, history.
SAVE_POST = 10
# Each kind of row changed too: one UPDATE a kind.
SAVE_POST_EVERY_ROW = SAVE_POST + 3
# 제출: as SAVE_POST, and the submit checks: the lines' amounts, the indicators' target changes, earlier quarters.
SUBMIT_POST = SAVE_POST + 3
# The service without the form's rows (sample data, tests): the claim, the report and its quarter read again, its
# task, the three row tables, a row UPDATE a kind, the report's, TaskRevision, history.
SAVE_SERVICE_ALONE = 13

ROW_TABLES = ("reports_indicatorresult", "reports_milestoneprogress", "reports_budgetexecution")
TRANSACTION = re.compile(r"(RELEASE )?SAVEPOINT ")


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
    """The statements ``run`` sent that read or write, checking that it used one transaction around them."""
    with CaptureQueriesContext(connection) as ctx:
        run()
    sql = [q["sql"] for q in ctx.captured_queries]
    assert sum(1 for s in sql if TRANSACTION.match(s)) == 2, "\n".join(sql)
    return [s for s in sql if not TRANSACTION.match(s)]


def post(client, report, **extra) -> list[str]:
    data = post_data(report, **extra)

    def run():
        response = client.post(f"/reports/{report.pk}/edit/", data)
        assert response.status_code == 302, response.content.decode()[:2000]

    return statements(run)


def reads_of(sql: list[str], table: str, report) -> int:
    """Reads of the report's own rows of ``table`` (the submit checks also read earlier quarters' rows)."""
    own = re.compile(rf'FROM "{table}" .*"{table}"\."report_id" (= {report.pk}\b|IN \({report.pk}\))')
    return sum(1 for s in sql if s.startswith("SELECT") and own.search(s))


def shown(sql: list[str]) -> str:
    return "\n".join(s[:160] for s in sql)


@pytest.fixture
def saved_once(client, officer, reports):
    """The reports saved once through the form, so that posting the same rows again changes none of them."""
    client.force_login(officer)
    for report in reports:
        post(client, report)
    return reports


@pytest.mark.django_db
def test_saving_a_draft_s_text_runs_the_same_statements_with_2_and_10_rows_of_each_kind(client, saved_once):
    small, large = (post(client, r, **{"report-achievements": "2분기 확대 준비"}) for r in saved_once)
    assert len(small) == len(large) == SAVE_POST, shown(large)


@pytest.mark.django_db
def test_saving_every_kind_of_row_runs_the_same_statements_with_2_and_10_rows_of_each_kind(client, officer, reports):
    client.force_login(officer)
    small, large = (post(client, report) for report in reports)  # the first save fills every row
    assert len(small) == len(large) == SAVE_POST_EVERY_ROW, shown(large)


@pytest.mark.django_db
@pytest.mark.parametrize("extra", [{}, {"submit": "1"}], ids=["save", "submit"])
def test_saving_or_submitting_reads_each_row_once(client, officer, reports, extra):
    client.force_login(officer)
    sql = post(client, reports[1], **extra)
    assert {table: reads_of(sql, table, reports[1]) for table in ROW_TABLES} == dict.fromkeys(ROW_TABLES, 1), shown(sql)


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
def test_the_save_service_alone_runs_the_same_statements_with_2_and_10_rows_of_each_kind(officer, reports):
    counts = []
    for report in reports:
        data = every_value_changed(report, "첫 저장")
        sql = statements(lambda: services.report_save(report=report, user=officer, version=report.version, data=data))
        counts.append(len(sql))
    assert counts == [SAVE_SERVICE_ALONE] * 2, shown(sql)


@pytest.mark.django_db
def test_submitting_runs_the_same_statements_with_2_and_10_rows_of_each_kind(client, saved_once):
    small, large = (post(client, report, submit="1") for report in saved_once)
    for report in saved_once:
        report.refresh_from_db()
        assert report.status == report.Status.SUBMITTED
    assert len(small) == len(large) == SUBMIT_POST, shown(large)
