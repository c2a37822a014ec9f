"""Every API endpoint × every role's key × every method: what is answered, and that a refusal changes nothing.

Roles as in ``tests/test_permission_matrix.py`` (its ``world``): anonymous (no key) · owner (officer of 자치행정과)
· other (officer of 주차계획과) · reviewer · admin. Outcomes: A 200 · U 401 (no key) · D 403 · H 404 · M 405.
"""

import pytest

from reports.api import tokens
from reports.models import ApiToken
from tests.test_permission_matrix import ROLES, snapshot, world  # noqa: F401  (world: the fixture)

A, U, D, H, M = 200, 401, 403, 404, 405
WRITES = ("POST", "PUT", "PATCH", "DELETE")

# fmt: off
MATRIX = [
    # path                                 anon owner other review admin
    ("/api/v1/",                             A,   A,    A,    A,     A),
    ("/api/v1/schema/",                      A,   A,    A,    A,     A),
    ("/api/v1/plans/",                       A,   A,    A,    A,     A),
    ("/api/v1/plans/2017/",                  A,   A,    A,    A,     A),
    ("/api/v1/tasks/",                       A,   A,    A,    A,     A),
    ("/api/v1/tasks/{task}/",                A,   A,    A,    A,     A),
    ("/api/v1/periods/",                     A,   A,    A,    A,     A),
    ("/api/v1/results/",                     A,   A,    A,    A,     A),
    ("/api/v1/indicator-results/",           A,   A,    A,    A,     A),
    ("/api/v1/reports/",                     U,   A,    A,    A,     A),
    ("/api/v1/reports/{report}/",            U,   A,    H,    A,     A),
    ("/api/v1/assessments/",                 U,   D,    D,    A,     A),
    ("/api/v1/scores/",                      U,   D,    D,    A,     A),
    ("/api/v1/inbox/waiting/",               U,   D,    D,    A,     A),
    ("/api/v1/inbox/returned/",              U,   D,    D,    A,     A),
    ("/api/v1/inbox/overdue/",               U,   D,    D,    A,     A),
]
# fmt: on
HTML = {"/api/v1/"}  # the guide is a page: GET only, Django's 405 is the portal's


def cells():
    for path, *expected in MATRIX:
        for role, outcome in zip(ROLES, expected):
            yield pytest.param(path, "GET", role, outcome, id=f"{role}-GET-{path}")
            for method in WRITES:
                # a write is refused as the read would be without a key (401), else as not allowed (405)
                refused = U if outcome == U else M
                yield pytest.param(path, method, role, refused, id=f"{role}-{method}-{path}")


def state(w) -> dict:
    keys = list(ApiToken.objects.order_by("pk").values_list("pk", "key_hash", "revoked_at", "expires_at"))
    return {**snapshot(w), "keys": keys}


@pytest.mark.django_db
@pytest.mark.parametrize("path,method,role,expected", list(cells()))
def test_api_permission_matrix(client, world, path, method, role, expected):  # noqa: F811
    user = world.users[role]
    headers = {"HTTP_AUTHORIZATION": f"Bearer {tokens.token_create(user=user, name='표', days=1)[1]}"} if user else {}
    url = path.format(**world.ids)
    before = state(world)
    response = getattr(client, method.lower())(url, **headers)
    assert response.status_code == expected, f"{role} {method} {url}: {response.status_code}"
    if path not in HTML:
        assert response["Content-Type"].startswith(("application/json", "application/vnd.oai.openapi"))
    if expected != A:
        data = response.json() if path not in HTML else {"detail": "–"}
        assert data["detail"], data
    assert state(world) == before, f"{role} {method} {url} changed data"
    if path == "/api/v1/reports/" and expected == A:
        listed = {r["id"] for r in response.json()["results"]}
        assert (world.report.pk in listed) == (role != "other")


def test_matrix_covers_every_api_route():
    from reports.api.urls import router

    paths = {path for path, *_ in MATRIX}
    for route in router.urls:
        pattern = str(route.pattern).lstrip("^").rstrip("$").replace("\\.(?P<format>[a-z0-9]+)/?", "")
        if "format" in pattern:
            continue
        concrete = pattern.replace("(?P<pk>[^/.]+)", "{x}").replace("(?P<year>\\d{4})", "2017")
        assert any(_same(f"/api/v1/{concrete}", p) for p in paths), concrete


def _same(route: str, path: str) -> bool:
    import re

    return re.fullmatch(re.sub(r"\\\{x\\\}", r"\\{\\w+\\}", re.escape(route)), path) is not None
