"""The marketplace's part of the background sweep (see :mod:`api.sweeper`): expiring
offers and sending the next rounds.

Everything it acts on is a timestamp in the database, so a restart loses nothing: the
first sweep after start-up catches up on whatever fell due while no worker ran.
"""

from __future__ import annotations

from datetime import datetime

from merchants.dispatch import SweepReport, expire_offers
from merchants.models import Offer, OfferStatus


async def sweep_once() -> SweepReport:
    """Expire due offers and restart stalled dispatches, once."""
    return await expire_offers()


async def oldest_due(now: datetime) -> datetime | None:
    """When the longest-overdue pending offer fell due; None when none is due. A sweep
    that keeps up finds this within one interval of ``now``."""
    due = await (
        Offer.filter(status=OfferStatus.PENDING, expires_at__lte=now)
        .order_by("expires_at")
        .limit(1)
        .values("expires_at")
    )
    return due[0]["expires_at"] if due else None
