"""The five-level hierarchy through the API: counts, relations, global ids."""

from __future__ import annotations

import re

from starlette.testclient import TestClient

from tests.graphql import data, error_codes, gql

COUNT = "query($f: AreaFilter) { areas(filter: $f, first: 1) { totalCount } }"
CODE_FORMS = {
    "CITY": r"^\d{6}$",
    "DISTRICT": r"^\d{6}$",
    "STREET": r"^\d{9}$",
    "COMMUNITY": r"^\d{12}$",
    "GRID": r"^\d{12}-[GD]\d{2}$",
}


def _count(client: TestClient, **area_filter: str) -> int:
    total: int = data(client, COUNT, {"f": area_filter})["areas"]["totalCount"]
    return total


def test_counts_per_level_match_wuhai(client: TestClient) -> None:
    assert {level: _count(client, level=level) for level in CODE_FORMS} == {
        "CITY": 1,
        "DISTRICT": 3,
        "STREET": 20,
        "COMMUNITY": 83,
        "GRID": 646,
    }
    assert _count(client, level="GRID", gridType="DEDICATED") == 6
    assert (
        _count(client, level="GRID", gridType="COMMUNITY")
        + _count(client, level="GRID", gridType="RURAL")
    ) == 640


def test_districts_have_their_national_codes(client: TestClient) -> None:
    districts = data(client, '{ area(code: "150300") { name children { code name } } }')["area"]
    assert districts["name"] == "乌海市"
    assert {(d["code"], d["name"]) for d in districts["children"]} == {
        ("150302", "海勃湾区"),
        ("150303", "海南区"),
        ("150304", "乌达区"),
    }


def test_codes_nest_and_populations_add_up(client: TestClient) -> None:
    query = """query($code: String!) { area(code: $code) { code level population
               children { code level population } } }"""
    city = data(client, query, {"code": "150300"})["area"]
    assert city["population"] == 556_600
    frontier = [city]
    while frontier:
        area = frontier.pop()
        assert re.match(CODE_FORMS[area["level"]], area["code"])
        children = data(client, query, {"code": area["code"]})["area"]["children"]
        if area["level"] == "GRID":
            assert children == []
            continue
        assert children, area["code"]
        assert sum(c["population"] for c in children) == area["population"]
        for child in children:
            assert child["code"].startswith(area["code"] if area["level"] != "CITY" else "1503")
        # Walk one branch fully, sample the rest, to keep the test quick.
        frontier.extend(children[:1] if area["level"] in ("STREET", "COMMUNITY") else children)


def test_ancestors_run_from_city_to_parent(client: TestClient) -> None:
    grid = data(
        client,
        """{ areas(filter: {level: GRID}, first: 1) { edges { node {
        code parent { code } ancestors { code level } } } } }""",
    )["areas"]["edges"][0]["node"]
    levels = [a["level"] for a in grid["ancestors"]]
    assert levels == ["CITY", "DISTRICT", "STREET", "COMMUNITY"]
    assert grid["ancestors"][-1]["code"] == grid["parent"]["code"]
    assert grid["ancestors"][0]["code"] == "150300"


def test_node_resolves_global_ids(client: TestClient) -> None:
    area = data(client, '{ area(code: "150302") { id name } }')["area"]
    node = data(
        client,
        "query($id: ID!) { node(id: $id) { id ... on Area { code name } } }",
        {"id": area["id"]},
    )["node"]
    assert node == {"id": area["id"], "code": "150302", "name": area["name"]}
    department = data(client, "{ departments { id code } }")["departments"][0]
    found = data(
        client,
        "query($id: ID!) { node(id: $id) { ... on Department { code } } }",
        {"id": department["id"]},
    )["node"]
    assert found == {"code": department["code"]}


def test_node_with_a_malformed_id_is_an_error_not_a_crash(client: TestClient) -> None:
    body = gql(client, '{ node(id: "not-base64!") { id } }')
    assert body["errors"] and "INTERNAL_SERVER_ERROR" not in error_codes(body)


def test_boundary_and_centroid(client: TestClient) -> None:
    area = data(client, '{ area(code: "150300") { centroid { lat lng } boundary } }')["area"]
    assert area["boundary"]["type"] in ("Polygon", "MultiPolygon")
    assert 39.25 <= area["centroid"]["lat"] <= 39.95
    assert 106.60 <= area["centroid"]["lng"] <= 107.15


def test_catalogues(client: TestClient) -> None:
    channels = data(
        client,
        "{ hotline: channels(kind: HOTLINE) { code number } "
        "online: channels(kind: ONLINE) { code } "
        "grid: channels(kind: GRID) { code } "
        "walkIn: channels(kind: WALK_IN) { code } }",
    )
    assert len(channels["hotline"]) == 41
    assert len(channels["online"]) == 22
    assert channels["grid"] and channels["walkIn"]
    assert {"12345", "12315", "12369", "12333"} <= {c["number"] for c in channels["hotline"]}
    departments = data(client, "{ departments { code name level area { level } } }")["departments"]
    names = "".join(d["name"] for d in departments)
    for needed in ("公安", "民政", "城市管理", "信访", "市场监督", "卫生健康", "应急管理", "政法"):
        assert needed in names, needed
    assert {d["level"] for d in departments} == {"CITY", "DISTRICT", "STREET", "COMMUNITY"}
    district = data(
        client, '{ departments(level: DISTRICT, areaCode: "150302") { area { code } } }'
    )
    assert {d["area"]["code"] for d in district["departments"]} == {"150302"}
