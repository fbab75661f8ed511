"""Benchmark: the hotline at 1,000,000 tickets, on SQLite and on PostgreSQL: filtered
ticket lists, ``hotlineStats`` over a month and a year, and the whole city's safety
index, each against the bare SQL it stands on.

The tickets are the demo generator's (``seed_demo_tickets``: a year of Wuhai's hotline
with its channels, seasons, places, departments and every history row), a million of
them, seeded once into ``--db`` (SQLite) and the database of ``--pg-url`` (created if
missing) and reused by later runs. For the load the tickets' secondary indexes are set
aside and built again afterwards; PostgreSQL is then vacuumed and analysed, as autovacuum
would soon.

Per database, each figure a median (p50) and p95 of ``--repeat`` calls after a warm-up,
one call at a time, in one process, no network:

* **lists**, each twice: its first page alone, then with its ``totalCount``:
  ``tickets.queries.list_tickets(principal, filter, first=50)`` (the domain: visibility,
  filter, keyset page), then also ``await page.count()``, and ``POST /graphql
  tickets(filter: …, first: 50) { pageInfo edges { node { … } } }`` through the whole
  app, then with ``totalCount`` selected; baseline ``raw``: the page's ``SELECT … ORDER BY
  received_at DESC, id DESC LIMIT 51``, then also its ``SELECT COUNT(*)``, written by hand
  and sent straight to the connection;
* **hotlineStats** for the last 30 days and the last 365: the domain function
  ``tickets.stats.hotline_stats`` and the GraphQL query with every breakdown; baseline:
  the bare GROUP BYs (by channel, category, department and day) with the same
  conditional counts;
* **safety index** of the city (150300) over the last 365 days and the last 30:
  ``grids.safety.index.safety_index`` and the GraphQL ``safetyIndex``; baseline: the two
  GROUP BYs by category (this period and the previous one).

    python bench/scale.py [--db PATH] [--pg-url URL] [--tickets 1000000] [--repeat 30]
                          [--backends sqlite,postgres] [--explain]

``--explain`` prints each baseline's plan (SQLite ``EXPLAIN QUERY PLAN``, PostgreSQL
``EXPLAIN ANALYZE``). Figures and what they say: bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sqlite3
import statistics
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import httpx2
from harness import machine, percentile, time_once
from tortoise import connections

from accounts.models import Account
from accounts.service import Principal
from api import db
from api.app import create_app
from api.settings import Settings
from grids.demo import seed_demo_city
from grids.safety.index import safety_index
from grids.safety.inputs import weight_sql
from grids.safety.settings import DEFAULT_SETTINGS
from tickets import tally
from tickets.demo.lives import KEY_PREFIX
from tickets.demo.seed import seed_ticket_catalogue
from tickets.demo.tickets import seed_demo_tickets
from tickets.lifecycle import TicketStatus
from tickets.models import Ticket, TicketEvent
from tickets.queries import PENDING, TicketFilter, TicketPage, list_tickets
from tickets.stats import StatsFilter, hotline_stats
from wuyou.clock import CITY_TIMEZONE

CITY = "150300"
DISTRICT = "150302"  # 海勃湾区, the most populous district
DEPARTMENT = "150300-RL"  # the heating company: the most tickets of any body
CATEGORY = "HEATING"
TEXT = "漏水"  # "leaking": in about 1.6% of the tickets
LONGER_TEXT = "暖气不热"  # "the heating is not warm": about 1.6% too
DEFAULT_DB = Path(tempfile.gettempdir()) / "wuyou-bench-scale.sqlite3"
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/wuyou_bench_scale"
PAGE = 50

# --- The baselines' SQL ("?" placeholders, numbered for PostgreSQL) --------------------

_COLUMNS = "t.*"
_MERGED = "status = 'MERGED'"
_LIVE = f"NOT t.{_MERGED}"
_NEWEST = "ORDER BY t.received_at DESC, t.id DESC LIMIT 51"
_STATS = """COUNT(*),
  COUNT(CASE WHEN t.resolved_at_intake AND t.reopen_count = 0 THEN 1 END),
  COUNT(t.dispatched_at),
  COUNT(CASE WHEN {completed} THEN 1 END),
  COUNT(CASE WHEN {completed} AND t.resolved_at <= t.complete_deadline THEN 1 END),
  COUNT(t.signed_at),
  COUNT(CASE WHEN t.signed_at <= t.sign_deadline THEN 1 END),
  COUNT(CASE WHEN t.satisfaction = 'SATISFIED' THEN 1 END),
  COUNT(CASE WHEN t.satisfaction = 'BASICALLY_SATISFIED' THEN 1 END),
  COUNT(CASE WHEN t.due_at < ? AND t.status IN ({pending}) THEN 1 END),
  SUM(t.return_count), SUM(t.reopen_count)""".format(
    completed="t.status IN ('RESOLVED', 'CLOSED') AND t.dispatched_at IS NOT NULL"
    " AND t.resolved_at IS NOT NULL AND NOT t.resolved_on_site",
    pending=", ".join(f"'{s.value}'" for s in sorted(PENDING)),
)
_COHORT = "t.received_at >= ? AND t.received_at < ? AND NOT t.status = 'MERGED'"
#: The domain's figures read the tickets of a category and those of none apart; SQLite's
#: by every category's id (tickets.figures.categorised).
_CATEGORISED = {
    "sqlite": "t.category_id IN (SELECT id FROM ticket_category)",
    "postgres": "t.category_id IS NOT NULL",
}
_CITY_RANGE = f"t.area_path >= '{CITY}/' AND t.area_path < '{CITY}0'"
_OFFSET = int(CITY_TIMEZONE.utcoffset(None).total_seconds())  # China keeps no summer time
_DAY = {
    "sqlite": f"date(t.received_at, '+{_OFFSET} seconds')",
    "postgres": f"CAST((t.received_at AT TIME ZONE 'UTC') + INTERVAL '{_OFFSET} seconds' AS DATE)",
}
#: The two passes of hotlineStats' figures.
_STATS_GROUPS = {
    dialect: ("t.category_id, t.department_id", f"t.channel_id, {day}")
    for dialect, day in _DAY.items()
}
_SAFETY = """SELECT t.category_id, COUNT(*), SUM({weight}),
  COUNT(CASE WHEN t.channel_id IN (SELECT id FROM channel WHERE kind = 'GRID') THEN 1 END),
  COUNT(CASE WHEN t.complete_deadline IS NOT NULL
             AND (t.resolved_at IS NOT NULL OR t.complete_deadline < ?) THEN 1 END),
  COUNT(CASE WHEN t.resolved_at <= t.complete_deadline THEN 1 END),
  COUNT(CASE WHEN t.satisfaction IN ('SATISFIED', 'BASICALLY_SATISFIED') THEN 1 END),
  SUM(t.reopen_count), COUNT(t.likely_duplicate_of_id)
