"""The hotline's figures over a hand-built week, checked against numbers counted by hand."""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from typing import Any

import pytest

from accounts.models import Role
from accounts.service import Principal, create_account
from tests.conftest import unique
from tests.tickets.desk import intake, principal, staff_of
from tickets import merging, workflow
from tickets.lifecycle import Satisfaction
from tickets.sla import TicketKind
from tickets.stats import (
    UNCATEGORISED,
    WITHOUT_DEPARTMENT,
    Breakdown,
    Figures,
    HotlineStats,
    StatsFilter,
    hotline_stats,
)
from wuyou import clock
from wuyou.clock import CITY_TIMEZONE, ManualClock
from wuyou.errors import DomainError, ErrorCode, Forbidden, Unauthenticated

pytestmark = pytest.mark.usefixtures("connected")

#: Each test's week is its own, far from other tests' tickets: Mondays from June 2047.
_WEEKS = itertools.count()
GRID = "150304100202-G05"  # 乌达区
_RATES = (
    "first_contact_rate",
    "on_time_completion_rate",
    "sign_on_time_rate",
    "satisfaction_rate",
)


def counts(figures: Figures) -> dict[str, Any]:
    """The counted figures, zeros left out, for compact expectations."""
    return {
        name: value
        for name, value in dataclasses.asdict(figures).items()
        if name not in _RATES and value
    }


@pytest.fixture
async def week(connected: str) -> AsyncIterator[StatsFilter]:
    """Monday 09:00: T1–T5 and T8 received; T8 merged into T1; T1, T2 and T5 go to 城管
    (150300-CG), T3 and T4 are answered at intake. 09:05 城管 signs T1 and returns T5;
    09:10 it resolves T1 and T5 goes to 环保 (150300-HJ); 09:15 revisits: T1 satisfied
    (T8 closes with it), T3 unsatisfied (reopened), T4 satisfied. Tuesday 09:00 T6 goes
    to 环保, which signs at 09:05. Wednesday 07:00 (Tuesday 23:00 UTC) T7 comes in; T9
    comes in on Thursday 00:00, just outside. A month later 城管 signs and resolves T2,
    both late, and T2's citizen is basically satisfied. The clock then stands there.

    Yields the cohort's period: Monday to Thursday 00:00."""
    monday = datetime(2047, 6, 10, tzinfo=CITY_TIMEZONE) + timedelta(weeks=next(_WEEKS))
    period = StatsFilter(received_from=monday, received_to=monday + timedelta(days=3))
    manual = ManualClock(monday + timedelta(hours=9))
    previous = clock.install(manual)
    try:
        agent, cg, hj = (
            await principal("demo-agent"),
            await staff_of("150300-CG"),
            await staff_of("150300-HJ"),
        )
        fumes, vending = "ENVIRONMENT.AIR.CATERING_FUMES", "URBAN.CITYSCAPE.STREET_VENDING"
        t1 = await intake("油烟一", category=fumes, grid=GRID)
        t2 = await intake("油烟二", category=fumes, grid=GRID)
        t3 = await intake("摆摊咨询", kind=TicketKind.CONSULTATION, category=vending, grid=GRID)
        t4 = await intake("一般咨询", channel="HL-12315", kind=TicketKind.CONSULTATION)
        t5 = await intake("占道经营", channel="HL-12315", category=vending, grid=GRID)
        t8 = await intake("油烟一（重复）", category=fumes, grid=GRID)
        await merging.merge(master_number=t1.number, numbers=[t8.number], note="重复", actor=agent)
        for ticket in (t1, t2, t5):
            await workflow.dispatch(number=ticket.number, department_code="150300-CG", actor=agent)
        for ticket in (t3, t4):
            await workflow.resolve_at_intake(number=ticket.number, reply="已答复。", actor=agent)
        manual.advance(timedelta(minutes=5))
        await workflow.sign(number=t1.number, actor=cg)
        await workflow.return_ticket(number=t5.number, reason="非本部门职责", actor=cg)
        manual.advance(timedelta(minutes=5))
        await workflow.resolve(number=t1.number, reply="已整改。", actor=cg)
        await workflow.dispatch(number=t5.number, department_code="150300-HJ", actor=agent)
        manual.advance(timedelta(minutes=5))
        for ticket, answer in (
            (t1, Satisfaction.SATISFIED),
            (t3, Satisfaction.UNSATISFIED),
            (t4, Satisfaction.SATISFIED),
        ):
            await workflow.revisit(number=ticket.number, answer=answer, actor=agent)
        manual.set(monday + timedelta(days=1, hours=9))
        t6 = await intake("占道经营二", category=vending, grid=GRID)
        await workflow.dispatch(number=t6.number, department_code="150300-HJ", actor=agent)
        manual.advance(timedelta(minutes=5))
        await workflow.sign(number=t6.number, actor=hj)
        manual.set(monday + timedelta(days=2, hours=7))
        await intake("油烟三", channel="HL-12315", category=fumes)
        manual.set(period.received_to)
        await intake("油烟四", category=fumes, grid=GRID)
        manual.set(monday + timedelta(days=30, hours=9))
        await workflow.sign(number=t2.number, actor=cg)
        await workflow.resolve(number=t2.number, reply="已整改。", actor=cg)
        await workflow.revisit(
            number=t2.number, answer=Satisfaction.BASICALLY_SATISFIED, actor=agent
        )
        yield period
    finally:
        clock.install(previous)


