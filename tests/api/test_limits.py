"""Abusive queries are refused before they run."""

from __future__ import annotations

from starlette.testclient import TestClient

from tests.graphql import gql


def test_depth_limit_rejects_a_deep_query(client: TestClient) -> None:
    nested = "parent { " * 14 + "code" + " }" * 14
    body = gql(client, f'{{ area(code: "150302001001-G01") {{ {nested} }} }}')
    assert body.get("data") is None
    assert "exceeds maximum operation depth" in body["errors"][0]["message"]


def test_reasonable_depth_is_fine(client: TestClient) -> None:
    body = gql(client, '{ area(code: "150302") { children { children { parent { code } } } } }')
    assert "errors" not in body
    assert body["data"]["area"]["children"]


def test_alias_limit_rejects_alias_flooding(client: TestClient) -> None:
    aliases = " ".join(f'a{i}: area(code: "150300") {{ name }}' for i in range(40))
    body = gql(client, f"{{ {aliases} }}")
    assert body.get("data") is None
    assert "aliases" in body["errors"][0]["message"].lower()


def test_token_limit_rejects_huge_documents(client: TestClient) -> None:
    fields = " ".join(["name"] * 3000)
    body = gql(client, f'{{ area(code: "150300") {{ {fields} }} }}')
    assert body.get("data") is None
    assert "token" in body["errors"][0]["message"].lower()
