"""Helpers for talking GraphQL to the test client."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from starlette.testclient import TestClient

T = TypeVar("T")


def gql(
    client: TestClient,
    query: str,
    variables: dict[str, Any] | None = None,
    token: str | None = None,
) -> dict[str, Any]:
    """POST a GraphQL operation and return the decoded body (asserting HTTP 200)."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = client.post(
        "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def data(
    client: TestClient,
    query: str,
    variables: dict[str, Any] | None = None,
    token: str | None = None,
) -> dict[str, Any]:
    """The ``data`` of an operation that must succeed without top-level errors."""
    body = gql(client, query, variables, token)
    assert "errors" not in body, body["errors"]
    result: dict[str, Any] = body["data"]
    return result


def login(client: TestClient, username: str, password: str = "demo") -> str:
    """Sign in and return the bearer token."""
    result = data(
        client,
        "mutation($u: String!, $p: String!) { login(input: {username: $u, password: $p}) "
        "{ token errors { field code message } } }",
        {"u": username, "p": password},
    )["login"]
    assert result["errors"] == [], result["errors"]
    token: str = result["token"]
    return token


def error_codes(body: dict[str, Any]) -> list[str]:
    """The ``extensions.code`` of each top-level error."""
    return [e.get("extensions", {}).get("code") for e in body.get("errors", [])]


def in_app(client: TestClient, work: Callable[[], Awaitable[T]]) -> T:
    """Run ``work`` on the app's event loop, where its database connections live."""
    portal = client.portal
    assert portal is not None, "use the client inside its `with` block"
    return portal.call(work)
