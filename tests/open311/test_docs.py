"""Every example in docs/open311.md, run: the commands at the command line, the HTTP
requests against the app, each answer checked against the documented status and shape."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from starlette.testclient import TestClient
from typer.testing import CliRunner

from api.app import create_app
from api.cli import app
from api.open311.clients import create_client_key
from api.settings import Settings
from tests.graphql import data, in_app, login

DOC = Path(__file__).parents[2] / "docs" / "open311.md"
_BLOCK = re.compile(r"```(\w+)\n(.*?)```", re.S)


def _blocks() -> list[tuple[str, str]]:
    return [(lang, text) for lang, text in _BLOCK.findall(DOC.read_text(encoding="utf-8"))]


def test_the_commands_run(settings: Settings) -> None:
    commands = [
        line.removeprefix("$ ")
        for lang, text in _blocks()
        if lang == "console"
        for line in text.splitlines()
    ]
    assert len(commands) == 3
    prefix = ""
    for command in commands:
        argv = shlex.split(command.replace("<prefix>", prefix))
        assert argv[0] == "wuyou"
        result = CliRunner().invoke(
            app, [*argv[1:], "--database-url", settings.database_url], env={"COLUMNS": "200"}
        )
        assert result.exit_code == 0, (command, result.output)
        if argv[1:4] == ["open311", "key", "create"]:
            prefix = result.output.strip().splitlines()[-1][:12]


def test_the_graphql_operations_run(settings: Settings) -> None:
    operations = [text for lang, text in _blocks() if lang == "graphql"]
    assert len(operations) == 2
    with TestClient(create_app(settings)) as client:
        admin = login(client, "demo-admin")
        prefix = ""
        for operation in operations:
            result = data(client, operation.replace("<prefix>", prefix), token=admin)
            (payload,) = result.values()
            assert payload["errors"] == [], payload
            prefix = payload["clientKey"]["prefix"]
        assert payload["clientKey"]["revokedAt"] is not None


def test_the_http_examples_answer_as_documented(settings: Settings) -> None:
    blocks = _blocks()
    examples = [
        (request, blocks[i + 1]) for i, (lang, request) in enumerate(blocks) if lang == "http"
    ]
    assert len(examples) == 7
    with TestClient(create_app(settings)) as client:
        key = in_app(client, lambda: create_client_key(name="城市随手拍")).key
        values = {"api_key": key}
        for request, (lang, documented) in examples:
            response = _send(client, request, values)
            status_line, _, body = documented.partition("\n\n")
            assert response.status_code == int(status_line.split()[1]), (request, response.text)
            if lang == "json":
                _same_shape(json.loads(body), response.json())
                if request.startswith("POST") and response.status_code == 200:
                    values["service_request_id"] = response.json()[0]["service_request_id"]
            else:
                expected, actual = (
                    ElementTree.fromstring(body.strip()),
                    ElementTree.fromstring(response.content),
                )
                assert expected.tag == actual.tag
                assert {e.tag for e in expected[0]} <= {e.tag for e in actual[0]}


def _send(client: TestClient, request: str, values: dict[str, str]) -> Any:
    head, _, body = request.strip().partition("\n\n")
    first, *header_lines = head.splitlines()
    method, path = first.split()
    headers = dict(line.split(": ", 1) for line in header_lines)
    path = path.format(**values)
    if method == "GET":
        return client.get(path, headers=headers)
    pairs = [pair.split("=", 1) for pair in body.strip().split("&")]
    form = [(name, value.format(**values)) for name, value in pairs]
    headers.pop("Content-Type")
    return client.post(path, data=_grouped(form), headers=headers)


def _grouped(pairs: list[tuple[str, str]]) -> dict[str, str | list[str]]:
    grouped: dict[str, str | list[str]] = {}
    for name, value in pairs:
        if name.endswith("[]"):
            listed = grouped.setdefault(name, [])
            assert isinstance(listed, list)
            listed.append(value)
        else:
            grouped[name] = value
    return grouped


def _same_shape(expected: Any, actual: Any) -> None:
    if isinstance(expected, list):
        assert isinstance(actual, list) and actual
        expected, actual = expected[0], actual[0]
    assert set(expected) == set(actual)
