"""The one way the portal writes xlsx sheets; text is escaped by ``gov30.spreadsheets``.

The evaluation workbook is written by XlsxWriter in constant-memory mode (each row streamed to the sheet's
file as soon as the next begins); the offline template, which is small and needs openpyxl's validation and
protection, shares the page setup and the row heights.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

import xlsxwriter
from openpyxl.worksheet.page import PageMargins

from gov30.spreadsheets import escape_text

HEADER_FILL = "DDEBF7"
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

    @property
    def header_row(self) -> int:  # 1-based, as people count rows
        return len(self.notes) + 1


# Printing: A4 (paper size 9), one page wide, rows flowing onto further pages, the header row on every page.
A4 = 9
MARGINS = {"left": 0.25, "right": 0.25, "top": 0.75, "bottom": 0.75}  # inches: Excel's "좁게"
HEADER_MARGIN = FOOTER_MARGIN = 0.3
FOOTER = "&A  &P / &N"  # centred: the sheet name, the page and the number of pages
# Row heights in points for Excel's and LibreOffice's default 11 pt font: a Korean line needs 16 pt there.
LINE_HEIGHT, ROW_PADDING, MAX_ROW_HEIGHT = 16.5, 3.0, 409.0  # 409 pt: the tallest row a spreadsheet allows


def print_setup(ws, *, header_row: int | None) -> None:
    """The print setup on an openpyxl sheet (the offline template): A4 landscape, fit to one page wide and as
    many pages long as the rows need, the header row repeated, narrow margins, the footer."""
    ws.page_setup.paperSize, ws.page_setup.orientation = A4, "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins = PageMargins(**MARGINS, header=HEADER_MARGIN, footer=FOOTER_MARGIN)
    if header_row:
        ws.print_title_rows = f"{header_row}:{header_row}"
    ws.HeaderFooter.oddFooter.center.text = FOOTER


def _print_setup(ws, *, header_row: int) -> None:
    """The same print setup on an XlsxWriter sheet."""
    ws.set_paper(A4)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.set_margins(**MARGINS)
    ws.set_header("", {"margin": HEADER_MARGIN})
    ws.set_footer("&C" + FOOTER, {"margin": FOOTER_MARGIN})
    ws.repeat_rows(header_row - 1)


def _units(text: str) -> int:
    """Width in column units (the width of a digit): ASCII counts one, Korean (three bytes in UTF-8) two, other
    letters in between: a little more than either program draws, so that the rows are never too short."""
    return (len(text) + len(text.encode("utf-8"))) // 2


def text_lines(text: str, width: float) -> int:
    """How many lines ``text`` wraps to in a column ``width`` units wide: words wrap at spaces, a word wider
    than the column breaks, and each line break starts a line."""
    room = max(width - 1, 1)  # a cell's padding takes about a unit
    if "\n" not in text and (len(text) + len(text.encode("utf-8"))) // 2 <= room:  # _units without the call
        return 1  # most texts
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


def row_lines(values: list[Any], columns: list[Column]) -> int:
    """The lines of a row's tallest wrapped text (its cells as written: text escaped)."""
    return max((text_lines(v, c.width) for v, c in zip(values, columns) if isinstance(v, str)), default=1)


def fit_row(ws, row: int, lines: int) -> None:
    """Give ``row`` of an openpyxl sheet the height of its wrapped text (rows of one line keep the default).
    A plain mapping with a height and no ``customHeight`` (openpyxl 3.1, pinned < 3.2) prints as given in
    LibreOffice and lets Excel fit the row again when a cell is edited, as the offline template's cells are."""
    if lines > 1:
        ws.row_dimensions[row] = {"ht": f"{row_height(lines):.1f}"}


class Book:
    """An xlsx file being written by XlsxWriter in constant-memory mode, with its cell formats made once:
    every text wraps (a row is as tall as its longest text) and everything sits at the top of its cell."""

    def __init__(self, path: str | IO[bytes], *, title: str, created: datetime.datetime) -> None:
        # the rows' times are local (timezone.localtime); a spreadsheet holds them without a zone
        self.workbook = workbook = xlsxwriter.Workbook(path, {"constant_memory": True, "remove_timezone": True})
        workbook.set_properties({"title": title, "author": "gov30", "created": created.replace(tzinfo=None)})
        self.text = workbook.add_format({"text_wrap": True, "valign": "top"})
        self.number = {kind: workbook.add_format({"num_format": f, "valign": "top"}) for kind, f in FORMATS.items()}
        self.header = workbook.add_format(
            {"bold": True, "pattern": 1, "bg_color": "#" + HEADER_FILL, "text_wrap": True, "valign": "vcenter"}
        )
        self.title = workbook.add_format({"bold": True})

    def close(self) -> None:
        self.workbook.close()


