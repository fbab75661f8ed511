"""The deadline sweep: turning tickets YELLOW and RED as their running deadline nears and
passes, and supervising (督办) the overdue ones.

Each ticket row holds its running deadline (``due_at``), what the last look found
(``warning``) and when to look next (``check_at``: the yellow point, then the deadline,
then never; a step that leaves the ticket overdue asks for a look at once, see
:class:`~tickets.sla.Watch`). A sweep reads the rows whose ``check_at`` has come, in
order, and moves each with a conditional update on the ``check_at`` and status it read:
any number of workers may sweep at once, and each row is processed by exactly one of
them. Nothing else is kept in memory, so a restart loses no deadline: the first sweep
catches up.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from tortoise.transactions import in_transaction

from tickets import oversight
from tickets.catalogue import sla_policy
from tickets.lifecycle import WITH_DEPARTMENT, Action
from tickets.live import ticket_event
from tickets.models import Ticket
from tickets.records import TICKET_COLUMNS, TicketRecord, get_tickets_by_id
from tickets.sla import SlaPolicy, SlaWarning, watch
from tickets.workflow import running_deadline
from wuyou import clock, events
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

    Safe to run in every worker at once.
    """
    now = now or clock.now()
    rows = await (
        Ticket.filter(check_at__lte=now)
        .order_by("check_at", "id")
        .limit(batch)
        .values(*TICKET_COLUMNS, "check_at")
    )
    turned = {SlaWarning.NONE: 0, SlaWarning.YELLOW: 0, SlaWarning.RED: 0}
    supervised = 0
    if not rows:  # an idle sweep costs one query
        return TicketSweepReport(yellow=0, red=0, supervised=0)
    policy = await sla_policy()
    for row in rows:
        check_at = row.pop("check_at")
        swept = await _sweep(TicketRecord(**row), check_at, now, policy)
        if swept is not None:
            warning, supervising = swept
            turned[warning] += 1
            supervised += supervising
    return TicketSweepReport(
        yellow=turned[SlaWarning.YELLOW], red=turned[SlaWarning.RED], supervised=supervised
    )


async def _sweep(
    ticket: TicketRecord, check_at: datetime, now: datetime, policy: SlaPolicy
) -> tuple[SlaWarning, bool] | None:
    """Bring one ticket's warning and next look up to ``now``. The warning it turned to
    (NONE when it did not change) and whether it was supervised; None when the ticket was
    not this caller's to sweep."""
    start, _ = running_deadline(ticket, ticket.status, {}, now)
    running = watch(start, ticket.due_at, now, policy)
    changed = running.warning is not ticket.warning
    supervising = (
        running.warning is SlaWarning.RED
        and not ticket.supervised
        and ticket.status in WITH_DEPARTMENT
    )
    try:
        async with events.after_commit(), in_transaction():
            claimed = await Ticket.filter(
                id=ticket.id, check_at=check_at, status=ticket.status
            ).update(warning=running.warning, check_at=running.check_at, updated_at=now)
            if not claimed:
                return None
            if supervising:  # announced by the supervision itself
                await oversight.supervise(
                    number=ticket.number, note=AUTO_SUPERVISION_NOTE, actor=None
                )
                # The supervision is a step, which asks for a look at a RED ticket: this
                # sweep was that look.
                await Ticket.filter(id=ticket.id, warning=SlaWarning.RED).update(check_at=None)
            elif changed:
                updated = (await get_tickets_by_id([ticket.id]))[ticket.id]
                await ticket_event(updated, Action.WARN, ticket.status)
    except DomainError as error:  # supervised or moved meanwhile: the next sweep looks again
        log.info("ticket %s left for the next sweep: %s", ticket.number, error)
        return None
    return (running.warning if changed else SlaWarning.NONE), supervising
