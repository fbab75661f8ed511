"""The hotline's specialised desks: the enterprise service desk (企业服务专席) and the
government-integrity desk (政务诚信受理专席).

A ticket is marked for a desk at intake or later by an agent (:func:`set_desk`), and
lands in that desk's queue (:func:`desk_queue`): its open tickets, nearest deadline
first. Marking, moving and unmarking change no status: each goes through
:func:`tickets.workflow.move` with the status the ticket is in, guarded by a conditional
update on the desk it was read with, so it is in the history and broadcast like any
step. :func:`desk_figures` gives each desk's KPIs for ``hotlineStats``.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tortoise.expressions import Q, Subquery
from tortoise.functions import Count
from tortoise.transactions import in_transaction

from accounts.models import Role
from accounts.service import Principal, require_role
from tickets.lifecycle import OPEN, Action, check
from tickets.models import Consultation, ConsultationStatus, Desk, Ticket
from tickets.records import TicketRecord
from tickets.workflow import existing_ticket, move, note_text

if TYPE_CHECKING:
    from tickets.queries import TicketPage
from wuyou import clock, events
from wuyou.errors import DomainError, ErrorCode

NOTE_MAX_LENGTH = 500
DESK_NAMES: Mapping[Desk, str] = {
    Desk.ENTERPRISE: "企业服务专席",
    Desk.INTEGRITY: "政务诚信受理专席",
}


def desk_note(desk: Desk | None, previous: Desk | None, note: str = "") -> str:
    """The history note of a ticket marked for ``desk`` (None: unmarked) from ``previous``."""
    if desk is None:
        summary = f"移出{DESK_NAMES[previous]}" if previous else ""
    elif previous is None:
        summary = f"转入{DESK_NAMES[desk]}"
    else:
        summary = f"由{DESK_NAMES[previous]}转入{DESK_NAMES[desk]}"
    return f"{summary}：{note}" if note else summary


async def set_desk(
    *, number: str, desk: Desk | None, note: str = "", actor: Principal | None
) -> TicketRecord:
    """Mark an open ticket for ``desk``, move it to another desk, or (None) take it off
    its desk (agents). INVALID on ``desk`` when the ticket is there already;
    INVALID_STATE when another agent changed its desk first."""
    actor = require_role(actor, Role.AGENT, Role.ADMIN)
    ticket = await existing_ticket(number)
    target = check(Action.SET_DESK, ticket.status, actor.role)
    if desk == ticket.desk:
        message = "工单已在该专席。" if desk else "工单不在任何专席。"
        raise DomainError(ErrorCode.INVALID, message, "desk")
    text = note_text(note, field="note", label="备注", limit=NOTE_MAX_LENGTH, required=False)
    read_with = Q(desk=ticket.desk) if ticket.desk else Q(desk__isnull=True)
    async with events.after_commit(), in_transaction():
        if not await Ticket.filter(read_with, id=ticket.id).update(desk=desk):
            raise DomainError(
                ErrorCode.INVALID_STATE, "工单的专席已被他人更改，请刷新后重试。", "number"
            )
        return await move(
            ticket,
            Action.SET_DESK,
            actor,
            target,
            {},
            note=desk_note(desk, ticket.desk, text),
            now=clock.now(),
        )


async def desk_queue(
    principal: Principal | None, desk: Desk, *, first: int, after: str | None
) -> TicketPage:
    """A desk's queue (agents): its open tickets, the nearest running deadline first;
    those without one (received, not yet dispatched) follow, oldest first."""
    # queries reads intake, which marks tickets for desks with this module
    from tickets.queries import TicketFilter, TicketOrder, list_tickets

    require_role(principal, Role.AGENT, Role.ADMIN)
    return await list_tickets(
        principal,
        TicketFilter(desk=desk, statuses=tuple(sorted(OPEN))),
        first=first,
        after=after,
        order=TicketOrder.DUE_ASC,
    )


@dataclass(frozen=True, slots=True)
class DeskFigures:
    """A desk's KPIs over the tickets of a cohort marked for it (see :func:`desk_figures`)."""

    desk: Desk
    name: str
    received: int
    resolved_at_intake: int
    first_contact_rate: float | None
    resolved_at_intake_with_specialist: int
    consultations: int
    consultations_answered: int
    consultations_declined: int
    median_seconds_to_answer: float | None
    average_seconds_to_answer: float | None


async def desk_figures(cohort: Q, *, at_once: Q) -> list[DeskFigures]:
    """Each desk's figures over the tickets of ``cohort`` (a filter on tickets) marked for
    it, every desk listed (in :class:`Desk` order) even without tickets:

    * ``received``: the desk's tickets; ``resolved_at_intake``: those ``at_once`` selects
      (answered at first contact and not reopened, as ``hotlineStats`` counts them);
      ``first_contact_rate`` = resolved_at_intake / received;
      ``resolved_at_intake_with_specialist``: those of them a specialist answered on.
    * ``consultations``: the specialists invited onto the desk's tickets;
      ``consultations_answered`` and ``consultations_declined`` by their outcome.
    * ``median_seconds_to_answer``, ``average_seconds_to_answer``: from invitation to
      answer over the answered consultations; None without any.

    The tickets are one GROUP BY desk, the consultations one GROUP BY desk and status;
    the answer times are read as rows (a desk answers tens a day) for the median, which
    neither database computes alike.
    """
    marked = Ticket.filter(cohort, desk__isnull=False)
    answered = Consultation.filter(status=ConsultationStatus.ANSWERED)
    tickets = await (
        marked.annotate(
            n_received=Count("id"),
            n_at_once=Count("id", _filter=at_once),
            n_with_specialist=Count(
                "id", _filter=Q(at_once, id__in=Subquery(answered.values("ticket_id")))
            ),
        )
        .group_by("desk")
        .values("desk", "n_received", "n_at_once", "n_with_specialist")
    )
    of_cohort = Consultation.filter(ticket_id__in=Subquery(marked.values("id")))
    counts = await (
        of_cohort.annotate(n=Count("id"))
        .group_by("ticket__desk", "status")
        .values("ticket__desk", "status", "n")
    )
    times = await of_cohort.filter(status=ConsultationStatus.ANSWERED).values_list(
        "ticket__desk", "invited_at", "answered_at"
    )
    by_ticket = {Desk(row["desk"]): row for row in tickets}
    by_status: dict[Desk, dict[ConsultationStatus, int]] = defaultdict(dict)
    for row in counts:
        by_status[Desk(row["ticket__desk"])][ConsultationStatus(row["status"])] = row["n"]
    seconds: dict[Desk, list[float]] = defaultdict(list)
    for desk, invited_at, answered_at in times:
        seconds[Desk(desk)].append((answered_at - invited_at).total_seconds())
    figures = []
    for desk in Desk:
        row = by_ticket.get(desk, {})
        received, at_once_count = row.get("n_received", 0), row.get("n_at_once", 0)
        statuses = by_status[desk]
        waits = seconds[desk]
        figures.append(
            DeskFigures(
                desk=desk,
                name=DESK_NAMES[desk],
                received=received,
                resolved_at_intake=at_once_count,
                first_contact_rate=at_once_count / received if received else None,
                resolved_at_intake_with_specialist=row.get("n_with_specialist", 0),
                consultations=sum(statuses.values()),
                consultations_answered=statuses.get(ConsultationStatus.ANSWERED, 0),
                consultations_declined=statuses.get(ConsultationStatus.DECLINED, 0),
                median_seconds_to_answer=statistics.median(waits) if waits else None,
                average_seconds_to_answer=statistics.fmean(waits) if waits else None,
            )
        )
    return figures
