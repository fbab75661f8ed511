"""The hotline's figures (KPIs) over the tickets received in a period, in total and by
channel, level-1 category, department and day.

Every figure counts tickets of one cohort: those received in [``received_from``,
``received_to``), optionally in an area's subtree, of one channel, or with one
department now. MERGED followers (status MERGED: a ticket is MERGED exactly while it
follows another) are left out of every count: their master counts once. The figures
read each ticket as it stands now (its current row), so they settle as the cohort's
tickets are worked on:

* ``received``: every ticket of the cohort.
* ``resolved_at_intake``: answered at first contact (``resolved_at_intake``) and never
  reopened since (``reopen_count`` = 0): the first answer stood. A ticket answered at
  intake can reach a department only by being reopened, so these were never dispatched.
  ``first_contact_rate`` (一次办结率) = resolved_at_intake / received.
* ``dispatched``: ever sent to a department (``dispatched_at`` set).
* ``completed``: resolved by a department: RESOLVED or CLOSED with ``dispatched_at`` and
  ``resolved_at`` set, not settled on site by a grid worker. ``completed_on_time``:
  those with ``resolved_at`` ≤ ``complete_deadline``; ``on_time_completion_rate`` =
  completed_on_time / completed.
* ``signed``: signed for by the department holding it (``signed_at`` set; a transfer, a
  return or a reopening clears it, so the sign counted is the latest one).
  ``signed_on_time``: ``signed_at`` ≤ ``sign_deadline``, the deadline of that latest
  sign (a transfer restarts it); ``sign_on_time_rate`` = signed_on_time / signed.
* ``returns``: the returns (退单) of the cohort's tickets, their ``return_count`` summed,
  whoever returned them.
* ``overdue_now``: tickets overdue at the moment the figures are computed
  (``HotlineStats.computed_at``): their running deadline (``due_at``) has passed and
  they are open or await a late revisit (:func:`tickets.queries.overdue`, as the
  ``overdue`` filter of lists).
* ``revisited``: the revisits (回访) of the cohort's tickets, every answer counted once
  as the city counts them: ``satisfied`` and ``basically_satisfied`` are the revisits
  that closed a ticket (its ``satisfaction`` keeps that answer), ``unsatisfied`` the ones
  that reopened it (重办: its ``reopen_count``, summed: a ticket reopened and closed
  later counts one unsatisfied and one satisfied revisit). ``satisfaction_rate`` =
  (satisfied + basically_satisfied) / revisited.

Each breakdown is computed only when asked for (``breakdowns``); the total always is.
``by_desk`` gives each desk's figures (:func:`tickets.desks.desk_figures`): its
tickets, those answered at first contact (with a specialist's answer or without), and
its specialists' consultations with their times to answer.

Every rate is None when its denominator is 0. The department of a ticket is the one
handling it now (none before dispatch, once returned, or when answered at intake).
Days are the city's civil days (:data:`wuyou.clock.CITY_TIMEZONE`); days without tickets
are absent. Every figure is a conditional count or sum: one GROUP BY by leaf category
and department at once gives those breakdowns (added up here, the leaves into their
level-1 categories), one by day and channel the days, the channels and the total; the
desks' and articles' few tickets are found through their own indexes.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from tortoise.expressions import F, Q, Subquery
from tortoise.functions import Count, Sum

from accounts.models import Role
from accounts.service import Principal, require_role
from grids.catalogue import departments_of, get_channels_by_id, get_departments_by_id
from tickets.categories import get_categories_by_code, get_categories_by_id
from tickets.desks import DeskFigures, desk_figures
from tickets.figures import (
    COMPLETED,
    COMPLETED_ON_TIME,
    COUNTED,
    analytical,
    categorised,
    city_day,
)
from tickets.knowledge.records import get_articles_by_id
from tickets.lifecycle import Satisfaction, TicketStatus
from tickets.models import Article, Desk, Ticket
from tickets.queries import catalogue_filter, overdue
from wuyou import clock
from wuyou.clock import as_utc
from wuyou.errors import DomainError, ErrorCode, Forbidden


class Breakdown(StrEnum):
    """A breakdown of the figures that :func:`hotline_stats` computes when asked."""

    CHANNEL = "CHANNEL"
    CATEGORY = "CATEGORY"
    DEPARTMENT = "DEPARTMENT"
    DAY = "DAY"
    DESK = "DESK"
    ARTICLE = "ARTICLE"


UNCATEGORISED = "未分类"
WITHOUT_DEPARTMENT = "未在部门"


@dataclass(frozen=True, slots=True)
class StatsFilter:
    """The cohort: tickets received in [received_from, received_to), optionally in an
    area's subtree, with one department now, or of one channel (codes)."""

    received_from: datetime
    received_to: datetime
    area_code: str | None = None
    department: str | None = None
    channel: str | None = None


