"""The merchant console's files: served at /console/ with their types and security headers,
packaged for a non-editable install, and every GraphQL operation it sends valid against
the exported schema (schema/schema.graphql)."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from fnmatch import fnmatch
from html.parser import HTMLParser
from pathlib import Path

import pytest
from graphql import GraphQLSchema, OperationDefinitionNode, build_schema, parse, validate
from starlette.testclient import TestClient

from api.app import create_app
from api.console import DIRECTORY
from api.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
#: `const NAME = `...`;` in operations.js, exported or not.
CONSTANT = re.compile(r"^(export )?const (\w+) = `(.*?)`;$", re.MULTILINE | re.DOTALL)
SUBSTITUTION = re.compile(r"\$\{(\w+)\}")
IMPORT = re.compile(r"""^import .*? from "(\./[\w.-]+)";$""", re.MULTILINE | re.DOTALL)
#: The policy the page is served with; ``{websocket}`` is the request's own websocket.
POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'{websocket}; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
}


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    """The app without its lifespan: static files need no database."""
    settings = Settings.from_env({}, log_json=False, log_level="WARNING")
    yield TestClient(create_app(settings))


class _Page(HTMLParser):
    """What index.html loads, and anything in it a strict CSP would refuse."""

    def __init__(self) -> None:
        super().__init__()
        self.assets: list[str] = []
        self.inline: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "script":
            if found.get("src"):
                self.assets.append(found["src"] or "")
            else:
                self.inline.append("inline <script>")
        elif tag == "link" and found.get("rel") == "stylesheet":
            self.assets.append(found.get("href") or "")
        elif tag == "style":
            self.inline.append("<style>")
        if "style" in found:
            self.inline.append(f"style attribute on <{tag}>")
        self.inline.extend(f"{name} on <{tag}>" for name in found if name.startswith("on"))


def _console_files(client: TestClient) -> set[str]:
    """Every file the page loads: index.html's assets and the modules they import."""
    page = _Page()
    page.feed(client.get("/console/").text)
    assert page.inline == []
    wanted = list(page.assets)
    seen: set[str] = set()
    while wanted:
        name = wanted.pop().removeprefix("./")
        if name in seen:
            continue
        seen.add(name)
        if name.endswith(".js"):
            wanted.extend(IMPORT.findall((DIRECTORY / name).read_text()))
    return seen


def test_the_console_and_its_files_are_served_with_their_types_and_policy(
    client: TestClient,
) -> None:
    redirect = client.get("/console", follow_redirects=False)
    assert redirect.status_code == 307 and redirect.headers["location"].endswith("/console/")
    page = client.get("/console/")
    assert page.status_code == 200
    assert page.headers["content-type"] == TYPES[".html"]
    assert page.headers["content-security-policy"] == POLICY.format(websocket=" ws://testserver")
    assert "<title>无忧 · 服务商工作台</title>" in page.text

    files = _console_files(client)
    assert files == {"console.css", "app.js", "graphql.js", "operations.js", "format.js"}
    for name in files:
        response = client.get(f"/console/{name}")
        assert response.status_code == 200, name
        assert response.headers["content-type"] == TYPES[Path(name).suffix], name
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.content == (DIRECTORY / name).read_bytes()
    # The package's Python source is not part of the page.
    assert client.get("/console/__init__.py").status_code == 404
    assert client.get("/console/missing.js").status_code == 404


@pytest.mark.parametrize(
    ("base_url", "host", "websocket"),
    [
        # Behind TLS (as uvicorn's proxy headers report it), with the Host nginx passes on.
        ("https://testserver", "console.example.gov.cn", " wss://console.example.gov.cn"),
        ("http://testserver", "10.0.1.11:8000", " ws://10.0.1.11:8000"),
        ("https://testserver", "[2001:db8::1]:8443", " wss://[2001:db8::1]:8443"),
        # A Host that would add a source or a directive adds nothing.
        ("https://testserver", "a.example; script-src *", ""),
        ("https://testserver", "a.example *", ""),
        ("https://testserver", "*.example.gov.cn", ""),
    ],
)
def test_the_policy_names_the_request_s_own_websocket_and_nothing_else(
    client: TestClient, base_url: str, host: str, websocket: str
) -> None:
    """Safari before 15.4 does not count ws:/wss: as 'self', so the page's own websocket is
    named: per request, as the same host under the scheme the request came by."""
    response = client.get(f"{base_url}/console/app.js", headers={"Host": host})
    assert response.status_code == 200
    assert response.headers["content-security-policy"] == POLICY.format(websocket=websocket)


def test_every_console_file_is_package_data() -> None:
    """A non-editable install carries the page: pyproject's package data covers each file."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    patterns = pyproject["tool"]["setuptools"]["package-data"]["api.console"]
    files = [p.name for p in DIRECTORY.iterdir() if p.is_file() and p.suffix != ".py"]
    assert files
    for name in files:
        assert any(fnmatch(name, pattern) for pattern in patterns), name


def _operations() -> dict[str, str]:
    """The exported operations of operations.js, their substitutions filled in."""
    source = (DIRECTORY / "operations.js").read_text()
    constants = {name: text for _, name, text in CONSTANT.findall(source)}

    def expand(text: str) -> str:
        return SUBSTITUTION.sub(lambda m: expand(constants[m.group(1)]), text)

    exported = [name for export, name, _ in CONSTANT.findall(source) if export]
    return {name: expand(constants[name]) for name in exported}


@pytest.fixture(scope="module")
def public_schema() -> GraphQLSchema:
    return build_schema((ROOT / "schema" / "schema.graphql").read_text())


def test_the_console_operations_are_valid_against_the_public_schema(
    public_schema: GraphQLSchema,
) -> None:
    operations = _operations()
    assert len(operations) == 11
    names = []
    for constant, text in operations.items():
        document = parse(text)
        assert validate(public_schema, document) == [], constant
        [operation] = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
        assert operation.name is not None, constant
        names.append(operation.name.value)
    assert len(set(names)) == len(names)
    # Each one is sent by the page, and the page sends no GraphQL of its own.
    app = (DIRECTORY / "app.js").read_text()
    assert {m for m in re.findall(r"\bops\.(\w+)", app)} == set(operations)
    for name in ("app.js", "graphql.js", "format.js"):
        text = (DIRECTORY / name).read_text()
        assert not re.search(r"\b(query|mutation|subscription)\s+\w*\s*[({]", text), name
