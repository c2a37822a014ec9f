"""What the browser tests do on a page: log in and out, wait for the charts, run axe-core."""

import os
from urllib.parse import urlsplit

import pytest
from django.templatetags.static import static

try:
    from playwright.sync_api import expect
except ImportError:  # pip install -e '.[dev]' brings it; CI must have it
    if os.environ.get("CI"):
        raise
    pytest.skip("the playwright package is not installed (pip install -e '.[dev]')", allow_module_level=True)

__all__ = ["expect", "login", "logout", "wait_for_charts", "axe_violations", "describe", "assert_accessible"]

PASSWORD = "pw-for-tests-only"  # tests.conftest.make_user's password
# Vendored from the npm registry (gov30/static/vendor/README.md); served by the live server, so the
# page's CSP (script-src 'self') allows it.
AXE_STATIC = "vendor/axe-core-4.14.1/axe.min.js"
AXE_RUN = """async () => {
  // resultTypes: only violations get their node details (faster on large pages; the same violations)
  const results = await axe.run(document, {
    runOnly: {type: "tag", values: ["wcag2a", "wcag2aa"]}, resultTypes: ["violations"],
  });
  return results.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(" "), summary: n.failureSummary || ""}))
  }));
}"""


def login(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="로그인").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def logout(page) -> None:
    page.get_by_role("button", name="로그아웃").click()
    page.wait_for_url(lambda url: urlsplit(url).path == "/")


def wait_for_charts(page) -> int:
    """Wait until plotly has drawn an svg inside every chart on the page; return how many there are."""
    count = page.locator("div.chart").count()
    page.wait_for_function(
        "() => [...document.querySelectorAll('div.chart')].every(d => d.querySelector('svg.main-svg'))"
    )
    return count


def axe_violations(page) -> list[dict]:
    """axe-core's serious and critical WCAG 2.0 A/AA violations on the page as it is now."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        origin = "{0.scheme}://{0.netloc}".format(urlsplit(page.url))
        page.add_script_tag(url=origin + static(AXE_STATIC))
    return [v for v in page.evaluate(AXE_RUN) if v["impact"] in ("serious", "critical")]


def describe(violations: list[dict], where: str) -> str:
    lines = [f"{where}: {len(violations)} serious/critical axe violation(s)"]
    for v in violations:
        lines.append(f"  [{v['impact']}] {v['id']}: {v['help']}")
        for node in v["nodes"][:8]:
            lines.append(f"      {node['target']} — {' '.join(node['summary'].split())[:300]}")
        if len(v["nodes"]) > 8:
            lines.append(f"      … and {len(v['nodes']) - 8} more")
    return "\n".join(lines)


def assert_accessible(page, where: str = "") -> None:
    violations = axe_violations(page)
    assert not violations, describe(violations, where or page.url)
