"""The marketplace's part of the background sweep (see :mod:`api.sweeper`): expiring
offers and sending the next rounds.

Everything it acts on is a timestamp in the database, so a restart loses nothing: the
first sweep after start-up catches up on whatever fell due while no worker ran.
"""

from __future__ import annotations

from merchants.dispatch import SweepReport, expire_offers


async def sweep_once() -> SweepReport:
    """Expire due offers and restart stalled dispatches, once."""
    return await expire_offers()
