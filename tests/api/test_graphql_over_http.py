"""GraphQL over HTTP as the graphql-over-http specification describes it: the two response
media types and their status codes, request media types (and CSRF), GET for queries only.
"""

from __future__ import annotations

import json
from typing import Any

import httpx2
import pytest
from starlette.testclient import TestClient

from accounts.models import Role
from accounts.service import create_account
from api.graphql_view import GRAPHQL_RESPONSE_JSON, JSON, negotiate
from tests.conftest import unique
from tests.graphql import error_codes, in_app, login

AREA = 'query Area { area(code: "150300") { code name } }'
LOGIN = "mutation Login($u: String!, $p: String!) { login(input: {username: $u, password: $p}) { token errors { code } } }"  # noqa: E501


def post(
    client: TestClient,
    body: object,
    *,
    accept: str | None = JSON,
    content_type: str | None = JSON,
) -> httpx2.Response:
    """POST ``body`` (JSON-encoded unless bytes) with the given Accept and Content-Type
    (None: without the header)."""
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    request = client.build_request("POST", "/graphql", content=content)
    for name, value in (("accept", accept), ("content-type", content_type)):
        if value is None:
            request.headers.pop(name, None)
        else:
            request.headers[name] = value
    return client.send(request)


def media(response: httpx2.Response) -> str:
    return response.headers["content-type"].split(";")[0]


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, GRAPHQL_RESPONSE_JSON),
        ("", GRAPHQL_RESPONSE_JSON),
        ("*/*", JSON),
        ("application/*", JSON),
        ("application/json", JSON),
        ("application/graphql-response+json", GRAPHQL_RESPONSE_JSON),
        ("application/graphql-response+json, application/json", GRAPHQL_RESPONSE_JSON),
        ("application/json, application/graphql-response+json", GRAPHQL_RESPONSE_JSON),
        ("application/json, */*;q=0.5", JSON),
        ("application/graphql-response+json;q=0.5, application/json", JSON),
        (
            "application/graphql-response+json; charset=utf-8, application/json; charset=utf-8",
            GRAPHQL_RESPONSE_JSON,
        ),
        (
            "multipart/mixed;deferSpec=20220824, application/graphql-response+json, "
            "application/json",
            GRAPHQL_RESPONSE_JSON,
        ),
        ("text/html, */*;q=0.1", JSON),
        ("text/html", None),
        ("application/json;q=0, application/graphql-response+json;q=0", None),
        ("application/xml", None),
    ],
)
def test_the_response_media_type_follows_accept(accept: str | None, expected: str | None) -> None:
    assert negotiate(accept) == expected


def test_an_answer_is_in_the_negotiated_media_type_and_utf_8(client: TestClient) -> None:
    for accept, expected in ((None, GRAPHQL_RESPONSE_JSON), ("*/*", JSON), (JSON, JSON)):
        response = post(client, {"query": AREA}, accept=accept)
        assert response.status_code == 200
        assert media(response) == expected
        assert "charset=utf-8" in response.headers["content-type"]
        assert response.headers["vary"] == "Accept"
        assert response.json()["data"]["area"]["name"] == "乌海市"


def test_neither_media_type_acceptable_is_406(client: TestClient) -> None:
    response = post(client, {"query": AREA}, accept="application/xml")
    assert response.status_code == 406
    assert error_codes(response.json()) == ["NOT_ACCEPTABLE"]
    refused = client.get("/graphql", params={"query": AREA}, headers={"accept": "text/csv"})
    assert refused.status_code == 406
    # A browser asking for the page without a query still gets GraphiQL.
    assert client.get("/graphql", headers={"accept": "text/html"}).status_code == 200


