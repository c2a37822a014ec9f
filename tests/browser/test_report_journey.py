"""One quarter in a real browser: an officer reports, the planning office returns it, the officer fixes it,
the planning office approves it, and the dashboard and the evaluation workbook show the new figures.

axe-core runs on every page the journey visits (tests/browser/helpers.py: assert_accessible).
"""

import re

from openpyxl import load_workbook

from tests.browser.helpers import assert_accessible, expect, login, logout, wait_for_charts

TASK = "찾아가는 동주민센터"
SPENT = "21,000"  # typed the Korean way, with a thousands separator
NARRATIVE = {
    "#id_report-achievements": "3단계 확대 대상 59개 동 선정",
    "#id_report-problems": "찾아가는 복지 인력 충원 지연 — 2분기 채용",
    "#id_report-next_steps": "2분기 인력 충원 및 4단계 대상 동 선정",
}


def fill_report(page) -> list[str]:
    """Every indicator at its target, milestones in progress, spending, narrative and 자체 진단."""
    cells = page.locator("output.achievement").all()
    targets = [o.locator("xpath=ancestor::tr/td[contains(@class, 'num')][1]").inner_text() for o in cells]
    for i, target in enumerate(targets):
        page.fill(f"#id_indicator_results-{i}-actual", target)
    for select in page.locator("select[name^='milestone_progress-'][name$='-status']").all():
        select.select_option("in_progress")
    page.fill("#id_budget_executions-0-spent_to_date", SPENT)
    for selector, text in NARRATIVE.items():
        page.fill(selector, text)
    page.check("input[name='report-self_assessment'][value='on_track']")
    return targets


def open_report_as_reviewer(page, live_server) -> None:
    login(page, live_server, "planner")
    assert_accessible(page, "검토함")
    page.locator("section[aria-labelledby='h-waiting']").get_by_role("link", name=re.compile(TASK)).click()
    expect(page.locator("h1")).to_contain_text(TASK)
    assert_accessible(page, "보고 (검토자)")


