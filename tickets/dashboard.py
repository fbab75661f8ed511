"""The city dashboard's figures (城市大脑): ticket counts by area, trends, hot spots and
live counters.

Every figure counts tickets as they stand now, MERGED followers left out (their master
counts once), as :mod:`tickets.stats` does. An area's tickets are those whose
``area_path`` starts with the area's path (tickets without a grid belong to no area).

Who sees what: agents and administrators see every ticket; a DEPARTMENT account sees the
tickets its body handles now (``department_id``), as in ``hotlineStats``, and nothing
else; every other role is Forbidden.

Counts of an area (:func:`area_ticket_counts`) cover the tickets received in [from, to):

* ``received``: all of them; ``open_now``: still open (:data:`tickets.lifecycle.OPEN`);
  ``resolved``: answered (RESOLVED awaiting the revisit, or CLOSED), so that
  received = open_now + resolved; ``closed``: CLOSED.
* ``overdue_now``: overdue at the moment of computing (:func:`tickets.queries.overdue`).
* ``completed`` / ``completed_on_time`` / ``on_time_rate``: resolved by a body, and by the
  completion deadline (the 按时办结率 of ``hotlineStats``).
* ``revisited`` / ``satisfied`` / ``satisfaction_rate``: every revisit answer counted
  once, the reopening ones through ``reopen_count`` (the 满意率 of ``hotlineStats``).

They come per child area (each district of the city … each grid of a community, zeros
included) and in total, from one GROUP BY on the child's segment of ``area_path``.

A trend (:func:`ticket_trend`) buckets by the city's days, ISO weeks (Monday first) or
months, every bucket overlapping [from, to) present, the first and last cut to the
period: ``received`` by ``received_at``; ``resolved`` by ``resolved_at``, of the tickets
resolved or closed now (a reopened ticket's earlier answer is not counted); ``overdue``
by the completion deadline that fell in the bucket, before now, with the ticket not
resolved by it.

Hot spots (:func:`hot_spots`) are the grids with the most tickets of a category subtree
received in the last N days (a rolling window ending now), each compared with the N days
before. Live counters (:func:`live_counters`) are one aggregate over an area's tickets;
:func:`pulses` says when to recompute them.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from collections.abc import AsyncGenerator, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from tortoise.expressions import F, Q, RawSQL
from tortoise.functions import Count, Sum

from accounts.models import Role
from accounts.service import Principal, require_role
from grids.areas import AreaRecord, children_of, get_area, get_areas_by_id
from grids.catalogue import departments_of
from tickets.figures import ANSWERED, COMPLETED, COMPLETED_ON_TIME, city_day
from tickets.lifecycle import OPEN, Satisfaction, TicketStatus
from tickets.live import ALL_TICKETS_TOPIC, department_topic
from tickets.models import Ticket
from tickets.queries import catalogue_filter, overdue
from tickets.sla import Urgency
from wuyou import clock, events
from wuyou.clock import CITY_TIMEZONE, as_utc
from wuyou.errors import DomainError, ErrorCode, Forbidden, Problem

#: The longest period counts and trends cover.
MAX_PERIOD = timedelta(days=366)
MAX_HOT_SPOT_DAYS = 90
MAX_HOT_SPOTS = 100

_SATISFIED = (Satisfaction.SATISFIED, Satisfaction.BASICALLY_SATISFIED)
#: Not a MERGED follower: its master counts for it.
_COUNTED = Q(~Q(status=TicketStatus.MERGED), merged_into_id__isnull=True)
_KEY = "child"
_DAY = "day"
#: The child's code in ``area_path`` (the segment after ``{start} - 1`` characters), and
#: the city's civil day of a time column, per database dialect.
_CHILD_SQL: Mapping[str, str] = {
    "sqlite": "substr({column}, {start}, instr(substr({column}, {start}), '/') - 1)",
    "postgres": "split_part(substr({column}, {start}), '/', 1)",
}


@dataclass(frozen=True, slots=True)
class Viewer:
    """Whose tickets a dashboard counts: every ticket, or one body's (``department_id``)."""

    department_id: int | None

    def scope(self) -> Q:
        """The tickets this viewer counts."""
        return Q() if self.department_id is None else Q(department_id=self.department_id)

    @property
    def topic(self) -> str:
        """Where the changes to these tickets are broadcast (:mod:`tickets.live`)."""
        if self.department_id is None:
            return ALL_TICKETS_TOPIC
        return department_topic(self.department_id)


