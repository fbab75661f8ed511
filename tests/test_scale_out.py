"""Scale-out on real engines: several ``wuyou serve`` processes on one PostgreSQL and Redis.

Runs when both ``WUYOU_TEST_DATABASE_URL`` and ``WUYOU_TEST_REDIS_URL`` are set (``.ci/run``
sets them); skipped otherwise. The module works in a PostgreSQL database of its own, where
two servers run side by side as they would behind a load balancer, on a Redis channel
prefix of their own, each worker sweeping every half second:

- A: ``wuyou serve --workers 2``, two worker processes behind one port;
- B: ``wuyou serve``, one worker, which the last test kills with SIGKILL.

Time passing is played by moving deadlines into the past in the database (an offer's
``expires_at``, a stalled order's ``updated_at``): that is all waiting out the ten
minutes an appliance-repair offer stays open, or ``STALL_AFTER``, would do, and the
workers' sweepers then find the rows due as they would after the wait.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx2
import pytest
import redis.asyncio as redis
from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Subprotocol

from api import db
from merchants.dispatch import SEEKING, STALL_AFTER
from merchants.live import merchant_topic
from merchants.models import Offer, OfferStatus, Order, OrderStatus
from tests.conftest import postgres_database, seed
from tests.live_server import ServerProcess, data, login, started
from tests.merchants import market
from tests.merchants.live import ACCEPT, PLACE, PROTOCOL, car_moving_input
from tests.merchants.market import PASSWORD, Grid, citizen, fresh_grid, place, provider
from wuyou import clock

DATABASE_URL = os.environ.get("WUYOU_TEST_DATABASE_URL")
REDIS_URL = os.environ.get("WUYOU_TEST_REDIS_URL")
pytestmark = pytest.mark.skipif(
    not (DATABASE_URL and REDIS_URL),
    reason="WUYOU_TEST_DATABASE_URL and WUYOU_TEST_REDIS_URL are not both set",
)

#: Due offers the sweeping test makes at once.
DUE_ORDERS = 200
#: What each worker logs after a sweep that expired offers (api/sweeper.py).
SWEPT = re.compile(rb"sweep: (\d+) offers expired, \d+ orders moved on")

EXAMPLE = "query($c: String!) { serviceType(code: $c) { exampleForm } }"
#: A process holding the claim a sweeping worker takes on an order, for as long as it lives.
HOLD = """
import asyncio, sys, asyncpg
async def hold(url, table, order_id):
    connection = await asyncpg.connect(url)
    await connection.execute("BEGIN")
    await connection.execute(
        f'SELECT id FROM "{table}" WHERE id = $1 FOR NO KEY UPDATE', int(order_id)
    )
    print("held", flush=True)
    await asyncio.sleep(3600)
asyncio.run(hold(*sys.argv[1:]))
"""


@dataclass(frozen=True)
class Cluster:
    """The servers of this module, the database they share and their Redis prefix."""

    database_url: str
    prefix: str
    a: ServerProcess
    b: ServerProcess


def log_end(server: ServerProcess) -> int:
    """Where the server's log ends now."""
    return server.log.stat().st_size


def expired_since(server: ServerProcess, offset: int) -> int:
    """Offers the server's workers expired, by their sweep logs after ``offset``."""
    logged = server.log.read_bytes()[offset:]
    return sum(int(count) for count in SWEPT.findall(logged))


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """Servers A and B on a database of their own. B does not outlive the last test."""
    assert DATABASE_URL is not None and REDIS_URL is not None
    prefix = f"wuyou-test-{uuid.uuid4().hex[:8]}:"
    with postgres_database(DATABASE_URL, seeded=False) as url:
        settings = {
            "WUYOU_DATABASE_URL": url,
            "WUYOU_REDIS_URL": REDIS_URL,
            "WUYOU_REDIS_PREFIX": prefix,
            "WUYOU_SWEEP_INTERVAL_MS": "500",
            "WUYOU_LOG_LEVEL": "INFO",
            "WUYOU_LOG_JSON": "false",
        }
        logs = tmp_path_factory.mktemp("servers")
        with (
            started(logs / "a.log", settings, workers=2) as a,
            started(logs / "b.log", settings) as b,
        ):
            asyncio.run(seed(url))  # while the servers start
            a.wait_until_ready()
            b.wait_until_ready()
            yield Cluster(url, prefix, a, b)


@pytest.fixture
async def orm(cluster: Cluster) -> AsyncIterator[None]:
    """The ORM on the cluster's database; the providers a test registered retire after it."""
    await db.connect(cluster.database_url)
    try:
        yield
    finally:
        await market.retire_registered()
        await db.disconnect()


async def until(done: Callable[[], Awaitable[bool]], what: str, seconds: float = 30) -> None:
    """Poll ``done`` until it holds."""
    deadline = time.monotonic() + seconds
    while not await done():
        assert time.monotonic() < deadline, f"timed out waiting until {what}"
        await asyncio.sleep(0.1)