FROM ticket t
WHERE {cohort} AND {city} AND {categorised}
GROUP BY t.category_id"""

# --- GraphQL ----------------------------------------------------------------------------

TICKETS = """query($filter: TicketFilter) {
  tickets(filter: $filter, first: 50) { %s pageInfo { hasNextPage endCursor }
    edges { node { number title status urgency receivedAt dueAt address
      category { code name } department { code name } } } } }"""
PAGE_ONLY, COUNTED = TICKETS % "", TICKETS % "totalCount"
_FIGURES = """received resolvedAtIntake firstContactRate dispatched completed completedOnTime
  onTimeCompletionRate signed signedOnTime signOnTimeRate returns overdueNow revisited
  satisfied basicallySatisfied unsatisfied satisfactionRate"""
STATS = f"""query($from: DateTime!, $to: DateTime!) {{
  hotlineStats(filter: {{from: $from, to: $to}}) {{ computedAt total {{ {_FIGURES} }}
    byChannel {{ key name figures {{ {_FIGURES} }} }}
    byCategory {{ key name figures {{ {_FIGURES} }} }}
    byDepartment {{ key name figures {{ {_FIGURES} }} }}
    byDay {{ key figures {{ received resolvedAtIntake completed overdueNow }} }}
    byDesk {{ desk received resolvedAtIntake consultations }}
    byArticle {{ key name figures {{ received resolvedAtIntake }} }} }} }}"""
INDEX = """query($from: DateTime!, $to: DateTime!) {
  safetyIndex(areaCode: "150300", from: $from, to: $to) { score change
    dimensions { dimension score change
      inputs { tickets weightedCount ratePer10k onTimeShare satisfactionShare repeatShare }
      parts { code score weight contribution }
      topCategories(first: 5) { category { code name } tickets weightedCount } } } }"""


@dataclass(frozen=True, slots=True)
class Figures:
    """p50 and p95 of one path, in milliseconds."""

    p50: float
    p95: float


@dataclass(frozen=True, slots=True)
class Case:
    """One measured thing: its baseline and the paths measured against it."""

    name: str
    raw: Figures
    paths: dict[str, Figures]
    rows: int  # what it counted: the list's totalCount, the cohort's tickets


class Progress:
    """Seeding progress on one line per stage."""

    def __init__(self) -> None:
        self.started = time.perf_counter()

    def stage(self, name: str, total: int) -> None:
        print(f"  {time.perf_counter() - self.started:7.1f} s  {name} ({total:,})", flush=True)

    def advance(self, steps: int = 1) -> None:
        pass


def _sql(text: str, dialect: str) -> str:
    """``text`` with its ``?`` placeholders as the database wants them."""
    if dialect == "sqlite":
        return text
    numbers = iter(range(1, text.count("?") + 1))
    return re.sub(r"\?", lambda _: f"${next(numbers)}", text)


def _now(params: list[Any]) -> list[Any]:
    """``params`` with each callable one (the time now) called."""
    return [param() if callable(param) else param for param in params]


def _param(moment: datetime, dialect: str) -> Any:
    """A time as the driver compares it with the stored ones (SQLite: UTC text)."""
    return moment.astimezone(UTC).isoformat(" ") if dialect == "sqlite" else moment


# --- Seeding ----------------------------------------------------------------------------


async def _create_database(url: str) -> None:
    """Create the PostgreSQL database of ``url`` unless it exists."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    server = urlunsplit(parts._replace(path="/postgres"))
    connection = await asyncpg.connect(server)
    try:
        if not await connection.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
            await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()


