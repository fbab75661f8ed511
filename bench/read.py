"""Benchmark: the front-ends' hottest reads through the real app, each against a plain
Starlette + SQL route in the same process returning the same JSON.

On the demo city with its 1,300 merchants and a year of tickets (50,000; SQLite, seeded
once into ``--db`` and reused), four operations, each one GraphQL document a front-end
sends:

* ``tickets``  — the agent console's list: a page of 50 tickets with their department,
                 grid, category, channel and deadlines (demo-agent);
* ``merchant`` — the merchant app's desk: its 50 latest offers and 50 latest orders
                 (demo-merchant, given 100 orders at preparation: pending, declined,
                 accepted, in service and completed ones);
* ``areas``    — a tree widget: a district with its streets, communities and grids;
* ``stats``    — the dashboard: ``hotlineStats`` over the last 30 days (demo-agent).

Each through three paths, side by side:

* ``raw``      — baseline: a plain Starlette route running the SQL by hand (joins, the
                 same permission rule for the signed-in role) and answering the same JSON;
* ``standard`` — the app with ``compiled_reads=False``: Strawberry's executor;
* ``compiled`` — the app with ``compiled_reads=True`` (schema/compiled/; where no compiled
                 read exists it is the standard path).

By default in one process (httpx ASGI transport, no network) at ``--concurrency``, with
the SQL statements of one request of each. ``--workers N`` serves the baseline routes and
the app side by side from real uvicorn servers with 1 and then N worker processes, driven
over HTTP (keep-alive) from ``--clients`` load-generating processes, and reports each
worker's peak RSS. Figures are ratios against ``raw`` measured in the same run; see
bench/README.md.

    python bench/read.py [--db PATH] [--seconds 3] [--concurrency 8]
    python bench/read.py --workers 2 [--clients 2]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import multiprocessing
import os
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack, asynccontextmanager, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

import httpx2
import uvloop
from harness import Timing, counting_statements, latencies, machine, measure
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from tortoise import connections

from accounts.models import Account, Role
from accounts.service import Principal
from accounts.tokens import TokenIssuer
from api import db
from api.app import create_app, freeze_heap
from api.cli import DEMO_MERCHANTS, DEMO_TICKETS
from api.settings import Settings
from grids.demo import DEMO_PASSWORD, seed_demo_city
from merchants.demo import DEMO_MERCHANT_ACCOUNT, DEMO_MERCHANT_CREDIT_CODE, seed_demo_merchants
from merchants.dispatch import accept_offer, decline_offer
from merchants.models import Merchant, Offer, Order
from merchants.orders import OrderRequest, complete_order, place_order, start_service
from merchants.privacy import masked_form
from plugins.registry import service_registry
from tickets.demo.seed import seed_ticket_catalogue
from tickets.demo.tickets import seed_demo_tickets
from tickets.knowledge.demo import seed_demo_articles
from tickets.lifecycle import TicketStatus
from tickets.models import Ticket
from tickets.queries import PENDING
from tickets.stats import UNCATEGORISED, WITHOUT_DEPARTMENT
from tickets.visibility import PUBLIC_STATUS
from wuyou import clock
from wuyou.clock import CITY_TIMEZONE
from wuyou.errors import Unauthenticated
from wuyou.privacy import mask_name, mask_phone

BENCH_DIR = Path(__file__).resolve().parent
DEFAULT_DB = Path(tempfile.gettempdir()) / "wuyou-bench-read.sqlite3"
PATHS = ("raw", "standard", "compiled")
AGENT = "demo-agent"
DISTRICT = "150302"
PAGE = 50
STATS_DAYS = 30
#: Orders demo-citizen places for demo-merchant at preparation, keyed by this prefix.
MERCHANT_ORDERS = 100
ORDER_KEY = "bench-read-"
#: Service types demo-merchant serves that offer the nearest provider first: an order at
#: its base reaches it.
NEAREST_FIRST = ("car_moving", "road_rescue", "unlocking", "pipe_dredging", "water_delivery")
#: What becomes of the orders, by their place in each run of 20 (offers: 60% accepted,
#: 15% declined, 25% left pending; accepted orders: 45 of 60 completed, 10 in service).
FATES = ("COMPLETE",) * 9 + ("SERVE",) * 2 + ("ACCEPT",) + ("DECLINE",) * 3 + ("PEND",) * 5
CENTS = Decimal("0.01")
WARM_UP_CALLS = 16
MIN_CALLS = 50

TICKETS = """query AgentTickets { tickets(first: 50) {
  totalCount pageInfo { hasNextPage endCursor }
  edges { cursor node { id number kind urgency title status publicStatus receivedAt dueAt
    warning citizenName citizenPhone address department { code name } grid { code name }
    category { code name } channel { code name } deadlines { sign complete } } } } }"""
MERCHANT = """query MerchantDesk {
  myOffers(first: 50) { id status round rank distanceKm offeredAt expiresAt secondsLeft
    job { number urgent form contactName contactPhone placedAt quote { amount note }
      serviceType { code name } grid { code name } } }
  orders(first: 50) { totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { id number status urgent address contactName contactPhone placedAt
      acceptedAt startedAt finishedAt quote { amount } finalPrice serviceType { code name }
      grid { code name } } } } }"""
AREAS = """query AreaTree { area(code: "150302") { code name level population
  children { code name level population
    children { code name level population
      children { code name level gridType population } } } } }"""
STATS = """query Dashboard($from: DateTime!, $to: DateTime!) {
  hotlineStats(filter: {from: $from, to: $to}) {
    total { received resolvedAtIntake firstContactRate dispatched completed completedOnTime
      onTimeCompletionRate signed signedOnTime signOnTimeRate returns overdueNow revisited
      satisfied basicallySatisfied unsatisfied satisfactionRate }
    byChannel { key name figures { ...Row } }
    byCategory { key name figures { ...Row } }
    byDepartment { key name figures { ...Row } }
    byDay { key figures { received completed overdueNow } } } }
