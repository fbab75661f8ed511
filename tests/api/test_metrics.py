"""/metrics in Prometheus' text format: who may read it, and values that move after real
operations (requests, errors, persisted queries, dispatch, sweeps, plugins, the pool)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families
from starlette.testclient import TestClient

from api import metrics, sweeper
from api.app import create_app
from api.cli import _shared_metrics
from api.settings import Settings
from merchants.dispatch import accept_offer
from merchants.models import Offer, OfferStatus
from merchants.records import offers_of_orders
from plugins import guard
from tests.graphql import in_app
from tests.merchants.market import citizen, fresh_grid, place, provider, retire_registered
from wuyou import clock

TOKEN = "scrape-token-0123456789"
Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


@pytest.fixture
def metered(settings: Settings) -> Iterator[TestClient]:
    """The app with /metrics behind a bearer token, sweeping only when a test says."""
    metered_settings = settings.with_(metrics_token=TOKEN, sweep_interval_ms=0)
    with TestClient(create_app(metered_settings)) as client:
        yield client
        in_app(client, retire_registered)


def scrape(client: TestClient) -> Samples:
    response = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=")
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def test_metrics_need_the_token_or_a_loopback_client(settings: Settings) -> None:
    with TestClient(create_app(settings.with_(metrics_token=TOKEN))) as client:
        assert client.get("/metrics").status_code == 401
        wrong = client.get("/metrics", headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 401 and wrong.headers["www-authenticate"] == "Bearer"
        assert scrape(client)
    app = create_app(settings)
    with TestClient(app) as remote:
        assert remote.get("/metrics").status_code == 403
    for loopback in ("127.0.0.1", "::1"):
        with TestClient(app, client=(loopback, 50000)) as local:
            assert local.get("/metrics").status_code == 200
    with TestClient(create_app(settings.with_(metrics=False)), client=("127.0.0.1", 1)) as off:
        assert off.get("/metrics").status_code == 404


def test_graphql_requests_latency_and_errors_are_counted(metered: TestClient) -> None:
    before = scrape(metered)
    probe = {"query": "query MetricsProbe { __typename }", "operationName": "MetricsProbe"}
    for _ in range(3):
        assert metered.post("/graphql", json=probe).status_code == 200
    metered.post("/graphql", json={"query": "{ nope }"})
    metered.post("/graphql", content=b"{}", headers={"content-type": "text/plain"})
    metered.post(
        "/graphql",
        json={"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "a" * 64}}},
    )
    after = scrape(metered)

    def moved(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert moved("wuyou_graphql_requests_total", operation="MetricsProbe", status="200") == 3
    assert moved("wuyou_graphql_request_duration_seconds_count", operation="MetricsProbe") == 3
    assert moved("wuyou_graphql_request_duration_seconds_sum", operation="MetricsProbe") > 0
    assert moved("wuyou_graphql_requests_total", operation="invalid", status="200") == 2
    assert moved("wuyou_graphql_requests_total", operation="unknown", status="415") == 1
    assert moved("wuyou_graphql_errors_total", code="GRAPHQL_VALIDATION_FAILED") == 1
    assert moved("wuyou_graphql_errors_total", code="UNSUPPORTED_MEDIA_TYPE") == 1
    assert moved("wuyou_graphql_errors_total", code="PERSISTED_QUERY_NOT_FOUND") == 1
    assert moved("wuyou_persisted_queries_total", outcome="miss") == 1


def test_operation_names_are_a_bounded_label(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(metrics, "MAX_OPERATION_NAMES", 2)
    monkeypatch.setattr(metrics, "_operation_names", set())
    assert [metrics.operation_label(n) for n in ("A", "B", "C", "A", None, "", "bad name", 7)] == [
        "A", "B", "other", "A", "anonymous", "anonymous", "other", "other",
    ]  # fmt: skip


def test_only_operations_that_ran_take_a_name_slot(
    metered: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(metrics, "MAX_OPERATION_NAMES", 2)
    monkeypatch.setattr(metrics, "_operation_names", set())
    before = scrape(metered)
    refused = [
        {"query": "query Junk1 { nope }", "operationName": "Junk1"},  # does not validate
        {"query": "query Junk2 {", "operationName": "Junk2"},  # does not parse
        {  # variables that do not fit
            "query": "query Junk3($n: Int!) { __typename }",
            "operationName": "Junk3",
            "variables": {"n": "x"},
        },
        {  # an unknown persisted hash
            "operationName": "Junk6",
            "extensions": {"persistedQuery": {"version": 1, "sha256Hash": "b" * 64}},
        },
    ]
    for body in refused:
        assert metered.post("/graphql", json=body).json().get("data") is None
    unknown = {"query": "query Junk4 { __typename }", "operationName": "Junk5"}
    assert metered.post("/graphql", json=unknown).status_code == 400
    mutation = {
        "query": 'mutation Junk7 { login(input: {username: "x", password: "y"}) { token } }',
        "operationName": "Junk7",
    }
    assert metered.get("/graphql", params=mutation).status_code == 405
    for name in ("Real1", "Real2", "Real3"):
        query = {"query": f"query {name} {{ __typename }}", "operationName": name}
        assert metered.post("/graphql", json=query).status_code == 200
    after = scrape(metered)

    def moved(**labels: str) -> float:
        name = "wuyou_graphql_requests_total"
        return value(after, name, **labels) - value(before, name, **labels)

    assert moved(operation="Real1", status="200") == moved(operation="Real2", status="200") == 1
    assert moved(operation="other", status="200") == 1  # Real3: both slots are taken
    assert moved(operation="invalid", status="200") == 4
    assert moved(operation="invalid", status="400") == 1
    assert moved(operation="invalid", status="405") == 1
    assert metrics._operation_names == {"Real1", "Real2"}


def test_dispatch_outcomes_and_offer_to_accept_times(metered: TestClient) -> None:
    before = scrape(metered)

    async def market() -> None:
        served, unserved = await fresh_grid(), await fresh_grid()
        shop = await provider(served, ["car_moving"])
        who = await citizen()
        order = await place(served, "car_moving", who)
        (offer,) = (await offers_of_orders([order.id]))[order.id]
        # The provider took 42 seconds to answer (time passing, played in the database).
        await Offer.filter(id=offer.id).update(offered_at=clock.now() - timedelta(seconds=42))
        await accept_offer(offer_id=offer.id, actor=shop.staff)
        await place(unserved, "car_moving", who)  # no provider there

    in_app(metered, market)
    after = scrape(metered)
    for outcome in ("ACCEPTED", "NO_PROVIDER"):
        moved = value(after, "wuyou_dispatch_outcomes_total", outcome=outcome) - value(
            before, "wuyou_dispatch_outcomes_total", outcome=outcome
        )
        assert moved == 1, outcome
    count = "wuyou_offer_accept_seconds_count"
    assert value(after, count) - value(before, count) == 1
    waited = value(after, "wuyou_offer_accept_seconds_sum") - value(
        before, "wuyou_offer_accept_seconds_sum"
    )
    assert 42 <= waited < 60
    assert value(after, "wuyou_offer_accept_seconds_bucket", le="30.0") == value(
        before, "wuyou_offer_accept_seconds_bucket", le="30.0"
    )


def test_sweeps_report_their_lag_duration_and_completion(metered: TestClient) -> None:
    async def overdue_offer() -> None:
        grid = await fresh_grid()
        await provider(grid, ["car_moving"])
        order = await place(grid, "car_moving", await citizen())
        await Offer.filter(order_id=order.id, status=OfferStatus.PENDING).update(
            expires_at=clock.now() - timedelta(seconds=120)
        )

    in_app(metered, sweeper.sweep_all)  # nothing else overdue from earlier tests
    before = scrape(metered)
    in_app(metered, overdue_offer)
    in_app(metered, sweeper.sweep_all)
    lagging = scrape(metered)
    assert value(lagging, "wuyou_sweep_lag_seconds", sweep="offers") >= 120
    for sweep in ("offers", "tickets"):
        runs = "wuyou_sweep_duration_seconds_count"
        assert value(lagging, runs, sweep=sweep) == value(before, runs, sweep=sweep) + 1
        completed = "wuyou_sweep_last_completed_timestamp_seconds"
        assert value(lagging, completed, sweep=sweep) >= value(before, completed, sweep=sweep)
    in_app(metered, sweeper.sweep_all)  # the offer expired in the last sweep: caught up
    assert value(scrape(metered), "wuyou_sweep_lag_seconds", sweep="offers") == 0


def test_plugin_errors_and_the_database_pool(metered: TestClient) -> None:
    def broken() -> str:
        raise RuntimeError("plugin bug")

    async def call_plugin() -> None:
        assert await guard.call("metrics-probe", "order_placed", broken, default="") == ""

    assert metered.get("/healthz").status_code == 200  # the pool has connected
    before = scrape(metered)
    in_app(metered, call_plugin)
    after = scrape(metered)
    labels = {"plugin": "metrics-probe", "hook": "order_placed"}
    assert value(after, "wuyou_plugin_errors_total", **labels) == (
        value(before, "wuyou_plugin_errors_total", **labels) + 1
    )
    assert value(after, "wuyou_db_pool_connections", state="open") >= 1
    assert value(after, "wuyou_db_pool_max_connections") >= value(
        after, "wuyou_db_pool_connections", state="open"
    )
    # The limit is a gauge of its own: summing the states adds up connections only.
    states = {
        dict(labels)["state"] for name, labels in after if name == "wuyou_db_pool_connections"
    }
    assert states == {"open", "in_use"}


#: Two processes record, as two workers would; one stops, the other reads what /metrics
#: would serve.
WORKERS = """
import os, sys
from api import metrics
from prometheus_client import generate_latest
child = os.fork()
metrics.observe_request("Probe", 200, 0.01)
metrics.DB_POOL.labels("open").set(3)
if child == 0:
    metrics.worker_stopped()
    os._exit(0)