async def _secondary_indexes(table: str) -> list[tuple[str, str]]:
    """The (name, CREATE statement) of ``table``'s indexes that no constraint needs."""
    connection = connections.get("default")
    if connection.capabilities.dialect == "sqlite":
        _, rows = await connection.execute_query(
            "SELECT name, sql FROM sqlite_master"
            " WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
            [table],
        )
    else:
        _, rows = await connection.execute_query(
            "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x"
            " JOIN pg_class i ON i.oid = x.indexrelid"
            " WHERE x.indrelid = $1::regclass"
            " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)",
            [table],
        )
    return [(row[0], row[1]) for row in rows]


@asynccontextmanager
async def _indexes_set_aside(tables: Sequence[str]) -> AsyncIterator[None]:
    """Drop the tables' secondary indexes meanwhile and build them again after: a
    million rows go in several times faster, and each index is then built in one sort."""
    connection = connections.get("default")
    indexes = [index for table in tables for index in await _secondary_indexes(table)]
    for name, _ in indexes:
        await connection.execute_script(f'DROP INDEX "{name}"')
    try:
        yield
    finally:
        for name, statement in indexes:
            started = time.perf_counter()
            await connection.execute_script(statement)
            print(f"            index {name}: {time.perf_counter() - started:.1f} s", flush=True)


async def seed(url: str, tickets: int) -> float:
    """Migrate the database of ``url`` and load the demo city, the hotline's catalogue
    and ``tickets`` demo tickets unless loaded; the seconds it took."""
    started = time.perf_counter()
    if url.startswith("postgres"):
        await _create_database(url)
    await db.migrate(url)
    await db.connect(url)
    try:
        await seed_demo_city()
        await seed_ticket_catalogue()
        if not await Ticket.exists(idempotency_key__startswith=KEY_PREFIX):
            print(f"Seeding {tickets:,} tickets into {url}", flush=True)
            async with _indexes_set_aside([Ticket._meta.db_table, TicketEvent._meta.db_table]):
                await seed_demo_tickets(tickets, Progress())
            await tally.compact()  # one row per place and status, as counting would soon
            if url.startswith("postgres"):  # as autovacuum would, soon
                # The load left the tally a million dead rows ahead of its 3,000 live
                # ones, which a plain VACUUM frees but cannot cut off (97 MB read by
                # every count); a hotline's own day leaves a few thousand.
                await connections.get("default").execute_script(
                    "VACUUM FULL ticket_tally; VACUUM ANALYZE"
                )
    finally:
        await db.disconnect()
    return time.perf_counter() - started


