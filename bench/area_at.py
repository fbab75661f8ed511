"""Benchmark: location → grid (``areaAt``), the lookup every ticket and order makes.

Three ways to answer "which grid contains this point", measured in one run on the
demo city (646 grids):

* ``graphql``   — the real app: POST /graphql ``{ areaAt(lat, lng) { code name level } }``
* ``raw``       — baseline: a plain Starlette route in the same process running the same
                  indexed SQL and point-in-polygon test, returning the same JSON
* ``scan``      — what the index avoids: the same route testing all 646 polygons in Python

Figures are ratios against ``raw`` measured in the same run; see bench/README.md.

    python bench/area_at.py [--requests 3000] [--concurrency 16]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx2
from harness import machine, measure
from shapely.geometry import Point, shape
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from tortoise import connections

from api import db
from api.app import create_app
from api.settings import Settings
from grids.demo import seed_demo_city
from grids.geometry import cell_key

QUERY = "query($lat: Float!, $lng: Float!) { areaAt(lat: $lat, lng: $lng) { code name level } }"
SQL = (
    "SELECT a.code, a.name, a.level, a.boundary FROM grid_cell c JOIN area a ON a.id = c.area_id "
    "WHERE c.cell = ? ORDER BY a.code"
)


def _answer(row: dict | None) -> bytes:
    area = (
        None if row is None else {"code": row["code"], "name": row["name"], "level": row["level"]}
    )
    return json.dumps(
        {"data": {"areaAt": area}}, ensure_ascii=False, separators=(",", ":")
    ).encode()


def raw_app(all_grids: list[dict]) -> Starlette:
    """The baseline routes: indexed SQL (``/raw``) and a full scan (``/scan``)."""

    async def raw(request: Request) -> Response:
        lat, lng = float(request.query_params["lat"]), float(request.query_params["lng"])
        rows = await connections.get("default").execute_query_dict(SQL, [cell_key(lat, lng)])
        found = next(
            (r for r in rows if shape(json.loads(r["boundary"])).covers(Point(lng, lat))), None
        )
        return Response(_answer(found), media_type="application/json")

    async def scan(request: Request) -> Response:
        lat, lng = float(request.query_params["lat"]), float(request.query_params["lng"])
        point = Point(lng, lat)
        found = next((g for g in all_grids if shape(g["boundary"]).covers(point)), None)
        return Response(_answer(found), media_type="application/json")

    return Starlette(routes=[Route("/raw", raw), Route("/scan", scan)])


async def main(requests: int, concurrency: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite://{Path(tmp) / 'bench.sqlite3'}"
        await db.migrate(url)
        await db.connect(url)
        try:
            await seed_demo_city()
            grids = await connections.get("default").execute_query_dict(
                "SELECT code, name, level, boundary FROM area WHERE level = 'GRID' ORDER BY code"
            )
            for grid in grids:
                grid["boundary"] = json.loads(grid["boundary"])
            settings = Settings.from_env({}, database_url=url, log_level="WARNING")
            app = Starlette(
                routes=[Mount("/baseline", raw_app(grids)), Mount("/", create_app(settings))]
            )
            rng = random.Random(1)
            points = [
                (rng.uniform(39.25, 39.95), rng.uniform(106.60, 107.15)) for _ in range(requests)
            ]
            transport = httpx2.ASGITransport(app=app)
            async with httpx2.AsyncClient(transport=transport, base_url="http://bench") as client:

                async def graphql(lat: float, lng: float) -> bytes:
                    response = await client.post(
                        "/graphql", json={"query": QUERY, "variables": {"lat": lat, "lng": lng}}
                    )
                    return response.content

                def route(path: str) -> Callable[[float, float], Awaitable[bytes]]:
                    async def call(lat: float, lng: float) -> bytes:
                        response = await client.get(path, params={"lat": lat, "lng": lng})
                        return response.content

                    return call

                def at_point(
                    call: Callable[[float, float], Awaitable[bytes]],
                ) -> Callable[[int], Awaitable[bytes]]:
                    return lambda i: call(*points[i])

                # Same answers from every path, checked on a sample.
                for lat, lng in points[:50]:
                    expected = await route("/baseline/raw")(lat, lng)
                    assert json.loads(await graphql(lat, lng)) == json.loads(expected)
                    assert await route("/baseline/scan")(lat, lng) == expected
                await measure("warm-up", at_point(graphql), 200, concurrency)
                results = [
                    await measure("raw", at_point(route("/baseline/raw")), requests, concurrency),
                    await measure("graphql", at_point(graphql), requests, concurrency),
                    await measure(
                        "scan", at_point(route("/baseline/scan")), requests // 5, concurrency
                    ),
                ]
        finally:
            await db.disconnect()
    base = results[0].per_second
    print(f"area_at benchmark, {machine()}, {requests} requests, concurrency {concurrency}")
    print(f"{'path':<10}{'req/s':>10}{'ratio':>9}{'p50 ms':>9}{'p99 ms':>9}")
    for r in results:
        print(
            f"{r.name:<10}{r.per_second:>10.0f}{r.per_second / base:>9.2f}"
            f"{r.p50_ms:>9.2f}{r.p99_ms:>9.2f}"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    asyncio.run(main(args.requests, args.concurrency))
