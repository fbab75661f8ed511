"""The city dashboard: counts by area, trends, hot spots and live counters, on hand-built
tickets whose figures are counted here by hand; the API's permissions, bad input and the
live subscription."""

from __future__ import annotations

import asyncio
import dataclasses
import itertools
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from starlette.testclient import TestClient

from accounts.models import Role
from accounts.service import Principal
from grids.areas import get_area
from tests.api.test_sql_statements import counting_sql
from tests.graphql import data, error_codes, gql, login
from tests.merchants.live import PROTOCOL, next_message, subscribe, wait_for_subscriber
from tests.tickets.desk import grid_worker, intake, new_citizen, principal, staff_of
from tests.tickets.test_api_journey import complaint
from tickets import dashboard, merging, workflow
from tickets.dashboard import (
    LiveCounters,
    Pacing,
    TicketCounts,
    TrendInterval,
    area_ticket_counts,
    hot_spots,
    live_counters,
    pulses,
    ticket_trend,
)
from tickets.lifecycle import Satisfaction
from tickets.live import ALL_TICKETS_TOPIC
from tickets.records import TicketRecord, get_ticket
from tickets.sla import TicketKind, Urgency
from wuyou import clock, events
from wuyou.clock import CITY_TIMEZONE, ManualClock
from wuyou.errors import DomainError, ErrorCode, Forbidden, Unauthenticated

#: Each test that moves the clock has weeks of its own, far from other tests' tickets:
#: Mondays eight weeks apart from 2051.
_WEEKS = itertools.count()
STREET = "150304001"  # 三道坎街道, 乌达区
A, B = "150304001001", "150304001002"  # two of its communities
FUMES, VENDING = "ENVIRONMENT.AIR.CATERING_FUMES", "URBAN.CITYSCAPE.STREET_VENDING"
NOTHING = TicketCounts(0, 0, 0, 0, 0, 0, 0, None, 0, 0, None)


def _monday() -> datetime:
    return datetime(2051, 1, 2, tzinfo=CITY_TIMEZONE) + timedelta(weeks=8 * next(_WEEKS))


@pytest.fixture
def manual() -> Iterator[ManualClock]:
    moment = ManualClock(_monday())
    previous = clock.install(moment)
    try:
        yield moment
    finally:
        clock.install(previous)


@dataclass(frozen=True, slots=True)
class Fortnight:
    """The hand-built tickets and their period [start, start + 14 days)."""

    start: datetime
    tickets: dict[str, TicketRecord]

    @property
    def end(self) -> datetime:
        return self.start + timedelta(days=14)