# --- Measuring --------------------------------------------------------------------------


async def _figures(call: Callable[[], Awaitable[object]], repeat: int) -> Figures:
    await call()  # warm-up
    timings = await time_once(call, repeat)
    return Figures(statistics.median(timings), percentile(timings, 0.95))


async def _case(
    name: str,
    raw: Callable[[], Awaitable[object]],
    domain: Callable[[], Awaitable[object]],
    graphql: Callable[[], Awaitable[object]],
    rows: int,
    repeat: int,
) -> Case:
    """The figures of one case: its baseline, the domain and GraphQL."""
    paths = {"domain": await _figures(domain, repeat), "graphql": await _figures(graphql, repeat)}
    return Case(name, await _figures(raw, repeat), paths, rows)


async def _principal(username: str) -> Principal:
    account = await Account.get(username=username)
    return Principal(account.id, account.username, account.role)


@dataclass(frozen=True, slots=True)
class ListCase:
    """A ticket list: who asks, the filter, and the bare SQL of its count and its page
    (as the domain sends them: a long list's page walks the newest-first index)."""

    name: str
    username: str
    filter: TicketFilter
    variables: dict[str, Any]
    count: str
    page: str
    params: list[Any]
    page_params: list[Any]


def _list_case(
    name: str,
    filter: TicketFilter,
    variables: dict[str, Any],
    where: str,
    params: list[Any],
    *,
    walk: tuple[str, list[Any]] | None = None,
    username: str = "demo-agent",
) -> ListCase:
    """``where`` selects the list; ``walk``, if given, is how its page selects it."""
    page_where, page_params = walk or (where, params)
    return ListCase(
        name,
        username,
        filter,
        variables,
        f"SELECT COUNT(*) FROM ticket t WHERE {where}",
        f"SELECT {_COLUMNS} FROM ticket t WHERE {page_where} {_NEWEST}",
        params,
        page_params,
    )


