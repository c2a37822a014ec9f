"""The OpenAPI schema's parts that drf-spectacular cannot read from the views: the key scheme and the refusals."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension

ERROR = {
    "type": "object",
    "properties": {
        "detail": {"type": "string", "description": "거절한 까닭(한국어)"},
        "code": {"type": "string", "description": "거절의 종류"},
        "errors": {"type": "object", "description": "조건 오류일 때, 조건마다 까닭", "additionalProperties": True},
    },
    "required": ["detail", "code"],
}
REFUSALS = {
    "400": "조건이 올바르지 않음",
    "401": "토큰이 없거나 잘못됨, 폐기됨, 기한 지남",
    "403": "이 토큰의 사용자는 볼 수 없음",
    "404": "없는 자료 또는 없는 쪽",
    "405": "읽기(GET) 말고는 받지 않음",
    "429": "요청이 너무 많음 (Retry-After 초 뒤에 다시)",
}


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "reports.api.authentication.BearerTokenAuthentication"
    name = "토큰"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "포털의 'API 토큰' 화면에서 만든 토큰"}


def add_refusals(result, generator, request, public):
    """Every operation may be refused with these statuses, each as ``Error``."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR
    reference = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for methods in result["paths"].values():
        for operation in methods.values():
            for status, description in REFUSALS.items():
                operation["responses"].setdefault(status, {"description": description, "content": reference})
    return result
