"""Client applications' keys from the command line: created, listed, used, revoked;
stored as digests only."""

from __future__ import annotations

import asyncio

from starlette.testclient import TestClient
from typer.testing import CliRunner

from accounts.client_keys import digest_of, issue_client_key
from accounts.models import Account, ClientKey, Role
from accounts.service import create_account
from api.app import create_app
from api.cli import app
from api.settings import Settings
from tests.conftest import unique
from tests.graphql import data, error_codes, gql, in_app, login
from tests.open311.conftest import post
from tickets.models import Ticket

runner = CliRunner()


def _cli(settings: Settings, *args: str) -> str:
    result = runner.invoke(
        app, [*args, "--database-url", settings.database_url], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0, result.output
    return result.output


def test_an_operator_creates_lists_and_revokes_keys(settings: Settings) -> None:
    name = unique("city-app")
    created = _cli(settings, "open311", "key", "create", "--name", name)
    key = created.strip().splitlines()[-1]
    assert key.startswith("wy_") and len(key) > 40
    listing = _cli(settings, "open311", "key", "list")
    prefix = key[:12]
    assert name in listing and prefix in listing and key not in listing
    with TestClient(create_app(settings)) as client:
        rows = in_app(client, lambda: ClientKey.filter(prefix=prefix).values("digest"))
        assert rows == [{"digest": digest_of(key)}]  # the key itself is kept nowhere
        assert post(client, key, description="新密钥可用").status_code == 200
    # Another key for the same application (rotation), then the first one revoked.
    account = asyncio.run(_account_of(settings, prefix))
    rotated = _cli(settings, "open311", "key", "create", "--name", name, "--account", account)
    second = rotated.strip().splitlines()[-1]
    assert "Revoked" in _cli(settings, "open311", "key", "revoke", prefix)
    with TestClient(create_app(settings)) as client:
        assert post(client, key, description="旧密钥").status_code == 403
        assert post(client, second, description="新密钥").status_code == 200
    unknown = runner.invoke(
        app, ["open311", "key", "revoke", "wy_nope", "--database-url", settings.database_url]
    )
    assert unknown.exit_code == 1


async def _account_of(settings: Settings, prefix: str) -> str:
    from api import db

    await db.connect(settings.database_url, all_tasks=False)
    try:
        row = await ClientKey.get(prefix=prefix).prefetch_related("account")
        return str(row.account.username)
    finally:
        await db.disconnect()


CREATE = """mutation($input: CreateClientKeyInput!) { createClientKey(input: $input) {
  key clientKey { prefix name revokedAt account { username role } }
  errors { field code message } } }"""
REVOKE = """mutation($prefix: String!) { revokeClientKey(input: {prefix: $prefix}) {
  clientKey { prefix revokedAt } errors { field code } } }"""


def test_administrators_issue_and_revoke_keys_in_graphql(client: TestClient) -> None:
    admin = login(client, "demo-admin")
    username = unique("wechat-mp")
    created = data(
        client,
        """mutation($u: String!) { createAccount(input: {username: $u, role: INTEGRATION,
          displayName: "小程序", channelCode: "OL-WECHAT-MP"}) { errors { code } } }""",
        {"u": username},
        admin,
    )["createAccount"]
    assert created["errors"] == []
    issued = data(client, CREATE, {"input": {"username": username, "name": "微信小程序"}}, admin)
    payload = issued["createClientKey"]
    assert payload["errors"] == [] and payload["key"].startswith(payload["clientKey"]["prefix"])
    assert payload["clientKey"]["account"] == {"username": username, "role": "INTEGRATION"}
    # Its requests come in on the account's own channel.
    response = post(client, payload["key"], description="小程序提交的油烟诉求")
    assert response.status_code == 200, response.text
    number = response.json()[0]["service_request_id"]
    channel = in_app(client, lambda: Ticket.get(number=number).values("channel__code"))
    assert channel == {"channel__code": "OL-WECHAT-MP"}
    listed = data(client, "{ clientKeys { prefix name } }", token=admin)["clientKeys"]
    assert {"prefix": payload["clientKey"]["prefix"], "name": "微信小程序"} in listed
    revoked = data(client, REVOKE, {"prefix": payload["clientKey"]["prefix"]}, admin)
    assert revoked["revokeClientKey"]["clientKey"]["revokedAt"] is not None
    assert post(client, payload["key"], description="吊销之后").status_code == 403
    for wrong, code in ((unique("nobody"), "NOT_FOUND"), ("demo-agent", "WRONG_ROLE")):
        errors = data(client, CREATE, {"input": {"username": wrong, "name": "x"}}, admin)
        assert errors["createClientKey"]["errors"][0]["field"] == "username"
        assert errors["createClientKey"]["errors"][0]["code"] == code
    missing = data(client, REVOKE, {"prefix": "wy_missing"}, admin)["revokeClientKey"]
    assert missing["errors"] == [{"field": "prefix", "code": "NOT_FOUND"}]
    agent = login(client, "demo-agent")
    for operation, variables in (
        (CREATE, {"input": {"username": username, "name": "x"}}),
        (REVOKE, {"prefix": "wy_x"}),
        ("{ clientKeys { prefix } }", {}),
    ):
        assert error_codes(gql(client, operation, variables, agent)) == ["FORBIDDEN"]


def test_a_key_whose_account_has_no_channel_cannot_submit(client: TestClient) -> None:
    async def unbound_key() -> str:
        account = await create_account(
            username=unique("unbound"), role=Role.INTEGRATION, display_name="未绑定渠道"
        )
        return (await issue_client_key(name="unbound", account_id=account.id, actor=None)).key

    key = in_app(client, unbound_key)
    response = post(client, key, description="没有渠道")
    assert response.status_code == 403 and "channel" in response.json()[0]["description"]


def test_a_refused_key_leaves_no_account_behind(settings: Settings) -> None:
    name = "x" * 65  # one character too many for a client application's name
    result = runner.invoke(
        app, ["open311", "key", "create", "--name", name, "--database-url", settings.database_url]
    )
    assert result.exit_code == 1 and "1–64" in result.output
    with TestClient(create_app(settings)) as client:
        prefix = "open311-" + "x" * 40
        assert not in_app(client, Account.filter(username__startswith=prefix).exists)