#: (what is sent, its status under application/json, under graphql-response+json)
REQUEST_ERRORS: list[tuple[str, object, int, int]] = [
    ("document parsing failure", {"query": "{"}, 200, 400),
    ("document validation failure", {"query": "{ nope }"}, 200, 400),
    (
        "variable coercion failure",
        {"query": "query($c: String!) { area(code: $c) { name } }", "variables": {}},
        200,
        400,
    ),
    ("missing query", {"qeury": AREA}, 400, 400),
    ("query of the wrong type", {"query": 7}, 400, 400),
    ("variables of the wrong type", {"query": AREA, "variables": [7]}, 400, 400),
    ("extensions of the wrong type", {"query": AREA, "extensions": "x"}, 400, 400),
    ("operationName of the wrong type", {"query": AREA, "operationName": 1}, 400, 400),
    ("unknown operationName", {"query": AREA, "operationName": "Other"}, 400, 400),
    ("JSON parsing failure", b'{"query": ', 400, 400),
]


@pytest.mark.parametrize(
    ("body", "legacy_status", "status"),
    [case[1:] for case in REQUEST_ERRORS],
    ids=[case[0] for case in REQUEST_ERRORS],
)
def test_request_errors_by_media_type(
    client: TestClient, body: object, legacy_status: int, status: int
) -> None:
    legacy = post(client, body, accept=JSON)
    assert legacy.status_code == legacy_status
    assert media(legacy) == JSON
    assert legacy.json()["errors"]
    if legacy_status == 200:  # legacy clients read `data: null` beside the errors
        assert legacy.json()["data"] is None
    modern = post(client, body, accept=GRAPHQL_RESPONSE_JSON)
    assert modern.status_code == status
    assert media(modern) == GRAPHQL_RESPONSE_JSON
    assert modern.json()["errors"]
    assert "data" not in modern.json()  # the operation did not run


def test_field_errors_keep_200_under_both_media_types(client: TestClient) -> None:
    # Not signed in: the operation runs and `myOffers` fails with UNAUTHENTICATED.
    query = {"query": '{ area(code: "150300") { name } myOffers { id } }'}
    for accept in (JSON, GRAPHQL_RESPONSE_JSON):
        response = post(client, query, accept=accept)
        assert response.status_code == 200
        body = response.json()
        assert "data" in body and error_codes(body) == ["UNAUTHENTICATED"]


@pytest.mark.parametrize(
    "content_type",
    [
        JSON,
        "application/json; charset=utf-8",
        "Application/JSON; Charset=UTF-8",
        GRAPHQL_RESPONSE_JSON,
    ],
)
def test_post_accepts_json_in_utf_8(client: TestClient, content_type: str) -> None:
    response = post(client, {"query": AREA}, content_type=content_type)
    assert response.status_code == 200
    assert response.json()["data"]["area"]["code"] == "150300"


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        (None, b'{"query": "{ __typename }"}'),
        ("text/plain", b'{"query": "{ __typename }"}'),
        ("application/x-www-form-urlencoded", b"query=%7B__typename%7D"),
        ("multipart/form-data; boundary=x", b"--x--"),
        ("application/json; charset=latin-1", b'{"query": "{ __typename }"}'),
        ("application/jsonp", b'{"query": "{ __typename }"}'),
    ],
)
def test_other_request_media_types_are_415(
    client: TestClient, content_type: str | None, body: bytes
) -> None:
    for accept in (JSON, GRAPHQL_RESPONSE_JSON):
        response = post(client, body, accept=accept, content_type=content_type)
        assert response.status_code == 415
        assert error_codes(response.json()) == ["UNSUPPORTED_MEDIA_TYPE"]


@pytest.fixture
def account(client: TestClient) -> str:
    """A citizen account with the password ``password-123``."""
    username = unique("csrf")

    async def make() -> None:
        await create_account(
            username=username, role=Role.CITIZEN, display_name="张三", password="password-123"
        )

    in_app(client, make)
    return username


def _login_works(client: TestClient, username: str) -> bool:
    answer = post(client, {"query": LOGIN, "variables": {"u": username, "p": "password-123"}})
    result: dict[str, Any] = answer.json()["data"]["login"]
    return result["errors"] == [] and bool(result["token"])


