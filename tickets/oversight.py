"""Oversight of tickets under way: urging (催办), supervision (督办) and notes (备注).

None of them changes a ticket's status: each goes through :func:`tickets.workflow.move`
with the status the ticket is in, so it is recorded in the history, guarded against a
concurrent step, and broadcast like any other step.
"""

from __future__ import annotations

from tortoise.expressions import F
from tortoise.transactions import in_transaction

from accounts.models import Role
from accounts.service import Principal, require_role
from grids.workers import grid_of_workers
from tickets.lifecycle import Action, check
from tickets.models import Ticket
from tickets.records import TicketRecord
from tickets.workflow import existing_ticket, move, note_text, own_department
from wuyou import clock, events
from wuyou.errors import DomainError, ErrorCode, Forbidden

URGE_NOTE_MAX_LENGTH = 500
NOTE_MAX_LENGTH = 2000


def _with_department(ticket: TicketRecord) -> None:
    """Refuse a ticket no department holds (one answered at intake and reopened)."""
    if ticket.department_id is None:
        raise DomainError(ErrorCode.INVALID_STATE, "工单尚未派给承办部门。", "number")


async def urge(*, number: str, note: str, actor: Principal | None) -> TicketRecord:
    """The agents urge (催办) the department handling a ticket; counted on the ticket."""
    actor = require_role(actor, Role.AGENT, Role.ADMIN)
    ticket = await existing_ticket(number)
    target = check(Action.URGE, ticket.status, actor.role)
    _with_department(ticket)
    text = note_text(
        note, field="note", label="催办意见", limit=URGE_NOTE_MAX_LENGTH, required=False
    )
    return await move(
        ticket,
        Action.URGE,
        actor,
        target,
        {"urge_count": F("urge_count") + 1},
        note=text,
        department_id=ticket.department_id,
        now=clock.now(),
    )


async def supervise(*, number: str, note: str, actor: Principal | None) -> TicketRecord:
    """Put a ticket with a department under supervision (督办), once.

    An ``actor`` of None is the platform supervising an overdue ticket by itself (the
    sweeper): the API must never pass None for an anonymous caller. Raises INVALID_STATE
    when the ticket is supervised already.
    """
    if actor is not None:
        actor = require_role(actor, Role.AGENT, Role.ADMIN)
    ticket = await existing_ticket(number)
    # The platform supervises with an administrator's authority.
    target = check(Action.SUPERVISE, ticket.status, actor.role if actor else Role.ADMIN)
    _with_department(ticket)
    text = note_text(
        note, field="note", label="督办意见", limit=URGE_NOTE_MAX_LENGTH, required=False
    )
    async with events.after_commit(), in_transaction():
        if not await Ticket.filter(id=ticket.id, supervised=False).update(supervised=True):
            raise DomainError(ErrorCode.INVALID_STATE, "该工单已在督办中。", "number")
        return await move(
            ticket,
            Action.SUPERVISE,
            actor,
            target,
            {},
            note=text,
            department_id=ticket.department_id,
            now=clock.now(),
        )


async def add_note(*, number: str, note: str, actor: Principal | None) -> TicketRecord:
    """Add a note (备注) to an open or resolved ticket's history: the agents on any
    ticket, department staff on tickets their department holds, grid workers on tickets
    in the grid they serve."""
    actor = require_role(actor, Role.AGENT, Role.ADMIN, Role.DEPARTMENT, Role.GRID_WORKER)
    ticket = await existing_ticket(number)
    target = check(Action.ADD_NOTE, ticket.status, actor.role)
    department_id = None
    if actor.role is Role.DEPARTMENT:
        department_id = await own_department(actor, ticket)
    elif actor.role is Role.GRID_WORKER:
        grid_id = (await grid_of_workers([actor.account_id])).get(actor.account_id)
        if grid_id is None or grid_id != ticket.grid_id:
            raise Forbidden("The ticket is not in the grid this worker serves.")
    text = note_text(note, field="note", label="备注", limit=NOTE_MAX_LENGTH, required=True)
    return await move(
        ticket,
        Action.ADD_NOTE,
        actor,
        target,
        {},
        note=text,
        department_id=department_id,
        now=clock.now(),
    )
