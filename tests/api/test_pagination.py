"""Connections: cursors walk a list exactly once, stay stable, and pages are capped."""

from __future__ import annotations

from datetime import UTC, datetime

from starlette.testclient import TestClient

from grids.models import Area, AreaLevel
from tests.graphql import data, error_codes, gql, in_app

PAGE = """query($f: AreaFilter, $first: Int, $after: String) {
  areas(filter: $f, first: $first, after: $after) {
    totalCount
    edges { cursor node { code } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}"""


def _walk(client: TestClient, area_filter: dict, size: int) -> list[str]:
    codes: list[str] = []
    after = None
    while True:
        page = data(client, PAGE, {"f": area_filter, "first": size, "after": after})["areas"]
        codes += [e["node"]["code"] for e in page["edges"]]
        assert page["pageInfo"]["hasPreviousPage"] is (after is not None)
        if page["edges"]:
            assert page["pageInfo"]["endCursor"] == page["edges"][-1]["cursor"]
        if not page["pageInfo"]["hasNextPage"]:
            return codes
        after = page["pageInfo"]["endCursor"]


def test_walking_pages_visits_every_area_once_in_order(client: TestClient) -> None:
    streets = _walk(client, {"level": "STREET"}, 7)
    assert len(streets) == len(set(streets)) == 20
    assert streets == sorted(streets)
    communities = _walk(client, {"level": "COMMUNITY"}, 100)
    assert len(communities) == 83


def test_filters_combine(client: TestClient) -> None:
    children = _walk(client, {"parentCode": "150302"}, 100)
    assert children and all(len(c) == 9 and c.startswith("150302") for c in children)
    within = _walk(client, {"withinCode": "150303", "level": "GRID"}, 100)
    assert within and all(c.startswith("150303") for c in within)
    assert _walk(client, {"parentCode": "999999"}, 10) == []
    dedicated = _walk(client, {"gridType": "DEDICATED"}, 10)
    assert len(dedicated) == 6 and all("-D" in c for c in dedicated)


def test_cursors_are_stable_when_rows_are_added_before_them(client: TestClient) -> None:
    first = data(client, PAGE, {"f": {"level": "DISTRICT"}, "first": 2})["areas"]
    assert [e["node"]["code"] for e in first["edges"]] == ["150302", "150303"]

    async def add_district() -> None:
        city = await Area.get(code="150300")
        now = datetime.now(UTC)
        await Area.create(
            code="150301",
            name="临时区",
            level=AreaLevel.DISTRICT,
            parent=city,
            path="150300/150301/",
            boundary={"type": "Polygon", "coordinates": []},
            centroid_lat=39.5,
            centroid_lng=106.9,
            min_lat=0,
            min_lng=0,
            max_lat=0,
            max_lng=0,
            created_at=now,
            updated_at=now,
        )

    in_app(client, add_district)
    try:
        rest = data(
            client,
            PAGE,
            {"f": {"level": "DISTRICT"}, "first": 2, "after": first["pageInfo"]["endCursor"]},
        )["areas"]
        assert [e["node"]["code"] for e in rest["edges"]] == ["150304"]
        assert rest["totalCount"] == 4
    finally:
        in_app(client, lambda: Area.filter(code="150301").delete())


def test_page_size_is_capped_at_100(client: TestClient) -> None:
    full = data(client, PAGE, {"f": {"level": "GRID"}, "first": 100})["areas"]
    assert len(full["edges"]) == 100 and full["pageInfo"]["hasNextPage"]
    body = gql(client, PAGE, {"f": {"level": "GRID"}, "first": 101})
    assert error_codes(body) == ["BAD_USER_INPUT"]
    assert body["errors"][0]["extensions"]["argument"] == "first"
    assert error_codes(gql(client, PAGE, {"first": -1})) == ["BAD_USER_INPUT"]


def test_default_page_size(client: TestClient) -> None:
    page = data(client, PAGE, {"f": {"level": "GRID"}})["areas"]
    assert len(page["edges"]) == 20


def test_malformed_or_foreign_cursors_are_bad_input(client: TestClient) -> None:
    for cursor in ("%%%", "bm90LWEtY3Vyc29y", "YXJyYXljb25uZWN0aW9uOjE="):
        body = gql(client, PAGE, {"after": cursor})
        assert error_codes(body) == ["BAD_USER_INPUT"], cursor
        assert body["errors"][0]["extensions"]["argument"] == "after"
