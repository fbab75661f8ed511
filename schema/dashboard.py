"""The city dashboard in GraphQL: areaTicketCounts, ticketTrend, hotSpots and the
dashboardCounters subscription."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncGenerator
from datetime import date, datetime
from typing import Annotated

import strawberry

from accounts.models import Role
from schema.context import Context
from schema.errors import BadUserInput
from schema.grids import Area
from tickets import dashboard
from tickets.dashboard import TrendInterval
from wuyou.errors import DomainError

Info = strawberry.Info[Context, None]

_VIEWERS = (Role.AGENT, Role.ADMIN, Role.DEPARTMENT)
_WHO = "agents and administrators see every ticket; a body's staff the tickets it handles now"

strawberry.enum(
    TrendInterval,
    description="A trend's buckets: the city's days, ISO weeks (Monday first), months.",
)


@strawberry.type(
    description="Counts of the tickets received in a period as they stand now, merged "
    "duplicates left out; received = openNow + resolved. Rates are null when nothing "
    "could count towards them."
)
class TicketCounts:
    received: int
    open_now: int = strawberry.field(description="Still open.")
    overdue_now: int = strawberry.field(
        description="Overdue now: the running deadline has passed (as the tickets list's "
        "overdue filter)."
    )
    resolved: int = strawberry.field(description="Answered: RESOLVED or CLOSED.")
    closed: int
    completed: int = strawberry.field(description="Resolved by a body (办结).")
    completed_on_time: int = strawberry.field(description="Resolved by the completion deadline.")
    on_time_rate: float | None = strawberry.field(
        description="按时办结率 = completedOnTime / completed (as hotlineStats)."
    )
    revisited: int = strawberry.field(description="Revisit answers (回访), reopenings included.")
    satisfied: int = strawberry.field(description="Satisfied or basically satisfied.")
    satisfaction_rate: float | None = strawberry.field(
        description="满意率 = satisfied / revisited (as hotlineStats)."
    )

    @classmethod
    def of(cls, counts: dashboard.TicketCounts) -> TicketCounts:
        return cls(**dataclasses.asdict(counts))


@strawberry.type(description="The counts of one child area.")
class AreaTicketCountsRow:
    area: Area
    counts: TicketCounts


@strawberry.type(description="An area's ticket counts for a period, in total and per child area.")
class AreaTicketCounts:
    area: Area
    from_: datetime = strawberry.field(name="from")
    to: datetime
    computed_at: datetime = strawberry.field(description="The moment overdueNow refers to.")
    total: TicketCounts
    children: list[AreaTicketCountsRow] = strawberry.field(
        description="Every area one level down, by code, zeros included; empty for a grid."
    )


@strawberry.type(description="One interval of a trend.")
class TrendPoint:
    start: date = strawberry.field(description="The interval's first day (the city's).")
    end: date = strawberry.field(description="The day after its last.")
    received: int = strawberry.field(description="Received in the interval.")
    resolved: int = strawberry.field(
        description="Resolved in the interval and resolved or closed now."
    )
    overdue: int = strawberry.field(
        description="Completion deadlines that fell in the interval (before now) and were "
        "missed: the ticket was not resolved by them."
    )


@strawberry.type(description="Tickets per interval; intervals without tickets hold zeros.")
class TicketTrend:
    area: Area
    interval: TrendInterval
    from_: datetime = strawberry.field(name="from")
    to: datetime
    computed_at: datetime
    points: list[TrendPoint] = strawberry.field(
        description="Every interval overlapping [from, to), in order; the first and last "
        "count only what falls inside the period."
    )


@strawberry.type(description="A grid with many tickets of a category lately.")
class HotSpot:
    grid: Area = strawberry.field(description="The grid; its ancestors name the areas above.")
    area_path: str = strawberry.field(description="The grid's path of codes (150300/…/).")
    tickets: int = strawberry.field(description="Received in the last `days` days.")
    previous: int = strawberry.field(description="Received in the `days` days before.")
    change: int = strawberry.field(description="tickets - previous.")
    change_rate: float | None = strawberry.field(
        description="change / previous; null when there were none before."
    )


@strawberry.type(description="Hot spots of a category over a rolling window ending now.")
class HotSpots:
    category_code: str
    days: int
    since: datetime = strawberry.field(description="The window is [since, until).")
    until: datetime
    previous_since: datetime = strawberry.field(
        description="The window compared with is [previousSince, since)."
    )
    spots: list[HotSpot] = strawberry.field(
        description="Most tickets first; ties in the areas' tree order."
    )


@strawberry.type(description="The moment's counters of an area, for the city-brain screen.")
class DashboardCounters:
    received_today: int = strawberry.field(description="Received today (the city's day).")
    open_now: int
    overdue_now: int
    in_mediation: int = strawberry.field(description="Referred to mediation (IN_MEDIATION).")
    urgent_open: int = strawberry.field(description="Open and URGENT or CRITICAL.")
    resolved_today: int = strawberry.field(description="Resolved today and not reopened.")
    revisited_today: int = strawberry.field(description="Revisited today (last answer each).")
    satisfaction_today: float | None = strawberry.field(
        description="Satisfied or basically satisfied / revisitedToday; null when none."
    )
    at: datetime = strawberry.field(description="When the counters were taken.")

    @classmethod
    def of(cls, counters: dashboard.LiveCounters) -> DashboardCounters:
        figures = dataclasses.asdict(counters)
        del figures["satisfied_today"]
        return cls(**figures)


def _refused(error: DomainError) -> BadUserInput:
    return BadUserInput.of(error, argument="areaCode")


@strawberry.type
class DashboardQueries:
    @strawberry.field(
        description="Tickets received in [from, to) in an area, per child area (districts "
        f"of the city … grids of a community) and in total; at most 366 days ({_WHO})."
    )
    async def area_ticket_counts(
        self,
        info: Info,
        area_code: str,
        from_: Annotated[datetime, strawberry.argument(name="from")],
        to: datetime,
    ) -> AreaTicketCounts:
        actor = await info.context.require(*_VIEWERS)
        try:
            counts = await dashboard.area_ticket_counts(area_code, from_, to, actor=actor)
        except DomainError as error:
            raise _refused(error) from error
        return AreaTicketCounts(
            area=Area.of(counts.area),
            from_=counts.received_from,
            to=counts.received_to,
            computed_at=counts.computed_at,
            total=TicketCounts.of(counts.total),
            children=[
                AreaTicketCountsRow(area=Area.of(row.area), counts=TicketCounts.of(row.counts))
                for row in counts.children
            ],
        )

    @strawberry.field(
        description="Received, resolved and overdue tickets of an area (and of a category's "
        f"subtree) per day, week or month of [from, to); at most 366 days ({_WHO})."
    )
    async def ticket_trend(
        self,
        info: Info,
        area_code: str,
        interval: TrendInterval,
        from_: Annotated[datetime, strawberry.argument(name="from")],
        to: datetime,
        category: str | None = None,
    ) -> TicketTrend:
        actor = await info.context.require(*_VIEWERS)
        try:
            trend = await dashboard.ticket_trend(
                area_code, from_, to, interval, category=category, actor=actor
            )
        except DomainError as error:
            raise _refused(error) from error
        return TicketTrend(
            area=Area.of(trend.area),
            interval=trend.interval,
            from_=trend.received_from,
            to=trend.received_to,
            computed_at=trend.computed_at,
            points=[TrendPoint(**dataclasses.asdict(p)) for p in trend.points],
        )

    @strawberry.field(
        description="The grids with the most tickets of a category's subtree received in the "
        "last `days` days (1–90), each against the `days` days before; `first` up to 100 "
        f"({_WHO})."
    )
    async def hot_spots(
        self,
        info: Info,
        category_code: str,
        days: int = 7,
        first: int = 10,
        area_code: str | None = None,
    ) -> HotSpots:
        actor = await info.context.require(*_VIEWERS)
        try:
            found = await dashboard.hot_spots(
                category_code, days=days, first=first, area_code=area_code, actor=actor
            )
        except DomainError as error:
            raise BadUserInput.of(error, argument="categoryCode") from error
        return HotSpots(
            category_code=found.category_code,
            days=found.days,
            since=found.since,
            until=found.until,
            previous_since=found.previous_since,
            spots=[
                HotSpot(
                    grid=Area.of(s.grid),
                    area_path=s.grid.path,
                    tickets=s.tickets,
                    previous=s.previous,
                    change=s.change,
                    change_rate=s.change_rate,
                )
                for s in found.spots
            ],
        )


@strawberry.type
class DashboardSubscriptions:
    @strawberry.subscription(
        description="An area's counters (null: every ticket) at once, then again whenever "
        "they change, at most about once a second; also re-read every minute, as days turn "
        f"and deadlines pass ({_WHO})."
    )
    async def dashboard_counters(
        self, info: Info, area_code: str | None = None
    ) -> AsyncGenerator[DashboardCounters, None]:
        actor = await info.context.require(*_VIEWERS)
        viewer = await dashboard.dashboard_viewer(actor)
        last: dashboard.LiveCounters | None = None
        async for _ in dashboard.pulses(viewer.topic, dashboard.LIVE_PACING):
            try:
                counters = await dashboard.live_counters(
                    area_code, actor=await info.context.reverify()
                )
            except DomainError as error:
                raise _refused(error) from error
            if last is None or not counters.same_figures(last):
                last = counters
                yield DashboardCounters.of(counters)
