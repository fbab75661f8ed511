"""Number the demo tickets and store them with their history, in bulk.

Numbers continue each day's sequence after what intake has issued, and the sequences
are advanced past them, so intake carries on after the demo tickets.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from grids.demo import SeedProgress
from tickets.demo.draw import Draft
from tickets.demo.life import Life
from tickets.intake import NUMBER_PREFIX
from tickets.lifecycle import Action
from tickets.models import Ticket, TicketEvent
from wuyou.bulk import insert_rows
from wuyou.clock import CITY_TIMEZONE
from wuyou.models import NumberSequence

#: Tickets stored per batch, with their history.
_BATCH = 1000


async def _issued(drafts: Sequence[Draft]) -> dict[date, int]:
    """The last number already issued on each day the drafts fall on."""
    if not drafts:
        return {}
    days = {_local_day(d.received_at) for d in drafts}
    issued: dict[date, int] = dict(
        await NumberSequence.filter(prefix=NUMBER_PREFIX, day__in=list(days)).values_list(
            "day", "value"
        )
    )
    since = drafts[0].received_at - timedelta(days=2)
    for number in await Ticket.filter(received_at__gte=since).values_list("number", flat=True):
        text = str(number)
        if text.startswith(NUMBER_PREFIX) and len(text) == len(NUMBER_PREFIX) + 14:
            day = datetime.strptime(text[2:10], "%Y%m%d").date()
            issued[day] = max(issued.get(day, 0), int(text[10:]))
    return issued


async def assign_numbers(drafts: Sequence[Draft]) -> None:
    """Number the drafts (in the order received) after what each day has issued."""
    last = await _issued(drafts)
    for draft in drafts:
        day = _local_day(draft.received_at)
        last[day] = last.get(day, 0) + 1
        draft.number = f"{NUMBER_PREFIX}{day:%Y%m%d}{last[day]:06d}"


async def advance_sequences(drafts: Sequence[Draft]) -> None:
    """Set each day's sequence to its last number, so intake continues after it."""
    last: dict[date, int] = {}
    for draft in drafts:
        last[_local_day(draft.received_at)] = int(draft.number[10:])
    rows = dict(
        await NumberSequence.filter(prefix=NUMBER_PREFIX, day__in=list(last)).values_list(
            "day", "id"
        )
    )
    for day, value in last.items():
        if day in rows:
            await NumberSequence.filter(id=rows[day], value__lt=value).update(value=value)
    await NumberSequence.bulk_create(
        [
            NumberSequence(prefix=NUMBER_PREFIX, day=day, value=value)
            for day, value in sorted(last.items())
            if day not in rows
        ]
    )


async def insert_tickets(lives: Sequence[Life], progress: SeedProgress) -> list[int]:
    """Store the tickets; their ids in order. Merges and duplicates point at ids, set last."""
    ids: list[int] = []
    for start in range(0, len(lives), _BATCH):
        chunk = lives[start : start + _BATCH]
        await insert_rows(Ticket, [life.row for life in chunk], on_batch=progress.advance)
        found = dict(
            await Ticket.filter(number__in=[life.row["number"] for life in chunk]).values_list(
                "number", "id"
            )
        )
        ids.extend(found[life.row["number"]] for life in chunk)
    for n, life in enumerate(lives):
        links = {}
        if life.master is not None:
            links["merged_into_id"] = ids[life.master]
        if life.duplicate_of is not None:
            links["likely_duplicate_of_id"] = ids[life.duplicate_of]
        if links:
            await Ticket.filter(id=ids[n]).update(**links)
    return ids


async def insert_history(lives: Sequence[Life], ids: Sequence[int], progress: SeedProgress) -> None:
    """Store the tickets' history rows; ``ids`` are the tickets' ids in order."""
    for start in range(0, len(lives), _BATCH):
        rows = [
            row
            for n in range(start, min(start + _BATCH, len(lives)))
            for row in _history(lives[n], n, ids)
        ]
        await insert_rows(TicketEvent, rows, on_batch=progress.advance)


def _history(life: Life, position: int, ids: Sequence[int]) -> Iterator[dict[str, Any]]:
    """The ticket's history rows; intake noted the id of the ticket it likely repeats."""
    for step in life.steps:
        note = step.note
        if step.action is Action.RECEIVE and life.duplicate_of is not None:
            note = "；".join(n for n in (f"疑似重复：{ids[life.duplicate_of]}", note) if n)
        yield {
            "ticket_id": ids[position],
            "action": step.action,
            "from_status": step.from_status,
            "to_status": step.to_status,
            "actor_id": step.actor_id,
            "department_id": step.department_id,
            "note": note,
            "occurred_at": step.at,
        }


def _local_day(moment: datetime) -> date:
    return moment.astimezone(CITY_TIMEZONE).date()
