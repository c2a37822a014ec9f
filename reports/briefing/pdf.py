"""The book as PDF: the book template and its print stylesheet through WeasyPrint (A4, page numbers, a table of
contents, Korean text in Debian's Noto CJK fonts, embedded as subsets)."""

from pathlib import Path
from urllib.parse import urlparse

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import FatalURLFetchingError, URLFetcher

from reports.briefing.book import Book


def book_html(book: Book) -> str:
    return render_to_string("briefing/book.html", {"book": book})


class StaticFetcher(URLFetcher):
    """WeasyPrint's fetcher for the book: the portal's own static files, read from disk, and the charts' data
    URIs; nothing from a network."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols={"file", "data"})

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        path = urlparse(url).path
        if not path.startswith(settings.STATIC_URL):
            raise ValueError(f"보고서는 포털의 정적 파일만 읽습니다: {url}")
        found = finders.find(path.removeprefix(settings.STATIC_URL))
        if found is None:  # the book's own stylesheet: never print without it
            raise FatalURLFetchingError(f"정적 파일이 없습니다: {url}")
        return super().fetch(Path(found).as_uri(), headers)


def book_document(book: Book):
    """The laid-out document (its pages and boxes): what ``write_pdf`` prints, and what a test can measure."""
    return HTML(string=book_html(book), base_url="http://gov30.invalid/", url_fetcher=StaticFetcher()).render()


def book_pdf(book: Book, target) -> None:
    """Write the book's PDF to ``target`` (a path or a binary file)."""
    book_document(book).write_pdf(target)
