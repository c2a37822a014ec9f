"""The rule for "English interface text" on a page, shared by the page scan and the chart test.

What a person reads: text nodes outside <script>, <style> and <template>, plus the attributes a
browser shows or reads aloud (title, alt, placeholder, aria-label, and the value of buttons).

English interface text is any Latin word (two letters or more) in that text that is none of:
- a word of the plan itself (fixtures/plan_2017.yaml prints e.g. "IoT", "ICT", "MOU": data, not interface);
- a proper noun, unit, format or code, listed in ALLOWED below;
- a code: a word with a digit in it ("Q3", "M2", "v1", a hash), or text inside <code> (the import
  page lists the file's column names, the criteria page the rules' source files).
Not read: the alt text of the admin's boolean icons, which Django fills with the Python value
("True"/"False") in every language, and django-axes' record names ("Access Log for …", English
f-strings in its models' __str__, not translatable), which the admin uses as checkbox labels and
titles; "<unknown>" is the value axes stores for a missing header (data). Known limits, left as they are.

Besides that word rule, DEFAULTS lists the English phrases of Django, the admin, django-import-export,
django-axes, django-tables2 and plotly that must never show (checked even if their words were allowed).
"""

import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import yaml
from django.conf import settings

# Proper nouns, units, file formats and codes a Korean page legitimately prints in Latin letters.
ALLOWED = {
    "gov30",  # the portal's name
    "CC", "BY", "ND", "KR",  # 공공누리/CC BY-ND 3.0 KR (the plan's licence)
    "PDF", "HWP", "HWPX", "xlsx", "XLSX", "xls", "csv", "CSV", "json", "JSON", "tsv", "TSV", "ods", "yaml", "html",
    "doc", "docx", "ppt", "pptx", "jpg", "jpeg", "png", "PNG", "svg",
    "MB", "KB", "ID", "URL", "API", "IP", "HTTP", "GET", "POST", "Accept", "sha256",
    "Control", "Command", "Mac",  # key names in Django's Korean help for multiple selection
    "Single", "Sign", "On", "LDAP",  # Django's Korean help on unusable passwords names these systems
    "md5", "pbkdf2_sha256", "argon2", "bcrypt_sha256", "scrypt",  # password hash algorithms (admin)
}  # fmt: skip

DEFAULTS = [
    "Forbidden", "Not Found", "Bad Request", "Server Error", "CSRF verification failed",
    "Page not found", "Django", "Non budget", "Access attempts", "Access logs", "Access failures",
    "Import finished", "Select all", "Export", "Import", "Home", "Resource", "Row",
    "previous", "next", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    "in_progress", "not_started", "on_track", "indicator", "milestone", "budget", "timeliness",
    "Download plot", "Zoom", "Autoscale", "Reset axes", "Produced with Plotly",
]  # fmt: skip

WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[_'’][A-Za-z0-9]+)*")
READ_ATTRIBUTES = {"title", "alt", "placeholder", "aria-label"}
# <bdi>: the admin isolates data in it (the password hash summary: algorithm, a salt like "YI****")
HIDDEN_TAGS = {"script", "style", "template", "code", "bdi"}
BOOLEAN_ICON = re.compile(r"/admin/img/icon-(yes|no|unknown)\.svg$")


class _VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in HIDDEN_TAGS:
            self.hidden += 1
        attrs = dict(attrs)
        if tag == "img" and BOOLEAN_ICON.search(attrs.get("src") or ""):
            return
        self.parts += [attrs[a] or "" for a in READ_ATTRIBUTES if a in attrs]
        if tag == "input" and attrs.get("type") in {"submit", "button", "reset"}:
            self.parts.append(attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag in HIDDEN_TAGS and self.hidden:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


AXES_RECORD_NAMES = re.compile(
    r"Access Log for .+? @ \S+ \S+|Attempted Access: \S+ \S+|Failed access: user .+? from \S+|<unknown>"
)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return AXES_RECORD_NAMES.sub(" ", " ".join(" ".join(parser.parts).split()))


@cache
def plan_words() -> frozenset[str]:
    """Latin words in the plan's printed text: string values, not keys ("non_budget" is a field name)."""
    return frozenset(WORD.findall(" ".join(_strings(yaml.safe_load(Path(settings.PLAN_FIXTURE).read_text("utf-8"))))))


def _strings(node) -> list[str]:
    if isinstance(node, dict):
        # "note" is the transcriber's remark, which pages do not print as plan text
        return [s for key, value in node.items() if key != "note" for s in _strings(value)]
    if isinstance(node, list):
        return [s for item in node for s in _strings(item)]
    return [node] if isinstance(node, str) else []


def english_in(text: str) -> list[str]:
    """The English interface words and default phrases in a page's visible text."""
    words = [
        w
        for w in WORD.findall(text)
        if len(w) > 1 and w not in ALLOWED and w not in plan_words() and not any(c.isdigit() for c in w)
    ]
    phrases = [p for p in DEFAULTS if re.search(rf"(?<![A-Za-z]){re.escape(p)}(?![A-Za-z])", text)]
    return sorted(set(words) | set(phrases))