@pytest.fixture
async def fortnight(connected: str, manual: ManualClock) -> AsyncIterator[Fortnight]:
    """Monday 09:00 in community A: T1 (G01) goes to 城管 (150300-CG), which signs and
    resolves it at 09:10 and the citizen is satisfied (CLOSED); T2 (G02) is answered at
    intake and the citizen is unsatisfied (REOPENED); T8 (G03) goes to 城管; T5 (G01)
    is merged into T1. Tuesday 10:00 in community B: T3 (G01) goes to 环保 (150300-HJ)
    and is never signed. Wednesday 07:00 city time (Tuesday 23:00 UTC) T4 comes in in B
    and stays RECEIVED. Outside: T6 in A on the Sunday before, T7 in another street on
    Monday. A month later 城管 signs and resolves T8, late, and its citizen is basically
    satisfied (CLOSED); the clock then stands there."""
    start = manual.now().astimezone(CITY_TIMEZONE)
    agent, cg, hj = (
        await principal("demo-agent"),
        await staff_of("150300-CG"),
        await staff_of("150300-HJ"),
    )
    manual.set(start - timedelta(hours=15))
    t6 = await intake("上周日", category=FUMES, grid=f"{A}-G01")
    manual.set(start + timedelta(hours=9))
    t1 = await intake("油烟一", category=FUMES, grid=f"{A}-G01")
    t2 = await intake("摆摊咨询", kind=TicketKind.CONSULTATION, category=VENDING, grid=f"{A}-G02")
    t8 = await intake("油烟二", category=FUMES, grid=f"{A}-G03")
    t5 = await intake("油烟一（重复）", category=FUMES, grid=f"{A}-G01")
    t7 = await intake("别的街道", category=FUMES, grid="150304002001-G01")
    await merging.merge(master_number=t1.number, numbers=[t5.number], note="重复", actor=agent)
    for ticket in (t1, t8):
        await workflow.dispatch(number=ticket.number, department_code="150300-CG", actor=agent)
    await workflow.resolve_at_intake(number=t2.number, reply="已答复。", actor=agent)
    manual.advance(timedelta(minutes=5))
    await workflow.sign(number=t1.number, actor=cg)
    manual.advance(timedelta(minutes=5))
    await workflow.resolve(number=t1.number, reply="已整改。", actor=cg)
    for ticket, answer in ((t1, Satisfaction.SATISFIED), (t2, Satisfaction.UNSATISFIED)):
        await workflow.revisit(number=ticket.number, answer=answer, actor=agent)
    manual.set(start + timedelta(days=1, hours=10))
    t3 = await intake("占道经营", category=VENDING, grid=f"{B}-G01")
    await workflow.dispatch(number=t3.number, department_code="150300-HJ", actor=agent)
    manual.set(start + timedelta(days=2, hours=7))
    t4 = await intake("噪音", grid=f"{B}-G01", urgency=Urgency.URGENT)
    manual.set(start + timedelta(days=30, hours=9))
    await workflow.sign(number=t8.number, actor=cg)
    await workflow.resolve(number=t8.number, reply="已整改。", actor=cg)
    await workflow.revisit(number=t8.number, answer=Satisfaction.BASICALLY_SATISFIED, actor=agent)
    numbers = {"T1": t1, "T2": t2, "T3": t3, "T4": t4, "T5": t5, "T6": t6, "T7": t7, "T8": t8}
    tickets = {}
    for name, ticket in numbers.items():
        record = await get_ticket(ticket.number)
        assert record is not None
        tickets[name] = record
    assert hj  # 环保 never signs T3
    yield Fortnight(start, tickets)


async def test_an_areas_counts_per_child_and_in_total(fortnight: Fortnight) -> None:
    counts = await area_ticket_counts(
        STREET, fortnight.start, fortnight.end, actor=await principal("demo-agent")
    )
    assert counts.area.code == STREET and counts.computed_at == clock.now()
    in_a = TicketCounts(
        received=3,  # T1, T2, T8 (T5 merged, T6 before the period)
        open_now=1,  # T2, reopened
        overdue_now=0,  # T2 has no department, so no deadline runs
        resolved=2,  # T1, T8
        closed=2,
        completed=2,  # T1, T8 by 城管
        completed_on_time=1,  # T1
        on_time_rate=1 / 2,
        revisited=3,  # T1 satisfied, T8 basically satisfied, T2 unsatisfied
        satisfied=2,
        satisfaction_rate=2 / 3,
    )
    in_b = dataclasses.replace(NOTHING, received=2, open_now=2, overdue_now=1)  # T3 unsigned
    total = TicketCounts(5, 3, 1, 2, 2, 2, 1, 1 / 2, 3, 2, 2 / 3)
    assert counts.total == total
    children = {row.area.code: row.counts for row in counts.children}
    assert children[A] == in_a and children[B] == in_b
    street = await get_area(STREET)
    assert street is not None
    codes = [row.area.code for row in counts.children]
    assert codes == sorted(codes) and len(codes) >= 3 and all(c.startswith(STREET) for c in codes)
    assert all(children[c] == NOTHING for c in codes if c not in (A, B))
    # Received tickets are open or answered, nothing else.
    for row in (counts.total, in_a, in_b):
        assert row.received == row.open_now + row.resolved


