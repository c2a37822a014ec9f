"""Every refusal of the API as JSON in Korean: ``{"detail": 까닭, "code": 종류}`` with the right status."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import exceptions
from rest_framework.views import exception_handler

NOT_FOUND = "찾는 자료가 없습니다."
MESSAGES: dict[type, str] = {
    exceptions.NotAuthenticated: "이 자료는 API 토큰이 있어야 읽을 수 있습니다. 'Authorization: Bearer <토큰>' 머리글로 "
    "보내십시오. 토큰은 포털의 'API 토큰' 화면에서 만듭니다.",
    exceptions.PermissionDenied: "이 토큰의 사용자는 이 자료를 볼 수 없습니다.",
    exceptions.NotFound: NOT_FOUND,
    exceptions.NotAcceptable: "이 API는 JSON(application/json)으로만 답합니다.",
    exceptions.ParseError: "요청을 읽을 수 없습니다.",
    exceptions.UnsupportedMediaType: "이 API는 읽기 전용이라 요청 본문을 받지 않습니다.",
}


def _message(exc: exceptions.APIException, method: str) -> str:
    if isinstance(exc, exceptions.MethodNotAllowed):
        return f"이 주소는 {method} 요청을 받지 않습니다. 읽기(GET)만 됩니다."
    if isinstance(exc, exceptions.Throttled):
        wait = f" {int(exc.wait) + 1}초 뒤에 다시 시도하십시오." if exc.wait is not None else ""
        return "요청이 너무 많습니다." + wait
    if isinstance(exc, exceptions.AuthenticationFailed):
        return str(exc.detail)  # ours, from reports.api.authentication, already Korean
    return MESSAGES.get(type(exc), "요청을 처리할 수 없습니다.")


def korean_exception_handler(exc, context):
    # Django's refusals carry the portal's Korean reason (the permissions module's); DRF's would drop it
    reason = str(exc) if isinstance(exc, (DjangoPermissionDenied, Http404)) else ""
    reason = "" if reason.isascii() else reason  # Django's own "No … matches the given query." is English
    if isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = {"detail": "조건이 올바르지 않습니다.", "code": "invalid", "errors": exc.detail}
    else:
        method = context["request"].method if context.get("request") else ""
        response.data = {"detail": reason or _message(exc, method), "code": exc.default_code}
    return response