@dataclass(frozen=True, slots=True)
class Figures:
    """The figures of a set of tickets; see the module's docstring for each formula."""

    received: int
    resolved_at_intake: int
    first_contact_rate: float | None
    dispatched: int
    completed: int
    completed_on_time: int
    on_time_completion_rate: float | None
    signed: int
    signed_on_time: int
    sign_on_time_rate: float | None
    returns: int
    overdue_now: int
    revisited: int
    satisfied: int
    basically_satisfied: int
    unsatisfied: int
    satisfaction_rate: float | None


@dataclass(frozen=True, slots=True)
class StatsRow:
    """The figures of one group: ``key`` is the channel code, the level-1 category code,
    the department code or the ISO day; None for the tickets without a category or
    without a department."""

    key: str | None
    name: str
    figures: Figures


@dataclass(frozen=True, slots=True)
class HotlineStats:
    """The figures of a cohort in total and by group. Channel, category and department
    rows come by tickets received, most first; days in order. A breakdown not asked for
    is empty."""

    filter: StatsFilter
    computed_at: datetime
    total: Figures
    by_channel: list[StatsRow]
    by_category: list[StatsRow]
    by_department: list[StatsRow]
    by_day: list[StatsRow]
    #: The desks' figures (tickets marked for each, their consultations): every desk.
    by_desk: list[DeskFigures]
    #: The tickets answered at intake citing each knowledge-base article (key: its id).
    by_article: list[StatsRow]


#: Answered at first contact, and the answer stood (never reopened).
_AT_ONCE = Q(resolved_at_intake=True, reopen_count=0)
#: Each counted figure and the tickets it counts (None: all of them).
_COUNTED: Mapping[str, Q | None] = {
    "received": None,
    "resolved_at_intake": _AT_ONCE,
    "dispatched": Q(dispatched_at__isnull=False),
    "completed": COMPLETED,
    "completed_on_time": COMPLETED_ON_TIME,
    "signed": Q(signed_at__isnull=False),
    "signed_on_time": Q(signed_at__lte=F("sign_deadline")),
    "satisfied": Q(satisfaction=Satisfaction.SATISFIED),
    "basically_satisfied": Q(satisfaction=Satisfaction.BASICALLY_SATISFIED),
}
#: Each summed figure and the column it sums.
_SUMMED: Mapping[str, str] = {"returns": "return_count", "unsatisfied": "reopen_count"}
_TALLIES = (*_COUNTED, "overdue_now", *_SUMMED)
_DAY = "day"
#: What the cohort is grouped by, in two passes.
_CATEGORY_AND_DEPARTMENT = ("category_id", "department_id")
_DAY_AND_CHANNEL = (_DAY, "channel_id")
_ARTICLE = ("cited_article_id",)

Tally = dict[str, int]


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _figures(tally: Mapping[str, int]) -> Figures:
    """The figures, rates included, from the counts of a group."""
    revisited = tally["satisfied"] + tally["basically_satisfied"] + tally["unsatisfied"]
    return Figures(
        **{name: tally.get(name, 0) for name in _TALLIES},
        revisited=revisited,
        first_contact_rate=_ratio(tally["resolved_at_intake"], tally["received"]),
        on_time_completion_rate=_ratio(tally["completed_on_time"], tally["completed"]),
        sign_on_time_rate=_ratio(tally["signed_on_time"], tally["signed"]),
        satisfaction_rate=_ratio(tally["satisfied"] + tally["basically_satisfied"], revisited),
    )


def _fold(tallies: Iterable[Mapping[str, int]]) -> Tally:
    """The tallies added up, figure by figure."""
    sums = [
        sum(column) for column in zip(*([t[n] for n in _TALLIES] for t in tallies), strict=True)
    ]
    return dict(zip(_TALLIES, sums, strict=True)) if sums else dict.fromkeys(_TALLIES, 0)


