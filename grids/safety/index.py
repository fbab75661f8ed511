"""The safety index of an area over a period, explained, and the ranking of the areas of
a level (docs/safety-index.md).

Who may read: administrators, agents and department staff any area; a grid worker the
areas that contain a grid they serve, and that grid; nobody else. Each computation
costs a fixed number of SQL statements, whatever the number of areas or tickets: one
GROUP BY over the ticket table per period counted.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from accounts.models import Role
from accounts.service import Principal, require_role
from grids.areas import AreaFilter, AreaRecord, get_area, list_areas
from grids.models import Area, AreaLevel, GridWorker
from grids.safety.formula import (
    DimensionScore,
    Indicator,
    Tally,
    add_up,
    overall,
    population_used,
    score_dimension,
    share,
)
from grids.safety.indicators import plugin_indicators
from grids.safety.inputs import tallies_by_category, tallies_by_place
from grids.safety.settings import DIMENSION_NAMES, SafetySettings, load_safety_settings
from tickets.categories import CategoryRecord, get_categories_by_id
from tickets.figures import analytical
from tickets.models import SafetyDimension
from wuyou import clock
from wuyou.clock import as_utc
from wuyou.errors import DomainError, ErrorCode, Forbidden

#: Roles that read the index; a grid worker only around their grid.
READERS = (Role.ADMIN, Role.AGENT, Role.DEPARTMENT, Role.GRID_WORKER)
#: The most areas a ranking lists at once (a city's grids fit).
MAX_RANKED = 1000
_SECONDS_PER_DAY = 86_400
_DIMENSIONS = tuple(SafetyDimension)


@dataclass(frozen=True, slots=True)
class CategoryContribution:
    """What one category's tickets add to a dimension: ``share`` of its weighted count."""

    category: CategoryRecord
    tickets: int
    weighted: float
    share: float | None


@dataclass(frozen=True, slots=True)
class DimensionIndex:
    """One dimension of an area's index: its score with everything behind it, its place
    in the overall score (``weight``, ``contribution``), its categories (all of them,
    most weighted first; their tallies add up to the dimension's), and the previous
    period's score."""

    dimension: SafetyDimension
    name: str
    weight: float
    contribution: float
    current: DimensionScore
    previous: DimensionScore
    previous_contribution: float
    change: float
    categories: tuple[CategoryContribution, ...]


@dataclass(frozen=True, slots=True)
class SafetyIndex:
    """An area's index over [start, end), against the previous period of equal length
    [previous_start, start)."""

    area: AreaRecord
    start: datetime
    end: datetime
    previous_start: datetime
    computed_at: datetime
    population: int
    population_used: int
    score: float
    previous_score: float
    change: float
    dimensions: tuple[DimensionIndex, ...]
    settings_version: int


@dataclass(frozen=True, slots=True)
class RankedArea:
    """An area's place in a ranking (1: the least safe) and its scores."""

    rank: int
    area: AreaRecord
    population: int
    score: float
    dimensions: tuple[DimensionScore, ...]
    contributions: Mapping[SafetyDimension, float]


@dataclass(frozen=True, slots=True)
class SafetyRanking:
    """The areas of a level (beneath ``within``, if given) from least to most safe:
    ``total_count`` ranked, ``entries`` the first of those the reader may see."""

    level: AreaLevel
    within: AreaRecord | None
    start: datetime
    end: datetime
    computed_at: datetime
    total_count: int
    entries: tuple[RankedArea, ...]
    weights: Mapping[SafetyDimension, float]
    settings_version: int


def _period(start: datetime, end: datetime) -> tuple[datetime, datetime, datetime]:
    """[start, end) in UTC and the previous period's start. INVALID on ``to`` for an
    empty period, on ``from`` when the previous period falls off the calendar."""
    start, end = as_utc(start, "from"), as_utc(end, "to")
    if start >= end:
        raise DomainError(ErrorCode.INVALID, "统计区间的结束应晚于开始。", "to")
    try:
        return start, end, start - (end - start)
    except OverflowError:
        raise DomainError(ErrorCode.INVALID, "上一周期超出日历范围。", "from") from None


def _days(start: datetime, end: datetime) -> float:
    return (end - start).total_seconds() / _SECONDS_PER_DAY


