"""Grid workers: who sees them, and assigning them."""

from __future__ import annotations

from starlette.testclient import TestClient

from tests.conftest import unique
from tests.graphql import data, error_codes, gql, login

WORKERS = """query($code: String!) { area(code: $code) { gridWorkers { username displayName phone
             title grid { code } } } }"""
ASSIGN = """mutation($input: AssignGridWorkerInput!) { assignGridWorker(input: $input) {
            gridWorker { username grid { code } title } errors { field code message } } }"""
UNASSIGN = """mutation($input: UnassignGridWorkerInput!) { unassignGridWorker(input: $input) {
              gridWorker { username grid { code } } errors { field code } } }"""


def _first_grid(client: TestClient) -> str:
    query = (
        "{ areas(filter: {level: GRID, gridType: COMMUNITY}, first: 1)"
        " { edges { node { code } } } }"
    )
    code: str = data(client, query)["areas"]["edges"][0]["node"]["code"]
    return code


def test_every_grid_has_a_worker(client: TestClient) -> None:
    token = login(client, "demo-agent")
    community = data(
        client,
        "{ areas(filter: {level: COMMUNITY}, first: 1) "
        "{ edges { node { code children { code } } } } }",
    )["areas"]["edges"][0]["node"]
    workers = data(client, WORKERS, {"code": community["code"]}, token=token)["area"]
    served = {w["grid"]["code"] for w in workers["gridWorkers"]}
    assert served == {c["code"] for c in community["children"]}


def test_anonymous_callers_do_not_see_grid_workers(client: TestClient) -> None:
    body = gql(client, WORKERS, {"code": _first_grid(client)})
    assert error_codes(body) == ["UNAUTHENTICATED"]


def test_citizens_see_masked_phones_staff_see_full(client: TestClient) -> None:
    grid = _first_grid(client)
    citizen = data(client, WORKERS, {"code": grid}, token=login(client, "demo-citizen"))
    agent = data(client, WORKERS, {"code": grid}, token=login(client, "demo-agent"))
    masked = citizen["area"]["gridWorkers"][0]["phone"]
    full = agent["area"]["gridWorkers"][0]["phone"]
    assert "****" in masked and "*" not in full
    assert masked[:3] == full[:3] and masked[-4:] == full[-4:]


def _new_worker(client: TestClient, admin: str) -> str:
    username = unique("gw")
    created = data(
        client,
        """mutation($u: String!) { createAccount(input: {username: $u,
        role: GRID_WORKER, displayName: "新网格员", phone: "13900001111"}) {
        errors { code } } }""",
        {"u": username},
        token=admin,
    )["createAccount"]
    assert created["errors"] == []
    return username


def test_admin_assigns_moves_and_unassigns_a_worker(client: TestClient) -> None:
    admin = login(client, "demo-admin")
    username = _new_worker(client, admin)
    grid_a = _first_grid(client)
    grid_b = data(client, "{ areas(filter: {level: GRID}, first: 2) { edges { node { code } } } }")[
        "areas"
    ]["edges"][1]["node"]["code"]
    assigned = data(
        client,
        ASSIGN,
        {"input": {"username": username, "gridCode": grid_a, "title": "兼职网格员"}},
        token=admin,
    )
    assert assigned["assignGridWorker"] == {
        "gridWorker": {"username": username, "grid": {"code": grid_a}, "title": "兼职网格员"},
        "errors": [],
    }
    moved = data(
        client, ASSIGN, {"input": {"username": username, "gridCode": grid_b}}, token=admin
    )["assignGridWorker"]
    assert moved["gridWorker"]["grid"] == {"code": grid_b}
    assert moved["gridWorker"]["title"] == "兼职网格员"
    staff = login(client, "demo-agent")
    on_b = data(client, WORKERS, {"code": grid_b}, token=staff)["area"]["gridWorkers"]
    on_a = data(client, WORKERS, {"code": grid_a}, token=staff)["area"]["gridWorkers"]
    assert username in {w["username"] for w in on_b}
    assert username not in {w["username"] for w in on_a}
    off = data(client, UNASSIGN, {"input": {"username": username}}, token=admin)
    assert off["unassignGridWorker"] == {
        "gridWorker": {"username": username, "grid": None},
        "errors": [],
    }


def test_assignment_errors_name_the_field(client: TestClient) -> None:
    admin = login(client, "demo-admin")
    cases = [
        ({"username": "nobody-at-all", "gridCode": _first_grid(client)}, ("username", "NOT_FOUND")),
        ({"username": "demo-agent", "gridCode": _first_grid(client)}, ("username", "WRONG_ROLE")),
        (
            {"username": _new_worker(client, admin), "gridCode": "150302"},
            ("gridCode", "WRONG_LEVEL"),
        ),
        ({"username": _new_worker(client, admin), "gridCode": "nope"}, ("gridCode", "NOT_FOUND")),
    ]
    for payload, expected in cases:
        result = data(client, ASSIGN, {"input": payload}, token=admin)["assignGridWorker"]
        assert result["gridWorker"] is None
        assert [(e["field"], e["code"]) for e in result["errors"]] == [expected]


def test_only_admins_assign(client: TestClient) -> None:
    body = gql(
        client,
        ASSIGN,
        {"input": {"username": "demo-grid", "gridCode": "x"}},
        token=login(client, "demo-agent"),
    )
    assert error_codes(body) == ["FORBIDDEN"]
