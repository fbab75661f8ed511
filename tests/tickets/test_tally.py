"""The tally of tickets by place and status (tickets.tally) is exactly COUNT(*) after
every kind of change: intake, dispatch, returns, merges, moves, deletes, a transaction
rolled back, and folding its rows up."""

from __future__ import annotations

import pytest
from tortoise.transactions import in_transaction

from grids.demo import DEMO_DEPARTMENT, DEMO_GRID
from grids.models import Area
from tests.tickets.desk import intake, principal, staff_of
from tickets import merging, tally, workflow
from tickets.lifecycle import TicketStatus
from tickets.models import Ticket, TicketEvent
from tickets.queries import within_path

pytestmark = pytest.mark.usefixtures("connected")

_STATUS_SETS: list[tuple[TicketStatus, ...] | None] = [
    None,
    (TicketStatus.RECEIVED,),
    (TicketStatus.DISPATCHED, TicketStatus.RETURNED),
    (TicketStatus.MERGED,),
]


async def _agrees() -> None:
    """The tally's count of every place in the demo grid's path and above it, in each set
    of statuses and with MERGED left out, is the tickets' COUNT(*)."""
    grid = await Area.get(code=DEMO_GRID)
    parts = grid.path.rstrip("/").split("/")
    paths: list[str | None] = [None, *("/".join(parts[:n]) + "/" for n in range(1, 4))]
    for path in paths:
        where = Ticket.filter(within_path(path)) if path else Ticket.all()
        for statuses in _STATUS_SETS:
            expected = where.filter(status__in=list(statuses)) if statuses else where
            assert await tally.count(path, statuses) == await expected.count(), (path, statuses)
        unmerged = await where.exclude(status=TicketStatus.MERGED).count()
        assert await tally.count(path, None, excluded=(TicketStatus.MERGED,)) == unmerged


async def _delete(ticket_id: int) -> None:
    """Delete a ticket with its history and every link to it."""
    await Ticket.filter(likely_duplicate_of_id=ticket_id).update(likely_duplicate_of_id=None)
    await Ticket.filter(merged_into_id=ticket_id).update(merged_into_id=None)
    await TicketEvent.filter(ticket_id=ticket_id).delete()
    await Ticket.filter(id=ticket_id).delete()


async def test_the_tally_is_the_count_after_every_change() -> None:
    agent = await principal("demo-agent")
    staff = await staff_of(DEMO_DEPARTMENT)
    await _agrees()
    tickets = [await intake(f"漏水 {i}", grid=DEMO_GRID) for i in range(4)]
    await _agrees()
    for ticket in tickets[:3]:
        await workflow.dispatch(number=ticket.number, department_code=DEMO_DEPARTMENT, actor=agent)
    await workflow.return_ticket(number=tickets[0].number, reason="不属本部门职责。", actor=staff)
    await _agrees()
    await merging.merge(
        master_number=tickets[1].number,
        numbers=[tickets[2].number, tickets[3].number],
        note="",
        actor=agent,
    )
    await _agrees()
    # Moved elsewhere (no place), and several rows changed by one statement.
    await Ticket.filter(id=tickets[0].id).update(area_path="")
    await Ticket.filter(id__in=[t.id for t in tickets[1:]]).update(status=TicketStatus.CLOSED)
    await _agrees()
    with pytest.raises(RuntimeError):
        async with in_transaction():
            await Ticket.filter(id=tickets[1].id).update(status=TicketStatus.REOPENED)
            await _delete(tickets[2].id)
            raise RuntimeError("rolled back")
    await _agrees()
    await _delete(tickets[3].id)
    await _agrees()
    await tally.compact()
    await _agrees()
    await tally.compact()  # nothing left to fold
    await _agrees()


async def test_counting_folds_the_rows_up_past_its_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    await intake("路灯不亮", grid=DEMO_GRID)
    monkeypatch.setattr(tally, "COMPACT_AFTER", 0)
    before = await tally.count(None, None)
    await intake("路灯不亮", grid=DEMO_GRID)
    assert await tally.count(None, None) == before + 1 == await Ticket.all().count()
    # Folded: one row per place and status, whatever the rows were.
    groups = await Ticket.all().group_by("area_path", "status").values("area_path", "status")
    _, rows = await Ticket._meta.db.execute_query(f"SELECT COUNT(*) FROM {tally.TABLE}")
    assert rows[0][0] <= len(groups)
    await _agrees()
