"""The ``wuyou`` command line, run as a user runs it."""

from __future__ import annotations

from pathlib import Path

import httpx2
from starlette.testclient import TestClient
from typer.testing import CliRunner

from api.cli import app
from tests.graphql import data
from tests.live_server import serving

runner = CliRunner()


def test_help_lists_every_command() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("serve", "migrate", "seed", "token", "plugins"):
        assert command in result.output


def test_seed_without_demo_says_what_to_do() -> None:
    result = runner.invoke(app, ["seed"])
    assert result.exit_code == 2
    assert "--demo" in result.output


def test_token_create_issues_a_working_token(client: TestClient, database_url: str) -> None:
    result = runner.invoke(
        app,
        [
            "token",
            "create",
            "--role",
            "AGENT",
            "--username",
            "channel-wechat",
            "--database-url",
            database_url,
        ],
    )
    assert result.exit_code == 0, result.output
    token = result.stdout.strip().splitlines()[-1]
    me = data(client, "{ me { username role } }", token=token)["me"]
    assert me == {"username": "channel-wechat", "role": "AGENT"}


def test_token_create_refuses_a_role_mismatch(database_url: str) -> None:
    result = runner.invoke(
        app,
        [
            "token",
            "create",
            "--role",
            "ADMIN",
            "--username",
            "demo-citizen",
            "--database-url",
            database_url,
        ],
    )
    assert result.exit_code == 1
    assert "CITIZEN" in result.output


def test_plugins_lists_the_builtins_with_their_service_types() -> None:
    result = runner.invoke(app, ["plugins"], env={"COLUMNS": "300"})
    assert result.exit_code == 0
    assert "plugins.builtin.car_moving" in result.output and "car_moving 挪车" in result.output


def test_serve_demo_migrates_seeds_and_serves(tmp_path: Path) -> None:
    settings = {"WUYOU_DATABASE_URL": f"sqlite://{tmp_path / 'serve.sqlite3'}"}
    with serving(tmp_path / "serve.log", settings, "--demo", "--tickets", "2000") as server:
        response = httpx2.post(
            server.graphql, json={"query": "{ areas(filter: {level: GRID}) { totalCount } }"}
        )
        assert response.json() == {"data": {"areas": {"totalCount": 646}}}
