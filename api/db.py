"""Database configuration, migrations and the connection lifecycle.

Each domain package is one Tortoise app with its own committed migrations.
``TORTOISE_ORM`` (from the environment) is what ``tortoise makemigrations`` reads
via ``[tool.tortoise]`` in pyproject.toml; the app and the CLI build the same
config from their :class:`~api.settings.Settings`.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from tortoise import Tortoise, connections
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


async def migrate(database_url: str) -> None:
    """Apply every pending migration to ``database_url``, creating a SQLite file if needed."""
    try:
        await run_migrations(config=tortoise_config(database_url))
    finally:
        await Tortoise.close_connections()


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
