"""Telling the world about tickets: the topics a ticket's changes are broadcast on.

Agents follow every ticket (``tickets``); a department follows its queue
(``department:{id}``), which hears of a ticket both when it arrives and when it leaves
(returned, transferred away); anyone who may see a ticket can follow it
(``ticket:{number}``). Every publish happens inside ``events.after_commit()``.
"""

from __future__ import annotations

from tickets.lifecycle import Action, TicketStatus
from tickets.records import TicketRecord
from wuyou import events

#: Every ticket's changes: the agents' board.
ALL_TICKETS_TOPIC = "tickets"
TICKET_UPDATED = "TICKET_UPDATED"


def ticket_topic(number: str) -> str:
    """The topic of one ticket's changes."""
    return f"ticket:{number}"


def department_topic(department_id: int) -> str:
    """The topic of one department's queue."""
    return f"department:{department_id}"


async def ticket_event(
    ticket: TicketRecord,
    action: Action,
    previous: TicketStatus | None,
    *,
    left_department_id: int | None = None,
) -> None:
    """Publish that ``action`` moved ``ticket`` from ``previous`` (None: it was created)."""
    payload = {
        "number": ticket.number,
        "status": ticket.status.value,
        "previous": previous.value if previous else None,
        "action": action.value,
    }
    await events.publish(ALL_TICKETS_TOPIC, TICKET_UPDATED, **payload)
    await events.publish(ticket_topic(ticket.number), TICKET_UPDATED, **payload)
    departments = {ticket.department_id, left_department_id} - {None}
    for department_id in sorted(d for d in departments if d is not None):
        await events.publish(department_topic(department_id), TICKET_UPDATED, **payload)
