"""The demo city's map: a synthetic but exact tessellation of Wuhai's box.

The city is the box itself. The Yellow River runs north through it: 乌达区 lies west of
the river, 海勃湾区 east of it in the north, 海南区 in the south on both banks. Streets
and towns grow from their seats (towns reach far into the countryside), communities and
grids are balanced with Lloyd's method, and every level is made 4-connected before the
next is cut, so each area is one polygon that nests exactly in its parent.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from shapely.geometry import Polygon

from grids.demo.lattice import (
    FloatArray,
    IntArray,
    Lattice,
    Seed,
    make_connected,
    partition,
    spread_seeds,
)
from grids.demo.places import CITY_BOUNDS
from grids.demo.plan import AreaPlan, CityPlan
from grids.models import AreaLevel, GridType

#: Cell side in degrees: about 170 m × 220 m.
STEP = 0.002
_LLOYD_ROUNDS = 8
# Villages reach past a town's 社区, which stay small around the town's seat.
_VILLAGE_REACH_KM = 2.0
_SEAT_RING_KM = 0.8
# How far an urban street (街道) stretches from its seat at most; towns take the rest.
_STREET_RADIUS_KM = 4.5
# Bands (km) in which parts are numbered west to east, north to south.
_READING_BAND_KM = 1.0

_HAIBOWAN, _HAINAN, _WUDA = "150302", "150303", "150304"

Splitter = Callable[[Lattice, AreaPlan, IntArray, list[AreaPlan]], IntArray]


def tessellate(plan: CityPlan) -> dict[str, Polygon]:
    """The boundary of every area of ``plan``, by code."""
    south, west, north, east = CITY_BOUNDS
    lattice = Lattice(south, west, north, east, STEP)
    parents = plan.by_level(AreaLevel.CITY)
    parent_labels = np.zeros(lattice.size, dtype=np.int64)
    shapes = dict(zip((a.code for a in parents), lattice.polygons(parent_labels, 1), strict=True))
    steps: tuple[tuple[AreaLevel, Splitter], ...] = (
        (AreaLevel.DISTRICT, _split_districts),
        (AreaLevel.STREET, _split_streets),
        (AreaLevel.COMMUNITY, _split_communities),
        (AreaLevel.GRID, _split_grids),
    )
    for level, split in steps:
        areas = plan.by_level(level)
        position = {area.code: index for index, area in enumerate(areas)}
        labels = np.full(lattice.size, -1, dtype=np.int64)
        for index, parent in enumerate(parents):
            children = plan.children(parent.code)
            cells = np.flatnonzero(parent_labels == index)
            parts = split(lattice, parent, cells, children)
            if len(np.unique(parts)) != len(children):
                raise ValueError(f"{parent.code}: a child got no cells")
            labels[cells] = np.array([position[child.code] for child in children])[parts]
        labels = make_connected(lattice, labels, parent_labels)
        shapes.update(
            zip((a.code for a in areas), lattice.polygons(labels, len(areas)), strict=True)
        )
        parents, parent_labels = areas, labels
    return shapes


def _river_lng(lat: FloatArray) -> FloatArray:
    return np.asarray(106.79 + 0.012 * np.sin((lat - 39.25) * 2 * math.pi / 0.31))


def _split_districts(
    lattice: Lattice, city: AreaPlan, cells: IntArray, children: list[AreaPlan]
) -> IntArray:
    """乌达 west of the river, 海勃湾 east of it in the north, 海南 in the south."""
    lat, lng = lattice.centres[cells].T
    west = lng < _river_lng(lat)
    north_east = lat >= 39.60 + 0.015 * np.sin((lng - 106.79) * 2 * math.pi / 0.23)
    north_west = lat >= 39.42 + 0.01 * np.sin((lng - 106.60) * 2 * math.pi / 0.19)
    index = {child.code: i for i, child in enumerate(children)}
    return np.where(
        west,
        np.where(north_west, index[_WUDA], index[_HAINAN]),
        np.where(north_east, index[_HAIBOWAN], index[_HAINAN]),
    )


def _split_streets(
    lattice: Lattice, district: AreaPlan, cells: IntArray, children: list[AreaPlan]
) -> IntArray:
    """Each street or town grows from its seat."""
    seeds = []
    for street in children:
        if street.seat is None:
            raise ValueError(f"{street.code} has no seat")
        limit = math.inf if street.reach_km else _STREET_RADIUS_KM
        seeds.append(lattice.seed_at(*street.seat, reach=street.reach_km, fixed=True, limit=limit))
    return partition(lattice, cells, seeds)


def _split_communities(
    lattice: Lattice, street: AreaPlan, cells: IntArray, children: list[AreaPlan]
) -> IntArray:
    """Communities of equal size, numbered in reading order; in a town, the 社区 ring the
    seat and the villages share the rest."""
    villages = sum(child.is_village for child in children)
    neighbourhoods = len(children) - villages
    if villages == 0 or street.seat is None:
        seeds = spread_seeds(lattice, cells, len(children), [])
        parts = partition(lattice, cells, seeds, _LLOYD_ROUNDS)
        return _renumber(parts, _reading_order(lattice, cells, parts, len(children)))
    centre = lattice.seed_at(*street.seat)
    ring = (
        [
            Seed(
                centre.x + _SEAT_RING_KM * math.cos(angle),
                centre.y + _SEAT_RING_KM * math.sin(angle),
                fixed=True,
            )
            for angle in (2 * math.pi * i / neighbourhoods for i in range(neighbourhoods))
        ]
        if neighbourhoods > 1
        else [Seed(centre.x, centre.y, fixed=True)] * neighbourhoods
    )
    seeds = ring + spread_seeds(lattice, cells, villages, ring, reach=_VILLAGE_REACH_KM)
    parts = partition(lattice, cells, seeds, _LLOYD_ROUNDS)
    order = _reading_order(lattice, cells, parts, len(children))
    return _renumber(
        parts,
        _match(
            children,
            lambda child: not child.is_village,
            list(range(neighbourhoods)),
            [part for part in order if part >= neighbourhoods],
        ),
    )


def _split_grids(
    lattice: Lattice, community: AreaPlan, cells: IntArray, children: list[AreaPlan]
) -> IntArray:
    """Grids of equal size, numbered in reading order; the smallest parts as first cut become
    the dedicated grids."""
    dedicated = sum(child.grid_type is GridType.DEDICATED for child in children)
    seeds = spread_seeds(lattice, cells, len(children), [])
    parts = partition(lattice, cells, seeds, _LLOYD_ROUNDS)
    sizes = np.bincount(parts, minlength=len(children))
    smallest = sorted(range(len(children)), key=lambda part: (sizes[part], part))[:dedicated]
    order = [p for p in _reading_order(lattice, cells, parts, len(children)) if p not in smallest]
    return _renumber(
        parts,
        _match(children, lambda child: child.grid_type is GridType.DEDICATED, smallest, order),
    )


def _reading_order(lattice: Lattice, cells: IntArray, parts: IntArray, count: int) -> list[int]:
    """Parts ordered like text: bands from north to south, west to east within a band."""
    xy = lattice.xy[cells]
    middles = [xy[parts == part].mean(axis=0) for part in range(count)]
    return sorted(
        range(count),
        key=lambda part: (-math.floor(middles[part][1] / _READING_BAND_KM), middles[part][0], part),
    )


def _match(
    children: list[AreaPlan],
    special: Callable[[AreaPlan], bool],
    special_parts: list[int],
    other_parts: list[int],
) -> list[int]:
    """The part each child gets, in the children's order: special children take
    ``special_parts`` in turn, the others ``other_parts``."""
    specials, others = iter(special_parts), iter(other_parts)
    return [next(specials) if special(child) else next(others) for child in children]


def _renumber(parts: IntArray, order: list[int]) -> IntArray:
    """Relabel parts so that ``order[i]`` becomes ``i``."""
    new = np.empty(len(order), dtype=np.int64)
    new[order] = np.arange(len(order))
    return new[parts]
