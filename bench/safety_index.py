"""Benchmark: the safety index of the whole city and the ranking of its 646 grids over a
year of demo tickets (50,000), each against the bare SQL it stands on.

On the demo city with its year of tickets (SQLite; seeded once into ``--db`` and reused):

* ``raw index``     — baseline: the two GROUP BY statements of the city's index (this year
                      and the year before, by category) sent straight to the connection;
* ``index``         — ``grids.safety.index.safety_index`` for the city: settings, area,
                      both GROUP BYs, categories, plugins' indicators and the formula;
* ``graphql index`` — POST /graphql ``safetyIndex(areaCode: "150300")`` with every
                      dimension's inputs, parts and top categories, through the whole app;
* ``raw ranking``   — baseline: the GROUP BY by grid and dimension of the ranking;
* ``ranking``       — ``safety_ranking(GRID, first=1000)``: the 646 grids scored and ordered;
* ``graphql ranking`` — POST /graphql ``safetyRanking(level: GRID, first: 1000)`` with
                      each grid's eight dimension scores.

Figures are medians of ``--repeat`` runs and ratios against the baseline measured in the
same run; see bench/README.md.

    python bench/safety_index.py [--db PATH] [--tickets 50000] [--repeat 20]
"""

from __future__ import annotations

import argparse
import asyncio
import platform
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx2
from tortoise import connections

from accounts.models import Account
from accounts.service import Principal
from api import db
from api.app import create_app
from api.settings import Settings
from grids.demo import seed_demo_city
from grids.models import AreaLevel
from grids.safety.index import safety_index, safety_ranking
from grids.safety.inputs import weight_sql
from grids.safety.settings import DEFAULT_SETTINGS
from tickets.demo.seed import seed_ticket_catalogue
from tickets.demo.tickets import seed_demo_tickets
from tickets.models import Ticket

CITY = "150300"
DEFAULT_DB = Path(tempfile.gettempdir()) / "wuyou-bench-safety-index.sqlite3"
_AGGREGATES = """COUNT(*), SUM({weight}),
  COUNT(CASE WHEN t.channel_id IN (SELECT id FROM channel WHERE kind = 'GRID') THEN 1 END),
  COUNT(CASE WHEN t.complete_deadline IS NOT NULL
             AND (t.resolved_at IS NOT NULL OR t.complete_deadline < ?) THEN 1 END),
  COUNT(CASE WHEN t.resolved_at <= t.complete_deadline THEN 1 END),
  COUNT(CASE WHEN t.satisfaction IN ('SATISFIED', 'BASICALLY_SATISFIED') THEN 1 END),
  SUM(t.reopen_count), COUNT(t.likely_duplicate_of_id)"""
_COHORT = """t.received_at >= ? AND t.received_at < ? AND t.merged_into_id IS NULL
  AND t.status <> 'MERGED'"""
RAW_BY_CATEGORY = f"""SELECT t.category_id, {_AGGREGATES} FROM ticket t
WHERE {_COHORT} AND t.area_path LIKE '150300/%' AND t.category_id IS NOT NULL
GROUP BY t.category_id"""
RAW_BY_PLACE = f"""SELECT t.area_path, c.dimension, {_AGGREGATES} FROM ticket t
JOIN ticket_category c ON c.id = t.category_id
WHERE {_COHORT} AND c.dimension IS NOT NULL GROUP BY t.area_path, c.dimension"""

INDEX = """query($from: DateTime!, $to: DateTime!) {
  safetyIndex(areaCode: "150300", from: $from, to: $to) { score change
    dimensions { dimension score change
      inputs { tickets weightedCount ratePer10k onTimeShare satisfactionShare repeatShare }
      parts { code score weight contribution }
      topCategories(first: 5) { category { code name } tickets weightedCount } } } }"""
RANKING = """query($from: DateTime!, $to: DateTime!) {
  safetyRanking(level: GRID, from: $from, to: $to, first: 1000) { totalCount
    entries { rank area { code name } score dimensions { dimension score } } } }"""


def _text(moment: datetime) -> str:
    """A UTC time as Tortoise stores it in SQLite."""
    return moment.astimezone(UTC).isoformat(" ")


async def _seed(url: str, tickets: int) -> None:
    await db.migrate(url)
    await db.connect(url)
    try:
        await seed_demo_city()
        await seed_ticket_catalogue()
        await seed_demo_tickets(tickets)
    finally:
        await db.disconnect()


async def _measure(call: Callable[[], Awaitable[Any]], repeat: int) -> dict[str, float]:
    await call()  # warm-up
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        await call()
        times.append(time.perf_counter() - started)
    times.sort()
    return {
        "p50_ms": statistics.median(times) * 1000,
        "p90_ms": times[max(0, int(len(times) * 0.9) - 1)] * 1000,
    }


