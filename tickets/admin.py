"""Administering what deadlines are made of: the working calendar's holidays and make-up
working days, and each category's deadlines, department and urgency (ADMIN only).

Changes apply to deadlines set after them; tickets keep the deadlines they were given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Any

from accounts.models import Role
from accounts.service import Principal, require_role
from grids.models import Department
from tickets.categories import LEAF_LEVEL, CategoryRecord, get_category
from tickets.models import CalendarDay, CalendarDayKind, Category
from tickets.sla import Urgency
from wuyou.errors import DomainError, ErrorCode, Problem

CALENDAR_NAME_MAX_LENGTH = 32
#: The most working days a category may allow to reply or complete.
MAX_CATEGORY_DAYS = 60
DEPARTMENT_KEY_PATTERN = re.compile(r"^[A-Z0-9]{1,16}$")


class Unchanged(Enum):
    """The type of :data:`UNCHANGED`."""

    UNCHANGED = "UNCHANGED"


#: Leave a field as it is (None clears it).
UNCHANGED = Unchanged.UNCHANGED


@dataclass(frozen=True, slots=True)
class CalendarDayRecord:
    """A public holiday, or a weekend day declared a working day (调休)."""

    id: int
    day: date
    kind: CalendarDayKind
    name: str


_DAY_COLUMNS = tuple(CalendarDayRecord.__dataclass_fields__)


async def set_calendar_day(
    *, day: date, kind: CalendarDayKind, name: str, actor: Principal | None
) -> CalendarDayRecord:
    """Declare ``day`` a holiday or a make-up working day (replacing what it was).

    A make-up working day must fall on a weekend (INVALID on ``kind``). Deadlines set
    from now on count with it; those already set stay as they are.
    """
    require_role(actor, Role.ADMIN)
    label = name.strip()
    problems: list[Problem] = []
    if len(label) > CALENDAR_NAME_MAX_LENGTH:
        problems.append(
            Problem("name", ErrorCode.TOO_LONG, f"名称最多 {CALENDAR_NAME_MAX_LENGTH} 个字。")
        )
    if kind is CalendarDayKind.WORKDAY and day.weekday() < 5:
        problems.append(Problem("kind", ErrorCode.INVALID, "调休上班日只能是周六或周日。"))
    if problems:
        raise DomainError.of(problems)
    row, _ = await CalendarDay.update_or_create(defaults={"kind": kind, "name": label}, day=day)
    return CalendarDayRecord(id=row.id, day=day, kind=kind, name=label)


async def remove_calendar_day(*, day: date, actor: Principal | None) -> bool:
    """Make ``day`` an ordinary day again; False when it was one already."""
    require_role(actor, Role.ADMIN)
    return bool(await CalendarDay.filter(day=day).delete())


async def calendar_days(year: int) -> list[CalendarDayRecord]:
    """The holidays and make-up working days of ``year``, by date."""
    rows = await (
        CalendarDay.filter(day__gte=date(year, 1, 1), day__lte=date(year, 12, 31))
        .order_by("day")
        .values(*_DAY_COLUMNS)
    )
    return [CalendarDayRecord(**r) for r in rows]


async def update_category(
    *,
    code: str,
    actor: Principal | None,
    reply_days: int | Unchanged | None = UNCHANGED,
    complete_days: int | Unchanged | None = UNCHANGED,
    department_key: str | Unchanged | None = UNCHANGED,
    urgency_hint: Urgency | Unchanged | None = UNCHANGED,
    is_active: bool | Unchanged = UNCHANGED,
) -> CategoryRecord:
    """Change a category: each argument left :data:`UNCHANGED` stays, None clears it
    (the kind's default deadlines, no routing, no urgency hint).

    Only leaves (level 3) carry deadlines, a department and an urgency hint (WRONG_LEVEL).
    Days are 1..60 working days (OUT_OF_RANGE), the reply no later than completion
    (INVALID on ``replyDays``), and the department key one some department has
    (NOT_FOUND). New deadlines apply to tickets dispatched (or reopened) after the
    change; tickets already dispatched keep theirs. Raises every problem at once.
    """
    require_role(actor, Role.ADMIN)
    category = await get_category(code)
    if category is None:
        raise DomainError(ErrorCode.NOT_FOUND, "没有这个诉求分类。", "code")
    leaf_only = {
        "replyDays": ("reply_days", reply_days),
        "completeDays": ("complete_days", complete_days),
        "departmentKey": ("department_key", department_key),
        "urgencyHint": ("urgency_hint", urgency_hint),
    }
    changes: dict[str, Any] = {
        column: value for column, value in leaf_only.values() if value is not UNCHANGED
    }
    problems: list[Problem] = []
    if category.level != LEAF_LEVEL:
        problems += [
            Problem(field, ErrorCode.WRONG_LEVEL, "只有第三级分类设定时限、承办部门和紧急程度。")
            for field, (_, value) in leaf_only.items()
            if value is not UNCHANGED
        ]
    problems += _days_problems(category, reply_days, complete_days)
    if isinstance(department_key, str):
        key = department_key.strip().upper()
        changes["department_key"] = key
        if not await _department_key_exists(key):
            problems.append(Problem("departmentKey", ErrorCode.NOT_FOUND, "没有部门使用这个代码。"))
    if problems:
        raise DomainError.of(problems)
    if is_active is not UNCHANGED:
        changes["is_active"] = is_active
    if changes:
        await Category.filter(id=category.id).update(**changes)
    updated = await get_category(category.code)
    assert updated is not None
    return updated


def _days_problems(
    category: CategoryRecord,
    reply_days: int | Unchanged | None,
    complete_days: int | Unchanged | None,
) -> list[Problem]:
    problems = [
        Problem(field, ErrorCode.OUT_OF_RANGE, f"应为 1–{MAX_CATEGORY_DAYS} 个工作日。")
        for field, days in (("replyDays", reply_days), ("completeDays", complete_days))
        if isinstance(days, int) and not 1 <= days <= MAX_CATEGORY_DAYS
    ]
    reply = category.reply_days if reply_days is UNCHANGED else reply_days
    complete = category.complete_days if complete_days is UNCHANGED else complete_days
    if not problems and reply is not None and complete is not None and reply > complete:
        problems.append(Problem("replyDays", ErrorCode.INVALID, "答复时限不能长于办结时限。"))
    return problems


async def _department_key_exists(key: str) -> bool:
    """Whether any department has the key (codes are ``{area code}-{key}``)."""
    return bool(DEPARTMENT_KEY_PATTERN.match(key)) and (
        await Department.filter(code__endswith=f"-{key}").exists()
    )
