"""GraphQL helpers for marketplace tests through the ASGI app: registering providers,
subscribing over graphql-transport-ws, and waiting until a subscription is live; and the
operations tests send to live servers too (placing an order, accepting an offer)."""

from __future__ import annotations

import time
from typing import Any

from starlette.testclient import TestClient
from strawberry import relay

from tests.conftest import unique
from tests.graphql import data, in_app, login
from tests.merchants.market import Grid, credit_code, documents_for
from wuyou import events

PROTOCOL = "graphql-transport-ws"

REGISTER = """mutation($input: RegisterMerchantInput!) { registerMerchant(input: $input) {
    merchant { id name status onDuty serviceAreas { code } services { code } }
    errors { field code message } } }"""
REVIEW = """mutation($input: ReviewMerchantInput!) { reviewMerchant(input: $input) {
    merchant { status } errors { field code } } }"""
ON_DUTY = (
    """mutation { setOnDuty(input: {onDuty: true}) { merchant { onDuty } errors { code } } }"""
)
PLACE = """mutation($i: PlaceOrderInput!) { placeOrder(input: $i) {
    order { number } errors { code } } }"""
ACCEPT = """mutation($i: AcceptOfferInput!) { acceptOffer(input: $i) {
    order { status } errors { code } } }"""


def register(client: TestClient, grid_code: str, services: list[str]) -> tuple[str, str]:
    username = unique("vendor")
    body = data(
        client,
        REGISTER,
        {
            "input": {
                "name": f"乌海测试服务{username[-4:]}",
                "kind": "COMMERCIAL",
                "creditCode": credit_code(),
                "contactName": "赵六",
                "contactPhone": "13700001234",
                "address": "海勃湾区测试路 1 号",
                "baseLocation": centre(client, grid_code),
                "capacity": 3,
                "services": [
                    {
                        "serviceType": s,
                        "documents": [
                            {"code": d.code, "number": d.number} for d in documents_for(s)
                        ],
                    }
                    for s in services
                ],
                "serviceAreaCodes": [grid_code],
                "staffUsername": username,
                "staffPassword": "vendor-password",
            }
        },
    )["registerMerchant"]
    assert body["errors"] == []
    assert body["merchant"]["status"] == "PENDING" and not body["merchant"]["onDuty"]
    assert body["merchant"]["serviceAreas"] == [{"code": grid_code}]
    merchant_id: str = body["merchant"]["id"]
    return merchant_id, username


def centre(client: TestClient, grid_code: str) -> dict[str, float]:
    area = data(
        client, "query($c: String!) { area(code: $c) { centroid { lat lng } } }", {"c": grid_code}
    )
    centre: dict[str, float] = area["area"]["centroid"]
    return centre


def approve_and_go_on_duty(client: TestClient, merchant_id: str, username: str) -> str:
    admin = login(client, "demo-admin")
    review = data(
        client, REVIEW, {"input": {"merchantId": merchant_id, "decision": "APPROVE"}}, admin
    )["reviewMerchant"]
    assert review == {"merchant": {"status": "APPROVED"}, "errors": []}
    token = login(client, username, "vendor-password")
    assert data(client, ON_DUTY, token=token)["setOnDuty"]["merchant"] == {"onDuty": True}
    return token


def wait_for_subscriber(client: TestClient, topic: str) -> None:
    """Block until the subscription resolver has really subscribed to ``topic``."""

    async def count() -> int:
        subscribers: int = getattr(events.broadcaster(), "subscriber_count")(topic)  # noqa: B009
        return subscribers

    deadline = time.monotonic() + 5
    while in_app(client, count) == 0:
        assert time.monotonic() < deadline, f"nobody subscribed to {topic}"
        time.sleep(0.01)


def subscribe(ws: Any, token: str, query: str, variables: dict[str, Any] | None = None) -> None:
    ws.send_json({"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}})
    assert ws.receive_json() == {"type": "connection_ack"}
    ws.send_json(
        {"id": "1", "type": "subscribe", "payload": {"query": query, "variables": variables or {}}}
    )


def next_message(ws: Any) -> dict[str, Any]:
    message: dict[str, Any] = ws.receive_json()
    assert message["type"] == "next", message
    result: dict[str, Any] = message["payload"]["data"]
    return result


def merchant_db_id(merchant_id: str) -> int:
    return int(relay.GlobalID.from_id(merchant_id).node_id)


def example(client: TestClient, code: str) -> dict[str, Any]:
    body = data(client, "query($c: String!) { serviceType(code: $c) { exampleForm } }", {"c": code})
    form: dict[str, Any] = body["serviceType"]["exampleForm"]
    return form


def car_moving_input(grid: Grid, plate: str, reason: str) -> dict[str, Any]:
    """A PlaceOrderInput for car moving at the centre of ``grid``."""
    return {
        "serviceType": "car_moving",
        "form": {"plate": plate, "reason": reason},
        "location": {"lat": grid.lat, "lng": grid.lng},
        "address": "测试小区",
        "contactName": "钱七",
        "contactPhone": "13812345678",
    }
