"""Client applications' keys from the command line: created, listed, used, revoked;
stored as digests only."""

from __future__ import annotations

import asyncio

from starlette.testclient import TestClient
from typer.testing import CliRunner

from accounts.client_keys import digest_of
from accounts.models import ClientKey
from api.app import create_app
from api.cli import app
from api.settings import Settings
from tests.conftest import unique
from tests.graphql import in_app
from tests.open311.conftest import post

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
        assert post(client, key, description="新密钥可用").status_code == 201
    # Another key for the same application (rotation), then the first one revoked.
    account = asyncio.run(_account_of(settings, prefix))
    rotated = _cli(settings, "open311", "key", "create", "--name", name, "--account", account)
    second = rotated.strip().splitlines()[-1]
    assert "Revoked" in _cli(settings, "open311", "key", "revoke", prefix)
    with TestClient(create_app(settings)) as client:
        assert post(client, key, description="旧密钥").status_code == 403
        assert post(client, second, description="新密钥").status_code == 201
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
