"""Exact tilings on a lattice: split regions into connected parts and turn parts into polygons.

Every region is a set of cells of one fine lattice, and every polygon vertex is a lattice
node whose coordinates are computed once, so neighbouring polygons share their vertices
exactly: children tile their parent with no gap and no overlap, by construction.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry import Polygon
from shapely.geometry.polygon import orient

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

_KM_PER_DEGREE_LAT = 111.2
# How much a km beyond a seed's limit counts: enough to leave such cells to other seeds.
_BEYOND_LIMIT = 10.0


@dataclass(frozen=True, slots=True)
class Seed:
    """Where a part is grown from: a point in km, how far it reaches past its neighbours
    (an additive weight), how far from the point it may hardly extend at all (``limit``),
    and whether it stays put while the others are balanced."""

    x: float
    y: float
    reach: float = 0.0
    fixed: bool = False
    limit: float = math.inf


class Lattice:
    """A box cut into square cells of ``step`` degrees; cells are numbered row by row from
    the south-west corner, and distances are measured in km around the box's middle."""

    def __init__(self, south: float, west: float, north: float, east: float, step: float):
        self.rows = round((north - south) / step)
        self.cols = round((east - west) / step)
        self.lats = [round(south + i * step, 6) for i in range(self.rows + 1)]
        self.lngs = [round(west + j * step, 6) for j in range(self.cols + 1)]
        if self.lats[-1] != north or self.lngs[-1] != east:
            raise ValueError("the box is not a whole number of cells")
        self._west, self._south = west, south
        self._km_lng = _KM_PER_DEGREE_LAT * math.cos(math.radians((south + north) / 2))
        rows, cols = np.indices((self.rows, self.cols))
        centre_lat = south + (rows.ravel() + 0.5) * step
        centre_lng = west + (cols.ravel() + 0.5) * step
        #: Cell centres: (lat, lng) in degrees and (x, y) in km.
        self.centres = np.column_stack([centre_lat, centre_lng])
        self.xy = np.column_stack([self.km_x(centre_lng), self.km_y(centre_lat)])

    @property
    def size(self) -> int:
        return self.rows * self.cols

    def km_x(self, lng: npt.ArrayLike) -> FloatArray:
        """Longitude to km east of the box's west edge."""
        return np.asarray((np.asarray(lng) - self._west) * self._km_lng, dtype=np.float64)

    def km_y(self, lat: npt.ArrayLike) -> FloatArray:
        """Latitude to km north of the box's south edge."""
        return np.asarray((np.asarray(lat) - self._south) * _KM_PER_DEGREE_LAT, dtype=np.float64)

    def seed_at(
        self,
        lat: float,
        lng: float,
        reach: float = 0.0,
        fixed: bool = False,
        limit: float = math.inf,
    ) -> Seed:
        """A seed at a geographic point."""
        return Seed(float(self.km_x(lng)), float(self.km_y(lat)), reach, fixed, limit)

    def polygons(self, labels: IntArray, count: int) -> list[Polygon]:
        """The polygon of each part ``0 … count-1`` of a labelling of every cell.

        Each row is cut into runs of one label; a part is the union of its runs' boxes,
        with the vertices in the middle of straight edges removed.
        """
        grid = labels.reshape(self.rows, self.cols)
        starts = np.ones(grid.shape, dtype=bool)
        starts[:, 1:] = grid[:, 1:] != grid[:, :-1]
        row, first = np.nonzero(starts)
        flat = row * self.cols + first
        ends = np.append(flat[1:], self.size)
        last = np.where(ends // self.cols == row, ends % self.cols, self.cols)
        lngs, lats = np.asarray(self.lngs), np.asarray(self.lats)
        boxes = shapely.box(lngs[first], lats[row], lngs[last], lats[row + 1])
        run_labels = grid[row, first]
        order = np.argsort(run_labels, kind="stable")
        bounds = np.searchsorted(run_labels[order], np.arange(count + 1))
        result = []
        for part in range(count):
            union = shapely.union_all(boxes[order[bounds[part] : bounds[part + 1]]])
            if not isinstance(union, Polygon):
                raise ValueError(f"part {part} is not one polygon: {union.geom_type}")
            result.append(_tidy(union))
        return result


def partition(lattice: Lattice, cells: IntArray, seeds: list[Seed], rounds: int = 0) -> IntArray:
    """Split ``cells`` among ``seeds``: each cell goes to the seed it is closest to, less the
    seed's reach, plus a steep toll for every km beyond the seed's limit. With ``rounds``, the
    seeds that are not fixed first move to the middle of their share that many times
    (Lloyd's method), which evens out the parts' sizes.
    Returns the seed index of each cell; parts may still need :func:`make_connected`.
    """
    points = lattice.xy[cells]
    centres = np.array([(s.x, s.y) for s in seeds], dtype=np.float64)
    reach = np.array([s.reach for s in seeds], dtype=np.float64)
    limit = np.array([s.limit for s in seeds], dtype=np.float64)
    movable = np.array([not s.fixed for s in seeds])
    for _ in range(rounds):
        owner = _nearest(points, centres, reach, limit)
        count = np.bincount(owner, minlength=len(seeds))
        middle = (
            np.column_stack(
                [
                    np.bincount(owner, weights=points[:, axis], minlength=len(seeds))
                    for axis in (0, 1)
                ]
            )
            / np.maximum(count, 1)[:, None]
        )
        # Move to the own cell nearest the middle, so that no part ends up empty.
        gap = ((points - middle[owner]) ** 2).sum(axis=1)
        order = np.lexsort((gap, owner))
        first = order[np.searchsorted(owner[order], np.arange(len(seeds)))[count > 0]]
        moving = movable[owner[first]]
        centres[owner[first][moving]] = points[first[moving]]
    return _nearest(points, centres, reach, limit)


def spread_seeds(
    lattice: Lattice, cells: IntArray, count: int, taken: list[Seed], reach: float = 0.0
) -> list[Seed]:
    """``count`` seeds on cells of ``cells``, each as far as possible from the seeds chosen
    before it (``taken`` included): a deterministic start for :func:`partition`."""
    points = lattice.xy[cells]
    anchors = [(s.x, s.y) for s in taken] or [tuple(points.mean(axis=0))]
    gap = np.min(np.linalg.norm(points[:, None, :] - np.array(anchors)[None], axis=2), axis=1)
    chosen: list[Seed] = []
    for _ in range(count):
        index = int(np.argmax(gap))
        chosen.append(Seed(float(points[index, 0]), float(points[index, 1]), reach))
        gap = np.minimum(gap, np.linalg.norm(points - points[index], axis=1))
    return chosen


def make_connected(lattice: Lattice, labels: IntArray, parents: IntArray) -> IntArray:
    """Labels in which every part is 4-connected: each part keeps its largest piece and its
    other pieces go to neighbouring parts of the same parent."""
    while True:
        pieces = _components(lattice, labels)
        size = np.bincount(pieces, minlength=lattice.size)
        # The largest piece of each part (the first one on a tie).
        order = np.lexsort((pieces, -size[pieces], labels))
        first = np.ones(len(order), dtype=bool)
        first[1:] = labels[order][1:] != labels[order][:-1]
        keep = np.full(labels.max() + 1, -1)
        keep[labels[order][first]] = pieces[order][first]
        stray = pieces != keep[labels]
        if not stray.any():
            return labels
        labels = _give_to_neighbours(lattice, labels, parents, stray)


def _nearest(
    points: FloatArray, centres: FloatArray, reach: FloatArray, limit: FloatArray
) -> IntArray:
    distance = np.linalg.norm(points[:, None, :] - centres[None, :, :], axis=2)
    beyond = np.maximum(distance - limit[None, :], 0.0)
    score = distance - reach[None, :] + _BEYOND_LIMIT * beyond
    return np.asarray(np.argmin(score, axis=1), dtype=np.int64)


def _components(lattice: Lattice, labels: IntArray) -> IntArray:
    """For each cell, the smallest cell number of its 4-connected piece of equal labels."""
    grid = labels.reshape(lattice.rows, lattice.cols)
    same_east = grid[:, 1:] == grid[:, :-1]
    same_north = grid[1:, :] == grid[:-1, :]
    piece = np.arange(lattice.size).reshape(grid.shape)
    while True:
        before = piece.copy()
        low = np.minimum(piece[:, 1:], piece[:, :-1])
        piece[:, 1:] = np.where(same_east, low, piece[:, 1:])
        piece[:, :-1] = np.where(same_east, np.minimum(low, piece[:, :-1]), piece[:, :-1])
        low = np.minimum(piece[1:, :], piece[:-1, :])
        piece[1:, :] = np.where(same_north, low, piece[1:, :])
        piece[:-1, :] = np.where(same_north, np.minimum(low, piece[:-1, :]), piece[:-1, :])
        flat = piece.ravel()
        piece = flat[flat].reshape(grid.shape)
        if np.array_equal(piece, before):
            return piece.ravel()


def _give_to_neighbours(
    lattice: Lattice, labels: IntArray, parents: IntArray, stray: npt.NDArray[np.bool_]
) -> IntArray:
    """Relabel stray cells, from the edges inwards, after a settled neighbour of the same parent."""
    grid = labels.reshape(lattice.rows, lattice.cols).copy()
    parent = parents.reshape(grid.shape)
    loose = stray.reshape(grid.shape).copy()
    while loose.any():
        progressed = False
        for shift, axis in ((1, 0), (-1, 0), (1, 1), (-1, 1)):
            neighbour = np.roll(grid, shift, axis=axis)
            settled = ~np.roll(loose, shift, axis=axis) & (
                np.roll(parent, shift, axis=axis) == parent
            )
            # np.roll wraps around the edge: a cell never takes from the far side.
            edge = [slice(None), slice(None)]
            edge[axis] = slice(0, 1) if shift == 1 else slice(-1, None)
            settled[tuple(edge)] = False
            take = loose & settled
            grid[take] = neighbour[take]
            loose &= ~take
            progressed |= bool(take.any())
        if not progressed:
            raise ValueError("a stray piece has no neighbour within its parent")
    return grid.ravel()


def _tidy(polygon: Polygon) -> Polygon:
    """The polygon without the vertices in the middle of straight edges, exterior
    counter-clockwise as GeoJSON wants."""
    rings = [_corners(polygon.exterior.coords)]
    rings += [_corners(ring.coords) for ring in polygon.interiors]
    return orient(Polygon(rings[0], rings[1:]), sign=1.0)


def _corners(coords: Iterable[tuple[float, float]]) -> list[tuple[float, float]]:
    points = list(coords)[:-1]
    kept = []
    for index, (x, y) in enumerate(points):
        px, py = points[index - 1]
        nx, ny = points[(index + 1) % len(points)]
        if not ((px == x == nx) or (py == y == ny)):
            kept.append((x, y))
    return kept