async def dashboard_viewer(actor: Principal | None) -> Viewer:
    """Agents and administrators count every ticket, a body's staff its body's; others
    are Forbidden (a DEPARTMENT account of no body too)."""
    actor = require_role(actor, Role.ADMIN, Role.AGENT, Role.DEPARTMENT)
    if actor.role is not Role.DEPARTMENT:
        return Viewer(department_id=None)
    own = (await departments_of([actor.account_id])).get(actor.account_id)
    if own is None:
        raise Forbidden("This account does not work for a body.")
    return Viewer(department_id=own.id)


async def _area(code: str, field: str = "areaCode") -> AreaRecord:
    area = await get_area(code)
    if area is None:
        raise DomainError(ErrorCode.NOT_FOUND, "没有这个区域。", field)
    return area


async def _category(code: str, field: str) -> Q:
    """The tickets of category ``code``'s subtree; NOT_FOUND on ``field``."""
    try:
        return await catalogue_filter(category=code)
    except DomainError as error:
        problems = [dataclasses.replace(p, field=field) for p in error.problems]
        raise DomainError.of(problems) from None


#: The latest end of a period: the intervals of a trend must end before the calendar does.
LATEST = datetime(9999, 11, 1, tzinfo=UTC)


def _period(start: datetime, end: datetime) -> tuple[datetime, datetime]:
    """[start, end) in UTC; INVALID on ``to`` when empty, OUT_OF_RANGE when too long or
    too near the calendar's end for its last week or month to be counted."""
    start, end = as_utc(start, "from"), as_utc(end, "to")
    if end > LATEST:
        raise DomainError(
            ErrorCode.OUT_OF_RANGE, f"统计区间须在 {LATEST.date().isoformat()} 之前结束。", "to"
        )
    if start >= end:
        raise DomainError(ErrorCode.INVALID, "统计区间的结束应晚于开始。", "to")
    if end - start > MAX_PERIOD:
        raise DomainError(ErrorCode.OUT_OF_RANGE, f"统计区间最长 {MAX_PERIOD.days} 天。", "to")
    return start, end


def _dialect_sql(templates: Mapping[str, str], **values: Any) -> RawSQL:
    dialect = Ticket._meta.db.capabilities.dialect
    if dialect not in templates:
        raise NotImplementedError(f"Dashboard figures are not written for {dialect}.")
    return RawSQL(templates[dialect].format(**values))


def _column(name: str) -> str:
    return f'"{Ticket._meta.db_table}"."{name}"'


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


# -- counts by area -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TicketCounts:
    """The counts of a set of tickets; see the module's docstring for each."""

    received: int
    open_now: int
    overdue_now: int
    resolved: int
    closed: int
    completed: int
    completed_on_time: int
    on_time_rate: float | None
    revisited: int
    satisfied: int
    satisfaction_rate: float | None


@dataclass(frozen=True, slots=True)
class AreaCountsRow:
    area: AreaRecord
    counts: TicketCounts


@dataclass(frozen=True, slots=True)
class AreaTicketCounts:
    """An area's counts over [received_from, received_to), in total and per child area
    (by code; none for a grid)."""

    area: AreaRecord
    received_from: datetime
    received_to: datetime
    computed_at: datetime
    total: TicketCounts
    children: list[AreaCountsRow]


_TALLIES = (
    "received",
    "open_now",
    "overdue_now",
    "resolved",
    "closed",
    "completed",
    "completed_on_time",
    "satisfied",
    "unsatisfied",
)
Tally = dict[str, int]


def _aggregates(now: datetime) -> dict[str, Any]:
    """Each tally as an aggregate, aliased apart from the columns it filters on."""
    counted: Mapping[str, Q] = {
        "open_now": Q(status__in=list(OPEN)),
        "overdue_now": overdue(now),
        "resolved": Q(status__in=list(ANSWERED)),
        "closed": Q(status=TicketStatus.CLOSED),
        "completed": COMPLETED,
        "completed_on_time": COMPLETED_ON_TIME,
        "satisfied": Q(satisfaction__in=list(_SATISFIED)),
    }
    aggregates: dict[str, Any] = {"n_received": Count("id")}
    aggregates.update({f"n_{name}": Count("id", _filter=q) for name, q in counted.items()})
    aggregates["n_unsatisfied"] = Sum("reopen_count")
    return aggregates


def _tally(row: Mapping[str, Any]) -> Tally:
    return {name: int(row[f"n_{name}"] or 0) for name in _TALLIES}


