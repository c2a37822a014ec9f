"""The evaluation workbook: sheets, Korean headers, formats, frozen panes, filters, print set-up, escaping."""

from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from reports.evaluation import annual
from reports.progress import services
from reports.spreadsheets.workbook import SHEET_TITLES, WorkbookFilter, evaluation_workbook
from tests.conftest import complete_data


@pytest.fixture
def approved(report, officer, reviewer):
    data = complete_data(
        report, achievements='=HYPERLINK("http://evil","클릭")', problems="+1-1", next_steps="@SUM(A1)"
    )
    (execution,) = report.budget_executions.all()
    data["budget_executions"][execution.pk]["spent_to_date"] = 36025
    services.report_submit(report=report, user=officer, version=report.version, data=data)
    services.report_approve(report=report, user=reviewer, version=report.version)
    annual.evaluation_run(plan=report.task.plan, user=reviewer)
    return report


def workbook(plan, **kwargs):
    buffer = BytesIO()
    evaluation_workbook(buffer, WorkbookFilter(plan=plan, **kwargs))
    return load_workbook(BytesIO(buffer.getvalue()))


def header_row(ws) -> tuple[int, list]:
    for index, row in enumerate(ws.iter_rows(values_only=True), start=1):
        if row[0] == "연번" or row[0] == "구분" or row[0] == "일시":
            return index, list(row)
    raise AssertionError(f"no header in {ws.title}")


@pytest.mark.django_db
def test_sheets_headers_formats_panes_filters(plan, approved):
    wb = workbook(plan, quarter=1)
    assert wb.sheetnames == SHEET_TITLES
    assert wb.properties.title.startswith("2017년도 서울시 정부3.0 실행계획 평가 자료") and wb.properties.created
    for ws in wb.worksheets:
        index, headers = header_row(ws)
        assert ws.freeze_panes == f"A{index + 1}", ws.title
        assert ws.auto_filter.ref.startswith(f"A{index}:"), ws.title
        # fitToWidth 1 is the schema's default, which XlsxWriter leaves out
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth in (None, 1)
        assert max(d.width for d in ws.column_dimensions.values()) >= 30  # text columns are wide
        assert all(isinstance(h, str) and h for h in headers)
    _, summary = header_row(wb["요약"])
    assert {"예산현액(백만원)", "지출액 누계(백만원)", "집행잔액(백만원)", "집행률"} <= set(summary)
    ws = wb["요약"]
    area = next(r for r in ws.iter_rows(min_row=4) if r[0].value == "추진방안")
    columns = dict(zip(summary, area))
    assert columns["예산현액(백만원)"].number_format == "#,##0" and isinstance(columns["예산현액(백만원)"].value, int)
    assert columns["집행률"].number_format == "0.0%"


@pytest.mark.django_db
def test_budget_sheet_keeps_printed_totals_and_flags_mismatches(plan, approved):
    ws = workbook(plan)["예산"]
    index, headers = header_row(ws)
    rows = [dict(zip(headers, r)) for r in ws.iter_rows(min_row=index + 1, values_only=True)]
    totals = {r["연번"]: r for r in rows if r["사업내용"] == "계(표 전체)"}
    assert totals[13]["인쇄된 계(백만원)"] == 1817 and totals[13]["계산 합계(백만원)"] == 1827
    assert "1,817" in totals[13]["원문 합계 불일치"]
    assert "195" in totals[9]["원문 합계 불일치"] and totals[9]["인쇄된 계(백만원)"] == 805
    assert totals[15]["인쇄된 계(백만원)"] == totals[15]["계산 합계(백만원)"] == 145214
    assert totals[7]["인쇄된 계(백만원)"] == 1500
    non_budget = {r["연번"] for r in rows if r["사업내용"] == "비예산"}
    assert non_budget == {4, 12}
    # execution against 예산현액 for 2017
    line = next(r for r in rows if r["연번"] == 15 and r["연도 열"] == "'17년")
    assert (line["예산현액 2017(백만원)"], line["지출액 누계(백만원)"], line["집행잔액(백만원)"]) == (
        72050,
        36025,
        36025,
    )
    assert line["집행률"] == pytest.approx(0.5)


@pytest.mark.django_db
def test_formula_like_text_is_escaped(plan, approved):
    ws = workbook(plan)["과제별 실적"]
    cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert not [c for c in cells if c.data_type == "f"]
    values = {c.value for c in cells}
    assert '\'=HYPERLINK("http://evil","클릭")' in values and "'+1-1" in values and "'@SUM(A1)" in values


@pytest.mark.django_db
def test_evaluation_sheet_carries_provenance(plan, approved):
    wb = workbook(plan)
    index, headers = header_row(wb["평가 결과"])
    rows = [dict(zip(headers, r)) for r in wb["평가 결과"].iter_rows(min_row=index + 1, values_only=True)]
    row = next(r for r in rows if r["연번"] == 15)
    assert row["가중치 버전"] == 1 and str(approved.pk) in row["사용한 보고"]
    assert row["산출 점수"] is not None
    index, headers = header_row(wb["산출 근거"])  # the full provenance, one part or figure per row
    trail = [dict(zip(headers, r)) for r in wb["산출 근거"].iter_rows(min_row=index + 1, values_only=True)]
    assert any(r["연번"] == 15 and r["항목"] == "성과지표" and '"rate"' in r["내용(JSON)"] for r in trail)


@pytest.mark.django_db
def test_filters_limit_the_tasks(plan, approved):
    from initiatives.models import Department

    ws = workbook(plan, department=Department.objects.get(name="자치행정과"))["과제별 실적"]
    index, headers = header_row(ws)
    numbers = {r[0] for r in ws.iter_rows(min_row=index + 1, values_only=True)}
    assert numbers == {6, 15}


@pytest.mark.django_db
def test_command_writes_the_same_workbook(plan, approved, tmp_path):
    out = StringIO()
    call_command(
        "export_workbook", "--year", "2017", "-o", str(tmp_path / "w.xlsx"), "--department", "자치행정과", stdout=out
    )
    wb = load_workbook(tmp_path / "w.xlsx")
    assert wb.sheetnames == SHEET_TITLES
    assert "저장했습니다" in out.getvalue()


@pytest.mark.django_db
def test_download_for_the_planning_office(client, reviewer, approved):
    client.force_login(reviewer)
    response = client.get("/exports/workbook/?quarter=1")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    wb = load_workbook(BytesIO(b"".join(response.streaming_content)))
    assert wb.sheetnames == SHEET_TITLES
