"""Claiming due rows (wuyou.claims): one at a time, in order, each once, on every backend;
on PostgreSQL a row another transaction holds is passed over until it is let go.

The due rows here are number sequences of a prefix of the test's own: any table does.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import date, timedelta
from typing import Any

import pytest
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from wuyou import claims
from wuyou.errors import DomainError, ErrorCode
from wuyou.models import NumberSequence

pytestmark = pytest.mark.usefixtures("connected")


async def due_rows(count: int) -> tuple[QuerySet[NumberSequence], list[int]]:
    """``count`` fresh rows, and the query that finds them due (value 0), by id."""
    prefix = uuid.uuid4().hex[:8]
    first = date(2030, 1, 1)
    await NumberSequence.bulk_create(
        [NumberSequence(prefix=prefix, day=first + timedelta(days=i)) for i in range(count)]
    )
    due = NumberSequence.filter(prefix=prefix, value=0)
    return due, [row["id"] for row in await due.order_by("day").values("id")]


async def mark(row: dict[str, Any]) -> int:
    """A handler: takes the row out of the due ones (a conditional update, as sweeps do)."""
    assert await NumberSequence.filter(id=row["id"], value=0).update(value=1)
    row_id: int = row["id"]
    return row_id


async def test_rows_are_handed_over_in_order_each_once_up_to_the_limit() -> None:
    due, ids = await due_rows(5)
    looked_at: list[int] = []

    async def look(row: dict[str, Any]) -> date:  # leaves the row due
        looked_at.append(row["id"])
        day: date = row["day"]
        return day

    days = await claims.sweep(due, ("id", "day"), look, order=("day", "id"), limit=4)
    assert looked_at == ids[:4]
    assert days == [date(2030, 1, 1) + timedelta(days=i) for i in range(4)]
    assert await claims.sweep(due, ("id",), mark, order=("id",), limit=10) == ids
    assert await claims.sweep(due, ("id",), mark, order=("id",), limit=10) == []


async def test_a_row_whose_handler_fails_is_rolled_back_and_the_sweep_goes_on() -> None:
    due, ids = await due_rows(3)

    async def fail_on_the_second(row: dict[str, Any]) -> int:
        marked = await mark(row)
        if marked == ids[1]:
            raise DomainError(ErrorCode.INVALID_STATE, "moved meanwhile")
        return marked

    swept = await claims.sweep(
        due, ("id",), fail_on_the_second, order=("id",), limit=10, skip=(DomainError,)
    )
    assert swept == [ids[0], ids[2]]
    assert await due.values_list("id", flat=True) == [ids[1]]  # due for the next sweep
    with pytest.raises(DomainError):  # an error not to skip ends the sweep
        await claims.sweep(due, ("id",), fail_on_the_second, order=("id",), limit=10)


async def test_a_row_another_worker_holds_is_passed_over_until_let_go(connected: str) -> None:
    if not connected.startswith("postgres"):
        pytest.skip("SQLite has no row locks: conditional updates alone keep sweeps apart")
    due, ids = await due_rows(3)
    holding, let_go = asyncio.Event(), asyncio.Event()

    async def hold_the_first() -> None:  # another worker's claim, on a connection of its own
        async with in_transaction():
            await NumberSequence.filter(id=ids[0]).select_for_update(no_key=True)
            holding.set()
            await let_go.wait()

    other_worker = asyncio.create_task(hold_the_first())
    await holding.wait()
    passing_over = claims.sweep(due, ("id",), mark, order=("id",), limit=10)
    assert await asyncio.wait_for(passing_over, 10) == ids[1:]  # not waiting for the lock
    let_go.set()
    await other_worker
    assert await claims.sweep(due, ("id",), mark, order=("id",), limit=10) == [ids[0]]
