"""The safety index over a hand-built set of tickets, checked against numbers worked out
by hand: each dimension's inputs and parts, the overall score, the trend, the categories
adding up, the ranking, who may read, and plugins' indicators (a failing one isolated).

Each test plants its tickets in a year of its own, far from other tests' tickets.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import time
import uuid
from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest

from accounts.models import Account
from grids.models import Area, AreaLevel, Channel
from grids.safety import index as safety
from grids.safety.formula import Tally
from plugins import guard, hookspecs
from plugins.hookspecs import SafetyArea, SafetyIndicator
from plugins.manager import plugin_manager
from tests.api.test_sql_statements import counting_sql
from tests.tickets.desk import grid_worker, new_citizen, principal
from tickets.lifecycle import Satisfaction, TicketStatus
from tickets.models import Category, SafetyDimension, Ticket
from tickets.sla import TicketKind, Urgency
from wuyou import clock
from wuyou.clock import CITY_TIMEZONE, ManualClock
from wuyou.errors import DomainError, ErrorCode, Forbidden, Unauthenticated

pytestmark = pytest.mark.usefixtures("connected")

GRID, NEIGHBOUR = "150304005002-G01", "150304005002-G02"  # 团结社区, 乌达区
COMMUNITY = "150304005002"
OTHER_GRID = "150302001001-G01"
VENDING, RENOVATION = "URBAN.CITYSCAPE.STREET_VENDING", "NOISE.SOCIAL.RENOVATION"  # PUBLIC_ORDER
WAGES = "LABOUR.WAGES.MIGRANT_WORKERS"  # DISPUTES
NO_DIMENSION = "ENTERPRISE.POLICIES.ENQUIRIES"
#: The first of January of each test's own year: 2061, 2065, ... (the three years before
#: are its own too).
_YEARS = itertools.count(2061, 4)


@dataclass(frozen=True)
class Period:
    start: datetime
    end: datetime

    @property
    def previous(self) -> datetime:
        return self.start - (self.end - self.start)


async def _plant(
    grid: str,
    category: str,
    received_at: datetime,
    *,
    kind: TicketKind = TicketKind.COMPLAINT,
    urgency: Urgency = Urgency.NORMAL,
    channel: str = "HL-12345",
    **columns: Any,
) -> Ticket:
    """A ticket stored as it stands, without going through the workflow."""
    area = await Area.get(code=grid)
    agent = await Account.get(username="demo-agent")
    return await Ticket.create(
        number=f"SX{uuid.uuid4().hex[:14]}",
        channel_id=(await Channel.get(code=channel)).id,
        kind=kind,
        category_id=(await Category.get(code=category)).id,
        urgency=urgency,
        status=columns.pop("status", TicketStatus.CLOSED),
        title="平安指数测试",
        content="详见标题。",
        created_by_id=agent.id,
        request_digest="x" * 64,
        grid_id=area.id,
        area_path=area.path,
        received_at=received_at,
        updated_at=received_at,
        **columns,
    )


@pytest.fixture
async def year(connected: str) -> AsyncIterator[Period]:
    """A year of tickets in GRID (and one in NEIGHBOUR), the clock a month after it.

    PUBLIC_ORDER, received in the year:
    T1 vending complaint, resolved on time, satisfied.                        weight 1
    T2 vending report, URGENT, resolved late, reopened once, basically satisfied.  2
    T3 renovation request, open past its deadline, a repeat of T1.               0.5
    T4 renovation consultation, CRITICAL, a grid event, answered at intake.      0.8
    T5 vending complaint merged into T1: not counted.
    T6 vending praise: a ticket of weight 0.
    DISPUTES: T7 wages complaint.                                                1
    Not counted: T8 (a category without dimension), T9 (received as the year ends).
    NEIGHBOUR: T10 wages complaint.                  Previous year: T11 vending complaint.
    """
    first = datetime(next(_YEARS), 1, 1, tzinfo=CITY_TIMEZONE)
    period = Period(first, first.replace(year=first.year + 1))
    manual = ManualClock(period.end + timedelta(days=30))
    previous = clock.install(manual)
    try:
        day = period.start + timedelta(days=100)
        deadline = day + timedelta(days=7)
        t1 = await _plant(
            GRID, VENDING, day, complete_deadline=deadline, resolved_at=day + timedelta(days=1),
            satisfaction=Satisfaction.SATISFIED, dispatched_at=day,
        )  # fmt: skip
        await _plant(
            GRID, VENDING, day, kind=TicketKind.REPORT, urgency=Urgency.URGENT,
            complete_deadline=deadline, resolved_at=deadline + timedelta(hours=1),
            reopen_count=1, satisfaction=Satisfaction.BASICALLY_SATISFIED,
        )  # fmt: skip
        await _plant(
            GRID, RENOVATION, day, kind=TicketKind.REQUEST, complete_deadline=deadline,
            status=TicketStatus.IN_PROGRESS, likely_duplicate_of_id=t1.id,
        )  # fmt: skip
        await _plant(
            GRID, RENOVATION, day, kind=TicketKind.CONSULTATION, urgency=Urgency.CRITICAL,
            channel="GRID-APP", resolved_at=day, resolved_at_intake=True,
        )  # fmt: skip
        await _plant(GRID, VENDING, day, status=TicketStatus.MERGED, merged_into_id=t1.id)
        await _plant(GRID, VENDING, day, kind=TicketKind.PRAISE)
        await _plant(GRID, WAGES, day)
        await _plant(GRID, NO_DIMENSION, day)
        await _plant(GRID, VENDING, period.end)
        await _plant(NEIGHBOUR, WAGES, day)
        await _plant(GRID, VENDING, period.previous + timedelta(days=5))
        yield period
    finally:
        clock.install(previous)


async def _residents(code: str) -> int:
    return max((await Area.get(code=code)).population, 500)


def _order_score(residents: int) -> float:
    incidents = 100 * math.exp(-(4.3 / residents * 10_000) / 300)
    return 0.6 * incidents + 0.15 * 100 / 3 + 0.15 * 200 / 3 + 0.1 * 80


def _disputes_score(residents: int, weighted: float = 1.0) -> float:
    incidents = 100 * math.exp(-(weighted / residents * 10_000) / 500)
    return (0.6 * incidents + 0.1 * 100) / 0.7


def _overall(scores: dict[SafetyDimension, float]) -> float:
    """The default weights: 0.2, 0.15, 0.15, then 0.1 each; unnamed dimensions score 100."""
    weights = {d: 0.1 for d in SafetyDimension} | {
        SafetyDimension.PUBLIC_ORDER: 0.2,
        SafetyDimension.DISPUTES: 0.15,
        SafetyDimension.PRODUCTION_SAFETY: 0.15,
    }
    return sum(weights[d] * scores.get(d, 100.0) for d in SafetyDimension)


async def test_each_dimension_of_a_hand_built_year(year: Period) -> None:
    result = await safety.safety_index(
        GRID, year.start, year.end, actor=await principal("demo-agent")
    )
    residents = await _residents(GRID)
    assert (result.population_used, result.previous_start) == (residents, year.previous)
    dims = {d.dimension: d for d in result.dimensions}
    assert list(dims) == list(SafetyDimension)
    order = dims[SafetyDimension.PUBLIC_ORDER]
    tally = order.current.tally
    assert tally.weighted == pytest.approx(4.3)
    assert dataclasses.replace(tally, weighted=4.3) == Tally(
        tickets=5, grid_events=1, weighted=4.3, due=3, on_time=1, satisfied=2, unsatisfied=1,
        repeats=1,
    )  # fmt: skip
    assert order.current.rate == pytest.approx(4.3 / residents * 10_000)
    assert order.current.score == pytest.approx(_order_score(residents))
    disputes = dims[SafetyDimension.DISPUTES]
    assert disputes.current.tally == Tally(tickets=1, weighted=1.0)
    assert [p.code for p in disputes.current.parts] == ["INCIDENTS", "REPEATS"]
    assert disputes.current.score == pytest.approx(_disputes_score(residents))
    for dimension in set(SafetyDimension) - {order.dimension, disputes.dimension}:
        assert dims[dimension].current.score == 100
        assert dims[dimension].current.tally == Tally()
    expected = _overall(
        {order.dimension: order.current.score, disputes.dimension: disputes.current.score}
    )
    assert result.score == pytest.approx(expected)


async def test_the_explanation_adds_up(year: Period) -> None:
    result = await safety.safety_index(
        GRID, year.start, year.end, actor=await principal("demo-admin")
    )
    assert sum(d.contribution for d in result.dimensions) == pytest.approx(result.score)
    for dimension in result.dimensions:
        parts = dimension.current.parts
        assert sum(p.contribution for p in parts) == pytest.approx(dimension.current.score)
        tally = dimension.current.tally
        assert sum(c.tickets for c in dimension.categories) == tally.tickets
        assert sum(c.weighted for c in dimension.categories) == pytest.approx(tally.weighted)
    order = result.dimensions[0]
    assert [(c.category.code, c.tickets, c.weighted) for c in order.categories] == [
        (VENDING, 3, pytest.approx(3.0)),
        (RENOVATION, 2, pytest.approx(1.3)),
    ]
    assert order.categories[0].share == pytest.approx(3.0 / 4.3)


async def test_the_change_against_the_previous_year(year: Period) -> None:
    result = await safety.safety_index(
        GRID, year.start, year.end, actor=await principal("demo-admin")
    )
    residents = await _residents(GRID)
    order = result.dimensions[0]
    before = 100 * math.exp(-(1 / residents * 10_000) / 300)
    previous = (0.6 * before + 0.1 * 100) / 0.7
    assert order.previous.tally == Tally(tickets=1, weighted=1.0)
    assert order.previous.score == pytest.approx(previous)
    assert order.change == pytest.approx(_order_score(residents) - previous)
    assert result.previous_score == pytest.approx(_overall({order.dimension: previous}))
    assert result.change == pytest.approx(result.score - result.previous_score)
    # The year before has nothing: the previous year's own trend starts at 100.
    earlier = await safety.safety_index(
        GRID, year.previous, year.start, actor=await principal("demo-admin")
    )
    assert earlier.previous_score == 100 and earlier.score == pytest.approx(result.previous_score)


async def test_an_area_counts_its_grids_and_a_ranking_orders_them(year: Period) -> None:
    admin = await principal("demo-admin")
    community = await safety.safety_index(COMMUNITY, year.start, year.end, actor=admin)
    residents = await _residents(COMMUNITY)
    disputes = community.dimensions[1]
    assert disputes.current.tally == Tally(tickets=2, weighted=2.0)
    assert disputes.current.score == pytest.approx(_disputes_score(residents, 2.0))

    ranking = await safety.safety_ranking(
        AreaLevel.GRID, year.start, year.end, first=3, actor=admin, within_code=COMMUNITY
    )
    grids = (
        await Area.filter(parent__code=COMMUNITY).order_by("code").values_list("code", flat=True)
    )
    assert ranking.total_count == len(grids)
    assert [(e.rank, e.area.code) for e in ranking.entries] == [
        (1, GRID),
        (2, NEIGHBOUR),
        (3, next(code for code in grids if code not in (GRID, NEIGHBOUR))),
    ]
    own = await safety.safety_index(GRID, year.start, year.end, actor=admin)
    assert ranking.entries[0].score == pytest.approx(own.score)
    assert ranking.entries[2].score == 100
    streets = await safety.safety_ranking(
        AreaLevel.COMMUNITY, year.start, year.end, first=1, actor=admin, within_code="150304005"
    )
    assert streets.entries[0].area.code == COMMUNITY
    assert streets.entries[0].score == pytest.approx(community.score)


async def test_a_computation_costs_the_same_statements_for_a_grid_or_the_city(
    year: Period,
) -> None:
    admin = await principal("demo-admin")
    counts = {}
    for code in (GRID, "150300"):
        with counting_sql() as counter:
            await safety.safety_index(code, year.start, year.end, actor=admin)
        counts[code] = counter.statements
    assert counts[GRID] == counts["150300"] <= 6, counts
    for level in (AreaLevel.GRID, AreaLevel.DISTRICT):
        with counting_sql() as counter:
            await safety.safety_ranking(level, year.start, year.end, first=1000, actor=admin)
        assert counter.statements <= 5, (level, counter.statements)


async def test_who_may_read(year: Period) -> None:
    worker = await grid_worker(GRID)
    for code in (GRID, COMMUNITY, "150304", "150300"):
        await safety.safety_index(code, year.start, year.end, actor=worker)
    for code in (NEIGHBOUR, OTHER_GRID, "150302"):
        with pytest.raises(Forbidden):
            await safety.safety_index(code, year.start, year.end, actor=worker)
    ranking = await safety.safety_ranking(
        AreaLevel.GRID, year.start, year.end, first=10, actor=worker, within_code=COMMUNITY
    )
    assert [(e.rank, e.area.code) for e in ranking.entries] == [(1, GRID)]
    assert ranking.total_count > 1
    for actor in (await new_citizen(), await principal("demo-merchant")):
        with pytest.raises(Forbidden):
            await safety.safety_index(GRID, year.start, year.end, actor=actor)
        with pytest.raises(Forbidden):
            await safety.safety_ranking(AreaLevel.GRID, year.start, year.end, first=1, actor=actor)
    with pytest.raises(Unauthenticated):
        await safety.safety_index(GRID, year.start, year.end, actor=None)
    department = await principal("demo-department")
    await safety.safety_index(OTHER_GRID, year.start, year.end, actor=department)


async def test_refused_arguments(year: Period) -> None:
    admin = await principal("demo-admin")
    cases = [
        (safety.safety_index("nowhere", year.start, year.end, actor=admin), "areaCode"),
        (safety.safety_index(GRID, year.end, year.start, actor=admin), "to"),
        (safety.safety_index(GRID, year.start, year.start, actor=admin), "to"),
        (
            safety.safety_ranking(AreaLevel.GRID, year.start, year.end, first=1001, actor=admin),
            "first",
        ),
        (
            safety.safety_ranking(
                AreaLevel.GRID, year.start, year.end, first=1, actor=admin, within_code="x"
            ),
            "withinCode",
        ),
        (
            safety.safety_index(
                GRID, datetime(1, 1, 2, tzinfo=CITY_TIMEZONE), year.end, actor=admin
            ),
            "from",
        ),
    ]
    for call, field in cases:
        with pytest.raises(DomainError) as refused:
            await call
        assert refused.value.field == field
        assert refused.value.code in (
            ErrorCode.NOT_FOUND,
            ErrorCode.INVALID,
            ErrorCode.OUT_OF_RANGE,
        )


class Inspections:
    """A plugin with inspection results for GRID's food safety and ECOLOGY, and some
    indicators that are not well formed."""

    def __init__(self) -> None:
        self.asked: list[tuple[list[str], datetime, datetime]] = []

    @hookspecs.hookimpl
    def safety_indicators(
        self, areas: list[SafetyArea], start: datetime, end: datetime
    ) -> Iterator[SafetyIndicator]:
        self.asked.append(([a.code for a in areas], start, end))
        for area in areas:
            if area.code != GRID:
                continue
            yield SafetyIndicator(GRID, "ECOLOGY", "AIR", "空气质量达标率", 50.0, 0.4, 81.0, "%")
            yield SafetyIndicator(GRID, "ECOLOGY", "AIR", "重复", 0.0, 0.4)  # same code again
            yield SafetyIndicator(GRID, "ECOLOGY", "BAD", "越界", 150.0, 0.4)
            yield SafetyIndicator(GRID, "NOT_A_DIMENSION", "X", "未知维度", 50.0, 0.4)
            yield SafetyIndicator(OTHER_GRID, "ECOLOGY", "Y", "未问的区域", 50.0, 0.4)
            yield SafetyIndicator(GRID, "ECOLOGY", "ZERO", "零权重", 50.0, 0.0)
            yield SafetyIndicator([GRID], "ECOLOGY", "LIST", "区域写成列表", 50.0, 0.4)  # type: ignore[arg-type]
            yield SafetyIndicator(GRID, "ECOLOGY", "HUGE", "超大整数", 10**400, 0.4)


class Broken:
    @hookspecs.hookimpl
    def safety_indicators(
        self, areas: list[SafetyArea], start: datetime, end: datetime
    ) -> Iterable[SafetyIndicator]:
        raise RuntimeError("plugin bug")


class Hanging:
    @hookspecs.hookimpl
    def safety_indicators(
        self, areas: list[SafetyArea], start: datetime, end: datetime
    ) -> Iterable[SafetyIndicator]:
        time.sleep(1.0)
        return [SafetyIndicator(GRID, "ECOLOGY", "LATE", "迟到", 0.0, 50.0)]


async def test_plugins_add_indicators_and_a_failing_one_harms_nothing(
    year: Period, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(guard, "DEFAULT_TIMEOUT", 0.3)
    manager, inspections = plugin_manager(), Inspections()
    manager.register(Broken(), name="broken")
    manager.register(Hanging(), name="hanging")
    manager.register(inspections, name="inspections")
    failures = dict(guard.failures)
    try:
        admin = await principal("demo-admin")
        result = await safety.safety_index(GRID, year.start, year.end, actor=admin)
        ranking = await safety.safety_ranking(
            AreaLevel.GRID, year.start, year.end, first=1, actor=admin, within_code=COMMUNITY
        )
    finally:
        for name in ("broken", "hanging", "inspections"):
            manager.unregister(name=name)
    ecology = result.dimensions[3]
    assert ecology.dimension is SafetyDimension.ECOLOGY
    assert [(i.code, i.source, i.value, i.unit) for i in ecology.current.indicators] == [
        ("AIR", "inspections", 81.0, "%")
    ]
    assert ecology.current.score == pytest.approx((0.6 * 100 + 0.4 * 50) / 1.0)
    assert ecology.current.parts[-1].contribution == pytest.approx(20)
    assert ecology.previous.score == pytest.approx(80)  # asked for the previous year too
    assert sorted(start for _, start, _ in inspections.asked[:2]) == [year.previous, year.start]
    assert inspections.asked[2][0][0].startswith(COMMUNITY)  # the ranking asks once for all
    assert len(inspections.asked) == 3
    assert (
        guard.failures[("broken", "safety_indicators")]
        == failures.get(("broken", "safety_indicators"), 0) + 2 + 1
    )
    assert guard.failures[("hanging", "safety_indicators")] >= 1
    ecology_in_ranking = ranking.entries[0].dimensions[3]
    assert ecology_in_ranking.score == pytest.approx(ecology.current.score)