async def _served_grids(actor: Principal | None) -> list[str] | None:
    """The paths of the grids a grid worker serves; None for roles that read any area."""
    actor = require_role(actor, *READERS)
    if actor.role is not Role.GRID_WORKER:
        return None
    rows = await GridWorker.filter(account_id=actor.account_id, grid_id__isnull=False).values(
        "grid__path"
    )
    return [row["grid__path"] for row in rows]


def _may_read(path: str, grids: Sequence[str] | None) -> bool:
    """Whether a reader serving ``grids`` (None: any) may read the area with ``path``:
    it contains one of the grids, or lies inside one."""
    return grids is None or any(g.startswith(path) or path.startswith(g) for g in grids)


async def _populations(areas: Sequence[AreaRecord]) -> dict[int, int]:
    """Each area's residents: its own figure, or, when that is 0, the sum of its grids'
    (one query, only then)."""
    result = {area.id: area.population for area in areas}
    missing = [a for a in areas if not a.population and a.level is not AreaLevel.GRID]
    if not missing:
        return result
    grids = await Area.filter(level=AreaLevel.GRID).values("path", "population")
    for area in missing:
        result[area.id] = sum(g["population"] for g in grids if g["path"].startswith(area.path))
    return result


def _score_area(
    tallies: Mapping[SafetyDimension, Tally],
    indicators: Mapping[SafetyDimension, Sequence[Indicator]],
    *,
    settings: SafetySettings,
    residents: int,
    days: float,
) -> tuple[dict[SafetyDimension, DimensionScore], float, dict[SafetyDimension, float]]:
    """Each dimension's score, the overall score and each dimension's contribution."""
    scores = {
        dimension: score_dimension(
            dimension,
            tallies.get(dimension, Tally()),
            indicators.get(dimension, ()),
            settings=settings,
            residents=residents,
            days=days,
        )
        for dimension in _DIMENSIONS
    }
    total, contributions = overall(
        {d: s.score for d, s in scores.items()}, settings.dimension_weights
    )
    return scores, total, contributions


def _contributions(
    tallies: Mapping[int, Tally], categories: Mapping[int, CategoryRecord], whole: float
) -> tuple[CategoryContribution, ...]:
    ranked = sorted(
        tallies.items(),
        key=lambda kv: (-kv[1].weighted, -kv[1].tickets, categories[kv[0]].code),
    )
    return tuple(
        CategoryContribution(categories[i], t.tickets, t.weighted, share(t.weighted, whole))
        for i, t in ranked
    )


async def safety_index(
    area_code: str, start: datetime, end: datetime, *, actor: Principal | None
) -> SafetyIndex:
    """The index of the area with ``area_code`` over [start, end), explained, against the
    previous period of equal length.

    Raises NOT_FOUND on ``areaCode`` for an unknown area, INVALID on ``to`` for an empty
    period; Forbidden for readers who may not read the area (see the module docstring).
    """
    grids = await _served_grids(actor)
    start, end, previous_start = _period(start, end)
    area = await get_area(area_code)
    if area is None:
        raise DomainError(ErrorCode.NOT_FOUND, "没有这个区域。", "areaCode")
    if not _may_read(area.path, grids):
        raise Forbidden("A grid worker reads the index of the areas around their grid only.")
    stored = await load_safety_settings()
    settings, now, days = stored.settings, clock.now(), _days(start, end)
    population = (await _populations([area]))[area.id]
    residents = population_used(population, settings.population_floor)
    async with analytical():
        current = await tallies_by_category(area.path, start, end, settings=settings, now=now)
        previous = await tallies_by_category(
            area.path, previous_start, start, settings=settings, now=now
        )
    categories = await get_categories_by_id([*current, *previous])
    plugins_now, plugins_before = await asyncio.gather(
        plugin_indicators([(area, population)], start, end),
        plugin_indicators([(area, population)], previous_start, start),
    )

    def by_dimension(tallies: Mapping[int, Tally]) -> dict[SafetyDimension, dict[int, Tally]]:
        grouped: dict[SafetyDimension, dict[int, Tally]] = defaultdict(dict)
        for category_id, tally in tallies.items():
            dimension = categories[category_id].dimension if category_id in categories else None
            if dimension is not None:
                grouped[dimension][category_id] = tally
        return grouped

    now_grouped, before_grouped = by_dimension(current), by_dimension(previous)
    scores, score, contributions = _score_area(
        {d: add_up(t.values()) for d, t in now_grouped.items()},
        plugins_now.get(area.code, {}),
        settings=settings,
        residents=residents,
        days=days,
    )
    before, previous_score, previous_contributions = _score_area(
        {d: add_up(t.values()) for d, t in before_grouped.items()},
        plugins_before.get(area.code, {}),
        settings=settings,
        residents=residents,
        days=days,
    )
    dimensions = tuple(
        DimensionIndex(
            dimension=d,
            name=DIMENSION_NAMES[d],
            weight=settings.dimension_weights[d],
            contribution=contributions[d],
            current=scores[d],
            previous=before[d],
            previous_contribution=previous_contributions[d],
            change=scores[d].score - before[d].score,
            categories=_contributions(now_grouped.get(d, {}), categories, scores[d].tally.weighted),
        )
        for d in SafetyDimension
    )
    return SafetyIndex(
        area=area,
        start=start,
        end=end,
        previous_start=previous_start,
        computed_at=now,
        population=population,
        population_used=residents,
        score=score,
        previous_score=previous_score,
        change=score - previous_score,
        dimensions=dimensions,
        settings_version=stored.version,
    )