fragment Row on HotlineFigures {
  received firstContactRate onTimeCompletionRate signOnTimeRate satisfactionRate overdueNow }"""
LOGIN = """mutation($username: String!, $password: String!) {
  login(input: {username: $username, password: $password}) { token } }"""


@dataclass(frozen=True, slots=True)
class Facts:
    """What the prepared database holds, for the report and the operations' variables."""

    tickets: int
    merchants: int
    offers: int
    orders: int
    areas: int
    stats_from: datetime
    stats_to: datetime


@dataclass(frozen=True, slots=True)
class Operation:
    """One front-end read: who sends it, the GraphQL request, and its baseline route."""

    name: str
    account: str
    body: Mapping[str, Any]
    raw: str


def operations(facts: Facts) -> list[Operation]:
    """The four reads, with the dashboard's period from ``facts``."""
    period = {"from": facts.stats_from.isoformat(), "to": facts.stats_to.isoformat()}
    return [
        Operation("tickets", AGENT, {"query": TICKETS}, "/raw/tickets"),
        Operation("merchant", DEMO_MERCHANT_ACCOUNT, {"query": MERCHANT}, "/raw/merchant"),
        Operation("areas", AGENT, {"query": AREAS}, "/raw/areas"),
        Operation("stats", AGENT, {"query": STATS, "variables": period}, "/raw/stats"),
    ]


# --- preparation ---------------------------------------------------------------------


async def prepare(path: Path) -> Facts:
    """Seed the demo city, merchants, catalogue and tickets into ``path`` unless there,
    give demo-merchant its orders, and say what the database holds."""
    url = f"sqlite://{path}"
    await db.migrate(url)
    await db.connect(url)
    try:
        await seed_demo_city()
        await seed_demo_merchants(DEMO_MERCHANTS)
        await seed_ticket_catalogue()
        await seed_demo_articles()
        await seed_demo_tickets(DEMO_TICKETS)
        await _give_demo_merchant_orders()
        return await _facts()
    finally:
        await db.disconnect()


async def _principal(username: str) -> Principal:
    account = await Account.get(username=username)
    return Principal(account.id, account.username, account.role)


async def _give_demo_merchant_orders() -> None:
    """demo-citizen orders :data:`MERCHANT_ORDERS` services at demo-merchant's base through
    the domain, and demo-merchant answers each offer by :data:`FATES`. Idempotent: orders
    already placed (by their idempotency key) are not placed again."""
    citizen = await _principal("demo-citizen")
    staff = await _principal(DEMO_MERCHANT_ACCOUNT)
    merchant = await Merchant.get(credit_code=DEMO_MERCHANT_CREDIT_CODE)
    placed = await Order.filter(
        placed_by_id=citizen.account_id, idempotency_key__startswith=ORDER_KEY
    ).count()
    registry = service_registry()
    types = [t for code in NEAREST_FIRST if (t := registry.get(code)) and t.example]
    for i in range(placed, MERCHANT_ORDERS):
        service_type = types[i % len(types)]
        assert service_type.example is not None
        order = await place_order(
            OrderRequest(
                service_type=service_type.code,
                form=service_type.example(clock.now()),
                lat=merchant.base_lat,
                lng=merchant.base_lng,
                address=f"海勃湾区新华街道 {i % 40 + 1} 号楼",
                contact_name=("王", "李", "张", "刘", "陈")[i % 5]
                + ("伟", "芳", "娜", "强")[i % 4],
                contact_phone=f"1390473{i:04d}",
                idempotency_key=f"{ORDER_KEY}{i:03d}",
            ),
            actor=citizen,
        )
        offer = await Offer.get_or_none(order_id=order.id, merchant_id=merchant.id)
        fate = FATES[i % len(FATES)]
        if offer is None or fate == "PEND":
            continue
        if fate == "DECLINE":
            await decline_offer(offer_id=offer.id, reason="师傅都在外面，赶不过去。", actor=staff)
            continue
        await accept_offer(offer_id=offer.id, actor=staff)
        if fate == "ACCEPT":
            continue
        await start_service(number=order.number, actor=staff)
        if fate == "COMPLETE":
            price = None if order.quoted_amount is not None else "80.00"
            await complete_order(
                number=order.number, final_price=price, outcome=None, outcome_note="", actor=staff
            )


async def _facts() -> Facts:
    latest = await Ticket.all().order_by("-received_at").first().values_list("received_at")
    assert latest is not None
    day = latest[0].astimezone(CITY_TIMEZONE).replace(hour=0, minute=0, second=0, microsecond=0)
    merchant = await Merchant.get(credit_code=DEMO_MERCHANT_CREDIT_CODE)
    connection = connections.get("default")
    areas = await connection.execute_query_dict(
        "SELECT COUNT(*) AS n FROM area WHERE path LIKE "
        "(SELECT path FROM area WHERE code = ?) || '%'",
        [DISTRICT],
    )
    return Facts(
        tickets=await Ticket.all().count(),
        merchants=await Merchant.all().count(),
        offers=await Offer.filter(merchant_id=merchant.id).count(),
        orders=await Order.filter(merchant_id=merchant.id).count(),
        areas=areas[0]["n"],
        stats_from=day + timedelta(days=1 - STATS_DAYS),
        stats_to=day + timedelta(days=1),
    )


# --- the baseline: plain Starlette routes, SQL by hand ---------------------------------

VIEWER_SQL = """SELECT a.role, a.is_active, a.token_version, s.merchant_id FROM account a
LEFT JOIN merchant_staff s ON s.account_id = a.id WHERE a.id = ?"""
TICKET_COUNT_SQL = """SELECT (SELECT COUNT(*) FROM ticket)
  - (SELECT COUNT(*) FROM ticket WHERE status = 'MERGED') AS n"""
