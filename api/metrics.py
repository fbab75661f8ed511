"""Prometheus metrics and the ``/metrics`` endpoint.

Several workers (``wuyou serve --workers N``) share their metrics through
prometheus_client's multiprocess mode: the supervisor sets ``PROMETHEUS_MULTIPROC_DIR``
before the workers start (see :mod:`api.cli`), every worker writes its samples there,
and whichever worker answers a scrape adds them all up.

What is measured: GraphQL requests and their latency per operation name (a bounded set
of names), top-level errors by ``extensions.code``, persisted-query look-ups, dispatch
outcomes and offer-to-accept times (from the marketplace's order observers), the
sweeps' lag, duration and failures, plugin errors (reported through
:mod:`wuyou.metrics`) and the database pool.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os
import re
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from datetime import datetime

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from tortoise import connections

from merchants import observers
from merchants.models import Offer, OfferStatus, OrderStatus
from merchants.records import OrderRecord
from wuyou import events
from wuyou import metrics as reports

log = logging.getLogger(__name__)

#: Set (by ``wuyou serve --workers N`` or the operator) before this module is imported.
MULTIPROCESS = bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))

#: Distinct operation names a worker labels; later names are counted as ``other``.
MAX_OPERATION_NAMES = 200
#: The label of requests that named no operation.
ANONYMOUS = "anonymous"
#: The label of requests refused before their operation was known (unreadable body...).
UNKNOWN = "unknown"
#: The label of requests whose operation did not run: it did not parse or validate, its
#: variables did not fit, its persisted hash was unknown, or the method did not allow it.
INVALID = "invalid"
OTHER = "other"

_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
_ACCEPT_BUCKETS = (1, 2, 5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 300, 600)

GRAPHQL_REQUESTS = Counter(
    "wuyou_graphql_requests",
    "GraphQL requests over HTTP, by operation name and HTTP status.",
    ["operation", "status"],
)
GRAPHQL_LATENCY = Histogram(
    "wuyou_graphql_request_duration_seconds",
    "Time to answer a GraphQL request over HTTP, by operation name.",
    ["operation"],
    buckets=_LATENCY_BUCKETS,
)
GRAPHQL_ERRORS = Counter(
    "wuyou_graphql_errors",
    "Top-level errors in GraphQL responses, by extensions.code.",
    ["code"],
)
PERSISTED_QUERIES = Counter(
    "wuyou_persisted_queries",
    "Automatic persisted query look-ups and registrations, by outcome (hit, miss, registered).",
    ["outcome"],
)
DISPATCH_OUTCOMES = Counter(
    "wuyou_dispatch_outcomes",
    "Orders that stopped seeking a provider, by the status they reached.",
    ["outcome"],
)
OFFER_ACCEPT_SECONDS = Histogram(
    "wuyou_offer_accept_seconds",
    "From an offer being made to a provider to its acceptance.",
    buckets=_ACCEPT_BUCKETS,
)
SWEEP_LAG = Gauge(
    "wuyou_sweep_lag_seconds",
    "How long the longest-overdue item had been due when the last sweep began (0: none).",
    ["sweep"],
    multiprocess_mode="livemax",
)
SWEEP_DURATION = Histogram(
    "wuyou_sweep_duration_seconds",
    "Time one sweep took.",
    ["sweep"],
    buckets=_LATENCY_BUCKETS,
)
SWEEP_FAILURES = Counter("wuyou_sweep_failures", "Sweeps that raised.", ["sweep"])
SWEEP_COMPLETED = Gauge(
    "wuyou_sweep_last_completed_timestamp_seconds",
    "When a sweep last completed (Unix time).",
    ["sweep"],
    multiprocess_mode="max",
)
PLUGIN_ERRORS = Counter(
    "wuyou_plugin_errors",
    "Plugin calls that raised or overran (the platform's default was used), by plugin and hook.",
    ["plugin", "hook"],
)
DB_POOL = Gauge(
    "wuyou_db_pool_connections",
    "Database connections of the workers' pools: open and in_use (summed over workers).",
    ["state"],
    multiprocess_mode="livesum",
)
DB_POOL_MAX = Gauge(
    "wuyou_db_pool_max_connections",
    "The most connections the workers' pools may open (summed over workers).",
    multiprocess_mode="livesum",
)

_NAME = re.compile(r"^[_A-Za-z][_0-9A-Za-z]{0,99}$")
_operation_names: set[str] = set()


def operation_label(name: object) -> str:
    """The ``operation`` label for the name of an operation that validated and ran: the
    name itself for the first :data:`MAX_OPERATION_NAMES` distinct names, else ``other``.

    Call it only once the operation ran: each new name takes one of the worker's slots for
    good, so names from requests that were refused must never reach it (they are counted
    as :data:`INVALID`)."""
    if name is None or name == "":
        return ANONYMOUS
    if not isinstance(name, str) or not _NAME.match(name):
        return OTHER
    if name in _operation_names:
        return name
    if len(_operation_names) >= MAX_OPERATION_NAMES:
        return OTHER
    _operation_names.add(name)
    return name


def observe_request(operation: str, status: int, seconds: float) -> None:
    """One GraphQL request answered."""
    GRAPHQL_REQUESTS.labels(operation, str(status)).inc()
    GRAPHQL_LATENCY.labels(operation).observe(seconds)


def observe_errors(codes: Iterable[str]) -> None:
    """Count the top-level errors of a response by their ``extensions.code``."""
    for code in codes:
        GRAPHQL_ERRORS.labels(code).inc()


def _record(name: str, value: float, labels: Mapping[str, str]) -> None:
    if name == reports.PLUGIN_FAILURE:
        PLUGIN_ERRORS.labels(labels.get("plugin", ""), labels.get("hook", "")).inc(value)


async def _order_changed(
    order: OrderRecord, previous: OrderStatus | None, actor_id: int | None
) -> None:
    """Counts an order leaving dispatch, and times the offer it accepted, once the change
    commits. Never raises: the marketplace rolls a step back when an observer does."""
    if previous not in (OrderStatus.PLACED, OrderStatus.DISPATCHING):
        return
    if order.status in (OrderStatus.PLACED, OrderStatus.DISPATCHING):
        return
    try:
        waited: list[float] = []
        if order.status is OrderStatus.ACCEPTED:
            waited = [
                (responded - offered).total_seconds()
                for offered, responded in await Offer.filter(
                    order_id=order.id, status=OfferStatus.ACCEPTED
                ).values_list("offered_at", "responded_at")
                if isinstance(responded, datetime)
            ]
        outcome = order.status.value

        async def count() -> None:
            DISPATCH_OUTCOMES.labels(outcome).inc()
            for seconds in waited:
                OFFER_ACCEPT_SECONDS.observe(max(seconds, 0.0))

        await events.defer(count)
    except Exception:
        log.exception("dispatch metrics for order %s failed", order.id)


def install() -> None:
    """Start recording what domain code reports (idempotent)."""
    reports.install(_record)
    observers.register(_order_changed)


async def observe_sweep(
    name: str,
    oldest_due: Callable[[datetime], Awaitable[datetime | None]],
    sweep: Callable[[], Awaitable[None]],
    now: datetime,
) -> None:
    """Run one sweep, measuring its lag (how long its oldest due item had waited),
    duration and outcome; its exception propagates."""
    try:
        due = await oldest_due(now)
        SWEEP_LAG.labels(name).set(max((now - due).total_seconds(), 0.0) if due else 0.0)
    except Exception:
        log.warning("measuring the %s sweep's lag failed", name, exc_info=True)
    started = time.perf_counter()
    try:
        await sweep()
    except Exception:
        SWEEP_FAILURES.labels(name).inc()
        raise
    finally:
        SWEEP_DURATION.labels(name).observe(time.perf_counter() - started)
    SWEEP_COMPLETED.labels(name).set(time.time())


def sample_pool() -> None:
    """Record this worker's database pool: connections open, in use, and its maximum."""
    try:
        client = connections.get("default")
    except Exception:  # not connected (yet)
        return
    pool = getattr(client, "_pool", None)
    if pool is not None:  # asyncpg
        size, idle, maximum = pool.get_size(), pool.get_idle_size(), pool.get_max_size()
    elif getattr(client, "_connection", None) is not None:  # SQLite: one connection
        lock = getattr(client, "_lock", None)
        size, maximum = 1, 1
        idle = 0 if lock is not None and lock.locked() else 1
    else:
        size = idle = 0
        maximum = getattr(client, "pool_maxsize", 0) or 0
    DB_POOL.labels("open").set(size)
    DB_POOL.labels("in_use").set(size - idle)
    DB_POOL_MAX.set(maximum)


