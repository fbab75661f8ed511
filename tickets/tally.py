"""How many tickets each place holds in each status, kept by the database itself, so
that the longest lists (the whole city, a district, a status) count their tickets
without reading half a million index entries.

``ticket_tally`` (tickets migration 0007) holds rows ``(area_path, status, n)``: database
triggers on ``ticket`` add a row for every change, +1 for a ticket inserted, -1 for one
deleted, -1 and +1 when a ticket's place or status changes (a merge, a dispatch, a
move). Rows are only ever added, never updated, so concurrent transactions never wait on
one another, nor deadlock, over a count; one that rolls back takes its rows with it. The
sum of ``n`` over some places and statuses is therefore exactly the COUNT(*) of those
tickets in the same snapshot. :func:`compact` folds the rows into one per place and
status when they grow many (counting does so past :data:`COMPACT_AFTER` rows).
"""

from __future__ import annotations

from collections.abc import Collection

from tortoise import connections
from tortoise.transactions import in_transaction

from tickets.lifecycle import TicketStatus

TABLE = "ticket_tally"
#: Rows past which counting folds them up (a few thousand places × statuses remain).
COMPACT_AFTER = 20_000

#: Folding the rows up, on PostgreSQL in one statement: the rows it sees are deleted and
#: their sums inserted; rows other transactions add meanwhile are not seen, so neither
#: deleted nor lost.
_COMPACT_POSTGRES = f"""WITH gone AS (DELETE FROM {TABLE} RETURNING area_path, status, n)
INSERT INTO {TABLE} (area_path, status, n)
SELECT area_path, status, SUM(n) FROM gone GROUP BY area_path, status HAVING SUM(n) <> 0"""


def _placeholder(dialect: str, number: int) -> str:
    return f"${number}" if dialect == "postgres" else "?"


async def count(
    path: str | None,
    statuses: Collection[TicketStatus] | None,
    *,
    excluded: Collection[TicketStatus] = (),
) -> int:
    """The tickets located in the area with ``path`` or beneath it (anywhere when None),
    in ``statuses`` (any when None) and not in ``excluded``."""
    connection = connections.get("default")
    dialect = connection.capabilities.dialect
    conditions: list[str] = []
    params: list[str] = []

    def param(value: str) -> str:
        params.append(value)
        return _placeholder(dialect, len(params))

    if path is not None:
        successor = path[:-1] + chr(ord(path[-1]) + 1)
        conditions.append(f"area_path >= {param(path)} AND area_path < {param(successor)}")
    if statuses is not None:
        conditions.append(f"status IN ({', '.join(param(s.value) for s in statuses) or 'NULL'})")
    if excluded:
        conditions.append(f"status NOT IN ({', '.join(param(s.value) for s in excluded)})")
    wanted = " AND ".join(conditions) or "1 = 1"
    # Every row read once, no index needed: a few thousand of them once compacted.
    _, rows = await connection.execute_query(
        f"SELECT SUM(CASE WHEN {wanted} THEN n ELSE 0 END), COUNT(*) FROM {TABLE}", params
    )
    total, size = int(rows[0][0] or 0), int(rows[0][1])
    if size > COMPACT_AFTER:
        await compact()
    return total


async def compact() -> None:
    """Fold the tally's rows into one per place and status (their sums unchanged)."""
    async with in_transaction() as connection:
        if connection.capabilities.dialect == "postgres":
            await connection.execute_query(_COMPACT_POSTGRES)
            return
        # SQLite writes one transaction at a time: the rows up to the last one now, summed
        # into new rows after it, then deleted.
        _, rows = await connection.execute_query(f"SELECT MAX(id) FROM {TABLE}")
        last = rows[0][0]
        if last is None:
            return
        await connection.execute_query(
            f"INSERT INTO {TABLE} (area_path, status, n)"
            f" SELECT area_path, status, SUM(n) FROM {TABLE} WHERE id <= ?"
            " GROUP BY area_path, status HAVING SUM(n) <> 0",
            [last],
        )
        await connection.execute_query(f"DELETE FROM {TABLE} WHERE id <= ?", [last])
