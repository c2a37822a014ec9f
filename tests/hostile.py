"""Hostile input for the fuzz tests: values, files, forms read from pages, and the properties every answer keeps.

A value is a ``str`` that may hold lone surrogates: it is sent as the bytes a client can send
(``surrogatepass``), which the server reads back as U+FFFD, as Django decodes any invalid UTF-8.
"""

import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import quote_from_bytes, unquote_to_bytes, urlsplit

from django.apps import apps
from django.contrib.messages import constants as message_levels
from django.utils.html import escape
from hypothesis import strategies as st
from openpyxl import Workbook

from tests import bad_files

# ---------------------------------------------------------------- values

NUMBERS = [
    "NaN", "nan", "-NaN", "sNaN", "-sNaN", "Infinity", "-Infinity", "inf", "-inf", "1e309", "-1e309", "1e-400",
    "1e999999", "9" * 40, "-" + "9" * 40, "99999999999999999999", "-1", "-0", "-0.000001", "0.001", "12,34,5",
    "1,2,3,4", ",", "1,,000", "12만", "삼백", "１２３", "١٢٣", "0x10", "1_000", "1e5", "  12  ", "12.345.6", "\ufeff12",
]  # fmt: skip
TEXTS = [
    "", " ", "\t\n\r", "가" * 6000, "a" * 70_000, "\x00", "a\x00b", "\x01\x02\x1b[31m\x7f", "\u202e\u200f역방향\u202c",
    "\ud800", "앞\udfff뒤", "' OR 1=1 --", "'; DROP TABLE reports_progressreport; --", "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>', '=HYPERLINK("http://evil.example","클릭")', "+cmd|' /C calc'!A0", "@SUM(1+1)",
    "-2+3", "{{ 7*7 }}", "%00", "../../etc/passwd", "\u0000\u2028\u2029", "😀" * 10,
]  # fmt: skip
DATES = ["2017-02-30", "99999-01-01", "2017. 1. 2.", "0000-00-00", "2017-13-01", "2017-1-1", "17-01-01", "1-01-01"]
CHOICES = ["999999", "-1", "0", "abc", "on_track ", "[]", "None", "1.5"]

FIXED = NUMBERS + TEXTS + DATES + CHOICES

# Any code point, lone surrogates and control characters included.
ANY_CHARACTER = st.characters(codec=None, categories=None)


def hostile_values() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(FIXED),
        st.text(ANY_CHARACTER, max_size=40),
        st.integers(min_value=-(10**40), max_value=10**40).map(str),
        st.floats().map(str),
        st.decimals().map(str),
        st.dates().map(lambda d: f"{d.year}. {d.month}. {d.day}."),  # dates as Korean documents print them
    )


def wire(value: str) -> bytes:
    return value.encode("utf-8", "surrogatepass")


def as_received(value: str) -> str:
    """The text the server reads for a sent value (invalid UTF-8 becomes U+FFFD, as in Django's QueryDict)."""
    return unquote_to_bytes(quote_from_bytes(wire(value))).decode("utf-8", "replace")