def _by_key(rows: list[Any]) -> list[tuple[str | None, str, dict[str, Any]]]:
    return [(row.key, row.name, counts(row.figures)) for row in rows]


async def test_the_figures_of_a_hand_built_week(week: StatsFilter) -> None:
    stats = await hotline_stats(week, actor=await principal("demo-agent"))
    assert stats.computed_at == clock.now()
    assert stats.total == Figures(
        received=7,  # T1–T7: the merged T8 and the late T9 are not counted
        resolved_at_intake=1,  # T4 (T3 was reopened)
        first_contact_rate=1 / 7,
        dispatched=4,  # T1, T2, T5, T6
        completed=2,  # T1, T2
        completed_on_time=1,  # T1
        on_time_completion_rate=1 / 2,
        signed=3,  # T1, T2, T6 (T5's signing was cleared by its return)
        signed_on_time=2,  # T1, T6
        sign_on_time_rate=2 / 3,
        returns=1,  # T5
        overdue_now=2,  # T5 (signing), T6 (completion)
        revisited=4,  # T1, T2, T3, T4
        satisfied=2,
        basically_satisfied=1,
        unsatisfied=1,
        satisfaction_rate=3 / 4,
    )
    hotline = {
        "received": 4,
        "dispatched": 3,
        "completed": 2,
        "completed_on_time": 1,
        "signed": 3,
        "signed_on_time": 2,
        "overdue_now": 1,
        "revisited": 3,
        "satisfied": 1,
        "basically_satisfied": 1,
        "unsatisfied": 1,
    }
    merged_lines = {
        "received": 3,
        "resolved_at_intake": 1,
        "dispatched": 1,
        "returns": 1,
        "overdue_now": 1,
        "revisited": 1,
        "satisfied": 1,
    }
    assert [(k, c) for k, _, c in _by_key(stats.by_channel)] == [
        ("HL-12345", hotline),
        ("HL-12315", merged_lines),
    ]
    assert stats.by_channel[0].figures.satisfaction_rate == 2 / 3
    assert stats.by_channel[1].figures.completed == 0
    assert stats.by_channel[1].figures.on_time_completion_rate is None
    assert _by_key(stats.by_category) == [
        (
            "ENVIRONMENT",
            "生态环境",
            {
                "received": 3,
                "dispatched": 2,
                "completed": 2,
                "completed_on_time": 1,
                "signed": 2,
                "signed_on_time": 1,
                "revisited": 2,
                "satisfied": 1,
                "basically_satisfied": 1,
            },
        ),
        (
            "URBAN",
            "城市管理",
            {
                "received": 3,
                "dispatched": 2,
                "signed": 1,
                "signed_on_time": 1,
                "returns": 1,
                "overdue_now": 2,
                "revisited": 1,
                "unsatisfied": 1,
            },
        ),
        (
            None,
            UNCATEGORISED,
            {"received": 1, "resolved_at_intake": 1, "revisited": 1, "satisfied": 1},
        ),
    ]
    assert [(k, c["received"]) for k, _, c in _by_key(stats.by_department)] == [
        (None, 3),  # T3, T4 (answered at intake), T7 (never dispatched)
        ("150300-CG", 2),  # T1, T2 (T5 went on to 环保)
        ("150300-HJ", 2),  # T5, T6
    ]
    assert stats.by_department[0].name == WITHOUT_DEPARTMENT
    assert counts(stats.by_department[2].figures) == {
        "received": 2,
        "dispatched": 2,
        "signed": 1,
        "signed_on_time": 1,
        "returns": 1,
        "overdue_now": 2,
    }
    # The city's days: T7 came in on Wednesday 07:00 there, still Tuesday in UTC.
    days = [(week.received_from + timedelta(days=n)).date().isoformat() for n in range(3)]
    assert [(row.key, row.figures.received) for row in stats.by_day] == list(
        zip(days, [5, 1, 1], strict=True)
    )
    _adds_up(stats)


