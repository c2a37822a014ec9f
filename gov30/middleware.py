from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from gov30.views import request_too_large


class RequestSizeLimitMiddleware:
    """Refuse a request whose body is larger than MAX_REQUEST_BYTES before anything reads it.

    Django limits form fields (DATA_UPLOAD_MAX_MEMORY_SIZE) but streams files of any size to disk;
    this is the portal's outer limit, the reverse proxy's client_max_body_size the first one.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if content_length(request) > settings.MAX_REQUEST_BYTES:
            return request_too_large(request, settings.MAX_REQUEST_BYTES)
        return self.get_response(request)


def content_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


class AdminLookupOverflowMiddleware:
    """An admin list filtered by a number too large for the database (``?start__year=99999999999999999999``)
    gets the admin's own "invalid lookup" notice (``?e=1``): Django lets that OverflowError through as a 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        match = request.resolver_match
        if isinstance(exception, OverflowError) and request.method == "GET" and match and match.namespace == "admin":
            return HttpResponseRedirect(f"{request.path}?e=1")
        return None
