"""While typing in the report form: a bad number is flagged with the server's Korean message (aria-invalid,
aria-describedby), spending above 예산현액 says 경고, and 임시 저장 with a file keeps the form open."""

import re

import pytest

from reports.progress import services
from tests.browser.helpers import assert_accessible, expect, login


@pytest.fixture
def report_form(live_page, live_server, live_plan, q1, officer15, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    report = services.report_start(task=live_plan.tasks.get(number=15), period=q1, user=officer15)
    login(live_page, live_server, "officer15")
    live_page.goto(f"{live_server.url}/reports/{report.pk}/edit/")
    return report


def test_a_misgrouped_number_is_flagged_as_it_is_typed_and_cleared_when_fixed(live_page, report_form):
    page = live_page
    actual = page.locator("#id_indicator_results-0-actual")
    actual.fill("12,34,5")
    expect(actual).to_have_attribute("aria-invalid", "true")
    message = page.locator("#" + actual.get_attribute("aria-describedby"))
    expect(message).to_contain_text("'12,34,5': 쉼표는 뒤에서부터 세 자리마다")
    expect(page.locator("output.achievement").first).to_have_text("–")
    assert_accessible(page, "보고 작성 (입력 중 오류)")

    actual.fill("1,234")
    expect(actual).not_to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_indicator_results-0-actual-error")).to_have_text("")
    expect(page.locator("output.achievement").first).to_have_text(re.compile(r"^\d+(\.\d)?%$"))


def test_spending_above_the_budget_warns_while_typing_and_still_saves(live_page, report_form, tmp_path):
    page = live_page
    page.fill("#id_budget_executions-0-spent_to_date", "80,000")
    warning = page.locator("output.overspend-warning").first
    expect(warning).to_contain_text("경고: 지출액 누계가 예산현액을 7,950백만원 넘습니다")
    expect(page.locator("#id_budget_executions-0-spent_to_date")).not_to_have_attribute("aria-invalid", "true")

    evidence = tmp_path / "회의록.pdf"
    evidence.write_bytes(b"%PDF-1.4 browser evidence")
    page.set_input_files("#id_evidence-file", str(evidence))
    page.get_by_role("button", name="임시 저장").click()
    expect(page.locator("[role=status]")).to_contain_text("임시 저장했습니다")
    expect(page).to_have_url(re.compile(rf"/reports/{report_form.pk}/edit/$"))
    expect(page.locator("output.overspend-warning").first).to_contain_text("경고")
    expect(page.get_by_role("link", name="회의록.pdf")).to_be_visible()
    assert_accessible(page, "보고 작성 (저장 후 경고)")
