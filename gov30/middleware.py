import datetime
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect


class RequestSizeLimitMiddleware:
    """Refuse a request whose body is larger than MAX_REQUEST_BYTES before anything reads it.

    Django limits form fields (DATA_UPLOAD_MAX_MEMORY_SIZE) but streams files of any size to disk;
    this is the portal's outer limit, the reverse proxy's client_max_body_size the first one.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.MAX_REQUEST_BYTES
        if content_length(request) > limit:
            return HttpResponse(
                f"요청이 너무 큽니다. 한 번에 {limit // (1024 * 1024)}MB까지 보낼 수 있습니다.",
                status=413,
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


def content_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


class AdminInvalidLookupMiddleware:
    """An admin list filtered by a value the database cannot take gets the admin's own "invalid lookup" notice
    (``?e=1``) instead of a server error: a number too large (``?id__exact=99999999999999999999``, an
    OverflowError Django lets through), a year no date has (``?start__year=999999``), a range without exactly
    two ends (``?id__range=1,2,3``), or a regular expression (``?title__regex=(``; no admin link makes one,
    and each database reads them in its own dialect)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view, args, kwargs) -> HttpResponse | None:
        if _is_admin_get(request) and any(_unusable_lookup(k, v) for k, v in request.GET.items()):
            return HttpResponseRedirect(f"{request.path}?e=1")
        return None

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, OverflowError) and _is_admin_get(request):
            return HttpResponseRedirect(f"{request.path}?e=1")
        return None


def _is_admin_get(request: HttpRequest) -> bool:
    match = request.resolver_match
    return request.method == "GET" and match is not None and match.namespace == "admin"


def _unusable_lookup(key: str, value: str) -> bool:
    lookup = key.rpartition("__")[2]
    if lookup in ("year", "iso_year"):
        return _not_a_date_year(value)
    return lookup in ("regex", "iregex") or (lookup == "range" and len(value.split(",")) != 2)


def _not_a_date_year(value: str) -> bool:
    try:
        year = int(value)
    except ValueError:
        return False  # not a number at all: the admin's own check refuses it
    return not datetime.MINYEAR <= year < datetime.MAXYEAR
