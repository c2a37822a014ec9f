"""The portal's error pages: Korean, with a way back (Django's own are English, or debug pages)."""

from django.core.exceptions import DisallowedHost, RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme

BAD_REQUEST_REASONS = (
    (RequestDataTooBig, "보낸 내용이 한 번에 받을 수 있는 크기를 넘었습니다. 내용을 나누거나 줄여서 다시 보내 주세요."),
    (TooManyFieldsSent, "한 번에 보낸 입력 항목이 너무 많습니다. 내용을 나누어 다시 보내 주세요."),
    (TooManyFilesSent, "한 번에 보낸 파일이 너무 많습니다. 파일을 나누어 다시 보내 주세요."),
)


def way_back(request: HttpRequest) -> str:
    """The page the person came from, if it is one of the portal's own; else nothing."""
    referer = request.META.get("HTTP_REFERER", "")
    try:
        host = request.get_host()
    except DisallowedHost:  # the 400 for a foreign Host header is rendered here too
        return ""
    safe = url_has_allowed_host_and_scheme(referer, {host}, require_https=request.is_secure())
    return referer if referer and safe and referer != request.build_absolute_uri() else ""


API_PREFIX = "/api/"
# A program reading the API gets its refusals as the API's own: JSON, ``{"detail", "code"}`` (reports/api/errors.py).
API_REFUSALS = {
    400: ("요청을 처리할 수 없습니다.", "bad_request"),
    403: ("볼 수 없는 자료입니다.", "permission_denied"),
    404: ("찾는 자료가 없습니다.", "not_found"),
    413: ("보낸 내용이 너무 큽니다.", "too_large"),
    500: ("서버 오류로 답하지 못했습니다. 잠시 뒤 다시 시도하십시오.", "error"),
}


def api_refusal(status: int, reason: str = "") -> JsonResponse:
    detail, code = API_REFUSALS[status]
    return JsonResponse(
        {"detail": reason or detail, "code": code}, status=status, json_dumps_params={"ensure_ascii": False}
    )


def error_page(request: HttpRequest, template: str, status: int, **context) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return api_refusal(status, context.get("reason", ""))
    return render(request, template, {"back_url": way_back(request), **context}, status=status)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    reason = next((text for kind, text in BAD_REQUEST_REASONS if isinstance(exception, kind)), "")
    return error_page(request, "400.html", 400, reason=reason)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    # The portal's own refusals say in Korean why (permissions.py); Django's and the admin's say nothing.
    message = str(exception)
    reason = message if any("가" <= ch <= "힣" for ch in message) else ""
    return error_page(request, "403.html", 403, reason=reason)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return error_page(request, "404.html", 404)


def server_error(request: HttpRequest) -> HttpResponse:
    # Rendered without the request: a failing database or context processor must not break this page too.
    if request.path.startswith(API_PREFIX):
        return api_refusal(500)
    return HttpResponse(loader.get_template("500.html").render(), status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return error_page(request, "403_csrf.html", 403)


def request_too_large(request: HttpRequest, limit_bytes: int) -> HttpResponse:
    return error_page(request, "413.html", 413, limit_mb=limit_bytes // (1024 * 1024))
