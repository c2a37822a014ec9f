"""Browser tests: Playwright for Python driving Debian's Chromium against pytest-django's live server.

No browser is downloaded (the machines are offline): Chromium comes from the Debian package and is
launched by path (GOV30_CHROMIUM overrides /usr/bin/chromium). Without it the tests skip, except in
CI (CI set), where they fail. A request to another host (a CDN leak), a CSP violation or an uncaught
script error fails the test, and a failing test leaves a screenshot and the HTML of each open page,
with the list of pages it went through, in test-artifacts/.
"""

import os
import re
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command

CHROMIUM = Path(os.environ.get("GOV30_CHROMIUM", "/usr/bin/chromium"))
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
WAIT_MS = 15_000


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI must run the browser tests (apt-get install chromium fonts-noto-cjk)")
    pytest.skip(reason)


@pytest.fixture(scope="module", autouse=True)
def _async_unsafe_allowed():
    """Playwright's sync API keeps an event loop in the test thread, and Django refuses ORM calls
    from a thread with a running loop. Allowed for the browser modules only."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="module", autouse=True)
def _plan_restored_afterwards(_async_unsafe_allowed, django_db_setup, django_db_blocker):
    """The live server needs committed data, so each test's database is flushed after it; put the
    session's plan back for the tests that run later. Module scope: torn down after the flush."""
    yield
    with django_db_blocker.unblock():
        call_command("load_plan", verbosity=0, stdout=StringIO())


@pytest.fixture
def live_plan(live_server):
    """The 2017 plan with its four quarters, Q1 open, committed for the live server's thread."""
    from initiatives.models import Plan
    from reports.models import ReportingPeriod
    from reports.progress.services import periods_ensure

    call_command("load_plan", verbosity=0, stdout=StringIO())
    plan = Plan.objects.get(year=2017)
    periods = periods_ensure(plan=plan)
    ReportingPeriod.objects.filter(pk=periods[0].pk).update(state="open")
    return plan


@pytest.fixture
def q1(live_plan):
    return live_plan.periods.get(quarter=1)


@pytest.fixture
def officer15(live_plan):
    """An officer of 자치행정과, which owns task 15 (찾아가는 동주민센터)."""
    from reports.progress.permissions import OFFICER
    from tests.conftest import make_user

    return make_user("officer15", OFFICER, ("자치행정과",))


@pytest.fixture
def planner(live_plan):
    from reports.progress.permissions import REVIEWER
    from tests.conftest import make_user

    return make_user("planner", REVIEWER)


@pytest.fixture(scope="module")
def chromium():
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} not found: install Debian's chromium to run the browser tests")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed (pip install -e '.[dev]')")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def live_context(chromium, live_server, request):
    """A fresh browser context (cookies, downloads) that may talk to the live server only."""
    origin = urlsplit(live_server.url).netloc
    foreign: list[str] = []

    def only_live_server(route):
        url = route.request.url
        if urlsplit(url).netloc == origin:
            route.continue_()
        else:
            foreign.append(url)
            route.abort()

    # reduced motion: Bootstrap then drops its transitions, so a focus ring is there as soon as focus is
    ctx = chromium.new_context(
        locale="ko-KR",
        accept_downloads=True,
        viewport={"width": 1280, "height": 900},
        reduced_motion="reduce",
    )
    ctx.set_default_timeout(WAIT_MS)
    ctx.route(re.compile(r"^(https?|wss?|ftp)://"), only_live_server)
    # What the CSP blocks never reaches the route; a blocked script or an uncaught error fails too.
    script_errors: list[str] = []
    ctx.on("weberror", lambda error: script_errors.append(f"{error.page.url if error.page else ''}: {error.error}"))
    ctx.on(
        "console",
        lambda message: "Content Security Policy" in message.text and script_errors.append(message.text),
    )
    visited: list[str] = []
    ctx.on("page", lambda page: page.on("framenavigated", lambda f: f == page.main_frame and visited.append(f.url)))
    yield ctx
    if _failed(request.node) or foreign or script_errors:
        save_artifacts(ctx, request.node.nodeid, visited)
    ctx.close()
    if foreign:
        pytest.fail("requests to hosts other than the live server:\n" + "\n".join(sorted(set(foreign))))
    if script_errors:
        pytest.fail("script errors or CSP violations in the browser:\n" + "\n".join(script_errors))


def _failed(item) -> bool:
    return any(getattr(getattr(item, f"report_{when}", None), "failed", False) for when in ("setup", "call"))


@pytest.fixture
def live_page(live_context):
    return live_context.new_page()


def save_artifacts(ctx, test_id: str, visited: list[str]) -> None:
    """A full-page screenshot and the HTML of every page the failed test left open, and the pages it went through."""
    ARTIFACTS.mkdir(exist_ok=True)
    stem = re.sub(r"[^\w.-]+", "_", test_id.removeprefix("tests/browser/"))
    (ARTIFACTS / f"{stem}-visited.txt").write_text("\n".join(visited) + "\n", encoding="utf-8")
    for n, open_page in enumerate(ctx.pages, start=1):
        try:
            open_page.screenshot(path=str(ARTIFACTS / f"{stem}-{n}.png"), full_page=True)
            (ARTIFACTS / f"{stem}-{n}.html").write_text(
                f"<!-- {open_page.url} -->\n{open_page.content()}", encoding="utf-8"
            )
        except Exception as problem:  # a crashed page must not hide the test's own failure
            print(f"could not save artifacts of {open_page.url}: {problem}")
