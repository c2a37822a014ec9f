"""API keys: made and revoked by their owner, shown once, kept only as a SHA-256.

A key is 32 random bytes (``secrets``), so a plain SHA-256 is enough: there is no password to guess slowly.
"""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from reports.models import ApiToken

KEY_START = "gov30_"


class TokenRefused(Exception):
    """Why a key was not accepted, in Korean (the 401's message)."""


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def token_create(*, user, name: str, days: int, now: datetime.datetime | None = None) -> tuple[ApiToken, str]:
    """A new key for ``user``, valid ``days`` days; returns the row and the key, which is never kept."""
    now = now or timezone.now()
    key = KEY_START + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=key[: len(KEY_START) + 6],
        key_hash=key_hash(key),
        created_at=now,
        expires_at=now + datetime.timedelta(days=days),
    )
    return token, key


def tokens_of(user) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)


def token_state(token: ApiToken, now: datetime.datetime) -> str:
    if token.revoked_at is not None:
        return "폐기됨"
    return "기한 지남" if token.expires_at <= now else "사용 중"


def token_revoke(*, user, pk: int, now: datetime.datetime | None = None) -> ApiToken:
    """Revoke one of the user's own keys (anyone else's is a 404); revoking twice keeps the first time."""
    token = tokens_of(user).filter(pk=pk).first()
    if token is None:
        raise Http404("토큰을 찾을 수 없습니다.")
    if token.revoked_at is None:
        token.revoked_at = now or timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def token_user(key: str, now: datetime.datetime | None = None):
    """The active user a key belongs to, or ``TokenRefused``; notes when the key was last used."""
    now = now or timezone.now()
    token = ApiToken.objects.select_related("user").filter(key_hash=key_hash(key)).first()
    if token is None or not token.user.is_active:
        raise TokenRefused("토큰이 올바르지 않습니다.")
    if token_state(token, now) == "폐기됨":
        raise TokenRefused("폐기된 토큰입니다. 포털의 'API 토큰' 화면에서 새 토큰을 만드십시오.")
    if token_state(token, now) == "기한 지남":
        raise TokenRefused("기한이 지난 토큰입니다. 포털의 'API 토큰' 화면에서 새 토큰을 만드십시오.")
    if token.last_used_at is None or now - token.last_used_at > datetime.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)  # once a minute at most, not every call
    return token.user


def max_days() -> int:
    return settings.GOV30_API_TOKEN_MAX_DAYS