os.waitpid(child, 0)
sys.stdout.write(generate_latest(metrics._registry()).decode())
"""


def test_several_workers_add_up_in_multiprocess_mode(tmp_path: Path) -> None:
    stale = tmp_path / "counter_999.db"
    stale.write_bytes(b"left by the last run")
    with _shared_metrics(workers=1):  # one worker: nothing to share, nothing set
        assert "PROMETHEUS_MULTIPROC_DIR" not in os.environ
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(tmp_path)
    try:
        with _shared_metrics(workers=2):
            assert not stale.exists()
            environ = dict(os.environ)
        output = subprocess.run(
            [sys.executable, "-c", WORKERS], env=environ, capture_output=True, check=True
        ).stdout.decode()
    finally:
        del os.environ["PROMETHEUS_MULTIPROC_DIR"]
    samples = {
        (s.name, frozenset(s.labels.items())): s.value
        for f in text_string_to_metric_families(output)
        for s in f.samples
    }
    requests = (
        "wuyou_graphql_requests_total",
        frozenset({("operation", "Probe"), ("status", "200")}),
    )
    assert samples[requests] == 2
    # Counters add up over every worker that ever ran; the pool over the live ones only.
    assert samples[("wuyou_db_pool_connections", frozenset({("state", "open")}))] == 3


#: A worker that records its gauges (and a request), then waits to be killed.
KILLED_WORKER = """
import sys
from api import metrics
metrics.DB_POOL.labels("open").set(3)
metrics.DB_POOL_MAX.set(5)
metrics.SWEEP_LAG.labels("offers").set(600)
metrics.observe_request("Probe", 200, 0.01)
print("recorded", flush=True)
sys.stdin.read()
"""


def test_the_gauges_of_a_killed_worker_leave_the_totals(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker SIGKILLed before this one starts is forgotten at its start; one killed
    while it runs, at the next scrape. Its requests still count."""
    environ = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", KILLED_WORKER],
            env=environ,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        for _ in range(2)
    ]
    try:
        for worker in workers:
            assert worker.stdout is not None and worker.stdout.readline() == b"recorded\n"
        early, late = workers
        early.send_signal(signal.SIGKILL)
        early.wait()
        monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
        monkeypatch.setattr(metrics, "MULTIPROCESS", True)  # this process reads the files
        app = create_app(settings.with_(metrics_token=TOKEN, sweep_interval_ms=0))
        with TestClient(app) as client:
            live = scrape(client)
            assert value(live, "wuyou_db_pool_connections", state="open") == 3
            assert value(live, "wuyou_db_pool_max_connections") == 5
            assert value(live, "wuyou_sweep_lag_seconds", sweep="offers") == 600
            late.send_signal(signal.SIGKILL)
            late.wait()
            dead = scrape(client)
    finally:
        for worker in workers:
            worker.kill()
            worker.communicate()  # reaped, its pipes closed
    assert value(dead, "wuyou_db_pool_connections", state="open") == 0
    assert value(dead, "wuyou_db_pool_max_connections") == 0
    assert ("wuyou_sweep_lag_seconds", frozenset({("sweep", "offers")})) not in dead
    requests = {"operation": "Probe", "status": "200"}
    assert value(dead, "wuyou_graphql_requests_total", **requests) == 2
