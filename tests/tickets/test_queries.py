"""Ticket lists: every filter, every order walked page by page, the department's queue,
and what each role's list holds."""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from accounts.models import Role
from accounts.service import Principal, create_account
from tests.conftest import unique
from tests.tickets.desk import grid_worker, intake, new_citizen, principal, staff_of
from tickets import merging, workflow
from tickets.lifecycle import TicketStatus
from tickets.queries import TicketFilter, TicketOrder, list_tickets, my_queue
from tickets.records import TicketRecord, get_tickets_by_id
from tickets.sla import SlaWarning, TicketKind, Urgency
from wuyou import clock
from wuyou.clock import CITY_TIMEZONE, ManualClock
from wuyou.errors import DomainError, ErrorCode, Forbidden, Unauthenticated

pytestmark = pytest.mark.usefixtures("connected")

GRID_A = "150302001001-G01"  # 海勃湾区
GRID_B = "150304100202-G05"  # 乌达区
#: Each desk gets a week of its own, far from other tests' tickets: Mondays from 2049.
_WEEKS = itertools.count()


@dataclass
class Desk:
    """Eight tickets received over three days of one week (see :func:`desk`)."""

    start: datetime
    tickets: dict[str, TicketRecord]
    citizen: Principal
    worker: Principal

    @property
    def week(self) -> TicketFilter:
        return TicketFilter(created_from=self.start, created_to=self.start + timedelta(days=7))

    def names(self, records: list[TicketRecord]) -> set[str]:
        by_id = {t.id: name for name, t in self.tickets.items()}
        return {by_id[r.id] for r in records}


@pytest.fixture
async def desk() -> AsyncIterator[Desk]:
    """Monday 09:00: t1–t4 received together (t4 by a citizen online); t1 and t3 go to
    城管 (150300-CG), which signs the critical t3 three hours late. 12:00: t5 goes to
    城管, is returned, and goes to 环保 (150300-HJ); t6 is answered at intake. Tuesday
    10:00: t7 is received, t8 is merged into t1. The clock then stands on Wednesday
    10:00, when t1, t5 (signing), t3 (completion) and t6 (revisit) are overdue."""
    start = datetime(2049, 1, 4, tzinfo=CITY_TIMEZONE) + timedelta(weeks=next(_WEEKS))
    manual = ManualClock(start + timedelta(hours=9))
    previous = clock.install(manual)
    try:
        agent = await principal("demo-agent")
        cg = await staff_of("150300-CG")
        citizen = await new_citizen()
        worker = await grid_worker(GRID_A)
        t = {
            "t1": await intake(
                "饭店油烟扰民",
                category="ENVIRONMENT.AIR.CATERING_FUMES",
                grid=GRID_A,
                address="幸福路 1 号",
            ),
            "t2": await intake(
                "占道经营",
                channel="HL-12315",
                kind=TicketKind.REQUEST,
                category="URBAN.CITYSCAPE.STREET_VENDING",
                grid=GRID_B,
                urgency=Urgency.URGENT,
                content="早市摊贩堵住路口。",
            ),
            "t3": await intake(
                "路灯漏电",
                kind=TicketKind.CONSULTATION,
                category="URBAN.FACILITIES.STREETLIGHTS",
                grid=GRID_A,
                urgency=Urgency.CRITICAL,
            ),
            "t4": await intake(
                "建议 ABC 公园加装座椅",
                channel="OL-WECHAT-MP",
                kind=TicketKind.SUGGESTION,
                actor=citizen,
            ),
        }
        for name in ("t1", "t3"):
            await workflow.dispatch(number=t[name].number, department_code="150300-CG", actor=agent)
        manual.advance(timedelta(hours=3))
        await workflow.sign(number=t["t3"].number, actor=cg)
        t["t5"] = await intake("河道排污", category="ENVIRONMENT.WATER.DISCHARGE", grid=GRID_B)
        await workflow.dispatch(number=t["t5"].number, department_code="150300-CG", actor=agent)
        await workflow.return_ticket(number=t["t5"].number, reason="属环保职责", actor=cg)
        await workflow.dispatch(number=t["t5"].number, department_code="150300-HJ", actor=agent)
        t["t6"] = await intake("噪音咨询", grid=GRID_A)
        await workflow.resolve_at_intake(number=t["t6"].number, reply="已告知。", actor=agent)
        manual.advance(timedelta(hours=22))
        t["t7"] = await intake(
            "广告牌松动",
            channel="HL-12315",
            kind=TicketKind.REPORT,
            category="URBAN.CITYSCAPE.SIGNBOARDS",
        )
        t["t8"] = await intake("饭店油烟又来了", grid=GRID_A)
        await merging.merge(
            master_number=t["t1"].number, numbers=[t["t8"].number], note="同一饭店", actor=agent
        )
        manual.advance(timedelta(days=1))
        fresh = await get_tickets_by_id(r.id for r in t.values())
        yield Desk(
            start=start,
            tickets={name: fresh[r.id] for name, r in t.items()},
            citizen=citizen,
            worker=worker,
        )
    finally:
        clock.install(previous)


