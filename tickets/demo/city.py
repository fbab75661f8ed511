"""What demo tickets are drawn from, read once from the database.

The demo city's categories, populated grids (with their shapes and the worker who
reports from each), intake channels and hotline agents, its working calendar, SLA policy
and the Spring Festivals the calendar knows.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import shapely
from shapely.geometry.base import BaseGeometry

from accounts.models import Account
from grids.catalogue import ChannelRecord, get_departments_by_id, list_channels
from grids.geometry import parse_boundary
from grids.models import Area, AreaLevel, ChannelKind, GridType
from grids.workers import GridWorkerRecord, workers_in_grids
from tickets.calendar import WorkingCalendar
from tickets.catalogue import sla_policy, working_calendar
from tickets.demo import texts
from tickets.demo.staff import agent_accounts, agent_names
from tickets.models import CalendarDay, Category
from tickets.sla import SlaPolicy, TicketKind, Urgency

_DEMO_AGENT = "demo-agent"
_DEMO_CITIZEN = "demo-citizen"
_MAIN_HOTLINE = "12345"


class DemoCatalogueMissing(RuntimeError):
    """Demo tickets need the demo city, its accounts and the hotline's catalogue first."""


@dataclass(frozen=True, slots=True)
class Leaf:
    """A category tickets are filed under (the third level of the tree)."""

    id: int
    code: str
    name: str
    key: str | None
    reply_days: int | None
    complete_days: int | None
    urgency_hint: Urgency | None
    kinds: tuple[TicketKind, ...]


@dataclass(frozen=True, slots=True)
class Grid:
    """A populated grid, where tickets take place."""

    id: int
    code: str
    name: str
    path: str
    population: int
    grid_type: GridType
    names: tuple[str, ...]  # district, street, community
    shape: BaseGeometry
    worker_id: int | None


@dataclass(frozen=True, slots=True)
class City:
    """What the draw needs from the database."""

    leaves: tuple[Leaf, ...]
    grids: tuple[Grid, ...]
    channels: tuple[ChannelRecord, ...]
    lines: dict[str, tuple[ChannelRecord, ...]]  # merged hotlines by the key of their department
    agents: tuple[int, ...]
    citizen_id: int | None
    calendar: WorkingCalendar
    policy: SlaPolicy
    festivals: tuple[date, ...]


async def load_city(now: datetime, rng: random.Random) -> City:
    """The demo city as the draw sees it; the demo agents missing are created at ``now``,
    named by ``rng``.

    Raises :class:`DemoCatalogueMissing` when the city or the catalogue is not loaded.
    """
    categories = await Category.filter(level=3, is_active=True).order_by("sort_order", "id")
    areas = {
        row["code"]: row
        for row in await Area.all().values(
            "id", "code", "name", "level", "path", "population", "grid_type", "boundary"
        )
    }
    accounts = dict(
        await Account.filter(username__in=[_DEMO_AGENT, _DEMO_CITIZEN, *agent_names()]).values_list(
            "username", "id"
        )
    )
    grid_rows = [a for a in areas.values() if a["level"] == AreaLevel.GRID and a["population"]]
    if not categories or not grid_rows or _DEMO_AGENT not in accounts:
        raise DemoCatalogueMissing(
            "Demo tickets need the demo city and the hotline's catalogue: run "
            "`wuyou seed --demo` (it loads them first)."
        )
    workers = await workers_in_grids(a["id"] for a in grid_rows)
    grids = tuple(
        Grid(
            id=a["id"],
            code=a["code"],
            name=a["name"],
            path=a["path"],
            population=a["population"],
            grid_type=GridType(a["grid_type"]),
            names=tuple(areas[c]["name"] for c in a["path"].rstrip("/").split("/")[1:4]),
            shape=_prepared(parse_boundary(a["boundary"])),
            worker_id=_worker(workers[a["id"]]),
        )
        for a in sorted(grid_rows, key=lambda a: a["code"])
    )
    channels, lines = await _channels()
    agents = await agent_accounts(accounts, now, rng)
    return City(
        leaves=tuple(
            Leaf(
                id=c.id,
                code=c.code,
                name=c.name,
                key=c.department_key,
                reply_days=c.reply_days,
                complete_days=c.complete_days,
                urgency_hint=c.urgency_hint,
                kinds=texts.kinds_of(c.code),
            )
            for c in categories
        ),
        grids=grids,
        channels=channels,
        lines=lines,
        agents=(*agents, accounts[_DEMO_AGENT]),
        citizen_id=accounts.get(_DEMO_CITIZEN),
        calendar=await working_calendar(),
        policy=await sla_policy(),
        festivals=await _festivals(),
    )


def _prepared(shape: BaseGeometry) -> BaseGeometry:
    shapely.prepare(shape)
    return shape


def _worker(workers: Sequence[GridWorkerRecord]) -> int | None:
    """The grid's worker who reports its events (demo-grid where it serves)."""
    ranked = sorted(workers, key=lambda w: (w.username != "demo-grid", w.username))
    return ranked[0].account_id if ranked else None


async def _channels() -> tuple[tuple[ChannelRecord, ...], dict[str, tuple[ChannelRecord, ...]]]:
    """The active channels in order, and the merged hotlines by their department's key."""
    channels = tuple(await list_channels())
    departments = await get_departments_by_id(c.department_id for c in channels if c.department_id)
    lines: dict[str, list[ChannelRecord]] = defaultdict(list)
    for channel in channels:
        merged = channel.kind is ChannelKind.HOTLINE and channel.number != _MAIN_HOTLINE
        if merged and channel.department_id in departments:
            lines[departments[channel.department_id].code.split("-", 1)[1]].append(channel)
    return channels, {key: tuple(found) for key, found in lines.items()}


async def _festivals() -> tuple[date, ...]:
    """The first days of the Spring Festival holidays the calendar knows."""
    days: set[date] = {r["day"] for r in await CalendarDay.filter(name="春节").values("day")}
    return tuple(sorted(d for d in days if d - timedelta(days=1) not in days))
