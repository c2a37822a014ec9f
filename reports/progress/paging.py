"""One page of a long list, with links that keep the other query parameters (``reports/_pagination.html``)."""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator

PER_PAGE = 50


@dataclass
class PageLink:
    label: str
    url: str = ""  # empty for the "…" of an elided range
    current: bool = False


@dataclass
class Pager:
    """One page of a list for ``reports/_pagination.html``: the page and links that keep the other parameters."""

    page: Page
    links: list[PageLink]
    previous_url: str
    next_url: str
    label: str


def paginate(request, object_list, *, param: str = "page", anchor: str = "", label: str = "쪽 이동") -> Pager:
    """50 rows of ``object_list``; a page that is not a number shows the first page, one past the end the last.

    That is what the task table (django-tables2's silent pagination) does, so no page number is an error.
    """
    page = Paginator(object_list, PER_PAGE).get_page(request.GET.get(param))

    def url(number: int) -> str:
        query = request.GET.copy()
        query[param] = str(number)
        return f"?{query.urlencode()}{anchor}"

    links = [
        PageLink(str(n), url(n), n == page.number) if isinstance(n, int) else PageLink(str(n))
        for n in page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    ]
    return Pager(
        page=page,
        links=links,
        previous_url=url(page.previous_page_number()) if page.has_previous() else "",
        next_url=url(page.next_page_number()) if page.has_next() else "",
        label=label,
    )
