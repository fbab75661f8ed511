"""A year of demo tickets (``wuyou seed --demo``): what a city's hotline holds after a year.

Tickets are drawn with a fixed random seed over the 365 days that end at the clock's
time: mostly calls to 12345, then online messages, grid workers' reports and walk-ins;
categories weighted by volume and season (heating in winter, flooding in summer, wage
arrears before the Spring Festival); places weighted by the grids' populations. Each
ticket then lives through the steps the real workflow takes (dispatch, sign, return,
resolve, revisit, reopen, merge, supervision of the overdue) up to now, and is stored
with every column and history row those steps would have written. Old tickets are
closed; the last weeks hold the work still under way.

About 1.06% of the revisits of resolved tickets find the citizen unsatisfied, so that
the share of revisits closing a ticket (the satisfaction rate) lands near Wuhai's
published 98.94%.

When the demo mediation organisations are loaded, a few recent dispute tickets are then
referred to mediation through the real referral (:mod:`tickets.demo.mediation`).

Idempotent: demo tickets carry the idempotency key ``demo-<n>``; when any is present,
nothing is added. Rows go in with bulk inserts in one transaction.

This module runs the stages, each a module of its own: :mod:`~tickets.demo.city` reads
what tickets are drawn from, :mod:`~tickets.demo.draw` draws them,
:mod:`~tickets.demo.routes` finds their departments and :mod:`~tickets.demo.staff` the
accounts that work them, :mod:`~tickets.demo.lives` takes each through its
:mod:`~tickets.demo.life`, and :mod:`~tickets.demo.storage` numbers and stores them.
"""

from __future__ import annotations

import gc
import random
from collections.abc import Iterator
from contextlib import contextmanager

from tortoise.transactions import in_transaction

from grids.demo import QuietProgress, SeedProgress
from tickets.demo.city import DemoCatalogueMissing, load_city
from tickets.demo.draw import PHOTO_URL, Draw
from tickets.demo.lives import KEY_PREFIX, UNSATISFIED_SHARE, Lives
from tickets.demo.mediation import keep_for_mediation, seed_demo_mediation
from tickets.demo.routes import destinations, router_for
from tickets.demo.staff import AGENT_COUNT, AGENT_PREFIX, STAFF_PREFIX, staff_accounts
from tickets.demo.storage import (
    advance_sequences,
    assign_numbers,
    insert_history,
    insert_tickets,
)
from tickets.models import Ticket
from wuyou import clock

__all__ = [
    "AGENT_COUNT",
    "AGENT_PREFIX",
    "DEMO_TICKETS",
    "KEY_PREFIX",
    "PHOTO_URL",
    "STAFF_PREFIX",
    "UNSATISFIED_SHARE",
    "DemoCatalogueMissing",
    "seed_demo_tickets",
]

#: Tickets ``seed --demo`` loads unless told otherwise.
DEMO_TICKETS = 50_000

_SEED = 20231231


async def seed_demo_tickets(count: int = DEMO_TICKETS, progress: SeedProgress | None = None) -> int:
    """Load ``count`` demo tickets with their history into the connected database, which
    holds the demo city and the hotline's catalogue; return how many were added (0 when
    demo tickets are there already).

    Raises :class:`DemoCatalogueMissing` when the city or the catalogue is not loaded.
    """
    if count < 0:
        raise ValueError(f"count must be 0 or more, not {count}")
    progress = progress or QuietProgress()
    if not count or await Ticket.exists(
        idempotency_key__startswith=KEY_PREFIX, created_by__is_demo=True
    ):
        progress.stage("Demo tickets", 0)
        if count:  # tickets loaded before the mediation organisations get theirs now
            await seed_demo_mediation()
        return 0
    now = clock.now()
    async with in_transaction():
        city = await load_city(now, random.Random(_SEED))
        progress.stage("Drawing tickets", count)
        with _collector_paused():
            drafts = Draw(city, now, random.Random(_SEED), progress).tickets(count)
        await keep_for_mediation(drafts, now)
        router = await router_for(drafts)
        await assign_numbers(drafts)
        departments = destinations(router, drafts)
        staff = await staff_accounts(departments, now, random.Random(_SEED + 2))
        progress.stage("Working tickets", len(drafts))
        with _collector_paused():
            lives = Lives(city, router, staff, now, random.Random(_SEED + 1)).live(drafts, progress)
        progress.stage("Tickets", len(lives))
        ids = await insert_tickets(lives, progress)
        progress.stage("Ticket history", sum(len(life.steps) for life in lives))
        await insert_history(lives, ids, progress)
        await advance_sequences(drafts)
    await seed_demo_mediation()
    return len(lives)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while tickets are planned: the planning makes
    millions of small, long-lived objects and no cycles, and each collection would
    rescan them all (a third of the planning's time)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
