"""Every page at 375, 768 and 1,280 px, as each role that may see it: no horizontal page scroll, no table
cell squeezed to a character or two a line, no word of a cell or heading broken across lines, no inline
event handler (the CSP blocks them), and no serious or critical axe-core violation.

The portal's pages come from the permission matrix (tests/test_permission_matrix.py), which every
route must have a row in, so a new page cannot escape; the admin's from its registry: the index, each
model's changelist and a change page, and the import and export pages.
"""

import pytest
import tablib
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from import_export.admin import ImportMixin

from initiatives import urls as initiatives_urls
from initiatives.models import Department
from initiatives.resources import TaskResource
from reports import urls as reports_urls
from reports.api import urls as api_urls
from reports.evaluation import annual
from reports.models import ReportingPeriod
from reports.notifications.services import remind
from reports.progress import services
from tests.browser.helpers import axe_violations, describe, expect, login, wait_for_charts
from tests.conftest import complete_data, make_user
from tests.test_korean_everywhere import jobs_shown
from tests.test_permission_matrix import ALLOWED, LOGIN, MATRIX, METHOD

WIDTHS = (375, 768, 1280)
# Columns of the matrix's outcomes (anonymous · owner · other · reviewer · admin) for the roles checked here.
ROLE_COLUMN = {"anonymous": 0, "officer": 1, "reviewer": 3, "admin": 4}
USERNAMES = {"officer": "officer15", "reviewer": "planner", "admin": "superuser"}
# GET routes that answer with something other than a page of their own.
NOT_PAGES = {
    "plan-api": "JSON",
    "open-data-package": "JSON",
    "open-data-file": "a CSV, XLSX or JSON file",
    "schema": "JSON (the OpenAPI schema)",
    "report-figures": "JSON",
    "evidence-download": "a file",
    "workbook-download": "an xlsx file",
    "book-pdf": "a PDF file",
    "book-hwpx": "an HWPX file",
    "offline-template": "an xlsx file",
    "home": "a redirect to 내 과제 or 검토함, which are checked themselves",
    "notification-open": "a redirect to the notification's page",
    "job-status": "JSON",
    "job-download": "an xlsx, PDF or HWPX file",
}

MEASURE = r"""() => {
  const width = window.innerWidth;
  const clips = style => /(auto|scroll|hidden|clip)/.test(style.overflowX);
  // inside a box that scrolls or clips; an absolutely positioned box escapes up to its positioned ancestor
  const scrolls = el => {
    let free = /(absolute|fixed)/.test(getComputedStyle(el).position);
    for (let a = el.parentElement; a; a = a.parentElement) {
      const style = getComputedStyle(a);
      if (free && style.position === "static") continue;
      if (clips(style)) return true;
      free = /(absolute|fixed)/.test(style.position);
    }
    return false;
  };
  const label = el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
      + (el.classList.length ? "." + [...el.classList].join(".") : "")
      + ` «${(el.textContent || "").trim().replace(/\s+/g, " ").slice(0, 30)}»`;
  const visible = el => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
  const sticking = [...document.body.querySelectorAll("*")]
      .filter(el => visible(el) && el.getBoundingClientRect().right > width + 1 && !scrolls(el))
      .filter((el, _, all) => !all.includes(el.parentElement)).slice(0, 5).map(label);
  // Lines of a run of text: the distinct tops of its rectangles.
  const tops = range => [...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top));
  // text not shown: in a closed <details>, or for screen readers only (a clipped box of a pixel or less)
  const hidden = node => {
    if (node.parentElement.closest("details:not([open]) > :not(summary)")) return true;
    for (let a = node.parentElement; a; a = a.parentElement) {
      const box = a.getBoundingClientRect();
      if ((box.width <= 1 || box.height <= 1) && clips(getComputedStyle(a))) return true;
    }
    return false;
  };
  const squeezed = [], broken = [];
  for (const el of document.querySelectorAll("td, th, h1, h2, h3, h4, caption, legend")) {
    if (!visible(el)) continue;
    const cellLines = new Set();
    let letters = 0;
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (hidden(node) || !visible(node.parentElement)) continue;
      const whole = document.createRange();
      whole.selectNodeContents(node);
      tops(whole).forEach(top => cellLines.add(top));
      letters += node.textContent.replace(/\s/g, "").length;
      // a break is fine between words and at punctuation, not inside a run of up to 12 letters or digits
      for (const match of node.textContent.matchAll(/[\p{L}\p{N}]{2,12}/gu)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        if (new Set(tops(range)).size > 1) broken.push(`${label(el)}: «${match[0]}»`);
      }
    }
    if (/^T[DH]$/.test(el.tagName) && cellLines.size >= 4 && letters / cellLines.size < 3) squeezed.push(label(el));
  }
  const handlers = [...document.querySelectorAll("*")].filter(el =>
      [...el.attributes].some(a => a.name.startsWith("on"))).slice(0, 5).map(label);
  return {scroll: document.documentElement.scrollWidth, width, sticking, squeezed: squeezed.slice(0, 5),
          broken: broken.slice(0, 5), handlers};
}"""


