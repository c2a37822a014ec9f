"""The evaluation workbook written a slice of tasks at a time is the workbook written at once."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from bench.synthetic import Spec, synthetic_generate
from initiatives.models import Plan
from reports.spreadsheets import workbook
from reports.spreadsheets.workbook import SHEET_TITLES, WorkbookFilter, evaluation_workbook


def cells(content: bytes) -> dict[str, list[tuple]]:
    book = load_workbook(BytesIO(content))
    return {ws.title: [tuple(c.value for c in row) for row in ws.iter_rows()] for ws in book.worksheets}


def written(plan: Plan, now) -> bytes:
    out = BytesIO()
    evaluation_workbook(out, WorkbookFilter(plan=plan, quarter=3), now=now)
    return out.getvalue()


@pytest.mark.django_db
def test_slices_of_three_tasks_write_the_same_workbook(monkeypatch):
    from django.utils import timezone

    synthetic_generate(Spec(tasks=11, years=1, seed=9))
    plan, now = Plan.objects.get(year=2016), timezone.now()
    whole = cells(written(plan, now))
    monkeypatch.setattr(workbook, "CHUNK", 3)
    sliced = cells(written(plan, now))
    assert list(sliced) == SHEET_TITLES
    assert sliced == whole
    assert len(whole["과제별 실적"]) == 1 + 11 * 4  # header, then every task in every quarter
    assert len(whole["요약"]) > 3 + 5  # notes, header, five areas and their programmes


@pytest.mark.django_db
def test_an_empty_selection_still_has_every_sheet():
    synthetic_generate(Spec(tasks=4, years=1, seed=9))
    plan = Plan.objects.get(year=2016)
    department = plan.tasks.first().department
    area = plan.strategic_areas.exclude(programmes__tasks__department=department).first()
    out = BytesIO()
    evaluation_workbook(out, WorkbookFilter(plan=plan, area=area, department=department))
    assert list(cells(out.getvalue())) == SHEET_TITLES
