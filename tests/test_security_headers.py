"""Content-Security-Policy: every page is sent one, and nothing in the portal needs an inline script."""

import re
from pathlib import Path

import pytest
from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates"

# A <script> tag that is neither loaded from a file nor a json_script data block.
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.IGNORECASE)
TAG = re.compile(r"<[a-zA-Z][^>]*>")
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"=\s*[\"']?\s*javascript:", re.IGNORECASE)
QUOTED = re.compile(r"\"[^\"]*\"|'[^']*'")


def inline_code(html: str) -> list[str]:
    found = INLINE_SCRIPT.findall(html)
    for tag in TAG.findall(html):
        if EVENT_HANDLER.search(QUOTED.sub('""', tag)) or JAVASCRIPT_URL.search(tag):
            found.append(tag)
    return found


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = [part.split() for part in header.split(";") if part.strip()]
    return {name: values for name, *values in directives}


def test_pages_send_the_content_security_policy(client, plan):
    csp = policy(client.get("/"))

    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'", "'unsafe-inline'"]
    assert sorted(csp["img-src"]) == sorted(["'self'", "data:", "blob:"])
    assert csp["font-src"] == ["'self'"]
    assert csp["connect-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["form-action"] == ["'self'"]
    assert csp["base-uri"] == ["'self'"]


def test_login_and_admin_pages_send_the_policy_too(client, plan):
    for url in ("/accounts/login/", "/admin/login/"):
        assert policy(client.get(url))["script-src"] == ["'self'"], url


def test_the_inline_check_recognises_inline_code():
    assert inline_code("<script>alert(1)</script>")
    assert inline_code('<script type="module">x()</script>')
    assert inline_code('<button type="button" onclick="go()">')
    assert inline_code('<a href="javascript:go()">')
    assert not inline_code('<script src="/static/js/charts.js"></script>')
    assert not inline_code('<script id="c-spec" type="application/json">{"a": 1}</script>')
    assert not inline_code('<div class="chart" data-spec="c-spec" aria-label="이 버튼 one=1">')


@pytest.mark.parametrize("path", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_no_template_has_an_inline_script_or_event_handler(path):
    assert inline_code(path.read_text(encoding="utf-8")) == []


def test_pages_with_charts_render_no_inline_script(client, reviewer, plan):
    client.force_login(reviewer)
    for url in ("/dashboard/", "/dashboard/departments/", "/dashboard/schedule/", "/", "/tasks/", "/results/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert inline_code(response.content.decode()) == [], url
    assert b'type="application/json"' in client.get("/dashboard/").content


def test_admin_pages_render_no_inline_script(client, administrator, plan):
    client.force_login(administrator)
    task = plan.tasks.get(number=15)
    for url in ("/admin/", "/admin/initiatives/task/", f"/admin/initiatives/task/{task.pk}/change/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert inline_code(response.content.decode()) == [], url
