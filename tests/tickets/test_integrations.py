"""Channel integrations: a service account bound to one channel submits tickets there and
follows the ones it submitted, as a citizen would see them."""

from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient
from typer.testing import CliRunner

from api.cli import app
from tests.conftest import unique
from tests.graphql import data, error_codes, gql, login
from tests.tickets.test_api_journey import CREATE, TICKET, complaint, ok, step

runner = CliRunner()
LIST = "{ tickets(first: 100) { totalCount edges { node { number } } } }"


def _submit(client: TestClient, token: str, channel: str) -> dict[str, Any]:
    body = {
        "channel": channel,
        "kind": "REQUEST",
        "title": "小区路灯不亮",
        "content": "小区门口路灯坏了一周。",
        "citizenPhone": "13712345678",
    }
    payload: dict[str, Any] = data(client, CREATE, {"input": body}, token=token)["createTicket"]
    return payload


def test_an_integration_submits_on_its_channel_and_follows_its_tickets(
    client: TestClient,
) -> None:
    integration, agent = login(client, "demo-integration"), login(client, "demo-agent")
    refused = _submit(client, integration, "HL-12345")
    assert [(e["field"], e["code"]) for e in refused["errors"]] == [("channel", "INVALID")]
    mine = ok(_submit(client, integration, "OL-WECHAT-MP"))
    assert mine["channel"] == {"code": "OL-WECHAT-MP"} and mine["status"] is None
    assert mine["citizenPhone"] == "137****5678"

    ok(step(client, "dispatchTicket", agent, number=mine["number"], departmentCode="150300-CG"))
    seen = data(client, TICKET, {"n": mine["number"]}, token=integration)["ticket"]
    assert seen["publicStatus"] == "ACCEPTED"
    assert [e["action"] for e in seen["history"]] == ["RECEIVE", "DISPATCH"]
    others = complaint(client, agent)["number"]
    assert data(client, TICKET, {"n": others}, token=integration)["ticket"] is None
    listed = data(client, LIST, token=integration)["tickets"]
    assert others not in [e["node"]["number"] for e in listed["edges"]]
    assert mine["number"] in [e["node"]["number"] for e in listed["edges"]]
    dispatch = gql(
        client,
        """mutation($n: String!) { dispatchTicket(input: {number: $n,
             departmentCode: "150300-CG"}) { errors { code } } }""",
        {"n": others},
        token=integration,
    )
    assert error_codes(dispatch) == ["FORBIDDEN"]


CREATE_ACCOUNT = """mutation($input: CreateAccountInput!) { createAccount(input: $input) {
    account { username role } errors { field code } } }"""


def test_integration_accounts_need_their_channel(client: TestClient) -> None:
    admin = login(client, "demo-admin")

    def create(role: str, **extra: str) -> dict[str, Any]:
        body = {"username": unique("int"), "role": role, "displayName": "接入", **extra}
        result: dict[str, Any] = data(client, CREATE_ACCOUNT, {"input": body}, admin)
        return result["createAccount"]

    assert create("INTEGRATION")["errors"] == [{"field": "channelCode", "code": "REQUIRED"}]
    assert create("INTEGRATION", channelCode="OL-NOPE")["errors"] == [
        {"field": "channelCode", "code": "NOT_FOUND"}
    ]
    assert create("AGENT", channelCode="OL-PORTAL")["errors"] == [
        {"field": "channelCode", "code": "INVALID"}
    ]
    assert create("INTEGRATION", channelCode="OL-PORTAL")["account"]["role"] == "INTEGRATION"


def test_token_create_binds_an_integration_to_its_channel(
    client: TestClient, database_url: str
) -> None:
    username = unique("portal")
    command = ["token", "create", "--role", "INTEGRATION", "--username", username]
    assert runner.invoke(app, [*command, "--database-url", database_url]).exit_code == 2
    result = runner.invoke(
        app, [*command, "--channel", "OL-PORTAL", "--database-url", database_url]
    )
    assert result.exit_code == 0, result.output
    token = result.stdout.strip().splitlines()[-1]
    ok(_submit(client, token, "OL-PORTAL"))
    elsewhere = runner.invoke(
        app, [*command, "--channel", "OL-EMAIL", "--database-url", database_url]
    )
    assert elsewhere.exit_code == 1 and "OL-PORTAL" in elsewhere.output