def test_mutations_from_forms_and_get_never_run(
    client: TestClient, account: str, settings: Any
) -> None:
    """Wrong passwords sent more often than the lockout allows, as a cross-site form would
    post them and as a GET would: had one run, the account would now be locked."""
    wrong = {"u": account, "p": "wrong-password"}
    attempts = settings.login_max_failures + 1
    for _ in range(attempts):
        form = post(
            client,
            f"query={LOGIN}&variables={json.dumps(wrong)}".encode(),
            content_type="application/x-www-form-urlencoded",
        )
        assert form.status_code == 415
        text = post(
            client,
            {"query": LOGIN, "variables": wrong},
            content_type="text/plain;charset=UTF-8",
        )
        assert text.status_code == 415
        for accept in (JSON, GRAPHQL_RESPONSE_JSON):
            get = client.get(
                "/graphql",
                params={"query": LOGIN, "variables": json.dumps(wrong)},
                headers={"accept": accept},
            )
            assert get.status_code == 405
            assert get.headers["allow"] == "POST"
            assert error_codes(get.json()) == ["METHOD_NOT_ALLOWED"]
    assert _login_works(client, account)


def test_get_serves_queries_with_json_encoded_parameters(client: TestClient) -> None:
    query = "query Named($c: String!) { area(code: $c) { name } } query Other { __typename }"
    for accept in (JSON, GRAPHQL_RESPONSE_JSON):
        response = client.get(
            "/graphql",
            params={
                "query": query,
                "variables": json.dumps({"c": "150302"}),
                "operationName": "Named",
                "extensions": json.dumps({"tracing": False}),
            },
            headers={"accept": accept},
        )
        assert response.status_code == 200
        assert media(response) == accept
        assert response.json() == {"data": {"area": {"name": "海勃湾区"}}}
    # An empty operationName is no operationName.
    single = client.get("/graphql", params={"query": AREA, "operationName": ""})
    assert single.json()["data"]["area"]["code"] == "150300"
    # Variables that are not JSON, or not an object, are a bad request.
    for variables in ("{not json", "[1]"):
        bad = client.get(
            "/graphql",
            params={"query": AREA, "variables": variables},
            headers={"accept": GRAPHQL_RESPONSE_JSON},
        )
        assert bad.status_code == 400


def test_a_get_naming_the_mutation_of_a_document_is_405(client: TestClient) -> None:
    document = f"{AREA} {LOGIN}"
    query = client.get("/graphql", params={"query": document, "operationName": "Area"})
    assert query.status_code == 200
    mutation = client.get("/graphql", params={"query": document, "operationName": "Login"})
    assert mutation.status_code == 405
    assert mutation.headers["allow"] == "POST"


def test_answers_to_a_credential_are_private_and_anonymous_gets_cacheable(
    client: TestClient, account: str
) -> None:
    anonymous = client.get("/graphql", params={"query": AREA})
    assert anonymous.status_code == 200
    assert anonymous.headers["vary"] == "Accept"
    assert "cache-control" not in anonymous.headers  # a CDN may keep it
    token = login(client, account, "password-123")
    for authorization in (f"Bearer {token}", "Bearer not-a-token"):
        signed = client.get(
            "/graphql", params={"query": AREA}, headers={"authorization": authorization}
        )
        assert signed.headers["cache-control"] == "private"
        posted = client.post(
            "/graphql", json={"query": AREA}, headers={"authorization": authorization}
        )
        assert posted.headers["cache-control"] == "private"
    # A refusal that says more keeps what it says, and stays private.
    missing = client.get(
        "/graphql",
        params={
            "extensions": json.dumps({"persistedQuery": {"version": 1, "sha256Hash": "c" * 64}})
        },
        headers={"authorization": f"Bearer {token}", "accept": JSON},
    )
    assert error_codes(missing.json()) == ["PERSISTED_QUERY_NOT_FOUND"]
    assert missing.headers["cache-control"] == "private, no-cache, must-revalidate"
