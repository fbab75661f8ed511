"""Benchmark: hotline intake, tickets created per second with idempotency keys.

On the demo city with the hotline's catalogue (SQLite, a fresh file unless ``--db``; with
``--tickets N`` demo tickets loaded first), in one process through the app's own lifespan
(database, broadcaster, sweeper), httpx's ASGI transport (no network), ``--concurrency``
clients:

* ``raw``: baseline, a plain Starlette route in the same app and process inserting the
  same ticket row (channel, category, grid and path resolved beforehand) with one INSERT;
* ``createTicket``: ``POST /graphql createTicket(input: {…, location, idempotencyKey})``
  signed in as a hotline agent: the input checked, the location resolved to its grid,
  the channel and category looked up, the likely-duplicate check, the day's number, the
  ticket and its RECEIVE step written in one transaction, the event published, the
  ticket read back, through the whole app;
* ``retry``: every one of those requests sent again with its idempotency key: each must
  return the first ticket (counted), none is created twice.

Also the SQL statements per created ticket and per retry (one client at a time).

    python bench/intake.py [--tickets 1000] [--concurrency 8] [--db PATH] [--seed-tickets 0]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import random
import sqlite3
import tempfile
import uuid
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx2
from harness import Timing, counting_statements, machine, measure
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Mount, Route
from tortoise import connections

from accounts.models import Account
from api import db
from api.app import create_app
from api.settings import Settings
from grids.demo import seed_demo_city
from grids.models import Area, AreaLevel, Channel
from tickets.demo.seed import seed_ticket_catalogue
from tickets.demo.tickets import seed_demo_tickets
from tickets.intake import TicketRequest
from tickets.lifecycle import TicketStatus
from tickets.models import Category, Ticket
from tickets.sla import SlaWarning, TicketKind, Urgency
from wuyou.bulk import insert_rows

CHANNEL = "HL-12345"
CREATE = """mutation($input: CreateTicketInput!) {
  createTicket(input: $input) { ticket { number status } errors { field code message } } }"""
_TITLES = ("小区楼道灯不亮", "楼上漏水到我家", "路边占道经营", "供暖温度不达标", "噪音扰民")


async def _prepare(url: str, tickets: int) -> dict[str, Any]:
    """Migrate and seed; what the calls are drawn from."""
    await db.migrate(url)
    await db.connect(url)
    try:
        await seed_demo_city()
        await seed_ticket_catalogue()
        if tickets:
            await seed_demo_tickets(tickets)
        grids = await Area.filter(level=AreaLevel.GRID, population__gt=0).values(
            "id", "path", "centroid_lat", "centroid_lng"
        )
        leaves = await Category.filter(level=3, is_active=True, urgency_hint__isnull=True).values(
            "id", "code"
        )
        channel = await Channel.get(code=CHANNEL)
        agent = await Account.get(username="demo-agent")
        return {"grids": grids, "leaves": leaves, "channel": channel.id, "agent": agent.id}
    finally:
        await db.disconnect()


def _requests(city: dict[str, Any], count: int, seed: int) -> list[dict[str, Any]]:
    """``count`` calls to record: a place, a category, a caller, a key each."""
    rng = random.Random(seed)
    calls = []
    for n in range(count):
        grid, leaf = rng.choice(city["grids"]), rng.choice(city["leaves"])
        calls.append(
            {
                "grid": grid,
                "leaf": leaf,
                "input": {
                    "channel": CHANNEL,
                    "kind": "REQUEST",
                    "title": rng.choice(_TITLES),
                    "content": f"市民来电反映：{rng.choice(_TITLES)}，请尽快处理。（压测 {n}）",
                    "category": leaf["code"],
                    "citizenName": "压测市民",
                    "citizenPhone": f"139{rng.randrange(10**8):08d}",
                    "location": {"lat": grid["centroid_lat"], "lng": grid["centroid_lng"]},
                    "address": "压测小区 1 号楼",
                    "idempotencyKey": uuid.uuid4().hex,
                },
            }
        )
    return calls


def baseline_app(city: dict[str, Any]) -> Starlette:
    """The raw route: the same row as createTicket's, with one INSERT."""
    numbers = itertools.count(1)
    run = uuid.uuid4().hex[:6].upper()

    async def create(request: Request) -> JSONResponse:
        body = await request.json()
        now = datetime.now(UTC)
        given = body["input"]
        ticket = TicketRequest(
            channel=CHANNEL,
            kind=TicketKind(given["kind"]),
            title=given["title"],
            content=given["content"],
            category=given["category"],
            citizen_name=given["citizenName"],
            citizen_phone=given["citizenPhone"],
            lat=given["location"]["lat"],
            lng=given["location"]["lng"],
            address=given["address"],
            idempotency_key=given["idempotencyKey"],
        )
        number = f"RAW{run}{next(numbers):08d}"
        await insert_rows(Ticket, [_row(ticket, number, body, city, now)])
        return JSONResponse({"number": number})

    return Starlette(routes=[Route("/tickets", create, methods=["POST"])])


