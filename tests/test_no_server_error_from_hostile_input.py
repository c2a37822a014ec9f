"""No 5xx from any input: every form of the portal, posted with generated hostile values and files.

The forms are not listed by hand: every POST route that the permission matrix lets some role use is
fuzzed, with the fields its page's ``<form>`` offers (a route whose form no page shows fails here).
Properties of each answer: status < 500; a refusal (form re-shown, 4xx, or a redirect with an error
message) says why in Korean (``hostile.is_korean``), keeps what was typed in the re-shown form, and
leaves every table as it was.
"""

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from reports.models import ReportingPeriod
from tests import fuzz, hostile
from tests.fuzz import Edit, Target
from tests.test_offline_reporting import fill
from tests.test_permission_matrix import ALLOWED, ARRANGE, MATRIX, ROLES, offline_template, world  # noqa: F401

# Where each POST route's form is shown: (page, or a function of client and world that returns the page's response).
FORM_PAGES = {
    "report-start": "/my/",
    "period-state": "/periods/",
    "indicator-target": "/indicators/{indicator}/target/",
    "report-edit": "/reports/{report}/edit/",
    "report-approve": "/reports/{report}/",
    "report-return": "/reports/{report}/",
    "report-reopen": "/reports/{report}/",
    "reports-approve": "/review/",
    "exception-grant": "/reports/{report}/",
    "evidence-upload": "/reports/{report}/",
    "report-comment": "/reports/{report}/",
    "notifications-read": "/notifications/",
    "mail-settings": "/notifications/settings/",
    "evaluation-run": "/evaluation/",
    "evaluation-finalise": "/evaluation/",
    "weights": "/evaluation/weights/",
    "score-detail": "/evaluation/scores/{score}/",
    "offline-upload": "/offline/{q2}/upload/",
    "offline-confirm": lambda client, w: client.post(
        f"/offline/{w.ids['q2']}/upload/", {"file": upload_of(fill(offline_template(w)))}
    ),
    "tokens": "/account/tokens/",
    "token-revoke": "/account/tokens/",
    "login": "/accounts/login/",
    "logout": "/my/",
    "admin-login": "/admin/login/",
}
# Forms outside the portal's routes (the matrix only checks that /admin/ wants a login).
OTHER_FORMS = [("admin-login", "/admin/login/", "anonymous")]
PREVIEWS = {"offline-upload", "tokens"}  # success is a 200 page: the upload's preview, the new key shown once


def upload_of(content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("양식.xlsx", content, content_type=hostile.XLSX_CONTENT_TYPE)


def post_routes() -> list[tuple[str, str, str]]:
    """(route name, path, role) for every POST the matrix allows someone: the first role allowed posts it."""
    routes = []
    for name, method, path, *outcomes in MATRIX:
        # "route@state" rows post the same form with the report in another state: fuzzed once, as the route
        if method == "POST" and ALLOWED in outcomes and "@" not in name:
            role = next(r for r in ("owner", "reviewer", "admin", "anonymous") if outcomes[ROLES.index(r)] == ALLOWED)
            routes.append((name, path, role))
    return routes + OTHER_FORMS


def test_every_post_route_of_the_matrix_has_its_form_page():
    assert {name for name, _, _ in post_routes()} == set(FORM_PAGES)


def prepare(client, w, name: str, path: str, role: str) -> Target:
    if name in ARRANGE:
        ARRANGE[name](w)
    if name in ("offline-upload", "offline-confirm"):
        ReportingPeriod.objects.filter(pk=w.ids["q2"]).update(state="open")
    user = w.users[role]
    if user is not None:
        client.force_login(user)
    page = FORM_PAGES[name]
    response = page(client, w) if callable(page) else client.get(page.format(**w.ids))
    assert response.status_code == 200, (name, response.status_code)
    action = path.format(**w.ids)
    forms = [f for f in hostile.post_forms(response.content.decode(), response.wsgi_request.path) if f.action == action]
    assert forms, f"{name}: no form posting to {action} on its page"
    form = forms[0]
    files = {n: offline_template(w) for n in form.names(kinds={"file"})}
    return Target(name, form, client, files=files, preview=name in PREVIEWS)


def buttons(form) -> st.SearchStrategy:
    return st.sampled_from([None, *form.names(kinds={"submit"})])


# Hostile inputs the fuzz found failing, kept as explicit examples (route -> examples of ``run``'s arguments).
FOUND: dict[str, list[dict]] = {
    "login": [{"changes": [Edit("drop", "username")], "button": None, "upload": None}],  # no message was shown
    # PostgreSQL cannot store a NUL character (a DataError): these views read the text without a form field
    "score-detail": [
        {"changes": [Edit("set", "total", "50"), Edit("set", "reason", "a\x00b")], "button": None, "upload": None}
    ],
    "weights": [{"changes": [Edit("set", "note", "\x00")], "button": None, "upload": None}],
}


@pytest.mark.django_db
@pytest.mark.parametrize("name,path,role", post_routes(), ids=[r[0] for r in post_routes()])
def test_no_server_error_from_a_hostile_form(client, world, name, path, role):  # noqa: F811
    target = prepare(client, world, name, path, role)
    uploads = st.one_of(st.none(), hostile.hostile_files()) if target.files else st.none()

    @given(changes=fuzz.edits(target.form), button=buttons(target.form), upload=uploads)
    def run(changes, button, upload):
        fuzz.attempt(target, changes, button, upload)

    for found in FOUND.get(name, []):
        run = example(**found)(run)
    run()