async def appliance_repair_input(
    http: httpx2.AsyncClient, server: ServerProcess, grid: Grid
) -> dict[str, Any]:
    """A PlaceOrderInput for appliance repair at the centre of ``grid``."""
    example = await data(http, EXAMPLE, {"c": "appliance_repair"}, url=server.graphql)
    form = example["serviceType"]["exampleForm"]
    return {
        "serviceType": "appliance_repair",
        "form": form,
        "location": {"lat": grid.lat, "lng": grid.lng},
        "address": "测试小区",
        "contactName": "钱七",
        "contactPhone": "13812345678",
    }


async def receive(ws: ClientConnection) -> dict[str, Any]:
    message: dict[str, Any] = json.loads(await asyncio.wait_for(ws.recv(), 10))
    return message


async def offers_of(order_ids: list[int]) -> dict[int, list[tuple[int, int, OfferStatus]]]:
    """Each order's offers as (round, merchant id, status), in round order."""
    offers: dict[int, list[tuple[int, int, OfferStatus]]] = {i: [] for i in order_ids}
    rows = await (
        Offer.filter(order_id__in=order_ids)
        .order_by("round", "rank")
        .values("order_id", "round", "merchant_id", "status")
    )
    for row in rows:
        offers[row["order_id"]].append((row["round"], row["merchant_id"], row["status"]))
    return offers


async def test_a_merchant_subscribed_on_one_worker_hears_of_an_order_placed_on_another(
    cluster: Cluster, orm: None
) -> None:
    grid = await fresh_grid()
    shop = await provider(grid, ["car_moving"])
    who = await citizen()
    channel = cluster.prefix + merchant_topic(shop.id)
    async with httpx2.AsyncClient(timeout=30) as http, redis.from_url(REDIS_URL or "") as rd:
        merchant = await login(http, shop.staff.username, PASSWORD, url=cluster.a.graphql)
        placer = await login(http, who.username, PASSWORD, url=cluster.b.graphql)
        async with connect(cluster.a.websocket, subprotocols=[Subprotocol(PROTOCOL)]) as ws:
            init = {"type": "connection_init", "payload": {"Authorization": f"Bearer {merchant}"}}
            await ws.send(json.dumps(init))
            assert await receive(ws) == {"type": "connection_ack"}
            query = "subscription { offers { kind offer { id job { number } } } }"
            await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": query}}))

            async def a_listens() -> bool:
                [(_, listening)] = await rd.pubsub_numsub(channel)
                return bool(listening)

            await until(a_listens, "a worker of A listens on the merchant's channel")
            order_input = car_moving_input(grid, "蒙L88888", "BLOCKING_EXIT")
            placing = await data(http, PLACE, {"i": order_input}, placer, url=cluster.b.graphql)
            placed = placing["placeOrder"]
            assert placed["errors"] == []
            message = await receive(ws)
            assert message["type"] == "next", message
            offered = message["payload"]["data"]["offers"]
            assert offered["kind"] == "OFFERED"
            assert offered["offer"]["job"] == placed["order"]
        # Accepted on A: the offer does not expire while the other tests run.
        accept = {"i": {"offerId": offered["offer"]["id"]}}
        accepting = await data(http, ACCEPT, accept, merchant, url=cluster.a.graphql)
        accepted = accepting["acceptOffer"]
        assert accepted == {"order": {"status": "ACCEPTED"}, "errors": []}


async def test_workers_sweeping_at_once_expire_each_offer_once_and_all_take_part(
    cluster: Cluster, orm: None
) -> None:
    grid = await fresh_grid()
    near = await provider(grid, ["appliance_repair"])
    far = await provider(grid, ["appliance_repair"], offset_km=2.0)
    farther = await provider(grid, ["appliance_repair"], offset_km=4.0)
    who = await citizen()
    ids = [(await place(grid, "appliance_repair", who)).id for _ in range(DUE_ORDERS)]
    offered = (await offers_of(ids)).values()
    assert all(offers == [(1, near.id, OfferStatus.PENDING)] for offers in offered)
    servers = (cluster.a, cluster.b)
    marks = [log_end(server) for server in servers]
    await Offer.filter(order_id__in=ids).update(expires_at=clock.now() - timedelta(seconds=1))

    async def next_rounds_sent() -> bool:
        return await Offer.filter(order_id__in=ids, round=2).count() == DUE_ORDERS

    await until(next_rounds_sent, "every order's second round was sent")
    for offers in (await offers_of(ids)).values():
        assert offers == [(1, near.id, OfferStatus.EXPIRED), (2, far.id, OfferStatus.PENDING)]
    moved = await Order.filter(id__in=ids).values_list("status", "dispatch_round")
    assert set(moved) == {(OrderStatus.DISPATCHING, 2)}
    assert not await Offer.filter(merchant_id=farther.id).exists()  # no round sent twice

    def expired() -> list[int]:
        return [expired_since(s, mark) for s, mark in zip(servers, marks, strict=True)]

    async def all_logged() -> bool:  # a worker logs its sweep once the sweep is over
        return sum(expired()) >= DUE_ORDERS

    await until(all_logged, "every worker logged its sweeps")
    shares = expired()
    assert sum(shares) == DUE_ORDERS, shares  # each offer expired by exactly one worker
    assert shares[0] and shares[1], shares  # A's and B's workers took part