async def _walk(
    who: Principal, ticket_filter: TicketFilter, order: TicketOrder = TicketOrder.RECEIVED_DESC
) -> list[TicketRecord]:
    """Every ticket of a list, two to a page, checking the pages join up."""
    seen: list[TicketRecord] = []
    after: str | None = None
    while True:
        page = await list_tickets(who, ticket_filter, first=2, after=after, order=order)
        assert page.has_previous_page is (after is not None)
        seen += page.items
        assert await page.count() >= len(seen)
        if not page.has_next_page:
            assert await page.count() == len(seen)
            break
        after = page.end_cursor
    assert len({t.id for t in seen}) == len(seen), "a ticket appeared on two pages"
    return seen


async def _names(desk: Desk, who: Principal | None = None, **criteria: Any) -> set[str]:
    ticket_filter = dataclasses.replace(desk.week, **criteria)
    return desk.names(await _walk(who or await principal("demo-agent"), ticket_filter))


async def test_each_filter_selects_its_tickets(desk: Desk) -> None:
    t = desk.tickets
    everything = {"t1", "t2", "t3", "t4", "t5", "t6", "t7"}
    assert await _names(desk) == everything  # the merged t8 is left out
    assert await _names(desk, merged=True) == everything | {"t8"}
    assert await _names(desk, statuses=(TicketStatus.RECEIVED,)) == {"t2", "t4", "t7"}
    assert await _names(desk, statuses=(TicketStatus.MERGED,)) == {"t8"}
    assert await _names(desk, statuses=(TicketStatus.DISPATCHED, TicketStatus.RESOLVED)) == {
        "t1",
        "t5",
        "t6",
    }
    assert await _names(desk, kinds=(TicketKind.COMPLAINT,)) == {"t1", "t5", "t6"}
    assert await _names(desk, kinds=(TicketKind.REQUEST, TicketKind.REPORT)) == {"t2", "t7"}
    assert await _names(desk, channel="HL-12315") == {"t2", "t7"}
    assert await _names(desk, channel="OL-WECHAT-MP") == {"t4"}
    assert await _names(desk, department="150300-CG") == {"t1", "t3"}
    assert await _names(desk, department="150300-HJ") == {"t5"}
    assert await _names(desk, area_code="150302") == {"t1", "t3", "t6"}
    assert await _names(desk, area_code="150302001") == {"t1", "t3", "t6"}
    assert await _names(desk, area_code=GRID_B) == {"t2", "t5"}
    assert await _names(desk, area_code="150300") == {"t1", "t2", "t3", "t5", "t6"}
    assert await _names(desk, category="URBAN") == {"t2", "t3", "t7"}
    assert await _names(desk, category="URBAN.CITYSCAPE") == {"t2", "t7"}
    assert await _names(desk, category="URBAN.FACILITIES.STREETLIGHTS") == {"t3"}
    assert await _names(desk, category="ENVIRONMENT") == {"t1", "t5"}
    assert await _names(desk, urgencies=(Urgency.URGENT, Urgency.CRITICAL)) == {"t2", "t3"}
    assert await _names(desk, urgencies=(Urgency.CRITICAL,)) == {"t3"}
    assert await _names(desk, overdue=True) == {"t1", "t3", "t5", "t6"}
    assert await _names(desk, overdue=False) == {"t2", "t4", "t7"}
    # Only t3 was moved after its deadline had passed; no sweeper ran for the others.
    assert t["t3"].warning is SlaWarning.RED
    assert await _names(desk, warning=SlaWarning.RED) == {"t3"}
    assert await _names(desk, warning=SlaWarning.NONE) == everything - {"t3"}
    tuesday = desk.start + timedelta(days=1)
    assert await _names(desk, created_to=tuesday) == everything - {"t7"}
    assert await _names(desk, created_from=tuesday) == {"t7"}
    ten = desk.start + timedelta(hours=10)
    assert await _names(desk, created_from=ten) == {"t5", "t6", "t7"}
    assert await _names(desk, created_from=ten.astimezone(UTC)) == {"t5", "t6", "t7"}
    assert await _names(desk, created_from=ten.replace(tzinfo=None)) == {"t5", "t6", "t7"}
    assert await _names(desk, text="幸福路") == {"t1"}  # the address
    assert await _names(desk, text="摊贩") == {"t2"}  # the content
    assert await _names(desk, text="abc") == {"t4"}  # the title, whatever the case
    assert await _names(desk, text=f" {t['t5'].number.lower()} ") == {"t5"}  # the number
    assert await _names(desk, text="油烟", merged=True) == {"t1", "t8"}
    assert await _names(desk, text="没有这样的工单") == set()
    assert await _names(desk, channel="HL-12345", category="URBAN", overdue=True) == {"t3"}


