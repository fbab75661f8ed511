"""Who sees a ticket, its citizen's phone, and which steps of its history."""

from __future__ import annotations

import dataclasses

import pytest

from accounts.models import Role
from accounts.service import Principal, create_account
from grids.models import Area
from grids.workers import assign_grid_worker
from tests.conftest import unique
from tests.tickets.desk import grid_worker, new_ticket, principal, staff_of
from tickets import workflow
from tickets.history import history_of
from tickets.intake import TicketRequest, create_ticket
from tickets.lifecycle import Action, Satisfaction, TicketStatus
from tickets.queries import get_visible_ticket
from tickets.records import TicketRecord
from tickets.sla import TicketKind
from tickets.visibility import (
    PUBLIC_STATUS,
    PublicStatus,
    can_see,
    public_status,
    sees_phone,
    visible_history,
    visible_tickets,
)
from wuyou.errors import Unauthenticated

pytestmark = pytest.mark.usefixtures("connected")


async def _account(role: Role) -> Principal:
    record = await create_account(
        username=unique(role.value.lower()), role=role, display_name="某人", password=None
    )
    return Principal(record.id, record.username, role)


async def _sees(who: Principal, ticket: TicketRecord) -> bool:
    """Whether every read path agrees that ``who`` sees ``ticket``."""
    single = await get_visible_ticket(who, ticket.number)
    listed = await (await visible_tickets(who)).filter(id=ticket.id).exists()
    checked = await can_see(who, ticket)
    assert (single is not None) == listed == checked
    return checked


async def test_staff_see_everything_merchants_nothing() -> None:
    ticket = await new_ticket()
    for username in ("demo-agent", "demo-admin"):
        assert await _sees(await principal(username), ticket)
    assert not await _sees(await _account(Role.MERCHANT), ticket)
    assert not await can_see(None, ticket)
    with pytest.raises(Unauthenticated):
        await get_visible_ticket(None, ticket.number)
    assert await get_visible_ticket(await principal("demo-agent"), "WH00000000000000") is None


async def test_a_department_keeps_seeing_what_it_returned_or_passed_on() -> None:
    agent = await principal("demo-agent")
    cg, hj, zj = (
        await staff_of("150300-CG"),
        await staff_of("150300-HJ"),
        await staff_of("150300-ZJ"),
    )
    returned, transferred = await new_ticket(), await new_ticket()
    assert not await _sees(cg, returned)  # not dispatched yet
    sent = await workflow.dispatch(number=returned.number, department_code="150300-CG", actor=agent)
    cg_id = sent.department_id
    assert cg_id is not None and sees_phone(cg, sent, cg_id)
    back = await workflow.return_ticket(number=returned.number, reason="非本部门职责", actor=cg)
    assert back.department_id is None and await _sees(cg, back)
    assert not sees_phone(cg, back, cg_id)  # nobody handles it now
    assert not await _sees(hj, back)

    await workflow.dispatch(number=transferred.number, department_code="150300-CG", actor=agent)
    await workflow.sign(number=transferred.number, actor=cg)
    moved = await workflow.transfer(
        number=transferred.number, department_code="150300-HJ", note="属环保", actor=cg
    )
    assert await _sees(cg, moved) and await _sees(hj, moved)
    assert not await _sees(zj, moved)
    assert sees_phone(hj, moved, moved.department_id)
    assert not sees_phone(cg, moved, cg_id)


async def test_the_phone_is_for_agents_and_the_handling_department() -> None:
    agent = await principal("demo-agent")
    ticket = await workflow.dispatch(
        number=(await new_ticket()).number, department_code="150300-CG", actor=agent
    )
    department = ticket.department_id
    assert department is not None
    assert sees_phone(agent, ticket, None) and sees_phone(
        await principal("demo-admin"), ticket, None
    )
    assert sees_phone(await staff_of("150300-CG"), ticket, department)
    assert not sees_phone(await staff_of("150300-HJ"), ticket, department + 1)
    # Another role never does, whatever department is passed.
    for role in (Role.GRID_WORKER, Role.CITIZEN, Role.MERCHANT):
        assert not sees_phone(await _account(role), ticket, department)
    assert not sees_phone(None, ticket, department)


async def test_a_grid_worker_sees_the_grids_they_serve_now() -> None:
    admin = await principal("demo-admin")
    ticket = await new_ticket()  # in the last grid
    grid = await Area.get(id=ticket.grid_id)
    other = await Area.filter(level="GRID").exclude(id=grid.id).order_by("code").first()
    assert other is not None
    worker = await grid_worker(grid.code)
    assert await _sees(worker, ticket)
    await assign_grid_worker(username=worker.username, grid_code=other.code, actor=admin)
    assert not await _sees(worker, ticket)
    assert not await _sees(await _account(Role.GRID_WORKER), ticket)  # serves no grid


