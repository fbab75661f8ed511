"""The HTTP surface: health, request ids, malformed requests, GET/POST rules, GraphiQL."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from tests.graphql import error_codes, gql


def test_healthz_reports_a_reachable_database(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] is True


def test_healthz_is_503_when_the_database_is_unreachable(settings: Settings) -> None:
    broken = settings.with_(database_url="postgres://nobody@127.0.0.1:1/none")
    with TestClient(create_app(broken)) as client:
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] is False


def test_every_response_carries_a_request_id(client: TestClient) -> None:
    generated = client.get("/healthz").headers["x-request-id"]
    assert len(generated) == 32
    echoed = client.get("/healthz", headers={"X-Request-ID": "trace-42"})
    assert echoed.headers["x-request-id"] == "trace-42"
    hostile = client.get("/healthz", headers={"X-Request-ID": "bad id\nwith newline"})
    assert hostile.headers["x-request-id"] != "bad id\nwith newline"


def test_query_and_variables_of_the_wrong_json_type_are_refused(client: TestClient) -> None:
    for payload in ({"query": 42}, {"query": "{ me { username } }", "variables": [1]}):
        response = client.post("/graphql", json=payload)
        assert response.status_code == 400
        assert error_codes(response.json()) == ["BAD_REQUEST"]


def test_missing_query_and_unsupported_content_type(client: TestClient) -> None:
    assert client.post("/graphql", json={}).status_code == 400
    response = client.post(
        "/graphql", content=b"{ me { username } }", headers={"content-type": "text/plain"}
    )
    # A text/plain POST is one a cross-site form can send: refused before it is read.
    assert response.status_code == 415
    assert error_codes(response.json()) == ["UNSUPPORTED_MEDIA_TYPE"]


def test_batches_are_refused(client: TestClient) -> None:
    response = client.post("/graphql", json=[{"query": "{ me { username } }"}] * 2)
    assert response.status_code == 400
    assert error_codes(response.json()) == ["BAD_REQUEST"]


def test_unknown_field_is_a_validation_error(client: TestClient) -> None:
    body = gql(client, "{ areas { edges { node { code secretField } } } }")
    assert body["data"] is None
    assert "secretField" in body["errors"][0]["message"]


def test_wrong_variable_type_is_a_validation_error(client: TestClient) -> None:
    body = gql(
        client,
        "query($lat: Float!, $lng: Float!) { areaAt(lat: $lat, lng: $lng) { code } }",
        {"lat": "north", "lng": 106.8},
    )
    assert body["data"] is None
    assert "$lat" in body["errors"][0]["message"]


def test_syntax_error_is_reported(client: TestClient) -> None:
    body = gql(client, "{ areas { ")
    assert body["data"] is None
    assert "Syntax Error" in body["errors"][0]["message"]


def test_get_serves_queries_but_never_mutations(client: TestClient) -> None:
    ok = client.get("/graphql", params={"query": '{ area(code: "150300") { name } }'})
    assert ok.status_code == 200
    assert ok.json()["data"]["area"]["name"] == "乌海市"
    refused = client.get(
        "/graphql",
        params={"query": 'mutation { login(input: {username: "a", password: "b"}) { token } }'},
    )
    assert refused.status_code == 405
    assert error_codes(refused.json()) == ["METHOD_NOT_ALLOWED"]


def test_other_methods_are_refused(client: TestClient) -> None:
    response = client.put("/graphql", json={"query": "{ me { username } }"})
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, POST"


def test_graphiql_in_development(client: TestClient) -> None:
    response = client.get("/graphql", headers={"accept": "text/html"})
    assert response.status_code == 200
    assert "graphiql" in response.text.lower()


def test_production_hides_graphiql_and_masks_unexpected_errors(settings: Settings) -> None:
    production = Settings.from_env(
        {"WUYOU_ENV": "production", "WUYOU_SECRET_KEY": "x" * 40},
        database_url=settings.database_url,
        log_json=False,
        log_level="CRITICAL",
    )
    assert not production.graphiql and not production.detailed_errors
    with TestClient(create_app(production)) as client:
        page = client.get("/graphql", headers={"accept": "text/html"})
        assert page.status_code == 404
        # Validation errors stay readable in production.
        body = gql(client, "{ nope }")
        assert "nope" in body["errors"][0]["message"]


@pytest.mark.parametrize(
    "body",
    [
        b'{"query": ',
        b'"{ me { username } }"',
        b"42",
        b"null",
        b"",
        b'\xff\xfe{"query": 1}',
        b'{"query": "{ me { username } }", "x": NaN}',
    ],
)
def test_unusable_json_bodies_are_bad_requests_not_500s(client: TestClient, body: bytes) -> None:
    response = client.post("/graphql", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 400, body
    assert error_codes(response.json()) == ["BAD_REQUEST"]


def test_subscriptions_over_http_point_to_the_websocket(client: TestClient) -> None:
    query = 'subscription { areaEvents(code: "150300") { kind } }'
    for response in (
        client.post("/graphql", json={"query": query}),
        client.get("/graphql", params={"query": query}),
    ):
        assert response.status_code == 400
        assert "graphql-transport-ws" in response.json()["errors"][0]["message"]


def test_unknown_operation_name_is_bad_request(client: TestClient) -> None:
    response = client.post(
        "/graphql", json={"query": "query A { me { username } }", "operationName": "B"}
    )
    assert response.status_code == 400
    assert error_codes(response.json()) == ["BAD_REQUEST"]
