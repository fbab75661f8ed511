"""Boundaries as GeoJSON, and the lattice that indexes them.

The spatial index is a table of (cell, grid) pairs: the plane is cut into cells of
``CELL_DEGREES`` on a side, and each grid is listed under every cell its bounding
box touches. Finding the grid at a point is one indexed equality lookup that
returns a handful of candidates, then an exact point-in-polygon test on those.
It needs no extension (PostGIS, SpatiaLite) and works the same on SQLite and
PostgreSQL, in every worker, with nothing cached in memory.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import shapely
from shapely.geometry import MultiPolygon, Point, Polygon, mapping, shape
from shapely.geometry.base import BaseGeometry

from wuyou.errors import DomainError, ErrorCode

CELL_DEGREES = 0.01
_CELLS_PER_DEGREE = round(1 / CELL_DEGREES)
_LNG_OFFSET = 180 * _CELLS_PER_DEGREE
_ROW_STRIDE = 1_000_000


@dataclass(frozen=True, slots=True)
class Footprint:
    """What the database keeps beside a boundary: its centroid and bounding box."""

    centroid_lat: float
    centroid_lng: float
    min_lat: float
    min_lng: float
    max_lat: float
    max_lng: float


def cell_key(lat: float, lng: float) -> int:
    """The lattice cell containing (lat, lng)."""
    row = math.floor(lat * _CELLS_PER_DEGREE)
    col = math.floor(lng * _CELLS_PER_DEGREE) + _LNG_OFFSET
    return row * _ROW_STRIDE + col


def cells_for_bbox(min_lat: float, min_lng: float, max_lat: float, max_lng: float) -> list[int]:
    """Every cell that a bounding box touches."""
    first, last = cell_key(min_lat, min_lng), cell_key(max_lat, max_lng)
    first_row, first_col = divmod(first, _ROW_STRIDE)
    last_row, last_col = divmod(last, _ROW_STRIDE)
    return [
        row * _ROW_STRIDE + col
        for row in range(first_row, last_row + 1)
        for col in range(first_col, last_col + 1)
    ]


def parse_boundary(geojson: Mapping[str, Any], field: str = "boundary") -> BaseGeometry:
    """A valid Polygon or MultiPolygon from GeoJSON ([lng, lat] order), or a DomainError."""
    if not isinstance(geojson, Mapping) or geojson.get("type") not in {"Polygon", "MultiPolygon"}:
        raise DomainError(
            ErrorCode.INVALID, "A boundary is a GeoJSON Polygon or MultiPolygon.", field
        )
    try:
        geometry = shape(geojson)
    except (ValueError, TypeError, IndexError, AttributeError, shapely.errors.GEOSException):
        raise DomainError(
            ErrorCode.INVALID, "The boundary's coordinates are malformed.", field
        ) from None
    if geometry.is_empty or not geometry.is_valid:
        raise DomainError(
            ErrorCode.INVALID,
            f"The boundary is not a valid polygon ({shapely.is_valid_reason(geometry)}).",
            field,
        )
    min_lng, min_lat, max_lng, max_lat = geometry.bounds
    if not (-90 <= min_lat <= max_lat <= 90 and -180 <= min_lng <= max_lng <= 180):
        raise DomainError(
            ErrorCode.OUT_OF_RANGE, "Coordinates are [longitude, latitude] in degrees.", field
        )
    return geometry


def footprint(geometry: BaseGeometry) -> Footprint:
    """Centroid (a point inside the shape, for non-convex ones) and bounding box."""
    centre = geometry.centroid
    if not geometry.covers(centre):
        centre = geometry.representative_point()
    min_lng, min_lat, max_lng, max_lat = geometry.bounds
    return Footprint(
        centroid_lat=round(centre.y, 7),
        centroid_lng=round(centre.x, 7),
        min_lat=min_lat,
        min_lng=min_lng,
        max_lat=max_lat,
        max_lng=max_lng,
    )


def to_geojson(geometry: BaseGeometry) -> dict[str, Any]:
    """GeoJSON geometry for a shapely Polygon or MultiPolygon."""
    if not isinstance(geometry, (Polygon, MultiPolygon)):
        raise TypeError(f"expected a polygon, got {geometry.geom_type}")
    return dict(mapping(geometry))


def covers(geojson: Mapping[str, Any], lat: float, lng: float) -> bool:
    """True when the point lies inside the boundary or on its edge."""
    return bool(shape(geojson).covers(Point(lng, lat)))


def valid_point(lat: float, lng: float) -> bool:
    """True for a finite latitude/longitude pair in range."""
    return math.isfinite(lat) and math.isfinite(lng) and -90 <= lat <= 90 and -180 <= lng <= 180
