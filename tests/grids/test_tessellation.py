"""The demo city without a database: counts, codes, populations, an exact map, the catalogue."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from collections import Counter

import pytest
import shapely
from shapely.geometry import Point, Polygon, box

from accounts.models import Role
from accounts.service import PHONE_PATTERN, USERNAME_PATTERN
from grids.demo import (
    CITY_BOUNDS,
    CITY_CODE,
    CITY_POPULATION,
    DEMO_ACCOUNTS,
    DEMO_DEPARTMENT,
    DEMO_GRID,
    EXPECTED_COUNTS,
    HOTLINE_COUNT,
    ONLINE_COUNT,
)
from grids.demo.catalogue import CHANNELS, COMMUNITY_KEY, STREET_KEY, departments
from grids.demo.people import grid_workers
from grids.demo.plan import AreaPlan, CityPlan, apportion, chinese_number, plan_city
from grids.demo.tessellation import tessellate
from grids.geometry import footprint, parse_boundary, to_geojson
from grids.models import AreaLevel, ChannelKind, DepartmentLevel, GridType

CODE_PATTERNS = {
    AreaLevel.CITY: re.compile(r"^\d{6}$"),
    AreaLevel.DISTRICT: re.compile(r"^\d{6}$"),
    AreaLevel.STREET: re.compile(r"^\d{9}$"),
    AreaLevel.COMMUNITY: re.compile(r"^\d{12}$"),
    AreaLevel.GRID: re.compile(r"^\d{12}-[GD]\d{2}$"),
}
_DIGEST = (
    "import hashlib, json\n"
    "from grids.demo.plan import plan_city\n"
    "from grids.demo.tessellation import tessellate\n"
    "from grids.geometry import to_geojson\n"
    "plan = plan_city()\n"
    "shapes = tessellate(plan)\n"
    "print(hashlib.sha256(json.dumps([[repr(a), to_geojson(shapes[a.code])]\n"
    "                                  for a in plan.areas]).encode()).hexdigest())\n"
)


@pytest.fixture(scope="module")
def plan() -> CityPlan:
    return plan_city()


@pytest.fixture(scope="module")
def shapes(plan: CityPlan) -> dict[str, Polygon]:
    return tessellate(plan)


def _parents(plan: CityPlan) -> list[AreaPlan]:
    return [area for area in plan.areas if area.level is not AreaLevel.GRID]


def test_counts_per_level(plan: CityPlan) -> None:
    assert Counter(area.level for area in plan.areas) == EXPECTED_COUNTS
    grids = plan.by_level(AreaLevel.GRID)
    assert Counter(grid.grid_type for grid in grids)[GridType.DEDICATED] == 6
    assert sum(grid.code[-3] == "G" for grid in grids) == 640


def test_codes_paths_and_names(plan: CityPlan) -> None:
    by_code = {area.code: area for area in plan.areas}
    assert len(by_code) == len(plan.areas)
    assert by_code[CITY_CODE].name == "乌海市"
    assert {by_code[c].name for c in ("150302", "150303", "150304")} == {
        "海勃湾区",
        "海南区",
        "乌达区",
    }
    for area in plan.areas:
        assert CODE_PATTERNS[area.level].match(area.code), area.code
        assert 0 < len(area.name) <= 64
        if area.parent_code is None:
            assert area.path == f"{area.code}/"
            continue
        parent = by_code[area.parent_code]
        assert area.path == f"{parent.path}{area.code}/"
        if area.level is AreaLevel.DISTRICT:
            assert area.code[:4] == parent.code[:4]
        elif area.level is AreaLevel.GRID:
            assert area.code.split("-")[0] == parent.code
        else:
            assert area.code[:-3] == parent.code
    for parent in _parents(plan):
        names = [child.name for child in plan.children(parent.code)]
        assert len(names) == len(set(names)), parent.code
    for community in plan.by_level(AreaLevel.COMMUNITY):
        grids = plan.children(community.code)
        regular = sorted(g.code for g in grids if g.grid_type is not GridType.DEDICATED)
        assert regular == [f"{community.code}-G{n:02d}" for n in range(1, len(regular) + 1)]


def test_grid_types_follow_communities(plan: CityPlan) -> None:
    for community in plan.by_level(AreaLevel.COMMUNITY):
        assert community.name.endswith(("社区", "村"))
        expected = GridType.RURAL if community.name.endswith("村") else GridType.COMMUNITY
        for grid in plan.children(community.code):
            if grid.code[-3] == "D":
                assert grid.grid_type is GridType.DEDICATED
                assert grid.description
            else:
                assert grid.grid_type is expected
                assert grid.description == ""
    for street in plan.by_level(AreaLevel.STREET):
        kinds = {child.name.endswith("村") for child in plan.children(street.code)}
        assert kinds == ({True, False} if street.name.endswith("镇") else {False}), street.name


def test_populations_add_up(plan: CityPlan) -> None:
    assert plan.by_level(AreaLevel.CITY)[0].population == CITY_POPULATION == 556_600
    for parent in _parents(plan):
        assert parent.population == sum(c.population for c in plan.children(parent.code))
    people = {d.name: d.population for d in plan.by_level(AreaLevel.DISTRICT)}
    assert people["海勃湾区"] > people["乌达区"] > people["海南区"]
    for grid in plan.by_level(AreaLevel.GRID):
        low, high = (10, 3000) if grid.grid_type is GridType.DEDICATED else (150, 3000)
        assert low <= grid.population <= high, grid.code


def test_city_is_the_box(shapes: dict[str, Polygon]) -> None:
    south, west, north, east = CITY_BOUNDS
    city = shapes[CITY_CODE]
    assert city.equals(box(west, south, east, north))
    assert len(city.exterior.coords) == 5


def test_every_area_is_one_valid_polygon(plan: CityPlan, shapes: dict[str, Polygon]) -> None:
    assert set(shapes) == {area.code for area in plan.areas}
    for code, shape in shapes.items():
        assert isinstance(shape, Polygon) and shape.is_valid, code
        assert not shape.interiors, code
        assert shape.exterior.is_ccw, code
        assert parse_boundary(to_geojson(shape)).equals(shape)
        where = footprint(shape)
        assert shape.covers(Point(where.centroid_lng, where.centroid_lat)), code


def test_children_tile_their_parent_exactly(plan: CityPlan, shapes: dict[str, Polygon]) -> None:
    for parent in _parents(plan):
        outline = shapes[parent.code]
        children = [shapes[child.code] for child in plan.children(parent.code)]
        assert all(outline.covers(child) for child in children), parent.code
        left, right = shapely.STRtree(children).query(children, predicate="intersects")
        pairs = left < right
        overlap = shapely.area(
            shapely.intersection(
                [children[i] for i in left[pairs]], [children[j] for j in right[pairs]]
            )
        )
        assert not overlap.any(), parent.code
        union = shapely.union_all(children)
        assert union.area == pytest.approx(outline.area, rel=1e-12, abs=0), parent.code
        assert outline.difference(union).area == pytest.approx(0, abs=1e-15), parent.code


def test_map_is_deterministic(plan: CityPlan, shapes: dict[str, Polygon]) -> None:
    here = hashlib.sha256(
        json.dumps([[repr(area), to_geojson(shapes[area.code])] for area in plan.areas]).encode()
    ).hexdigest()
    env = {**os.environ, "PYTHONHASHSEED": "4242"}
    there = subprocess.run(
        [sys.executable, "-c", _DIGEST], env=env, check=True, capture_output=True, text=True
    ).stdout.strip()
    assert here == there


def test_dedicated_grids_are_small_tiles(plan: CityPlan, shapes: dict[str, Polygon]) -> None:
    for grid in plan.by_level(AreaLevel.GRID):
        if grid.grid_type is GridType.DEDICATED:
            siblings = sorted(shapes[g.code].area for g in plan.children(grid.parent_code or ""))
            assert shapes[grid.code].area <= siblings[len(siblings) // 2], grid.code


def test_departments() -> None:
    specs = departments()
    codes = [spec.code for spec in specs]
    assert len(codes) == len(set(codes))
    assert len({spec.duty_phone for spec in specs}) == len(specs)
    for spec in specs:
        # The city's or a district's code, or a street's (9 digits) or community's (12).
        assert re.match(r"^15030[0234](?:[0-9]{3}){0,2}-[A-Z]+$", spec.code)
        assert spec.code.startswith(f"{spec.area_code}-")
        assert len(spec.name) <= 64 and 0 < len(spec.short_name) <= 16
        assert re.match(r"^0473-\d{7}$", spec.duty_phone) and PHONE_PATTERN.match(spec.duty_phone)
        assert (spec.level is DepartmentLevel.CITY) == (spec.area_code == CITY_CODE)
    city = {spec.name for spec in specs if spec.level is DepartmentLevel.CITY}
    assert len(city) >= 35
    for name in (
        "政法委",
        "民政局",
        "城市管理综合执法局",
        "信访局",
        "市场监督管理局",
        "卫生健康委员会",
        "应急管理局",
    ):
        assert any(name in department for department in city), name
    per_district = Counter(
        spec.area_code for spec in specs if spec.level is DepartmentLevel.DISTRICT
    )
    assert set(per_district) == {"150302", "150303", "150304"}
    assert len(set(per_district.values())) == 1
    # Every street and town has its office or government, every community and village
    # its committee: 20 + 83 bodies besides the 87 city and district departments.
    plan = plan_city()
    for level, key, body in (
        (AreaLevel.STREET, STREET_KEY, DepartmentLevel.STREET),
        (AreaLevel.COMMUNITY, COMMUNITY_KEY, DepartmentLevel.COMMUNITY),
    ):
        areas = plan.by_level(level)
        assert {f"{area.code}-{key}" for area in areas} == {
            spec.code for spec in specs if spec.level is body
        }
    assert Counter(spec.level for spec in specs) == {
        DepartmentLevel.CITY: 42,
        DepartmentLevel.DISTRICT: 45,
        DepartmentLevel.STREET: 20,
        DepartmentLevel.COMMUNITY: 83,
    }
    names = {spec.code: spec.name for spec in specs}
    assert names["150302100-JD"] == "千里山镇人民政府"
    assert names["150302001-JD"] == "新华街道办事处"
    assert names["150302100201-SQ"] == "王元地村村民委员会"
    assert names["150302001001-SQ"] == "新华社区居民委员会"
    assert DEMO_DEPARTMENT in codes


def test_channels() -> None:
    kinds = Counter(channel.kind for channel in CHANNELS)
    assert kinds[ChannelKind.HOTLINE] == HOTLINE_COUNT == 41
    assert kinds[ChannelKind.ONLINE] == ONLINE_COUNT == 22
    assert kinds[ChannelKind.GRID] >= 1 and kinds[ChannelKind.WALK_IN] >= 1
    codes = [channel.code for channel in CHANNELS]
    assert len(codes) == len(set(codes))
    department_codes = {spec.code for spec in departments()}
    for channel in CHANNELS:
        assert len(channel.code) <= 32 and len(channel.name) <= 64 and len(channel.number) <= 20
        assert channel.department is None or channel.department in department_codes
        if channel.kind is ChannelKind.HOTLINE:
            assert channel.number and channel.department, channel.code
    numbers = [c.number for c in CHANNELS if c.kind is ChannelKind.HOTLINE]
    assert len(numbers) == len(set(numbers))
    assert {"12345", "12315", "12369", "12333"} <= set(numbers)


def test_people(plan: CityPlan) -> None:
    grids = [grid.code for grid in plan.by_level(AreaLevel.GRID)]
    workers = grid_workers(grids)
    assert [worker.grid_code for worker in workers] == grids
    assert len({worker.username for worker in workers}) == 646
    assert len({worker.phone for worker in workers}) == 646
    for worker in workers:
        assert USERNAME_PATTERN.match(worker.username) and PHONE_PATTERN.match(worker.phone)
        assert 2 <= len(worker.display_name) <= 4
    assert workers[0].username == f"gw-{grids[0].lower()}"
    assert grid_workers(grids) == workers
    assert sorted(DEMO_ACCOUNTS.values()) == sorted(Role)
    assert all(USERNAME_PATTERN.match(username) for username in DEMO_ACCOUNTS)
    assert DEMO_GRID in grids


def test_apportion_and_numbers() -> None:
    assert apportion(10, [1, 1, 1]) == [4, 3, 3]
    assert apportion(10, [1, 0, 0], minimum=2) == [6, 2, 2]
    assert sum(apportion(556_600, [0.3, 0.7, 1.9, 0.01])) == 556_600
    with pytest.raises(ValueError):
        apportion(3, [1, 1], minimum=2)
    numbers = [chinese_number(n) for n in (1, 10, 12, 20, 47)]
    assert numbers == ["一", "十", "十二", "二十", "四十七"]
