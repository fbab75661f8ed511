"""The deadline sweep: turning tickets YELLOW and RED as their running deadline nears and
passes, and supervising (督办) the overdue ones.

Each ticket row holds its running deadline (``due_at``), what the last look found
(``warning``) and when to look next (``check_at``: the yellow point, then the deadline,
then never; a step that leaves the ticket overdue asks for a look at once, see
:class:`~tickets.sla.Watch`). A sweep claims the rows whose ``check_at`` has come, in
order (:mod:`wuyou.claims`: workers sweeping at once take different rows), and moves
each with a conditional update on the ``check_at`` and status it read: any number of
workers may sweep at once, and each row is processed by exactly one of them. Nothing
else is kept in memory, so a restart loses no deadline: the first sweep catches up.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tickets import oversight
from tickets.catalogue import sla_policy
from tickets.lifecycle import WITH_DEPARTMENT, Action
from tickets.live import ticket_event
from tickets.models import Ticket
from tickets.records import TICKET_COLUMNS, TicketRecord, get_tickets_by_id
from tickets.sla import SlaPolicy, SlaWarning, watch
from tickets.workflow import running_deadline
from wuyou import claims, clock
from wuyou.errors import DomainError

log = logging.getLogger(__name__)

#: The history note of the platform's own supervision of an overdue ticket.
AUTO_SUPERVISION_NOTE = "超期自动督办"


@dataclass(frozen=True, slots=True)
class TicketSweepReport:
    """What one sweep did: tickets turned YELLOW, turned RED, and supervised."""

    yellow: int
    red: int
    supervised: int


async def sweep_tickets(now: datetime | None = None, batch: int = 500) -> TicketSweepReport:
    """Look at up to ``batch`` tickets whose next look is due at ``now`` (default: the
    clock's time), earliest first: set their warning and next look, tell subscribers, and
    supervise each ticket that turned RED while with a department and not yet supervised.

    Safe to run in every worker at once: each worker claims the tickets it looks at
    (:mod:`wuyou.claims`).
    """
    now = now or clock.now()
    policy = await sla_policy()

    async def sweep(row: dict[str, Any]) -> tuple[SlaWarning, bool] | None:
        check_at = row.pop("check_at")
        return await _sweep(TicketRecord(**row), check_at, now, policy)

    looks = await claims.sweep(
        Ticket.filter(check_at__lte=now),
        (*TICKET_COLUMNS, "check_at"),
        sweep,
        order=("check_at", "id"),
        limit=batch,
        skip=(DomainError,),
    )
    swept = [look for look in looks if look is not None]
    turned = Counter(warning for warning, _ in swept)
    return TicketSweepReport(
        yellow=turned[SlaWarning.YELLOW],
        red=turned[SlaWarning.RED],
        supervised=sum(supervising for _, supervising in swept),
    )


async def _sweep(
    ticket: TicketRecord, check_at: datetime, now: datetime, policy: SlaPolicy
) -> tuple[SlaWarning, bool] | None:
    """Inside the ticket's claim, bring its warning and next look up to ``now``. The
    warning it turned to (NONE when it did not change) and whether it was supervised;
    None when the ticket was not this caller's to sweep. Raises DomainError (which
    rolls the look back) when the ticket was supervised or moved meanwhile."""
    start, _ = running_deadline(ticket, ticket.status, {}, now)
    running = watch(start, ticket.due_at, now, policy)
    changed = running.warning is not ticket.warning
    supervising = (
        running.warning is SlaWarning.RED
        and not ticket.supervised
        and ticket.status in WITH_DEPARTMENT
    )
    claimed = await Ticket.filter(id=ticket.id, check_at=check_at, status=ticket.status).update(
        warning=running.warning, check_at=running.check_at, updated_at=now
    )
    if not claimed:
        return None
    try:
        if supervising:  # announced by the supervision itself
            await oversight.supervise(number=ticket.number, note=AUTO_SUPERVISION_NOTE, actor=None)
            # The supervision is a step, which asks for a look at a RED ticket: this sweep
            # was that look.
            await Ticket.filter(id=ticket.id, warning=SlaWarning.RED).update(check_at=None)
        elif changed:
            updated = (await get_tickets_by_id([ticket.id]))[ticket.id]
            await ticket_event(updated, Action.WARN, ticket.status)
    except DomainError as error:  # the next sweep looks again
        log.info("ticket %s left for the next sweep: %s", ticket.number, error)
        raise
    return (running.warning if changed else SlaWarning.NONE), supervising


async def oldest_due(now: datetime) -> datetime | None:
    """When the longest-waiting ticket look fell due; None when none is due. A sweep that
    keeps up finds this within one interval of ``now``."""
    due = await Ticket.filter(check_at__lte=now).order_by("check_at").limit(1).values("check_at")
    return due[0]["check_at"] if due else None
