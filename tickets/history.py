"""A ticket's history (its TicketEvents) as plain records."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from tickets.lifecycle import Action, TicketStatus
from tickets.models import TicketEvent


@dataclass(frozen=True, slots=True)
class TicketEventRecord:
    """One step of a ticket: the action, from and to, who, which department, a note."""

    id: int
    ticket_id: int
    action: Action
    from_status: TicketStatus | None
    to_status: TicketStatus
    actor_id: int | None
    department_id: int | None
    note: str
    occurred_at: datetime


_COLUMNS = tuple(TicketEventRecord.__dataclass_fields__)


async def history_of(ticket_ids: Iterable[int]) -> dict[int, list[TicketEventRecord]]:
    """The steps of each ticket, oldest first, in one query; every id asked for is a key."""
    wanted = list(set(ticket_ids))
    result: dict[int, list[TicketEventRecord]] = {tid: [] for tid in wanted}
    if wanted:
        rows = await (
            TicketEvent.filter(ticket_id__in=wanted).order_by("occurred_at", "id").values(*_COLUMNS)
        )
        for row in rows:
            result[row["ticket_id"]].append(TicketEventRecord(**row))
    return result
