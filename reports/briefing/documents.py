"""The book's two files, PDF and HWPX, written for a selection: what the download, the job and the command call."""

import datetime
import mimetypes
from collections.abc import Callable
from dataclasses import dataclass

from reports.briefing.book import Book, book_build
from reports.briefing.charts import summary_charts
from reports.briefing.hwpx_document import book_hwpx
from reports.briefing.pdf import book_pdf
from reports.spreadsheets.workbook import Progress, WorkbookFilter

# Hancom's media type for HWPX, which Python's table does not know (FileResponse and job downloads read it).
HWPX_CONTENT_TYPE = "application/hwp+zip"
mimetypes.add_type(HWPX_CONTENT_TYPE, ".hwpx")


@dataclass(frozen=True)
class Format:
    suffix: str
    label: str
    write: Callable[[Book, object], None]


FORMATS = {"pdf": Format(".pdf", "PDF", book_pdf), "hwpx": Format(".hwpx", "한글(HWPX)", book_hwpx)}


def book_filename(selection: WorkbookFilter, kind: str, day: datetime.date) -> str:
    return f"gov30-{selection.plan.year}-보고서-{selection.quarter}분기-{day:%Y%m%d}{FORMATS[kind].suffix}"


def book_write(target, selection: WorkbookFilter, kind: str, *, now=None, progress: Progress | None = None) -> None:
    """Write the book of ``selection`` as ``kind`` (a key of ``FORMATS``) to ``target`` (a path or a binary file),
    telling ``progress`` (done, total, stage) how far it is when given one."""
    told = progress or (lambda done, total, stage: None)
    told(0, 2, "보고서 자료를 모으는 중")
    book = book_build(selection, now=now, draw=summary_charts)
    told(1, 2, f"{FORMATS[kind].label} 파일을 쓰는 중 ({len(book.sections)}개 장)")
    FORMATS[kind].write(book, target)
    told(2, 2, "파일 마무리 중")
