"""Load the demo city into the database: areas with their boundaries and spatial index,
departments, channels, one grid worker per grid, and the demo accounts.

Idempotent: each part creates only the rows whose code or username is missing, inside a
transaction of its own, so a second run inserts nothing and a crash leaves no half part.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from shapely.geometry import Polygon
from tortoise.transactions import in_transaction

from accounts.models import Account, AccountEvent, AccountEventKind, Role
from accounts.service import create_account
from grids.demo.catalogue import CHANNELS, departments
from grids.demo.people import (
    DEMO_ACCOUNT_SPECS,
    DEMO_CHANNEL,
    DEMO_DEPARTMENT,
    DEMO_GRID,
    DEMO_PASSWORD,
    GRID_WORKER_PREFIX,
    GRID_WORKER_TITLE,
    DemoAccountSpec,
    grid_workers,
)
from grids.demo.places import CITY_CODE
from grids.demo.plan import AreaPlan, plan_city
from grids.demo.tessellation import tessellate
from grids.geometry import cells_for_bbox, footprint, to_geojson
from grids.models import (
    Area,
    AreaLevel,
    Channel,
    ChannelAccount,
    Department,
    DepartmentMember,
    GridAssignmentEvent,
    GridCell,
    GridWorker,
)
from wuyou import clock

_LEVELS = (
    AreaLevel.CITY,
    AreaLevel.DISTRICT,
    AreaLevel.STREET,
    AreaLevel.COMMUNITY,
    AreaLevel.GRID,
)
_BATCH = 500
_NOTE = "演示数据"


class SeedProgress(Protocol):
    """Told how seeding goes, e.g. to draw progress bars."""

    def stage(self, name: str, total: int) -> None:
        """A new stage begins with ``total`` steps."""

    def advance(self, steps: int = 1) -> None:
        """``steps`` more steps of the current stage are done."""


class QuietProgress:
    """Progress that shows nothing (the default)."""

    def stage(self, name: str, total: int) -> None:
        pass

    def advance(self, steps: int = 1) -> None:
        pass


@dataclass(frozen=True)
class SeedReport:
    """How many rows of each kind a run created (all zero when everything was there)."""

    created: dict[str, int]

    def total(self) -> int:
        """Rows created in all."""
        return sum(self.created.values())


async def seed_demo_city(progress: SeedProgress | None = None) -> SeedReport:
    """Load the demo city into the connected database (Tortoise already initialised).

    Creates only what is missing, so it is safe to run on every start.
    """
    progress = progress or QuietProgress()
    now = clock.now()
    areas, cells = await _seed_areas(progress, now)
    department_count = await _seed_departments(progress)
    channel_count = await _seed_channels(progress)
    worker_accounts, workers = await _seed_grid_workers(progress, now)
    demo_accounts, demo_workers, members = await _seed_demo_accounts(progress, now)
    return SeedReport(
        {
            "areas": areas,
            "grid_cells": cells,
            "departments": department_count,
            "channels": channel_count,
            "accounts": worker_accounts + demo_accounts,
            "grid_workers": workers + demo_workers,
            "department_members": members,
        }
    )


async def _area_ids() -> dict[str, int]:
    rows = await Area.filter(path__startswith=f"{CITY_CODE}/").values_list("code", "id")
    return {code: area_id for code, area_id in rows}


async def _seed_areas(progress: SeedProgress, now: datetime) -> tuple[int, int]:
    """The area tree, level by level, and the lattice cells of each new grid."""
    plan = plan_city()
    ids = await _area_ids()
    missing = [area for area in plan.areas if area.code not in ids]
    if not missing:
        progress.stage("Areas", 0)
        return 0, 0
    progress.stage("Drawing the map", 1)
    shapes = await asyncio.to_thread(tessellate, plan)
    progress.advance()
    progress.stage("Areas", len(missing))
    cell_count = 0
    async with in_transaction():
        for level in _LEVELS:
            batch = [area for area in missing if area.level is level]
            await Area.bulk_create(
                [_area(area, shapes[area.code], ids, now) for area in batch], batch_size=_BATCH
            )
            ids = await _area_ids()
            progress.advance(len(batch))
        grids = [area for area in missing if area.level is AreaLevel.GRID]
        progress.stage("Grid index", len(grids))
        for start in range(0, len(grids), _BATCH):
            chunk = grids[start : start + _BATCH]
            cells = [
                GridCell(cell=cell, area_id=ids[grid.code])
                for grid in chunk
                for cell in cells_for_bbox(*_bbox(shapes[grid.code]))
            ]
            await GridCell.bulk_create(cells, batch_size=_BATCH * 2)
            cell_count += len(cells)
            progress.advance(len(chunk))
    return len(missing), cell_count


def _bbox(shape: Polygon) -> tuple[float, float, float, float]:
    """min_lat, min_lng, max_lat, max_lng."""
    min_lng, min_lat, max_lng, max_lat = shape.bounds
    return min_lat, min_lng, max_lat, max_lng


def _area(area: AreaPlan, shape: Polygon, ids: dict[str, int], now: datetime) -> Area:
    where = footprint(shape)
    return Area(
        code=area.code,
        name=area.name,
        level=area.level,
        grid_type=area.grid_type,
        parent_id=ids[area.parent_code] if area.parent_code else None,
        path=area.path,
        population=area.population,
        description=area.description,
        boundary=to_geojson(shape),
        centroid_lat=where.centroid_lat,
        centroid_lng=where.centroid_lng,
        min_lat=where.min_lat,
        min_lng=where.min_lng,
        max_lat=where.max_lat,
        max_lng=where.max_lng,
        created_at=now,
        updated_at=now,
    )


async def _seed_departments(progress: SeedProgress) -> int:
    specs = departments()
    existing = set(
        await Department.filter(code__in=[s.code for s in specs]).values_list("code", flat=True)
    )
    missing = [spec for spec in specs if spec.code not in existing]
    progress.stage("Departments", len(missing))
    if missing:
        area_ids = await _area_ids()
        async with in_transaction():
            await Department.bulk_create(
                [
                    Department(
                        code=spec.code,
                        name=spec.name,
                        short_name=spec.short_name,
                        level=spec.level,
                        area_id=area_ids[spec.area_code],
                        duty_phone=spec.duty_phone,
                        sort_order=spec.sort_order,
                    )
                    for spec in missing
                ],
                batch_size=_BATCH,
            )
        progress.advance(len(missing))
    return len(missing)


async def _seed_channels(progress: SeedProgress) -> int:
    existing = set(
        await Channel.filter(code__in=[c.code for c in CHANNELS]).values_list("code", flat=True)
    )
    missing = [
        (order, spec) for order, spec in enumerate(CHANNELS, start=1) if spec.code not in existing
    ]
    progress.stage("Channels", len(missing))
    if missing:
        wanted = {spec.department for _, spec in missing if spec.department}
        department_ids = dict(
            await Department.filter(code__in=list(wanted)).values_list("code", "id")
        )
        async with in_transaction():
            await Channel.bulk_create(
                [
                    Channel(
                        code=spec.code,
                        name=spec.name,
                        kind=spec.kind,
                        number=spec.number,
                        department_id=department_ids[spec.department] if spec.department else None,
                        sort_order=order,
                    )
                    for order, spec in missing
                ],
                batch_size=_BATCH,
            )
        progress.advance(len(missing))
    return len(missing)


async def _worker_account_ids() -> dict[str, int]:
    rows = await Account.filter(username__startswith=GRID_WORKER_PREFIX).values_list(
        "username", "id"
    )
    return {username: account_id for username, account_id in rows}


async def _seed_grid_workers(progress: SeedProgress, now: datetime) -> tuple[int, int]:
    """One password-less GRID_WORKER account per grid, assigned to it."""
    specs = grid_workers([area.code for area in plan_city().by_level(AreaLevel.GRID)])
    account_ids = await _worker_account_ids()
    new_accounts = [spec for spec in specs if spec.username not in account_ids]
    assigned = set(
        await GridWorker.filter(account__username__startswith=GRID_WORKER_PREFIX).values_list(
            "account__username", flat=True
        )
    )
    unassigned = [spec for spec in specs if spec.username not in assigned]
    progress.stage("Grid workers", len(unassigned))
    if not unassigned:
        return 0, 0
    async with in_transaction():
        await Account.bulk_create(
            [
                Account(
                    username=spec.username,
                    display_name=spec.display_name,
                    role=Role.GRID_WORKER,
                    phone=spec.phone,
                    password_hash=None,
                    is_demo=True,
                    created_at=now,
                    updated_at=now,
                )
                for spec in new_accounts
            ],
            batch_size=_BATCH,
        )
        account_ids = await _worker_account_ids()
        await AccountEvent.bulk_create(
            [
                AccountEvent(
                    account_id=account_ids[spec.username],
                    kind=AccountEventKind.CREATED,
                    note=f"role {Role.GRID_WORKER.value}; {_NOTE}",
                    occurred_at=now,
                )
                for spec in new_accounts
            ],
            batch_size=_BATCH,
        )
        grid_ids = await _area_ids()
        await _assign(
            [(account_ids[spec.username], grid_ids[spec.grid_code]) for spec in unassigned],
            GRID_WORKER_TITLE,
            now,
        )
    progress.advance(len(unassigned))
    return len(new_accounts), len(unassigned)


async def _assign(pairs: list[tuple[int, int]], title: str, now: datetime) -> None:
    """GridWorker rows for (account id, grid id) pairs, each with its assignment event."""
    await GridWorker.bulk_create(
        [
            GridWorker(account_id=account_id, grid_id=grid_id, title=title, assigned_at=now)
            for account_id, grid_id in pairs
        ],
        batch_size=_BATCH,
    )
    worker_ids = dict(
        await GridWorker.filter(account_id__in=[a for a, _ in pairs]).values_list(
            "account_id", "id"
        )
    )
    await GridAssignmentEvent.bulk_create(
        [
            GridAssignmentEvent(
                worker_id=worker_ids[account_id], to_grid_id=grid_id, note=_NOTE, occurred_at=now
            )
            for account_id, grid_id in pairs
        ],
        batch_size=_BATCH,
    )


async def _seed_demo_accounts(progress: SeedProgress, now: datetime) -> tuple[int, int, int]:
    """The demo-* accounts (password ``demo``), demo-department's department,
    demo-grid's grid and demo-integration's channel."""
    existing = dict(
        await Account.filter(username__in=[s.username for s in DEMO_ACCOUNT_SPECS]).values_list(
            "username", "id"
        )
    )
    progress.stage("Demo accounts", len(DEMO_ACCOUNT_SPECS))
    accounts = workers = members = 0
    for spec in DEMO_ACCOUNT_SPECS:
        async with in_transaction():
            account_id = existing.get(spec.username)
            if account_id is None:
                account_id = await _create_demo_account(spec)
                accounts += 1
            if spec.role is Role.DEPARTMENT and not await DepartmentMember.exists(
                account_id=account_id
            ):
                department = await Department.get(code=DEMO_DEPARTMENT)
                await DepartmentMember.create(account_id=account_id, department=department)
                members += 1
            if spec.role is Role.GRID_WORKER and not await GridWorker.exists(account_id=account_id):
                grid = await Area.get(code=DEMO_GRID)
                await _assign([(account_id, grid.id)], GRID_WORKER_TITLE, now)
                workers += 1
            if spec.role is Role.INTEGRATION and not await ChannelAccount.exists(
                account_id=account_id
            ):
                channel = await Channel.get(code=DEMO_CHANNEL)
                await ChannelAccount.create(account_id=account_id, channel=channel)
        progress.advance()
    return accounts, workers, members


async def _create_demo_account(spec: DemoAccountSpec) -> int:
    record = await create_account(
        username=spec.username,
        role=spec.role,
        display_name=spec.display_name,
        password=DEMO_PASSWORD,
        is_demo=True,
        check_password_policy=False,
    )
    return record.id
