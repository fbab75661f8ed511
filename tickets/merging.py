"""Merging duplicates (合并工单): several calls about one problem become followers of a
master ticket, which alone is worked on.

A follower is MERGED: its deadlines stop, and it closes with its master (the master's
reply and the citizen's satisfaction, see :func:`close_followers`). A merged ticket's own
followers move on to the new master, so followers never form chains.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from tortoise.transactions import in_transaction

from accounts.models import Role
from accounts.service import Principal, require_role
from tickets.lifecycle import Action, TicketStatus, check
from tickets.models import Ticket
from tickets.records import TICKET_COLUMNS, TicketRecord
from tickets.workflow import existing_ticket, move, note_text
from wuyou import clock, events
from wuyou.errors import DomainError, ErrorCode, Problem

#: The most tickets one merge takes.
MAX_MERGED = 50
NOTE_MAX_LENGTH = 500


async def merged_into(master_ids: Iterable[int]) -> dict[int, list[TicketRecord]]:
    """The tickets merged into each master, oldest first (one query)."""
    wanted = list(set(master_ids))
    result: dict[int, list[TicketRecord]] = {mid: [] for mid in wanted}
    if wanted:
        rows = await (
            Ticket.filter(merged_into_id__in=wanted)
            .order_by("received_at", "id")
            .values(*TICKET_COLUMNS)
        )
        for row in rows:
            result[row["merged_into_id"]].append(TicketRecord(**row))
    return result


async def merge(
    *, master_number: str, numbers: list[str], note: str, actor: Principal | None
) -> TicketRecord:
    """Merge the open tickets ``numbers`` into the master ticket, all or none (agents).

    Every unusable number is reported at once on ``numbers``: unknown (NOT_FOUND), the
    master itself (INVALID), not open or merged already (INVALID_STATE). The master,
    which must be neither MERGED nor CLOSED, stays as it is and is returned.
    """
    actor = require_role(actor, Role.AGENT, Role.ADMIN)
    master = await existing_ticket(master_number)
    if master.status in (TicketStatus.MERGED, TicketStatus.CLOSED):
        raise DomainError(
            ErrorCode.INVALID_STATE, "主工单已合并或已办结，不能再并入工单。", "masterNumber"
        )
    wanted = list(dict.fromkeys(n.strip() for n in numbers if n.strip()))
    if not wanted:
        raise DomainError(ErrorCode.REQUIRED, "请选择要合并的工单。", "numbers")
    if len(wanted) > MAX_MERGED:
        raise DomainError(ErrorCode.OUT_OF_RANGE, f"一次最多合并 {MAX_MERGED} 张工单。", "numbers")
    text = note_text(note, field="note", label="合并说明", limit=NOTE_MAX_LENGTH, required=False)
    rows = await Ticket.filter(number__in=wanted).values(*TICKET_COLUMNS)
    found = {r["number"]: TicketRecord(**r) for r in rows}
    problems = [
        p for number in wanted if (p := _problem(number, found.get(number), master, actor.role))
    ]
    if problems:
        raise DomainError.of(problems)
    merging = [found[number] for number in wanted]
    now = clock.now()
    suffix = f"。{text}" if text else "。"
    async with events.after_commit(), in_transaction():
        # Rows in id order, so that two merges of the same tickets cannot deadlock.
        for ticket in sorted([master, *merging], key=lambda t: t.id):
            if ticket.id == master.id:
                merged_master = await move(
                    master,
                    Action.MERGE,
                    actor,
                    master.status,
                    {},
                    note=f"并入工单：{'、'.join(wanted)}{suffix}",
                    department_id=master.department_id,
                    now=now,
                )
            else:
                await _follow(ticket, master, actor, f"并入主工单 {master.number}{suffix}", now)
        followers = await merged_into(t.id for t in merging)
        for ticket in merging:
            for follower in followers[ticket.id]:
                moved = f"随工单 {ticket.number} 并入主工单 {master.number}。"
                await _follow(follower, master, actor, moved, now)
    return merged_master


def _problem(
    number: str, ticket: TicketRecord | None, master: TicketRecord, role: Role
) -> Problem | None:
    """Why ``number`` cannot be merged into ``master``, if it cannot."""
    if ticket is None:
        return Problem("numbers", ErrorCode.NOT_FOUND, f"没有工单 {number}。")
    if ticket.id == master.id:
        return Problem("numbers", ErrorCode.INVALID, f"工单 {number} 是主工单，不能并入自身。")
    try:
        check(Action.MERGE, ticket.status, role)
    except DomainError as error:
        message = (
            f"工单 {number} 已并入其他工单。"
            if ticket.status is TicketStatus.MERGED
            else f"工单 {number} 已办结，只有办理中的工单才能合并。"
        )
        return Problem("numbers", error.code, message)
    return None


async def _follow(
    ticket: TicketRecord, master: TicketRecord, actor: Principal, note: str, now: datetime
) -> None:
    """Make ``ticket`` a follower of ``master``."""
    await move(
        ticket,
        Action.MERGE,
        actor,
        TicketStatus.MERGED,
        {"merged_into_id": master.id},
        note=note,
        department_id=ticket.department_id,
        now=now,
    )


async def close_followers(
    master: TicketRecord, action: Action, actor: Principal | None, *, now: datetime
) -> None:
    """Close the tickets merged into ``master``, which ``action`` has just CLOSED: they
    take its reply and satisfaction and stay MERGED. Called by
    :func:`tickets.workflow.move` inside the master's transaction."""
    for follower in (await merged_into([master.id]))[master.id]:
        await move(
            follower,
            action,
            actor,
            TicketStatus.MERGED,
            {"closed_at": now, "reply": master.reply, "satisfaction": master.satisfaction},
            note=f"随主工单 {master.number} 办结。",
            department_id=follower.department_id,
            now=now,
        )
