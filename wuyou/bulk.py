"""Bulk inserts of plain rows, for seeders and benchmarks that write rows by the million.

``Model.bulk_create`` builds a model instance per row, which costs more than the
INSERT itself at that scale. :func:`insert_rows` sends dicts straight through the
model's own INSERT statement, a batch of rows per ``execute_many``; on PostgreSQL
(asyncpg) a batch goes in with one binary ``COPY`` instead, several times faster than
the same rows as prepared INSERTs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.fields import DatetimeField, Field, JSONField
from tortoise.fields.data import CharEnumFieldInstance
from tortoise.models import Model


async def insert_rows(
    model: type[Model],
    rows: Sequence[Mapping[str, Any]],
    *,
    batch: int = 1000,
    on_batch: Callable[[int], object] | None = None,
) -> None:
    """Insert ``rows`` into ``model``'s table, ``batch`` rows per statement.

    Each row maps every field the model's INSERT names (all but a generated primary key,
    foreign keys by their ``<name>_id``) to its value: members for enum fields, Python
    values for JSON fields, aware datetimes for datetime fields (stored in UTC, as the ORM
    stores them: SQLite compares times as text), and for everything else what the
    database driver takes as it is (None for NULL). Defaults are not filled in and nothing
    else is validated. Runs on the model's connection, inside the transaction open on it
    if any.

    Raises ``ValueError`` for a naive datetime in a datetime field.

    :param on_batch: called with the number of rows after each batch is stored, e.g. to
        advance a progress bar.
    """
    if batch < 1:
        raise ValueError(f"batch must be 1 or more, not {batch}")
    db = model._meta.db
    executor = db.executor_class(model=model, db=db)
    fields = model._meta.fields_map
    converters = [(name, _converter(model, fields[name])) for name in executor.regular_columns]
    columns = [model._meta.fields_db_projection[name] for name in executor.regular_columns]
    for start in range(0, len(rows), batch):
        chunk = rows[start : start + batch]
        values = [[convert(row[name]) for name, convert in converters] for row in chunk]
        if db.capabilities.dialect == "postgres":
            await _copy(db, model._meta.db_table, columns, values, executor.insert_query)
        else:
            await db.execute_many(executor.insert_query, values)
        if on_batch is not None:
            on_batch(len(chunk))


async def _copy(
    db: BaseDBAsyncClient,
    table: str,
    columns: list[str],
    values: list[list[Any]],
    insert_query: str,
) -> None:
    """``values`` into ``table`` with one binary COPY where the driver has it (asyncpg),
    else through ``insert_query``."""
    async with db.acquire_connection() as connection:
        copy = getattr(connection, "copy_records_to_table", None)
        if copy is not None:
            await copy(table, records=values, columns=columns)
            return
    await db.execute_many(insert_query, values)


def _converter(model: type[Model], field: Field[Any]) -> Callable[[Any], Any]:
    """How a value of ``field`` goes to the driver."""
    if isinstance(field, CharEnumFieldInstance):
        return lambda value: None if value is None else value.value
    if isinstance(field, JSONField):
        return lambda value: field.to_db_value(value, model)
    if isinstance(field, DatetimeField):
        return lambda value: None if value is None else _utc(value, field.model_field_name)
    return lambda value: value


def _utc(moment: datetime, name: str) -> datetime:
    """``moment`` in UTC; a naive time is refused, as its zone is anyone's guess."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name}: a naive datetime ({moment.isoformat()}) has no time zone")
    return moment.astimezone(UTC)