def _list_cases(dialect: str, month: datetime, end: datetime) -> list[ListCase]:
    pending = ", ".join(f"'{s.value}'" for s in sorted(PENDING))
    like = "LIKE" if dialect == "sqlite" else "ILIKE"
    heating = "(SELECT id FROM ticket_category WHERE code = ? OR code LIKE ?)"
    path = f"{CITY}/{DISTRICT}/"
    own = (
        "(SELECT department_id FROM department_member m JOIN account a ON a.id = m.account_id"
        " WHERE a.username = 'demo-department')"
    )
    department = "t.department_id = (SELECT id FROM department WHERE code = ?)"
    others = ", ".join(f"'{s.value}'" for s in TicketStatus if s is not TicketStatus.CLOSED)
    newest = ListCase(
        "newest 50 (agent)",
        "demo-agent",
        TicketFilter(),
        {},
        f"SELECT (SELECT COUNT(*) FROM ticket) - (SELECT COUNT(*) FROM ticket WHERE {_MERGED})",
        f"SELECT {_COLUMNS} FROM ticket t WHERE {_LIVE} {_NEWEST}",
        [],
        [],
    )
    return [
        newest,
        _list_case(
            "district",
            TicketFilter(area_code=DISTRICT),
            {"areaCode": DISTRICT},
            f"{_LIVE} AND t.area_path >= ? AND t.area_path < ?",
            [path, path[:-1] + "0"],
            walk=(f"{_LIVE} AND t.area_path LIKE ?", [f"{path}%"]),
        ),
        _list_case(
            "department + status",
            TicketFilter(department=DEPARTMENT, statuses=(TicketStatus.CLOSED,)),
            {"department": DEPARTMENT, "status": ["CLOSED"]},
            f"{department} AND t.status = 'CLOSED'",
            [DEPARTMENT],
            walk=(f"{department} AND t.status NOT IN ({others})", [DEPARTMENT]),
        ),
        _list_case(
            "category + 30 days",
            TicketFilter(category=CATEGORY, created_from=month, created_to=end),
            {"category": CATEGORY, "createdFrom": month.isoformat(), "createdTo": end.isoformat()},
            f"{_LIVE} AND t.category_id IN {heating} AND t.received_at >= ? AND t.received_at < ?",
            [CATEGORY, f"{CATEGORY}.%", _param(month, dialect), _param(end, dialect)],
            walk=(
                f"{_LIVE} AND (SELECT c.code = ? OR c.code LIKE ? FROM ticket_category c"
                " WHERE c.id = t.category_id) AND t.received_at >= ? AND t.received_at < ?",
                [CATEGORY, f"{CATEGORY}.%", _param(month, dialect), _param(end, dialect)],
            ),
        ),
        _list_case(
            "overdue",
            TicketFilter(overdue=True),
            {"overdue": True},
            f"{_LIVE} AND t.due_at < ? AND t.status IN ({pending})",
            [lambda: _param(datetime.now(UTC), dialect)],
        ),
        *(
            _list_case(
                name,
                TicketFilter(text=words),
                {"text": words},
                f"{_LIVE} AND (t.number {like} ? OR t.title {like} ? OR t.content {like} ?"
                f" OR t.address {like} ?)",
                [f"%{words}%"] * 4,
            )
            for name, words in (("text", TEXT), ("text, 4 characters", LONGER_TEXT))
        ),
        _list_case(
            "newest 50 (department)",
            TicketFilter(),
            {},
            f"{_LIVE} AND (t.department_id = {own} OR t.id IN (SELECT e.ticket_id"
            f" FROM ticket_event e WHERE e.department_id = {own}"
            " AND e.action IN ('DISPATCH', 'TRANSFER')))",
            [],
            username="demo-department",
        ),
    ]


class Client:
    """GraphQL through the whole app (httpx ASGI transport), signed in per username."""

    def __init__(self, http: httpx2.AsyncClient) -> None:
        self.http = http
        self.tokens: dict[str, str] = {}

    async def login(self, username: str) -> None:
        body = await self.post(
            'mutation($u: String!) { login(input: {username: $u, password: "demo"}) { token } }',
            {"u": username},
        )
        self.tokens[username] = body["data"]["login"]["token"]

    async def post(
        self, query: str, variables: dict[str, Any], username: str | None = None
    ) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {self.tokens[username]}"} if username else {}
        response = await self.http.post(
            "/graphql", json={"query": query, "variables": variables}, headers=headers
        )
        body: dict[str, Any] = response.json()
        assert "errors" not in body, body["errors"]
        return body