async def test_unknown_codes_are_reported_together(desk: Desk) -> None:
    agent = await principal("demo-agent")
    with pytest.raises(DomainError) as unknown:
        await list_tickets(
            agent,
            TicketFilter(channel="NOPE", department="NOPE", area_code="999", category="NOPE"),
            first=10,
            after=None,
        )
    problems = {(p.field, p.code) for p in unknown.value.problems}
    assert problems == {
        ("filter.channel", ErrorCode.NOT_FOUND),
        ("filter.department", ErrorCode.NOT_FOUND),
        ("filter.areaCode", ErrorCode.NOT_FOUND),
        ("filter.category", ErrorCode.NOT_FOUND),
    }
    # A prefix of a code is no code: "URB" is not URBAN.
    with pytest.raises(DomainError) as prefix:
        await list_tickets(agent, TicketFilter(category="URB"), first=10, after=None)
    assert prefix.value.field == "filter.category"


_RANK = {Urgency.CRITICAL: 0, Urgency.URGENT: 1, Urgency.NORMAL: 2}
_EXPECTED: dict[TicketOrder, Callable[[list[TicketRecord]], list[TicketRecord]]] = {
    TicketOrder.RECEIVED_DESC: lambda ts: sorted(
        ts, key=lambda t: (t.received_at, t.id), reverse=True
    ),
    TicketOrder.RECEIVED_ASC: lambda ts: sorted(ts, key=lambda t: (t.received_at, t.id)),
    TicketOrder.DUE_ASC: lambda ts: sorted(
        ts, key=lambda t: (t.due_at is None, t.due_at or t.received_at, t.id)
    ),
    TicketOrder.URGENCY_DESC: lambda ts: sorted(
        ts, key=lambda t: (_RANK[t.urgency], -t.received_at.timestamp(), -t.id)
    ),
    TicketOrder.UPDATED_DESC: lambda ts: sorted(
        ts, key=lambda t: (t.updated_at, t.id), reverse=True
    ),
}


@pytest.mark.parametrize("order", list(TicketOrder))
async def test_every_order_pages_without_gaps_or_repeats(desk: Desk, order: TicketOrder) -> None:
    agent = await principal("demo-agent")
    walked = await _walk(agent, desk.week, order)
    expected = _EXPECTED[order]([t for n, t in desk.tickets.items() if n != "t8"])
    assert [t.number for t in walked] == [t.number for t in expected]


