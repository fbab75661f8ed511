"""Abusive queries are refused before they run."""

from __future__ import annotations

import base64

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


def test_oversized_bodies_are_refused(client: TestClient) -> None:
    huge = "{ " + "me { username } " * 80_000 + "}"
    response = client.post("/graphql", json={"query": huge})
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"


def test_absurdly_long_arguments_get_clean_answers(client: TestClient) -> None:
    long = "9" * 100_000
    for query, variables in (
        ("query($c: String!) { area(code: $c) { name } }", {"c": long}),
        ("query($c: String!) { areas(filter: {parentCode: $c}) { totalCount } }", {"c": long}),
        ("query($c: String!) { areas(filter: {withinCode: $c}) { totalCount } }", {"c": long}),
        ("query($c: String!) { areas(filter: {nameContains: $c}) { totalCount } }", {"c": long}),
        ("query($c: String!) { departments(areaCode: $c) { code } }", {"c": long}),
    ):
        body = gql(client, query, variables)
        assert "errors" not in body, body["errors"][0]["message"][:200]
    login = gql(
        client,
        "mutation($u: String!) { login(input: {username: $u, password: $u}) "
        "{ token errors { code } } }",
        {"u": "u" * 50_000},
    )
    assert login["data"]["login"] == {"token": None, "errors": [{"code": "INVALID_CREDENTIALS"}]}
    cursor = base64.urlsafe_b64encode(f"Area:{long}".encode()).decode()
    assert "errors" not in gql(
        client, "query($a: String) { areas(after: $a) { totalCount } }", {"a": cursor}
    )