def portal_pages(role: str) -> list[str]:
    """The matrix's GET routes that this role is allowed to see and that answer with a page."""
    column = ROLE_COLUMN[role]
    return [
        path
        for name, method, path, *outcomes in MATRIX
        if method == "GET" and outcomes[column] == ALLOWED and name not in NOT_PAGES
    ]


def admin_pages() -> list[str]:
    pages = [reverse("admin:index")]
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        pages.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        obj = model._default_manager.order_by("pk").first()
        assert obj is not None, f"no {opts.label} to open the change page of: add one to the portal fixture"
        pages.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))
        if isinstance(model_admin, ImportMixin):
            pages.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_import"))
            pages.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_export"))
    return pages


def test_the_width_check_covers_every_get_route():
    """A new route needs a matrix row, and then is visited here as each role allowed to GET it, unless
    NOT_PAGES says why not; the routes left out answer a GET with a login redirect or a 405 only."""
    routes = {p.name for p in reports_urls.urlpatterns + initiatives_urls.urlpatterns}
    routes |= {p.name for p in api_urls.urlpatterns if getattr(p, "name", None)}  # the API's pages
    in_matrix = {row[0] for row in MATRIX}
    assert routes <= in_matrix, f"routes missing from the permission matrix: {routes - in_matrix}"
    assert set(NOT_PAGES) <= routes
    visited = {name for name, method, path, *_ in MATRIX if any(path in portal_pages(r) for r in ROLE_COLUMN)}
    post_only = {name for name, method, _, *outcomes in MATRIX if method == "GET" and set(outcomes) <= {LOGIN, METHOD}}
    assert routes - set(NOT_PAGES) - post_only <= visited
    assert not visited & set(NOT_PAGES)
    assert {"report-edit", "dashboard", "my-tasks", "task-list"} <= visited


@pytest.fixture
def portal(live_plan, q1, officer15, planner, settings, tmp_path) -> dict[str, int]:
    """Every page with something on it: task 15's Q1 report approved and evaluated, task 6's returned
    with evidence and, Q1 being closed, a late-change exception; Q2 open with a draft; an admin login
    failure on record."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    settings.MEDIA_ROOT = tmp_path / "media"
    make_user("superuser", None, is_superuser=True, is_staff=True)
    task15, task6 = live_plan.tasks.get(number=15), live_plan.tasks.get(number=6)
    approved = services.report_start(task=task15, period=q1, user=officer15)
    approved = services.report_submit(
        report=approved, user=officer15, version=approved.version, data=complete_data(approved)
    )
    services.report_approve(report=approved, user=planner, version=approved.version)
    returned = services.report_start(task=task6, period=q1, user=officer15)
    returned = services.report_submit(
        report=returned, user=officer15, version=returned.version, data=complete_data(returned)
    )
    returned = services.report_return(report=returned, user=planner, version=returned.version, comment="지표 확인")
    pdf = SimpleUploadedFile("증빙.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    evidence = services.evidence_add(report=returned, user=officer15, upload=pdf, kind="증빙")
    q2, q3 = live_plan.periods.get(quarter=2), live_plan.periods.get(quarter=3)
    ReportingPeriod.objects.filter(pk=q1.pk).update(state="closed")
    ReportingPeriod.objects.filter(pk=q2.pk).update(state="open")
    returned.period.refresh_from_db()
    q2.refresh_from_db()
    services.exception_grant(report=returned, user=planner, reason="증빙 보완")
    services.report_start(task=task15, period=q2, user=officer15)
    indicator = task15.indicators.filter(year=2017).order_by("pk").first()
    services.indicator_change_target(indicator=indicator, new_target=indicator.target + 1, reason="조정", user=planner)
    services.report_comment(report=returned, user=officer15, text="근거 자료는 동별 집계가 끝나는 대로 첨부하겠습니다.")
    remind()  # 알림 for the officer and the planner (and the admin's 알림 list)
    scores = annual.evaluation_run(plan=live_plan, user=planner).scores
    failure = {"user_agent": "test", "ip_address": "127.0.0.1", "username": "nobody", "path_info": "/admin/login/"}
    AccessAttempt.objects.create(**failure, get_data="", post_data="", failures_since_start=1)
    AccessFailureLog.objects.create(**failure)
    AccessLog.objects.create(**failure)
    return {
        "task": task15.pk,
        "department": Department.objects.get(name="자치행정과").pk,
        "report": returned.pk,
        "evidence": evidence.pk,
        "q2": q2.pk,
        "q3": q3.pk,
        "indicator": indicator.pk,
        "score": scores.get(task=task15).pk,
        **jobs_shown(planner, officer15, q2),  # a workbook under way, an upload's preview
    }


def check(page, url: str) -> list[str]:
    """What is wrong with the page as it is now, at the window's width."""
    facts = page.evaluate(MEASURE)
    where = f"{url} at {facts['width']} px"
    problems = []
    if facts["scroll"] > facts["width"]:
        problems.append(f"{where}: page is {facts['scroll']} px wide; sticking out: {facts['sticking']}")
    if facts["squeezed"]:
        problems.append(f"{where}: cells squeezed to a character or two a line: {facts['squeezed']}")
    if facts["broken"]:
        problems.append(f"{where}: words broken across lines: {facts['broken']}")
    if facts["handlers"]:
        problems.append(f"{where}: inline event handlers (blocked by the CSP): {facts['handlers']}")
    violations = axe_violations(page)
    if violations:
        problems.append(describe(violations, where))
    return problems


