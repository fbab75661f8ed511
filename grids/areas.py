"""The area hierarchy: look areas up, page through them, walk up and down, and find
the grid at a point."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tortoise.queryset import QuerySet

from grids.geometry import cell_key, covers, valid_point
from grids.models import CODE_MAX_LENGTH, NAME_MAX_LENGTH, Area, AreaLevel, GridType
from wuyou.pagination import Page, page_from_rows
from wuyou.rows import RowReader, record_builder

#: The level directly below each level.
CHILD_LEVEL: Mapping[AreaLevel, AreaLevel] = {
    AreaLevel.CITY: AreaLevel.DISTRICT,
    AreaLevel.DISTRICT: AreaLevel.STREET,
    AreaLevel.STREET: AreaLevel.COMMUNITY,
    AreaLevel.COMMUNITY: AreaLevel.GRID,
}

# Everything but the boundary, which is large and fetched only when asked for.
_COLUMNS = (
    "id",
    "code",
    "name",
    "level",
    "grid_type",
    "parent_id",
    "path",
    "population",
    "description",
    "centroid_lat",
    "centroid_lng",
    "updated_at",
)


@dataclass(frozen=True, slots=True)
class AreaRecord:
    """An area without its boundary (see :func:`get_boundaries`)."""

    id: int
    code: str
    name: str
    level: AreaLevel
    grid_type: GridType | None
    parent_id: int | None
    path: str
    population: int
    description: str
    centroid_lat: float
    centroid_lng: float
    updated_at: datetime

    @property
    def ancestor_codes(self) -> list[str]:
        """Codes from the root down to the parent."""
        return self.path.rstrip("/").split("/")[:-1]


@dataclass(frozen=True, slots=True)
class AreaFilter:
    """Which areas a list holds; every criterion given must hold."""

    level: AreaLevel | None = None
    grid_type: GridType | None = None
    parent_code: str | None = None
    within_code: str | None = None
    name_contains: str | None = None


def plausible_code(code: str) -> bool:
    """False for strings that cannot be an area code (too long for the column)."""
    return 0 < len(code) <= CODE_MAX_LENGTH


_AREAS = RowReader(Area, _COLUMNS)
_AREA = record_builder(AreaRecord)


def _record(row: Mapping[str, Any]) -> AreaRecord:
    return AreaRecord(**{column: row[column] for column in _COLUMNS})


async def read_areas(query: QuerySet[Area]) -> list[AreaRecord]:
    """The areas ``query`` selects, in its order (one statement)."""
    return [_AREA(*row) for row in await _AREAS.read(query)]


async def get_area(code: str) -> AreaRecord | None:
    """The area with ``code``, or None."""
    if not plausible_code(code):
        return None
    found = await read_areas(Area.filter(code=code))
    return found[0] if found else None


async def get_areas_by_id(ids: Iterable[int]) -> dict[int, AreaRecord]:
    """Areas by id; unknown ids are absent."""
    wanted = list(set(ids))
    if not wanted:
        return {}
    return {a.id: a for a in await read_areas(Area.filter(id__in=wanted))}


async def get_areas_by_code(codes: Iterable[str]) -> dict[str, AreaRecord]:
    """Areas by code; unknown codes are absent."""
    wanted = [code for code in set(codes) if plausible_code(code)]
    if not wanted:
        return {}
    return {a.code: a for a in await read_areas(Area.filter(code__in=wanted))}


async def list_areas(area_filter: AreaFilter, *, first: int, after: str | None) -> Page[AreaRecord]:
    """A page of areas ordered by code (which is tree order: each parent before its children).

    ``after`` is the code of the last area of the previous page.
    """
    query = Area.all()
    if area_filter.level is not None:
        query = query.filter(level=area_filter.level)
    if area_filter.grid_type is not None:
        query = query.filter(grid_type=area_filter.grid_type)
    if area_filter.name_contains:
        query = query.filter(name__icontains=area_filter.name_contains[:NAME_MAX_LENGTH])
    for code, relation in (
        (area_filter.parent_code, "parent"),
        (area_filter.within_code, "within"),
    ):
        if code is None:
            continue
        anchor = await Area.filter(code=code).values("id", "path") if plausible_code(code) else []
        if not anchor:
            return Page(items=[], total_count=0, has_next_page=False, has_previous_page=False)
        if relation == "parent":
            query = query.filter(parent_id=anchor[0]["id"])
        else:
            query = query.filter(path__startswith=anchor[0]["path"])
    total = await query.count()
    if after is not None:
        query = query.filter(code__gt=after[:CODE_MAX_LENGTH])
    found = await read_areas(query.order_by("code").limit(first + 1))
    return page_from_rows(found, first, total, after_given=after is not None)


async def children_of(parent_ids: Iterable[int]) -> dict[int, list[AreaRecord]]:
    """The children of each parent, ordered by code."""
    wanted = list(set(parent_ids))
    result: dict[int, list[AreaRecord]] = {pid: [] for pid in wanted}
    if wanted:
        for area in await read_areas(Area.filter(parent_id__in=wanted).order_by("code")):
            assert area.parent_id is not None
            result[area.parent_id].append(area)
    return result


async def get_boundaries(ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """GeoJSON boundaries by area id."""
    wanted = list(set(ids))
    if not wanted:
        return {}
    return {
        r["id"]: r["boundary"] for r in await Area.filter(id__in=wanted).values("id", "boundary")
    }


async def area_at(lat: float, lng: float) -> AreaRecord | None:
    """The grid whose boundary contains the point, or None outside every grid.

    One indexed lookup in the lattice index, then an exact test on the few grids
    whose bounding boxes touch that cell. A point on a shared edge belongs to the
    grid with the smaller code, so the answer is always the same.
    """
    if not valid_point(lat, lng):
        return None
    candidates = await (
        Area.filter(cells__cell=cell_key(lat, lng))
        .order_by("code")
        .values(*_COLUMNS, "boundary", "min_lat", "max_lat", "min_lng", "max_lng")
    )
    for candidate in candidates:
        in_box = (
            candidate["min_lat"] <= lat <= candidate["max_lat"]
            and candidate["min_lng"] <= lng <= candidate["max_lng"]
        )
        if in_box and covers(candidate["boundary"], lat, lng):
            return _record(candidate)
    return None
