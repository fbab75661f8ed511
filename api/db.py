"""Database configuration, migrations and the connection lifecycle.

Each domain package is one Tortoise app with its own committed migrations.
``TORTOISE_ORM`` (from the environment) is what ``tortoise makemigrations`` reads
via ``[tool.tortoise]`` in pyproject.toml; the app and the CLI build the same
config from their :class:`~api.settings.Settings`.
"""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
from tortoise import Tortoise, connections
from tortoise.backends.base.config_generator import expand_db_url
from tortoise.backends.base.executor import EXECUTOR_CACHE
from tortoise.migrations.api import migrate as run_migrations

from api.settings import DEFAULT_DATABASE_URL
from tickets.order_links import observe_orders

log = logging.getLogger(__name__)

#: Domain apps in dependency order: each app's models may only point at earlier ones.
APPS: tuple[str, ...] = ("wuyou", "accounts", "grids", "merchants", "tickets")


def tortoise_config(database_url: str) -> dict[str, Any]:
    """The Tortoise config for ``database_url`` with every domain app and its migrations."""
    return {
        "connections": {"default": database_url},
        "apps": {
            app: {
                "models": [f"{app}.models"],
                "migrations": f"{app}.migrations",
                "default_connection": "default",
            }
            for app in APPS
        },
        "use_tz": True,
        "timezone": "UTC",
    }


#: Read by ``tortoise makemigrations`` (see ``[tool.tortoise]`` in pyproject.toml).
TORTOISE_ORM = tortoise_config(os.environ.get("WUYOU_DATABASE_URL") or DEFAULT_DATABASE_URL)


#: The PostgreSQL advisory lock migrators take (any fixed 64-bit number, ours: "wuyou").
MIGRATION_LOCK = int.from_bytes(b"wuyou", "big")


async def migrate(database_url: str) -> None:
    """Apply every pending migration to ``database_url``, creating a SQLite file if needed.

    On PostgreSQL one process migrates at a time: servers started together on several
    hosts (or a deploy's ``wuyou migrate`` beside a starting server) wait for the first,
    then find nothing left to apply instead of applying the same migration twice."""
    async with _one_migrator(database_url):
        try:
            await run_migrations(config=tortoise_config(database_url))
        finally:
            await Tortoise.close_connections()


@asynccontextmanager
async def _one_migrator(database_url: str) -> AsyncIterator[None]:
    """Hold PostgreSQL's advisory lock :data:`MIGRATION_LOCK` on a connection of its own
    (released with it, should the process die). SQLite needs none: ``wuyou serve`` migrates
    once before starting its workers, and one file has no second host."""
    expanded = expand_db_url(database_url)
    if expanded["engine"] != "tortoise.backends.asyncpg":
        yield
        return
    credentials = expanded["credentials"]
    connection = await asyncpg.connect(
        host=credentials.get("host"),
        port=credentials.get("port"),
        user=credentials.get("user"),
        password=credentials.get("password"),
        database=credentials.get("database"),
    )
    try:
        await connection.execute("SELECT pg_advisory_lock($1)", MIGRATION_LOCK)
        yield
    finally:
        await connection.close()


async def connect(database_url: str, *, all_tasks: bool = True) -> None:
    """Open the ORM on ``database_url`` (connections are made lazily).

    ``all_tasks`` makes it visible to every task of the process, as a server needs
    (its lifespan and its requests run in different tasks); a one-task command line
    run keeps it to its own task.

    Every process that can change an order connects here, so this is also where the
    hotline's tickets start following their linked orders (idempotent).
    """
    _forget_compiled_statements()
    await Tortoise.init(config=tortoise_config(database_url), _enable_global_fallback=all_tasks)
    observe_orders()


def _forget_compiled_statements() -> None:
    # Tortoise caches each model's INSERT/DELETE SQL by connection name and table, not by
    # dialect: a process that reconnects to another backend under the same connection name
    # (the test suite, the benchmarks) would send SQLite's "?" placeholders to PostgreSQL.
    EXECUTOR_CACHE.clear()


async def disconnect() -> None:
    """Close every connection opened by :func:`connect`."""
    await Tortoise.close_connections()


async def ping() -> bool:
    """True when the database answers a trivial query."""
    try:
        await connections.get("default").execute_query("SELECT 1")
    except Exception:
        log.warning("database ping failed", exc_info=True)
        return False
    return True
