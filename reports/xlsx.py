"""The one way the portal writes xlsx sheets; text is escaped by ``gov30.spreadsheets``."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from gov30.spreadsheets import escape_text

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
FORMATS = {
    "int": "#,##0",
    "money": "#,##0",
    "decimal": "#,##0.##",
    "pct": "0.0%",
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm",
    "text": "@",
}


@dataclass
class Column:
    header: str
    kind: str = "text"  # a key of FORMATS
    width: int = 14


@dataclass
class Sheet:
    title: str
    columns: list[Column]
    rows: Iterable[list[Any]]
    notes: list[str] = field(default_factory=list)  # lines above the header (title, unit)


def _cell(ws, value: Any, column: Column) -> WriteOnlyCell:
    if isinstance(value, str):
        value = escape_text(value)
    elif isinstance(value, datetime.datetime) and value.tzinfo is not None:
        value = value.replace(tzinfo=None)
    elif isinstance(value, Decimal):
        value = float(value)
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text
        cell.alignment = Alignment(wrap_text=len(value) > 40, vertical="top")
    elif value is not None:
        cell.number_format = FORMATS[column.kind]
    return cell


def _header(ws, text: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=text)
    cell.data_type = "s"
    cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    cell.alignment = Alignment(wrap_text=True, vertical="center")
    return cell


def add_sheet(workbook: Workbook, sheet: Sheet) -> None:
    """A sheet with notes, a frozen bold header row, an autofilter, widths and a landscape, fit-to-width print."""
    ws = workbook.create_sheet(sheet.title)
    header_row = len(sheet.notes) + 1
    for index, column in enumerate(sheet.columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column.width
    ws.freeze_panes = f"A{header_row + 1}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{header_row}:{header_row}"
    for note in sheet.notes:
        cell = WriteOnlyCell(ws, value=escape_text(note))
        cell.data_type = "s"
        cell.font = Font(bold=note is sheet.notes[0])
        ws.append([cell])
    ws.append([_header(ws, c.header) for c in sheet.columns])
    count = 0
    for row in sheet.rows:
        ws.append([_cell(ws, value, column) for value, column in zip(row, sheet.columns, strict=True)])
        count += 1
    last = get_column_letter(len(sheet.columns))
    ws.auto_filter.ref = f"A{header_row}:{last}{header_row + max(count, 1)}"


def write_workbook(path, sheets: Iterable[Sheet], *, title: str, created: datetime.datetime) -> None:
    """Write-only (streaming) workbook: rows are written as the generators yield them."""
    workbook = Workbook(write_only=True)
    workbook.properties.title = title
    workbook.properties.creator = "gov30"
    workbook.properties.created = created.replace(tzinfo=None)
    for sheet in sheets:
        add_sheet(workbook, sheet)
    workbook.save(path)
