"""Automatic persisted queries as Apollo's clients speak them: a hash instead of the query,
``PersistedQueryNotFound`` until the query is registered, over POST and GET."""

from __future__ import annotations

import asyncio
import json
import os
import uuid
from collections.abc import Iterator
from typing import Any

import httpx2
import pytest
import redis.asyncio as redis
from starlette.testclient import TestClient

from api.app import create_app
from api.graphql_view import GRAPHQL_RESPONSE_JSON, JSON
from api.persisted import MemoryStore, RedisStore, query_hash
from api.settings import Settings
from tests.graphql import error_codes

REDIS_URL = os.environ.get("WUYOU_TEST_REDIS_URL")
LIMIT = Settings().persisted_query_max_bytes


def unique_query() -> str:
    """A query no other test has registered (an alias makes the text, so the hash, new)."""
    return f'query Area {{ a{uuid.uuid4().hex[:8]}: area(code: "150300") {{ code name }} }}'


def extension(sha: str, version: int = 1) -> dict[str, Any]:
    return {"persistedQuery": {"version": version, "sha256Hash": sha}}


def send(
    client: TestClient,
    *,
    query: str | None = None,
    sha: str,
    accept: str = JSON,
    get: bool = False,
    variables: dict[str, Any] | None = None,
) -> httpx2.Response:
    """An APQ request as Apollo Client sends it: the hash, and the query when registering."""
    body: dict[str, Any] = {"operationName": "Area", "extensions": extension(sha)}
    if query is not None:
        body["query"] = query
    if variables is not None:
        body["variables"] = variables
    if get:
        params = {k: v if isinstance(v, str) else json.dumps(v) for k, v in body.items()}
        return client.get("/graphql", params=params, headers={"accept": accept})
    return client.post("/graphql", json=body, headers={"accept": accept})


def test_an_unknown_hash_asks_for_the_query_then_the_hash_alone_serves(
    client: TestClient,
) -> None:
    query = unique_query()
    sha = query_hash(query)
    for accept, status in ((JSON, 200), (GRAPHQL_RESPONSE_JSON, 404)):
        for get in (False, True):
            missing = send(client, sha=sha, accept=accept, get=get)
            assert missing.status_code == status
            body = missing.json()
            assert body["errors"][0]["message"] == "PersistedQueryNotFound"
            assert error_codes(body) == ["PERSISTED_QUERY_NOT_FOUND"]
            assert "data" not in body
            assert "no-cache" in missing.headers["cache-control"]
    registered = send(client, query=query, sha=sha)
    assert registered.status_code == 200
    expected = registered.json()["data"]
    assert next(iter(expected.values()))["name"] == "乌海市"
    for accept in (JSON, GRAPHQL_RESPONSE_JSON):
        for get in (False, True):
            hit = send(client, sha=sha, accept=accept, get=get)
            assert hit.status_code == 200, hit.text
            assert hit.json() == {"data": expected}


def test_a_hash_that_is_not_the_querys_is_refused_and_registers_nothing(
    client: TestClient,
) -> None:
    query = unique_query()
    wrong = query_hash(query + " ")
    for accept in (JSON, GRAPHQL_RESPONSE_JSON):
        response = send(client, query=query, sha=wrong, accept=accept)
        assert response.status_code == 400
        assert response.json()["errors"][0]["message"] == "provided sha does not match query"
        assert error_codes(response.json()) == ["BAD_REQUEST"]
    assert send(client, sha=wrong).json()["errors"][0]["message"] == "PersistedQueryNotFound"
    assert send(client, sha=query_hash(query)).json()["errors"][0]["message"] == (
        "PersistedQueryNotFound"
    )


@pytest.mark.parametrize(
    "persisted",
    [
        {"version": 2, "sha256Hash": "0" * 64},
        {"version": 1, "sha256Hash": "not-a-hash"},
        {"version": 1},
        "v1",
    ],
)
def test_malformed_persisted_query_extensions_are_bad_requests(
    client: TestClient, persisted: object
) -> None:
    response = client.post(
        "/graphql", json={"query": "{ __typename }", "extensions": {"persistedQuery": persisted}}
    )
    assert response.status_code == 400
    assert error_codes(response.json()) == ["BAD_REQUEST"]


