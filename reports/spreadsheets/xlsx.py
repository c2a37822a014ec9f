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
from openpyxl.worksheet.page import PageMargins

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


# Printing: A4 (paper size 9), one page wide, rows flowing onto further pages, the header row on every page.
A4 = 9
MARGINS = PageMargins(left=0.25, right=0.25, top=0.75, bottom=0.75, header=0.3, footer=0.3)  # Excel's "좁게"
# Row heights in points for Excel's and LibreOffice's default 11 pt font: a Korean line needs 16 pt there.
LINE_HEIGHT, ROW_PADDING, MAX_ROW_HEIGHT = 16.5, 3.0, 409.0  # 409 pt: the tallest row a spreadsheet allows


def print_setup(ws, *, header_row: int | None) -> None:
    """A4 landscape, fit to one page wide and as many pages long as the rows need, the header row repeated,
    narrow margins, the sheet name and page number in the footer. Works on write-only sheets too: page setup
    and margins are written after the rows, and the sheet properties when the first row is."""
    ws.page_setup.paperSize, ws.page_setup.orientation = A4, "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins = MARGINS
    if header_row:
        ws.print_title_rows = f"{header_row}:{header_row}"
    ws.HeaderFooter.oddFooter.center.text = "&A  &P / &N"


def _units(text: str) -> int:
    """Width in column units (the width of a digit): ASCII counts one, Korean (three bytes in UTF-8) two, other
    letters in between: a little more than either program draws, so that the rows are never too short."""
    return (len(text) + len(text.encode("utf-8"))) // 2


def text_lines(text: str, width: float) -> int:
    """How many lines ``text`` wraps to in a column ``width`` units wide: words wrap at spaces, a word wider
    than the column breaks, and each line break starts a line."""
    room = max(width - 1, 1)  # a cell's padding takes about a unit
    if "\n" not in text and _units(text) <= room:
        return 1
    lines = 0
    for paragraph in text.split("\n"):
        lines, used = lines + 1, 0
        for word in paragraph.split(" "):
            size = _units(word)
            if used and used + 1 + size > room:
                lines, used = lines + 1, 0
            elif used:
                used += 1
            while size > room:
                lines, size = lines + 1, size - room
            used += size
    return lines


def row_height(lines: int) -> float:
    return min(lines * LINE_HEIGHT + ROW_PADDING, MAX_ROW_HEIGHT)


def fit_row(ws, row: int, lines: int) -> None:
    """Give ``row`` the height of its wrapped text (rows of one line keep the default). openpyxl's row writer
    reads a row's attributes from ``row_dimensions`` (openpyxl 3.1, pinned < 3.2); a plain mapping with a
    height and no ``customHeight`` prints as given in LibreOffice and lets Excel fit the row again when a cell
    is edited, as the offline template's cells are."""
    if lines > 1:
        ws.row_dimensions[row] = {"ht": f"{row_height(lines):.1f}"}


class _Styles:
    """A workbook's cell styles, made once. openpyxl builds and hashes style objects every time one is set
    on a cell; sharing a ready style array (never changed once made) saves about a fifth of the time.
    Every text wraps (a row is as tall as its longest text) and everything sits at the top of its cell."""

    def __init__(self, ws) -> None:
        top = Alignment(vertical="top")
        self.text = self._made(ws, alignment=Alignment(wrap_text=True, vertical="top"))
        self.number = {
            kind: self._made(ws, number_format=number_format, alignment=top) for kind, number_format in FORMATS.items()
        }

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
        cell._style = styles.text
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
    """One sheet being written: notes, a frozen bold header row, widths and the print setup first; rows as
    they come, each as tall as its wrapped text; the autofilter at the end. Several may be open at once in one
    workbook (each write-only sheet streams to its own file), so a large export can be written in slices."""

    def __init__(self, workbook: Workbook, sheet: Sheet) -> None:
        self.sheet, self.count, self.row = sheet, 0, len(sheet.notes)  # the last row written (notes come first)
        self.ws = ws = workbook.create_sheet(sheet.title)
        ws._values_to_row = _ready_cells
        self.header_row = len(sheet.notes) + 1
        for index, column in enumerate(sheet.columns, start=1):
            ws.column_dimensions[get_column_letter(index)].width = column.width
        ws.freeze_panes = f"A{self.header_row + 1}"
        print_setup(ws, header_row=self.header_row)
        for note in sheet.notes:  # one line each, running on over the empty cells to its right
            cell = WriteOnlyCell(ws, value=escape_text(note))
            cell.data_type = "s"
            cell.font = Font(bold=note is sheet.notes[0])
            ws.append([cell])
        self._append([_header(ws, c.header) for c in sheet.columns])
        self.styles = _Styles(ws)

    def _append(self, cells: list) -> None:
        self.row += 1
        texts = (
            text_lines(c.value, col.width) for c, col in zip(cells, self.sheet.columns) if c and c.data_type == "s"
        )
        fit_row(self.ws, self.row, max(texts, default=1))
        self.ws.append(cells)
        self.ws.row_dimensions.pop(self.row, None)  # written: a streamed sheet keeps no rows

    def extend(self, rows: Iterable[list[Any]]) -> None:
        columns, ws, styles = self.sheet.columns, self.ws, self.styles
        for row in rows:
            self._append([_cell(ws, value, column, styles) for value, column in zip(row, columns, strict=True)])
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
