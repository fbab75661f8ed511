"""Departments and intake channels: the catalogues tickets are routed and counted by."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from grids.areas import plausible_code
from grids.models import (
    Channel,
    ChannelAccount,
    ChannelKind,
    Department,
    DepartmentLevel,
    DepartmentMember,
)
from wuyou.errors import DomainError, ErrorCode

_DEPARTMENT_COLUMNS = ("id", "code", "name", "short_name", "level", "area_id", "duty_phone")
_CHANNEL_COLUMNS = ("id", "code", "name", "kind", "number", "department_id")


@dataclass(frozen=True, slots=True)
class DepartmentRecord:
    id: int
    code: str
    name: str
    short_name: str
    level: DepartmentLevel
    area_id: int
    duty_phone: str


@dataclass(frozen=True, slots=True)
class ChannelRecord:
    id: int
    code: str
    name: str
    kind: ChannelKind
    number: str
    department_id: int | None


def _department(row: Mapping[str, Any]) -> DepartmentRecord:
    return DepartmentRecord(**{c: row[c] for c in _DEPARTMENT_COLUMNS})


def _channel(row: Mapping[str, Any]) -> ChannelRecord:
    return ChannelRecord(**{c: row[c] for c in _CHANNEL_COLUMNS})


#: Where channels created on demand sort: after every seeded one.
_AFTER_SEEDED = 10_000
_LEVEL_RANK = {level: rank for rank, level in enumerate(DepartmentLevel)}


async def list_departments(
    *, level: DepartmentLevel | None = None, area_id: int | None = None
) -> list[DepartmentRecord]:
    """Active bodies, from the city's down to the communities', in catalogue order."""
    query = Department.filter(is_active=True)
    if level is not None:
        query = query.filter(level=level)
    if area_id is not None:
        query = query.filter(area_id=area_id)
    rows = await query.order_by("sort_order", "code").values(*_DEPARTMENT_COLUMNS)
    records = [_department(r) for r in rows]
    return sorted(records, key=lambda d: _LEVEL_RANK[d.level])  # stable: keeps the order


async def get_departments_by_id(ids: Iterable[int]) -> dict[int, DepartmentRecord]:
    """Departments by id; unknown ids are absent."""
    wanted = list(set(ids))
    if not wanted:
        return {}
    rows = await Department.filter(id__in=wanted).values(*_DEPARTMENT_COLUMNS)
    return {r["id"]: _department(r) for r in rows}


async def get_department(code: str) -> DepartmentRecord | None:
    """The department with ``code``, or None."""
    if not plausible_code(code):
        return None
    rows = await Department.filter(code=code).values(*_DEPARTMENT_COLUMNS)
    return _department(rows[0]) if rows else None


async def list_channels(*, kind: ChannelKind | None = None) -> list[ChannelRecord]:
    """Active intake channels in catalogue order."""
    query = Channel.filter(is_active=True)
    if kind is not None:
        query = query.filter(kind=kind)
    rows = await query.order_by("sort_order", "code").values(*_CHANNEL_COLUMNS)
    return [_channel(r) for r in rows]


async def get_channels_by_id(ids: Iterable[int]) -> dict[int, ChannelRecord]:
    """Channels by id (inactive ones too: old tickets keep theirs); unknown ids are absent."""
    wanted = list(set(ids))
    if not wanted:
        return {}
    rows = await Channel.filter(id__in=wanted).values(*_CHANNEL_COLUMNS)
    return {r["id"]: _channel(r) for r in rows}


async def departments_of(account_ids: Iterable[int]) -> dict[int, DepartmentRecord]:
    """The department each DEPARTMENT-role account works for (absent when none)."""
    wanted = list(set(account_ids))
    if not wanted:
        return {}
    members = await DepartmentMember.filter(account_id__in=wanted).values(
        "account_id", "department_id"
    )
    departments = await get_departments_by_id(m["department_id"] for m in members)
    return {m["account_id"]: departments[m["department_id"]] for m in members}


async def join_department(account_id: int, department_code: str) -> DepartmentRecord:
    """Make an account staff of a department (replacing any earlier department)."""
    department = await get_department(department_code)
    if department is None:
        raise DomainError(
            ErrorCode.NOT_FOUND, f"No department {department_code!r}.", "departmentCode"
        )
    await DepartmentMember.update_or_create(
        defaults={"department_id": department.id}, account_id=account_id
    )
    return department


async def get_channel(code: str) -> ChannelRecord | None:
    """The channel with ``code`` (inactive ones too), or None."""
    if not plausible_code(code):
        return None
    rows = await Channel.filter(code=code).values(*_CHANNEL_COLUMNS)
    return _channel(rows[0]) if rows else None


async def channel_of_account(account_id: int) -> ChannelRecord | None:
    """The channel an integration's service account submits on, if it is bound to one."""
    rows = await ChannelAccount.filter(account_id=account_id).values("channel_id")
    return (
        (await get_channels_by_id([rows[0]["channel_id"]])).get(rows[0]["channel_id"])
        if rows
        else None
    )


async def bind_channel(account_id: int, channel_code: str) -> ChannelRecord:
    """Bind an integration's service account to the channel it submits on; an account
    bound to another channel already is refused (INVALID on ``channel``): an integration
    gets an account per channel."""
    channel = await get_channel(channel_code)
    if channel is None:
        raise DomainError(ErrorCode.NOT_FOUND, f"No channel {channel_code!r}.", "channel")
    bound = await channel_of_account(account_id)
    if bound is not None and bound.id != channel.id:
        raise DomainError(
            ErrorCode.INVALID, f"This account submits on {bound.code} already.", "channel"
        )
    await ChannelAccount.get_or_create(account_id=account_id, defaults={"channel_id": channel.id})
    return channel


async def ensure_channel(code: str, name: str, kind: ChannelKind) -> ChannelRecord:
    """The channel with ``code``, created active with ``name`` and ``kind`` if missing
    (a platform channel such as the Open311 interface's, which no seed may have loaded)."""
    await Channel.get_or_create(
        code=code, defaults={"name": name, "kind": kind, "sort_order": _AFTER_SEEDED}
    )
    channel = await get_channel(code)
    assert channel is not None
    return channel
