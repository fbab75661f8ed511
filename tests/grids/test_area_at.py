"""Location → grid: random points inside grids land in them; points outside land nowhere."""

from __future__ import annotations

import random

from shapely.geometry import Point, shape
from starlette.testclient import TestClient

from grids.models import Area, AreaLevel
from tests.graphql import data, error_codes, gql, in_app

AREA_AT = "query($lat: Float!, $lng: Float!) { areaAt(lat: $lat, lng: $lng) { code level } }"


def test_random_points_inside_grids_find_their_grid(client: TestClient) -> None:
    grids = in_app(client, lambda: Area.filter(level=AreaLevel.GRID).values("code", "boundary"))
    rng = random.Random(20261127)
    for grid in rng.sample(grids, 60):
        polygon = shape(grid["boundary"])
        min_x, min_y, max_x, max_y = polygon.bounds
        while True:
            point = Point(rng.uniform(min_x, max_x), rng.uniform(min_y, max_y))
            if polygon.contains(point):
                break
        found = data(client, AREA_AT, {"lat": point.y, "lng": point.x})["areaAt"]
        assert found == {"code": grid["code"], "level": "GRID"}


def test_every_random_point_in_the_city_box_finds_a_covering_grid(client: TestClient) -> None:
    rng = random.Random(7)
    boundaries = {
        g["code"]: shape(g["boundary"])
        for g in in_app(
            client, lambda: Area.filter(level=AreaLevel.GRID).values("code", "boundary")
        )
    }
    for _ in range(100):
        lat, lng = rng.uniform(39.25, 39.95), rng.uniform(106.60, 107.15)
        found = data(client, AREA_AT, {"lat": lat, "lng": lng})["areaAt"]
        assert found is not None, (lat, lng)
        assert boundaries[found["code"]].covers(Point(lng, lat))


def test_points_outside_the_city_find_nothing(client: TestClient) -> None:
    for lat, lng in (
        (39.2, 106.8),
        (40.0, 106.8),
        (39.5, 106.5),
        (39.5, 107.2),
        (39.9042, 116.4074),
        (0.0, 0.0),
        (-33.86, 151.21),
    ):
        assert data(client, AREA_AT, {"lat": lat, "lng": lng}) == {"areaAt": None}


def test_out_of_range_coordinates_are_bad_input(client: TestClient) -> None:
    body = gql(client, AREA_AT, {"lat": 91.0, "lng": 106.8})
    assert error_codes(body) == ["BAD_USER_INPUT"]
    assert body["errors"][0]["extensions"]["argument"] == "lat"
    body = gql(client, AREA_AT, {"lat": 39.5, "lng": -181.0})
    assert body["errors"][0]["extensions"]["argument"] == "lng"
