"""The one way the portal writes xlsx sheets; text is escaped by ``gov30.spreadsheets``."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.cell_style import StyleArray
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


class _Styles:
    """A workbook's cell styles, made once. openpyxl builds and hashes style objects every time one is set
    on a cell; sharing a ready style array (never changed once made) saves about a fifth of the time."""

    def __init__(self, ws) -> None:
        self.text = {wrap: self._made(ws, alignment=Alignment(wrap_text=wrap, vertical="top")) for wrap in (0, 1)}
        self.number = {kind: self._made(ws, number_format=number_format) for kind, number_format in FORMATS.items()}

    @staticmethod
    def _made(ws, **style) -> StyleArray:
        cell = WriteOnlyCell(ws)
        for name, value in style.items():
            setattr(cell, name, value)
        return cell._style


def _cell(ws, value: Any, column: Column, styles: _Styles) -> Any:  # a write-only cell, or None
    if value is None:
        return None
    if isinstance(value, str):
        value = escape_text(value)
    elif isinstance(value, datetime.datetime) and value.tzinfo is not None:
        value = value.replace(tzinfo=None)
    elif isinstance(value, Decimal):
        value = float(value)
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text
        cell._style = styles.text[len(value) > 40]
    else:
        cell._style = styles.number[column.kind]
    return cell


def _ready_cells(values: list, row_idx: int):
    """Our rows are made of ready cells. openpyxl's own ``_values_to_row`` first tries each as a plain value
    (a failed conversion, with its error message, per cell) and makes a spare cell after every styled one:
    a third of the workbook's time. Relies on openpyxl 3.1's write-only internals (pinned < 3.2)."""
    for column, cell in enumerate(values, 1):
        if cell is not None:
            cell.column, cell.row = column, row_idx
            yield cell


def _header(ws, text: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=text)
    cell.data_type = "s"
    cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    cell.alignment = Alignment(wrap_text=True, vertical="center")
    return cell


class SheetWriter:
    """One sheet being written: notes, a frozen bold header row, widths and a landscape fit-to-width print
    first; rows as they come; the autofilter at the end. Several may be open at once in one workbook
    (each write-only sheet streams to its own file), so a large export can be written in slices."""

    def __init__(self, workbook: Workbook, sheet: Sheet) -> None:
        self.sheet, self.count = sheet, 0
        self.ws = ws = workbook.create_sheet(sheet.title)
        ws._values_to_row = _ready_cells
        self.header_row = len(sheet.notes) + 1
        for index, column in enumerate(sheet.columns, start=1):
            ws.column_dimensions[get_column_letter(index)].width = column.width
        ws.freeze_panes = f"A{self.header_row + 1}"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_title_rows = f"{self.header_row}:{self.header_row}"
        for note in sheet.notes:
            cell = WriteOnlyCell(ws, value=escape_text(note))
            cell.data_type = "s"
            cell.font = Font(bold=note is sheet.notes[0])
            ws.append([cell])
        ws.append([_header(ws, c.header) for c in sheet.columns])
        self.styles = _Styles(ws)

    def extend(self, rows: Iterable[list[Any]]) -> None:
        columns, ws, styles = self.sheet.columns, self.ws, self.styles
        for row in rows:
            ws.append([_cell(ws, value, column, styles) for value, column in zip(row, columns, strict=True)])
            self.count += 1

    def close(self) -> None:
        last = get_column_letter(len(self.sheet.columns))
        self.ws.auto_filter.ref = f"A{self.header_row}:{last}{self.header_row + max(self.count, 1)}"


def add_sheet(workbook: Workbook, sheet: Sheet) -> None:
    writer = SheetWriter(workbook, sheet)
    writer.extend(sheet.rows)
    writer.close()


def new_workbook(*, title: str, created: datetime.datetime) -> Workbook:
    """A write-only (streaming) workbook with its document properties."""
    workbook = Workbook(write_only=True)
    workbook.properties.title = title
    workbook.properties.creator = "gov30"
    workbook.properties.created = created.replace(tzinfo=None)
    return workbook
