"""The background loop every worker runs: expiring offers and sending the next rounds.

Everything it acts on is a timestamp in the database, so a restart loses nothing: the
first sweep after start-up catches up on whatever fell due while no worker ran.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from merchants.dispatch import SweepReport, expire_offers

log = logging.getLogger(__name__)


async def sweep_once() -> SweepReport:
    """Expire due offers and restart stalled dispatches, once."""
    return await expire_offers()


async def run(interval: float, stop: asyncio.Event) -> None:
    """Sweep every ``interval`` seconds until ``stop`` is set; a failed sweep is logged and
    retried. A sweep under way finishes first, so no query is cut off mid-flight when the
    worker shuts down."""
    while not stop.is_set():
        try:
            report = await sweep_once()
            if report.expired or report.advanced:
                log.info(
                    "sweep: %d offers expired, %d orders moved on", report.expired, report.advanced
                )
        except Exception:
            log.exception("sweep failed; retrying in %.1f s", interval)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), interval)