async def test_a_row_a_worker_holds_is_passed_over_and_freed_when_the_worker_dies(
    cluster: Cluster, orm: None
) -> None:
    grid = await fresh_grid()
    near = await provider(grid, ["appliance_repair"])
    far = await provider(grid, ["appliance_repair"], offset_km=2.0)
    who = await citizen()
    held, free = [(await place(grid, "appliance_repair", who)).id for _ in range(2)]

    async def moved_on(order_id: int) -> bool:
        return await Offer.filter(order_id=order_id, round=2).exists()

    table = Order._meta.db_table
    holder = await asyncio.create_subprocess_exec(
        sys.executable, "-c", HOLD, cluster.database_url, table, str(held), stdout=subprocess.PIPE
    )
    try:
        assert holder.stdout is not None and await holder.stdout.readline() == b"held\n"
        await Offer.filter(order_id__in=[held, free]).update(
            expires_at=clock.now() - timedelta(seconds=1)
        )
        # The workers' sweeps take the orders in id order: they pass over the held one.
        await until(lambda: moved_on(free), "the free order was swept")
        assert (await offers_of([held]))[held] == [(1, near.id, OfferStatus.PENDING)]
    finally:
        holder.send_signal(signal.SIGKILL)
        await holder.wait()
    await until(lambda: moved_on(held), "the held order was swept after its holder died")
    assert (await offers_of([held]))[held] == [
        (1, near.id, OfferStatus.EXPIRED),
        (2, far.id, OfferStatus.PENDING),
    ]


async def test_a_worker_killed_mid_dispatch_loses_nothing(cluster: Cluster, orm: None) -> None:
    grid = await fresh_grid()
    near = await provider(grid, ["appliance_repair"])
    far = await provider(grid, ["appliance_repair"], offset_km=2.0)
    who = await citizen()
    ours = Order.filter(citizen_id=who.account_id)
    answered: list[str] = []
    lost = 0
    some_answered = asyncio.Event()
    async with httpx2.AsyncClient(timeout=30) as http:
        token = await login(http, who.username, PASSWORD, url=cluster.b.graphql)
        order_input = await appliance_repair_input(http, cluster.b, grid)

        async def place_on_b_until_it_dies() -> None:
            # Six clients keep placing orders until B dies under them, so that some of
            # their requests are in flight when it does, however busy the machine is.
            nonlocal lost
            for _ in range(40):
                try:
                    body = await data(http, PLACE, {"i": order_input}, token, url=cluster.b.graphql)
                except httpx2.TransportError:
                    lost += 1
                    return
                answered.append(body["placeOrder"]["order"]["number"])
                if len(answered) == 8:
                    some_answered.set()

        placing = [asyncio.create_task(place_on_b_until_it_dies()) for _ in range(6)]
        await asyncio.wait_for(some_answered.wait(), 30)
        # The first offers come due while B is still placing orders, so every worker's
        # sweeper, B's among them, is busy with them when B dies.
        placed = list(await ours.values_list("id", flat=True))
        due = Offer.filter(order_id__in=placed, status=OfferStatus.PENDING)
        await due.update(expires_at=clock.now() - timedelta(seconds=1))
        await asyncio.sleep(0.15)
        cluster.b.process.send_signal(signal.SIGKILL)
        await asyncio.gather(*placing)
    assert cluster.b.process.wait(10) == -signal.SIGKILL
    assert lost, "B died with no request in flight"
    ids = [order["id"] for order in await ours.values("id")]
    assert len(ids) >= len(answered) >= 8

    # The ten minutes pass, and STALL_AFTER for any order B stored but did not dispatch.
    await Offer.filter(order_id__in=ids, round=1, status=OfferStatus.PENDING).update(
        expires_at=clock.now() - timedelta(seconds=1)
    )
    undispatched = Order.filter(id__in=ids, status__in=SEEKING, dispatch_round=0)
    stalled = set(await undispatched.values_list("id", flat=True))
    await undispatched.update(updated_at=clock.now() - STALL_AFTER - timedelta(seconds=1))

    async def each_order_has_a_live_offer() -> bool:
        now = clock.now()
        waiting = Offer.filter(order_id__in=ids, status=OfferStatus.PENDING)
        if await waiting.filter(expires_at__lte=now).exists():
            return False
        live = set(await waiting.filter(expires_at__gt=now).values_list("order_id", flat=True))
        return live == set(ids)

    await until(each_order_has_a_live_offer, "A's workers dispatched B's orders again")
    statuses = await Order.filter(id__in=ids).values_list("status", flat=True)
    assert set(statuses) == {OrderStatus.DISPATCHING}
    for order_id, offers in (await offers_of(ids)).items():
        if order_id in stalled:  # stored but not dispatched when B died: dispatched now
            assert offers == [(1, near.id, OfferStatus.PENDING)]
        else:  # offered to the nearest provider, expired, then offered to the next
            assert offers == [(1, near.id, OfferStatus.EXPIRED), (2, far.id, OfferStatus.PENDING)]
