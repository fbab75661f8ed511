"""Oversight of tickets under way: urging, supervision and notes."""

from __future__ import annotations

from typing import Any

import pytest

from grids.models import Area, AreaLevel
from tests.tickets.desk import grid_worker, new_ticket, principal, staff_of
from tickets import oversight, workflow
from tickets.lifecycle import Action, Satisfaction, TicketStatus
from tickets.models import TicketEvent
from tickets.records import TicketRecord, get_ticket
from wuyou.errors import DomainError, ErrorCode, Forbidden, Unauthenticated

pytestmark = pytest.mark.usefixtures("connected")


async def _dispatched() -> TicketRecord:
    ticket = await new_ticket()
    return await workflow.dispatch(
        number=ticket.number, department_code="150300-CG", actor=await principal("demo-agent")
    )


async def _events(ticket: TicketRecord, action: Action) -> list[dict[str, Any]]:
    """The ticket's ``action`` steps, oldest first."""
    return await (
        TicketEvent.filter(ticket_id=ticket.id, action=action)
        .order_by("id")
        .values("from_status", "to_status", "actor_id", "department_id", "note")
    )


async def test_urging_counts_and_records_without_changing_the_status() -> None:
    agent = await principal("demo-agent")
    ticket = await _dispatched()
    await oversight.urge(number=ticket.number, note="", actor=agent)
    urged = await oversight.urge(number=ticket.number, note="  请尽快处理  ", actor=agent)
    assert urged.status is TicketStatus.DISPATCHED and urged.urge_count == 2
    assert urged.due_at == ticket.due_at
    events = await _events(ticket, Action.URGE)
    assert [(e["from_status"], e["to_status"]) for e in events] == [
        (TicketStatus.DISPATCHED, TicketStatus.DISPATCHED)
    ] * 2
    assert (
        events[-1]["note"] == "请尽快处理" and events[-1]["department_id"] == ticket.department_id
    )
    assert events[-1]["actor_id"] == agent.account_id


async def test_urging_is_refused_to_departments_before_dispatch_and_with_a_long_note() -> None:
    agent = await principal("demo-agent")
    ticket = await _dispatched()
    with pytest.raises(Forbidden):
        await oversight.urge(number=ticket.number, note="", actor=await staff_of("150300-CG"))
    with pytest.raises(Unauthenticated):
        await oversight.urge(number=ticket.number, note="", actor=None)
    with pytest.raises(DomainError) as long:
        await oversight.urge(number=ticket.number, note="催" * 501, actor=agent)
    assert (long.value.field, long.value.code) == ("note", ErrorCode.TOO_LONG)
    received = await new_ticket()
    with pytest.raises(DomainError) as early:
        await oversight.urge(number=received.number, note="", actor=agent)
    assert (early.value.field, early.value.code) == ("number", ErrorCode.INVALID_STATE)
    await workflow.resolve_at_intake(number=received.number, reply="已答复。", actor=agent)
    await workflow.revisit(number=received.number, answer=Satisfaction.UNSATISFIED, actor=agent)
    with pytest.raises(DomainError) as undispatched:  # REOPENED, but no department holds it
        await oversight.urge(number=received.number, note="", actor=agent)
    assert undispatched.value.code is ErrorCode.INVALID_STATE
    with pytest.raises(DomainError) as unknown:
        await oversight.urge(number="WH00000000000000", note="", actor=agent)
    assert unknown.value.code is ErrorCode.NOT_FOUND


async def test_supervision_is_set_once() -> None:
    agent = await principal("demo-agent")
    ticket = await _dispatched()
    supervised = await oversight.supervise(number=ticket.number, note="列入督办", actor=agent)
    assert supervised.supervised and supervised.status is TicketStatus.DISPATCHED
    with pytest.raises(DomainError) as twice:
        await oversight.supervise(number=ticket.number, note="", actor=agent)
    assert (twice.value.field, twice.value.code) == ("number", ErrorCode.INVALID_STATE)
    assert len(await _events(ticket, Action.SUPERVISE)) == 1
    with pytest.raises(Forbidden):
        await oversight.supervise(
            number=ticket.number, note="", actor=await principal("demo-citizen")
        )


