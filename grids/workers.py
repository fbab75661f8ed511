"""Grid workers: who serves which grid, and assigning them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from tortoise.transactions import in_transaction

from accounts.models import Account, Role
from accounts.service import Principal, find_account, require_role
from grids.areas import plausible_code
from grids.models import Area, AreaLevel, GridAssignmentEvent, GridWorker
from wuyou import clock, events
from wuyou.errors import DomainError, ErrorCode

_COLUMNS = (
    "account_id",
    "grid_id",
    "title",
    "assigned_at",
    "account__username",
    "account__display_name",
    "account__phone",
)


@dataclass(frozen=True, slots=True)
class GridWorkerRecord:
    account_id: int
    username: str
    display_name: str
    phone: str | None
    grid_id: int | None
    title: str
    assigned_at: datetime | None


def area_topic(code: str) -> str:
    """The broadcast topic for events about one area."""
    return f"area:{code}"


def _record(row: dict[str, object]) -> GridWorkerRecord:
    return GridWorkerRecord(
        account_id=row["account_id"],  # type: ignore[arg-type]
        username=row["account__username"],  # type: ignore[arg-type]
        display_name=row["account__display_name"],  # type: ignore[arg-type]
        phone=row["account__phone"],  # type: ignore[arg-type]
        grid_id=row["grid_id"],  # type: ignore[arg-type]
        title=row["title"],  # type: ignore[arg-type]
        assigned_at=row["assigned_at"],  # type: ignore[arg-type]
    )


async def workers_in_grids(grid_ids: Iterable[int]) -> dict[int, list[GridWorkerRecord]]:
    """The workers currently serving each grid, by display name."""
    wanted = list(set(grid_ids))
    result: dict[int, list[GridWorkerRecord]] = {gid: [] for gid in wanted}
    if wanted:
        rows = await (
            GridWorker.filter(grid_id__in=wanted, account__is_active=True)
            .order_by("account__display_name", "account_id")
            .values(*_COLUMNS)
        )
        for row in rows:
            result[row["grid_id"]].append(_record(row))
    return result


async def workers_within(path_prefixes: Iterable[str]) -> dict[str, list[GridWorkerRecord]]:
    """The workers serving any grid beneath each area path (``Area.path``)."""
    result: dict[str, list[GridWorkerRecord]] = defaultdict(list)
    for prefix in set(path_prefixes):
        rows = await (
            GridWorker.filter(grid__path__startswith=prefix, account__is_active=True)
            .order_by("grid__code", "account__display_name", "account_id")
            .values(*_COLUMNS)
        )
        result[prefix] = [_record(r) for r in rows]
    return result


async def grid_of_workers(account_ids: Iterable[int]) -> dict[int, int]:
    """The grid each worker serves now (absent when unassigned)."""
    wanted = list(set(account_ids))
    if not wanted:
        return {}
    rows = await GridWorker.filter(account_id__in=wanted, grid_id__isnull=False).values(
        "account_id", "grid_id"
    )
    return {r["account_id"]: r["grid_id"] for r in rows}


async def assign_grid_worker(
    *,
    username: str,
    grid_code: str,
    actor: Principal | None,
    title: str | None = None,
    note: str = "",
) -> GridWorkerRecord:
    """Put a GRID_WORKER account on a grid (moving it from its previous grid, if any).

    Only administrators may assign. Raises DomainError NOT_FOUND, WRONG_ROLE, WRONG_LEVEL.
    """
    require_role(actor, Role.ADMIN)
    account = await find_account(username)
    if account is None:
        raise DomainError(ErrorCode.NOT_FOUND, f"No account {username!r}.", "username")
    if account.role is not Role.GRID_WORKER:
        raise DomainError(
            ErrorCode.WRONG_ROLE, "Only GRID_WORKER accounts serve grids.", "username"
        )
    grid = await Area.get_or_none(code=grid_code) if plausible_code(grid_code) else None
    if grid is None:
        raise DomainError(ErrorCode.NOT_FOUND, f"No area {grid_code!r}.", "gridCode")
    if grid.level is not AreaLevel.GRID:
        raise DomainError(
            ErrorCode.WRONG_LEVEL, "Workers are assigned to GRID-level areas.", "gridCode"
        )
    return await _move(account, grid, actor, title, note)


async def unassign_grid_worker(
    *, username: str, actor: Principal | None, note: str = ""
) -> GridWorkerRecord:
    """Take a worker off its grid (the account stays; history keeps the assignment)."""
    require_role(actor, Role.ADMIN)
    account = await find_account(username)
    if account is None or account.role is not Role.GRID_WORKER:
        raise DomainError(ErrorCode.NOT_FOUND, f"No grid worker {username!r}.", "username")
    return await _move(account, None, actor, None, note)


async def _move(
    account: Account, grid: Area | None, actor: Principal | None, title: str | None, note: str
) -> GridWorkerRecord:
    now = clock.now()
    new_grid_id = grid.id if grid else None
    async with events.after_commit(), in_transaction():
        worker, _ = await GridWorker.get_or_create(account=account)
        previous_grid_id = worker.grid_id
        changes: dict[str, object] = {"grid_id": new_grid_id, "assigned_at": now if grid else None}
        if title:
            changes["title"] = title
        # Conditional on the grid we read: a concurrent move makes this one fail cleanly.
        moved = await GridWorker.filter(id=worker.id, grid_id=previous_grid_id).update(**changes)
        if not moved:
            raise DomainError(
                ErrorCode.INVALID_STATE,
                "The worker was reassigned meanwhile; try again.",
                "username",
            )
        await GridAssignmentEvent.create(
            worker=worker,
            from_grid_id=previous_grid_id,
            to_grid_id=new_grid_id,
            actor_id=actor.account_id if actor else None,
            note=note,
            occurred_at=now,
        )
        if previous_grid_id is not None and previous_grid_id != new_grid_id:
            previous = await Area.get(id=previous_grid_id)
            await _publish_up(previous, "GRID_WORKER_UNASSIGNED", account.username)
        if grid is not None:
            await _publish_up(grid, "GRID_WORKER_ASSIGNED", account.username)
    return GridWorkerRecord(
        account_id=account.id,
        username=account.username,
        display_name=account.display_name,
        phone=account.phone,
        grid_id=new_grid_id,
        title=title or worker.title,
        assigned_at=now if grid else None,
    )


async def _publish_up(grid: Area, kind: str, username: str) -> None:
    """Tell subscribers of the grid and of every area above it."""
    for code in grid.path.rstrip("/").split("/"):
        await events.publish(area_topic(code), kind, username=username, grid_code=grid.code)
