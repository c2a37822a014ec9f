"""The evaluation workbook as XlsxWriter writes it, read back with openpyxl, is what the sheets define: each
cell's value (text escaped), number format and wrapping, the widths, the rows' heights, the frozen panes, the
filter, the print setup; and writing it keeps memory flat however many rows there are."""

import datetime
import gc
import tracemalloc
from decimal import Decimal
from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from gov30.spreadsheets import escape_text
from reports.models import ProgressReport
from reports.spreadsheets import workbook
from reports.spreadsheets.workbook import SHEET_TITLES, WorkbookFilter, evaluation_sheets, workbook_title
from reports.spreadsheets.xlsx import (
    A4,
    FOOTER,
    FORMATS,
    HEADER_FILL,
    MARGINS,
    Column,
    Sheet,
    row_height,
    row_lines,
    write_sheets,
)
from tests.test_workbook_prints_on_a4 import sampled

CREATED = datetime.datetime(2017, 12, 31, 18, 30)
PIXEL = 0.75  # XlsxWriter keeps a row's height in whole pixels (¾ pt)


def as_written(value):
    """A value of a row generator as a spreadsheet holds it."""
    if isinstance(value, str):
        return escape_text(value) or None  # an empty text is an empty (formatted) cell
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, datetime.date):
        return datetime.datetime.combine(value, datetime.time())
    return value


def materialized(parts) -> list[Sheet]:
    """The parts of each sheet joined, their rows as lists, in the order the workbook has them."""
    sheets: dict[str, Sheet] = {}
    for part in parts:
        sheet = sheets.setdefault(part.title, Sheet(part.title, part.columns, [], part.notes))
        sheet.rows.extend(list(row) for row in part.rows)
    return list(sheets.values())


def read_back(sheets: list[Sheet], title: str = "제목"):
    out = BytesIO()
    write_sheets(out, sheets, title=title, created=CREATED)
    return load_workbook(BytesIO(out.getvalue()))


def assert_cell(cell, value, column: Column) -> None:
    expected = as_written(value)
    if isinstance(expected, datetime.datetime):  # a date is a fraction of days: microseconds may round
        assert abs(cell.value - expected) < datetime.timedelta(milliseconds=1), cell.coordinate
    else:
        assert cell.value == expected, cell.coordinate
    if value is None:
        return
    assert cell.alignment.vertical == "top", cell.coordinate
    if isinstance(value, str):
        assert cell.alignment.wrap_text and cell.number_format == "General", cell.coordinate
        assert cell.data_type == ("s" if value else "n"), cell.coordinate  # text, never a formula
        assert cell.hyperlink is None, cell.coordinate  # nor a link
    else:
        assert cell.number_format == FORMATS[column.kind] and not cell.alignment.wrap_text, cell.coordinate


def assert_height(ws, row: int, values: list, columns: list[Column]) -> int:
    lines = row_lines([as_written(v) if isinstance(v, str) else v for v in values], columns)
    height = ws.row_dimensions[row].height
    if lines == 1:
        assert height is None, (ws.title, row)  # the default height
    else:
        assert height == pytest.approx(row_height(lines), abs=PIXEL), (ws.title, row, lines)
    return lines


def width(ws, index: int) -> float:
    """The width of column ``index``: columns of one width side by side share one entry."""
    (found,) = [d.width for d in ws.column_dimensions.values() if d.min <= index <= d.max]
    return found


def assert_top(ws, sheet: Sheet) -> None:
    """The notes (the first bold, running on from column A), the bold, filled, wrapped header row."""
    header = sheet.header_row
    for row, note in enumerate(sheet.notes, start=1):
        assert [c.value for c in ws[row]][: len(sheet.columns)] == [escape_text(note)] + [None] * (
            len(sheet.columns) - 1
        )
        assert ws.cell(row, 1).font.b == (row == 1) and not ws.cell(row, 1).alignment.wrap_text
    for index, column in enumerate(sheet.columns, start=1):
        cell = ws.cell(header, index)
        assert cell.value == column.header and cell.data_type == "s"
        assert cell.font.b and cell.fill.fill_type == "solid" and cell.fill.fgColor.rgb == "FF" + HEADER_FILL
        assert cell.alignment.wrap_text and cell.alignment.vertical == "center"
        assert width(ws, index) == column.width, column.header
    assert_height(ws, header, [c.header for c in sheet.columns], sheet.columns)


def assert_layout(ws, sheet: Sheet) -> None:
    """Frozen panes under the header, the filter over header and rows, A4 landscape one page wide."""
    header, last = sheet.header_row, get_column_letter(len(sheet.columns))
    assert ws.freeze_panes == f"A{header + 1}"
    assert ws.auto_filter.ref == f"A{header}:{last}{header + max(len(sheet.rows), 1)}"
    assert ws.print_title_rows == f"${header}:${header}"
    setup = ws.page_setup
    assert (setup.paperSize, setup.orientation, setup.fitToHeight) == (A4, "landscape", 0)
    assert setup.fitToWidth in (None, 1)  # 1 is the schema's default, which XlsxWriter leaves out
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    margins = ws.page_margins
    assert {side: getattr(margins, side) for side in MARGINS} == MARGINS
    assert (margins.header, margins.footer) == (0.3, 0.3)
    assert ws.oddFooter.center.text == FOOTER


