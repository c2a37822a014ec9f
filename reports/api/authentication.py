"""Who calls the API: a key in ``Authorization: Bearer …`` (``reports.api.tokens``), and how often they may."""

from django.conf import settings
from rest_framework import authentication, exceptions, throttling

from reports.api import schema, tokens  # noqa: F401  (schema: registers the key scheme with drf-spectacular)

SCHEME = "Bearer"


class BearerTokenAuthentication(authentication.BaseAuthentication):
    """No header: anonymous (the public endpoints answer). A key that is wrong, revoked or expired: 401."""

    def authenticate(self, request):
        # read as text: DRF's helper encodes it to latin-1 and fails on a header it cannot encode
        header = str(request.META.get("HTTP_AUTHORIZATION", "")).split()
        if not header or header[0].lower() != SCHEME.lower():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Authorization 머리글은 'Bearer <토큰>' 형식이어야 합니다.")
        try:
            return tokens.token_user(header[1]), None
        except tokens.TokenRefused as refusal:
            raise exceptions.AuthenticationFailed(str(refusal)) from None

    def authenticate_header(self, request) -> str:
        return f'{SCHEME} realm="gov30"'  # makes a refusal a 401, not a 403


class KeyOrAddressThrottle(throttling.SimpleRateThrottle):
    """Each user with a key at ``GOV30_API_RATE_KEY``, each address without one at ``GOV30_API_RATE_ANON``; read
    from settings at each call, so a deployment (or a test) changes them without a restart of the module."""

    scope = "api"

    def __init__(self) -> None:  # the rate is chosen per request, not from DRF's DEFAULT_THROTTLE_RATES
        pass

    def allow_request(self, request, view) -> bool:
        keyed = request.user.is_authenticated
        self.rate = settings.GOV30_API_RATE_KEY if keyed else settings.GOV30_API_RATE_ANON
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view) -> str:
        who = f"user-{request.user.pk}" if request.user.is_authenticated else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": who}
