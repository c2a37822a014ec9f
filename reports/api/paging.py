from rest_framework import pagination

from reports.progress.paging import PER_PAGE


class PagePagination(pagination.PageNumberPagination):
    """``?page=``, 50 rows a page as the portal's lists."""

    page_size = PER_PAGE
