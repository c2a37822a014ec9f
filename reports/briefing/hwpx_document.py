"""The book as HWPX (한/글's open format, what Seoul's 결재 documents are) through python-hwpx: the same sections,
facts and tables as the PDF, the same [번호] after each figure, the sources each part of the file cites first as
an endnote at its end, and the list of sources at the end."""

from hwpx import HwpxDocument

from reports.briefing.book import Book, Cited, Section, Source, Table


def _paragraph(document: HwpxDocument, text: str):
    """A body paragraph (바탕글): python-hwpx would copy the style of the paragraph before, a heading's after one, and
    find it by walking the whole section, which made a 1,000-task book take hours."""
    return document.add_paragraph(text, inherit_style=False)


class Headings:
    """Headings of each level with the shapes python-hwpx's ``add_heading`` gives the first one: it finds each new
    heading by walking every paragraph of the document, which grows with the book."""

    def __init__(self, document: HwpxDocument) -> None:
        self.document, self.shapes = document, {}

    def add(self, text: str, level: int) -> None:
        shape = self.shapes.get(level)
        if shape is None:
            element = self.document.add_heading(text, level).element
            run = element[0]
            self.shapes[level] = (element.get("paraPrIDRef"), element.get("styleIDRef"), run.get("charPrIDRef"))
            return
        para, style, char = shape
        self.document.add_paragraph(
            text, para_pr_id_ref=para, style_id_ref=style, char_pr_id_ref=char, inherit_style=False
        )


def _cited(value: Cited) -> str:
    return f"{value.text} [{value.ref}]" if value.ref else value.text


def source_text(source: Source) -> str:
    text = f"[{source.number}] {source.kind} {source.where}"
    return f"{text}: {source.text}" if source.text else text


def _table(document: HwpxDocument, table: Table) -> set[int]:
    _paragraph(document, table.title)
    rows = table.rows or [[Cited("해당 없음"), *(Cited("") for _ in table.headers[1:])]]
    grid = document.add_table(len(rows) + 1, len(table.headers))
    texts = [table.headers, *([_cited(cell) for cell in row] for row in rows)]
    for grid_row, values in zip(grid.rows, texts, strict=True):  # no merged cells: each row's cells in order,
        for cell, text in zip(grid_row.cells, values, strict=True):  # without set_cell_text's grid per call
            cell.text = text
    return {cell.ref for row in rows for cell in row if cell.ref}


def _section(document: HwpxDocument, headings: Headings, section: Section) -> set[int]:
    """Write one section of the book; the sources it cites."""
    headings.add(section.title, min(section.level, 3))
    cited: set[int] = set()
    for label, value in section.facts:
        _paragraph(document, f"{label}  {_cited(value)}")
        if value.ref:
            cited.add(value.ref)
    for table in section.tables:
        cited |= _table(document, table)
    return cited


class Notes:
    """The sources each part of the file cites first, as one endnote at the part's end. python-hwpx numbers a new
    note by counting every note of the document element by element, so the notes are few: one a source made a
    1,000-task book's 10,000 notes take quadratic time, one a page still a third of its time."""

    def __init__(self, document: HwpxDocument, sources: list[Source]) -> None:
        self.document, self.sources = document, {s.number: s for s in sources}
        self.noted: set[int] = set()
        self.pending: set[int] = set()

    def cite(self, numbers: set[int]) -> None:
        self.pending |= numbers - self.noted

    def flush(self) -> None:
        first = sorted(self.pending)
        if first:
            paragraph = _paragraph(self.document, "출처 " + " ".join(f"[{n}]" for n in first))
            self.document.notes.add_endnote(" / ".join(source_text(self.sources[n]) for n in first), paragraph)
            self.noted.update(first)
            self.pending = set()


# Sections (parts of the file) are cut at each part of the book and after this many task pages or sources:
# python-hwpx refuses to write a section's XML over 64 MB, which a 1,000-task book in one section passed.
PAGES_PER_PART = 100
SOURCES_PER_PART = 2000


def _new_part(document: HwpxDocument) -> None:
    document.page.set_page_number(section=document.add_section())


def book_hwpx(book: Book, target) -> None:
    """Write the book's HWPX to ``target`` (a path or a binary file)."""
    document = HwpxDocument.new()
    document.page.set_page_number()
    headings = Headings(document)
    headings.add(book.title, 1)
    for line in (book.plan_title, book.selection, f"작성일 {book.made_at:%Y-%m-%d %H:%M}", f"서울특별시 {book.office}"):
        _paragraph(document, line)
    _paragraph(document, "숫자 옆 [번호]는 끝의 '출처'(및 미주)에 적힌 근거를 가리킵니다.")
    notes = Notes(document, book.sources)
    pages = 0
    for section in book.sections:
        pages += 1
        if section.level == 1 or pages > PAGES_PER_PART:
            notes.flush()
            _new_part(document)
            pages = 0
        notes.cite(_section(document, headings, section))
    notes.flush()
    _new_part(document)
    headings.add("출처", 1)
    for index, source in enumerate(book.sources):
        if index and index % SOURCES_PER_PART == 0:
            _new_part(document)
        _paragraph(document, source_text(source))
    if hasattr(target, "write"):
        document.save_to_stream(target)
    else:
        document.save_to_path(target)
