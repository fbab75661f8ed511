"""The ``wuyou`` command line, run as a user runs it."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx2
from starlette.testclient import TestClient
from typer.testing import CliRunner

from api.cli import app
from tests.conftest import free_port
from tests.graphql import data

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
    port = free_port()
    env = {**os.environ, "WUYOU_DATABASE_URL": f"sqlite://{tmp_path / 'serve.sqlite3'}"}
    log = tmp_path / "serve.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "api",
                "serve",
                "--demo",
                "--tickets",
                "2000",
                "--port",
                str(port),
            ],
            cwd=tmp_path,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 90
        while True:
            assert server.poll() is None, log.read_text()
            try:
                if httpx2.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                    break
            except httpx2.TransportError:
                pass
            assert time.monotonic() < deadline, "server did not come up"
            time.sleep(0.3)
        response = httpx2.post(
            f"http://127.0.0.1:{port}/graphql",
            json={"query": "{ areas(filter: {level: GRID}) { totalCount } }"},
        )
        assert response.json() == {"data": {"areas": {"totalCount": 646}}}
    finally:
        server.terminate()
        server.wait(timeout=20)
