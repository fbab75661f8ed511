"""Creating staff accounts together with their place: a department or a grid."""

from __future__ import annotations

from tortoise.transactions import in_transaction

from accounts.models import Role
from accounts.service import (
    AccountRecord,
    Principal,
    create_account,
    require_role,
    validate_new_account,
)
from grids.catalogue import bind_channel, get_channel, get_department, join_department
from grids.workers import assign_grid_worker
from wuyou import events
from wuyou.errors import DomainError, ErrorCode, Problem


async def create_account_with_placement(
    *,
    username: str,
    role: Role,
    display_name: str,
    password: str | None,
    phone: str | None,
    actor: Principal | None,
    department_code: str | None = None,
    grid_code: str | None = None,
    channel_code: str | None = None,
) -> AccountRecord:
    """Create an account (ADMIN only); a DEPARTMENT account joins ``department_code``,
    a GRID_WORKER account is put on ``grid_code`` if given, an INTEGRATION account is
    bound to ``channel_code``. All or nothing."""
    require_role(actor, Role.ADMIN)
    problems = validate_new_account(username.strip().lower(), password, display_name, phone)
    if role is Role.DEPARTMENT and not department_code:
        problems.append(
            Problem(
                "departmentCode", ErrorCode.REQUIRED, "A DEPARTMENT account needs its department."
            )
        )
    if department_code and role is not Role.DEPARTMENT:
        problems.append(
            Problem(
                "departmentCode",
                ErrorCode.INVALID,
                "Only DEPARTMENT accounts belong to a department.",
            )
        )
    if department_code and role is Role.DEPARTMENT and not await get_department(department_code):
        problems.append(
            Problem("departmentCode", ErrorCode.NOT_FOUND, f"No department {department_code!r}.")
        )
    if grid_code and role is not Role.GRID_WORKER:
        problems.append(
            Problem("gridCode", ErrorCode.INVALID, "Only GRID_WORKER accounts serve a grid.")
        )
    problems += await _channel_problems(role, channel_code)
    if problems:
        raise DomainError.of(problems)
    async with events.after_commit(), in_transaction():
        account = await create_account(
            username=username,
            role=role,
            display_name=display_name,
            password=password,
            phone=phone,
            actor=actor,
        )
        if department_code:
            await join_department(account.id, department_code)
        if grid_code:
            await assign_grid_worker(username=account.username, grid_code=grid_code, actor=actor)
        if channel_code:
            await bind_channel(account.id, channel_code)
    return account


async def _channel_problems(role: Role, channel_code: str | None) -> list[Problem]:
    if role is Role.INTEGRATION and not channel_code:
        message = "An INTEGRATION account needs the channel it submits on."
        return [Problem("channelCode", ErrorCode.REQUIRED, message)]
    if channel_code and role is not Role.INTEGRATION:
        message = "Only INTEGRATION accounts are bound to a channel."
        return [Problem("channelCode", ErrorCode.INVALID, message)]
    if channel_code and await get_channel(channel_code) is None:
        return [Problem("channelCode", ErrorCode.NOT_FOUND, f"No channel {channel_code!r}.")]
    return []