def _row(
    ticket: TicketRequest, number: str, body: dict[str, Any], city: dict[str, Any], now: datetime
) -> dict[str, Any]:
    return {
        "number": number,
        "channel_id": city["channel"],
        "kind": ticket.kind,
        "category_id": body["leafId"],
        "urgency": Urgency.NORMAL,
        "status": TicketStatus.RECEIVED,
        "title": ticket.title,
        "content": ticket.content,
        "citizen_name": ticket.citizen_name,
        "citizen_phone": ticket.citizen_phone,
        "citizen_id": None,
        "lat": ticket.lat,
        "lng": ticket.lng,
        "address": ticket.address,
        "grid_id": body["gridId"],
        "area_path": body["path"],
        "department_id": None,
        "created_by_id": city["agent"],
        "idempotency_key": ticket.idempotency_key,
        "request_digest": ticket.digest(),
        "likely_duplicate_of_id": None,
        "merged_into_id": None,
        "resolved_at_intake": False,
        "cited_article_id": None,
        "desk": None,
        "resolved_on_site": False,
        "photos": [],
        "urge_count": 0,
        "return_count": 0,
        "reopen_count": 0,
        "supervised": False,
        "reply": "",
        "satisfaction": None,
        "received_at": now,
        "dispatched_at": None,
        "signed_at": None,
        "resolved_at": None,
        "revisited_at": None,
        "closed_at": None,
        "sign_deadline": None,
        "reply_deadline": None,
        "complete_deadline": None,
        "revisit_deadline": None,
        "due_at": None,
        "check_at": None,
        "warning": SlaWarning.NONE,
        "updated_at": now,
    }


async def _run(
    client: httpx2.AsyncClient, city: dict[str, Any], count: int, concurrency: int
) -> tuple[list[Timing], dict[str, float], int]:
    login = await client.post(
        "/graphql",
        json={
            "query": 'mutation { login(input: {username: "demo-agent", password: "demo"}) '
            "{ token } }"
        },
    )
    headers = {"Authorization": f"Bearer {login.json()['data']['login']['token']}"}
    first: dict[str, str] = {}

    async def graphql(call: dict[str, Any]) -> str:
        response = await client.post(
            "/graphql",
            json={"query": CREATE, "variables": {"input": call["input"]}},
            headers=headers,
        )
        body = response.json()
        assert "errors" not in body, body["errors"]
        payload = body["data"]["createTicket"]
        assert payload["errors"] == [], payload["errors"]
        number: str = payload["ticket"]["number"]
        return number

    async def raw(call: dict[str, Any]) -> str:
        body = {
            "input": call["input"],
            "leafId": call["leaf"]["id"],
            "gridId": call["grid"]["id"],
            "path": call["grid"]["path"],
        }
        response = await client.post("/baseline/tickets", json=body)
        number: str = response.json()["number"]
        return number

    def each(
        calls: Sequence[dict[str, Any]], do: Callable[[dict[str, Any]], Awaitable[str]]
    ) -> Callable[[int], Awaitable[None]]:
        async def call(i: int) -> None:
            number = await do(calls[i])
            key = calls[i]["input"]["idempotencyKey"]
            first.setdefault(key, number)
            assert first[key] == number, "a retry made a second ticket"

        return call

    # Warm-up, then one client at a time for the statements each call costs.
    warm = _requests(city, 20, seed=1)
    for call in warm:
        await graphql(call)
        await raw(call | {"input": call["input"] | {"idempotencyKey": uuid.uuid4().hex}})
    counted = _requests(city, 50, seed=2)
    statements: dict[str, float] = {}
    numbers = []
    with counting_statements() as counter:
        for call in counted:
            numbers.append(await graphql(call))
    statements["createTicket"] = counter.statements / len(counted)
    with counting_statements() as counter:
        for call, number in zip(counted, numbers, strict=True):
            assert await graphql(call) == number
    statements["retry"] = counter.statements / len(counted)
    with counting_statements() as counter:
        for call in _requests(city, 50, seed=3):
            await raw(call)
    statements["raw"] = counter.statements / 50

    calls = _requests(city, count, seed=4)
    raw_calls = _requests(city, count, seed=5)
    before = len(first)
    timings = [
        await measure("raw", each(raw_calls, raw), count, concurrency),
        await measure("createTicket", each(calls, graphql), count, concurrency),
    ]
    created = len(first) - before
    timings.append(await measure("retry", each(calls, graphql), count, concurrency))
    retried = len(first) - before - created  # 0: every retry returned its first ticket
    assert retried == 0
    return timings, statements, count