TICKET_PAGE_SQL = """SELECT t.id, t.number, t.kind, t.urgency, t.title, t.status,
  t.closed_at, t.received_at, t.due_at, t.warning, t.citizen_name, t.citizen_phone,
  t.address, t.sign_deadline, t.complete_deadline,
  d.code AS department_code, d.name AS department_name, g.code AS grid_code,
  g.name AS grid_name, c.code AS category_code, c.name AS category_name,
  ch.code AS channel_code, ch.name AS channel_name
FROM ticket t
LEFT JOIN department d ON d.id = t.department_id
LEFT JOIN area g ON g.id = t.grid_id
LEFT JOIN ticket_category c ON c.id = t.category_id
JOIN channel ch ON ch.id = t.channel_id
WHERE t.status <> 'MERGED'
ORDER BY t.received_at DESC, t.id DESC LIMIT ?"""
OFFERS_SQL = """SELECT f.id, f.status, f.round, f.rank, f.distance_km, f.offered_at,
  f.expires_at, o.number, o.urgent, o.form, o.contact_name, o.contact_phone, o.placed_at,
  o.quote, o.service_type, g.code AS grid_code, g.name AS grid_name
FROM offer f JOIN service_order o ON o.id = f.order_id JOIN area g ON g.id = o.grid_id
WHERE f.merchant_id = ? ORDER BY f.offered_at DESC, f.id DESC LIMIT ?"""
ORDER_COUNT_SQL = "SELECT COUNT(*) AS n FROM service_order WHERE merchant_id = ?"
ORDER_PAGE_SQL = """SELECT o.id, o.number, o.status, o.urgent, o.address, o.contact_name,
  o.contact_phone, o.placed_at, o.accepted_at, o.started_at, o.finished_at, o.quote,
  o.final_amount, o.service_type, g.code AS grid_code, g.name AS grid_name
FROM service_order o JOIN area g ON g.id = o.grid_id
WHERE o.merchant_id = ? ORDER BY o.id DESC LIMIT ?"""
AREA_TREE_SQL = """SELECT id, code, name, level, grid_type, population, parent_id FROM area
WHERE path LIKE (SELECT path FROM area WHERE code = ?) || '%' ORDER BY code"""
_COMPLETED = """t.status IN ('RESOLVED', 'CLOSED') AND t.dispatched_at IS NOT NULL
  AND t.resolved_at IS NOT NULL AND t.resolved_on_site = 0"""
_OPEN = ", ".join(f"'{status.value}'" for status in sorted(PENDING))
_TALLIED = f"""COUNT(*) AS received,
  COUNT(CASE WHEN t.resolved_at_intake = 1 AND t.reopen_count = 0 THEN 1 END)
    AS resolved_at_intake,
  COUNT(t.dispatched_at) AS dispatched,
  COUNT(CASE WHEN {_COMPLETED} THEN 1 END) AS completed,
  COUNT(CASE WHEN {_COMPLETED} AND t.resolved_at <= t.complete_deadline THEN 1 END)
    AS completed_on_time,
  COUNT(t.signed_at) AS signed,
  COUNT(CASE WHEN t.signed_at <= t.sign_deadline THEN 1 END) AS signed_on_time,
  COUNT(CASE WHEN t.satisfaction = 'SATISFIED' THEN 1 END) AS satisfied,
  COUNT(CASE WHEN t.satisfaction = 'BASICALLY_SATISFIED' THEN 1 END) AS basically_satisfied,
  COUNT(CASE WHEN t.due_at < ? AND t.status IN ({_OPEN}) THEN 1 END) AS overdue_now,
  COALESCE(SUM(t.return_count), 0) AS returns,
  COALESCE(SUM(t.reopen_count), 0) AS unsatisfied"""
_COHORT = "t.received_at >= ? AND t.received_at < ? AND t.status <> 'MERGED'"
#: The cohort's figures by channel, level-1 category and department at once.
STATS_CELLS_SQL = f"""SELECT ch.code AS channel_code, ch.name AS channel_name,
  r.code AS category_code, r.name AS category_name,
  d.code AS department_code, d.name AS department_name, {_TALLIED}
FROM ticket t
JOIN channel ch ON ch.id = t.channel_id
LEFT JOIN ticket_category c ON c.id = t.category_id
LEFT JOIN ticket_category r ON r.code = substr(c.code, 1, instr(c.code || '.', '.') - 1)
LEFT JOIN department d ON d.id = t.department_id
WHERE {_COHORT}
GROUP BY t.channel_id, r.code, t.department_id"""
_CITY_OFFSET = int(CITY_TIMEZONE.utcoffset(None).total_seconds())
#: The cohort's figures by the city's day.
STATS_DAYS_SQL = f"""SELECT date(t.received_at, '+{_CITY_OFFSET} seconds') AS day, {_TALLIED}
FROM ticket t WHERE {_COHORT} GROUP BY day ORDER BY day"""
#: Each breakdown, the cells' columns it groups by, and the name of its group "none".
_BREAKDOWNS = (
    ("byChannel", "channel", ""),
    ("byCategory", "category", UNCATEGORISED),
    ("byDepartment", "department", WITHOUT_DEPARTMENT),
)
_FIGURES = (
    "received", "resolvedAtIntake", "firstContactRate", "dispatched", "completed",
    "completedOnTime", "onTimeCompletionRate", "signed", "signedOnTime", "signOnTimeRate",
    "returns", "overdueNow", "revisited", "satisfied", "basicallySatisfied", "unsatisfied",
    "satisfactionRate",
)  # fmt: skip
_ROW_FIGURES = (
    "received", "firstContactRate", "onTimeCompletionRate", "signOnTimeRate",
    "satisfactionRate", "overdueNow",
)  # fmt: skip
_DAY_FIGURES = ("received", "completed", "overdueNow")
_TALLIES = (
    "received", "resolved_at_intake", "dispatched", "completed", "completed_on_time", "signed",
    "signed_on_time", "satisfied", "basically_satisfied", "overdue_now", "returns",
    "unsatisfied",
)  # fmt: skip


class Viewer(NamedTuple):
    """Who a baseline request comes from."""

    account_id: int
    role: Role
    merchant_id: int | None


def _json(data: object) -> Response:
    body = json.dumps({"data": data}, ensure_ascii=False, separators=(",", ":"))
    return Response(body.encode(), media_type="application/json")


