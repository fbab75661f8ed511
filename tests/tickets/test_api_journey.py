"""A ticket's whole life through the ASGI app, as the hotline's people do it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from starlette.testclient import TestClient

from grids.demo import DEMO_GRID
from tests.graphql import data, in_app, login
from tickets.sweeper import sweep_tickets
from wuyou import clock
from wuyou.clock import CITY_TIMEZONE, ManualClock

TICKET_FIELDS = """number status publicStatus kind urgency citizenName citizenPhone
  channel { code } category { code } department { code } grid { code }
  dueAt warning overdue supervised returnCount reopenCount satisfaction reply
  deadlines { sign complete revisit }
  history { action fromStatus toStatus actor note department { code } }
  notes { note actor }"""

CREATE = f"""mutation($input: CreateTicketInput!) {{ createTicket(input: $input) {{
  ticket {{ {TICKET_FIELDS} }} errors {{ field code message }} }} }}"""
TICKET = f"query($n: String!) {{ ticket(number: $n) {{ {TICKET_FIELDS} }} }}"


def step(client: TestClient, mutation: str, token: str, **input: Any) -> dict[str, Any]:
    """Run a ticket mutation and return its payload."""
    name = mutation[0].upper() + mutation[1:]
    query = f"""mutation($input: {name}Input!) {{ {mutation}(input: $input) {{
      ticket {{ {TICKET_FIELDS} }} errors {{ field code message }} }} }}"""
    payload: dict[str, Any] = data(client, query, {"input": input}, token=token)[mutation]
    return payload


def ok(payload: dict[str, Any]) -> dict[str, Any]:
    assert payload["errors"] == [], payload["errors"]
    ticket: dict[str, Any] = payload["ticket"]
    return ticket


def grid_centre(client: TestClient, token: str, code: str = DEMO_GRID) -> dict[str, float]:
    area = data(
        client, "query($c: String!) { area(code: $c) { centroid { lat lng } } }", {"c": code}, token
    )
    centre: dict[str, float] = area["area"]["centroid"]
    return centre


def complaint(client: TestClient, token: str, **extra: Any) -> dict[str, Any]:
    body = {
        "channel": "HL-12345",
        "kind": "COMPLAINT",
        "title": "楼下饭店油烟扰民",
        "content": "楼下饭店油烟直排，窗户都不敢开。",
        "category": "ENVIRONMENT.AIR.CATERING_FUMES",
        "citizenName": "吴十",
        "citizenPhone": "13612345678",
        "location": grid_centre(client, token),
        **extra,
    }
    return ok(data(client, CREATE, {"input": body}, token=token)["createTicket"])


def test_received_returned_redispatched_resolved_reopened_and_closed(client: TestClient) -> None:
    agent, staff = login(client, "demo-agent"), login(client, "demo-department")
    ticket = complaint(client, agent)
    number = ticket["number"]
    assert ticket["status"] == "RECEIVED" and ticket["grid"]["code"] == DEMO_GRID
    assert ticket["citizenPhone"] == "13612345678"  # agents see it

    dispatched = ok(
        step(client, "dispatchTicket", agent, number=number, departmentCode="150300-CG")
    )
    assert dispatched["status"] == "DISPATCHED" and dispatched["dueAt"] is not None
    assert dispatched["dueAt"] == dispatched["deadlines"]["sign"]
    returned = ok(step(client, "returnTicket", staff, number=number, reason="不属于本部门职责"))
    assert returned["status"] == "RETURNED" and returned["department"] is None
    assert returned["returnCount"] == 1
    # The body that returned it still sees it, but can no longer act on it.
    seen = data(client, TICKET, {"n": number}, token=staff)["ticket"]
    assert seen["status"] == "RETURNED"
    refused = step(client, "signTicket", staff, number=number)
    assert [e["code"] for e in refused["errors"]] == ["INVALID_STATE"]

    ok(step(client, "dispatchTicket", agent, number=number, departmentCode="150300-CG"))
    signed = ok(step(client, "signTicket", staff, number=number))
    assert signed["status"] == "IN_PROGRESS"
    assert signed["dueAt"] == signed["deadlines"]["complete"]
    assert signed["citizenPhone"] == "13612345678"  # the body handling it sees it
    noted = ok(step(client, "addTicketNote", staff, number=number, note="已联系商户，约定周三整改"))
    assert noted["notes"] == [{"note": "已联系商户，约定周三整改", "actor": "demo-department"}]
    resolved = ok(step(client, "resolveTicket", staff, number=number, reply="已约谈店主整改。"))
    assert resolved["status"] == "RESOLVED" and resolved["publicStatus"] == "REPLIED"
    assert resolved["dueAt"] == resolved["deadlines"]["revisit"]

    reopened = ok(step(client, "revisitTicket", agent, number=number, answer="UNSATISFIED"))
    assert reopened["status"] == "REOPENED" and reopened["reopenCount"] == 1
    assert reopened["department"]["code"] == "150300-CG"
    ok(step(client, "signTicket", staff, number=number))
    ok(step(client, "resolveTicket", staff, number=number, reply="已安装油烟净化器。"))
    closed = ok(step(client, "revisitTicket", agent, number=number, answer="SATISFIED"))
    assert closed["status"] == "CLOSED" and closed["satisfaction"] == "SATISFIED"
    assert closed["dueAt"] is None and closed["warning"] == "NONE"

    actions = [e["action"] for e in closed["history"]]
    assert actions == [
        "RECEIVE", "DISPATCH", "RETURN", "DISPATCH", "SIGN", "ADD_NOTE", "RESOLVE",
        "REVISIT", "SIGN", "RESOLVE", "REVISIT",
    ]  # fmt: skip
    assert closed["history"][2]["note"] == "不属于本部门职责"
    assert closed["history"][2]["actor"] == "demo-department"
    to_statuses = [e["toStatus"] for e in closed["history"]]
    assert to_statuses[-4:] == ["REOPENED", "IN_PROGRESS", "RESOLVED", "CLOSED"]


def test_an_illegal_step_is_refused_with_a_code_and_changes_nothing(client: TestClient) -> None:
    agent, staff = login(client, "demo-agent"), login(client, "demo-department")
    number = complaint(client, agent)["number"]
    for mutation, token, extra in (
        ("signTicket", staff, {}),
        ("resolveTicket", staff, {"reply": "已处理"}),
        ("revisitTicket", agent, {"answer": "SATISFIED"}),
        ("returnTicket", staff, {"reason": "不归我管"}),
    ):
        payload = step(client, mutation, token, number=number, **extra)
        assert payload["ticket"] is None
        errors = [(e["field"], e["code"]) for e in payload["errors"]]
        assert errors == [("number", "INVALID_STATE")], (mutation, payload)
    after = data(client, TICKET, {"n": number}, token=agent)["ticket"]
    assert after["status"] == "RECEIVED" and len(after["history"]) == 1


def test_each_role_sees_what_it_should(client: TestClient) -> None:
    agent, staff = login(client, "demo-agent"), login(client, "demo-department")
    worker, citizen = login(client, "demo-grid"), login(client, "demo-citizen")
    number = complaint(client, agent)["number"]
    # Not yet dispatched: the body does not see it; the grid's worker does, masked.
    assert data(client, TICKET, {"n": number}, token=staff)["ticket"] is None
    seen = data(client, TICKET, {"n": number}, token=worker)["ticket"]
    assert seen["citizenPhone"] == "136****5678" and seen["citizenName"] == "吴*"
    # Someone else's ticket does not exist for a citizen.
    assert data(client, TICKET, {"n": number}, token=citizen)["ticket"] is None

    ok(step(client, "dispatchTicket", agent, number=number, departmentCode="150300-CG"))
    assert data(client, TICKET, {"n": number}, token=staff)["ticket"]["citizenPhone"] == (
        "13612345678"
    )

    own = ok(
        data(
            client,
            CREATE,
            {
                "input": {
                    "channel": "OL-WECHAT-MP",
                    "kind": "CONSULTATION",
                    "title": "供暖费怎么交",
                    "content": "请问今年供暖费在哪里缴纳？",
                    "citizenPhone": "13712345678",
                }
            },
            token=citizen,
        )["createTicket"]
    )
    ok(step(client, "resolveAtIntake", agent, number=own["number"], reply="可在微信小程序缴纳。"))
    mine = data(client, TICKET, {"n": own["number"]}, token=citizen)["ticket"]
    assert mine["publicStatus"] == "REPLIED" and mine["reply"] == "可在微信小程序缴纳。"
    assert all(e["actor"] is None for e in mine["history"])
    internals = ("status", "dueAt", "warning", "overdue", "supervised", "returnCount")
    assert [mine[name] for name in internals] == [None] * len(internals)
    assert mine["deadlines"] is None


@pytest.fixture
def city_clock() -> Iterator[ManualClock]:
    """A clock on a Monday morning in 2031, far from other tests' tickets."""
    manual = ManualClock(datetime(2031, 3, 3, 9, 0, tzinfo=CITY_TIMEZONE))
    previous = clock.install(manual)
    try:
        yield manual
    finally:
        clock.install(previous)