def test_an_invalid_query_is_not_registered(client: TestClient) -> None:
    query = f"query Area {{ nope{uuid.uuid4().hex[:8]} }}"
    sha = query_hash(query)
    response = send(client, query=query, sha=sha, accept=GRAPHQL_RESPONSE_JSON)
    assert response.status_code == 400
    assert error_codes(send(client, sha=sha).json()) == ["PERSISTED_QUERY_NOT_FOUND"]


def test_a_persisted_mutation_is_still_refused_over_get(client: TestClient) -> None:
    query = 'mutation Area { login(input: {username: "nobody", password: "x"}) { token } }'
    sha = query_hash(query)
    assert send(client, query=query, sha=sha).status_code == 200  # registered over POST
    response = send(client, sha=sha, get=True)
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"


def test_a_persisted_query_is_served_by_the_compiled_read_path(client: TestClient) -> None:
    query = unique_query()
    sha = query_hash(query)
    send(client, query=query, sha=sha)  # registered, and planned after this first answer
    compiled = client.app.state.graphql.compiled  # type: ignore[attr-defined]
    served = compiled.stats.served
    assert send(client, sha=sha, get=True).status_code == 200
    assert compiled.stats.served == served + 1


def test_persisted_queries_can_be_turned_off(settings: Settings) -> None:
    with TestClient(create_app(settings.with_(persisted_queries=False))) as client:
        for accept, status in ((JSON, 200), (GRAPHQL_RESPONSE_JSON, 400)):
            response = send(client, sha="0" * 64, accept=accept)
            assert response.status_code == status
            assert response.json()["errors"][0]["message"] == "PersistedQueryNotSupported"
            assert error_codes(response.json()) == ["PERSISTED_QUERY_NOT_SUPPORTED"]


async def test_the_memory_store_keeps_the_most_recently_used() -> None:
    store = MemoryStore(max_entries=2, max_document_bytes=LIMIT)
    for name in ("a", "b"):
        await store.put(name, f"query {name}")
    assert await store.get("a") == "query a"  # b is now the least recently used
    await store.put("c", "query c")
    assert len(store) == 2
    assert await store.get("b") is None
    assert await store.get("a") == "query a" and await store.get("c") == "query c"


async def test_the_memory_store_is_bounded_in_bytes_too() -> None:
    store = MemoryStore(max_entries=100, max_bytes=25, max_document_bytes=LIMIT)
    await store.put("a", "{ a }" + " " * 5)  # 10 bytes
    await store.put("b", "{ 乌海 }")  # 10 bytes in UTF-8
    await store.put("a", "{ a }" + " " * 5)  # again: still 20 bytes, a the most recent
    assert (len(store), store.bytes) == (2, 20)
    await store.put("c", "{ c }" + " " * 5)  # over 25 bytes: b goes
    assert (len(store), store.bytes) == (2, 20)
    assert await store.get("b") is None and await store.get("a") is not None


def padded(limit: int) -> str:
    """A valid query of ``limit + 1`` bytes, padded with a comment as an attacker would."""
    query = unique_query()
    return query + "\n#" + "x" * (limit - len(query.encode()) - 1)