async def test_orders_put_the_right_tickets_first(desk: Desk) -> None:
    agent, t = await principal("demo-agent"), desk.tickets

    async def first_of(order: TicketOrder) -> list[str]:
        page = await list_tickets(agent, desk.week, first=7, after=None, order=order)
        by_id = {r.id: name for name, r in t.items()}
        return [by_id[r.id] for r in page.items]

    assert (await first_of(TicketOrder.URGENCY_DESC))[:2] == ["t3", "t2"]
    due = await first_of(TicketOrder.DUE_ASC)
    assert due[0] == "t3" and set(due[-3:]) == {"t2", "t4", "t7"}  # no deadline: last
    assert (await first_of(TicketOrder.RECEIVED_DESC))[0] == "t7"
    # t1–t4 were received at the same instant: the id orders them.
    assert (await first_of(TicketOrder.RECEIVED_ASC))[:4] == ["t1", "t2", "t3", "t4"]


async def test_a_cursor_fits_only_its_own_order(desk: Desk) -> None:
    agent = await principal("demo-agent")
    page = await list_tickets(agent, desk.week, first=2, after=None, order=TicketOrder.DUE_ASC)
    assert page.end_cursor is not None and await page.count() == 7
    wrongs = (
        page.end_cursor,  # a DUE_ASC cursor
        "RECEIVED_DESC|yesterday|1",
        "RECEIVED_DESC|2049-01-04T00:00:00|1",  # no offset
        "RECEIVED_DESC|2049-01-04T00:00:00+00:00|99999999999999999999",
        "RECEIVED_DESC|9999-12-31T23:59:59-10:00|1",
        "garbage",
        "RECEIVED_DESC|",
    )
    for wrong in wrongs:
        with pytest.raises(DomainError) as bad:
            await list_tickets(agent, desk.week, first=2, after=wrong)
        assert (bad.value.field, bad.value.code) == ("after", ErrorCode.INVALID)


async def test_each_role_lists_what_it_may_see(desk: Desk) -> None:
    # 城管 keeps seeing t5, which it returned and which went on to 环保.
    assert await _names(desk, await staff_of("150300-CG")) == {"t1", "t3", "t5"}
    assert await _names(desk, await staff_of("150300-HJ")) == {"t5"}
    assert await _names(desk, await staff_of("150300-ZJ")) == set()
    assert await _names(desk, desk.worker) == {"t1", "t3", "t6"}
    assert await _names(desk, desk.citizen) == {"t4"}
    assert await _names(desk, await new_citizen()) == set()
    merchant = await create_account(
        username=unique("merchant"), role=Role.MERCHANT, display_name="商家", password=None
    )
    assert await _names(desk, Principal(merchant.id, merchant.username, Role.MERCHANT)) == set()
    with pytest.raises(Unauthenticated):
        await list_tickets(None, desk.week, first=10, after=None)


async def test_a_department_queue_is_its_open_work_nearest_deadline_first(desk: Desk) -> None:
    t, cg = desk.tickets, await staff_of("150300-CG")
    queue: list[TicketRecord] = []
    after: str | None = None
    while True:
        page = await my_queue(cg, first=50, after=after)
        queue += page.items
        if not page.has_next_page:
            break
        after = page.end_cursor
    assert len({r.id for r in queue}) == len(queue) == await page.count()
    ours = [name for r in queue for name, mine in t.items() if mine.id == r.id]
    assert ours == ["t3", "t1"]  # t3's completion (Monday 11:00) before t1's signing
    cg_id = t["t1"].department_id
    assert all(
        r.department_id == cg_id
        and r.status in (TicketStatus.DISPATCHED, TicketStatus.IN_PROGRESS, TicketStatus.REOPENED)
        for r in queue
    )
    dues = [r.due_at for r in queue]
    dated = [d for d in dues if d is not None]
    assert dated == sorted(dated) and dues[: len(dated)] == dated  # no deadline: last
    for other in (await principal("demo-agent"), desk.citizen, desk.worker):
        with pytest.raises(Forbidden):
            await my_queue(other, first=10, after=None)