def test_warnings_and_supervision_appear_as_the_clock_moves(
    client: TestClient, city_clock: ManualClock
) -> None:
    agent = login(client, "demo-agent")
    number = complaint(client, agent)["number"]
    dispatched = ok(
        step(client, "dispatchTicket", agent, number=number, departmentCode="150300-CG")
    )
    due = datetime.fromisoformat(dispatched["dueAt"])
    assert due == datetime(2031, 3, 5, 0, 0, tzinfo=CITY_TIMEZONE)  # by the end of Tuesday

    city_clock.set(due - timedelta(hours=2))  # past 80% of the day
    in_app(client, sweep_tickets)
    agent = login(client, "demo-agent")  # tokens last a shift: sign in again
    yellow = data(client, TICKET, {"n": number}, token=agent)["ticket"]
    assert yellow["warning"] == "YELLOW" and not yellow["overdue"] and not yellow["supervised"]

    city_clock.set(due + timedelta(minutes=1))
    in_app(client, sweep_tickets)
    agent = login(client, "demo-agent")
    red = data(client, TICKET, {"n": number}, token=agent)["ticket"]
    assert red["warning"] == "RED" and red["overdue"] and red["supervised"]
    assert red["history"][-1]["action"] == "SUPERVISE" and red["history"][-1]["actor"] is None

    listed = data(
        client,
        """query { tickets(filter: {overdue: true, department: "150300-CG",
             createdFrom: "2031-03-01T00:00:00+08:00"}, first: 100) {
             totalCount edges { node { number warning } } } }""",
        token=agent,
    )["tickets"]
    assert number in [e["node"]["number"] for e in listed["edges"]]