async def test_a_community_counts_per_grid_and_a_grid_alone(fortnight: Fortnight) -> None:
    agent = await principal("demo-agent")
    community = await area_ticket_counts(A, fortnight.start, fortnight.end, actor=agent)
    by_grid = {
        row.area.code: row.counts.received for row in community.children if row.counts.received
    }
    assert by_grid == {f"{A}-G01": 1, f"{A}-G02": 1, f"{A}-G03": 1}
    grid = await area_ticket_counts(f"{A}-G01", fortnight.start, fortnight.end, actor=agent)
    assert grid.children == [] and grid.total.received == 1 and grid.total.closed == 1


async def test_a_body_counts_the_tickets_it_handles(fortnight: Fortnight) -> None:
    cg = await staff_of("150300-CG")
    counts = await area_ticket_counts(STREET, fortnight.start, fortnight.end, actor=cg)
    assert counts.total.received == 2  # T1, T8: T2 never reached a body, T3 went to 环保
    assert counts.total.closed == 2 and counts.total.open_now == 0
    for someone in (await new_citizen(), await grid_worker(f"{A}-G01")):
        with pytest.raises(Forbidden):
            await area_ticket_counts(STREET, fortnight.start, fortnight.end, actor=someone)
    with pytest.raises(Unauthenticated):
        await area_ticket_counts(STREET, fortnight.start, fortnight.end, actor=None)
    lost = Principal(cg.account_id + 10**6, "nobody", Role.DEPARTMENT)
    with pytest.raises(Forbidden):
        await area_ticket_counts(STREET, fortnight.start, fortnight.end, actor=lost)


def _city_day(moment: datetime) -> date:
    return moment.astimezone(CITY_TIMEZONE).date()


async def test_a_daily_trend_with_empty_days_filled(fortnight: Fortnight) -> None:
    t = fortnight.tickets
    trend = await ticket_trend(
        STREET,
        fortnight.start,
        fortnight.end,
        TrendInterval.DAY,
        actor=await principal("demo-agent"),
    )
    days = [fortnight.start.date() + timedelta(days=i) for i in range(14)]
    assert [(p.start, p.end) for p in trend.points] == [(d, d + timedelta(days=1)) for d in days]
    received = Counter({days[0]: 3, days[1]: 1, days[2]: 1})  # T1 T2 T8 | T3 | T4 (city day)
    resolved = Counter({days[0]: 1})  # T1 (T2 was reopened; T8 a month later)
    # Completion deadlines missed: T8's (resolved late) and T3's (never resolved); T1 met
    # its own. Each counts on the city day its deadline fell.
    late = Counter(
        _city_day(r.complete_deadline)
        for r in (t["T8"], t["T3"])
        if r.complete_deadline is not None and r.complete_deadline < fortnight.end
    )
    assert sum(late.values()) == 2
    assert {p.start: p.received for p in trend.points} == {d: received[d] for d in days}
    assert {p.start: p.resolved for p in trend.points} == {d: resolved[d] for d in days}
    assert {p.start: p.overdue for p in trend.points} == {d: late[d] for d in days}

    fumes = await ticket_trend(
        STREET,
        fortnight.start,
        fortnight.end,
        TrendInterval.DAY,
        category="ENVIRONMENT",
        actor=await principal("demo-agent"),
    )
    assert sum(p.received for p in fumes.points) == 2  # T1, T8


