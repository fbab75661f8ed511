"""The main path of a work order through the domain: dispatch, sign, resolve, revisit."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta

import pytest

from accounts.service import Principal
from tests.tickets.desk import new_ticket, principal, staff_of
from tickets import workflow
from tickets.lifecycle import Satisfaction, TicketStatus
from tickets.models import TicketEvent
from tickets.records import TicketRecord, get_ticket
from tickets.sla import TicketKind
from wuyou import clock
from wuyou.clock import ManualClock
from wuyou.errors import DomainError, ErrorCode, Forbidden

pytestmark = pytest.mark.usefixtures("connected")


async def test_the_ordinary_path_to_a_closed_ticket() -> None:
    agent = await principal("demo-agent")
    staff = await staff_of("150300-CG")
    ticket = await new_ticket()
    dispatched = await workflow.dispatch(
        number=ticket.number, department_code="150300-CG", actor=agent
    )
    assert dispatched.status is TicketStatus.DISPATCHED and dispatched.dispatched_at
    assert dispatched.sign_deadline and dispatched.complete_deadline
    assert dispatched.sign_deadline <= dispatched.complete_deadline
    signed = await workflow.sign(number=ticket.number, actor=staff)
    assert signed.status is TicketStatus.IN_PROGRESS and signed.signed_at
    resolved = await workflow.resolve(
        number=ticket.number, reply="已责令安装油烟净化器。", actor=staff
    )
    assert resolved.status is TicketStatus.RESOLVED and resolved.revisit_deadline
    closed = await workflow.revisit(
        number=ticket.number, answer=Satisfaction.SATISFIED, actor=agent
    )
    assert closed.status is TicketStatus.CLOSED and closed.satisfaction is Satisfaction.SATISFIED
    actions = (
        await TicketEvent.filter(ticket_id=ticket.id)
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert [str(a) for a in actions] == ["RECEIVE", "DISPATCH", "SIGN", "RESOLVE", "REVISIT"]


async def test_an_unsatisfied_citizen_reopens_the_ticket_to_the_same_department() -> None:
    agent, staff = await principal("demo-agent"), await staff_of("150300-CG")
    ticket = await new_ticket()
    await workflow.dispatch(number=ticket.number, department_code="150300-CG", actor=agent)
    await workflow.sign(number=ticket.number, actor=staff)
    await workflow.resolve(number=ticket.number, reply="已处理。", actor=staff)
    reopened = await workflow.revisit(
        number=ticket.number, answer=Satisfaction.UNSATISFIED, note="油烟依旧", actor=agent
    )
    assert reopened.status is TicketStatus.REOPENED and reopened.reopen_count == 1
    assert reopened.signed_at is None and reopened.department_id is not None
    again = await workflow.sign(number=ticket.number, actor=staff)
    assert again.status is TicketStatus.IN_PROGRESS


async def test_only_the_department_holding_the_ticket_signs_and_only_once() -> None:
    agent = await principal("demo-agent")
    ticket = await new_ticket()
    await workflow.dispatch(number=ticket.number, department_code="150300-CG", actor=agent)
    with pytest.raises(Forbidden):
        await workflow.sign(number=ticket.number, actor=await staff_of("150300-ZJ"))
    staff = await staff_of("150300-CG")
    await workflow.sign(number=ticket.number, actor=staff)
    with pytest.raises(DomainError) as twice:
        await workflow.sign(number=ticket.number, actor=staff)
    assert twice.value.code is ErrorCode.INVALID_STATE


async def test_answered_at_first_contact() -> None:
    agent = await principal("demo-agent")
    ticket = await new_ticket(TicketKind.CONSULTATION)
    with pytest.raises(DomainError) as empty:
        await workflow.resolve_at_intake(number=ticket.number, reply=" ", actor=agent)
    assert (empty.value.field, empty.value.code) == ("reply", ErrorCode.REQUIRED)
    answered = await workflow.resolve_at_intake(
        number=ticket.number, reply="餐饮油烟由城管部门监管，已告知投诉途径。", actor=agent
    )
    assert answered.status is TicketStatus.RESOLVED and answered.resolved_at_intake
    reopened = await workflow.revisit(
        number=ticket.number, answer=Satisfaction.UNSATISFIED, actor=agent
    )
    assert reopened.status is TicketStatus.REOPENED and reopened.department_id is None
    dispatched = await workflow.dispatch(
        number=ticket.number, department_code="150300-CG", actor=agent
    )
    assert dispatched.status is TicketStatus.DISPATCHED


async def test_a_department_returns_once_then_needs_a_supervisor() -> None:
    agent, admin = await principal("demo-agent"), await principal("demo-admin")
    staff = await staff_of("150300-CG")
    ticket = await new_ticket()
    await workflow.dispatch(number=ticket.number, department_code="150300-CG", actor=agent)
    with pytest.raises(DomainError) as no_reason:
        await workflow.return_ticket(number=ticket.number, reason="", actor=staff)
    assert no_reason.value.field == "reason"
    returned = await workflow.return_ticket(
        number=ticket.number, reason="不属本部门职责", actor=staff
    )
    assert returned.status is TicketStatus.RETURNED and returned.department_id is None
    assert returned.return_count == 1
    await workflow.dispatch(number=ticket.number, department_code="150300-CG", actor=agent)
    with pytest.raises(DomainError) as second:
        await workflow.return_ticket(number=ticket.number, reason="仍不属本部门", actor=staff)
    assert second.value.code is ErrorCode.SUPERVISOR_REQUIRED
    by_supervisor = await workflow.return_ticket(
        number=ticket.number, reason="值班长核实后退回", actor=admin
    )
    assert by_supervisor.status is TicketStatus.RETURNED and by_supervisor.return_count == 2


async def test_returning_is_refused_after_two_working_days() -> None:
    agent, staff = await principal("demo-agent"), await staff_of("150300-CG")
    ticket = await new_ticket()
    await workflow.dispatch(number=ticket.number, department_code="150300-CG", actor=agent)
    later = ManualClock(clock.now() + timedelta(days=7))
    previous = clock.install(later)
    try:
        with pytest.raises(DomainError) as late:
            await workflow.return_ticket(number=ticket.number, reason="晚了", actor=staff)
    finally:
        clock.install(previous)
    assert late.value.code is ErrorCode.TOO_LATE


async def test_a_transfer_goes_to_the_other_department_which_consents_by_signing() -> None:
    agent = await principal("demo-agent")
    first, second = await staff_of("150300-CG"), await staff_of("150300-HJ")
    ticket = await new_ticket()
    dispatched = await workflow.dispatch(
        number=ticket.number, department_code="150300-CG", actor=agent
    )
    await workflow.sign(number=ticket.number, actor=first)
    moved = await workflow.transfer(
        number=ticket.number, department_code="150300-HJ", note="属环保职责", actor=first
    )
    assert (
        moved.status is TicketStatus.DISPATCHED and moved.department_id != dispatched.department_id
    )
    assert moved.complete_deadline == dispatched.complete_deadline
    with pytest.raises(Forbidden):
        await workflow.sign(number=ticket.number, actor=first)
    signed = await workflow.sign(number=ticket.number, actor=second)
    assert signed.status is TicketStatus.IN_PROGRESS


#: Steps CG's staff takes on a ticket dispatched to CG, each deciding on what it read.
LATE_STEPS: dict[str, Callable[[str, Principal], Awaitable[TicketRecord]]] = {
    "sign": lambda number, staff: workflow.sign(number=number, actor=staff),
    "return": lambda number, staff: workflow.return_ticket(
        number=number, reason="不属本部门职责", actor=staff
    ),
    "transfer": lambda number, staff: workflow.transfer(
        number=number, department_code="150300-HJ", note="属环保职责", actor=staff
    ),
}


@pytest.mark.parametrize("step", list(LATE_STEPS))
async def test_a_step_decided_on_a_read_from_before_a_transfer_fails_cleanly(
    step: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    agent, staff = await principal("demo-agent"), await staff_of("150300-CG")
    ticket = await new_ticket()
    read = await workflow.dispatch(number=ticket.number, department_code="150300-CG", actor=agent)
    # Between the step's read and its update, the agents transfer the ticket: the status
    # stays DISPATCHED, only the department changes.
    await workflow.transfer(
        number=ticket.number, department_code="150300-ZJ", note="属住建职责", actor=agent
    )

    async def as_read_before(number: str) -> TicketRecord:
        return read

    monkeypatch.setattr(workflow, "existing_ticket", as_read_before)
    with pytest.raises(DomainError) as raced:
        await LATE_STEPS[step](ticket.number, staff)
    assert (raced.value.field, raced.value.code) == ("number", ErrorCode.INVALID_STATE)
    assert str(raced.value) == "工单状态已被他人更新，请刷新后重试。"
    now = await get_ticket(ticket.number)
    assert now is not None and now.status is TicketStatus.DISPATCHED
    assert now.department_id != read.department_id and now.signed_at is None
    actions = (
        await TicketEvent.filter(ticket_id=ticket.id)
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert [str(a) for a in actions] == ["RECEIVE", "DISPATCH", "TRANSFER"]
