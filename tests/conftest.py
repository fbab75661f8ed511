"""Shared fixtures: a migrated, demo-seeded database per backend, the ASGI app on it,
and a real server on it.

Every test that uses ``database_url`` runs on SQLite, and again on PostgreSQL when
``WUYOU_TEST_DATABASE_URL`` names a server (``.ci/run`` sets it). Each run works in a
database of its own, created for the run and dropped at its end, so nothing is left
behind for the next run.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest
from starlette.testclient import TestClient

from api import db
from api.app import create_app
from api.settings import Settings
from grids.demo import seed_demo_city
from tests.live_server import ServerProcess, serving
from tickets.demo.seed import seed_ticket_catalogue

BACKENDS = ["sqlite"]
if os.environ.get("WUYOU_TEST_DATABASE_URL"):
    BACKENDS.append("postgres")


def _server_url(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{database}"))


async def _admin(url: str, statement: str) -> None:
    parts = urlsplit(url)
    connection = await asyncpg.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password,
        database=parts.path.lstrip("/") or "postgres",
        timeout=5,
    )
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


async def seed(url: str) -> None:
    """Load the demo city and the hotline's catalogue into the migrated database at ``url``."""
    await db.connect(url)
    try:
        await seed_demo_city()
        await seed_ticket_catalogue()
    finally:
        await db.disconnect()


async def _prepare(url: str) -> None:
    await db.migrate(url)
    await seed(url)


@contextlib.contextmanager
def postgres_database(base: str, *, seeded: bool = True, migrated: bool = True) -> Iterator[str]:
    """A database of its own on the PostgreSQL server ``base`` names, migrated and with
    the demo city loaded (unless not ``seeded``: see :func:`seed`; nor migrated, unless
    ``migrated``), dropped at the end.
    Skips the test if the server is unusable."""
    name = f"wuyou_test_{uuid.uuid4().hex[:12]}"
    try:
        asyncio.run(_admin(base, f'CREATE DATABASE "{name}"'))
    except (OSError, asyncpg.PostgresError) as error:
        pytest.skip(f"PostgreSQL at {base} is not usable: {error}")
    url = _server_url(base, name)
    try:
        if migrated:
            asyncio.run(_prepare(url) if seeded else db.migrate(url))
        yield url
    finally:
        asyncio.run(_admin(base, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@contextlib.contextmanager
def demo_city_database(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A freshly migrated database on ``backend`` ("sqlite" or "postgres", one of
    :data:`BACKENDS`) with the demo city loaded."""
    if backend == "sqlite":
        path: Path = tmp_path_factory.mktemp("db") / "wuyou-test.sqlite3"
        url = f"sqlite://{path}"
        asyncio.run(_prepare(url))
        yield url
        return
    with postgres_database(os.environ["WUYOU_TEST_DATABASE_URL"]) as url:
        yield url


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A freshly migrated database with the demo city loaded, shared by the session."""
    with demo_city_database(request.param, tmp_path_factory) as url:
        yield url


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings.from_env({}, database_url=database_url, log_json=False, log_level="WARNING")


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    """The real ASGI app, lifespan included, on the test database."""
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def live_server(
    database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServerProcess]:
    """``wuyou serve`` on the session's test database, sweeping every 200 ms, for a module
    whose tests need a real socket (a browser, a websocket client library). It stops with
    the module: its sweeper must not race other modules' tests over the shared rows."""
    log = tmp_path_factory.mktemp("live-server") / "server.log"
    settings = {
        "WUYOU_DATABASE_URL": database_url,
        "WUYOU_SWEEP_INTERVAL_MS": "200",
        "WUYOU_LOG_LEVEL": "WARNING",
        "WUYOU_LOG_JSON": "false",
    }
    with serving(log, settings) as server:
        yield server


@pytest.fixture
async def connected(database_url: str) -> AsyncIterator[str]:
    """The ORM connected to the test database, for domain-level tests."""
    await db.connect(database_url)
    try:
        yield database_url
    finally:
        await db.disconnect()


@pytest.fixture
async def retire_providers(connected: str) -> AsyncIterator[None]:
    """Suspend the providers a test registered, so no later test finds them."""
    from tests.merchants import market  # not at the top: market imports this module

    yield
    await market.retire_registered()


def unique(prefix: str) -> str:
    """A username or name no other test uses."""
    return f"{prefix}-{uuid.uuid4().hex[:10]}"
