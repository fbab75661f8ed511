"""The background loop every worker runs: expiring offers and sending the next rounds.

Everything it acts on is a timestamp in the database, so a restart loses nothing: the
first sweep after start-up catches up on whatever fell due while no worker ran.
"""

from __future__ import annotations

import asyncio
import logging

from merchants.dispatch import SweepReport, expire_offers

log = logging.getLogger(__name__)


async def sweep_once() -> SweepReport:
    """Expire due offers and restart stalled dispatches, once."""
    return await expire_offers()


async def run(interval: float) -> None:
    """Sweep every ``interval`` seconds until cancelled; a failed sweep is logged and retried."""
    while True:
        try:
            report = await sweep_once()
            if report.expired or report.advanced:
                log.info(
                    "sweep: %d offers expired, %d orders moved on", report.expired, report.advanced
                )
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("sweep failed; retrying in %.1f s", interval)
        await asyncio.sleep(interval)
