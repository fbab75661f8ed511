"""Benchmark: the citizen orders, the platform dispatches, the merchant hears it live.

On the demo city with its 1,300 commercial merchants (SQLite), a real uvicorn server in
this process, real HTTP and a real graphql-transport-ws websocket:

* ``latency``    — from sending ``placeOrder`` until the ``offers`` subscription of the
                   nearest merchant delivers the offer (one order at a time);
* ``throughput`` — ``placeOrder`` calls (random service types all over the city) from
                   concurrent clients: orders placed and dispatched per second;

each against a baseline in the same server and run: a plain Starlette route doing the
least the feature needs in raw SQL (find the grid, find candidate providers, insert an
offer row) and pushing the offer through an asyncio queue to a plain websocket.

    python bench/dispatch.py [--orders 300] [--concurrency 8]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import random
import socket
import statistics
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path
from typing import Any

import httpx2
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.websockets import WebSocket
from tortoise import connections
from websockets.asyncio.client import connect as ws_connect

from accounts.models import Role
from accounts.service import Principal, find_account
from api import db
from api.app import create_app
from api.settings import Settings
from grids.demo import seed_demo_city
from grids.geometry import cell_key, covers
from merchants import providers
from merchants.demo import seed_demo_merchants
from plugins.identifiers import credit_code_check_character
from plugins.registry import service_registry
from plugins.service_types import ProviderKind
from wuyou import clock

PLACE = """mutation($input: PlaceOrderInput!) { placeOrder(input: $input) {
    order { number status } errors { field code } } }"""
BENCH_CREDIT_CODE = "91150302MA0BENCH0"
OFFERS = "subscription { offers { kind offer { id job { number } } } }"
GRID_SQL = (
    "SELECT a.id, a.path, a.boundary FROM grid_cell c JOIN area a ON a.id = c.area_id "
    "WHERE c.cell = ? ORDER BY a.code"
)
CANDIDATES_SQL = (
    "SELECT DISTINCT m.id, m.base_lat, m.base_lng FROM merchant m "
    "JOIN merchant_service s ON s.merchant_id = m.id "
    "JOIN merchant_area ma ON ma.merchant_id = m.id "
    "WHERE m.status = 'APPROVED' AND m.on_duty AND m.active_orders < m.capacity "
    "AND s.service_type = ? AND ma.area_path IN ({})"
)


def baseline_app(bench_merchant: int) -> Starlette:
    """The least the feature needs, by hand: one grid lookup, one candidate query, one insert,
    and a queue to the merchant's websocket."""
    queues: dict[int, asyncio.Queue[str]] = {}

    async def place(request: Request) -> JSONResponse:
        body = await request.json()
        conn = connections.get("default")
        cells = await conn.execute_query_dict(GRID_SQL, [cell_key(body["lat"], body["lng"])])
        grid = next(g for g in cells if covers(json.loads(g["boundary"]), body["lat"], body["lng"]))
        codes = grid["path"].rstrip("/").split("/")
        paths = ["/".join(codes[: i + 1]) + "/" for i in range(len(codes))]
        sql = CANDIDATES_SQL.format(", ".join("?" for _ in paths))
        candidates = await conn.execute_query_dict(sql, [body["serviceType"], *paths])
        candidates.sort(
            key=lambda m: (m["base_lat"] - body["lat"]) ** 2 + (m["base_lng"] - body["lng"]) ** 2
        )
        chosen = candidates[0]["id"] if candidates else None
        number = uuid.uuid4().hex[:16]
        await conn.execute_query(
            "INSERT INTO bench_offer (number, merchant_id, payload) VALUES (?, ?, ?)",
            [number, chosen, json.dumps(body)],
        )
        queue = queues.get(chosen or -1)
        if queue is not None:
            queue.put_nowait(json.dumps({"kind": "OFFERED", "number": number}))
        return JSONResponse({"number": number, "merchant": chosen})

    async def offers(websocket: WebSocket) -> None:
        await websocket.accept()
        queue: asyncio.Queue[str] = asyncio.Queue()
        queues[bench_merchant] = queue

        async def forward() -> None:
            while True:
                await websocket.send_text(await queue.get())

        forwarding = asyncio.create_task(forward())
        try:
            await websocket.receive()  # returns when the client goes away
        finally:
            forwarding.cancel()
            queues.pop(bench_merchant, None)

    return Starlette(
        routes=[Route("/place", place, methods=["POST"]), WebSocketRoute("/offers", offers)]
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _prepare(
    url: str, merchants: int
) -> tuple[dict[str, Any], int, list[tuple[float, float]]]:
    """Seed the city and its merchants; register the bench's own merchant in one grid."""
    await db.migrate(url)
    await db.connect(url)
    try:
        await seed_demo_city()
        await seed_demo_merchants(merchants)
        conn = connections.get("default")
        await conn.execute_script(
            "CREATE TABLE bench_offer (number TEXT PRIMARY KEY, merchant_id INT, payload TEXT)"
        )
        grids = await conn.execute_query_dict(
            "SELECT code, centroid_lat, centroid_lng FROM area WHERE level = 'GRID' ORDER BY code"
        )
        grid = grids[len(grids) // 2]
        admin = await find_account("demo-admin")
        assert admin is not None
        record = await providers.register_merchant(
            providers.Registration(
                name="压测挪车服务部",
                kind=ProviderKind.COMMERCIAL,
                credit_code=BENCH_CREDIT_CODE + credit_code_check_character(BENCH_CREDIT_CODE),
                contact_name="压测",
                contact_phone="13900000000",
                address="",
                base_lat=grid["centroid_lat"],
                base_lng=grid["centroid_lng"],
                capacity=10,
                services=[
                    providers.ServiceOffering(
                        "car_moving", [providers.QualificationDocument("parking_service", "B-1")]
                    )
                ],
                area_codes=[grid["code"]],
                staff_username="bench-merchant",
                staff_password="bench-password",
            )
        )
        await providers.review_merchant(
            merchant_id=record.id,
            decision="APPROVE",
            note="",
            actor=Principal(admin.id, admin.username, Role.ADMIN),
        )
        staff = await find_account("bench-merchant")
        assert staff is not None
        await providers.set_on_duty(
            on_duty=True, actor=Principal(staff.id, staff.username, Role.MERCHANT)
        )
        points = [(g["centroid_lat"], g["centroid_lng"]) for g in grids]
        return grid, record.id, points
    finally:
        await db.disconnect()


def _percentiles(latencies: list[float]) -> tuple[float, float]:
    latencies = sorted(latencies)
    return statistics.median(latencies) * 1000, latencies[
        max(0, int(len(latencies) * 0.99) - 1)
    ] * 1000


async def _latency(
    place: Callable[[int], Awaitable[str]], receive: Callable[[], Awaitable[str]], orders: int
) -> list[float]:
    """Place one order at a time and wait for its offer on the merchant's websocket."""
    latencies = []
    for i in range(orders):
        started = time.perf_counter()
        number = await place(i)
        while await receive() != number:
            pass
        latencies.append(time.perf_counter() - started)
    return latencies


async def _throughput(
    call: Callable[[int], Awaitable[Any]], orders: int, concurrency: int
) -> float:
    queue = list(range(orders))

    async def worker() -> None:
        while queue:
            await call(queue.pop())

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return orders / (time.perf_counter() - started)


async def main(orders: int, concurrency: int, merchants: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite://{Path(tmp) / 'bench.sqlite3'}"
        # Seeding in a task of its own keeps its ORM context out of the server's tasks.
        grid, bench_merchant, points = await asyncio.create_task(_prepare(url, merchants))
        settings = Settings.from_env({}, database_url=url, log_level="WARNING", log_json=False)
        wuyou = create_app(settings)
        app = Starlette(
            routes=[Mount("/baseline", baseline_app(bench_merchant)), Mount("/", wuyou)],
            lifespan=wuyou.router.lifespan_context,  # the database, broadcaster and sweeper
        )
        port = _free_port()
        server = uvicorn.Server(
            uvicorn.Config(
                app, port=port, log_level="warning", lifespan="on", timeout_graceful_shutdown=2
            )
        )
        serving = asyncio.create_task(server.serve())
        while not server.started:
            if serving.done():
                raise RuntimeError("the server did not start") from serving.exception()
            await asyncio.sleep(0.05)
        try:
            results = await _run(f"127.0.0.1:{port}", grid, points, orders, concurrency)
        finally:
            server.should_exit = True
            await serving
    _report(results, orders, concurrency, merchants)


async def _run(
    host: str,
    grid: dict[str, Any],
    points: list[tuple[float, float]],
    orders: int,
    concurrency: int,
) -> dict[str, Any]:
    async with httpx2.AsyncClient(base_url=f"http://{host}", timeout=30) as client:

        async def login(username: str, password: str) -> str:
            response = await client.post(
                "/graphql",
                json={
                    "query": "mutation($u: String!, $p: String!) { login(input: {username: $u,"
                    " password: $p}) { token } }",
                    "variables": {"u": username, "p": password},
                },
            )
            body = response.json()
            assert body.get("data"), body
            token: str = body["data"]["login"]["token"]
            return token

        citizen = await login("demo-citizen", "demo")
        merchant = await login("bench-merchant", "bench-password")
        headers = {"Authorization": f"Bearer {citizen}"}
        examples = {t.code: t.example(clock.now()) for t in service_registry() if t.example}
        commercial = [
            t.code for t in service_registry() if t.provider_kind is ProviderKind.COMMERCIAL
        ]
        rng = random.Random(7)

        async def place_graphql(
            i: int, service_type: str = "car_moving", at: tuple[float, float] | None = None
        ) -> str:
            lat, lng = at or (grid["centroid_lat"], grid["centroid_lng"])
            response = await client.post(
                "/graphql",
                headers=headers,
                json={
                    "query": PLACE,
                    "variables": {
                        "input": {
                            "serviceType": service_type,
                            "form": examples[service_type],
                            "location": {"lat": lat, "lng": lng},
                            "address": "压测小区",
                            "contactName": "压测",
                            "contactPhone": "13800000000",
                            "idempotencyKey": uuid.uuid4().hex,
                        }
                    },
                },
            )
            payload = response.json()["data"]["placeOrder"]
            assert payload["errors"] == [], payload
            number: str = payload["order"]["number"]
            return number

        async def place_raw(
            i: int, service_type: str = "car_moving", at: tuple[float, float] | None = None
        ) -> str:
            lat, lng = at or (grid["centroid_lat"], grid["centroid_lng"])
            response = await client.post(
                "/baseline/place", json={"serviceType": service_type, "lat": lat, "lng": lng}
            )
            number: str = response.json()["number"]
            return number

        results: dict[str, Any] = {}
        async with ws_connect(f"ws://{host}/graphql", subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
            await ws.send(json.dumps({"type": "connection_init", "payload": {"token": merchant}}))
            await ws.recv()
            await ws.send(
                json.dumps({"id": "1", "type": "subscribe", "payload": {"query": OFFERS}})
            )

            async def receive_graphql() -> str:
                message = json.loads(await asyncio.wait_for(ws.recv(), 10))
                assert message["type"] == "next", message
                event = message["payload"]["data"]["offers"]
                number: str = event["offer"]["job"]["number"] if event["kind"] == "OFFERED" else ""
                return number

            await asyncio.sleep(0.5)
            await _latency(place_graphql, receive_graphql, 20)  # warm-up
            async with ws_connect(f"ws://{host}/baseline/offers") as raw_ws:

                async def receive_raw() -> str:
                    number: str = json.loads(await asyncio.wait_for(raw_ws.recv(), 10))["number"]
                    return number

                await _latency(place_raw, receive_raw, 20)
                results["latency"] = {
                    "raw": _percentiles(await _latency(place_raw, receive_raw, orders)),
                    "graphql": _percentiles(await _latency(place_graphql, receive_graphql, orders)),
                }

        def spread(place: Callable[..., Awaitable[str]]) -> Callable[[int], Awaitable[str]]:
            choices = [(rng.choice(commercial), rng.choice(points)) for _ in range(orders)]

            async def call(i: int) -> str:
                service_type, at = choices[i]
                return await place(i, service_type, at)

            return call

        results["throughput"] = {
            "raw": await _throughput(spread(place_raw), orders, concurrency),
            "graphql": await _throughput(spread(place_graphql), orders, concurrency),
        }
        return results


def _report(results: dict[str, Any], orders: int, concurrency: int, merchants: int) -> None:
    print(
        f"dispatch benchmark, {date.today()}, {platform.machine()} Python "
        f"{platform.python_version()}, SQLite, {merchants} commercial merchants, "
        f"{orders} orders, concurrency {concurrency}"
    )
    raw, graphql = results["latency"]["raw"], results["latency"]["graphql"]
    print(f"{'placeOrder → offer on websocket':<34}{'p50 ms':>9}{'p99 ms':>9}{'ratio p50':>11}")
    print(f"{'raw':<34}{raw[0]:>9.1f}{raw[1]:>9.1f}{1.0:>11.2f}")
    print(f"{'graphql':<34}{graphql[0]:>9.1f}{graphql[1]:>9.1f}{raw[0] / graphql[0]:>11.2f}")
    raw_rate, rate = results["throughput"]["raw"], results["throughput"]["graphql"]
    print(f"{'orders dispatched per second':<34}{'orders/s':>9}{'ratio':>20}")
    print(f"{'raw':<34}{raw_rate:>9.0f}{1.0:>20.2f}")
    print(f"{'graphql':<34}{rate:>9.0f}{rate / raw_rate:>20.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--orders", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--merchants", type=int, default=1300)
    args = parser.parse_args()
    asyncio.run(main(args.orders, args.concurrency, args.merchants))
