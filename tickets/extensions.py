"""More time for a ticket (延期): the department holding it asks, the agents decide.

An approved request moves the completion deadline (and a reply deadline that fell on
it) by the working days asked for, counted from the deadline itself; a rejected one
moves nothing. Both the request and the decision are steps in the ticket's history.
A request still pending when the ticket leaves IN_PROGRESS or the department that asked
(transferred, resolved, merged) lapses: it is rejected by the step that moved the ticket.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from tortoise.models import QuerySet
from tortoise.transactions import in_transaction

from accounts.models import Role
from accounts.service import Principal, require_role
from grids.catalogue import departments_of
from tickets.calendar import WorkingCalendar
from tickets.catalogue import working_calendar
from tickets.lifecycle import Action, check
from tickets.models import ExtensionRequest, ExtensionStatus
from tickets.records import get_tickets_by_id
from tickets.workflow import existing_ticket, move, note_text, own_department
from wuyou import clock, events
from wuyou.clock import CITY_TIMEZONE
from wuyou.errors import DomainError, ErrorCode, Problem

MAX_EXTENSION_DAYS = 10
TEXT_MAX_LENGTH = 500
#: The decision note of a request that lapsed with the ticket leaving its department.
LAPSED_NOTE = "工单已离开申请部门，申请自动失效。"


@dataclass(frozen=True, slots=True)
class ExtensionRecord:
    """A request for more time and its decision.

    ``previous_deadline`` and ``new_deadline`` are the completion deadline before and
    after an approval, as :func:`decide_extension` returns them. They are not stored
    (the decision's history note states them), so records read back carry None.
    """

    id: int
    ticket_id: int
    ticket_number: str
    working_days: int
    reason: str
    status: ExtensionStatus
    requested_by_id: int
    decided_by_id: int | None
    decision_note: str
    requested_at: datetime
    decided_at: datetime | None
    previous_deadline: datetime | None = None
    new_deadline: datetime | None = None


_STORED = (
    "id",
    "ticket_id",
    "working_days",
    "reason",
    "status",
    "requested_by_id",
    "decided_by_id",
    "decision_note",
    "requested_at",
    "decided_at",
)


def _record(row: Mapping[str, Any]) -> ExtensionRecord:
    return ExtensionRecord(ticket_number=row["ticket__number"], **{c: row[c] for c in _STORED})


async def _records(query: QuerySet[ExtensionRequest]) -> list[ExtensionRecord]:
    rows = await query.order_by("requested_at", "id").values(*_STORED, "ticket__number")
    return [_record(r) for r in rows]


async def extensions_of(ticket_ids: Iterable[int]) -> dict[int, list[ExtensionRecord]]:
    """Each ticket's requests for more time, oldest first (one query)."""
    wanted = list(set(ticket_ids))
    result: dict[int, list[ExtensionRecord]] = {tid: [] for tid in wanted}
    if wanted:
        for record in await _records(ExtensionRequest.filter(ticket_id__in=wanted)):
            result[record.ticket_id].append(record)
    return result


async def get_extensions_by_id(ids: Iterable[int]) -> dict[int, ExtensionRecord]:
    """Requests for more time by id (one query); unknown ids are absent."""
    wanted = list(set(ids))
    if not wanted:
        return {}
    return {r.id: r for r in await _records(ExtensionRequest.filter(id__in=wanted))}


def _extended(deadline: datetime, working_days: int, calendar: WorkingCalendar) -> datetime:
    """The end of the ``working_days``-th working day after the day ``deadline`` closes
    (a deadline at midnight closes the day before it)."""
    return calendar.add_working_days(deadline - timedelta(microseconds=1), working_days)


def _local(moment: datetime) -> str:
    return moment.astimezone(CITY_TIMEZONE).isoformat(timespec="minutes")


async def lapse_pending(ticket_id: int, now: datetime) -> None:
    """Reject the ticket's pending requests with :data:`LAPSED_NOTE`, decided by no one
    at ``now``: the ticket is leaving IN_PROGRESS or the department that asked. Called by
    :func:`tickets.workflow.move` inside the step's transaction."""
    await ExtensionRequest.filter(ticket_id=ticket_id, status=ExtensionStatus.PENDING).update(
        status=ExtensionStatus.REJECTED,
        decided_by_id=None,
        decision_note=LAPSED_NOTE,
        decided_at=now,
    )


async def request_extension(
    *, number: str, working_days: int, reason: str, actor: Principal | None
) -> ExtensionRecord:
    """The department holding an IN_PROGRESS ticket asks for 1..10 more working days.

    One request at a time: INVALID_STATE while another is pending.
    """
    actor = require_role(actor, Role.DEPARTMENT)
    ticket = await existing_ticket(number)
    target = check(Action.REQUEST_EXTENSION, ticket.status, actor.role)
    department_id = await own_department(actor, ticket)
    problems: list[Problem] = []
    if not 1 <= working_days <= MAX_EXTENSION_DAYS:
        problems.append(
            Problem(
                "workingDays", ErrorCode.OUT_OF_RANGE, f"延期应为 1–{MAX_EXTENSION_DAYS} 个工作日。"
            )
        )
    try:
        text = note_text(
            reason, field="reason", label="延期理由", limit=TEXT_MAX_LENGTH, required=True
        )
    except DomainError as error:
        problems += error.problems
    if problems:
        raise DomainError.of(problems)
    now = clock.now()
    async with events.after_commit(), in_transaction():
        # The step updates the ticket's row first: a concurrent request waits for it,
        # then finds this one pending.
        await move(
            ticket,
            Action.REQUEST_EXTENSION,
            actor,
            target,
            {},
            note=f"申请延期 {working_days} 个工作日：{text}",
            department_id=department_id,
            now=now,
        )
        if await ExtensionRequest.filter(
            ticket_id=ticket.id, status=ExtensionStatus.PENDING
        ).exists():
            raise DomainError(ErrorCode.INVALID_STATE, "该工单已有待审批的延期申请。", "number")
        created = await ExtensionRequest.create(
            ticket_id=ticket.id,
            requested_by_id=actor.account_id,
            working_days=working_days,
            reason=text,
            status=ExtensionStatus.PENDING,
            requested_at=now,
        )
    return (await get_extensions_by_id([created.id]))[created.id]


async def decide_extension(
    *, extension_id: int, approve: bool, note: str, actor: Principal | None
) -> ExtensionRecord:
    """The agents approve or reject a pending request (rejecting needs a note).

    Approval moves the completion deadline, and the reply deadline if it was the same,
    by the working days asked for from the deadline itself, so the ticket's warning is
    judged afresh (an overdue ticket given time is no longer RED).
    """
    actor = require_role(actor, Role.AGENT, Role.ADMIN)
    extension = (await get_extensions_by_id([extension_id])).get(extension_id)
    if extension is None:
        raise DomainError(ErrorCode.NOT_FOUND, "没有这个延期申请。", "extensionId")
    if extension.status is not ExtensionStatus.PENDING:
        raise DomainError(ErrorCode.INVALID_STATE, "该延期申请已审批。", "extensionId")
    ticket = (await get_tickets_by_id([extension.ticket_id]))[extension.ticket_id]
    try:
        target = check(Action.DECIDE_EXTENSION, ticket.status, actor.role)
    except DomainError as error:
        raise DomainError(error.code, "工单已不在办理中，无法审批延期。", "extensionId") from None
    requester = (await departments_of([extension.requested_by_id])).get(extension.requested_by_id)
    if requester is None or requester.id != ticket.department_id:
        raise DomainError(
            ErrorCode.INVALID_STATE, "申请部门已不再承办该工单，无法审批延期。", "extensionId"
        )
    text = note_text(
        note, field="note", label="审批意见", limit=TEXT_MAX_LENGTH, required=not approve
    )
    changes: dict[str, Any] = {}
    previous = new = None
    if approve:
        assert ticket.complete_deadline is not None
        previous = ticket.complete_deadline
        new = _extended(previous, extension.working_days, await working_calendar())
        changes["complete_deadline"] = new
        if ticket.reply_deadline == previous:
            changes["reply_deadline"] = new
        summary = (
            f"批准延期 {extension.working_days} 个工作日，"
            f"办结时限 {_local(previous)} → {_local(new)}"
        )
    else:
        summary = "不批准延期"
    now = clock.now()
    outcome = ExtensionStatus.APPROVED if approve else ExtensionStatus.REJECTED
    async with events.after_commit(), in_transaction():
        decided = await ExtensionRequest.filter(
            id=extension.id, status=ExtensionStatus.PENDING
        ).update(status=outcome, decided_by_id=actor.account_id, decision_note=text, decided_at=now)
        if not decided:
            raise DomainError(ErrorCode.INVALID_STATE, "该延期申请已审批。", "extensionId")
        await move(
            ticket,
            Action.DECIDE_EXTENSION,
            actor,
            target,
            changes,
            note=f"{summary}。{text}" if text else f"{summary}。",
            department_id=ticket.department_id,
            now=now,
        )
    stored = (await get_extensions_by_id([extension.id]))[extension.id]
    return replace(stored, previous_deadline=previous, new_deadline=new)
