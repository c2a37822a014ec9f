"""No 5xx from any input in the admin: every registered model's add, change, import and export forms,
its changelist's action form, and its changelist's filter, search, ordering and paging parameters.

The models come from ``admin.site`` and the fields from each rendered page, so a newly registered
model or field is fuzzed without a change here. Properties are those of the portal's forms
(tests/fuzz.py); a changelist answers 200 (an unknown parameter ignored), a redirect to the unfiltered list
(``?e=1``) that shows a Korean notice, or 400.
"""

import io
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse
from hypothesis import example, given
from hypothesis import strategies as st
from import_export.admin import ExportMixin, ImportMixin

from gov30.middleware import INVALID_FILTER
from reports.spreadsheets.offline import template_workbook
from tests import fuzz, hostile
from tests.fuzz import Target


def registered() -> list:
    return sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


def pages(model, model_admin, user) -> list[tuple[str, str]]:
    """(kind, URL) of every form page the administrator may open for this model."""
    request = RequestFactory().get("/admin/")
    request.user = user
    name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    found = [("changelist", reverse(f"{name}_changelist"))]
    if model_admin.has_add_permission(request):
        found.append(("add", reverse(f"{name}_add")))
    first = model._default_manager.order_by("pk").first()
    if first is not None and model_admin.has_change_permission(request, first):
        found.append(("change", reverse(f"{name}_change", args=[first.pk])))
    if isinstance(model_admin, ImportMixin) and model_admin.has_import_permission(request):
        found.append(("import", reverse(f"{name}_import")))
    if isinstance(model_admin, ExportMixin) and model_admin.has_export_permission(request):
        found.append(("export", reverse(f"{name}_export")))
    return found


def form_targets(client, user, model, model_admin, workbook: bytes) -> list[Target]:
    targets = []
    for kind, url in pages(model, model_admin, user):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        for form in hostile.post_forms(response.content.decode(), url):
            if form.action != url:
                continue  # the logout button of the admin's header: fuzzed with the portal's forms
            files = {n: workbook for n in form.names(kinds={"file"})}
            # import and export answer a good form with a page (the preview, the file); the changelist's
            # action form with its confirmation page
            preview = kind in ("import", "export", "changelist")
            label = f"{model._meta.label} {kind}"
            targets.append(Target(label, form, client, files=files, preview=preview))
    return targets


@pytest.fixture
def admin_world(report, administrator, officer):
    """The plan, a report with its rows and the administrator, so that every table has a row to change;
    uploads are spoiled from a real workbook (the officer's offline template)."""
    buffer = io.BytesIO()
    template_workbook(buffer, user=officer, period=report.period)
    return administrator, buffer.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize("model,model_admin", registered(), ids=[m._meta.label for m, _ in registered()])
def test_no_server_error_from_a_hostile_admin_form(client, admin_world, model, model_admin):
    user, workbook = admin_world
    client.force_login(user)
    targets = form_targets(client, user, model, model_admin, workbook)
    if not targets:
        pytest.skip(f"{model._meta.label}: the administrator has no form to post")

    @given(target=st.sampled_from(targets), data=st.data())
    def run(target, data):
        changes = data.draw(fuzz.edits(target.form))
        upload = data.draw(hostile.hostile_files()) if target.files else None
        fuzz.attempt(target, changes, data.draw(st.sampled_from([None, *target.form.names(kinds={"submit"})])), upload)

    run()


# ---------------------------------------------------------------- the changelist's query parameters

ALWAYS = ["q", "o", "p", "all", "e", "_facets", "_popup", "_to_field"]
LOOKUPS = ["exact", "gt", "lte", "in", "isnull", "range", "year", "month", "iexact", "regex", "startswith"]


def changelist_parameters(client, model, url: str) -> list[str]:
    """The parameters the changelist's own links use (filters, ordering, paging), and lookups on every field."""
    html = client.get(url).content.decode()
    linked = {key for href in _hrefs(html) if href.startswith("?") for key, _ in parse_qsl(urlsplit(href).query)}
    fields = [f"{f.name}__{lookup}" for f in model._meta.get_fields() if f.concrete for lookup in LOOKUPS]
    return sorted(set(ALWAYS) | linked | set(fields))


def _hrefs(html: str) -> list[str]:
    import re

    return [h.replace("&amp;", "&") for h in re.findall(r'href="([^"]*)"', html)]


def check_changelist(client, response, url: str) -> None:
    code = response.status_code
    assert code < 500, f"{url}: {code}"
    if code == 302:
        assert response["Location"].endswith("?e=1"), response["Location"]
        unfiltered = client.get(response["Location"])
        assert unfiltered.status_code == 200 and INVALID_FILTER in unfiltered.content.decode(), url
    elif code != 200:
        assert hostile.is_korean(fuzz.body_text(response)), f"{url}: {code} not in Korean"


@pytest.mark.django_db
@pytest.mark.parametrize("model,model_admin", registered(), ids=[m._meta.label for m, _ in registered()])
def test_no_server_error_from_hostile_changelist_parameters(client, admin_world, model, model_admin):
    user, _ = admin_world
    client.force_login(user)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    names = changelist_parameters(client, model, url)

    @given(params=st.lists(st.tuples(st.sampled_from(names), hostile.hostile_values()), min_size=1, max_size=3))
    @example(params=[("start__year", "99999999999999999999")])
    @example(params=[("date_joined__range", "")])  # found by this test: the admin compiled a range of no ends
    @example(params=[("start__year", "999999")])  # found: a year no date has (ValueError)
    @example(params=[("id__range", "1,2,3")])  # found: three ends for two placeholders (a database error)
    @example(params=[("title__regex", "(")])  # found: an invalid regular expression (a database error)
    @example(params=[("name", "\x00")])  # PostgreSQL cannot compare a NUL character (a DataError)
    @example(params=[("title__range", "NaN")])  # found: one text taken as three ends, one per character
    @example(params=[("ip_address__exact", "NaN")])  # found on PostgreSQL: not an address (ValueError)
    def run(params):
        check_changelist(client, client.generic("GET", f"{url}?{hostile.urlencoded(params).decode()}"), url)

    run()
