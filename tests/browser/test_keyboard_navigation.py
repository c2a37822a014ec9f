"""The report form works with the keyboard alone: the skip link, every input in order, the buttons, no trap."""

import pytest

from reports.progress import services
from tests.browser.helpers import expect, login

MAX_TABS = 300
FOCUSED = """() => {
  const e = document.activeElement;
  const form = document.querySelector("main form[method=post]");
  return {
    key: e.type === "radio" ? "radio:" + e.name : (e.id || e.name || e.tagName + ":" + e.textContent.trim()),
    inForm: !!form && form.contains(e), inMain: !!e.closest("main"), text: e.textContent.trim(),
    ring: getComputedStyle(e).boxShadow !== "none" || getComputedStyle(e).outlineStyle !== "none",
  };
}"""
# The form's controls in document order, as sequential focus navigation should visit them: one stop per
# radio group, none for hidden or disabled controls.
EXPECTED = """() => {
  const form = document.querySelector("main form[method=post]");
  const keys = [];
  for (const e of form.querySelectorAll("input, select, textarea, button, a[href]")) {
    if (e.type === "hidden" || e.disabled || e.tabIndex < 0) continue;
    const key = e.type === "radio" ? "radio:" + e.name : (e.id || e.name || e.tagName + ":" + e.textContent.trim());
    if (!keys.includes(key)) keys.push(key);
  }
  return keys;
}"""


@pytest.fixture
def report_form(live_page, live_server, live_plan, q1, officer15):
    report = services.report_start(task=live_plan.tasks.get(number=15), period=q1, user=officer15)
    login(live_page, live_server, "officer15")
    live_page.goto(f"{live_server.url}/reports/{report.pk}/edit/")
    return report


def test_skip_link_leads_past_the_menu_into_the_page(live_page, report_form):
    page = live_page
    page.keyboard.press("Tab")
    focused = page.evaluate(FOCUSED)
    assert focused["text"] == "본문 바로가기" and focused["ring"]
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED)["inMain"], "after the skip link, Tab should land inside <main>, not the menu"


def test_tab_walks_the_report_form_in_order_and_out_again(live_page, report_form):
    page = live_page
    expected = page.evaluate(EXPECTED)
    assert expected[0] == "id_indicator_results-0-actual"
    assert expected[-3:] == ["save", "submit", "A:취소"]

    page.focus("#id_indicator_results-0-actual")
    visited = [page.evaluate(FOCUSED)]
    typed = {
        "id_indicator_results-0-actual": lambda: page.keyboard.type("1,234"),
        "id_report-achievements": lambda: page.keyboard.type("키보드로만 작성한 실적"),
        "radio:report-self_assessment": lambda: page.keyboard.press("ArrowRight"),  # 선택 안 함 → 정상
    }
    for _ in range(MAX_TABS):
        key = visited[-1]["key"]
        if key in typed:
            typed.pop(key)()
        if not visited[-1]["inForm"]:
            break
        page.keyboard.press("Tab")
        visited.append(page.evaluate(FOCUSED))
    else:
        pytest.fail(f"focus never left the form after {MAX_TABS} Tabs (keyboard trap): {visited[-5:]}")

    # A date input takes one Tab per part (year, month, day, picker button): count each control once.
    order = [v["key"] for i, v in enumerate(visited[:-1]) if i == 0 or v["key"] != visited[i - 1]["key"]]
    assert order == expected
    ringed = {v["key"] for v in visited if v["ring"]}
    assert not [key for key in order if key not in ringed], "controls with no visible focus indicator"

    # Back to 임시 저장 with Shift+Tab and save with Enter: what was typed is stored.
    for _ in range(3):
        page.keyboard.press("Shift+Tab")
    assert page.evaluate(FOCUSED)["key"] == "save"
    page.keyboard.press("Enter")
    expect(page.locator("[role=status]")).to_contain_text("임시 저장했습니다")
    report_form.refresh_from_db()
    assert report_form.achievements == "키보드로만 작성한 실적"
    assert report_form.self_assessment == "on_track"
    assert report_form.indicator_results.order_by("pk").first().actual == 1234
