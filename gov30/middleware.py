import logging
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.gzip import GZipMiddleware

from gov30.views import error_page, request_too_large

COMPRESSED_TYPES = ("text/", "application/json")


class TextGZipMiddleware(GZipMiddleware):
    """Django's GZipMiddleware for text (pages, CSV, JSON) only: the files sent (xlsx, PDF, HWPX, images) are
    compressed already, and gzipping them again would cost the server and drop their Content-Length."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if not response.get("Content-Type", "").startswith(COMPRESSED_TYPES):
            return response
        return super().process_response(request, response)


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


class NullCharacterMiddleware:
    """Refuse (400) a request whose query or form fields hold a NUL character: no browser sends one for what a
    person typed, and PostgreSQL can neither store nor compare it (a DataError in any view or admin list)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _holds_nul(request.GET) or (request.method == "POST" and _holds_nul(request.POST)):
            return error_page(
                request,
                "400.html",
                400,
                reason="입력값에 쓸 수 없는 제어 문자(널 문자)가 들어 있습니다. 내용을 확인해 다시 보내 주세요.",
            )
        return self.get_response(request)


def _holds_nul(fields) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in fields.lists())


def content_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


logger = logging.getLogger(__name__)
INVALID_FILTER = "목록 조건을 읽을 수 없어 조건 없이 보여 줍니다. 조건의 값을 확인해 주세요."


class AdminInvalidLookupMiddleware:
    """An admin list filtered by a value the database cannot take goes back to the unfiltered list (the admin's own
    ``?e=1``) with a Korean notice, instead of a server error. Django checks a filter when it builds the query, not when the query is
    compiled and run, where these fail: a number too large (``?id__exact=99999999999999999999``, OverflowError),
    a year no date has (``?start__year=999999``), an address that is none (``?ip_address=NaN`` on PostgreSQL),
    a range without two ends (``?id__range=1,2,3``, a database error), or a
    regular expression (``?title__regex=(``; no admin link makes one, each database reads its own dialect), or a
    search or filter text longer than any title (SQLite refuses a LIKE pattern over 50,000 bytes).
    Database errors are refused before the query runs: after one, PostgreSQL refuses the rest of a transaction."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # the admin's own refusals (IncorrectLookupParameters) and ours: the same notice, which Django does not give
        if (
            response.status_code == 302
            and response.get("Location", "").endswith("?e=1")
            and _is_filtered_changelist(request)
        ):
            messages.warning(request, INVALID_FILTER)
        return response

    def process_view(self, request: HttpRequest, view, args, kwargs) -> HttpResponse | None:
        if _is_filtered_changelist(request) and any(_refused_by_database(k, v) for k, v in request.GET.items()):
            return _unfiltered(request)
        return None

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, (OverflowError, ValueError, IndexError)) and _is_filtered_changelist(request):
            # logged: a bug of the admin's own would otherwise hide behind the notice
            logger.warning("admin list filter refused: %s?%s", request.path, request.GET.urlencode(), exc_info=True)
            return _unfiltered(request)
        return None


def _is_filtered_changelist(request: HttpRequest) -> bool:
    """An admin list with filters (``e`` alone is where it is sent back: never a redirect loop)."""
    match = request.resolver_match
    return (
        request.method == "GET"
        and bool(set(request.GET) - {"e"})
        and match is not None
        and match.namespace == "admin"
        and match.url_name.endswith("_changelist")
    )


def _unfiltered(request: HttpRequest) -> HttpResponse:
    return HttpResponseRedirect(f"{request.path}?e=1")


MAX_FILTER_LENGTH = 1_000  # characters of an admin search or filter value; the plan's longest text is far shorter


def _refused_by_database(key: str, value: str) -> bool:
    lookup = key.rpartition("__")[2]
    return (
        len(value) > MAX_FILTER_LENGTH
        or lookup in ("regex", "iregex")
        or (lookup == "range" and len(value.split(",")) != 2)
    )