async def test_a_citizen_sees_their_own_tickets_only() -> None:
    citizen, stranger = await _account(Role.CITIZEN), await _account(Role.CITIZEN)
    own = await create_ticket(
        TicketRequest(
            channel="OL-WECHAT-MP",
            kind=TicketKind.CONSULTATION,
            title="供暖费怎么交",
            content="请问今年供暖费在哪里缴纳？",
        ),
        actor=citizen,
    )
    assert await _sees(citizen, own)
    assert not await _sees(stranger, own)
    assert not await _sees(citizen, await new_ticket())
    assert not sees_phone(citizen, own, None)


def test_every_status_has_a_public_one() -> None:
    assert set(PUBLIC_STATUS) == set(TicketStatus)
    told = {
        TicketStatus.RECEIVED: PublicStatus.ACCEPTED,
        TicketStatus.DISPATCHED: PublicStatus.ACCEPTED,
        TicketStatus.RETURNED: PublicStatus.ACCEPTED,
        TicketStatus.IN_PROGRESS: PublicStatus.IN_PROGRESS,
        TicketStatus.REOPENED: PublicStatus.IN_PROGRESS,
        TicketStatus.RESOLVED: PublicStatus.REPLIED,
        TicketStatus.CLOSED: PublicStatus.CLOSED,
        TicketStatus.MERGED: PublicStatus.IN_PROGRESS,
        TicketStatus.IN_MEDIATION: PublicStatus.IN_PROGRESS,
    }
    assert dict(PUBLIC_STATUS) == told


async def test_public_status_of_a_ticket_and_of_a_closed_follower() -> None:
    agent = await principal("demo-agent")
    ticket = await new_ticket()
    assert public_status(ticket) is PublicStatus.ACCEPTED
    answered = await workflow.resolve_at_intake(number=ticket.number, reply="已答复。", actor=agent)
    assert public_status(answered) is PublicStatus.REPLIED
    follower = dataclasses.replace(ticket, status=TicketStatus.MERGED, merged_into_id=ticket.id)
    assert public_status(follower) is PublicStatus.IN_PROGRESS
    closed = dataclasses.replace(follower, closed_at=answered.resolved_at)
    assert public_status(closed) is PublicStatus.CLOSED


async def test_citizens_see_the_public_steps_without_notes_or_actors() -> None:
    agent, staff = await principal("demo-agent"), await staff_of("150300-CG")
    ticket = await new_ticket()
    untouched = await new_ticket()
    await workflow.dispatch(
        number=ticket.number, department_code="150300-CG", note="内部：请尽快", actor=agent
    )
    await workflow.return_ticket(number=ticket.number, reason="内部：非本部门", actor=staff)
    await workflow.dispatch(number=ticket.number, department_code="150300-CG", actor=agent)
    await workflow.sign(number=ticket.number, actor=staff)
    await workflow.resolve(number=ticket.number, reply="已责令整改。", actor=staff)
    await workflow.revisit(
        number=ticket.number, answer=Satisfaction.SATISFIED, note="内部：回访顺利", actor=agent
    )
    histories = await history_of([ticket.id, untouched.id, 0])
    assert set(histories) == {ticket.id, untouched.id, 0} and histories[0] == []
    assert [e.action for e in histories[untouched.id]] == [Action.RECEIVE]
    steps = histories[ticket.id]
    full = [Action.RECEIVE, Action.DISPATCH, Action.RETURN, Action.DISPATCH, Action.SIGN]
    assert [e.action for e in steps] == [*full, Action.RESOLVE, Action.REVISIT]
    assert [(e.occurred_at, e.id) for e in steps] == sorted((e.occurred_at, e.id) for e in steps)
    assert steps[1].note == "内部：请尽快" and steps[1].actor_id == agent.account_id

    for staff_member in (agent, staff, await principal("demo-grid")):
        assert visible_history(staff_member, steps) == steps
    for outsider in (await _account(Role.CITIZEN), None):
        public = visible_history(outsider, steps)
        assert [e.action for e in public] == [
            Action.RECEIVE,
            Action.DISPATCH,
            Action.DISPATCH,
            Action.RESOLVE,
            Action.REVISIT,
        ]
        assert [e.note for e in public] == ["", "", "", "已责令整改。", ""]
        assert all(e.actor_id is None for e in public)
        assert public[1].department_id == steps[1].department_id is not None