async def main(path: Path | None, count: int, concurrency: int, seed_tickets: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite://{path or Path(tmp) / 'intake.sqlite3'}"
        # Seeding in a task of its own keeps its ORM context out of the app's tasks.
        city = await asyncio.create_task(_prepare(url, seed_tickets))
        settings = Settings.from_env({}, database_url=url, log_level="WARNING", log_json=False)
        wuyou = create_app(settings)
        app = Starlette(
            routes=[Mount("/baseline", baseline_app(city)), Mount("/", wuyou)],
            lifespan=wuyou.router.lifespan_context,
        )
        async with app.router.lifespan_context(app):
            tickets_before = await Ticket.all().count()
            transport = httpx2.ASGITransport(app=app)
            async with httpx2.AsyncClient(transport=transport, base_url="http://bench") as client:
                timings, statements, retries = await _run(client, city, count, concurrency)
            tickets_after = await Ticket.all().count()
            keys = await Ticket.filter(idempotency_key__isnull=False).count()
            distinct = len(
                set(
                    await Ticket.filter(idempotency_key__isnull=False).values_list(
                        "created_by_id", "idempotency_key"
                    )
                )
            )
            assert keys == distinct
            driver = connections.get("default").capabilities.dialect
    _report(timings, statements, retries, concurrency, tickets_before, tickets_after, driver)


def _report(
    timings: Sequence[Timing],
    statements: dict[str, float],
    retries: int,
    concurrency: int,
    before: int,
    after: int,
    driver: str,
) -> None:
    print(
        f"intake benchmark, {machine()}, {driver} {sqlite3.sqlite_version}, "
        f"{timings[0].calls} calls each, concurrency {concurrency}; tickets {before:,} → {after:,}"
    )
    print()
    raw = timings[0]
    print("| path | tickets/s | ratio to raw | p50 ms | p99 ms | SQL statements per call |")
    print("|---|---:|---:|---:|---:|---:|")
    for timing in timings:
        print(
            f"| {timing.name} | {timing.per_second:.0f} | {timing.per_second / raw.per_second:.2f}"
            f" | {timing.p50_ms:.1f} | {timing.p99_ms:.1f} | {statements[timing.name]:.1f} |"
        )
    print()
    print(f"{retries} retries with a used idempotency key: each returned its first ticket.")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--tickets", type=int, default=1000, help="tickets created per path")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--db", type=Path, default=None, help="SQLite file (default: a new one)")
    parser.add_argument("--seed-tickets", type=int, default=0, help="demo tickets loaded first")
    args = parser.parse_args()
    asyncio.run(main(args.db, args.tickets, args.concurrency, args.seed_tickets))