def write_text(ws, row: int, col: int, text: str, cell_format) -> None:
    """Text as text: never a formula or a link (``write_string``, never ``write``), and never markup. XlsxWriter
    copies a text that starts with ``<r>`` and ends with ``</r>`` into the sheet's XML unescaped, as a rich
    string it made itself: written as plain runs instead (a rich string needs three), it is escaped like any
    other text."""
    if text.startswith("<r>") and text.endswith("</r>"):
        ws.write_rich_string(row, col, text[:1], text[1:2], text[2:], cell_format)
    elif text:
        ws.write_string(row, col, text, cell_format)
    else:  # an empty text keeps its format
        ws.write_blank(row, col, None, cell_format)


class SheetWriter:
    """One sheet being written: widths, panes and the print setup first, then the notes (one line each,
    running on over the empty cells to their right), the bold header row, the rows as they come, each as tall
    as its wrapped text, and the autofilter at the end. Several may be open at once in one workbook (each
    sheet streams to a file of its own), so that a large export can be written in slices."""

    def __init__(self, book: Book, sheet: Sheet) -> None:
        self.book, self.sheet, self.count = book, sheet, 0
        self.ws = ws = book.workbook.add_worksheet(sheet.title)
        for index, column in enumerate(sheet.columns):
            # in pixels, seven a digit: XlsxWriter would add a cell's padding to a width given in digits, and
            # text_lines counts the width as the file stores it
            ws.set_column_pixels(index, index, column.width * 7)
        ws.freeze_panes(sheet.header_row, 0)
        _print_setup(ws, header_row=sheet.header_row)
        for row, note in enumerate(sheet.notes):
            write_text(ws, row, 0, escape_text(note), book.title if row == 0 else None)
        self.row = sheet.header_row - 1  # the last row written, counted from 0 as XlsxWriter does
        for index, column in enumerate(sheet.columns):
            write_text(ws, self.row, index, column.header, book.header)
        self._fit(row_lines([c.header for c in sheet.columns], sheet.columns))

    def extend(self, rows: Iterable[list[Any]]) -> None:
        ws, columns, text = self.ws, self.sheet.columns, self.book.text
        formats = [self.book.number[column.kind] for column in columns]
        for values in rows:
            self.row += 1
            lines = 1
            for index, (value, column) in enumerate(zip(values, columns, strict=True)):
                if isinstance(value, str):
                    value = escape_text(value)
                    lines = max(lines, text_lines(value, column.width))
                    write_text(ws, self.row, index, value, text)
                elif isinstance(value, datetime.date):
                    ws.write_datetime(self.row, index, value, formats[index])
                elif value is not None:
                    ws.write_number(
                        self.row, index, float(value) if isinstance(value, Decimal) else value, formats[index]
                    )
            self._fit(lines)
            self.count += 1

    def _fit(self, lines: int) -> None:
        """The row just written as tall as its text: XlsxWriter writes a row out when the next begins. It keeps
        every row's height (for placing images, which these sheets have none of) unless told otherwise: the
        rows before it are forgotten, and memory stays flat (XlsxWriter 3.x, pinned < 4)."""
        if lines > 1:
            self.ws.set_row(self.row, row_height(lines))
        written = self.ws.previous_row - 1
        self.ws.row_info.pop(written, None)
        self.ws.row_sizes.pop(written, None)

    def close(self) -> None:
        header, width = self.sheet.header_row - 1, len(self.sheet.columns)
        self.ws.autofilter(header, 0, header + max(self.count, 1), width - 1)


def write_sheets(path: str | IO[bytes], sheets: Iterable[Sheet], *, title: str, created: datetime.datetime) -> None:
    """Write ``sheets`` to ``path`` (a file name or a binary file). Parts of one title (slices of a large
    export) follow each other's rows on one sheet; the sheets keep the order their first parts come in."""
    book, writers = Book(path, title=title, created=created), {}
    for sheet in sheets:
        if sheet.title not in writers:
            writers[sheet.title] = SheetWriter(book, sheet)
        writers[sheet.title].extend(sheet.rows)
    for writer in writers.values():
        writer.close()
    book.close()
