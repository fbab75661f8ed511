"""Merging duplicates into a master ticket: all or nothing, and followers close with it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.tickets.desk import new_ticket, principal, staff_of
from tickets import merging, workflow
from tickets.lifecycle import Action, Satisfaction, TicketStatus
from tickets.live import ALL_TICKETS_TOPIC
from tickets.models import TicketEvent
from tickets.records import TicketRecord, get_ticket
from tickets.sla import SlaWarning
from wuyou import events
from wuyou.errors import DomainError, ErrorCode, Forbidden

pytestmark = pytest.mark.usefixtures("connected")


class _Recorder:
    """A broadcaster that keeps what is published."""

    def __init__(self) -> None:
        self.published: list[events.Event] = []

    async def publish(self, event: events.Event) -> None:
        self.published.append(event)


@pytest.fixture
def recorder() -> Iterator[_Recorder]:
    recording = _Recorder()
    previous = events.install(recording)  # type: ignore[arg-type]
    try:
        yield recording
    finally:
        events.install(previous)


async def _dispatched() -> TicketRecord:
    ticket = await new_ticket()
    return await workflow.dispatch(
        number=ticket.number, department_code="150300-CG", actor=await principal("demo-agent")
    )


async def _now(ticket: TicketRecord) -> TicketRecord:
    found = await get_ticket(ticket.number)
    assert found is not None
    return found


async def _notes(ticket: TicketRecord) -> list[str]:
    rows = await TicketEvent.filter(ticket_id=ticket.id, action=Action.MERGE).order_by("id")
    return [row.note for row in rows]


async def test_duplicates_follow_the_master_and_their_deadlines_stop() -> None:
    agent = await principal("demo-agent")
    master, received, dispatched = await new_ticket(), await new_ticket(), await _dispatched()
    assert dispatched.due_at is not None
    result = await merging.merge(
        master_number=master.number,
        numbers=[received.number, dispatched.number, received.number],
        note="同一饭店油烟",
        actor=agent,
    )
    assert result.id == master.id and result.status is TicketStatus.RECEIVED
    for ticket in (received, dispatched):
        follower = await _now(ticket)
        assert follower.status is TicketStatus.MERGED and follower.merged_into_id == master.id
        assert (follower.due_at, follower.warning) == (None, SlaWarning.NONE)
        assert await _notes(ticket) == [f"并入主工单 {master.number}。同一饭店油烟"]
    assert await _notes(master) == [
        f"并入工单：{received.number}、{dispatched.number}。同一饭店油烟"
    ]
    followers = await merging.merged_into([master.id, received.id])
    assert [t.id for t in followers[master.id]] == [received.id, dispatched.id]
    assert followers[received.id] == []


async def test_every_bad_number_is_reported_and_nothing_is_merged() -> None:
    agent, staff = await principal("demo-agent"), await staff_of("150300-CG")
    master, good = await new_ticket(), await new_ticket()
    resolved = await new_ticket()
    await workflow.resolve_at_intake(number=resolved.number, reply="已答复。", actor=agent)
    merged, elsewhere = await new_ticket(), await new_ticket()
    await merging.merge(
        master_number=elsewhere.number, numbers=[merged.number], note="", actor=agent
    )
    with pytest.raises(DomainError) as bad:
        await merging.merge(
            master_number=master.number,
            numbers=[
                good.number,
                "WH00000000000000",
                master.number,
                resolved.number,
                merged.number,
            ],
            note="",
            actor=agent,
        )
    problems = [(p.field, p.code) for p in bad.value.problems]
    assert problems == [
        ("numbers", ErrorCode.NOT_FOUND),
        ("numbers", ErrorCode.INVALID),
        ("numbers", ErrorCode.INVALID_STATE),
        ("numbers", ErrorCode.INVALID_STATE),
    ]
    assert "WH00000000000000" in bad.value.problems[0].message
    assert merged.number in bad.value.problems[3].message
    assert (await _now(good)).status is TicketStatus.RECEIVED
    assert await _notes(good) == [] and await _notes(master) == []
    with pytest.raises(Forbidden):
        await merging.merge(
            master_number=master.number, numbers=[good.number], note="", actor=staff
        )
    with pytest.raises(DomainError) as empty:
        await merging.merge(master_number=master.number, numbers=[" "], note="", actor=agent)
    assert (empty.value.field, empty.value.code) == ("numbers", ErrorCode.REQUIRED)


async def test_a_merged_or_closed_master_takes_no_more_tickets() -> None:
    agent = await principal("demo-agent")
    master, merged, other = await new_ticket(), await new_ticket(), await new_ticket()
    await merging.merge(master_number=master.number, numbers=[merged.number], note="", actor=agent)
    with pytest.raises(DomainError) as follower:
        await merging.merge(
            master_number=merged.number, numbers=[other.number], note="", actor=agent
        )
    assert (follower.value.field, follower.value.code) == ("masterNumber", ErrorCode.INVALID_STATE)
    await workflow.resolve_at_intake(number=master.number, reply="已答复。", actor=agent)
    await workflow.revisit(number=master.number, answer=Satisfaction.SATISFIED, actor=agent)
    with pytest.raises(DomainError) as closed:
        await merging.merge(
            master_number=master.number, numbers=[other.number], note="", actor=agent
        )
    assert (closed.value.field, closed.value.code) == ("masterNumber", ErrorCode.INVALID_STATE)
    assert (await _now(other)).status is TicketStatus.RECEIVED


async def test_followers_close_with_their_master(recorder: _Recorder) -> None:
    agent, staff = await principal("demo-agent"), await staff_of("150300-CG")
    master, first, second = await _dispatched(), await new_ticket(), await _dispatched()
    await merging.merge(
        master_number=master.number, numbers=[first.number, second.number], note="", actor=agent
    )
    await workflow.sign(number=master.number, actor=staff)
    await workflow.resolve(number=master.number, reply="已责令安装油烟净化器。", actor=staff)
    assert (await _now(first)).closed_at is None
    recorder.published.clear()
    closed = await workflow.revisit(
        number=master.number, answer=Satisfaction.BASICALLY_SATISFIED, actor=agent
    )
    assert closed.status is TicketStatus.CLOSED and closed.closed_at is not None
    for ticket in (first, second):
        follower = await _now(ticket)
        assert follower.status is TicketStatus.MERGED
        assert follower.closed_at == closed.closed_at
        assert follower.reply == "已责令安装油烟净化器。"
        assert follower.satisfaction is Satisfaction.BASICALLY_SATISFIED
        (event,) = await TicketEvent.filter(ticket_id=ticket.id, action=Action.REVISIT)
        assert event.note == f"随主工单 {master.number} 办结。"
    told = [e.payload["number"] for e in recorder.published if e.topic == ALL_TICKETS_TOPIC]
    assert told == [master.number, first.number, second.number]


async def test_merging_a_master_moves_its_followers_to_the_new_master() -> None:
    agent = await principal("demo-agent")
    first, second, third = await new_ticket(), await new_ticket(), await new_ticket()
    await merging.merge(master_number=first.number, numbers=[second.number], note="", actor=agent)
    await merging.merge(master_number=third.number, numbers=[first.number], note="", actor=agent)
    moved = await _now(second)
    assert moved.status is TicketStatus.MERGED and moved.merged_into_id == third.id
    followers = await merging.merged_into([third.id, first.id])
    assert {t.id for t in followers[third.id]} == {first.id, second.id}
    assert followers[first.id] == []
    assert (await _notes(second))[-1] == f"随工单 {first.number} 并入主工单 {third.number}。"