def _counts(tally: Mapping[str, int]) -> TicketCounts:
    revisited = tally["satisfied"] + tally["unsatisfied"]
    return TicketCounts(
        **{name: tally[name] for name in _TALLIES if name != "unsatisfied"},
        on_time_rate=_ratio(tally["completed_on_time"], tally["completed"]),
        revisited=revisited,
        satisfaction_rate=_ratio(tally["satisfied"], revisited),
    )


def _fold(tallies: Iterable[Mapping[str, int]]) -> Tally:
    total: Tally = dict.fromkeys(_TALLIES, 0)
    for tally in tallies:
        for name in _TALLIES:
            total[name] += tally[name]
    return total


async def area_ticket_counts(
    area_code: str, received_from: datetime, received_to: datetime, *, actor: Principal | None
) -> AreaTicketCounts:
    """The counts of the tickets received in [received_from, received_to) in an area, in
    total and per child area: the same few statements whatever the number of children
    (one GROUP BY for every count).

    Raises NOT_FOUND on ``areaCode``, INVALID / OUT_OF_RANGE on ``to`` (see :data:`MAX_PERIOD`).
    """
    viewer = await dashboard_viewer(actor)
    start, end = _period(received_from, received_to)
    area = await _area(area_code)
    now = clock.now()
    child = _dialect_sql(_CHILD_SQL, column=_column("area_path"), start=len(area.path) + 1)
    aggregates = _aggregates(now)
    rows = (
        await Ticket.filter(
            _COUNTED,
            viewer.scope(),
            area_path__startswith=area.path,
            received_at__gte=start,
            received_at__lt=end,
        )
        .annotate(**{_KEY: child})
        .annotate(**aggregates)
        .group_by(_KEY)
        .values(_KEY, *aggregates)
    )
    tallies = {row[_KEY]: _tally(row) for row in rows}
    children = (await children_of([area.id]))[area.id]
    empty = _fold(())
    return AreaTicketCounts(
        area=area,
        received_from=start,
        received_to=end,
        computed_at=now,
        total=_counts(_fold(tallies.values())),
        children=[AreaCountsRow(c, _counts(tallies.get(c.code, empty))) for c in children],
    )


# -- trends ---------------------------------------------------------------------------


class TrendInterval(StrEnum):
    DAY = "DAY"
    WEEK = "WEEK"  # ISO weeks, Monday first
    MONTH = "MONTH"


@dataclass(frozen=True, slots=True)
class TrendPoint:
    """One interval: its first day and the day after its last (city days), and its counts."""

    start: date
    end: date
    received: int
    resolved: int
    overdue: int


@dataclass(frozen=True, slots=True)
class TicketTrend:
    area: AreaRecord
    interval: TrendInterval
    received_from: datetime
    received_to: datetime
    computed_at: datetime
    points: list[TrendPoint]


def interval_start(day: date, interval: TrendInterval) -> date:
    """The first day of the interval holding ``day``."""
    if interval is TrendInterval.WEEK:
        return day - timedelta(days=day.weekday())
    if interval is TrendInterval.MONTH:
        return day.replace(day=1)
    return day