async def test_weekly_and_monthly_trends_cover_the_period(fortnight: Fortnight) -> None:
    agent = await principal("demo-agent")
    # From Wednesday noon: the first week is cut to the period, and T1, T2, T8, T3 are out.
    start = fortnight.start + timedelta(days=2, hours=12)
    weekly = await ticket_trend(STREET, start, fortnight.end, TrendInterval.WEEK, actor=agent)
    monday = fortnight.start.date()
    assert [(p.start, p.end) for p in weekly.points] == [
        (monday, monday + timedelta(days=7)),
        (monday + timedelta(days=7), monday + timedelta(days=14)),
    ]
    assert [p.received for p in weekly.points] == [0, 0]  # T4 came Wednesday 07:00
    whole = await ticket_trend(
        STREET, fortnight.start, fortnight.end, TrendInterval.WEEK, actor=agent
    )
    assert [p.received for p in whole.points] == [5, 0]
    monthly = await ticket_trend(
        STREET,
        fortnight.start - timedelta(days=40),
        fortnight.end,
        TrendInterval.MONTH,
        actor=agent,
    )
    firsts = [p.start for p in monthly.points]
    assert all(d.day == 1 for d in firsts) and firsts == sorted(set(firsts))
    assert all(p.end == q.start for p, q in itertools.pairwise(monthly.points))
    assert firsts[0] <= _city_day(fortnight.start - timedelta(days=40)) < monthly.points[0].end
    assert monthly.points[-1].start <= _city_day(fortnight.end) < monthly.points[-1].end
    assert sum(p.received for p in monthly.points) == 6  # T6, the Sunday before, too


async def test_counts_and_trends_refuse_bad_input(connected: str) -> None:
    agent = await principal("demo-agent")
    start = datetime(2051, 1, 2, tzinfo=CITY_TIMEZONE)
    cases: list[tuple[str, datetime, datetime, str, ErrorCode]] = [
        ("999999", start, start + timedelta(days=1), "areaCode", ErrorCode.NOT_FOUND),
        (STREET, start, start, "to", ErrorCode.INVALID),
        (STREET, start, start + timedelta(days=367), "to", ErrorCode.OUT_OF_RANGE),
        # The last week or month of the calendar cannot be counted to its end.
        (
            STREET,
            datetime(9999, 12, 27, tzinfo=UTC),
            datetime(9999, 12, 28, tzinfo=UTC),
            "to",
            ErrorCode.OUT_OF_RANGE,
        ),
    ]
    for code, begin, end, field, error_code in cases:
        for call in (
            area_ticket_counts(code, begin, end, actor=agent),
            ticket_trend(code, begin, end, TrendInterval.DAY, actor=agent),
        ):
            with pytest.raises(DomainError) as refused:
                await call
            assert (refused.value.field, refused.value.code) == (field, error_code)
    with pytest.raises(DomainError) as refused:
        await ticket_trend(
            STREET,
            start,
            start + timedelta(days=1),
            TrendInterval.DAY,
            category="NOPE",
            actor=agent,
        )
    assert (refused.value.field, refused.value.code) == ("category", ErrorCode.NOT_FOUND)
    with pytest.raises(DomainError) as refused:
        await hot_spots("C" * 97, days=7, first=10, actor=agent)
    assert (refused.value.field, refused.value.code) == ("categoryCode", ErrorCode.NOT_FOUND)


async def test_the_statements_do_not_grow_with_the_children(connected: str) -> None:
    agent = await principal("demo-agent")
    start = datetime(2051, 1, 2, tzinfo=CITY_TIMEZONE)
    statements = {}
    # The city's 3 districts, 乌达区's 8 streets and towns, community A's 7 grids.
    areas = {"150300": 0, "150304": 0, A: 0}
    for code in areas:
        with counting_sql() as counter:
            counts = await area_ticket_counts(code, start, start + timedelta(days=7), actor=agent)
        areas[code] = len(counts.children)
        statements[code] = counter.statements
    assert areas == {"150300": 3, "150304": 8, A: 7}
    assert len(set(statements.values())) == 1 and statements["150300"] <= 4, statements


