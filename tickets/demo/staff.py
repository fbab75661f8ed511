"""The demo accounts that work the demo tickets: hotline agents and department staff.

Agents take calls and do the agents' steps (with demo-agent); one staff account per
department that gets tickets signs, returns and resolves them (demo-department for its
own department). Missing ones are created without a password, with their CREATED event.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import datetime

from accounts.models import Account, AccountEvent, AccountEventKind, Role
from grids.catalogue import DepartmentRecord
from grids.demo.people import DEMO_DEPARTMENT, person_name
from grids.models import DepartmentMember

#: The hotline agents who take calls and do the agents' steps (with demo-agent).
AGENT_PREFIX = "agent-"
AGENT_COUNT = 12
#: Department staff who sign, return and resolve: one per department that gets tickets.
STAFF_PREFIX = "staff-"

_NOTE = "演示数据"


def agent_names() -> list[str]:
    """The usernames of the demo agents."""
    return [f"{AGENT_PREFIX}{n:02d}" for n in range(1, AGENT_COUNT + 1)]


async def agent_accounts(known: dict[str, int], now: datetime, rng: random.Random) -> list[int]:
    """The hotline agents' account ids; those not ``known`` (username: id) are created at
    ``now``, named by ``rng``."""
    names = {username: person_name(rng) for username in agent_names()}
    await _create_accounts({u: n for u, n in names.items() if u not in known}, Role.AGENT, {}, now)
    ids = dict(await Account.filter(username__in=list(names)).values_list("username", "id"))
    return [ids[username] for username in names]


async def staff_accounts(
    departments: Iterable[DepartmentRecord], now: datetime, rng: random.Random
) -> dict[int, int]:
    """The account acting for each department (by id): demo-department for its
    department, else the department's demo staff account (created at ``now`` if missing,
    named by ``rng``)."""
    codes = {department.id: department.code for department in departments}
    staff: dict[int, int] = {}
    demo = await Account.filter(
        username="demo-department", department_member__department__code=DEMO_DEPARTMENT
    ).first()
    for dept_id, code in codes.items():
        if demo is not None and code == DEMO_DEPARTMENT:
            staff[dept_id] = demo.id
    usernames = {
        dept_id: f"{STAFF_PREFIX}{code.lower()}"
        for dept_id, code in sorted(codes.items())
        if dept_id not in staff
    }
    known = dict(
        await Account.filter(username__in=list(usernames.values())).values_list("username", "id")
    )
    missing = {u: person_name(rng) for u in usernames.values() if u not in known}
    by_username = {username: dept_id for dept_id, username in usernames.items()}
    await _create_accounts(missing, Role.DEPARTMENT, {u: by_username[u] for u in missing}, now)
    ids = dict(
        await Account.filter(username__in=list(usernames.values())).values_list("username", "id")
    )
    return staff | {dept_id: ids[username] for dept_id, username in usernames.items()}


async def _create_accounts(
    names: dict[str, str], role: Role, departments: dict[str, int], now: datetime
) -> None:
    """Password-less demo accounts ``username: display name`` with their CREATED event,
    and for staff their department (``username: department id``)."""
    if not names:
        return
    await Account.bulk_create(
        [
            Account(
                username=username,
                display_name=name,
                role=role,
                password_hash=None,
                is_demo=True,
                created_at=now,
                updated_at=now,
            )
            for username, name in names.items()
        ]
    )
    ids = dict(await Account.filter(username__in=list(names)).values_list("username", "id"))
    await AccountEvent.bulk_create(
        [
            AccountEvent(
                account_id=ids[username],
                kind=AccountEventKind.CREATED,
                note=f"role {role.value}; {_NOTE}",
                occurred_at=now,
            )
            for username in names
        ]
    )
    if departments:
        await DepartmentMember.bulk_create(
            [
                DepartmentMember(account_id=ids[username], department_id=departments[username])
                for username in names
            ]
        )
