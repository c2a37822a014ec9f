"""The fuzz loop shared by the portal's and the admin's fuzz tests: edit a form as a page shows it, post it,
and check the properties every answer keeps (tests/test_no_server_error_from_hostile_input.py)."""

from dataclasses import dataclass, field
from http.cookies import SimpleCookie

from django.db import transaction
from django.test import Client
from hypothesis import strategies as st

from tests import hostile
from tests.hostile import Form


@dataclass(frozen=True)
class Edit:
    """One hostile change to a form: ``set`` a field, ``drop`` it, send it ``twice``, or add an ``extra`` one."""

    op: str
    name: str
    value: str = ""


def edits(form: Form) -> st.SearchStrategy[list[Edit]]:
    names = form.names() or ["csrfmiddlewaretoken"]
    named = st.sampled_from(names)
    value = hostile.hostile_values()
    one = st.one_of(
        st.builds(Edit, st.just("set"), named, value),
        st.builds(Edit, st.just("set"), named, value),
        st.builds(Edit, st.just("drop"), named),
        st.builds(Edit, st.just("twice"), named, value),
        st.builds(Edit, st.just("extra"), st.sampled_from(["id", "pk", "__all__", "a" * 500, "\x00"]), value),
    )
    return st.lists(one, min_size=1, max_size=3)


def apply(pairs: list[tuple[str, str]], changes: list[Edit]) -> list[tuple[str, str]]:
    pairs = list(pairs)
    for change in changes:
        if change.op in ("set", "drop"):
            pairs = [(k, v) for k, v in pairs if k != change.name]
        if change.op != "drop":
            pairs.append((change.name, change.value))
    return pairs


def typed_values(form: Form, pairs: list[tuple[str, str]], changes: list[Edit]) -> dict[str, str]:
    """The hostile values a person typed into visible fields, as the server reads them (the last one sent)."""
    typed_names = set(form.names(kinds=hostile.TYPED))
    edited = {c.name for c in changes if c.op in ("set", "twice")} & typed_names
    last = dict(pairs)
    return {name: last[name] for name in edited if name in last}


@dataclass
class Target:
    """One form to fuzz: who posts it, where, what the page offered, and what a success looks like."""

    name: str
    form: Form
    client: Client  # logged in as the user who posts it
    files: dict = field(default_factory=dict)  # file field name -> template bytes to spoil
    preview: bool = False  # success is a 200 page (a preview, a download), not a redirect
    before: dict = field(default_factory=hostile.db_snapshot)  # every attempt starts from here (rolled back)


def send(client: Client, target: Target, pairs, uploads):
    if target.form.multipart:
        body = hostile.multipart(pairs, uploads)
        return client.generic("POST", target.form.action, body, content_type=hostile.MULTIPART_CONTENT_TYPE)
    body = hostile.urlencoded(pairs)
    return client.generic("POST", target.form.action, body, content_type="application/x-www-form-urlencoded")


def body_text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8", "replace")


def attempt(target: Target, changes: list[Edit], button: str | None = None, upload=None) -> None:
    """Post one hostile version of the form, inside a savepoint that is rolled back afterwards."""
    pairs = apply(target.form.defaults() + ([(button, "1")] if button else []), changes)
    uploads = [(name, upload.name, upload.make(template)) for name, template in target.files.items() if upload]
    with transaction.atomic():
        client = Client()
        client.cookies = SimpleCookie(target.client.cookies)
        response = send(client, target, pairs, uploads)
        check(target, response, typed_values(target.form, pairs, changes))
        transaction.set_rollback(True)


def check(target: Target, response, typed: dict[str, str]) -> None:
    code = response.status_code
    assert code < 500, f"{target.name}: {code}"
    if code in (301, 302, 303):
        refused = hostile.error_messages(response)
        if refused:
            assert all(hostile.is_korean(m) for m in refused), f"{target.name}: refusal not in Korean: {refused}"
            assert_unchanged(target)
        return
    html = body_text(response)
    assert hostile.CAUGHT_EXCEPTION not in html, f"{target.name}: an exception shown as an import error"
    errors = hostile.error_texts(html)
    if code == 200 and target.preview and not errors:
        return
    if response.get("Content-Type", "").startswith("text/plain") or not errors and code >= 400:
        errors = [html]
    assert errors, f"{target.name}: {code} refused without saying why"
    assert all(hostile.is_korean(e) for e in errors), f"{target.name}: refusal not in Korean: {errors}"
    assert_unchanged(target)
    if any(form.action == target.form.action for form in hostile.post_forms(html, response.wsgi_request.path)):
        lost = [name for name, value in typed.items() if not hostile.kept(html, value)]
        assert not lost, f"{target.name}: typed input lost on the re-shown form: {lost}"


def assert_unchanged(target: Target) -> None:
    changed = hostile.changed_tables(target.before, hostile.db_snapshot())
    assert not changed, f"{target.name}: refused but changed {changed}"