def _denied(status: int) -> Response:
    return Response(b'{"errors":[{"message":"denied"}]}', status, media_type="application/json")


def _gid(type_name: str, key: object) -> str:
    """A Relay global id, as Strawberry writes it."""
    return base64.b64encode(f"{type_name}:{key}".encode()).decode()


def _cursor(kind: str, key: str) -> str:
    """A list's cursor, as the app writes it."""
    return base64.urlsafe_b64encode(f"{kind}:{key}".encode()).decode()


def _time(text: str | None) -> str | None:
    """A stored time as Strawberry writes a DateTime (ISO-8601 with its offset)."""
    return None if text is None else datetime.fromisoformat(text).isoformat()


def _pair(row: Mapping[str, Any], prefix: str) -> dict[str, Any] | None:
    code = row[f"{prefix}_code"]
    return None if code is None else {"code": code, "name": row[f"{prefix}_name"]}


def _service_type(code: str) -> dict[str, str] | None:
    spec = service_registry().get(code)
    return None if spec is None else {"code": spec.code, "name": spec.name}


def _sum(tallies: Sequence[Mapping[str, Any]]) -> dict[str, int]:
    """The tallies added up, figure by figure."""
    return {name: sum(tally[name] for tally in tallies) for name in _TALLIES}


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _figures(tally: Mapping[str, int], wanted: Sequence[str]) -> dict[str, Any]:
    """The figures of one group as hotlineStats names them, those in ``wanted`` in order."""
    revisited = tally["satisfied"] + tally["basically_satisfied"] + tally["unsatisfied"]
    every = {
        "received": tally["received"],
        "resolvedAtIntake": tally["resolved_at_intake"],
        "firstContactRate": _ratio(tally["resolved_at_intake"], tally["received"]),
        "dispatched": tally["dispatched"],
        "completed": tally["completed"],
        "completedOnTime": tally["completed_on_time"],
        "onTimeCompletionRate": _ratio(tally["completed_on_time"], tally["completed"]),
        "signed": tally["signed"],
        "signedOnTime": tally["signed_on_time"],
        "signOnTimeRate": _ratio(tally["signed_on_time"], tally["signed"]),
        "returns": tally["returns"],
        "overdueNow": tally["overdue_now"],
        "revisited": revisited,
        "satisfied": tally["satisfied"],
        "basicallySatisfied": tally["basically_satisfied"],
        "unsatisfied": tally["unsatisfied"],
        "satisfactionRate": _ratio(tally["satisfied"] + tally["basically_satisfied"], revisited),
    }
    return {name: every[name] for name in wanted}


def _sql_time(moment: datetime) -> str:
    """A time as Tortoise writes it into SQLite (UTC text), to compare with stored ones."""
    return moment.astimezone(UTC).isoformat(" ")


