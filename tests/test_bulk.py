"""Bulk inserts (``wuyou.bulk.insert_rows``): rows come back as they went in, batch by
batch, inside the transaction open on the connection.

The rows are notes on a fresh ticket of the test's own, and a copy of that ticket under a
number of its own; both are removed afterwards.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from tortoise.transactions import in_transaction

from tests.conftest import unique
from tests.tickets.desk import new_ticket
from tickets.lifecycle import Action, Satisfaction, TicketStatus
from tickets.models import Ticket, TicketEvent
from wuyou.bulk import insert_rows
from wuyou.clock import CITY_TIMEZONE

pytestmark = pytest.mark.usefixtures("connected")

#: Late in the evening in the city, with microseconds: not UTC, not a whole second.
_AT = datetime(2026, 3, 2, 23, 59, 30, 123456, tzinfo=CITY_TIMEZONE)


def _notes(ticket_id: int, count: int) -> list[dict[str, Any]]:
    return [
        {
            "ticket_id": ticket_id,
            "action": Action.ADD_NOTE,
            "from_status": None if n == 0 else TicketStatus.RECEIVED,
            "to_status": TicketStatus.RECEIVED,
            "actor_id": None,
            "department_id": None,
            "note": f"批量备注 {n}",
            "occurred_at": _AT + timedelta(minutes=n),
        }
        for n in range(count)
    ]


async def _stored_notes(ticket_id: int) -> list[dict[str, Any]]:
    return (
        await TicketEvent.filter(ticket_id=ticket_id, action=Action.ADD_NOTE)
        .order_by("id")
        .values(*_notes(ticket_id, 1)[0])
    )


async def test_a_ticket_row_comes_back_as_it_went_in() -> None:
    original = await new_ticket()
    [row] = await Ticket.filter(id=original.id).values()
    del row["id"]
    number = f"BULK{uuid.uuid4().hex[:12].upper()}"
    row.update(
        number=number,
        idempotency_key=unique("bulk"),
        status=TicketStatus.CLOSED,
        satisfaction=Satisfaction.BASICALLY_SATISFIED,
        photos=["https://img.example/1.jpg", "现场照片 2"],
        category_id=None,
        lat=None,
        closed_at=_AT,
        revisited_at=_AT - timedelta(hours=1),
    )
    try:
        await insert_rows(Ticket, [row])
        [stored] = await Ticket.filter(number=number).values()
    finally:
        await Ticket.filter(number=number).delete()
    assert stored.pop("id") != original.id
    assert stored == row
    assert isinstance(stored["status"], TicketStatus)
    assert stored["closed_at"] == _AT and stored["closed_at"].microsecond == _AT.microsecond


async def test_rows_go_in_batch_by_batch_in_order() -> None:
    ticket = await new_ticket()
    rows = _notes(ticket.id, 5)
    batches: list[int] = []
    try:
        await insert_rows(TicketEvent, rows, batch=2, on_batch=batches.append)
        stored = await _stored_notes(ticket.id)
    finally:
        await TicketEvent.filter(ticket_id=ticket.id, action=Action.ADD_NOTE).delete()
    assert batches == [2, 2, 1]
    assert stored == rows


async def test_rows_go_in_within_the_open_transaction() -> None:
    ticket = await new_ticket()
    with pytest.raises(RuntimeError):
        async with in_transaction():
            await insert_rows(TicketEvent, _notes(ticket.id, 3))
            assert len(await _stored_notes(ticket.id)) == 3
            raise RuntimeError("roll back")
    assert await _stored_notes(ticket.id) == []


async def test_no_rows_make_no_batch_and_a_batch_holds_a_row_at_least() -> None:
    batches: list[int] = []
    await insert_rows(TicketEvent, [], on_batch=batches.append)
    assert batches == []
    with pytest.raises(ValueError, match="batch"):
        await insert_rows(TicketEvent, [], batch=0)


async def test_times_go_in_as_utc_so_that_comparisons_hold_on_every_database() -> None:
    ticket = await new_ticket()
    rows = _notes(ticket.id, 2)  # 15:59:30 and 16:00:30 UTC, written in the city's time
    try:
        await insert_rows(TicketEvent, rows)
        before_four = await TicketEvent.filter(
            ticket_id=ticket.id,
            action=Action.ADD_NOTE,
            occurred_at__lt=datetime(2026, 3, 2, 16, 0, tzinfo=UTC),
        ).values_list("note", flat=True)
        stored = (await _stored_notes(ticket.id))[0]
    finally:
        await TicketEvent.filter(ticket_id=ticket.id, action=Action.ADD_NOTE).delete()
    assert before_four == ["批量备注 0"]
    assert stored["occurred_at"] == _AT and stored["occurred_at"].utcoffset() == timedelta(0)


async def test_a_naive_time_is_refused_with_its_batch() -> None:
    ticket = await new_ticket()
    rows = _notes(ticket.id, 2)
    rows[1]["occurred_at"] = _AT.replace(tzinfo=None)
    with pytest.raises(ValueError, match="occurred_at"):
        await insert_rows(TicketEvent, rows)
    assert await _stored_notes(ticket.id) == []
