"""Every GraphQL example in docs/api.md and docs/plugins.md, run as the guide says.

The examples run against the real app on a database of this module's own, loaded as
``wuyou seed --demo`` loads one (the city, its demo accounts and providers, the hotline's
catalogue, the knowledge base and a few hundred tickets), so that the guides' examples
meet the demo accounts they name and nothing another test left behind. Each runs once,
as the account its ``<!-- test: ... -->`` comment names, after the examples it needs (see
:mod:`tests.docs.guides`); subscriptions run over graphql-transport-ws, and their first
event after the example that triggers them must come without errors.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from graphql import OperationType
from starlette.testclient import TestClient

from api import db
from api.app import create_app
from api.settings import Settings
from merchants.demo import seed_demo_merchants
from tests.conftest import BACKENDS, demo_city_database
from tests.docs.guides import Example, graphql_examples
from tests.graphql import error_codes, gql, login
from tickets.demo.tickets import seed_demo_tickets
from tickets.knowledge.demo import seed_demo_articles
from wuyou import events

EXAMPLES = graphql_examples()
BY_NAME = {example.name: example for example in EXAMPLES}
#: The subscription each triggering example feeds.
TRIGGERED = {e.trigger: e.name for e in EXAMPLES if e.trigger is not None}
PROTOCOL = "graphql-transport-ws"
#: Demo tickets, enough for queues, figures and dashboards to show something.
TICKETS = 300


class CountingBroadcaster(events.InProcessBroadcaster):
    """The in-process broadcaster, counting the subscriptions listening now."""

    def __init__(self) -> None:
        super().__init__()
        self.listening = 0

    @contextlib.asynccontextmanager
    async def subscribe(self, *topics: str) -> AsyncIterator[AsyncIterator[events.Event]]:
        async with super().subscribe(*topics) as stream:
            self.listening += 1
            try:
                yield stream
            finally:
                self.listening -= 1


def _dig(value: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        value = value[int(key)] if isinstance(value, list) else value[key]
    return value


def _payload_error_codes(data: dict[str, Any] | None) -> list[str]:
    """The codes in the ``errors`` list of each payload in ``data`` (a mutation's, or a
    query's such as ``orderQuote``)."""
    payloads = [p for p in (data or {}).values() if isinstance(p, dict) and "errors" in p]
    return [error["code"] for payload in payloads for error in payload["errors"]]


class Runner:
    """Runs the guides' examples against one app, each once, remembering their answers."""

    def __init__(self, client: TestClient, broadcaster: CountingBroadcaster) -> None:
        self.client = client
        self.broadcaster = broadcaster
        self.answers: dict[str, dict[str, Any] | None] = {}
        self.tokens: dict[str, str] = {}
        #: Triggers a subscription is listening for now, to be run as they are.
        self.awaited: set[str] = set()

    def token(self, username: str | None) -> str | None:
        if username is None:
            return None
        if username not in self.tokens:
            self.tokens[username] = login(self.client, username)
        return self.tokens[username]

    def run(self, name: str) -> dict[str, Any] | None:
        """The answer of the example ``name``, running it (and what it needs) if not yet."""
        if name not in self.answers and name in TRIGGERED and name not in self.awaited:
            self.run(TRIGGERED[name])  # the subscription runs its trigger while listening
        if name not in self.answers:
            example = BY_NAME[name]
            self._prerequisites(example)
            if example.kind is OperationType.SUBSCRIPTION:
                self.answers[name] = self._subscribe(example)
            else:
                self.answers[name] = self._send(example)
        return self.answers[name]

    def _prerequisites(self, example: Example) -> None:
        for name in (*example.after, *(b.operation for b in example.bindings)):
            self.run(name)

    def _variables(self, example: Example) -> dict[str, Any]:
        variables = copy.deepcopy(example.variables)
        for binding in example.bindings:
            *outer, last = binding.variable
            _dig(variables, tuple(outer))[last] = _dig(
                self.answers[binding.operation], binding.result
            )
        return variables

    def _send(self, example: Example) -> dict[str, Any] | None:
        body = gql(
            self.client,
            example.query,
            self._variables(example),
            self.token(example.username),
        )
        data: dict[str, Any] | None = body.get("data")
        payload_codes = _payload_error_codes(data)
        if example.expect is not None:
            assert example.expect in error_codes(body) + payload_codes, body
        else:
            assert "errors" not in body, body["errors"]
            assert payload_codes == [], data
        return data

    def _subscribe(self, example: Example) -> dict[str, Any]:
        trigger = BY_NAME[example.trigger] if example.trigger else None
        if trigger is not None:
            self._prerequisites(trigger)
        token = self.token(example.username)
        with self.client.websocket_connect("/graphql", subprotocols=[PROTOCOL]) as ws:
            init = {"Authorization": f"Bearer {token}"} if token else {}
            ws.send_json({"type": "connection_init", "payload": init})
            assert ws.receive_json() == {"type": "connection_ack"}
            listening = self.broadcaster.listening
            query = {"query": example.query, "variables": self._variables(example)}
            ws.send_json({"id": "1", "type": "subscribe", "payload": query})
            if trigger is not None:
                deadline = time.monotonic() + 10
                while self.broadcaster.listening <= listening:
                    assert time.monotonic() < deadline, f"{example.name} never subscribed"
                    time.sleep(0.01)
                self.awaited.add(trigger.name)
                self.run(trigger.name)
            message = ws.receive_json()
            assert message["type"] == "next", message
            assert "errors" not in message["payload"], message["payload"]
            ws.send_json({"id": "1", "type": "complete"})
        result: dict[str, Any] = message["payload"]["data"]
        return result


async def _load_demo(url: str) -> None:
    """What ``wuyou seed --demo`` adds to the city: providers (no commercial merchants
    but the demo one), the knowledge base and a few hundred tickets."""
    await db.connect(url)
    try:
        await seed_demo_merchants(commercial=0)
        await seed_demo_articles()
        await seed_demo_tickets(TICKETS)
    finally:
        await db.disconnect()


def _serve(url: str) -> Iterator[Runner]:
    asyncio.run(_load_demo(url))
    settings = Settings.from_env(
        {}, database_url=url, log_json=False, log_level="WARNING", sweep_interval_ms=0
    )
    with TestClient(create_app(settings)) as client:
        broadcaster = CountingBroadcaster()
        previous = events.install(broadcaster)
        try:
            yield Runner(client, broadcaster)
        finally:
            events.install(previous)


@pytest.fixture(scope="module", params=BACKENDS)
def guides(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Runner]:
    """The app on a demo database of this module's own."""
    with demo_city_database(request.param, tmp_path_factory) as url:
        yield from _serve(url)


@pytest.mark.parametrize("name", list(BY_NAME))
def test_the_example_runs_as_the_guide_says(guides: Runner, name: str) -> None:
    guides.run(name)


def test_every_example_says_who_runs_it_and_what_it_expects() -> None:
    """Examples name real operations, and a subscription's trigger is an example."""
    assert {e.guide for e in EXAMPLES} == {"api.md", "plugins.md"}
    for example in EXAMPLES:
        needed = [*example.after, *(b.operation for b in example.bindings)]
        assert all(name in BY_NAME for name in needed), example.name
        if example.trigger is not None:
            assert example.kind is OperationType.SUBSCRIPTION, example.name
            assert BY_NAME[example.trigger].kind is OperationType.MUTATION, example.name


def _errors(answer: dict[str, Any] | None, field: str) -> set[tuple[str, str]]:
    assert answer is not None
    return {(e["field"], e["code"]) for e in answer[field]["errors"]}


def test_what_the_guides_say_of_the_answers_holds(guides: Runner) -> None:
    """The claims the guides' prose makes about their examples' answers."""
    first, retried = guides.run("CitizenCreateTicket"), guides.run("CitizenCreateTicketRetried")
    assert first is not None and retried is not None
    ticket = first["createTicket"]["ticket"]
    assert retried["createTicket"]["ticket"]["number"] == ticket["number"]
    assert ticket["status"] is None and ticket["publicStatus"] == "ACCEPTED"

    offered, accepted = guides.run("Offers"), guides.run("AcceptOffer")
    assert offered is not None and accepted is not None
    job = offered["offers"]["offer"]["job"]
    assert (job["contactName"], job["contactPhone"]) == ("张*", "138****1234")
    order = accepted["acceptOffer"]["order"]
    assert (order["contactName"], order["contactPhone"]) == ("张三", "13800001234")

    assert _errors(guides.run("PlaceOrderWithMistakes"), "placeOrder") == {
        ("form.plate", "INVALID"),
        ("form.reason", "INVALID_CHOICE"),
    }
    assert _errors(guides.run("QuoteWithFormProblems"), "orderQuote") == {
        ("form.colour", "UNKNOWN_FIELD"),
        ("form.reason", "REQUIRED"),
    }
    car_moving = guides.run("ServiceTypeAsClientsSeeIt")
    assert car_moving is not None
    assert car_moving["serviceType"]["plugin"] == "plugins.builtin.car_moving"