# ---------------------------------------------------------------- files

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(fill) -> bytes:
    workbook = Workbook()
    fill(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def wrong_sheet(template: bytes) -> bytes:
    return _xlsx(lambda wb: wb.active.append(["과제키", "항목키", "실적"]))


def formulas_everywhere(template: bytes) -> bytes:
    return bad_files.edit(template, lambda wb: [ws.cell(row=2, column=c, value="=1/0") for ws in wb for c in (1, 7)])


def hostile_cells(value: str):
    def make(template: bytes) -> bytes:
        # a cell holds only what XML can: no lone surrogates, no control characters
        text = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", value.encode("utf-8", "replace").decode("utf-8"))
        return bad_files.edit(template, lambda wb: [ws.cell(row=2, column=c, value=text) for ws in wb for c in (1, 7)])

    return make


def empty(template: bytes) -> bytes:
    return b""


def random_bytes(template: bytes) -> bytes:
    return bytes(range(256)) * 4


def zip_without_parts(template: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "안녕")
    return buffer.getvalue()


FILE_MAKERS = [
    empty, random_bytes, zip_without_parts, wrong_sheet, formulas_everywhere, bad_files.csv_renamed,
    bad_files.truncated, bad_files.zip_bomb, bad_files.oversized, bad_files.drop_column, bad_files.text_in_number,
    bad_files.date_as_text, bad_files.duplicate_row, bad_files.sheet_xml_undefined_entity,
]  # fmt: skip
FILE_NAMES = ["양식.xlsx", "양식.XLSX", "양식.csv", "양식", ".xlsx", "../../양식.xlsx", "a" * 300 + ".xlsx", "증빙.pdf"]


@dataclass(frozen=True)
class HostileFile:
    name: str
    make: Callable[[bytes], bytes]  # a real workbook -> the file sent

    def __repr__(self) -> str:
        return f"HostileFile({self.name!r}, {getattr(self.make, '__name__', 'hostile_cells')})"


def hostile_files() -> st.SearchStrategy[HostileFile]:
    makers = st.one_of(st.sampled_from(FILE_MAKERS), st.sampled_from(FIXED).map(hostile_cells))
    return st.builds(HostileFile, name=st.sampled_from(FILE_NAMES), make=makers)


# ---------------------------------------------------------------- forms as a page shows them

TYPED = {"text", "number", "date", "email", "search", "tel", "url", "textarea"}  # what a person types


@dataclass
class Input:
    name: str
    kind: str  # input type, "select" or "textarea"
    value: str = ""


@dataclass
class Form:
    action: str
    multipart: bool
    inputs: list[Input] = field(default_factory=list)

    def names(self, *, kinds=None) -> list[str]:
        """The fields the server reads (not the token, not the admin's template row ``__prefix__`` for new inlines)."""
        names = [
            i.name
            for i in self.inputs
            if i.name != "csrfmiddlewaretoken" and "__prefix__" not in i.name and (kinds is None or i.kind in kinds)
        ]
        return list(dict.fromkeys(names))

    def kind(self, name: str) -> str:
        return next(i.kind for i in self.inputs if i.name == name)

    def defaults(self) -> list[tuple[str, str]]:
        """What a browser posts untouched: checked boxes and radios, selected options, no submit buttons."""
        return [(i.name, i.value) for i in self.inputs if i.kind not in ("submit", "file", "unchecked")]


class _FormParser(HTMLParser):
    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.page, self.forms, self.form, self.select, self.textarea = page, [], None, None, None
        self.first_option = False

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "get").lower() == "post":
            action = urlsplit(a.get("action") or self.page).path
            self.form = Form(action=action, multipart="multipart" in a.get("enctype", ""))
            self.forms.append(self.form)
        if self.form is None or "name" not in a and tag != "option":
            return
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in a:
                kind = "unchecked"
            self.form.inputs.append(Input(a["name"], kind, a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "button":
            self.form.inputs.append(Input(a["name"], "submit", a.get("value", "")))
        elif tag == "select":
            self.select = Input(a["name"], "select")
            self.form.inputs.append(self.select)
            self.first_option = True
        elif tag == "option" and self.select is not None:
            if "selected" in a or self.first_option:
                self.select.value = a.get("value", "")
            self.first_option = False
        elif tag == "textarea":
            self.textarea = Input(a["name"], "textarea")
            self.form.inputs.append(self.textarea)

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea.value += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            self.textarea.value = self.textarea.value.removeprefix("\n")
            self.textarea = None


def post_forms(html: str, page: str) -> list[Form]:
    parser = _FormParser(page)
    parser.feed(html)
    return parser.forms


# ---------------------------------------------------------------- what a refusal says

ERROR_CLASSES = {"invalid-feedback", "alert-danger", "errorlist", "errornote", "validation-error-list"}
# django-import-export shows an exception it caught during an import with its traceback: a server error in disguise.
CAUGHT_EXCEPTION = "import-error-display-traceback"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
HANGUL = re.compile("[\uac00-\ud7a3]")


def is_korean(text: str) -> bool:
    """A message is Korean when it holds Hangul (names and numbers in it may be anything)."""
    return bool(HANGUL.search(text))


class _ErrorParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.texts = [], []  # stack of (tag, index into texts or None)

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        classes = set(dict(attrs).get("class", "").split()) if dict(attrs).get("class") else set()
        inside = any(index is not None for _, index in self.stack)
        index = None
        if classes & ERROR_CLASSES and not inside:
            self.texts.append("")
            index = len(self.texts) - 1
        self.stack.append((tag, index))

    def handle_data(self, data):
        for _, index in reversed(self.stack):
            if index is not None:
                self.texts[index] += data
                break

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break


def error_texts(html: str) -> list[str]:
    """The texts of the error elements of a page: field errors, error alerts and messages, the admin's error lists."""
    parser = _ErrorParser()
    parser.feed(html)
    return [" ".join(t.split()) for t in parser.texts if t.strip()]


def error_messages(response) -> list[str]:
    """The error messages a redirect carries to the next page."""
    storage = getattr(response.wsgi_request, "_messages", None)
    queued = getattr(storage, "_queued_messages", [])
    return [str(m) for m in queued if m.level >= message_levels.ERROR]


def kept(html: str, value: str) -> bool:
    """The typed value is on the re-shown page, escaped as Django escapes it."""
    return escape(as_received(value)) in html


# ---------------------------------------------------------------- the database

NOT_DATA = {"sessions", "axes", "contenttypes"}  # a failed login is recorded by django-axes on purpose


def db_snapshot() -> dict:
    """Every row of every table a form could write, by table."""
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values_list())
        for model in apps.get_models()
        if model._meta.app_label not in NOT_DATA and model._meta.managed and not model._meta.proxy
    }


def changed_tables(before: dict, after: dict) -> list[str]:
    return [label for label in before if before[label] != after.get(label)]


# ---------------------------------------------------------------- bodies the client can send


def urlencoded(pairs: list[tuple[str, str]]) -> bytes:
    return b"&".join(quote_from_bytes(wire(k)).encode() + b"=" + quote_from_bytes(wire(v)).encode() for k, v in pairs)


BOUNDARY = "gov30HostileBoundary7MA4YWxkTrZu0gW"


def multipart(pairs: list[tuple[str, str]], files: list[tuple[str, str, bytes]]) -> bytes:
    parts = []
    for name, value in pairs:
        head = f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
        parts.append(wire(head) + wire(value) + b"\r\n")
    for name, filename, content in files:
        head = (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        )
        parts.append(wire(head) + content + b"\r\n")
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()


MULTIPART_CONTENT_TYPE = f"multipart/form-data; boundary={BOUNDARY}"
