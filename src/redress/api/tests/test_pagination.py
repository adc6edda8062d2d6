from __future__ import annotations

import datetime as dt

import pytest

from redress.accounts.models import ApiToken
from redress.api.pagination import decode_cursor, encode_cursor, paginate
from redress.core.errors import ApplicationError

from .conftest import assert_problem, bearer

pytestmark = pytest.mark.django_db


def _tokens(user, n):
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    ApiToken.objects.bulk_create(
        ApiToken(
            user=user,
            name=f"t{i}",
            prefix="rdr_x",
            secret_hash=f"{i:064d}",
            expires_at=now + dt.timedelta(days=1),
            created_at=now + dt.timedelta(minutes=i % 3),
        )
        for i in range(n)
    )


@pytest.mark.parametrize("keys", [("id",), ("-id",), ("created_at", "id"), ("-created_at", "-id"), ("name", "-id")])
def test_pages_cover_every_row_once(supervisor_a, keys):
    _tokens(supervisor_a, 23)
    qs = ApiToken.objects.filter(user=supervisor_a)
    expected = list(qs.order_by(*keys).values_list("pk", flat=True))
    seen, cursor = [], None
    for _ in range(10):
        page = paginate(qs, keys=keys, cursor=cursor, limit=5)
        seen.extend(t.pk for t in page.items)
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == expected


def test_api_pages_with_constant_queries(client, supervisor_a, django_assert_max_num_queries):
    headers = bearer(supervisor_a)
    _tokens(supervisor_a, 30)
    seen, url = [], "/api/v1/tokens?limit=7"
    client.get("/api/v1/me", headers=headers)
    while url:
        with django_assert_max_num_queries(4):
            body = client.get(url, headers=headers).json()
        seen.extend(item["id"] for item in body["items"])
        assert len(body["items"]) <= 7
        url = f"/api/v1/tokens?limit=7&cursor={body['next_cursor']}" if body["next_cursor"] else None
    assert len(seen) == len(set(seen)) == 31


def test_limit_is_capped(client, supervisor_a, settings):
    settings.REDRESS_API_PAGE_MAX = 3
    _tokens(supervisor_a, 5)
    body = client.get("/api/v1/tokens?limit=100000", headers=bearer(supervisor_a)).json()
    assert len(body["items"]) == 3
    assert body["next_cursor"]


@pytest.mark.parametrize(
    "cursor", ["!!!", "e30", "bnVsbA", "WzEsMl0", "WyJ4Il0", "W3RydWVd", "WzFlOTld", "WzEwMDAwMDAwMDAwMDAwMDAwMDAwMF0"]
)
def test_bad_cursors_are_422_never_500(client, supervisor_a, cursor):
    response = client.get(f"/api/v1/tokens?cursor={cursor}", headers=bearer(supervisor_a))
    assert_problem(response, 422, "invalid_cursor")


def test_cursor_round_trip(supervisor_a):
    _tokens(supervisor_a, 1)
    token = ApiToken.objects.get(user=supervisor_a, name="t0")
    keys = ("created_at", "name", "id")
    assert decode_cursor(ApiToken, encode_cursor(token, keys), keys) == [token.created_at, "t0", token.pk]
    with pytest.raises(ApplicationError):
        decode_cursor(ApiToken, encode_cursor(token, keys), ("id",))