def baseline_app(settings: Settings) -> Starlette:
    """The baseline routes: each reads the bearer token and the account as the app does,
    applies the same rule for the signed-in role (other roles are refused), runs its SQL
    and writes the JSON the app writes."""
    issuer = TokenIssuer(settings.secret_key, timedelta(seconds=settings.token_ttl_seconds))

    async def viewer(request: Request) -> Viewer | None:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer":
            return None
        try:
            claims = issuer.decode(token.strip())
        except Unauthenticated:
            return None
        rows = await connections.get("default").execute_query_dict(VIEWER_SQL, [claims.account_id])
        if not rows or not rows[0]["is_active"]:
            return None
        if rows[0]["token_version"] != claims.token_version:
            return None
        return Viewer(claims.account_id, Role(rows[0]["role"]), rows[0]["merchant_id"])

    async def tickets(request: Request) -> Response:
        await request.body()
        who = await viewer(request)
        if who is None or who.role not in (Role.AGENT, Role.ADMIN):  # they see every ticket
            return _denied(403)
        connection = connections.get("default")
        total = (await connection.execute_query_dict(TICKET_COUNT_SQL))[0]["n"]
        rows = await connection.execute_query_dict(TICKET_PAGE_SQL, [PAGE + 1])
        edges = []
        for row in rows[:PAGE]:
            received = _time(row["received_at"])
            status = TicketStatus(row["status"])
            public = (
                "CLOSED"
                if status is TicketStatus.MERGED and row["closed_at"] is not None
                else PUBLIC_STATUS[status].value
            )
            node = {
                "id": _gid("Ticket", row["number"]),
                "number": row["number"],
                "kind": row["kind"],
                "urgency": row["urgency"],
                "title": row["title"],
                "status": row["status"],
                "publicStatus": public,
                "receivedAt": received,
                "dueAt": _time(row["due_at"]),
                "warning": row["warning"],
                "citizenName": row["citizen_name"],  # agents see them unmasked
                "citizenPhone": row["citizen_phone"],
                "address": row["address"],
                "department": _pair(row, "department"),
                "grid": _pair(row, "grid"),
                "category": _pair(row, "category"),
                "channel": _pair(row, "channel"),
                "deadlines": {
                    "sign": _time(row["sign_deadline"]),
                    "complete": _time(row["complete_deadline"]),
                },
            }
            key = f"RECEIVED_DESC|{received}|{row['id']}"
            edges.append({"cursor": _cursor("Ticket", key), "node": node})
        page_info = {
            "hasNextPage": len(rows) > PAGE,
            "endCursor": edges[-1]["cursor"] if edges else None,
        }
        return _json({"tickets": {"totalCount": total, "pageInfo": page_info, "edges": edges}})

    async def merchant(request: Request) -> Response:
        await request.body()
        who = await viewer(request)
        if who is None or who.role is not Role.MERCHANT or who.merchant_id is None:
            return _denied(403)
        connection = connections.get("default")
        now = clock.now()
        offers = []
        for row in await connection.execute_query_dict(OFFERS_SQL, [who.merchant_id, PAGE]):
            expires = datetime.fromisoformat(row["expires_at"])
            quote = json.loads(row["quote"])
            offers.append(
                {
                    "id": _gid("Offer", row["id"]),
                    "status": row["status"],
                    "round": row["round"],
                    "rank": row["rank"],
                    "distanceKm": row["distance_km"],
                    "offeredAt": _time(row["offered_at"]),
                    "expiresAt": expires.isoformat(),
                    "secondsLeft": max(0, int((expires - now).total_seconds()))
                    if row["status"] == "PENDING"
                    else 0,
                    "job": {  # masked until accepted
                        "number": row["number"],
                        "urgent": bool(row["urgent"]),
                        "form": masked_form(row["service_type"], json.loads(row["form"])),
                        "contactName": mask_name(row["contact_name"]),
                        "contactPhone": mask_phone(row["contact_phone"]),
                        "placedAt": _time(row["placed_at"]),
                        "quote": {"amount": quote["amount"], "note": quote["note"]},
                        "serviceType": _service_type(row["service_type"]),
                        "grid": _pair(row, "grid"),
                    },
                }
            )
        total = (await connection.execute_query_dict(ORDER_COUNT_SQL, [who.merchant_id]))[0]
        rows = await connection.execute_query_dict(ORDER_PAGE_SQL, [who.merchant_id, PAGE + 1])
        edges = []
        for row in rows[:PAGE]:
            final = row["final_amount"]
            node = {
                "id": _gid("Order", row["number"]),
                "number": row["number"],
                "status": row["status"],
                "urgent": bool(row["urgent"]),
                "address": row["address"],
                "contactName": row["contact_name"],
                "contactPhone": row["contact_phone"],
                "placedAt": _time(row["placed_at"]),
                "acceptedAt": _time(row["accepted_at"]),
                "startedAt": _time(row["started_at"]),
                "finishedAt": _time(row["finished_at"]),
                "quote": {"amount": json.loads(row["quote"])["amount"]},
                "finalPrice": None if final is None else str(Decimal(final).quantize(CENTS)),
                "serviceType": _service_type(row["service_type"]),
                "grid": _pair(row, "grid"),
            }
            edges.append({"cursor": _cursor("Order", str(row["id"])), "node": node})
        page_info = {
            "hasNextPage": len(rows) > PAGE,
            "endCursor": edges[-1]["cursor"] if edges else None,
        }
        orders = {"totalCount": total["n"], "pageInfo": page_info, "edges": edges}
        return _json({"myOffers": offers, "orders": orders})

    async def areas(request: Request) -> Response:
        await request.body()
        rows = await connections.get("default").execute_query_dict(AREA_TREE_SQL, [DISTRICT])
        children: dict[int | None, list[dict[str, Any]]] = defaultdict(list)
        for row in rows:
            children[row["parent_id"]].append(row)

        def node(row: Mapping[str, Any], depth: int) -> dict[str, Any]:
            if depth == 3:
                return {
                    "code": row["code"],
                    "name": row["name"],
                    "level": row["level"],
                    "gridType": row["grid_type"],
                    "population": row["population"],
                }
            return {
                "code": row["code"],
                "name": row["name"],
                "level": row["level"],
                "population": row["population"],
                "children": [node(child, depth + 1) for child in children[row["id"]]],
            }

        top = next((row for row in rows if row["code"] == DISTRICT), None)
        return _json({"area": None if top is None else node(top, 0)})

    async def stats(request: Request) -> Response:
        period = (await request.json())["variables"]
        who = await viewer(request)
        if who is None or who.role not in (Role.AGENT, Role.ADMIN):  # they see any cohort
            return _denied(403)
        start = _sql_time(datetime.fromisoformat(period["from"]))
        end = _sql_time(datetime.fromisoformat(period["to"]))
        now = _sql_time(clock.now())
        connection = connections.get("default")
        cells = await connection.execute_query_dict(STATS_CELLS_SQL, [now, start, end])
        figures: dict[str, Any] = {"total": _figures(_sum(cells), _FIGURES)}
        for breakdown, column, none in _BREAKDOWNS:
            groups: dict[str | None, list[dict[str, Any]]] = defaultdict(list)
            names: dict[str | None, str] = {None: none}
            for cell in cells:
                key = cell[f"{column}_code"]
                groups[key].append(cell)
                names.setdefault(key, cell[f"{column}_name"])
            tallies = sorted(
                ((key, _sum(group)) for key, group in groups.items()),
                key=lambda kv: (-kv[1]["received"], kv[0] is None, kv[0] or ""),
            )
            figures[breakdown] = [
                {"key": key, "name": names[key], "figures": _figures(tally, _ROW_FIGURES)}
                for key, tally in tallies
            ]
        days = await connection.execute_query_dict(STATS_DAYS_SQL, [now, start, end])
        figures["byDay"] = [
            {"key": day["day"], "figures": _figures(day, _DAY_FIGURES)} for day in days
        ]
        return _json({"hotlineStats": figures})

    async def pid(request: Request) -> Response:
        return Response(str(os.getpid()).encode(), media_type="text/plain")

    return Starlette(
        routes=[
            Route("/tickets", tickets, methods=["POST"]),
            Route("/merchant", merchant, methods=["POST"]),
            Route("/areas", areas, methods=["POST"]),
            Route("/stats", stats, methods=["POST"]),
            Route("/pid", pid),
        ]
    )


# --- the apps under test -----------------------------------------------------------


def bench_app(settings: Settings) -> Starlette:
    """The baseline under /raw and the app twice, under /standard (Strawberry's executor)
    and /compiled (the compiled read path)."""
    return Starlette(
        routes=[
            Mount("/raw", baseline_app(settings)),
            Mount("/standard", create_app(settings.with_(compiled_reads=False))),
            Mount("/compiled", create_app(settings.with_(compiled_reads=True))),
        ]
    )


def server_app() -> Starlette:
    """What each uvicorn worker of ``--workers`` serves (an app factory): the app at /graphql
    with the baseline routes beside it under /raw, settings from the environment, the
    sweeper off (the benchmark reads; nothing is due)."""
    settings = Settings.from_env(sweep_interval_ms=0)
    app = create_app(settings)

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        async with app.router.lifespan_context(app):
            yield

    return Starlette(
        routes=[Mount("/raw", baseline_app(settings)), Mount("/", app)], lifespan=lifespan
    )


