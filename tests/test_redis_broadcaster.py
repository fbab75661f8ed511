"""Live events across workers through Redis: two broadcasters, and two real servers.

Runs when ``WUYOU_TEST_REDIS_URL`` names a Redis (``.ci/run`` sets it); skipped otherwise.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest
from starlette.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from merchants.live import merchant_topic
from tests.conftest import free_port
from tests.graphql import data, in_app, login
from tests.merchants.live import (
    PROTOCOL,
    approve_and_go_on_duty,
    car_moving_input,
    merchant_db_id,
    next_message,
    register,
    subscribe,
    wait_for_subscriber,
)
from tests.merchants.market import fresh_grid
from wuyou.events import Event
from wuyou.redis_broadcaster import RedisBroadcaster

REDIS_URL = os.environ.get("WUYOU_TEST_REDIS_URL")
pytestmark = pytest.mark.skipif(REDIS_URL is None, reason="WUYOU_TEST_REDIS_URL is not set")


@pytest.fixture
def prefix() -> str:
    """A channel prefix of this test's own, so runs sharing a Redis never cross."""
    return f"wuyou-test-{uuid.uuid4().hex[:8]}:"


async def test_an_event_published_by_one_worker_reaches_the_subscribers_of_another(
    prefix: str,
) -> None:
    assert REDIS_URL is not None
    worker_a = RedisBroadcaster(REDIS_URL, prefix=prefix)
    worker_b = RedisBroadcaster(REDIS_URL, prefix=prefix)
    try:
        async with (
            worker_b.subscribe("merchant:7") as on_b,
            worker_a.subscribe("merchant:7", "order:X") as on_a,
        ):
            assert worker_b.subscriber_count("merchant:7") == 1
            await worker_a.publish(Event("merchant:7", "OFFERED", {"offer_id": 3}))
            await worker_a.publish(Event("elsewhere", "OFFERED", {"offer_id": 4}))
            heard_b = await asyncio.wait_for(anext(aiter(on_b)), 5)
            heard_a = await asyncio.wait_for(anext(aiter(on_a)), 5)
        assert (heard_b.topic, heard_b.kind, heard_b.payload) == (
            "merchant:7",
            "OFFERED",
            {"offer_id": 3},
        )
        assert heard_a == heard_b
        assert worker_b.subscriber_count("merchant:7") == 0
    finally:
        await worker_a.close()
        await worker_b.close()


@pytest.fixture
def second_worker(database_url: str, prefix: str, tmp_path: Path) -> Iterator[str]:
    """A real ``wuyou serve`` process on the test database and Redis: another worker."""
    port = free_port()
    env = {
        **os.environ,
        "WUYOU_DATABASE_URL": database_url,
        "WUYOU_REDIS_URL": REDIS_URL or "",
        "WUYOU_REDIS_PREFIX": prefix,
        "WUYOU_LOG_JSON": "false",
    }
    log = tmp_path / "worker.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "api", "serve", "--port", str(port)],
            cwd=tmp_path,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, log.read_text()
            try:
                if httpx2.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx2.TransportError:
                pass
            assert time.monotonic() < deadline, "the second worker did not come up"
            time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(10)


def test_an_order_placed_on_one_worker_is_offered_live_on_another(
    settings: Settings, prefix: str, second_worker: str
) -> None:
    assert REDIS_URL is not None
    worker_a = settings.with_(redis_url=REDIS_URL, redis_prefix=prefix)
    with TestClient(create_app(worker_a)) as client:
        grid = in_app(client, fresh_grid)
        merchant_id, username = register(client, grid.code, ["car_moving"])
        token = approve_and_go_on_duty(client, merchant_id, username)
        with client.websocket_connect("/graphql", subprotocols=[PROTOCOL]) as ws:
            subscribe(ws, token, "subscription { offers { kind offer { job { number } } } }")
            wait_for_subscriber(client, merchant_topic(merchant_db_id(merchant_id)))
            citizen = login(client, "demo-citizen")
            response = httpx2.post(
                f"{second_worker}/graphql",
                headers={"Authorization": f"Bearer {citizen}"},
                json={
                    "query": """mutation($i: PlaceOrderInput!) { placeOrder(input: $i) {
                        order { number } errors { code } } }""",
                    "variables": {"i": car_moving_input(grid, "蒙L88888", "BLOCKING_EXIT")},
                },
                timeout=30,
            )
            placed = response.json()["data"]["placeOrder"]
            assert placed["errors"] == []
            offered = next_message(ws)["offers"]
            assert offered == {
                "kind": "OFFERED",
                "offer": {"job": {"number": placed["order"]["number"]}},
            }
            ws.send_json({"id": "1", "type": "complete"})
        assert data(client, "{ myOffers { status } }", token=token)["myOffers"] == [
            {"status": "PENDING"}
        ]