def _ancestor_paths(place: str) -> list[str]:
    """The paths of a place's areas from the top down ("a/b/" → "a/", "a/b/")."""
    codes = place.rstrip("/").split("/")
    return ["".join(f"{code}/" for code in codes[: n + 1]) for n in range(len(codes))]


async def safety_ranking(
    level: AreaLevel,
    start: datetime,
    end: datetime,
    *,
    first: int,
    actor: Principal | None,
    within_code: str | None = None,
) -> SafetyRanking:
    """The areas of ``level`` (beneath the area ``within_code``, if given) from the least
    safe to the safest over [start, end); ties by code. Rank 1 is the least safe.

    ``first`` (0–1000, else OUT_OF_RANGE) caps the entries. A grid worker sees only the
    entries of areas they may read, with their rank among all. Raises NOT_FOUND on
    ``withinCode`` for an unknown area, INVALID on ``to`` for an empty period; Forbidden
    for roles that may not read the index.
    """
    grids = await _served_grids(actor)
    start, end, _ = _period(start, end)
    if not 0 <= first <= MAX_RANKED:
        raise DomainError(ErrorCode.OUT_OF_RANGE, f"first 应为 0–{MAX_RANKED}。", "first")
    within = None
    if within_code is not None:
        within = await get_area(within_code)
        if within is None:
            raise DomainError(ErrorCode.NOT_FOUND, "没有这个区域。", "withinCode")
    stored = await load_safety_settings()
    settings, now, days = stored.settings, clock.now(), _days(start, end)
    page = await list_areas(
        AreaFilter(level=level, within_code=within_code), first=MAX_RANKED * 10, after=None
    )
    areas = {area.path: area for area in page.items}
    populations = await _populations(page.items)
    tallies: dict[str, dict[SafetyDimension, Tally]] = defaultdict(dict)
    async with analytical():
        by_place = await tallies_by_place(
            within.path if within else "", start, end, settings=settings, now=now
        )
    owners: dict[str, str | None] = {}
    for (place, dimension), tally in by_place.items():
        if place not in owners:
            owners[place] = next((p for p in _ancestor_paths(place) if p in areas), None)
        owner = owners[place]
        if owner is not None:
            known = tallies[owner].get(dimension)
            tallies[owner][dimension] = tally if known is None else known + tally
    indicators = await plugin_indicators(
        [(area, populations[area.id]) for area in page.items], start, end
    )
    scored = []
    for path, area in areas.items():
        scores, score, contributions = _score_area(
            tallies.get(path, {}),
            indicators.get(area.code, {}),
            settings=settings,
            residents=population_used(populations[area.id], settings.population_floor),
            days=days,
        )
        scored.append((score, area, scores, contributions))
    scored.sort(key=lambda entry: (entry[0], entry[1].code))
    entries = [
        RankedArea(
            rank=rank,
            area=area,
            population=populations[area.id],
            score=score,
            dimensions=tuple(scores[d] for d in _DIMENSIONS),
            contributions=contributions,
        )
        for rank, (score, area, scores, contributions) in enumerate(scored, start=1)
        if _may_read(area.path, grids)
    ]
    return SafetyRanking(
        level=level,
        within=within,
        start=start,
        end=end,
        computed_at=now,
        total_count=len(scored),
        entries=tuple(entries[:first]),
        weights=settings.dimension_weights,
        settings_version=stored.version,
    )