async def _explain(sql: str, params: list[Any], dialect: str) -> str:
    connection = connections.get("default")
    if dialect == "sqlite":
        _, rows = await connection.execute_query(f"EXPLAIN QUERY PLAN {sql}", params)
        return "\n".join(f"    {row[3]}" for row in rows)
    _, rows = await connection.execute_query(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
    return "\n".join(f"    {row[0]}" for row in rows)


async def measure(
    url: str, repeat: int, explain: bool
) -> tuple[list[Case], int, datetime, datetime]:
    """Every case on the seeded database of ``url``; also the tickets' count and the
    year's bounds."""
    await db.connect(url)
    try:
        connection = connections.get("default")
        dialect = connection.capabilities.dialect
        count = await Ticket.all().count()
        latest = (
            await Ticket.all()
            .order_by("-received_at")
            .limit(1)
            .values_list("received_at", flat=True)
        )
        last = latest[0]
        assert isinstance(last, datetime)
        local = last.astimezone(CITY_TIMEZONE)
        end = local.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
        year, month = end - timedelta(days=365), end - timedelta(days=30)
        now = datetime.now(UTC)

        async def raw(sql: str, params: list[Any]) -> Any:
            return await connection.execute_query(_sql(sql, dialect), params)

        settings = Settings.from_env({}, database_url=url, log_level="WARNING", log_json=False)
        app = create_app(settings)
        cases: list[Case] = []
        transport = httpx2.ASGITransport(app=app)
        async with httpx2.AsyncClient(transport=transport, base_url="http://bench") as http:
            client = Client(http)
            for username in ("demo-agent", "demo-department"):
                await client.login(username)
            for case in _list_cases(dialect, month, end):
                cases.extend(await _measure_list(case, client, raw, repeat))
                if explain:
                    for sql, params in ((case.page, case.page_params), (case.count, case.params)):
                        print(f"  {case.name}: {sql[:70]}…")
                        print(await _explain(_sql(sql, dialect), _now(params), dialect))
            agent = await _principal("demo-agent")
            for label, start in (("30 days", month), ("365 days", year)):
                cases.append(
                    await _stats_case(label, start, end, agent, client, raw, dialect, repeat)
                )
                if explain:
                    for groups in _STATS_GROUPS[dialect]:
                        sql, params = _stats_sql(
                            groups, _CATEGORISED[dialect], start, end, now, dialect
                        )
                        print(f"  hotlineStats {label} by {groups}:")
                        print(await _explain(_sql(sql, dialect), params, dialect))
            for label, start in (("365 days", year), ("30 days", month)):
                cases.append(
                    await _safety_case(label, start, end, agent, client, raw, dialect, repeat)
                )
                if explain:
                    sql = _SAFETY.format(
                        weight=_weight(),
                        cohort=_COHORT,
                        city=_CITY_RANGE,
                        categorised=_CATEGORISED[dialect],
                    )
                    params = [_param(now, dialect), _param(start, dialect), _param(end, dialect)]
                    print(f"  safety index {label}:")
                    print(await _explain(_sql(sql, dialect), params, dialect))
    finally:
        await db.disconnect()
    return cases, count, year, end


async def _measure_list(
    case: ListCase,
    client: Client,
    raw: Callable[[str, list[Any]], Awaitable[Any]],
    repeat: int,
) -> list[Case]:
    """The list's first page alone, then with its ``totalCount``."""

    async def bare_page() -> None:
        await raw(case.page, _now(case.page_params))

    async def bare() -> int:
        await bare_page()
        _, rows = await raw(case.count, _now(case.params))
        return int(rows[0][0])

    principal = await _principal(case.username)

    async def domain_page() -> TicketPage:
        return await list_tickets(principal, case.filter, first=PAGE, after=None)

    async def domain() -> int:
        return await (await domain_page()).count()

    async def graphql_page() -> None:
        await client.post(PAGE_ONLY, {"filter": case.variables}, case.username)

    async def graphql() -> int:
        body = await client.post(COUNTED, {"filter": case.variables}, case.username)
        return int(body["data"]["tickets"]["totalCount"])

    # The same tickets every way (overdue ones only grow in number as time passes).
    total = await domain()
    counted = [await graphql(), await bare(), await domain()]
    assert total <= min(counted) and max(counted) <= counted[-1], (case.name, total, counted)
    return [
        await _case(f"list: {case.name}", bare_page, domain_page, graphql_page, total, repeat),
        await _case(f"list: {case.name} + totalCount", bare, domain, graphql, total, repeat),
    ]


def _stats_sql(
    groups: str, part: str, start: datetime, end: datetime, now: datetime, dialect: str
) -> tuple[str, list[Any]]:
    sql = f"SELECT {groups}, {_STATS} FROM ticket t WHERE {_COHORT} AND {part} GROUP BY {groups}"
    return sql, [_param(now, dialect), _param(start, dialect), _param(end, dialect)]


async def _stats_case(
    label: str,
    start: datetime,
    end: datetime,
    agent: Principal,
    client: Client,
    raw: Callable[[str, list[Any]], Awaitable[Any]],
    dialect: str,
    repeat: int,
) -> Case:
    now = datetime.now(UTC)

    async def bare() -> int:
        received = 0
        for groups in _STATS_GROUPS[dialect]:
            received = 0
            for part in (_CATEGORISED[dialect], "t.category_id IS NULL"):
                _, rows = await raw(*_stats_sql(groups, part, start, end, now, dialect))
                received += sum(int(row[2]) for row in rows)
        return received

    async def domain() -> int:
        stats = await hotline_stats(StatsFilter(start, end), actor=agent)
        return stats.total.received

    async def graphql() -> int:
        variables = {"from": start.isoformat(), "to": end.isoformat()}
        body = await client.post(STATS, variables, "demo-agent")
        return int(body["data"]["hotlineStats"]["total"]["received"])

    received = await domain()
    assert await bare() == received == await graphql()
    return await _case(f"hotlineStats: {label}", bare, domain, graphql, received, repeat)


def _weight() -> str:
    return weight_sql(DEFAULT_SETTINGS).replace('"ticket".', "t.")


async def _safety_case(
    label: str,
    start: datetime,
    end: datetime,
    agent: Principal,
    client: Client,
    raw: Callable[[str, list[Any]], Awaitable[Any]],
    dialect: str,
    repeat: int,
) -> Case:
    sql = _SAFETY.format(
        weight=_weight(), cohort=_COHORT, city=_CITY_RANGE, categorised=_CATEGORISED[dialect]
    )
    previous = start - (end - start)
    now = datetime.now(UTC)

    async def bare() -> int:
        tickets = 0
        for since, until in ((start, end), (previous, start)):
            params = [_param(now, dialect), _param(since, dialect), _param(until, dialect)]
            _, rows = await raw(sql, params)
            tickets = tickets or sum(int(row[1]) for row in rows)
        return tickets

    async def domain() -> int:
        index = await safety_index(CITY, start, end, actor=agent)
        return sum(d.current.tally.tickets for d in index.dimensions)

    async def graphql() -> float:
        variables = {"from": start.isoformat(), "to": end.isoformat()}
        body = await client.post(INDEX, variables, "demo-agent")
        return float(body["data"]["safetyIndex"]["score"])

    tickets = await domain()
    assert tickets <= await bare()  # categories without a dimension count towards none
    await graphql()
    return await _case(f"safety index: {label}", bare, domain, graphql, tickets, repeat)


# --- Reporting --------------------------------------------------------------------------


def _table(cases: Sequence[Case]) -> Iterator[str]:
    yield (
        "| case | rows | raw p50 | raw p95 | domain p50 | domain p95 | graphql p50"
        " | graphql p95 | domain/raw | graphql/raw |"
    )
    yield "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    for case in cases:
        domain, graphql = case.paths["domain"], case.paths["graphql"]
        yield (
            f"| {case.name} | {case.rows:,} | {case.raw.p50:.1f} | {case.raw.p95:.1f}"
            f" | {domain.p50:.1f} | {domain.p95:.1f} | {graphql.p50:.1f} | {graphql.p95:.1f}"
            f" | {domain.p50 / case.raw.p50:.2f} | {graphql.p50 / case.raw.p50:.2f} |"
        )


async def _server_version(url: str) -> str:
    if not url.startswith("postgres"):
        return f"SQLite {sqlite3.sqlite_version}"
    connection = await asyncpg.connect(url)
    try:
        version = await connection.fetchval("SHOW server_version")
    finally:
        await connection.close()
    return f"PostgreSQL {str(version).split()[0]}"


async def main(urls: Sequence[str], tickets: int, repeat: int, explain: bool) -> None:
    for url in urls:
        seeded = await seed(url, tickets)
        cases, count, start, end = await measure(url, repeat, explain)
        print()
        print(
            f"scale benchmark, {machine()}, {await _server_version(url)}, {count:,} tickets"
            f" ({start:%Y-%m-%d} – {end:%Y-%m-%d}), {repeat} calls each after a warm-up,"
            f" milliseconds; seeding/reuse {seeded:.0f} s"
        )
        print()
        for line in _table(cases):
            print(line)
        print(flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--db", type=Path, default=DEFAULT_DB, help="SQLite file, reused")
    parser.add_argument("--pg-url", default=DEFAULT_PG, help="PostgreSQL database, reused")
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--explain", action="store_true", help="print the baselines' plans")
    args = parser.parse_args()
    chosen = {"sqlite": f"sqlite://{args.db}", "postgres": args.pg_url}
    backends = [chosen[name.strip()] for name in args.backends.split(",")]
    asyncio.run(main(backends, args.tickets, args.repeat, args.explain))