# --- comparing answers ---------------------------------------------------------------


def _difference(expected: object, found: object, where: str = "") -> str:
    """Where two parsed JSON documents first differ."""
    if isinstance(expected, dict) and isinstance(found, dict):
        for key in [*expected, *(k for k in found if k not in expected)]:
            if expected.get(key, ...) != found.get(key, ...):
                return _difference(expected.get(key), found.get(key), f"{where}.{key}")
    elif isinstance(expected, list) and isinstance(found, list) and len(expected) == len(found):
        for i, (a, b) in enumerate(zip(expected, found, strict=True)):
            if a != b:
                return _difference(a, b, f"{where}[{i}]")
    text = json.dumps(expected, ensure_ascii=False)[:300]
    return f"{where or '.'}: raw {text}, app {json.dumps(found, ensure_ascii=False)[:300]}"


def verdicts(answers: Mapping[str, bytes]) -> dict[str, str]:
    """How each path's answer compares with raw's: ``identical`` bytes, or the ``same
    JSON`` once parsed (key order or spacing differ); AssertionError when they differ."""
    expected = json.loads(answers["raw"])
    if "errors" in expected or not expected.get("data"):
        raise AssertionError(f"the baseline failed: {answers['raw'][:300]!r}")
    found: dict[str, str] = {}
    for path, body in answers.items():
        parsed = json.loads(body)
        if body == answers["raw"]:
            found[path] = "identical"
        elif parsed == expected:
            found[path] = "same JSON"
        else:
            raise AssertionError(f"{path} differs at {_difference(expected, parsed)}")
    return found


async def checked(
    name: str, calls: Mapping[str, Callable[[int], Awaitable[bytes]]]
) -> dict[str, str]:
    """:func:`verdicts` of one answer of each path, asked up to three times: times running
    on (an offer's secondsLeft, a ticket turning overdue) may move between two answers."""
    for attempt in range(3):
        try:
            return verdicts({path: await call(0) for path, call in calls.items()})
        except AssertionError as problem:
            if attempt == 2:
                raise AssertionError(f"{name}: {problem}") from None
    raise AssertionError("unreachable")


def _poster(
    client: httpx2.AsyncClient, url: str, body: Mapping[str, Any], token: str
) -> Callable[[int], Awaitable[bytes]]:
    """A call posting ``body`` to ``url`` as the holder of ``token``: the answer's bytes."""
    payload = json.dumps(body).encode()
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    async def call(i: int) -> bytes:
        response = await client.post(url, content=payload, headers=headers)
        if response.status_code != 200:
            raise RuntimeError(f"{url}: {response.status_code} {response.text[:300]}")
        return response.content

    return call


async def _tokens(client: httpx2.AsyncClient, url: str) -> dict[str, str]:
    """A bearer token of each account the operations sign in as, from the login mutation."""
    tokens: dict[str, str] = {}
    for account in (AGENT, DEMO_MERCHANT_ACCOUNT):
        variables = {"username": account, "password": DEMO_PASSWORD}
        login = await client.post(url, json={"query": LOGIN, "variables": variables})
        tokens[account] = login.json()["data"]["login"]["token"]
    return tokens


def _progress(operation: str, path: str, timing: Timing) -> None:
    print(f"  {operation} {path}: {timing.per_second:.0f} req/s", file=sys.stderr, flush=True)


# --- in one process ------------------------------------------------------------------


class Row(NamedTuple):
    """One operation through one path, in one process."""

    operation: str
    path: str
    timing: Timing
    #: CPU time of this process (every thread: SQLite's too) per request, in ms.
    cpu_ms: float
    statements: int
    answer: str


async def _timed(
    name: str, call: Callable[[int], Awaitable[object]], seconds: float, concurrency: int
) -> tuple[Timing, float]:
    """Warm up, then time about ``seconds`` worth of calls (at least :data:`MIN_CALLS`):
    their timing and the CPU time this process spent per call, in ms (what others running
    on the machine meanwhile change least)."""
    warm = await measure(name, call, WARM_UP_CALLS, concurrency)
    calls = max(MIN_CALLS, round(warm.per_second * seconds))
    cpu = time.process_time()
    timing = await measure(name, call, calls, concurrency)
    return timing, (time.process_time() - cpu) / calls * 1000


async def in_process(path: Path, facts: Facts, seconds: float, concurrency: int) -> list[Row]:
    """Each operation through each path of :func:`bench_app`, in this process: answers
    compared, one request's SQL statements counted, then timed."""
    url = f"sqlite://{path}"
    await db.connect(url)
    rows: list[Row] = []
    try:
        settings = Settings.from_env({}, database_url=url, log_level="WARNING")
        transport = httpx2.ASGITransport(app=bench_app(settings))
        async with httpx2.AsyncClient(transport=transport, base_url="http://bench") as client:
            tokens = await _tokens(client, "/standard/graphql")
            freeze_heap("start-up")  # as the app's lifespan does, which runs in servers
            for operation in operations(facts):
                token = tokens[operation.account]
                calls = {
                    p: _poster(client, operation.raw if p == "raw" else f"/{p}/graphql",
                               operation.body, token)
                    for p in PATHS
                }  # fmt: skip
                answers = await checked(operation.name, calls)
                for p, call in calls.items():
                    with counting_statements() as counter:
                        await call(0)
                    timing, cpu_ms = await _timed(p, call, seconds, concurrency)
                    rows.append(
                        Row(operation.name, p, timing, cpu_ms, counter.statements, answers[p])
                    )
                    _progress(operation.name, p, timing)
    finally:
        await db.disconnect()
    return rows


# --- real servers: uvicorn workers over HTTP -----------------------------------------


class Served(NamedTuple):
    """One operation through one path of a server with ``workers`` worker processes."""

    operation: str
    path: str
    workers: int
    timing: Timing
    server_cpu: float
    client_cpu: float