def assert_as_defined(ws, sheet: Sheet) -> dict:
    """Every cell of ``ws`` is the sheet's; returns what was seen (kinds of values, tall rows)."""
    assert ws.title == sheet.title
    assert_top(ws, sheet)
    assert_layout(ws, sheet)
    seen = {"rows": 0, "tall": 0, "kinds": set()}
    for row, values in enumerate(sheet.rows, start=sheet.header_row + 1):
        cells = ws[row]
        assert len([c for c in cells if c.value is not None]) == len([v for v in values if as_written(v) is not None])
        for cell, value, column in zip(cells, values, sheet.columns, strict=False):
            assert_cell(cell, value, column)
            if value is not None and not isinstance(value, str):
                seen["kinds"].add(column.kind)
        seen["tall"] += assert_height(ws, row, values, sheet.columns) > 1
        seen["rows"] += 1
    assert ws.max_row == sheet.header_row + len(sheet.rows)
    return seen


@pytest.mark.django_db
def test_the_written_workbook_is_what_the_row_generators_define(plan, reviewer, monkeypatch):
    sampled(plan, reviewer)
    report = ProgressReport.objects.filter(period__plan=plan, period__quarter=1).order_by("task__number").first()
    ProgressReport.objects.filter(pk=report.pk).update(achievements='=HYPERLINK("http://evil","클릭") 실적')
    monkeypatch.setattr(workbook, "CHUNK", 5)  # the task sheets come in four parts
    selection = WorkbookFilter(plan=plan, quarter=3)
    title = workbook_title(selection)
    sheets = materialized(evaluation_sheets(selection, title))
    assert [s.title for s in sheets] == SHEET_TITLES

    book = read_back(sheets, title)
    assert book.sheetnames == SHEET_TITLES
    assert (book.properties.title, book.properties.creator, book.properties.created) == (title, "gov30", CREATED)
    seen = {s.title: assert_as_defined(book[s.title], s) for s in sheets}
    assert seen["과제별 실적"]["rows"] == 16 * 4 and seen["과제별 실적"]["tall"]
    assert all(seen[t]["rows"] for t in SHEET_TITLES if t != "마감 후 변경")  # the sample has no late changes
    assert set().union(*(s["kinds"] for s in seen.values())) == {"int", "money", "decimal", "pct", "date", "datetime"}
    assert '\'=HYPERLINK("http://evil","클릭") 실적' in {
        c.value for row in book["과제별 실적"].iter_rows() for c in row
    }

    out = BytesIO()  # and evaluation_workbook writes exactly these sheets
    workbook.evaluation_workbook(out, selection, now=timezone.make_aware(CREATED))
    whole = load_workbook(BytesIO(out.getvalue()))
    assert [[c.value for c in r] for ws in whole for r in ws] == [[c.value for c in r] for ws in book for r in ws]


# XlsxWriter copies text that looks like its own rich-string markup into the sheet unescaped: this would
# plant a formula cell next to it
MARKUP = '<r><t>x</t></r></is></c><c r="C9"><f>HYPERLINK("http://evil","클릭")</f></c><c r="D9" t="inlineStr"><is><r><t>y</t></r>'


def test_each_kind_of_value_is_written_as_its_column_says():
    aware = datetime.datetime(2017, 3, 31, 9, 5, tzinfo=datetime.timezone(datetime.timedelta(hours=9)))
    columns = [
        Column("연번", "int", 5),
        Column("내용", width=10),
        Column("금액", "money", 10),
        Column("점수", "decimal", 7),
        Column("집행률", "pct", 7),
        Column("날짜", "date", 11),
        Column("일시", "datetime", 17),
    ]
    rows = [
        [1, "=1+1", 36025, Decimal("87.25"), 0.5, datetime.date(2017, 3, 31), aware],
        [2, "가나다 라마바 사아자 차카타 파하", None, None, None, None, None],
        [5, "https://data.seoul.go.kr", None, None, None, None, None],
        [6, MARKUP, None, None, None, None, None],
        [3, "", 0, Decimal("0"), 1.2, None, None],
        [4, "@SUM(A1)\n-1\n+2", -5, None, 0, None, None],
    ]
    sheet = Sheet("시험", columns, rows, notes=["=제목", "단위: 백만원"])
    seen = assert_as_defined(read_back([sheet])["시험"], sheet)
    assert seen == {"rows": 6, "tall": 4, "kinds": {"int", "money", "decimal", "pct", "date", "datetime"}}


def test_an_empty_sheet_keeps_its_header_and_filter():
    sheet = Sheet("빈 시트", [Column("일시", "datetime", 17), Column("과제명", width=20)], [])
    assert assert_as_defined(read_back([sheet])["빈 시트"], sheet)["rows"] == 0


def synthetic(count: int):
    """``count`` rows of the task sheet's shape, made as they are written (the rows themselves hold nothing)."""
    columns = [Column("연번", "int", 5), Column("과제명", width=16), Column("일시", "datetime", 17)]
    columns += [Column(f"서술 {i}", width=14) for i in range(6)] + [Column("금액", "money", 10)]
    moment = datetime.datetime(2017, 3, 31, 10)

    def rows():
        for n in range(count):
            yield [
                n,
                f"과제 {n} 시민 참여 확대",
                moment,
                *(f"{n}분기 추진 실적 및 향후 계획 {i}" for i in range(6)),
                n * 7,
            ]

    return Sheet("과제별 실적", columns, rows(), notes=["제목"])


def peak_bytes(count: int, path) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        write_sheets(path, [synthetic(count)], title="제목", created=CREATED)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_stays_flat_as_the_rows_grow(tmp_path):
    small = peak_bytes(1_000, tmp_path / "small.xlsx")
    large = peak_bytes(4_000, tmp_path / "large.xlsx")
    assert load_workbook(tmp_path / "large.xlsx", read_only=True)["과제별 실적"].max_row == 2 + 4_000
    assert large < 1.2 * small, (small, large)  # four times the rows, nearly the same memory