async def main(path: Path, tickets: int, repeat: int) -> None:
    url = f"sqlite://{path}"
    started = time.perf_counter()
    await _seed(url, tickets)
    seeded = time.perf_counter() - started
    await db.connect(url)
    try:
        count = await Ticket.all().count()
        latest = (
            await Ticket.all()
            .order_by("-received_at")
            .limit(1)
            .values_list("received_at", flat=True)
        )
        last = latest[0]
        assert isinstance(last, datetime)
        end = last.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
        start = end - timedelta(days=365)
        previous = start - timedelta(days=365)
        admin_row = await Account.get(username="demo-admin")
        admin = Principal(admin_row.id, admin_row.username, admin_row.role)
        connection = connections.get("default")
        weight = weight_sql(DEFAULT_SETTINGS).replace('"ticket".', "t.")
        by_category = RAW_BY_CATEGORY.format(weight=weight)
        by_place = RAW_BY_PLACE.format(weight=weight)
        now = datetime.now(UTC)

        async def raw_index() -> list[Any]:
            this_year = await connection.execute_query(
                by_category, [_text(now), _text(start), _text(end)]
            )
            last_year = await connection.execute_query(
                by_category, [_text(now), _text(previous), _text(start)]
            )
            return [this_year, last_year]

        async def raw_ranking() -> Any:
            return await connection.execute_query(by_place, [_text(now), _text(start), _text(end)])

        # The domain agrees with the bare SQL it is measured against (tickets without a
        # place are in no area's index).
        city = await safety_index(CITY, start, end, actor=admin)
        raw_rows = (await raw_index())[0][1]
        counted = sum(d.current.tally.tickets for d in city.dimensions)
        assert counted <= sum(row[1] for row in raw_rows)
        ranking = await safety_ranking(AreaLevel.GRID, start, end, first=1000, actor=admin)
        place_rows = (await raw_ranking())[1]
        assert sum(row[2] for row in place_rows if row[0]) == sum(
            d.tally.tickets for e in ranking.entries for d in e.dimensions
        )

        settings = Settings.from_env({}, database_url=url, log_level="WARNING")
        app = create_app(settings)
        results: dict[str, dict[str, float]] = {}
        # The database is connected here; the app's lifespan (and its sweeper) is not run.
        transport = httpx2.ASGITransport(app=app)
        async with httpx2.AsyncClient(transport=transport, base_url="http://bench") as client:
            login = await client.post(
                "/graphql",
                json={
                    "query": 'mutation { login(input: {username: "demo-admin", '
                    'password: "demo"}) { token } }'
                },
            )
            token = login.json()["data"]["login"]["token"]
            headers = {"Authorization": f"Bearer {token}"}
            variables = {"from": start.isoformat(), "to": end.isoformat()}

            def graphql(query: str) -> Callable[[], Awaitable[Any]]:
                async def call() -> Any:
                    response = await client.post(
                        "/graphql",
                        json={"query": query, "variables": variables},
                        headers=headers,
                    )
                    body = response.json()
                    assert "errors" not in body, body["errors"]
                    return body

                return call

            async def index() -> Any:
                return await safety_index(CITY, start, end, actor=admin)

            async def rank() -> Any:
                return await safety_ranking(AreaLevel.GRID, start, end, first=1000, actor=admin)

            for name, call in (
                ("raw index", raw_index),
                ("index", index),
                ("graphql index", graphql(INDEX)),
                ("raw ranking", raw_ranking),
                ("ranking", rank),
                ("graphql ranking", graphql(RANKING)),
            ):
                results[name] = await _measure(call, repeat)
    finally:
        await db.disconnect()
    print(
        f"safety_index benchmark, {date.today()}, {platform.machine()} "
        f"{platform.processor() or ''} Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}, {count} tickets ({start:%Y-%m-%d} – {end:%Y-%m-%d}), "
        f"{len(ranking.entries)} grids, {repeat} runs each, seeding/reuse {seeded:.1f} s"
    )
    print(f"{'path':<18}{'p50 ms':>9}{'p90 ms':>9}{'ratio (p50)':>13}")
    for name, figures in results.items():
        base = results["raw ranking" if "ranking" in name else "raw index"]["p50_ms"]
        print(
            f"{name:<18}{figures['p50_ms']:>9.1f}{figures['p90_ms']:>9.1f}"
            f"{figures['p50_ms'] / base:>13.2f}"
        )
    print(f"city score {city.score:.2f}; least safe grid {ranking.entries[0].area.code} "
          f"{ranking.entries[0].score:.2f}, safest {ranking.entries[-1].score:.2f}")  # fmt: skip


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=DEFAULT_DB, help="SQLite file, reused")
    parser.add_argument("--tickets", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    asyncio.run(main(args.db, args.tickets, args.repeat))