class Worker(NamedTuple):
    """One worker process of a server with ``workers``: its resident memory in MB idle
    after start-up, at its peak (VmHWM) once the benchmark's accounts have logged in
    (argon2 hashes a password in 64 MiB) and at its peak under the reads alone, and the
    CPU seconds it spent serving them."""

    workers: int
    pid: int
    idle_mb: float
    login_peak_mb: float
    peak_mb: float
    cpu_seconds: float


class Server(NamedTuple):
    """A running benchmark server: its URL and its worker processes."""

    base_url: str
    pids: tuple[int, ...]


def _status(pid: int, field: str) -> float:
    """A ``kB`` field of /proc/<pid>/status (VmRSS, VmHWM), in MB."""
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        line = next(line for line in status if line.startswith(f"{field}:"))
    return int(line.split()[1]) / 1024


def _reset_peak(pid: int) -> None:
    """Set the peak RSS (VmHWM) of process ``pid`` back to its RSS now (Linux 4.0+)."""
    with open(f"/proc/{pid}/clear_refs", "w", encoding="ascii") as refs:
        refs.write("5")


def _cpu_seconds(pids: Sequence[int]) -> float:
    """The CPU time (user and system) the processes ``pids`` have used so far."""
    ticks = 0
    for pid in pids:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def serve(path: Path, workers: int) -> Iterator[Server]:
    """``uvicorn`` with ``workers`` worker processes serving :func:`server_app` on
    ``path``, until every worker answers and its memory has settled."""
    port = _free_port()
    env = {**os.environ, "WUYOU_DATABASE_URL": f"sqlite://{path}", "WUYOU_LOG_LEVEL": "WARNING"}
    command = [
        sys.executable, "-m", "uvicorn", "read:server_app", "--factory",
        "--app-dir", str(BENCH_DIR), "--host", "127.0.0.1", "--port", str(port),
        "--workers", str(workers), "--log-level", "warning", "--no-access-log",
    ]  # fmt: skip
    process = subprocess.Popen(command, env=env)
    base_url = f"http://127.0.0.1:{port}"
    try:
        pids: set[int] = set()
        deadline = time.monotonic() + 120
        while len(pids) < workers:  # a new connection each time, so each worker answers
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"uvicorn with {workers} workers did not start")
            try:
                pids.add(int(httpx2.get(f"{base_url}/raw/pid", timeout=5).text))
            except httpx2.TransportError:
                time.sleep(0.2)
        _settle(sorted(pids))
        yield Server(base_url, tuple(sorted(pids)))
    finally:
        process.terminate()
        process.wait(60)


def _settle(pids: Sequence[int]) -> None:
    """Wait until the workers' memory stops growing (the knowledge search's word list
    loads in a thread after start-up), at most 20 s."""
    previous: list[float] = []
    for _ in range(40):
        current = [_status(pid, "VmRSS") for pid in pids]
        if previous and all(abs(a - b) < 1 for a, b in zip(current, previous, strict=True)):
            return
        previous = current
        time.sleep(0.5)


def drive(
    base_url: str, url: str, payload: bytes, headers: Mapping[str, str], calls: int,
    concurrency: int,
) -> tuple[list[float], float, float, float]:  # fmt: skip
    """In a load-generating process: ``calls`` POSTs of ``payload`` to ``url`` over
    ``concurrency`` keep-alive connections. Each call's latency, when the calls started
    and ended (``time.perf_counter``, one clock for all processes), and the CPU seconds
    this process spent."""

    async def run() -> tuple[list[float], float, float, float]:
        limits = httpx2.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
        async with httpx2.AsyncClient(base_url=base_url, limits=limits, timeout=120) as client:

            async def call(i: int) -> None:
                response = await client.post(url, content=payload, headers=headers)
                if response.status_code != 200:
                    raise RuntimeError(f"{url}: {response.status_code} {response.text[:300]}")

            await latencies(call, concurrency, concurrency)  # open the connections
            cpu, started = time.process_time(), time.perf_counter()
            found, _ = await latencies(call, calls, concurrency)
            return found, started, time.perf_counter(), time.process_time() - cpu

    return uvloop.run(run())


def _spread(total: int, parts: int) -> list[int]:
    """``total`` in ``parts`` shares as even as they go."""
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]


def _served(
    pool: ProcessPoolExecutor, clients: int, server: Server, operation: Operation, path: str,
    token: str, seconds: float, concurrency: int,
) -> Served:  # fmt: skip
    """Warm up, then about ``seconds`` worth of calls from ``clients`` processes sharing
    ``concurrency`` connections; the server's and the clients' CPU time meanwhile."""
    url = operation.raw if path == "raw" else "/graphql"
    payload = json.dumps(operation.body).encode()
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    found, started, ended, _ = pool.submit(
        drive, server.base_url, url, payload, headers, WARM_UP_CALLS, concurrency
    ).result()
    calls = max(MIN_CALLS, round(len(found) / (ended - started) * seconds))
    server_cpu = _cpu_seconds(server.pids)
    jobs = [
        pool.submit(drive, server.base_url, url, payload, headers, share, links)
        for share, links in zip(_spread(calls, clients), _spread(concurrency, clients), strict=True)
    ]
    results = [job.result() for job in jobs]
    server_cpu = _cpu_seconds(server.pids) - server_cpu
    elapsed = max(r[2] for r in results) - min(r[1] for r in results)
    timing = Timing.of(path, [x for r in results for x in r[0]], elapsed)
    return Served(
        operation.name,
        path,
        len(server.pids),
        timing,
        server_cpu / elapsed,
        sum(r[3] for r in results) / elapsed,
    )


async def _check_served(server: Server, facts: Facts) -> dict[str, str]:
    """Log in over HTTP and check that each operation's /graphql answer is raw's."""
    async with httpx2.AsyncClient(base_url=server.base_url, timeout=120) as client:
        tokens = await _tokens(client, "/graphql")
        for operation in operations(facts):
            token = tokens[operation.account]
            await checked(
                operation.name,
                {
                    "raw": _poster(client, operation.raw, operation.body, token),
                    "graphql": _poster(client, "/graphql", operation.body, token),
                },
            )
    return tokens


