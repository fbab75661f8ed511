"""The background loop every worker runs: the marketplace's offers and the tickets'
deadlines.

Everything it acts on is a timestamp in the database, so a restart loses nothing: the
first sweep after start-up catches up on whatever fell due while no worker ran.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from api import metrics
from merchants import sweeper as offers
from merchants.sweeper import sweep_once
from tickets import sweeper as tickets
from tickets.sweeper import sweep_tickets
from wuyou import clock

log = logging.getLogger(__name__)


async def _sweep_offers() -> None:
    report = await sweep_once()
    if report.expired or report.advanced:
        log.info("sweep: %d offers expired, %d orders moved on", report.expired, report.advanced)


async def _sweep_tickets() -> None:
    report = await sweep_tickets()
    if report.yellow or report.red or report.supervised:
        log.info(
            "sweep: %d tickets turned yellow, %d red, %d supervised",
            report.yellow,
            report.red,
            report.supervised,
        )


async def sweep_all() -> None:
    """One pass: the offers, then the tickets, each timed and its lag measured (see
    :mod:`api.metrics`); a failed sweep is logged and does not keep the other from running."""
    for name, oldest_due, sweep in (
        ("offers", offers.oldest_due, _sweep_offers),
        ("tickets", tickets.oldest_due, _sweep_tickets),
    ):
        try:
            await metrics.observe_sweep(name, oldest_due, sweep, clock.now())
        except Exception:
            log.exception("%s failed; retrying at the next pass", sweep.__name__)
    metrics.sample_pool()


async def run(interval: float, stop: asyncio.Event) -> None:
    """Sweep every ``interval`` seconds until ``stop`` is set. A sweep under way finishes
    first, so no query is cut off mid-flight when the worker shuts down."""
    while not stop.is_set():
        await sweep_all()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), interval)
