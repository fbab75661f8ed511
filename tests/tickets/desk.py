"""Helpers for ticket tests: the demo accounts, department staff, and a fresh ticket."""

from __future__ import annotations

from accounts.models import Account, Role
from accounts.service import Principal, create_account
from grids.models import Area, AreaLevel
from grids.staff import create_account_with_placement
from tests.conftest import unique
from tickets.intake import TicketRequest, create_ticket
from tickets.records import TicketRecord
from tickets.sla import TicketKind, Urgency


async def principal(username: str) -> Principal:
    """The demo account called ``username`` as a principal."""
    account = await Account.get(username=username)
    return Principal(account.id, account.username, account.role)


async def _placed(role: Role, prefix: str, display_name: str, **placement: str) -> Principal:
    """A new password-less account of ``role``, placed by demo-admin."""
    record = await create_account_with_placement(
        username=unique(prefix),
        role=role,
        display_name=display_name,
        password=None,
        phone=None,
        actor=await principal("demo-admin"),
        **placement,
    )
    return Principal(record.id, record.username, role)


async def staff_of(department_code: str) -> Principal:
    """A new staff account of the department with ``department_code``."""
    return await _placed(Role.DEPARTMENT, "dept", "部门办理人", department_code=department_code)


async def new_ticket(kind: TicketKind = TicketKind.COMPLAINT) -> TicketRecord:
    """A fresh catering-fumes complaint taken by demo-agent in the last grid."""
    grid = await Area.filter(level=AreaLevel.GRID).order_by("-code").first()
    assert grid is not None
    return await create_ticket(
        TicketRequest(
            channel="HL-12345",
            kind=kind,
            title="楼下饭店油烟扰民",
            content="楼下饭店油烟直排，窗户都不敢开。",
            category="ENVIRONMENT.AIR.CATERING_FUMES",
            citizen_name="吴十",
            citizen_phone="13612345678",
            lat=grid.centroid_lat,
            lng=grid.centroid_lng,
        ),
        actor=await principal("demo-agent"),
    )


async def intake(
    title: str,
    *,
    channel: str = "HL-12345",
    kind: TicketKind = TicketKind.COMPLAINT,
    category: str | None = None,
    grid: str | None = None,
    urgency: Urgency = Urgency.NORMAL,
    content: str = "详见标题。",
    address: str = "",
    actor: Principal | None = None,
) -> TicketRecord:
    """A ticket taken by demo-agent (or ``actor``), located at ``grid``'s centre if given."""
    area = await Area.get(code=grid) if grid else None
    return await create_ticket(
        TicketRequest(
            channel=channel,
            kind=kind,
            title=title,
            content=content,
            category=category,
            urgency=urgency,
            citizen_name="赵六",
            citizen_phone="13712345678",
            lat=area.centroid_lat if area else None,
            lng=area.centroid_lng if area else None,
            address=address,
        ),
        actor=actor or await principal("demo-agent"),
    )


async def new_citizen() -> Principal:
    """A new citizen account."""
    record = await create_account(
        username=unique("citizen"), role=Role.CITIZEN, display_name="赵六", password=None
    )
    return Principal(record.id, record.username, Role.CITIZEN)


async def grid_worker(grid_code: str) -> Principal:
    """A new grid worker serving the grid with ``grid_code``."""
    return await _placed(Role.GRID_WORKER, "gw", "网格员", grid_code=grid_code)
