"""The xlsx template round trip in a browser: 내 과제 → 양식 내려받기 → fill → 엑셀로 제출 → 미리보기 → 확인."""

import re

import pytest
from openpyxl import load_workbook

from reports.models import ProgressReport
from tests.browser.helpers import assert_accessible, expect, login


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"  # the upload waits there between preview and 확인


def fill_template(path) -> None:
    """What an officer types into the yellow cells for task 15."""
    workbook = load_workbook(path)
    for row in workbook["성과지표"].iter_rows(min_row=2):
        if row[2].value == 15 and row[4].value.startswith("찾아가는 동주민센터 시행 동"):
            row[7].value = 300
            row[9].value = "연말까지 42개 동 추가"
    for row in workbook["예산집행"].iter_rows(min_row=2):
        if row[2].value == 15:
            row[6].value = 20000
    for row in workbook["서술"].iter_rows(min_row=2):
        if row[2].value == 15:
            row[4].value = "엑셀로 작성한 1분기 실적"
    workbook.save(path)


def test_template_download_fill_upload_preview_confirm(live_page, live_server, q1, officer15, tmp_path):
    page = live_page
    login(page, live_server, "officer15")

    with page.expect_download() as download:
        page.get_by_role("link", name="1분기 엑셀 양식 내려받기").click()
    path = tmp_path / "양식.xlsx"
    download.value.save_as(path)
    fill_template(path)

    page.get_by_role("link", name="1분기 엑셀로 제출").click()
    expect(page.locator("h1")).to_contain_text("엑셀로 제출")
    assert_accessible(page, "엑셀로 제출")
    page.set_input_files("#id_file", str(path))
    page.get_by_role("button", name="올리고 미리보기").click()

    expect(page.locator("h1")).to_contain_text("미리보기")
    expect(page.locator("main table")).to_contain_text("엑셀로 작성한 1분기 실적")
    assert not ProgressReport.objects.exists()  # nothing is applied before 확인
    assert_accessible(page, "미리보기")
    page.get_by_role("button", name=re.compile(r"^확인: \d+행 반영$")).click()
    expect(page.locator("[role=status]")).to_contain_text("반영했습니다")

    report = ProgressReport.objects.get(task__number=15, period=q1)
    assert report.achievements == "엑셀로 작성한 1분기 실적"
    assert report.budget_executions.get().spent_to_date == 20000
    assert report.indicator_results.get(indicator__name__startswith="찾아가는 동주민센터 시행 동").actual == 300
    page.goto(f"{live_server.url}/reports/{report.pk}/")
    expect(page.locator("#h-content + h3 + .table-responsive table")).to_contain_text("연말까지 42개 동 추가")
    assert_accessible(page, "보고 (엑셀로 반영 후)")
