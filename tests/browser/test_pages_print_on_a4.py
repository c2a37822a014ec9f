"""The task page, the report page and the dashboards print on A4: no navigation, buttons or forms' controls; the
content within the paper's width; table rows kept whole and their header repeated; Chromium's PDF is A4."""

import subprocess

import pytest

from reports.progress import services
from tests.browser.helpers import login, wait_for_charts
from tests.browser.test_pages_fit_every_width import MEASURE
from tests.conftest import complete_data

# A4's width less the print stylesheet's margins (12 mm each side), in CSS pixels (96 a inch)
PAPER_WIDTH = round((210 - 2 * 12) / 25.4 * 96)

PRINTED = r"""() => ({
  hidden: [...document.querySelectorAll("nav.navbar, .btn, form:not(:has(table))")]
      .filter(el => el.getClientRects().length > 0).map(el => el.tagName + "." + el.className).slice(0, 5),
  rows: [...document.querySelectorAll("tr")].filter(tr => getComputedStyle(tr).breakInside !== "avoid").length,
  heads: [...document.querySelectorAll("thead")].filter(h => getComputedStyle(h).display !== "table-header-group")
      .length,
  tables: document.querySelectorAll("table").length,
})"""


@pytest.fixture
def approved_report(live_plan, q1, officer15, planner):
    task = live_plan.tasks.get(number=15)
    report = services.report_start(task=task, period=q1, user=officer15)
    report = services.report_submit(report=report, user=officer15, version=report.version, data=complete_data(report))
    return services.report_approve(report=report, user=planner, version=report.version)


def test_task_report_and_dashboard_pages_print_on_a4(live_page, live_server, planner, approved_report, tmp_path):
    page = live_page
    login(page, live_server, "planner")
    pages = [
        f"/tasks/{approved_report.task_id}/",
        f"/reports/{approved_report.pk}/",
        "/dashboard/",
        "/dashboard/departments/",
        "/dashboard/schedule/",
    ]
    problems = []
    for path in pages:
        page.set_viewport_size({"width": 1280, "height": 900})
        page.emulate_media(media="screen")
        page.goto(live_server.url + path)
        wait_for_charts(page)
        page.emulate_media(media="print")
        page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")  # as the browser does on printing
        page.set_viewport_size({"width": PAPER_WIDTH, "height": 1000})
        page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
        printed, laid_out = page.evaluate(PRINTED), page.evaluate(MEASURE)
        assert printed["tables"] or path == "/dashboard/schedule/", f"{path}: no table to check"
        if printed["hidden"]:
            problems.append(f"{path}: printed though it is not content: {printed['hidden']}")
        if printed["rows"] or printed["heads"]:
            problems.append(f"{path}: {printed['rows']} rows may be cut, {printed['heads']} headers not repeated")
        if laid_out["scroll"] > laid_out["width"]:
            problems.append(
                f"{path}: {laid_out['scroll']} px on {laid_out['width']} px of paper: {laid_out['sticking']}"
            )
        pdf = tmp_path / f"{len(problems)}-{path.strip('/').replace('/', '-') or 'home'}.pdf"
        page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=False)
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        assert "(A4)" in info, f"{path}: {info}"
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert "로그아웃" not in text and "본문 바로가기" not in text, f"{path}: the navigation is printed"
        assert "공공누리" in text, f"{path}: the footer with the source and licence is not printed"
    assert not problems, "\n".join(problems)