def test_officer_reports_reviewer_returns_officer_fixes_reviewer_approves(
    live_page, live_server, q1, officer15, planner, tmp_path
):
    page = live_page
    page.goto(live_server.url + "/")
    assert_accessible(page, "계획 개요")

    # A mistyped password: the error is announced and tied to the field.
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", "officer15")
    page.fill("#id_password", "wrong password")
    page.get_by_role("button", name="로그인").click()
    expect(page.locator("#login-errors[role=alert]")).to_be_visible()
    expect(page.locator("#id_username")).to_have_attribute("aria-describedby", "login-errors")
    assert_accessible(page, "로그인 (오류)")

    # The officer opens this quarter's report from 내 과제.
    login(page, live_server, "officer15")
    expect(page).to_have_url(re.compile(r"/my/$"))
    assert_accessible(page, "내 과제")
    page.locator("tr", has_text=TASK).get_by_role("button", name="보고 작성").first.click()
    expect(page).to_have_url(re.compile(r"/reports/\d+/edit/$"))
    report_url = page.url.removesuffix("edit/")
    assert_accessible(page, "보고 작성")

    # A bad value: the Korean error, linked to its field, and everything else kept.
    targets = fill_report(page)
    assert len(targets) == 4
    page.fill("#id_indicator_results-0-actual", "삼백")
    page.get_by_role("button", name="제출").click()
    bad = page.locator("#id_indicator_results-0-actual")
    expect(bad).to_have_attribute("aria-invalid", "true")
    error = page.locator("#" + bad.get_attribute("aria-describedby"))
    expect(error).to_contain_text("숫자만 입력하세요")
    expect(page.locator("[role=status][aria-live]")).to_contain_text("입력하신 내용은 그대로 두었습니다")
    expect(bad).to_have_value("삼백")
    expect(page.locator("#id_indicator_results-1-actual")).to_have_value(targets[1])
    expect(page.locator("#id_budget_executions-0-spent_to_date")).to_have_value(SPENT)
    for selector, text in NARRATIVE.items():
        expect(page.locator(selector)).to_have_value(text)
    expect(page.locator("input[name='report-self_assessment'][value='on_track']")).to_be_checked()
    assert_accessible(page, "보고 작성 (오류)")

    # Fixed: the live 달성률 comes from the server's rule, and is what the saved report shows.
    page.fill("#id_indicator_results-0-actual", targets[0])
    live = page.locator("output.achievement").first
    expect(live).to_have_text(re.compile(r"^\d+(\.\d)?%$"))
    typed_rate = live.inner_text()
    expect(page.locator("output.execution-rate").first).to_have_text(re.compile(r"^\d+(\.\d)?%$"))
    page.get_by_role("button", name="제출").click()
    expect(page).to_have_url(report_url)
    expect(page.locator("table").filter(has_text="달성률").locator("tbody tr").first).to_contain_text(typed_rate)
    expect(page.locator("[role=status]")).to_contain_text("제출했습니다")
    expect(page.locator("dd .badge").first).to_have_text("제출")
    assert_accessible(page, "보고 (담당자)")
    logout(page)

    # The planning office returns it with a comment.
    open_report_as_reviewer(page, live_server)
    page.fill("#return-comment", "향후 계획에 4단계 일정을 적어 주세요.")
    page.get_by_role("button", name="반려").click()
    expect(page.locator("[role=status]")).to_contain_text("반려했습니다")
    logout(page)

    # The officer sees the comment, fixes and resubmits.
    login(page, live_server, "officer15")
    expect(page.locator("tr", has_text=TASK).locator(".badge").first).to_have_text("반려")
    page.goto(report_url)
    expect(page.locator("dl")).to_contain_text("향후 계획에 4단계 일정을 적어 주세요.")
    assert_accessible(page, "보고 (반려됨)")
    page.get_by_role("link", name="실적 작성·수정").click()
    expect(page.locator("[role=note]").first).to_contain_text("향후 계획에 4단계 일정을 적어 주세요.")
    assert_accessible(page, "보고 작성 (반려 후)")
    page.fill("#id_report-next_steps", "2분기 인력 충원, 4단계 대상 동 선정(7월), 4단계 시행(9월)")
    page.get_by_role("button", name="제출").click()
    expect(page.locator("[role=status]")).to_contain_text("제출했습니다")
    logout(page)

    # The planning office approves it.
    open_report_as_reviewer(page, live_server)
    page.get_by_role("button", name="승인", exact=True).click()
    expect(page.locator("[role=status]")).to_contain_text("승인했습니다")
    expect(page).to_have_url(re.compile(r"/review/$"))  # nothing else waits: back to 검토함
    page.goto(report_url)
    expect(page.locator("dd .badge").first).to_have_text("승인")
    assert_accessible(page, "보고 (승인됨)")

    # The dashboard shows the new figures, and every plotly chart has drawn.
    page.goto(live_server.url + "/dashboard/?quarter=1")
    assert wait_for_charts(page) >= 5
    budget_card = page.locator(".card", has_text="예산 (2017년, 백만원)")
    expect(budget_card).to_contain_text(f"{SPENT} / ")
    expect(page.locator(".card", has_text="1분기 보고 제출")).to_contain_text(re.compile(r"\b1 / \d+"))
    task_row = page.locator("tbody tr", has_text=TASK).last
    expect(task_row).to_contain_text("정상")
    expect(page.locator("table[data-chart='chart-budget']")).to_contain_text(SPENT)
    assert_accessible(page, "대시보드")

    # The evaluation workbook downloads from the dashboard and opens with openpyxl.
    with page.expect_download() as download:
        page.get_by_role("button", name="평가 엑셀 내려받기").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.suffix == ".xlsx"
    workbook = load_workbook(path, read_only=True)
    assert {"요약", "과제별 실적", "예산"} <= set(workbook.sheetnames)
    rows = list(workbook["예산"].iter_rows(values_only=True))
    header = next(r for r in rows if r[0] == "연번")
    line = next(dict(zip(header, r)) for r in rows if r[0] == 15 and r[3] == "'17년")
    assert line["지출액 누계(백만원)"] == 21000 and line["예산현액 2017(백만원)"] == 72050