async def test_hot_spots_rank_grids_and_compare_with_the_days_before(
    connected: str, manual: ManualClock
) -> None:
    """In street 150304002: G01 of its first community has 3 fume tickets this week and 1
    the week before, G02 2 and 4, G03 2 and 0, G04 none and 2; a vending ticket in G01
    and a fume ticket three weeks ago do not count."""
    now = manual.now()
    street, community = "150304002", "150304002001"
    plan = {"G01": (3, 1), "G02": (2, 4), "G03": (2, 0), "G04": (0, 2)}
    for grid, (this_week, week_before) in plan.items():
        for i in range(this_week):
            manual.set(now - timedelta(days=6, hours=i))
            await intake("油烟", category=FUMES, grid=f"{community}-{grid}")
        for i in range(week_before):
            manual.set(now - timedelta(days=13, hours=i))
            await intake(
                "油烟", category="ENVIRONMENT.AIR.OPEN_BURNING", grid=f"{community}-{grid}"
            )
    manual.set(now - timedelta(days=1))
    await intake("摆摊", category=VENDING, grid=f"{community}-G01")
    manual.set(now - timedelta(days=21))
    await intake("油烟", category=FUMES, grid=f"{community}-G04")
    manual.set(now)

    agent = await principal("demo-agent")
    found = await hot_spots("ENVIRONMENT", days=7, area_code=street, actor=agent)
    assert (found.since, found.until) == (now - timedelta(days=7), now)
    assert found.previous_since == now - timedelta(days=14)
    spots = [(s.grid.code, s.tickets, s.previous, s.change, s.change_rate) for s in found.spots]
    assert spots == [
        (f"{community}-G01", 3, 1, 2, 2.0),
        (f"{community}-G02", 2, 4, -2, -0.5),
        (f"{community}-G03", 2, 0, 2, None),
    ]
    assert found.spots[0].grid.path.startswith(f"150300/150304/{street}/{community}/")
    top = await hot_spots(FUMES, days=7, first=1, area_code=street, actor=agent)
    assert [(s.grid.code, s.tickets, s.previous) for s in top.spots] == [(f"{community}-G01", 3, 0)]
    # Over one day, last week's tickets are out of both windows.
    assert (await hot_spots("ENVIRONMENT", days=1, area_code=street, actor=agent)).spots == []


async def test_hot_spots_refuse_bad_input(connected: str) -> None:
    agent = await principal("demo-agent")
    with pytest.raises(DomainError) as refused:
        await hot_spots("NOPE", days=0, first=101, area_code="999999", actor=agent)
    assert [(p.field, p.code) for p in refused.value.problems] == [
        ("days", ErrorCode.OUT_OF_RANGE),
        ("first", ErrorCode.OUT_OF_RANGE),
        ("categoryCode", ErrorCode.NOT_FOUND),
        ("areaCode", ErrorCode.NOT_FOUND),
    ]
    with pytest.raises(Forbidden):
        await hot_spots("ENVIRONMENT", actor=await new_citizen())


def _delta(before: LiveCounters, after: LiveCounters) -> dict[str, int]:
    fields = ("received_today", "open_now", "overdue_now", "in_mediation", "urgent_open")
    more = ("resolved_today", "revisited_today", "satisfied_today")
    return {
        f: getattr(after, f) - getattr(before, f)
        for f in (*fields, *more)
        if getattr(after, f) != getattr(before, f)
    }


async def test_live_counters_follow_the_day(connected: str, manual: ManualClock) -> None:
    """On a day of its own: three tickets in community A; an urgent one answered at intake
    and closed satisfied, one answered and reopened; a critical one dispatched and left
    to run late (2 hours)."""
    agent = await principal("demo-agent")
    manual.advance(timedelta(hours=9))
    before = await live_counters(A, actor=agent)
    assert before.received_today == before.resolved_today == before.revisited_today == 0
    assert before.satisfaction_today is None
    first = await intake("第一件", grid=f"{A}-G01", urgency=Urgency.URGENT)
    second = await intake("第二件", grid=f"{A}-G02")
    third = await intake("第三件", grid=f"{A}-G03", urgency=Urgency.CRITICAL)
    await intake("别处", grid="150304002001-G01")
    for ticket, answer in ((first, Satisfaction.SATISFIED), (second, Satisfaction.UNSATISFIED)):
        await workflow.resolve_at_intake(number=ticket.number, reply="已答复。", actor=agent)
        await workflow.revisit(number=ticket.number, answer=answer, actor=agent)
    await workflow.dispatch(number=third.number, department_code="150300-CG", actor=agent)
    manual.advance(timedelta(hours=12))  # 21:00: the critical one's deadlines have passed
    after = await live_counters(A, actor=agent)
    assert after.at == clock.now()
    assert _delta(before, after) == {
        "received_today": 3,
        "open_now": 2,  # the reopened and the dispatched one
        "overdue_now": 1,
        "urgent_open": 1,  # the critical one (the urgent one is closed)
        "resolved_today": 1,  # the closed one (the reopened one is open again)
        "revisited_today": 2,
        "satisfied_today": 1,
    }
    assert after.satisfaction_today == 1 / 2
    manual.advance(timedelta(hours=4))  # the next day
    tomorrow = await live_counters(A, actor=agent)
    assert tomorrow.received_today == tomorrow.resolved_today == tomorrow.revisited_today == 0
    everything = await live_counters(None, actor=agent)
    assert everything.open_now >= tomorrow.open_now + 1  # the ticket in the other street
    with pytest.raises(DomainError) as refused:
        await live_counters("999999", actor=agent)
    assert refused.value.field == "areaCode"


