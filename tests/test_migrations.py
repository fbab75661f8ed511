"""Migrations: they build an empty database, rerun as no-ops, and match the models."""

from __future__ import annotations

import asyncio
import importlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import asyncpg
import pytest
from tortoise import Tortoise
from tortoise.migrations.autodetector import MigrationAutodetector

from api import db
from tests.conftest import postgres_database


def _migration_files() -> set[tuple[str, str]]:
    return {
        (app, path.stem)
        for app in db.APPS
        for path in (Path(importlib.import_module(app).__file__ or "").parent / "migrations").glob(
            "0*.py"
        )
    }


async def test_migrations_apply_to_an_empty_database_and_rerun_cleanly(tmp_path: Path) -> None:
    path = tmp_path / "empty.sqlite3"
    await db.migrate(f"sqlite://{path}")
    await db.migrate(f"sqlite://{path}")
    with sqlite3.connect(path) as connection:
        tables = {
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        applied = connection.execute("SELECT app, name FROM tortoise_migrations").fetchall()
    assert {
        "account",
        "account_event",
        "area",
        "grid_cell",
        "grid_worker",
        "grid_assignment_event",
        "department",
        "department_member",
        "channel",
        "merchant",
        "merchant_service",
        "merchant_area",
        "merchant_staff",
        "service_order",
        "offer",
        "order_event",
        "number_sequence",
        "ticket_category",
        "ticket",
        "ticket_event",
        "ticket_extension",
        "calendar_day",
        "sla_setting",
    } <= tables
    assert "daily_counter" not in tables
    assert sorted(applied) == sorted(_migration_files())


async def test_models_have_no_changes_missing_from_migrations() -> None:
    config = db.tortoise_config("sqlite://:memory:")
    await Tortoise.init(config=config)
    try:
        from tortoise.context import require_context

        apps = require_context().apps
        assert apps is not None
        detector = MigrationAutodetector(apps, config["apps"])
        writers = await detector.changes()
    finally:
        await Tortoise.close_connections()
    assert writers == [], "models changed without a migration: run `tortoise makemigrations`"


def _indexes(path: Path) -> set[tuple[str, str]]:
    with sqlite3.connect(path) as connection:
        return {
            (table, sql or name)  # SQLite names the indexes behind UNIQUE itself
            for table, name, sql in connection.execute(
                "SELECT tbl_name, name, sql FROM sqlite_master"
                " WHERE type = 'index' AND tbl_name != 'tortoise_migrations'"
            )
        }


async def test_a_migrated_database_has_every_index_the_models_declare(tmp_path: Path) -> None:
    migrated, generated = tmp_path / "migrated.sqlite3", tmp_path / "generated.sqlite3"
    await db.migrate(f"sqlite://{migrated}")
    await Tortoise.init(config=db.tortoise_config(f"sqlite://{generated}"))
    try:
        await Tortoise.generate_schemas()
    finally:
        await Tortoise.close_connections()
    assert _indexes(migrated) == _indexes(generated)


def test_servers_migrating_one_postgres_database_at_once_apply_each_migration_once() -> None:
    """Two ``wuyou migrate`` processes on one empty PostgreSQL database: the second
    waits for the first's advisory lock, then finds nothing left to apply."""
    base = os.environ.get("WUYOU_TEST_DATABASE_URL")
    if not base:
        pytest.skip("needs PostgreSQL: set WUYOU_TEST_DATABASE_URL")
    with postgres_database(base, migrated=False) as url:
        migrators = [
            subprocess.Popen(
                [sys.executable, "-m", "api", "migrate", "--database-url", url],
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            for _ in range(2)
        ]
        outputs = [migrator.communicate(timeout=300)[0] for migrator in migrators]
        assert [migrator.returncode for migrator in migrators] == [0, 0], outputs
        applied = asyncio.run(_applied(url))
    assert sorted(applied) == sorted(_migration_files())


async def _applied(url: str) -> list[tuple[str, str]]:
    connection = await asyncpg.connect(url)
    try:
        rows = await connection.fetch("SELECT app, name FROM tortoise_migrations")
    finally:
        await connection.close()
    return [(row["app"], row["name"]) for row in rows]