def worker_started() -> None:
    """Forget the workers that died before this one started (multiprocess mode)."""
    if MULTIPROCESS:
        forget_dead_workers()


def worker_stopped() -> None:
    """Drop this worker's live gauges from the shared directory (multiprocess mode)."""
    if MULTIPROCESS:
        multiprocess.mark_process_dead(os.getpid())


_PID = re.compile(r"_(\d+)\.db$")


def forget_dead_workers() -> None:
    """Drop the live gauges (pool, sweep lag) of every worker in ``PROMETHEUS_MULTIPROC_DIR``
    that is no longer running: one killed (SIGKILL, out of memory) never ran
    :func:`worker_stopped`, and its last values would stay in the totals. Counters and
    histograms are kept: they add up over every worker that ever ran."""
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if not directory:
        return
    try:
        names = os.listdir(directory)
    except OSError:
        log.warning("listing the metrics directory %s failed", directory, exc_info=True)
        return
    for pid in {int(match[1]) for name in names if (match := _PID.search(name))}:
        if not _running(pid):
            multiprocess.mark_process_dead(pid, directory)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def _registry() -> CollectorRegistry:
    if not MULTIPROCESS:
        return REGISTRY
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    return registry


def _exposition() -> bytes:
    """What a scrape answers: this host's samples, without the workers that died."""
    if MULTIPROCESS:
        forget_dead_workers()
    return generate_latest(_registry())


def _allowed(request: Request, token: str | None) -> bool:
    if token is not None:
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        return scheme.lower() == "bearer" and hmac.compare_digest(
            given.strip().encode(), token.encode()
        )
    host = request.client.host if request.client else ""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def endpoint(token: str | None) -> Callable[[Request], Awaitable[Response]]:
    """The ``/metrics`` route: with ``token``, only for ``Authorization: Bearer <token>``;
    without, only for clients on the loopback interface."""

    async def metrics(request: Request) -> Response:
        if not _allowed(request, token):
            if token is None:
                return PlainTextResponse("Metrics are served to loopback clients only.", 403)
            return PlainTextResponse(
                "A bearer token is required.", 401, headers={"WWW-Authenticate": "Bearer"}
            )
        sample_pool()
        body = await run_in_threadpool(_exposition)
        return Response(body, media_type=CONTENT_TYPE_LATEST)

    return metrics