def resized(page, width: int) -> None:
    """The open page at ``width``, measured once laid out again (two frames): on a busy machine the check read the
    words of the previous width's layout."""
    page.set_viewport_size({"width": width, "height": 900})
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")


def visit_all(page, base: str, paths: list[str]) -> list[str]:
    problems = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for path in paths:
            response = page.goto(base + path)
            assert response.ok, f"{path}: HTTP {response.status}"
            wait_for_charts(page)
            problems += check(page, path)
    return problems


@pytest.mark.parametrize("role", ["anonymous", "officer", "reviewer", "admin"])
def test_portal_pages_fit_each_width(live_page, live_server, portal, role):
    if role != "anonymous":
        login(live_page, live_server, USERNAMES[role])
    paths = [path.format(**portal) for path in portal_pages(role)]
    problems = visit_all(live_page, live_server.url, paths)
    assert not problems, "\n".join(problems)


def test_offline_preview_fits_each_width(live_page, live_server, portal, officer15, tmp_path):
    from reports.spreadsheets.offline import template_workbook

    q2 = ReportingPeriod.objects.get(pk=portal["q2"])
    path = tmp_path / "양식.xlsx"
    with path.open("wb") as out:
        template_workbook(out, user=officer15, period=q2)
    page = live_page
    login(page, live_server, USERNAMES["officer"])
    page.goto(f"{live_server.url}/offline/{q2.pk}/upload/")
    page.set_input_files("#id_file", str(path))
    page.get_by_role("button", name="올리고 미리보기").click()
    expect(page.locator("h1")).to_contain_text("미리보기")
    problems = []
    for width in WIDTHS:
        resized(page, width)
        problems += check(page, "엑셀 미리보기")
    assert not problems, "\n".join(problems)


def test_admin_pages_fit_each_width(live_page, live_server, portal):
    login(live_page, live_server, USERNAMES["admin"])
    problems = visit_all(live_page, live_server.url, admin_pages())
    assert not problems, "\n".join(problems)


def test_admin_import_preview_fits_each_width(live_page, live_server, portal, tmp_path):
    dataset = TaskResource().export()
    rows = [list(row) for row in dataset]
    title = dataset.headers.index("title")
    rows[0][title] += " (수정)"
    path = tmp_path / "과제.csv"
    path.write_text(tablib.Dataset(*rows, headers=dataset.headers).export("csv"), encoding="utf-8")
    page = live_page
    login(page, live_server, USERNAMES["admin"])
    page.goto(live_server.url + reverse("admin:initiatives_task_import"))
    page.set_input_files("#id_import_file", str(path))
    page.select_option("#id_format", label="csv")
    page.locator("input[type=submit]").click()
    expect(page.locator("table.import-preview")).to_contain_text("(수정)")
    problems = []
    for width in WIDTHS:
        resized(page, width)
        problems += check(page, "가져오기 미리보기")
    assert not problems, "\n".join(problems)


def test_admin_export_select_all_toggles_every_field(live_page, live_server, portal):
    page = live_page
    login(page, live_server, USERNAMES["admin"])
    page.goto(live_server.url + reverse("admin:initiatives_task_export"))
    fields = page.locator(".selectable-field-export-row input[type=checkbox]")
    assert fields.count() > 1
    page.get_by_label("모두 선택").uncheck()
    assert all(not box.is_checked() for box in fields.all())
    page.get_by_label("모두 선택").check()
    assert all(box.is_checked() for box in fields.all())