def _fold_by(cells: Mapping[tuple[Any, ...], Tally], position: int) -> dict[Any, Tally]:
    """The tallies of ``cells`` added up by the part of their key at ``position``."""
    grouped: dict[Any, list[Tally]] = defaultdict(list)
    for key, tally in cells.items():
        grouped[key[position]].append(tally)
    return {value: _fold(tallies) for value, tallies in grouped.items()}


async def _tallies(
    cohort: Q, period: timedelta, groups: Sequence[str], now: datetime
) -> dict[tuple[Any, ...], Tally]:
    """Every figure of the cohort (received over ``period``) by ``groups``, counted in two
    parts that the index on ``(category_id, received_at, …)`` holding every counted
    column serves without reading a row: the tickets of a category
    (:func:`~tickets.figures.categorised`) and those of none."""
    tallies = await _grouped(Q(cohort, categorised(period)), groups, now)
    for key, tally in (await _grouped(Q(cohort, category_id__isnull=True), groups, now)).items():
        known = tallies.get(key)
        tallies[key] = tally if known is None else _fold([known, tally])
    return tallies


async def _grouped(cohort: Q, groups: Sequence[str], now: datetime) -> dict[tuple[Any, ...], Tally]:
    """One GROUP BY ``groups`` query counting every figure; keyed by the groups' values."""
    figures: dict[str, Any] = {
        name: Count(COUNTED, _filter=criterion) if criterion is not None else Count(COUNTED)
        for name, criterion in _COUNTED.items()
    }
    figures["overdue_now"] = Count(COUNTED, _filter=overdue(now))
    figures.update({name: Sum(column) for name, column in _SUMMED.items()})
    # Aliased apart from the columns: an annotation named like a column it filters on
    # would stand for that column in its own filter.
    aggregates = {f"n_{name}": aggregate for name, aggregate in figures.items()}
    query = Ticket.filter(cohort)
    if _DAY in groups:
        query = query.annotate(**{_DAY: city_day("received_at")})
    rows = await query.annotate(**aggregates).group_by(*groups).values(*groups, *aggregates)
    return {
        tuple(row[group] for group in groups): {
            name: int(row[f"n_{name}"] or 0) for name in _TALLIES
        }
        for row in rows
    }


def _rows(tallies: Mapping[str | None, Tally], names: Mapping[str | None, str]) -> list[StatsRow]:
    ordered = sorted(tallies.items(), key=lambda kv: (-kv[1]["received"], kv[0] is None, kv[0]))
    return [StatsRow(key, names.get(key, ""), _figures(tally)) for key, tally in ordered]


async def _by_channel(tallies: Mapping[int, Tally]) -> list[StatsRow]:
    channels = await get_channels_by_id(tallies)
    names: dict[str | None, str] = {c.code: c.name for c in channels.values()}
    return _rows({channels[cid].code: tally for cid, tally in tallies.items()}, names)


async def _by_category(tallies: Mapping[int | None, Tally]) -> list[StatsRow]:
    """The leaves' tallies folded into their level-1 categories."""
    leaves = await get_categories_by_id(i for i in tallies if i)
    grouped: dict[str | None, list[Tally]] = defaultdict(list)
    for category_id, tally in tallies.items():
        leaf = leaves.get(category_id) if category_id else None
        grouped[leaf.code.split(".")[0] if leaf else None].append(tally)
    roots = await get_categories_by_code(c for c in grouped if c)
    names: dict[str | None, str] = {code: root.name for code, root in roots.items()}
    names[None] = UNCATEGORISED
    return _rows({key: _fold(group) for key, group in grouped.items()}, names)


async def _by_department(tallies: Mapping[int | None, Tally]) -> list[StatsRow]:
    departments = await get_departments_by_id(i for i in tallies if i)
    names: dict[str | None, str] = {d.code: d.name for d in departments.values()}
    names[None] = WITHOUT_DEPARTMENT
    return _rows({departments[i].code if i else None: tally for i, tally in tallies.items()}, names)


async def _by_article(cohort: Q, now: datetime) -> list[StatsRow]:
    """The tickets citing each knowledge-base article (resolveAtIntake's articleId); their
    ``resolved_at_intake`` is the first-contact resolutions the article gave."""
    # Every article's id rather than "cites one": the index on (cited_article_id,
    # received_at, status) then finds the few that do, article by article.
    cited = Q(cohort, cited_article_id__in=Subquery(Article.all().values("id")))
    tallies = {key[0]: tally for key, tally in (await _grouped(cited, _ARTICLE, now)).items()}
    titles = await get_articles_by_id(tallies)
    names: dict[str | None, str] = {str(i): a.title for i, a in titles.items()}
    return _rows({str(i): tally for i, tally in tallies.items()}, names)