def with_workers(
    path: Path, facts: Facts, workers: int, clients: int, seconds: float, concurrency: int
) -> tuple[list[Served], list[Worker]]:
    """Each operation through raw and /graphql of a server with 1 worker and one with
    ``workers`` (if more), both up at once and measured in turn, operation by operation,
    so that the load others put on the machine meanwhile falls on both alike; each
    worker's memory and CPU time."""
    served: list[Served] = []
    context = multiprocessing.get_context("spawn")
    with ExitStack() as stack:
        pool = stack.enter_context(ProcessPoolExecutor(clients, mp_context=context))
        list(pool.map(time.sleep, [1.0] * clients))  # start every client process now
        servers = [stack.enter_context(serve(path, count)) for count in sorted({1, workers})]
        pids = [pid for server in servers for pid in server.pids]
        idle = {pid: _status(pid, "VmRSS") for pid in pids}
        tokens = [asyncio.run(_check_served(server, facts)) for server in servers]
        login_peak = {pid: _status(pid, "VmHWM") for pid in pids}
        for pid in pids:
            _reset_peak(pid)
        cpu = {pid: _cpu_seconds([pid]) for pid in pids}
        for operation in operations(facts):
            for server, token in zip(servers, tokens, strict=True):
                for p in ("raw", "graphql"):
                    served.append(
                        _served(pool, clients, server, operation, p, token[operation.account],
                                seconds, concurrency)
                    )  # fmt: skip
                    label = f"{p} ({len(server.pids)} workers)"
                    _progress(operation.name, label, served[-1].timing)
        processes = [
            Worker(len(server.pids), pid, idle[pid], login_peak[pid], _status(pid, "VmHWM"),
                   _cpu_seconds([pid]) - cpu[pid])
            for server in servers
            for pid in server.pids
        ]  # fmt: skip
    return served, processes


# --- the report ----------------------------------------------------------------------


def describe(facts: Facts) -> str:
    return (
        f"SQLite {sqlite3.sqlite_version}, {facts.tickets:,} tickets, {facts.merchants:,} "
        f"providers; demo-merchant {facts.offers} offers, {facts.orders} orders; district "
        f"{DISTRICT}: {facts.areas} areas; stats {facts.stats_from:%Y-%m-%d} – "
        f"{facts.stats_to:%Y-%m-%d}"
    )


def print_in_process(rows: Sequence[Row]) -> None:
    print(
        "| operation | path | req/s | ratio to raw | p50 ms | p99 ms | CPU ms/request "
        "| CPU ratio | SQL/request | answer |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---|"
    )
    base = {r.operation: r for r in rows if r.path == "raw"}
    for r in rows:
        t, raw = r.timing, base[r.operation]
        print(
            f"| {r.operation} | {r.path} | {t.per_second:.0f} | "
            f"{t.per_second / raw.timing.per_second:.2f} | {t.p50_ms:.1f} | {t.p99_ms:.1f} | "
            f"{r.cpu_ms:.1f} | {raw.cpu_ms / r.cpu_ms:.2f} | {r.statements} | {r.answer} |"
        )


def print_workers(served: Sequence[Served], processes: Sequence[Worker]) -> None:
    rate = {(s.operation, s.path, s.workers): s.timing.per_second for s in served}
    print(
        "| operation | path | workers | req/s | ratio to raw | gain over 1 worker | p50 ms "
        "| p99 ms | server CPU | client CPU |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
    )
    for s in served:
        t = s.timing
        raw = rate[(s.operation, "raw", s.workers)]
        gain = t.per_second / rate[(s.operation, s.path, 1)]
        print(
            f"| {s.operation} | {s.path} | {s.workers} | {t.per_second:.0f} | "
            f"{t.per_second / raw:.2f} | {gain:.2f} | {t.p50_ms:.1f} | {t.p99_ms:.1f} | "
            f"{s.server_cpu:.2f} | {s.client_cpu:.2f} |"
        )
    print(
        "\n| workers | worker pid | idle RSS MB | peak after log-ins MB | peak under the reads "
        "MB | ratio to idle | CPU s serving |\n|---:|---:|---:|---:|---:|---:|---:|"
    )
    for w in processes:
        print(
            f"| {w.workers} | {w.pid} | {w.idle_mb:.0f} | {w.login_peak_mb:.0f} | "
            f"{w.peak_mb:.0f} | {w.peak_mb / w.idle_mb:.2f} | {w.cpu_seconds:.0f} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=DEFAULT_DB, help="SQLite file, reused")
    parser.add_argument("--seconds", type=float, default=3.0, help="timed per path (about)")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument(
        "--workers", type=int, default=0, help="uvicorn workers (also runs 1); 0: in-process"
    )
    parser.add_argument("--clients", type=int, default=2, help="load-generating processes")
    args = parser.parse_args()
    started = time.perf_counter()
    facts = asyncio.run(prepare(args.db))
    prepared = time.perf_counter() - started
    print(f"read benchmark, {machine()}, load average {os.getloadavg()[0]:.1f}")
    print(f"{describe(facts)}; prepared in {prepared:.1f} s")
    if args.workers:
        print(
            f"uvicorn 1 and {args.workers} workers over HTTP, {args.clients} client processes, "
            f"concurrency {args.concurrency}, about {args.seconds:g} s per path; CPU in cores "
            "(server: its workers, client: the load generators)"
        )
        served, processes = with_workers(
            args.db, facts, args.workers, args.clients, args.seconds, args.concurrency
        )
        print_workers(served, processes)
    else:
        print(
            f"in-process (httpx ASGI transport), concurrency {args.concurrency}, about "
            f"{args.seconds:g} s per path"
        )
        print_in_process(asyncio.run(in_process(args.db, facts, args.seconds, args.concurrency)))
    print(f"total {time.perf_counter() - started:.0f} s, load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