async def test_the_platform_supervises_an_overdue_ticket_by_itself() -> None:
    ticket = await _dispatched()
    supervised = await oversight.supervise(number=ticket.number, note="超期自动督办", actor=None)
    assert supervised.supervised
    (event,) = await _events(ticket, Action.SUPERVISE)
    assert event["actor_id"] is None and event["note"] == "超期自动督办"
    received = await new_ticket()
    with pytest.raises(DomainError) as no_department:
        await oversight.supervise(number=received.number, note="超期自动督办", actor=None)
    assert no_department.value.code is ErrorCode.INVALID_STATE
    unchanged = await get_ticket(received.number)
    assert unchanged is not None and not unchanged.supervised


async def test_agents_and_the_department_holding_the_ticket_add_notes() -> None:
    agent = await principal("demo-agent")
    received = await new_ticket()
    noted = await oversight.add_note(number=received.number, note=" 来电人补充 ", actor=agent)
    assert noted.status is TicketStatus.RECEIVED
    ticket = await _dispatched()
    staff = await staff_of("150300-CG")
    await oversight.add_note(number=ticket.number, note="已联系商户", actor=staff)
    with pytest.raises(Forbidden):
        await oversight.add_note(
            number=ticket.number, note="不是我们的", actor=await staff_of("150300-ZJ")
        )
    with pytest.raises(Forbidden):
        await oversight.add_note(
            number=ticket.number, note="市民", actor=await principal("demo-citizen")
        )
    events = await _events(ticket, Action.ADD_NOTE)
    assert [(e["note"], e["department_id"]) for e in events] == [
        ("已联系商户", ticket.department_id)
    ]
    assert [e["note"] for e in await _events(received, Action.ADD_NOTE)] == ["来电人补充"]


async def test_grid_workers_add_notes_only_in_their_grid() -> None:
    ticket = await new_ticket()
    assert ticket.grid_id is not None
    own = (await Area.get(id=ticket.grid_id)).code
    other = await Area.filter(level=AreaLevel.GRID).exclude(id=ticket.grid_id).first()
    assert other is not None
    await oversight.add_note(number=ticket.number, note="现场已核实", actor=await grid_worker(own))
    with pytest.raises(Forbidden):
        await oversight.add_note(
            number=ticket.number, note="别处网格", actor=await grid_worker(other.code)
        )
    assert [e["note"] for e in await _events(ticket, Action.ADD_NOTE)] == ["现场已核实"]


async def test_notes_need_text_and_an_open_or_resolved_ticket() -> None:
    agent, staff = await principal("demo-agent"), await staff_of("150300-CG")
    ticket = await _dispatched()
    with pytest.raises(DomainError) as empty:
        await oversight.add_note(number=ticket.number, note="  ", actor=agent)
    assert (empty.value.field, empty.value.code) == ("note", ErrorCode.REQUIRED)
    with pytest.raises(DomainError) as long:
        await oversight.add_note(number=ticket.number, note="记" * 2001, actor=agent)
    assert (long.value.field, long.value.code) == ("note", ErrorCode.TOO_LONG)
    await workflow.sign(number=ticket.number, actor=staff)
    await workflow.resolve(number=ticket.number, reply="已处理。", actor=staff)
    await oversight.add_note(number=ticket.number, note="回访前补记", actor=agent)
    await workflow.revisit(number=ticket.number, answer=Satisfaction.SATISFIED, actor=agent)
    with pytest.raises(DomainError) as closed:
        await oversight.add_note(number=ticket.number, note="太晚了", actor=agent)
    assert closed.value.code is ErrorCode.INVALID_STATE
