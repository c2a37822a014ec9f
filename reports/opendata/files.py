"""The files of the open datasets: CSV, XLSX and JSON of each table, and the Frictionless data package.

The CSV is UTF-8 with a byte order mark, so that Excel opens the Korean; its header is the columns' ASCII
names, which the package's table schema declares (``frictionless validate`` matches them). The package declares
the encoding ``utf-8``, the name the standard knows: the validator, like most readers, skips the mark. Text that
a spreadsheet would run as a formula is escaped in the CSV and the XLSX (``gov30.spreadsheets``); the JSON
keeps the text as it is.
"""

import csv
import io
import json
from decimal import Decimal
from typing import Any

from django.utils import timezone

from gov30.spreadsheets import XLSX_CONTENT_TYPE, escape_text
from initiatives.models import Plan
from reports.opendata.datasets import LICENCE, Dataset, Table, last_changes, number, plan_datasets, sources
from reports.spreadsheets.xlsx import Column, Sheet, write_sheets

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": XLSX_CONTENT_TYPE,
    "json": "application/json",
}
FORMAT_LABELS = {"csv": "CSV", "xlsx": "XLSX", "json": "JSON"}
XLSX_KINDS = {"integer": "int", "number": "decimal"}  # anything else is text
WIDE = {"status_explanation": 60, "task_title": 40, "title": 40, "budget_line": 36, "indicator": 36}
TERMS_SHEET = "출처와 이용조건"


def file_name(table: Table, fmt: str) -> str:
    return f"gov30-{table.plan.year}-{table.dataset.slug}.{fmt}"


def _yes_no(value: Any) -> Any:
    return ("예" if value else "아니오") if isinstance(value, bool) else value


def _csv_cell(value: Any) -> str:
    value = _yes_no(value)
    if value is None:
        return ""
    if isinstance(value, str):
        return escape_text(value)
    if isinstance(value, Decimal):
        return format(number(value), "")
    return str(value)


def csv_bytes(table: Table) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.name for c in table.dataset.columns])
    writer.writerows([_csv_cell(v) for v in row] for row in table.rows)
    return out.getvalue().encode("utf-8-sig")


def meta(table: Table) -> dict[str, Any]:
    """What every file says of itself: the dataset, the licence, the sources and the last change."""
    return {
        "dataset": table.dataset.slug,
        "title": f"{table.plan.year}년 {table.dataset.title}",
        "description": table.dataset.description,
        "license": LICENCE,
        "sources": table.sources,
        "last_modified": timezone.localtime(table.last_change).isoformat(),
    }


def json_bytes(table: Table) -> bytes:
    document = {"meta": meta(table), "fields": [c.descriptor() for c in table.dataset.columns], "rows": table.records()}
    return json.dumps(document, ensure_ascii=False, indent=1).encode()


def _terms_rows(table: Table) -> list[list[str]]:
    described = meta(table)
    rows = [
        ["자료", described["title"]],
        ["설명", described["description"]],
        ["이용조건", f"{LICENCE['title']} ({LICENCE['path']})"],
        *[["출처", " ".join(filter(None, [s["title"], s.get("path")]))] for s in table.sources],
        ["최종 변경", described["last_modified"][:16].replace("T", " ")],
    ]
    return rows


def xlsx_bytes(table: Table) -> bytes:
    columns = [
        Column(c.title, XLSX_KINDS.get(c.type, "text"), WIDE.get(c.name, max(10, len(c.title) * 2 + 2)))
        for c in table.dataset.columns
    ]
    data = Sheet(table.dataset.title, columns, ([_yes_no(v) for v in row] for row in table.rows))
    terms = Sheet(TERMS_SHEET, [Column("항목", width=12), Column("내용", width=90)], _terms_rows(table))
    out = io.BytesIO()
    created = timezone.localtime(table.last_change)
    write_sheets(out, [data, terms], title=meta(table)["title"], created=created)
    return out.getvalue()


WRITERS = {"csv": csv_bytes, "xlsx": xlsx_bytes, "json": json_bytes}


def resource(dataset: Dataset, last_modified: str) -> dict[str, Any]:
    """The dataset's entry in the package: its CSV (a path relative to ``datapackage.json``) and its schema."""
    return {
        "name": dataset.slug,
        "path": f"{dataset.slug}.csv",
        "title": dataset.title,
        "description": dataset.description,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "last_modified": last_modified,
        "schema": {"fields": [c.descriptor() for c in dataset.columns]},
    }


def package(plan: Plan, *, portal_url: str = "") -> dict[str, Any]:
    """The year's Frictionless Data Package: licence, sources, when it last changed, one resource a dataset."""
    changed = last_changes(plan)
    changes = {kind: timezone.localtime(at).isoformat() for kind, at in changed.items()}
    return {
        "name": f"gov30-{plan.year}",
        "title": f"{plan.title}: 추진실적과 계획 공개 데이터",
        "description": "승인된 분기 보고의 추진실적과 실행계획(과제·예산·추진일정·성과지표). "
        "작성 중이거나 반려된 보고, 검토 의견, 포털 사용자의 이름은 담지 않습니다.",
        "licenses": [LICENCE],
        "sources": sources(plan, portal_url=portal_url),
        "created": timezone.localtime(max(changed.values())).isoformat(),
        "resources": [resource(d, changes[d.kind]) for d in plan_datasets(plan)],
    }
