"""The code samples of the guides in docs/, as the tests read them.

A GraphQL example is a ```graphql block holding one named operation (and any fragments
it uses), preceded by an HTML comment that says how to run it::

    <!-- test: as=demo-grid set=input.number:ReportGridEvent.reportGridEvent.ticket.number -->

* ``as=`` the demo account that sends it (``anonymous`` for nobody signed in);
* ``expect=`` the error code the example is about: a payload ``errors`` code, or a
  top-level error's ``extensions.code`` (without it, no error of either kind is allowed);
* ``set=<variable path>:<Operation>.<result path>`` a variable taken from the answer of an
  earlier example (the guide shows a typical value), e.g. a ticket number;
* ``after=`` examples (comma-separated) that must have run first, for their effects;
* ``trigger=`` for a subscription: the example whose effect the first event reports.

A ```json block right after the GraphQL block holds its variables.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graphql import OperationDefinitionNode, OperationType, parse

DOCS = Path(__file__).resolve().parents[2] / "docs"
GUIDES = (DOCS / "api.md", DOCS / "plugins.md")

_GRAPHQL = re.compile(
    r"(?:<!--\s*test:(?P<meta>[^>]*?)-->\s*\n)?"
    r"```graphql\n(?P<query>.*?)```"
    r"(?:\s*\n```json\n(?P<variables>.*?)```)?",
    re.DOTALL,
)
_FENCE = re.compile(r"^```(?P<language>\w*)\n(?P<code>.*?)^```", re.DOTALL | re.MULTILINE)


@dataclass(frozen=True)
class Binding:
    """A variable filled from an earlier example's answer."""

    variable: tuple[str, ...]
    operation: str
    result: tuple[str, ...]


@dataclass(frozen=True)
class Example:
    """One GraphQL operation of a guide and how the guide says to run it."""

    guide: str
    name: str
    kind: OperationType
    query: str
    variables: dict[str, Any]
    username: str | None
    expect: str | None = None
    bindings: tuple[Binding, ...] = ()
    after: tuple[str, ...] = ()
    trigger: str | None = None


def _path(text: str) -> tuple[str, ...]:
    return tuple(text.split("."))


def _example(guide: str, meta: str | None, query: str, variables: str | None) -> Example:
    document = parse(query)
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    assert len(operations) == 1, f"{guide}: one operation per block:\n{query}"
    operation = operations[0]
    assert operation.name is not None, f"{guide}: name every operation:\n{query}"
    name = operation.name.value
    assert meta is not None, f"{guide}: {name} has no <!-- test: ... --> comment"
    options: dict[str, list[str]] = {}
    for token in meta.split():
        key, _, value = token.partition("=")
        assert key in {"as", "expect", "set", "after", "trigger"} and value, (name, token)
        options.setdefault(key, []).append(value)
    assert len(options.get("as", ())) == 1, f"{name}: say who runs it with as="
    username = options["as"][0]
    bindings = []
    for value in options.get("set", ()):
        variable, _, source = value.partition(":")
        operation_name, _, result = source.partition(".")
        bindings.append(Binding(_path(variable), operation_name, _path(result)))
    return Example(
        guide=guide,
        name=name,
        kind=operation.operation,
        query=query,
        variables=json.loads(variables) if variables else {},
        username=None if username == "anonymous" else username,
        expect=options.get("expect", [None])[0],
        bindings=tuple(bindings),
        after=tuple(n for v in options.get("after", ()) for n in v.split(",")),
        trigger=options.get("trigger", [None])[0],
    )


def graphql_examples(guides: tuple[Path, ...] = GUIDES) -> list[Example]:
    """Every GraphQL example of the guides, in document order."""
    examples = []
    for path in guides:
        text = path.read_text(encoding="utf-8")
        found = [
            _example(path.name, m["meta"], m["query"], m["variables"])
            for m in _GRAPHQL.finditer(text)
        ]
        assert len(found) == text.count("```graphql\n"), f"{path.name}: an unreadable block"
        examples.extend(found)
    names = [e.name for e in examples]
    assert len(names) == len(set(names)), "operation names must be unique across the guides"
    return examples


def code_blocks(path: Path, language: str) -> list[str]:
    """The fenced blocks of ``language`` in the guide at ``path``, in document order."""
    text = path.read_text(encoding="utf-8")
    return [m["code"] for m in _FENCE.finditer(text) if m["language"] == language]
