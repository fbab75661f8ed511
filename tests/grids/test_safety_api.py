"""safetyIndex and safetyRanking through GraphQL: the explanation's fields, the ranking,
who may ask, and refused arguments."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from starlette.testclient import TestClient

from grids.models import Area
from tests.graphql import data, error_codes, gql, in_app, login
from tests.grids.test_safety_index import COMMUNITY, GRID, NEIGHBOUR, VENDING, WAGES, _plant
from tickets.sla import TicketKind
from wuyou.clock import CITY_TIMEZONE

#: A quarter of its own, far from the other tests' tickets (test_safety_index plants its
#: years from 2061 on, four apart, one per test and backend).
START = datetime(2401, 4, 1, tzinfo=CITY_TIMEZONE)
END = datetime(2401, 7, 1, tzinfo=CITY_TIMEZONE)

INDEX = """query($code: String!, $from: DateTime!, $to: DateTime!) {
  safetyIndex(areaCode: $code, from: $from, to: $to) {
    area { code level } from to previousFrom population populationUsed score previousScore
    change settingsVersion
    dimensions { dimension name score weight contribution change
      inputs { tickets gridEvents weightedCount populationUsed days ratePer10k due onTime
               onTimeShare satisfied unsatisfied satisfactionShare repeats repeatShare
               indicators { code } }
      parts { code name score weight contribution source }
      previous { score inputs { tickets } }
      topCategories(first: 5) { category { code dimension } tickets weightedCount share } } } }"""
RANKING = """query($level: AreaLevel!, $from: DateTime!, $to: DateTime!, $first: Int!,
  $within: String) {
  safetyRanking(level: $level, from: $from, to: $to, first: $first, withinCode: $within) {
    level totalCount entries { rank area { code } score population
      dimensions { dimension score contribution } } } }"""


def _variables(code: str = GRID) -> dict[str, str]:
    return {"code": code, "from": START.isoformat(), "to": END.isoformat()}


def test_an_area_index_explained(client: TestClient) -> None:
    async def plant() -> int:
        day = START + timedelta(days=10)
        await _plant(GRID, VENDING, day)
        await _plant(GRID, VENDING, day, kind=TicketKind.REQUEST)
        await _plant(NEIGHBOUR, WAGES, day)
        await _plant(GRID, WAGES, START - timedelta(days=3))  # the previous quarter
        return (await Area.get(code=GRID)).population

    population = in_app(client, plant)
    agent = login(client, "demo-agent")
    result = data(client, INDEX, _variables(), token=agent)["safetyIndex"]
    assert result["area"] == {"code": GRID, "level": "GRID"}
    assert result["population"] == population and result["settingsVersion"] >= 0
    days = (END - START).days
    order, disputes = result["dimensions"][:2]
    inputs = order["inputs"]
    assert (inputs["tickets"], inputs["weightedCount"], inputs["days"]) == (2, 1.5, days)
    rate = 1.5 / max(population, 500) * 10_000 * 365 / days
    assert math.isclose(inputs["ratePer10k"], rate)
    assert (inputs["due"], inputs["onTimeShare"], inputs["repeatShare"]) == (0, None, 0.0)
    assert [p["code"] for p in order["parts"]] == ["INCIDENTS", "REPEATS"]
    assert math.isclose(sum(p["contribution"] for p in order["parts"]), order["score"])
    assert order["topCategories"] == [
        {
            "category": {"code": VENDING, "dimension": "PUBLIC_ORDER"},
            "tickets": 2,
            "weightedCount": 1.5,
            "share": 1.0,
        }
    ]
    assert order["previous"] == {"score": 100.0, "inputs": {"tickets": 0}}
    assert disputes["previous"]["inputs"]["tickets"] == 1 and disputes["inputs"]["tickets"] == 0
    assert math.isclose(disputes["change"], disputes["score"] - disputes["previous"]["score"])
    total = sum(d["contribution"] for d in result["dimensions"])
    assert math.isclose(total, result["score"])
    assert math.isclose(result["change"], result["score"] - result["previousScore"])

    ranking = data(
        client,
        RANKING,
        {"level": "GRID", "from": START.isoformat(), "to": END.isoformat(), "first": 2,
         "within": COMMUNITY},
        token=agent,
    )["safetyRanking"]  # fmt: skip
    assert [(e["rank"], e["area"]["code"]) for e in ranking["entries"]] == [
        (1, GRID),
        (2, NEIGHBOUR),
    ]
    assert math.isclose(ranking["entries"][0]["score"], result["score"])
    assert ranking["totalCount"] == in_app(
        client, lambda: Area.filter(parent__code=COMMUNITY).count()
    )


def test_who_may_ask_and_refused_arguments(client: TestClient) -> None:
    grid_worker = login(client, "demo-grid")  # serves 150302001001-G01
    assert data(client, INDEX, _variables("150302001001-G01"), token=grid_worker)
    assert data(client, INDEX, _variables("150302"), token=grid_worker)
    assert error_codes(gql(client, INDEX, _variables(), token=grid_worker)) == ["FORBIDDEN"]
    citizen = login(client, "demo-citizen")
    assert error_codes(gql(client, INDEX, _variables(), token=citizen)) == ["FORBIDDEN"]
    ranking = {"level": "DISTRICT", "from": START.isoformat(), "to": END.isoformat(), "first": 5}
    assert error_codes(gql(client, RANKING, ranking, token=citizen)) == ["FORBIDDEN"]
    assert error_codes(gql(client, INDEX, _variables())) == ["UNAUTHENTICATED"]
    admin = login(client, "demo-admin")
    districts = data(client, RANKING, ranking, token=admin)["safetyRanking"]
    assert districts["totalCount"] == len(districts["entries"]) == 3
    for variables, argument in (
        (_variables("nowhere"), "areaCode"),
        ({**_variables(), "to": START.isoformat()}, "to"),
    ):
        body = gql(client, INDEX, variables, token=admin)
        assert error_codes(body) == ["BAD_USER_INPUT"]
        assert body["errors"][0]["extensions"]["argument"] == argument
    body = gql(client, RANKING, {**ranking, "first": 5000}, token=admin)
    assert error_codes(body) == ["BAD_USER_INPUT"]
    assert body["errors"][0]["extensions"]["argument"] == "first"
