"""The enterprise and integrity desks: marking tickets, the desks' queues, their KPIs."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest

from accounts.models import Role
from accounts.service import Principal, create_account
from tests.conftest import unique
from tests.tickets.desk import new_citizen, principal, staff_of
from tickets import desks, specialists, workflow
from tickets.intake import TicketRequest, create_ticket
from tickets.lifecycle import Action, TicketStatus
from tickets.models import Desk, TicketEvent
from tickets.queries import TicketFilter, list_tickets
from tickets.records import TicketRecord
from tickets.sla import TicketKind
from tickets.stats import StatsFilter, hotline_stats
from wuyou import clock
from wuyou.clock import CITY_TIMEZONE, ManualClock
from wuyou.errors import DomainError, ErrorCode, Forbidden

pytestmark = pytest.mark.usefixtures("connected")


async def desk_ticket(
    desk: Desk | None,
    *,
    title: str = "惠企政策怎么申报",
    category: str | None = "ENTERPRISE.POLICIES.ENQUIRIES",
    kind: TicketKind = TicketKind.CONSULTATION,
    actor: Principal | None = None,
) -> TicketRecord:
    """A ticket taken by demo-agent (or ``actor``) for ``desk``."""
    return await create_ticket(
        TicketRequest(
            channel="HL-12345",
            kind=kind,
            title=title,
            content="我公司想申报今年的扶持资金，需要什么材料？",
            category=category,
            citizen_name="乌海某某科技有限公司 钱七",
            citizen_phone="13912345678",
            desk=desk,
        ),
        actor=actor or await principal("demo-agent"),
    )


async def _queue(desk: Desk) -> list[str]:
    """Every ticket number in ``desk``'s queue, in order."""
    agent = await principal("demo-agent")
    numbers: list[str] = []
    after = None
    while True:
        page = await desks.desk_queue(agent, desk, first=100, after=after)
        numbers += [t.number for t in page.items]
        if not page.has_next_page:
            return numbers
        after = page.end_cursor


async def test_a_ticket_received_for_a_desk_lands_in_its_queue() -> None:
    ticket = await desk_ticket(Desk.ENTERPRISE)
    assert ticket.desk is Desk.ENTERPRISE
    assert ticket.number in await _queue(Desk.ENTERPRISE)
    assert ticket.number not in await _queue(Desk.INTEGRITY)
    receipt = await TicketEvent.get(ticket_id=ticket.id, action=Action.RECEIVE)
    assert receipt.note == "转入企业服务专席"
    plain = await desk_ticket(None)
    assert plain.desk is None and plain.number not in await _queue(Desk.ENTERPRISE)
    agent = await principal("demo-agent")
    listed = await list_tickets(
        agent, TicketFilter(desk=Desk.ENTERPRISE, text=ticket.number), first=5, after=None
    )
    assert [t.number for t in listed.items] == [ticket.number]


async def test_only_agents_and_integrations_say_the_desk_at_intake() -> None:
    citizen = await new_citizen()
    with pytest.raises(DomainError) as refused:
        await create_ticket(
            TicketRequest(
                channel="OL-WECHAT-MP",
                kind=TicketKind.CONSULTATION,
                title="企业咨询",
                content="想咨询开办企业。",
                desk=Desk.ENTERPRISE,
            ),
            actor=citizen,
        )
    assert (refused.value.code, refused.value.field) == (ErrorCode.INVALID, "desk")


async def test_changing_the_desk_moves_the_ticket_and_is_in_its_history() -> None:
    agent = await principal("demo-agent")
    ticket = await desk_ticket(Desk.ENTERPRISE, category="ENTERPRISE.INTEGRITY.PAYMENT_ARREARS")
    moved = await desks.set_desk(
        number=ticket.number, desk=Desk.INTEGRITY, note="涉及机关拖欠账款", actor=agent
    )
    assert moved.desk is Desk.INTEGRITY and moved.status is TicketStatus.RECEIVED
    assert ticket.number in await _queue(Desk.INTEGRITY)
    assert ticket.number not in await _queue(Desk.ENTERPRISE)
    unmarked = await desks.set_desk(number=ticket.number, desk=None, actor=agent)
    assert unmarked.desk is None
    assert ticket.number not in await _queue(Desk.INTEGRITY)
    steps = await (
        TicketEvent.filter(ticket_id=ticket.id, action=Action.SET_DESK)
        .order_by("id")
        .values("from_status", "to_status", "actor_id", "note")
    )
    assert steps == [
        {
            "from_status": TicketStatus.RECEIVED,
            "to_status": TicketStatus.RECEIVED,
            "actor_id": agent.account_id,
            "note": "由企业服务专席转入政务诚信受理专席：涉及机关拖欠账款",
        },
        {
            "from_status": TicketStatus.RECEIVED,
            "to_status": TicketStatus.RECEIVED,
            "actor_id": agent.account_id,
            "note": "移出政务诚信受理专席",
        },
    ]


async def test_setting_the_desk_is_for_agents_on_open_tickets() -> None:
    agent = await principal("demo-agent")
    ticket = await desk_ticket(None)
    with pytest.raises(Forbidden):
        await desks.set_desk(
            number=ticket.number, desk=Desk.ENTERPRISE, actor=await staff_of("150300-CG")
        )
    with pytest.raises(DomainError) as same:
        await desks.set_desk(number=ticket.number, desk=None, actor=agent)
    assert (same.value.code, same.value.field) == (ErrorCode.INVALID, "desk")
    await workflow.resolve_at_intake(number=ticket.number, reply="已答复。", actor=agent)
    with pytest.raises(DomainError) as resolved:
        await desks.set_desk(number=ticket.number, desk=Desk.ENTERPRISE, actor=agent)
    assert resolved.value.code is ErrorCode.INVALID_STATE
    with pytest.raises(DomainError) as missing:
        await desks.set_desk(number="WH20000101999999", desk=Desk.ENTERPRISE, actor=agent)
    assert missing.value.code is ErrorCode.NOT_FOUND
    with pytest.raises(Forbidden):
        await desks.desk_queue(await new_citizen(), Desk.ENTERPRISE, first=5, after=None)