def _by_day(tallies: Mapping[Any, Tally]) -> list[StatsRow]:
    days = {str(day): tally for day, tally in tallies.items()}  # a date, or SQLite's text
    return [StatsRow(day, day, _figures(days[day])) for day in sorted(days)]


async def hotline_stats(
    stats_filter: StatsFilter,
    *,
    actor: Principal | None,
    breakdowns: Collection[Breakdown] = frozenset(Breakdown),
) -> HotlineStats:
    """The hotline's figures over ``stats_filter``'s cohort (see the module docstring),
    in total and broken down by each of ``breakdowns`` (the others left empty).

    Agents and administrators see any cohort; a DEPARTMENT account sees its own
    department's tickets only (the department filter is set to it; naming another is
    Forbidden). Raises NOT_FOUND for unknown codes (all at once) and INVALID on
    ``filter.receivedTo`` for an empty period.
    """
    actor = require_role(actor, Role.ADMIN, Role.AGENT, Role.DEPARTMENT)
    if actor.role is Role.DEPARTMENT:
        own = (await departments_of([actor.account_id])).get(actor.account_id)
        if own is None or stats_filter.department not in (None, own.code):
            raise Forbidden("A department sees its own figures only.")
        stats_filter = dataclasses.replace(stats_filter, department=own.code)
    start = as_utc(stats_filter.received_from, "filter.from")
    end = as_utc(stats_filter.received_to, "filter.to")
    if start >= end:
        raise DomainError(ErrorCode.INVALID, "统计区间的结束应晚于开始。", "filter.receivedTo")
    codes = await catalogue_filter(
        channel=stats_filter.channel,
        department=stats_filter.department,
        area_code=stats_filter.area_code,
    )
    cohort = Q(codes, ~Q(status=TicketStatus.MERGED), received_at__gte=start, received_at__lt=end)
    now = clock.now()
    wanted = frozenset(breakdowns)
    # At most two passes over the cohort, each grouped by two things at once (some
    # thousands of groups), added up here by each: every ticket is counted twice, not
    # four times. The total comes from either.
    by_category_and_department: dict[tuple[Any, ...], Tally] = {}
    by_day_and_channel: dict[tuple[Any, ...], Tally] = {}
    by_desk: list[DeskFigures] = []
    by_article: list[StatsRow] = []
    first_pass = bool(wanted & {Breakdown.CATEGORY, Breakdown.DEPARTMENT})
    second_pass = bool(wanted & {Breakdown.DAY, Breakdown.CHANNEL}) or not first_pass
    async with analytical():
        if first_pass:
            by_category_and_department = await _tallies(
                cohort, end - start, _CATEGORY_AND_DEPARTMENT, now
            )
        if second_pass:
            by_day_and_channel = await _tallies(cohort, end - start, _DAY_AND_CHANNEL, now)
        if Breakdown.DESK in wanted:
            # Every desk rather than "any desk": the index on (desk, received_at, status)
            # then finds the desks' few tickets, desk by desk.
            by_desk = await desk_figures(Q(cohort, desk__in=list(Desk)), at_once=_AT_ONCE)
        if Breakdown.ARTICLE in wanted:
            by_article = await _by_article(cohort, now)
    cells = by_day_and_channel if second_pass else by_category_and_department
    return HotlineStats(
        filter=stats_filter,
        computed_at=now,
        total=_figures(_fold(cells.values())),
        by_channel=(
            await _by_channel(_fold_by(by_day_and_channel, 1))
            if Breakdown.CHANNEL in wanted
            else []
        ),
        by_category=(
            await _by_category(_fold_by(by_category_and_department, 0))
            if Breakdown.CATEGORY in wanted
            else []
        ),
        by_department=(
            await _by_department(_fold_by(by_category_and_department, 1))
            if Breakdown.DEPARTMENT in wanted
            else []
        ),
        by_day=_by_day(_fold_by(by_day_and_channel, 0)) if Breakdown.DAY in wanted else [],
        by_desk=by_desk,
        by_article=by_article,
    )