def _adds_up(stats: HotlineStats) -> None:
    """Every breakdown splits the same tickets: its rows add up to the total."""
    for rows in (stats.by_channel, stats.by_category, stats.by_department, stats.by_day):
        for name, total in counts(stats.total).items():
            assert sum(getattr(row.figures, name) for row in rows) == total, name


async def test_filters_narrow_the_cohort(week: StatsFilter) -> None:
    agent = await principal("demo-agent")

    async def received(**criteria: Any) -> int:
        stats = await hotline_stats(dataclasses.replace(week, **criteria), actor=agent)
        _adds_up(stats)
        return stats.total.received

    assert await received(channel="HL-12315") == 3
    assert await received(area_code="150304") == 5  # all but T4 and T7, which have no place
    assert await received(area_code=GRID) == 5
    assert await received(area_code="150302") == 0
    assert await received(department="150300-HJ") == 2
    assert await received(received_from=week.received_from + timedelta(days=1)) == 2
    empty = await hotline_stats(
        dataclasses.replace(week, received_to=week.received_from + timedelta(hours=1)),
        actor=agent,
    )
    assert empty.total.received == 0 and empty.total.first_contact_rate is None
    assert empty.by_channel == empty.by_day == []
    with pytest.raises(DomainError) as unknown:
        await hotline_stats(
            dataclasses.replace(week, channel="NOPE", department="NOPE", area_code="999"),
            actor=agent,
        )
    assert {(p.field, p.code) for p in unknown.value.problems} == {
        ("filter.channel", ErrorCode.NOT_FOUND),
        ("filter.department", ErrorCode.NOT_FOUND),
        ("filter.areaCode", ErrorCode.NOT_FOUND),
    }
    with pytest.raises(DomainError) as backwards:
        await hotline_stats(dataclasses.replace(week, received_to=week.received_from), actor=agent)
    assert (backwards.value.field, backwards.value.code) == ("filter.receivedTo", ErrorCode.INVALID)


async def test_a_department_sees_its_own_figures_only(week: StatsFilter) -> None:
    cg = await staff_of("150300-CG")
    own = await hotline_stats(week, actor=cg)
    assert own.filter.department == "150300-CG"
    assert counts(own.total) == {
        "received": 2,
        "dispatched": 2,
        "completed": 2,
        "completed_on_time": 1,
        "signed": 2,
        "signed_on_time": 1,
        "revisited": 2,
        "satisfied": 1,
        "basically_satisfied": 1,
    }
    assert [row.key for row in own.by_department] == ["150300-CG"]
    assert await hotline_stats(dataclasses.replace(week, department="150300-CG"), actor=cg) == (
        dataclasses.replace(own, computed_at=clock.now())
    )
    with pytest.raises(Forbidden):
        await hotline_stats(dataclasses.replace(week, department="150300-HJ"), actor=cg)
    for role in (Role.GRID_WORKER, Role.CITIZEN, Role.MERCHANT):
        record = await create_account(
            username=unique("someone"), role=role, display_name="某人", password=None
        )
        with pytest.raises(Forbidden):
            await hotline_stats(week, actor=Principal(record.id, record.username, role))
    with pytest.raises(Unauthenticated):
        await hotline_stats(week, actor=None)


async def test_each_breakdown_is_computed_only_when_asked_for(week: StatsFilter) -> None:
    agent = await principal("demo-agent")
    full = await hotline_stats(week, actor=agent)
    fields = {
        Breakdown.CHANNEL: "by_channel",
        Breakdown.CATEGORY: "by_category",
        Breakdown.DEPARTMENT: "by_department",
        Breakdown.DAY: "by_day",
        Breakdown.DESK: "by_desk",
        Breakdown.ARTICLE: "by_article",
    }
    assert all(getattr(full, name) for name in fields.values() if name != "by_article")
    for asked in [set(), *({b} for b in Breakdown)]:
        some = await hotline_stats(week, actor=agent, breakdowns=asked)
        assert some.total == full.total, asked
        for breakdown, name in fields.items():
            expected = getattr(full, name) if breakdown in asked else []
            assert getattr(some, name) == expected, (asked, name)