async def test_pulses_coalesce_a_burst_of_changes(connected: str) -> None:
    topic = "dashboard-test"
    stream = pulses(topic, Pacing(coalesce=0.05, refresh=30))
    await anext(stream)  # at once
    for i in range(10):
        await events.publish(topic, "TICKET_UPDATED", number=str(i))
    await asyncio.wait_for(anext(stream), 5)  # one pulse for the burst
    pending = asyncio.ensure_future(anext(stream))
    done, _ = await asyncio.wait({pending}, timeout=0.3)
    assert not done, "a burst of changes makes one pulse"
    await events.publish(topic, "TICKET_UPDATED", number="later")
    await asyncio.wait_for(pending, 5)
    await stream.aclose()


# -- through the API ------------------------------------------------------------------

COUNTS = """query($area: String!, $from: DateTime!, $to: DateTime!) {
  areaTicketCounts(areaCode: $area, from: $from, to: $to) {
    area { code } total { received openNow resolved }
    children { area { code name } counts { received overdueNow satisfactionRate } } } }"""
TREND = """query($area: String!, $from: DateTime!, $to: DateTime!, $interval: TrendInterval!) {
  ticketTrend(areaCode: $area, from: $from, to: $to, interval: $interval) {
    points { start end received resolved overdue } } }"""
HOT = """query($category: String!, $days: Int!, $first: Int!, $area: String) {
  hotSpots(categoryCode: $category, days: $days, first: $first, areaCode: $area) {
    spots { grid { code ancestors { name } } areaPath tickets previous change changeRate } } }"""
COUNTERS = """subscription($area: String) { dashboardCounters(areaCode: $area) {
    receivedToday openNow overdueNow inMediation urgentOpen resolvedToday
    satisfactionToday at } }"""


def _arguments(error: dict[str, Any]) -> tuple[str, str]:
    extensions = error["extensions"]
    return extensions["code"], extensions.get("argument", "")