async def test_the_queue_holds_open_tickets_nearest_deadline_first() -> None:
    agent = await principal("demo-agent")
    waiting = await desk_ticket(Desk.INTEGRITY, title="招商承诺不兑现")
    urgent = await desk_ticket(Desk.INTEGRITY, title="机关拖欠工程款", kind=TicketKind.COMPLAINT)
    soon = await desk_ticket(Desk.INTEGRITY, title="咨询政策兑现")
    done = await desk_ticket(Desk.INTEGRITY, title="已答复的咨询")
    await workflow.dispatch(number=urgent.number, department_code="150300-GX", actor=agent)
    await workflow.dispatch(number=soon.number, department_code="150300-GX", actor=agent)
    await workflow.resolve_at_intake(number=done.number, reply="已答复。", actor=agent)
    queue = await _queue(Desk.INTEGRITY)
    assert done.number not in queue
    # Both sign deadlines run from dispatch: the earlier dispatch is due first; the ticket
    # not yet dispatched has no running deadline and follows.
    mine = [n for n in queue if n in {waiting.number, urgent.number, soon.number}]
    assert mine == [urgent.number, soon.number, waiting.number]


@pytest.fixture
def week() -> Iterator[ManualClock]:
    """A clock standing on a Monday of 2051, far from other tests' tickets."""
    manual = ManualClock(datetime(2051, 3, 6, 9, tzinfo=CITY_TIMEZONE))
    previous = clock.install(manual)
    try:
        yield manual
    finally:
        clock.install(previous)


async def test_desk_figures_count_tickets_and_consultations(week: ManualClock) -> None:
    """E1–E3 for the enterprise desk, I1 for the integrity desk, P1 for none. E1 is
    answered at intake after a specialist answered in 10 minutes, E2 at once without one;
    E3 is dispatched after one specialist answered in 30 minutes and another declined. I1's
    specialist is still invited. P1 has a consultation too, which no desk counts."""
    start = week.now()
    agent, admin = await principal("demo-agent"), await principal("demo-admin")
    first = await _specialist(admin, [Desk.ENTERPRISE, Desk.INTEGRITY])
    second = await _specialist(admin, [Desk.ENTERPRISE])
    e1, e2, e3 = [await desk_ticket(Desk.ENTERPRISE, title=f"企业咨询{n}") for n in "一二三"]
    i1 = await desk_ticket(Desk.INTEGRITY, title="拖欠账款")
    p1 = await desk_ticket(None, title="不在专席")

    async def consult(ticket: TicketRecord, who: tuple[Principal, int], minutes: int) -> None:
        invited = await specialists.invite_specialist(
            number=ticket.number, specialist_id=who[1], question="请专家解答", actor=agent
        )
        week.advance(timedelta(minutes=minutes))
        await specialists.answer_consultation(
            consultation_id=invited.id, answer="可以申报。", actor=who[0]
        )

    await consult(e1, first, 10)
    await workflow.resolve_at_intake(number=e1.number, reply="专家已答复。", actor=agent)
    await workflow.resolve_at_intake(number=e2.number, reply="已答复。", actor=agent)
    await consult(e3, second, 30)
    declined = await specialists.invite_specialist(
        number=e3.number, specialist_id=first[1], question="", actor=agent
    )
    await specialists.decline_consultation(
        consultation_id=declined.id, reason="不属本科室", actor=first[0]
    )
    await workflow.dispatch(number=e3.number, department_code="150300-GX", actor=agent)
    await specialists.invite_specialist(
        number=i1.number, specialist_id=first[1], question="", actor=agent
    )
    await consult(p1, first, 5)

    figures = await hotline_stats(
        StatsFilter(received_from=start, received_to=start + timedelta(days=1)), actor=agent
    )
    by_desk = {d.desk: d for d in figures.by_desk}
    assert list(by_desk) == [Desk.ENTERPRISE, Desk.INTEGRITY]
    enterprise, integrity = by_desk[Desk.ENTERPRISE], by_desk[Desk.INTEGRITY]
    assert (enterprise.name, enterprise.received, enterprise.resolved_at_intake) == (
        "企业服务专席",
        3,
        2,
    )
    assert enterprise.first_contact_rate == pytest.approx(2 / 3)
    assert enterprise.resolved_at_intake_with_specialist == 1
    assert (
        enterprise.consultations,
        enterprise.consultations_answered,
        enterprise.consultations_declined,
    ) == (3, 2, 1)
    assert enterprise.median_seconds_to_answer == 20 * 60
    assert enterprise.average_seconds_to_answer == 20 * 60
    assert (integrity.received, integrity.resolved_at_intake, integrity.consultations) == (1, 0, 1)
    assert integrity.consultations_answered == 0 and integrity.median_seconds_to_answer is None
    assert integrity.first_contact_rate == 0


async def _specialist(admin: Principal, serves: list[Desk]) -> tuple[Principal, int]:
    """A new specialist of the industry bureau serving ``serves``: (principal, profile id)."""
    account = await create_account(
        username=unique("spec"), role=Role.SPECIALIST, display_name="专家", password=None
    )
    profile = await specialists.register_specialist(
        username=account.username,
        department_code="150300-GX",
        title="中小企业服务科",
        topics=["ENTERPRISE.POLICIES"],
        desks=serves,
        actor=admin,
    )
    return Principal(account.id, account.username, Role.SPECIALIST), profile.id