def test_a_document_over_the_limit_is_refused_and_runs_when_sent_plainly(
    settings: Settings,
) -> None:
    limit = 1000
    with TestClient(create_app(settings.with_(persisted_query_max_bytes=limit))) as client:
        fits = padded(limit - 1)
        assert len(fits.encode()) == limit
        assert send(client, query=fits, sha=query_hash(fits)).json()["data"]
        query = padded(limit)
        assert len(query.encode()) == limit + 1
        sha = query_hash(query)
        for accept in (JSON, GRAPHQL_RESPONSE_JSON):
            refused = send(client, query=query, sha=sha, accept=accept)
            assert refused.status_code == 400
            assert error_codes(refused.json()) == ["PERSISTED_QUERY_TOO_LARGE"]
            assert "data" not in refused.json()
        assert error_codes(send(client, sha=sha).json()) == ["PERSISTED_QUERY_NOT_FOUND"]
        store = client.app.state.graphql.persisted  # type: ignore[attr-defined]
        assert store.bytes < 2 * limit  # only the document that fitted
        plain = client.post("/graphql", json={"query": query, "operationName": "Area"})
        assert plain.status_code == 200 and plain.json()["data"]


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    """A key prefix of the test's own on the test Redis; its keys are removed after."""
    if not REDIS_URL:
        pytest.skip("WUYOU_TEST_REDIS_URL is not set")
    prefix = f"wuyou-test-{uuid.uuid4().hex[:8]}:"
    yield prefix

    async def clean() -> None:
        client = redis.from_url(REDIS_URL)
        keys = [key async for key in client.scan_iter(match=f"{prefix}*")]
        if keys:
            await client.delete(*keys)
        await client.aclose()

    asyncio.run(clean())


async def test_workers_share_registrations_through_redis(redis_prefix: str) -> None:
    assert REDIS_URL is not None
    first, second = (
        RedisStore(
            REDIS_URL,
            prefix=redis_prefix,
            ttl_seconds=60,
            max_entries=10,
            local=MemoryStore(10, max_document_bytes=LIMIT),
        )
        for _ in range(2)
    )
    query = unique_query()
    sha = query_hash(query)
    try:
        assert await second.get(sha) is None
        await first.put(sha, query)
        assert await second.get(sha) == query
        assert len(second.local) == 1  # kept nearby from then on
        # A document that is not its hash's (written by anything else) is never served.
        raw = redis.from_url(REDIS_URL)
        forged = query_hash("{ __typename }")
        await raw.set(f"{redis_prefix}apq:{forged}", query, ex=60)
        assert 0 < await raw.ttl(f"{redis_prefix}apq:{sha}") <= 60
        await raw.delete(f"{redis_prefix}apq:{sha}", f"{redis_prefix}apq:{forged}")
        await raw.aclose()
        assert await second.get(forged) is None
    finally:
        await first.close()
        await second.close()


async def test_redis_keeps_the_latest_registrations_only(redis_prefix: str) -> None:
    """However many documents clients register, Redis keeps ``max_entries`` of them."""
    assert REDIS_URL is not None
    workers = [
        RedisStore(
            REDIS_URL,
            prefix=redis_prefix,
            ttl_seconds=60,
            max_entries=2,
            local=MemoryStore(10, max_document_bytes=LIMIT),
        )
        for _ in range(2)
    ]
    queries = [unique_query() for _ in range(3)]
    raw = redis.from_url(REDIS_URL)
    try:
        for query in queries:
            await workers[0].put(query_hash(query), query)
        assert await raw.zcard(f"{redis_prefix}apq-index") == 2
        assert len(await raw.keys(f"{redis_prefix}apq:*")) == 2
        found = [await workers[1].get(query_hash(query)) for query in queries]
        assert found == [None, queries[1], queries[2]]
    finally:
        await raw.aclose()
        for worker in workers:
            await worker.close()


def test_the_app_finds_in_redis_what_another_worker_registered(
    settings: Settings, redis_prefix: str
) -> None:
    shared = settings.with_(redis_url=REDIS_URL, redis_prefix=redis_prefix)
    with TestClient(create_app(shared)) as client:
        query = unique_query()
        sha = query_hash(query)
        assert send(client, query=query, sha=sha).status_code == 200
        store = client.app.state.graphql.persisted  # type: ignore[attr-defined]
        assert isinstance(store, RedisStore)
        store.local = MemoryStore(
            10, max_document_bytes=LIMIT
        )  # as another worker, which has only Redis
        hit = send(client, sha=sha, accept=GRAPHQL_RESPONSE_JSON)
        assert hit.status_code == 200
        assert next(iter(hit.json()["data"].values()))["code"] == "150300"