def test_the_api_answers_staff_and_refuses_others_and_bad_input(client: TestClient) -> None:
    agent, staff = login(client, "demo-agent"), login(client, "demo-department")
    week = {"from": "2051-06-05T00:00:00+08:00", "to": "2051-06-12T00:00:00+08:00"}
    for staff_token in (agent, staff):
        body = data(client, COUNTS, {"area": "150300", **week}, staff_token)["areaTicketCounts"]
        assert body["area"] == {"code": "150300"}
        assert [c["area"]["code"] for c in body["children"]] == ["150302", "150303", "150304"]
        trend = data(client, TREND, {"area": "150302", "interval": "DAY", **week}, staff_token)
        assert len(trend["ticketTrend"]["points"]) == 7
    citizen = login(client, "demo-citizen")
    outsiders: list[tuple[str | None, str]] = [(citizen, "FORBIDDEN"), (None, "UNAUTHENTICATED")]
    for token, code in outsiders:
        assert error_codes(gql(client, COUNTS, {"area": "150300", **week}, token)) == [code]
        hot = {"category": "ENVIRONMENT", "days": 7, "first": 10}
        assert error_codes(gql(client, HOT, hot, token)) == [code]
    refused: list[tuple[str, dict[str, Any], str]] = [
        (COUNTS, {"area": "999999", **week}, "areaCode"),
        (COUNTS, {"area": "150300", "from": week["to"], "to": week["from"]}, "to"),
        (COUNTS, {"area": "150300", "from": "2050-01-01T00:00:00+08:00", "to": week["to"]}, "to"),
        (TREND, {"area": "150300", "interval": "WEEK", "from": week["to"], "to": week["to"]}, "to"),
        (HOT, {"category": "ENVIRONMENT", "days": 91, "first": 10}, "days"),
        (HOT, {"category": "ENVIRONMENT", "days": 7, "first": 0}, "first"),
        (HOT, {"category": "NOPE", "days": 7, "first": 10}, "categoryCode"),
        (HOT, {"category": "ENVIRONMENT", "days": 7, "first": 10, "area": "999999"}, "areaCode"),
    ]
    for query, variables, argument in refused:
        body = gql(client, query, variables, agent)
        assert [_arguments(e) for e in body["errors"]] == [("BAD_USER_INPUT", argument)], body


def test_hot_spots_through_the_api_name_the_areas(client: TestClient) -> None:
    agent = login(client, "demo-agent")
    complaint(client, agent)  # catering fumes in the demo grid, now
    body = data(client, HOT, {"category": "ENVIRONMENT", "days": 1, "first": 100}, agent)
    spots = body["hotSpots"]["spots"]
    [demo] = [s for s in spots if s["grid"]["code"] == "150302001001-G01"]
    assert demo["tickets"] >= 1 and demo["areaPath"].endswith("/150302001001-G01/")
    assert [a["name"] for a in demo["grid"]["ancestors"]][:2] == ["乌海市", "海勃湾区"]
    assert [s["tickets"] for s in spots] == sorted((s["tickets"] for s in spots), reverse=True)


@pytest.fixture
def quick(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dashboard, "LIVE_PACING", Pacing(coalesce=0.05, refresh=30))


@pytest.mark.usefixtures("quick")
def test_the_counters_come_at_once_and_after_a_ticket_arrives(client: TestClient) -> None:
    agent = login(client, "demo-agent")
    with client.websocket_connect("/graphql", subprotocols=[PROTOCOL]) as ws:
        subscribe(ws, agent, COUNTERS, {"area": "150302001001"})
        first = next_message(ws)["dashboardCounters"]
        wait_for_subscriber(client, ALL_TICKETS_TOPIC)
        complaint(client, agent)  # in 150302001001-G01
        update = next_message(ws)["dashboardCounters"]
        assert update["receivedToday"] == first["receivedToday"] + 1
        assert update["openNow"] == first["openNow"] + 1
        assert update["at"] > first["at"]
        ws.send_json({"id": "1", "type": "complete"})


@pytest.mark.usefixtures("quick")
def test_a_body_follows_its_counters_and_others_are_refused(client: TestClient) -> None:
    staff, citizen = login(client, "demo-department"), login(client, "demo-citizen")
    with client.websocket_connect("/graphql", subprotocols=[PROTOCOL]) as ws:
        subscribe(ws, staff, COUNTERS)
        counters = next_message(ws)["dashboardCounters"]
        assert counters["openNow"] >= 0
        ws.send_json({"id": "1", "type": "complete"})
    for token, variables, code in (
        (citizen, {}, "FORBIDDEN"),
        (staff, {"area": "999999"}, "BAD_USER_INPUT"),
    ):
        with client.websocket_connect("/graphql", subprotocols=[PROTOCOL]) as ws:
            subscribe(ws, token, COUNTERS, variables)
            message = ws.receive_json()
            assert message["type"] == "next" and message["payload"]["data"] is None, message
            assert error_codes(message["payload"]) == [code]