def _next_start(start: date, interval: TrendInterval) -> date:
    if interval is TrendInterval.WEEK:
        return start + timedelta(days=7)
    if interval is TrendInterval.MONTH:
        return (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return start + timedelta(days=1)


def _buckets(start: datetime, end: datetime, interval: TrendInterval) -> list[tuple[date, date]]:
    """Every interval overlapping [start, end), in order."""
    first = interval_start(start.astimezone(CITY_TIMEZONE).date(), interval)
    buckets: list[tuple[date, date]] = []
    while datetime.combine(first, time(), CITY_TIMEZONE) < end:
        following = _next_start(first, interval)
        buckets.append((first, following))
        first = following
    return buckets


async def _per_interval(
    cohort: Q, column: str, start: datetime, end: datetime, interval: TrendInterval
) -> dict[date, int]:
    """How many tickets of ``cohort`` have ``column`` in [start, end), per interval."""
    if start >= end:
        return {}
    bounds: dict[str, Any] = {f"{column}__gte": start, f"{column}__lt": end}
    rows = (
        await Ticket.filter(cohort, **bounds)
        .annotate(**{_DAY: city_day(column)})
        .annotate(n=Count("id"))
        .group_by(_DAY)
        .values(_DAY, "n")
    )
    counts: dict[date, int] = {}
    for row in rows:  # a date, or SQLite's text
        key = interval_start(date.fromisoformat(str(row[_DAY])), interval)
        counts[key] = counts.get(key, 0) + int(row["n"])
    return counts


async def ticket_trend(
    area_code: str,
    received_from: datetime,
    received_to: datetime,
    interval: TrendInterval,
    *,
    category: str | None = None,
    actor: Principal | None,
) -> TicketTrend:
    """Received, resolved and overdue tickets of an area (and of a category's subtree)
    per interval of [received_from, received_to); intervals without tickets hold zeros.

    Raises NOT_FOUND on ``areaCode`` / ``category``, INVALID / OUT_OF_RANGE on ``to``.
    """
    viewer = await dashboard_viewer(actor)
    start, end = _period(received_from, received_to)
    area = await _area(area_code)
    categories = await _category(category, "category") if category is not None else Q()
    now = clock.now()
    cohort = Q(_COUNTED, viewer.scope(), categories, area_path__startswith=area.path)
    missed = Q(cohort, Q(resolved_at__isnull=True) | Q(resolved_at__gt=F("complete_deadline")))
    received = await _per_interval(cohort, "received_at", start, end, interval)
    answered = Q(cohort, status__in=list(ANSWERED))
    resolved = await _per_interval(answered, "resolved_at", start, end, interval)
    late = await _per_interval(missed, "complete_deadline", start, min(end, now), interval)
    return TicketTrend(
        area=area,
        interval=interval,
        received_from=start,
        received_to=end,
        computed_at=now,
        points=[
            TrendPoint(
                first,
                following,
                received.get(first, 0),
                resolved.get(first, 0),
                late.get(first, 0),
            )
            for first, following in _buckets(start, end, interval)
        ],
    )


# -- hot spots ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HotSpot:
    """A grid and its tickets in the window, against the window before."""

    grid: AreaRecord
    tickets: int
    previous: int
    change: int
    #: change / previous; None when the window before had none.
    change_rate: float | None


@dataclass(frozen=True, slots=True)
class HotSpots:
    """The grids with most tickets of a category in [since, until), most first (ties in
    tree order); ``previous_since`` starts the window they are compared with."""

    category_code: str
    days: int
    since: datetime
    until: datetime
    previous_since: datetime
    spots: list[HotSpot]


async def hot_spots(
    category_code: str,
    *,
    days: int = 7,
    first: int = 10,
    area_code: str | None = None,
    actor: Principal | None,
) -> HotSpots:
    """The ``first`` grids (in ``area_code``'s subtree if given) with the most tickets of
    category ``category_code``'s subtree received in the last ``days`` days, each with its
    count in the ``days`` days before.

    Raises OUT_OF_RANGE on ``days`` (1–90) or ``first`` (1–100), NOT_FOUND on
    ``categoryCode`` / ``areaCode`` (all at once).
    """
    viewer = await dashboard_viewer(actor)
    problems: list[Problem] = []
    if not 1 <= days <= MAX_HOT_SPOT_DAYS:
        problems.append(
            Problem("days", ErrorCode.OUT_OF_RANGE, f"天数应在 1 到 {MAX_HOT_SPOT_DAYS} 之间。")
        )
    if not 1 <= first <= MAX_HOT_SPOTS:
        problems.append(
            Problem("first", ErrorCode.OUT_OF_RANGE, f"条数应在 1 到 {MAX_HOT_SPOTS} 之间。")
        )
    categories, area = Q(), None
    try:
        categories = await _category(category_code, "categoryCode")
    except DomainError as error:
        problems += error.problems
    if area_code is not None:
        area = await get_area(area_code)
        if area is None:
            problems.append(Problem("areaCode", ErrorCode.NOT_FOUND, "没有这个区域。"))
    if problems:
        raise DomainError.of(problems)
    until = clock.now()
    since, previous_since = until - timedelta(days=days), until - timedelta(days=2 * days)
    within = Q(area_path__startswith=area.path) if area else Q()
    rows = (
        await Ticket.filter(
            _COUNTED,
            viewer.scope(),
            categories,
            within,
            grid_id__isnull=False,
            received_at__gte=previous_since,
            received_at__lt=until,
        )
        .annotate(
            n_now=Count("id", _filter=Q(received_at__gte=since)),
            n_before=Count("id", _filter=Q(received_at__lt=since)),
        )
        .group_by("grid_id", "area_path")
        .filter(n_now__gt=0)
        .order_by("-n_now", "area_path")
        .limit(first)
        .values("grid_id", "n_now", "n_before")
    )
    grids = await get_areas_by_id(row["grid_id"] for row in rows)
    spots = []
    for row in rows:
        now_count, before = int(row["n_now"]), int(row["n_before"])
        change = now_count - before
        spots.append(
            HotSpot(grids[row["grid_id"]], now_count, before, change, _ratio(change, before))
        )
    return HotSpots(category_code, days, since, until, previous_since, spots)


# -- live counters --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LiveCounters:
    """The moment's counters of an area (or of every ticket); "today" is the city's day."""

    received_today: int
    open_now: int
    overdue_now: int
    in_mediation: int
    urgent_open: int
    resolved_today: int
    revisited_today: int
    satisfied_today: int
    satisfaction_today: float | None
    at: datetime

    def same_figures(self, other: LiveCounters) -> bool:
        """Whether ``other`` holds the same figures, whenever taken."""
        return dataclasses.replace(self, at=other.at) == other


async def live_counters(area_code: str | None, *, actor: Principal | None) -> LiveCounters:
    """The counters now of an area's tickets (None: every ticket, with a grid or not):
    received today, resolved today (and resolved or closed now), open, overdue
    (:func:`tickets.queries.overdue`), in mediation, open URGENT or CRITICAL, and today's
    revisits (the last answer of each ticket revisited today) with their satisfaction
    rate. One statement.

    Raises NOT_FOUND on ``areaCode``.
    """
    viewer = await dashboard_viewer(actor)
    area = await _area(area_code) if area_code is not None else None
    now = clock.now()
    local = now.astimezone(CITY_TIMEZONE)
    today = datetime.combine(local.date(), time(), CITY_TIMEZONE).astimezone(UTC)
    pending = list(OPEN | {TicketStatus.RESOLVED})
    relevant = (
        Q(status__in=pending)
        | Q(received_at__gte=today)
        | Q(resolved_at__gte=today)
        | Q(revisited_at__gte=today)
    )
    open_now = Q(status__in=list(OPEN))
    revisited = Q(revisited_at__gte=today)
    aggregates = {
        "n_received_today": Count("id", _filter=Q(received_at__gte=today)),
        "n_open_now": Count("id", _filter=open_now),
        "n_overdue_now": Count("id", _filter=overdue(now)),
        "n_in_mediation": Count("id", _filter=Q(status=TicketStatus.IN_MEDIATION)),
        "n_urgent_open": Count(
            "id", _filter=Q(open_now, urgency__in=[Urgency.URGENT, Urgency.CRITICAL])
        ),
        "n_resolved_today": Count(
            "id", _filter=Q(resolved_at__gte=today, status__in=list(ANSWERED))
        ),
        "n_revisited_today": Count("id", _filter=revisited),
        "n_satisfied_today": Count("id", _filter=Q(revisited, satisfaction__in=list(_SATISFIED))),
    }
    query = Ticket.filter(_COUNTED, viewer.scope(), relevant)
    if area is not None:
        query = query.filter(area_path__startswith=area.path)
    rows = await query.annotate(**aggregates).values(*aggregates)
    row = {name: int(value or 0) for name, value in (rows[0] if rows else {}).items()}
    figures = {name: row.get(f"n_{name}", 0) for name in (a[2:] for a in aggregates)}
    return LiveCounters(
        **figures,
        satisfaction_today=_ratio(figures["satisfied_today"], figures["revisited_today"]),
        at=now,
    )


@dataclass(frozen=True, slots=True)
class Pacing:
    """How often live counters are recomputed: at most once per ``coalesce`` seconds
    after changes, and every ``refresh`` seconds regardless (the day turns, deadlines
    pass)."""

    coalesce: float = 1.0
    refresh: float = 60.0


#: The pacing subscriptions use; tests make it quicker.
LIVE_PACING = Pacing()


async def pulses(topic: str, pacing: Pacing) -> AsyncGenerator[None, None]:
    """Yield once at once, then whenever events arrived on ``topic`` since the last yield,
    at most once per ``pacing.coalesce`` seconds (however many events came meanwhile),
    and at least every ``pacing.refresh`` seconds. Subscribes before the first yield, so
    nothing that happens after it is missed. Ends when the broadcaster closes."""
    async with events.broadcaster().subscribe(topic) as stream:
        changed, closed = asyncio.Event(), False

        async def listen() -> None:
            nonlocal closed
            async for _ in stream:
                changed.set()
            closed = True
            changed.set()

        listener = asyncio.create_task(listen())
        try:
            while not closed:
                yield
                await asyncio.sleep(pacing.coalesce)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(changed.wait(), pacing.refresh)
                changed.clear()
        finally:
            listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await listener
