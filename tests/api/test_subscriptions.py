"""graphql-transport-ws on /graphql: authentication in connection_init, live area events."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from tests.conftest import unique
from tests.graphql import data, login

PROTOCOL = "graphql-transport-ws"
SUBSCRIBE = """subscription($code: String!) { areaEvents(code: $code) {
                 kind username gridCode grid { level } occurredAt } }"""


def _connect(ws: Any, payload: dict[str, Any]) -> dict[str, Any]:
    ws.send_json({"type": "connection_init", "payload": payload})
    message: dict[str, Any] = ws.receive_json()
    return message


def test_staff_receive_events_from_beneath_their_area(client: TestClient) -> None:
    admin = login(client, "demo-admin")
    grid = data(
        client,
        '{ areas(filter: {level: GRID, withinCode: "150303"}, first: 1) '
        "{ edges { node { code } } } }",
    )["areas"]["edges"][0]["node"]["code"]
    username = unique("gw")
    data(
        client,
        """mutation($u: String!) { createAccount(input: {username: $u,
         role: GRID_WORKER, displayName: "网格员"}) { errors { code } } }""",
        {"u": username},
        token=admin,
    )
    with client.websocket_connect("/graphql", subprotocols=[PROTOCOL]) as ws:
        assert _connect(ws, {"Authorization": f"Bearer {login(client, 'demo-agent')}"}) == {
            "type": "connection_ack"
        }
        ws.send_json(
            {
                "id": "1",
                "type": "subscribe",
                "payload": {"query": SUBSCRIBE, "variables": {"code": "150303"}},
            }
        )
        data(
            client,
            """mutation($u: String!, $g: String!) { assignGridWorker(input:
             {username: $u, gridCode: $g}) { errors { code } } }""",
            {"u": username, "g": grid},
            token=admin,
        )
        message = ws.receive_json()
        assert message["type"] == "next" and message["id"] == "1"
        event = message["payload"]["data"]["areaEvents"]
        assert event["kind"] == "GRID_WORKER_ASSIGNED"
        assert event["username"] == username and event["gridCode"] == grid
        assert event["grid"] == {"level": "GRID"}
        ws.send_json({"id": "1", "type": "complete"})


def test_a_bad_token_in_connection_init_is_refused(client: TestClient) -> None:
    with client.websocket_connect("/graphql", subprotocols=[PROTOCOL]) as ws:
        ws.send_json({"type": "connection_init", "payload": {"Authorization": "Bearer nope"}})
        with pytest.raises(WebSocketDisconnect) as closed:
            ws.receive_json()
    assert closed.value.code == 4403


def test_anonymous_subscribers_are_told_to_sign_in(client: TestClient) -> None:
    with client.websocket_connect("/graphql", subprotocols=[PROTOCOL]) as ws:
        assert _connect(ws, {}) == {"type": "connection_ack"}
        ws.send_json(
            {
                "id": "7",
                "type": "subscribe",
                "payload": {"query": SUBSCRIBE, "variables": {"code": "150300"}},
            }
        )
        message = ws.receive_json()
    assert message["type"] == "error" or message["payload"]
    errors = message["payload"] if message["type"] == "error" else message["payload"]["errors"]
    assert errors[0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_the_token_key_is_accepted_too(client: TestClient) -> None:
    with client.websocket_connect("/graphql", subprotocols=[PROTOCOL]) as ws:
        assert _connect(ws, {"token": login(client, "demo-grid")})["type"] == "connection_ack"


@pytest.mark.parametrize("message", ["not json", "[1, 2]", '"text"', "NaN"])
def test_malformed_messages_close_the_socket_with_4400(client: TestClient, message: str) -> None:
    with client.websocket_connect("/graphql", subprotocols=[PROTOCOL]) as ws:
        ws.send_text(message)
        with pytest.raises(WebSocketDisconnect) as closed:
            ws.receive_json()
    assert closed.value.code == 4400
