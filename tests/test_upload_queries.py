"""The offline upload at bulk speed: the preview and the confirm each run a number of queries that does not
grow with the rows, and the faster reader still refuses a formula typed into an input cell."""

import io
import json
import re
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gov30.spreadsheets import UploadRefused
from reports.models import BudgetExecution, ProgressReport, ReportEvent
from reports.progress import services
from reports.spreadsheets import offline
from tests import bad_files
from tests.factories import make_task

FILL = {
    "실적": 7,
    "설명·미달성 사유": "오프라인 입력",
    "진행 상태": "진행중",
    "지출액 누계(백만원)": 3,
    "주요 추진실적": "실적",
}


def filled(officer, period) -> bytes:
    template = io.BytesIO()
    offline.template_workbook(template, user=officer, period=period)

    def change(workbook):
        for title, columns in offline.SHEETS.items():
            for cells in workbook[title].iter_rows(min_row=2):
                for cell, column in zip(cells, columns):
                    if column.header in FILL:
                        cell.value = FILL[column.header]

    return bad_files.edit(template.getvalue(), change)


def queries_of_upload(plan, period, officer, count: int, first: int) -> tuple[int, int]:
    """(preview, confirm) queries for the officer's tasks plus ``count`` new ones, half of them already started."""
    tasks = [make_task(plan=plan, number=first + n, department_name="자치행정과") for n in range(count)]
    for task in tasks[::2]:
        services.report_start(task=task, period=period, user=officer)
    content = filled(officer, period)
    with CaptureQueriesContext(connection) as previewed:
        result = offline.preview(handle=io.BytesIO(content), user=officer, period=period)
    assert not result.errors and len(result.changed) >= 4 * count  # 4 rows a task
    kept = json.loads(offline.pending_json(result))
    with CaptureQueriesContext(connection) as confirmed:
        offline.apply(pending=kept, user=officer, period=period)
    assert ProgressReport.objects.filter(task__in=tasks, period=period, achievements="실적").count() == count
    assert BudgetExecution.objects.filter(report__task__in=tasks, spent_to_date=3).count() == count
    assert ReportEvent.objects.filter(report__task__in=tasks, action="save").count() == count  # history kept
    return len(previewed), len(confirmed)


@pytest.mark.django_db
def test_preview_and_confirm_queries_do_not_grow_with_the_rows(plan, open_q1, officer):
    small = queries_of_upload(plan, open_q1, officer, 2, first=100)
    large = queries_of_upload(plan, open_q1, officer, 20, first=200)  # the first upload's tasks: unchanged rows
    assert small == large, f"2 tasks: {small}, 20 tasks: {large} (preview, confirm)"


def _with_cached_formula(content: bytes, cell: str) -> bytes:
    """The file as a spreadsheet program saves it: a formula in ``cell`` with its computed value beside it."""
    source, buffer = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    paths = offline._sheet_paths(source)
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == paths["성과지표"]:
                data, replaced = re.subn(
                    rf'<c r="{cell}"([^>]*?)(?:/>|>.*?</c>)'.encode(),
                    rf'<c r="{cell}"><f>6+1</f><v>7</v></c>'.encode(),
                    data,
                )
                assert replaced == 1
            archive.writestr(info, data)
    return buffer.getvalue()


@pytest.mark.django_db
def test_a_formula_in_an_input_cell_is_refused_with_its_cell_even_with_its_value_saved(open_q1, officer):
    content = filled(officer, open_q1)
    offline.preview(handle=io.BytesIO(content), user=officer, period=open_q1)  # the template's own formulas pass
    with pytest.raises(UploadRefused, match="'성과지표' 시트 H2 칸에 수식이 있습니다. 입력 칸에는 값만 넣어 주세요."):
        offline.preview(handle=io.BytesIO(_with_cached_formula(content, "H2")), user=officer, period=open_q1)


@pytest.mark.django_db
def test_check_constraints_are_checked_for_a_whole_sheet_in_one_query():
    rows = [BudgetExecution(spent_to_date=5), BudgetExecution(spent_to_date=-1), BudgetExecution(spent_to_date=None)]
    with CaptureQueriesContext(connection) as checked:
        failures = offline.constraint_failures(BudgetExecution, rows)
    assert failures == {1: ["spent_not_negative"]} and len(checked) == 1
