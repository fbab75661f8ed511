"""hotlineStats agrees with a count made independently from the tickets the API returns."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.graphql import data, in_app, login
from tests.tickets.test_api_journey import complaint, ok, step
from tests.tickets.test_list_plans import _statements
from tickets.sweeper import sweep_tickets
from wuyou import clock
from wuyou.clock import CITY_TIMEZONE, ManualClock

MONDAY = datetime(2032, 6, 7, 9, 0, tzinfo=CITY_TIMEZONE)
WINDOW = {"from": MONDAY.isoformat(), "to": (MONDAY + timedelta(days=7)).isoformat()}

LIST = """query($filter: TicketFilter, $after: String) {
  tickets(filter: $filter, first: 100, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { node { number status channel { code } department { code }
      resolvedAtIntake reopenCount returnCount dispatchedAt signedAt resolvedAt
      deadlines { sign complete } satisfaction overdue } } } }"""
STATS = """query($filter: HotlineStatsFilter!) { hotlineStats(filter: $filter) {
  total { received resolvedAtIntake firstContactRate dispatched completed completedOnTime
          onTimeCompletionRate signed signedOnTime returns overdueNow revisited satisfied
          basicallySatisfied unsatisfied satisfactionRate }
  byChannel { key figures { received } } byDay { key figures { received } } } }"""


@pytest.fixture
def week_clock() -> Iterator[ManualClock]:
    manual = ManualClock(MONDAY)
    previous = clock.install(manual)
    try:
        yield manual
    finally:
        clock.install(previous)


def _all_tickets(client: TestClient, token: str) -> list[dict[str, Any]]:
    window = {"createdFrom": WINDOW["from"], "createdTo": WINDOW["to"]}
    nodes, after = [], None
    while True:
        page = data(client, LIST, {"filter": window, "after": after}, token)["tickets"]
        nodes += [e["node"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            return nodes
        after = page["pageInfo"]["endCursor"]


def _walk(client: TestClient, manual: ManualClock) -> None:
    """A week of the hotline: answered at once, closed on time and late, reopened, returned."""
    agent, staff = login(client, "demo-agent"), login(client, "demo-department")

    def dispatched() -> str:
        number: str = complaint(client, agent)["number"]
        ok(step(client, "dispatchTicket", agent, number=number, departmentCode="150300-CG"))
        return number

    for answer in ("SATISFIED", "BASICALLY_SATISFIED", "UNSATISFIED", "SATISFIED"):
        number = dispatched()
        ok(step(client, "signTicket", staff, number=number))
        ok(step(client, "resolveTicket", staff, number=number, reply="已处理。"))
        ok(step(client, "revisitTicket", agent, number=number, answer=answer))
        if answer == "UNSATISFIED":  # 重办: handled again, and the second answer is kept too
            ok(step(client, "signTicket", staff, number=number))
            ok(step(client, "resolveTicket", staff, number=number, reply="已重新处理。"))
            ok(step(client, "revisitTicket", agent, number=number, answer="SATISFIED"))
    for _ in range(3):
        number = complaint(client, agent, channel="WALKIN-12345")["number"]
        ok(step(client, "resolveAtIntake", agent, number=number, reply="已当场答复。"))
        ok(step(client, "revisitTicket", agent, number=number, answer="SATISFIED"))
    returned = dispatched()
    ok(step(client, "returnTicket", staff, number=returned, reason="非本部门职责"))
    late = dispatched()
    manual.advance(timedelta(days=2))  # past the sign deadline
    staff = login(client, "demo-department")
    agent = login(client, "demo-agent")
    ok(step(client, "signTicket", staff, number=late))
    left_waiting = complaint(client, agent)["number"]
    ok(step(client, "dispatchTicket", agent, number=left_waiting, departmentCode="150300-CG"))
    manual.advance(timedelta(days=3))
    in_app(client, sweep_tickets)


def test_the_kpis_match_the_tickets_listed(client: TestClient, week_clock: ManualClock) -> None:
    _walk(client, week_clock)
    agent = login(client, "demo-agent")
    tickets = _all_tickets(client, agent)
    stats = data(client, STATS, {"filter": WINDOW}, agent)["hotlineStats"]
    total = stats["total"]

    def count(predicate: Any) -> int:
        return sum(1 for t in tickets if predicate(t))

    completed = [t for t in tickets if t["resolvedAt"] and t["dispatchedAt"]]
    completed = [t for t in completed if t["status"] in ("RESOLVED", "CLOSED")]
    signed = [t for t in tickets if t["signedAt"]]
    # Every revisit counts: the answer kept on the ticket, and each reopening (an
    # unsatisfied revisit) before it.
    answers = Counter(t["satisfaction"] for t in tickets if t["satisfaction"])
    answers["UNSATISFIED"] = sum(t["reopenCount"] for t in tickets)
    revisited = sum(answers.values())
    assert total["received"] == len(tickets) == 10
    assert total["resolvedAtIntake"] == count(
        lambda t: t["resolvedAtIntake"] and t["reopenCount"] == 0
    )
    assert total["dispatched"] == count(lambda t: t["dispatchedAt"])
    assert total["completed"] == len(completed)
    assert total["completedOnTime"] == sum(
        1 for t in completed if t["resolvedAt"] <= t["deadlines"]["complete"]
    )
    assert total["signed"] == len(signed)
    assert total["signedOnTime"] == sum(
        1 for t in signed if t["signedAt"] <= t["deadlines"]["sign"]
    )
    assert total["returns"] == sum(t["returnCount"] for t in tickets)
    assert total["overdueNow"] == count(lambda t: t["overdue"])
    window = {"createdFrom": WINDOW["from"], "createdTo": WINDOW["to"], "overdue": True}
    listed = data(client, LIST, {"filter": window}, agent)["tickets"]["edges"]
    assert total["overdueNow"] == len(listed)
    assert total["revisited"] == revisited
    assert total["satisfied"] == answers["SATISFIED"]
    assert total["basicallySatisfied"] == answers["BASICALLY_SATISFIED"]
    assert total["unsatisfied"] == answers["UNSATISFIED"]
    assert total["satisfactionRate"] == pytest.approx(
        (answers["SATISFIED"] + answers["BASICALLY_SATISFIED"]) / revisited
    )
    assert total["firstContactRate"] == pytest.approx(total["resolvedAtIntake"] / len(tickets))
    by_channel = Counter(t["channel"]["code"] for t in tickets)
    assert {r["key"]: r["figures"]["received"] for r in stats["byChannel"]} == by_channel
    assert sum(r["figures"]["received"] for r in stats["byDay"]) == len(tickets)
    # The week as walked: 5 revisits of tickets handled by departments (one unsatisfied,
    # reopened and satisfied the second time), 3 answered at intake, 1 returned, 1 signed
    # late, 1 left waiting past its sign deadline.
    assert (total["revisited"], total["unsatisfied"], total["returns"]) == (8, 1, 1)
    assert total["signed"] - total["signedOnTime"] == 1 and total["overdueNow"] == 1


def test_hotline_stats_computes_the_breakdowns_selected_only(client: TestClient) -> None:
    agent = login(client, "demo-agent")
    query = """query($filter: HotlineStatsFilter!) { hotlineStats(filter: $filter) {
      total { received } ...desks } }
    fragment desks on HotlineStats { byDesk { desk received } }"""
    for _ in range(2):  # the standard executor, then the compiled path
        with _statements() as seen:
            stats = data(client, query, {"filter": WINDOW}, agent)["hotlineStats"]
        assert stats["byDesk"]  # every desk is listed
        sent = " ".join(sql for sql, _ in seen)
        assert '"desk" IN' in sent and "cited_article_id" not in sent
        assert '"category_id","department_id"' not in sent.replace(" ", "")
