"""Requests for more time: the department asks, the agents approve or reject."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta

import pytest

from tests.tickets.desk import new_ticket, principal, staff_of
from tickets import admin, extensions, workflow
from tickets.calendar import WorkingCalendar
from tickets.lifecycle import Action, TicketStatus
from tickets.models import CalendarDayKind, ExtensionRequest, ExtensionStatus, TicketEvent
from tickets.records import TicketRecord, get_ticket
from tickets.sla import SlaWarning, TicketKind
from wuyou import clock
from wuyou.clock import CITY_TIMEZONE, ManualClock
from wuyou.errors import DomainError, ErrorCode, Forbidden

pytestmark = pytest.mark.usefixtures("connected")

#: A Friday with no holiday near it in the demo calendar.
FRIDAY = datetime(2041, 3, 1, 10, 0, tzinfo=CITY_TIMEZONE)
#: The Monday after the next Friday, made a holiday by the test that needs it.
HOLIDAY = date(2041, 3, 11)
END_OF_DAY = WorkingCalendar().end_of_day


@pytest.fixture
def friday() -> Iterator[ManualClock]:
    """The clock stands on :data:`FRIDAY` morning."""
    manual = ManualClock(FRIDAY)
    previous = clock.install(manual)
    try:
        yield manual
    finally:
        clock.install(previous)


async def _in_progress(kind: TicketKind = TicketKind.COMPLAINT) -> TicketRecord:
    ticket = await new_ticket(kind)
    await workflow.dispatch(
        number=ticket.number, department_code="150300-CG", actor=await principal("demo-agent")
    )
    return await workflow.sign(number=ticket.number, actor=await staff_of("150300-CG"))


async def _ticket(number: str) -> TicketRecord:
    ticket = await get_ticket(number)
    assert ticket is not None
    return ticket


async def test_an_approved_extension_moves_the_deadline_over_the_weekend_and_a_holiday(
    friday: ManualClock,
) -> None:
    admin_, agent = await principal("demo-admin"), await principal("demo-agent")
    await admin.set_calendar_day(
        day=HOLIDAY, kind=CalendarDayKind.HOLIDAY, name="测试假日", actor=admin_
    )
    try:
        ticket = await _in_progress()
        staff = await staff_of("150300-CG")
        assert ticket.complete_deadline == END_OF_DAY(date(2041, 3, 8))  # the next Friday
        reply_deadline = ticket.reply_deadline
        assert reply_deadline is not None and reply_deadline < ticket.complete_deadline
        friday.set(datetime(2041, 3, 9, 9, 0, tzinfo=CITY_TIMEZONE))  # overdue since midnight
        requested = await extensions.request_extension(
            number=ticket.number, working_days=1, reason="需协调商户整改", actor=staff
        )
        assert requested.status is ExtensionStatus.PENDING and requested.ticket_id == ticket.id
        assert (await _ticket(ticket.number)).warning is SlaWarning.RED
        decided = await extensions.decide_extension(
            extension_id=requested.id, approve=True, note="", actor=agent
        )
    finally:
        assert await admin.remove_calendar_day(day=HOLIDAY, actor=admin_)
    tuesday = END_OF_DAY(date(2041, 3, 12))
    assert decided.status is ExtensionStatus.APPROVED and decided.decided_by_id == agent.account_id
    assert (decided.previous_deadline, decided.new_deadline) == (ticket.complete_deadline, tuesday)
    extended = await _ticket(ticket.number)
    assert extended.complete_deadline == tuesday and extended.due_at == tuesday
    assert extended.reply_deadline == reply_deadline
    assert extended.warning is SlaWarning.NONE and extended.status is TicketStatus.IN_PROGRESS
    notes = await TicketEvent.filter(ticket_id=ticket.id, action=Action.DECIDE_EXTENSION).values(
        "note", "from_status", "to_status"
    )
    assert len(notes) == 1 and notes[0]["note"].startswith("批准延期 1 个工作日")
    assert "2041-03-13T00:00+08:00" in notes[0]["note"]
    requests = await TicketEvent.filter(ticket_id=ticket.id, action=Action.REQUEST_EXTENSION)
    assert [e.note for e in requests] == ["申请延期 1 个工作日：需协调商户整改"]


async def test_a_reply_deadline_on_the_completion_deadline_moves_with_it(
    friday: ManualClock,
) -> None:
    ticket = await _in_progress(TicketKind.CONSULTATION)
    assert ticket.reply_deadline == ticket.complete_deadline == END_OF_DAY(date(2041, 3, 6))
    request = await extensions.request_extension(
        number=ticket.number, working_days=3, reason="需查询政策", actor=await staff_of("150300-CG")
    )
    await extensions.decide_extension(
        extension_id=request.id, approve=True, note="同意", actor=await principal("demo-admin")
    )
    extended = await _ticket(ticket.number)
    assert extended.reply_deadline == extended.complete_deadline == END_OF_DAY(date(2041, 3, 11))


async def test_a_rejected_extension_moves_nothing_and_is_decided_once() -> None:
    agent, staff = await principal("demo-agent"), await staff_of("150300-CG")
    ticket = await _in_progress()
    request = await extensions.request_extension(
        number=ticket.number, working_days=5, reason="人手不足", actor=staff
    )
    with pytest.raises(DomainError) as bare:
        await extensions.decide_extension(
            extension_id=request.id, approve=False, note=" ", actor=agent
        )
    assert (bare.value.field, bare.value.code) == ("note", ErrorCode.REQUIRED)
    rejected = await extensions.decide_extension(
        extension_id=request.id, approve=False, note="时限内可以完成", actor=agent
    )
    assert rejected.status is ExtensionStatus.REJECTED and rejected.new_deadline is None
    assert rejected.decision_note == "时限内可以完成" and rejected.decided_at is not None
    after = await _ticket(ticket.number)
    assert (after.complete_deadline, after.reply_deadline) == (
        ticket.complete_deadline,
        ticket.reply_deadline,
    )
    with pytest.raises(DomainError) as again:
        await extensions.decide_extension(
            extension_id=request.id, approve=True, note="", actor=agent
        )
    assert (again.value.field, again.value.code) == ("extensionId", ErrorCode.INVALID_STATE)
    (event,) = await TicketEvent.filter(ticket_id=ticket.id, action=Action.DECIDE_EXTENSION)
    assert event.note == "不批准延期。时限内可以完成"
    # Once decided, the department may ask again.
    await extensions.request_extension(
        number=ticket.number, working_days=2, reason="商户停业整顿", actor=staff
    )


async def test_requests_are_refused_to_others_out_of_range_and_while_one_is_pending() -> None:
    agent, staff = await principal("demo-agent"), await staff_of("150300-CG")
    ticket = await new_ticket()
    await workflow.dispatch(number=ticket.number, department_code="150300-CG", actor=agent)
    with pytest.raises(DomainError) as unsigned:
        await extensions.request_extension(
            number=ticket.number, working_days=1, reason="未签收", actor=staff
        )
    assert unsigned.value.code is ErrorCode.INVALID_STATE
    await workflow.sign(number=ticket.number, actor=staff)
    with pytest.raises(Forbidden):
        await extensions.request_extension(
            number=ticket.number, working_days=1, reason="坐席", actor=agent
        )
    with pytest.raises(Forbidden):
        await extensions.request_extension(
            number=ticket.number,
            working_days=1,
            reason="别的部门",
            actor=await staff_of("150300-ZJ"),
        )
    for days in (0, 11):
        with pytest.raises(DomainError) as bad:
            await extensions.request_extension(
                number=ticket.number, working_days=days, reason=" ", actor=staff
            )
        assert [(p.field, p.code) for p in bad.value.problems] == [
            ("workingDays", ErrorCode.OUT_OF_RANGE),
            ("reason", ErrorCode.REQUIRED),
        ]
    first = await extensions.request_extension(
        number=ticket.number, working_days=10, reason="需第三方检测", actor=staff
    )
    with pytest.raises(DomainError) as pending:
        await extensions.request_extension(
            number=ticket.number, working_days=1, reason="再申请", actor=staff
        )
    assert (pending.value.field, pending.value.code) == ("number", ErrorCode.INVALID_STATE)
    assert [e.id for e in (await extensions.extensions_of([ticket.id]))[ticket.id]] == [first.id]
    requests = await TicketEvent.filter(ticket_id=ticket.id, action=Action.REQUEST_EXTENSION)
    assert len(requests) == 1  # the refused request left no trace


async def test_only_agents_decide_and_only_known_requests() -> None:
    staff = await staff_of("150300-CG")
    ticket = await _in_progress()
    request = await extensions.request_extension(
        number=ticket.number, working_days=2, reason="等待配件", actor=staff
    )
    with pytest.raises(Forbidden):
        await extensions.decide_extension(
            extension_id=request.id, approve=True, note="", actor=staff
        )
    with pytest.raises(DomainError) as unknown:
        await extensions.decide_extension(
            extension_id=0, approve=True, note="", actor=await principal("demo-agent")
        )
    assert (unknown.value.field, unknown.value.code) == ("extensionId", ErrorCode.NOT_FOUND)


async def test_a_request_on_a_ticket_no_longer_in_progress_cannot_be_decided() -> None:
    agent, staff = await principal("demo-agent"), await staff_of("150300-CG")
    ticket = await _in_progress()
    request = await extensions.request_extension(
        number=ticket.number, working_days=2, reason="等待配件", actor=staff
    )
    await workflow.resolve(number=ticket.number, reply="已提前办结。", actor=staff)
    with pytest.raises(DomainError) as late:
        await extensions.decide_extension(
            extension_id=request.id, approve=True, note="", actor=agent
        )
    assert (late.value.field, late.value.code) == ("extensionId", ErrorCode.INVALID_STATE)


async def test_extensions_of_reads_several_tickets_at_once() -> None:
    staff = await staff_of("150300-CG")
    first, second, none = await _in_progress(), await _in_progress(), await _in_progress()
    a = await extensions.request_extension(
        number=first.number, working_days=1, reason="甲", actor=staff
    )
    b = await extensions.request_extension(
        number=second.number, working_days=2, reason="乙", actor=staff
    )
    found = await extensions.extensions_of([first.id, second.id, none.id])
    assert found == {first.id: [a], second.id: [b], none.id: []}
    assert found[first.id][0].ticket_number == first.number
    assert await extensions.get_extensions_by_id([a.id, 0]) == {a.id: a}


@pytest.mark.parametrize("leaving", ["transfer", "resolve"])
async def test_a_pending_request_lapses_when_the_ticket_leaves_the_department_or_work(
    leaving: str, friday: ManualClock
) -> None:
    staff = await staff_of("150300-CG")
    ticket = await _in_progress()
    request = await extensions.request_extension(
        number=ticket.number, working_days=10, reason="需要更多时间", actor=staff
    )
    friday.advance(timedelta(hours=2))
    if leaving == "transfer":
        await workflow.transfer(
            number=ticket.number, department_code="150300-ZJ", note="属住建职责", actor=staff
        )
    else:
        await workflow.resolve(number=ticket.number, reply="已提前办结。", actor=staff)
    [lapsed] = (await extensions.extensions_of([ticket.id]))[ticket.id]
    assert (lapsed.id, lapsed.status, lapsed.decision_note) == (
        request.id,
        ExtensionStatus.REJECTED,
        extensions.LAPSED_NOTE,
    )
    assert (lapsed.decided_by_id, lapsed.decided_at) == (None, friday.now())
    with pytest.raises(DomainError) as decided:
        await extensions.decide_extension(
            extension_id=request.id, approve=True, note="", actor=await principal("demo-agent")
        )
    assert (decided.value.field, decided.value.code) == ("extensionId", ErrorCode.INVALID_STATE)


async def test_the_department_a_ticket_was_transferred_to_asks_for_time_of_its_own(
    friday: ManualClock,
) -> None:
    agent, staff = await principal("demo-agent"), await staff_of("150300-CG")
    ticket = await _in_progress()
    await extensions.request_extension(
        number=ticket.number, working_days=10, reason="需要更多时间", actor=staff
    )
    await workflow.transfer(
        number=ticket.number, department_code="150300-ZJ", note="属住建职责", actor=staff
    )
    other = await staff_of("150300-ZJ")
    await workflow.sign(number=ticket.number, actor=other)
    own = await extensions.request_extension(
        number=ticket.number, working_days=2, reason="需现场勘查", actor=other
    )
    decided = await extensions.decide_extension(
        extension_id=own.id, approve=True, note="", actor=agent
    )
    assert decided.previous_deadline == ticket.complete_deadline
    assert decided.new_deadline == END_OF_DAY(date(2041, 3, 12))  # two working days on


async def test_a_request_of_a_department_no_longer_holding_the_ticket_cannot_be_decided(
    friday: ManualClock,
) -> None:
    agent, staff = await principal("demo-agent"), await staff_of("150300-CG")
    ticket = await _in_progress()
    await workflow.transfer(
        number=ticket.number, department_code="150300-ZJ", note="属住建职责", actor=staff
    )
    await workflow.sign(number=ticket.number, actor=await staff_of("150300-ZJ"))
    # A request left pending by the department the ticket was with before (stored before
    # requests lapsed with a transfer).
    stale = await ExtensionRequest.create(
        ticket_id=ticket.id,
        requested_by_id=staff.account_id,
        working_days=10,
        reason="需要更多时间",
        status=ExtensionStatus.PENDING,
        requested_at=friday.now(),
    )
    with pytest.raises(DomainError) as refused:
        await extensions.decide_extension(extension_id=stale.id, approve=True, note="", actor=agent)
    assert (refused.value.field, refused.value.code) == ("extensionId", ErrorCode.INVALID_STATE)
    assert (await _ticket(ticket.number)).complete_deadline == ticket.complete_deadline
    [still] = (await extensions.extensions_of([ticket.id]))[ticket.id]
    assert still.status is ExtensionStatus.PENDING
