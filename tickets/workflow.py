"""The work order's main path: dispatch (派单), sign (签收), return (退单), transfer (转办),
resolve (办结), revisit (回访), and answering at first contact (一次办结).

Each step checks the lifecycle table, then moves the ticket with a conditional update on
the status and department it was read with (a concurrent step makes this one fail
cleanly, never both succeed), records the step in the history, and sets the deadlines
the step starts.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from tortoise.transactions import in_transaction

from accounts.models import Role
from accounts.service import Principal, require_role
from grids.catalogue import departments_of, get_department
from tickets.catalogue import sla_policy, working_calendar
from tickets.knowledge.records import is_published
from tickets.lifecycle import Action, Satisfaction, TicketStatus, check, revisit_target
from tickets.live import ticket_event
from tickets.models import Category, Ticket, TicketEvent
from tickets.records import TicketRecord, get_ticket, get_tickets_by_id
from tickets.sla import (
    Deadlines,
    deadlines,
    return_deadline,
    revisit_deadline,
    watch,
)
from wuyou import clock, events
from wuyou.errors import DomainError, ErrorCode, Forbidden

REPLY_MAX_LENGTH = 5000


async def existing_ticket(number: str) -> TicketRecord:
    """The ticket with ``number``; NOT_FOUND on ``number`` when there is none."""
    ticket = await get_ticket(number)
    if ticket is None:
        raise DomainError(ErrorCode.NOT_FOUND, f"没有工单 {number!r}。", "number")
    return ticket


async def own_department(actor: Principal, ticket: TicketRecord) -> int:
    """The actor's department, which must be the one the ticket is with (Forbidden
    otherwise)."""
    department = (await departments_of([actor.account_id])).get(actor.account_id)
    if department is None:
        raise Forbidden("This account does not work for a department.")
    if department.id != ticket.department_id:
        raise Forbidden("The ticket is with another department.")
    return department.id


async def _deadlines(
    ticket: TicketRecord, *, received_at: datetime, dispatched_at: datetime
) -> Deadlines:
    """The ticket's deadlines by the configured policy and calendar, with its category's
    overrides."""
    category = await Category.get_or_none(id=ticket.category_id) if ticket.category_id else None
    return deadlines(
        received_at=received_at,
        dispatched_at=dispatched_at,
        kind=ticket.kind,
        urgency=ticket.urgency,
        calendar=await working_calendar(),
        policy=await sla_policy(),
        category_reply_days=category.reply_days if category else None,
        category_complete_days=category.complete_days if category else None,
    )


def note_text(text: str, *, field: str, label: str, limit: int, required: bool) -> str:
    """``text`` trimmed; REQUIRED when empty and ``required``, TOO_LONG past ``limit``."""
    value = text.strip()
    if required and not value:
        raise DomainError(ErrorCode.REQUIRED, f"请填写{label}。", field)
    if len(value) > limit:
        raise DomainError(ErrorCode.TOO_LONG, f"{label}最多 {limit} 个字。", field)
    return value


def _reply(text: str) -> str:
    return note_text(text, field="reply", label="答复内容", limit=REPLY_MAX_LENGTH, required=True)


def running_deadline(
    ticket: TicketRecord, status: TicketStatus, changes: Mapping[str, Any], now: datetime
) -> tuple[datetime, datetime | None]:
    """When the deadline that runs once the ticket is in ``status`` began, and that
    deadline (None: none runs): signing while dispatched or reopened, completion while in
    progress, the revisit once resolved. ``changes`` are the columns a step is about to set."""

    def value(name: str) -> Any:
        return changes.get(name, getattr(ticket, name))

    if status in (TicketStatus.DISPATCHED, TicketStatus.REOPENED):
        return value("dispatched_at") or now, value("sign_deadline")
    if status is TicketStatus.IN_PROGRESS:
        # Completion runs from receipt, or from the revisit that reopened the ticket.
        began = value("revisited_at") if value("reopen_count") else ticket.received_at
        return began or ticket.received_at, value("complete_deadline")
    if status is TicketStatus.RESOLVED:
        return value("resolved_at") or now, value("revisit_deadline")
    return now, None


async def move(
    ticket: TicketRecord,
    action: Action,
    actor: Principal | None,
    target: TicketStatus,
    changes: Mapping[str, Any],
    *,
    note: str = "",
    department_id: int | None = None,
    now: datetime,
) -> TicketRecord:
    """Apply one step: update the ticket if it is still in the status and with the
    department it was read with (what the step decided on), record the step in its
    history, keep its running deadline, and tell subscribers. A ticket leaving
    IN_PROGRESS or its department lets its pending requests for more time lapse.

    An ``actor`` of None is the platform itself (the sweeper). Raises INVALID_STATE when
    another step moved the ticket first.
    """
    running = watch(
        *running_deadline(ticket, target, changes, now), now, await sla_policy()
    ).after_step()
    leaves = ticket.status is TicketStatus.IN_PROGRESS and (
        target is not TicketStatus.IN_PROGRESS
        or changes.get("department_id", ticket.department_id) != ticket.department_id
    )
    columns = {
        **changes,
        "status": target,
        "updated_at": now,
        "due_at": running.due_at,
        "warning": running.warning,
        "check_at": running.check_at,
    }
    async with events.after_commit(), in_transaction():
        moved = await Ticket.filter(
            id=ticket.id, status=ticket.status, department_id=ticket.department_id
        ).update(**columns)
        if not moved:
            raise DomainError(
                ErrorCode.INVALID_STATE, "工单状态已被他人更新，请刷新后重试。", "number"
            )
        if leaves:
            from tickets.extensions import lapse_pending  # extensions builds on this module

            await lapse_pending(ticket.id, now)
        await TicketEvent.create(
            ticket_id=ticket.id,
            action=action,
            from_status=ticket.status,
            to_status=target,
            actor_id=actor.account_id if actor else None,
            department_id=department_id,
            note=note[:2000],
            occurred_at=now,
        )
        updated = (await get_tickets_by_id([ticket.id]))[ticket.id]
        await ticket_event(updated, action, ticket.status, left_department_id=ticket.department_id)
        if target is TicketStatus.CLOSED:
            from tickets.merging import close_followers  # merging builds on this module

            await close_followers(updated, action, actor, now=now)
    return updated


async def dispatch_changes(
    ticket: TicketRecord, department_id: int, now: datetime
) -> dict[str, Any]:
    """The columns dispatching ``ticket`` to a department at ``now`` sets: the department
    and the deadlines that start (signing from now, reply and completion from receipt)."""
    due = await _deadlines(ticket, received_at=ticket.received_at, dispatched_at=now)
    return {
        "department_id": department_id,
        "dispatched_at": now,
        "signed_at": None,
        "sign_deadline": due.sign,
        "reply_deadline": due.reply,
        "complete_deadline": due.complete,
    }


async def dispatch(
    *, number: str, department_code: str, actor: Principal | None, note: str = ""
) -> TicketRecord:
    """Send a RECEIVED (or RETURNED) ticket to a department; its deadlines start now."""
    actor = require_role(actor, Role.AGENT, Role.ADMIN)
    ticket = await existing_ticket(number)
    target = check(Action.DISPATCH, ticket.status, actor.role)
    department = await get_department(department_code)
    if department is None:
        raise DomainError(ErrorCode.NOT_FOUND, "没有这个部门。", "departmentCode")
    now = clock.now()
    return await move(
        ticket,
        Action.DISPATCH,
        actor,
        target,
        await dispatch_changes(ticket, department.id, now),
        note=note,
        department_id=department.id,
        now=now,
    )


async def sign(*, number: str, actor: Principal | None) -> TicketRecord:
    """The department the ticket is with signs for it (签收) and starts work."""
    actor = require_role(actor, Role.DEPARTMENT)
    ticket = await existing_ticket(number)
    target = check(Action.SIGN, ticket.status, actor.role)
    department_id = await own_department(actor, ticket)
    now = clock.now()
    return await move(
        ticket,
        Action.SIGN,
        actor,
        target,
        {"signed_at": now},
        department_id=department_id,
        now=now,
    )


async def resolve(*, number: str, reply: str, actor: Principal | None) -> TicketRecord:
    """The department finishes (办结) with its reply to the citizen; the revisit is due."""
    actor = require_role(actor, Role.DEPARTMENT)
    ticket = await existing_ticket(number)
    target = check(Action.RESOLVE, ticket.status, actor.role)
    department_id = await own_department(actor, ticket)
    text = _reply(reply)
    now = clock.now()
    changes = {
        "reply": text,
        "resolved_at": now,
        "revisit_deadline": revisit_deadline(now, await working_calendar(), await sla_policy()),
    }
    return await move(
        ticket,
        Action.RESOLVE,
        actor,
        target,
        changes,
        note=text,
        department_id=department_id,
        now=now,
    )


async def resolve_at_intake(
    *, number: str, reply: str, actor: Principal | None, article_id: int | None = None
) -> TicketRecord:
    """The agent answers at first contact (一次办结); no department is involved. The
    answer may cite the knowledge-base article that gave it (``article_id``: a PUBLISHED
    one, else NOT_FOUND on ``articleId``), so first-contact resolutions count per article."""
    actor = require_role(actor, Role.AGENT, Role.ADMIN)
    ticket = await existing_ticket(number)
    target = check(Action.RESOLVE_AT_INTAKE, ticket.status, actor.role)
    text = _reply(reply)
    if article_id is not None and not await is_published(article_id):
        raise DomainError(ErrorCode.NOT_FOUND, "没有这篇已发布的知识库文章。", "articleId")
    now = clock.now()
    changes = {
        "reply": text,
        "resolved_at": now,
        "resolved_at_intake": True,
        "cited_article_id": article_id,
        "revisit_deadline": revisit_deadline(now, await working_calendar(), await sla_policy()),
    }
    return await move(ticket, Action.RESOLVE_AT_INTAKE, actor, target, changes, note=text, now=now)


async def revisit(
    *, number: str, answer: Satisfaction, note: str = "", actor: Principal | None
) -> TicketRecord:
    """Record the citizen's satisfaction (回访): CLOSED, or REOPENED (重办): back to the
    same department, which signs again and gets a fresh completion deadline (a ticket
    answered at intake goes back to the agents to dispatch)."""
    actor = require_role(actor, Role.AGENT, Role.ADMIN)
    ticket = await existing_ticket(number)
    check(Action.REVISIT, ticket.status, actor.role)
    target = revisit_target(answer)
    now = clock.now()
    changes: dict[str, Any] = {"satisfaction": answer, "revisited_at": now}
    if target is TicketStatus.CLOSED:
        changes["closed_at"] = now
    elif ticket.department_id is None:  # answered at intake: the agents dispatch it now
        changes["reopen_count"] = ticket.reopen_count + 1
    else:
        due = await _deadlines(ticket, received_at=now, dispatched_at=now)
        changes.update(
            reopen_count=ticket.reopen_count + 1,
            dispatched_at=now,
            signed_at=None,
            resolved_at=None,
            sign_deadline=due.sign,
            reply_deadline=due.reply,
            complete_deadline=due.complete,
        )
    return await move(
        ticket,
        Action.REVISIT,
        actor,
        target,
        changes,
        note=note or answer.value,
        department_id=ticket.department_id,
        now=now,
    )


async def return_ticket(*, number: str, reason: str, actor: Principal | None) -> TicketRecord:
    """The department sends a dispatched ticket back to the agents (退单) with its reason,
    within the return window. A second return of the same ticket needs a supervisor: an
    administrator returns it; the department is refused with SUPERVISOR_REQUIRED."""
    actor = require_role(actor, Role.DEPARTMENT, Role.ADMIN)
    ticket = await existing_ticket(number)
    target = check(Action.RETURN, ticket.status, actor.role)
    department_id = ticket.department_id
    if actor.role is Role.DEPARTMENT:
        department_id = await own_department(actor, ticket)
        if ticket.return_count >= 1:
            raise DomainError(
                ErrorCode.SUPERVISOR_REQUIRED,
                "该工单已退回过一次，再次退单需值班长（管理员）办理。",
                "number",
            )
    if not reason.strip():
        raise DomainError(ErrorCode.REQUIRED, "请说明退单理由。", "reason")
    now = clock.now()
    assert ticket.dispatched_at is not None
    if actor.role is Role.DEPARTMENT:
        policy = await sla_policy()
        if now > return_deadline(ticket.dispatched_at, await working_calendar(), policy):
            raise DomainError(
                ErrorCode.TOO_LATE,
                f"已超过退单期限（派单后 {policy.return_days} 个工作日）。",
                "number",
            )
    changes = {
        "department_id": None,
        "return_count": ticket.return_count + 1,
        "sign_deadline": None,
        "signed_at": None,
    }
    return await move(
        ticket,
        Action.RETURN,
        actor,
        target,
        changes,
        note=reason.strip(),
        department_id=department_id,
        now=now,
    )


async def transfer(
    *, number: str, department_code: str, note: str, actor: Principal | None
) -> TicketRecord:
    """Pass a ticket to another department (转办): it is DISPATCHED to the new department,
    which consents by signing. The completion deadline still runs from receipt."""
    actor = require_role(actor, Role.AGENT, Role.ADMIN, Role.DEPARTMENT)
    ticket = await existing_ticket(number)
    target = check(Action.TRANSFER, ticket.status, actor.role)
    if actor.role is Role.DEPARTMENT:
        await own_department(actor, ticket)
    department = await get_department(department_code)
    if department is None:
        raise DomainError(ErrorCode.NOT_FOUND, "没有这个部门。", "departmentCode")
    if department.id == ticket.department_id:
        raise DomainError(ErrorCode.INVALID, "工单已在该部门。", "departmentCode")
    now = clock.now()
    sign_by = (await _deadlines(ticket, received_at=ticket.received_at, dispatched_at=now)).sign
    changes = {
        "department_id": department.id,
        "dispatched_at": now,
        "signed_at": None,
        "sign_deadline": min(sign_by, ticket.complete_deadline or sign_by),
    }
    return await move(
        ticket,
        Action.TRANSFER,
        actor,
        target,
        changes,
        note=note.strip(),
        department_id=department.id,
        now=now,
    )
