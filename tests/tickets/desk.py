"""Helpers for ticket tests: the demo accounts, department staff, and a fresh ticket."""

from __future__ import annotations

from accounts.models import Account, Role
from accounts.service import Principal
from grids.models import Area, AreaLevel
from grids.staff import create_account_with_placement
from tests.conftest import unique
from tickets.intake import TicketRequest, create_ticket
from tickets.records import TicketRecord
from tickets.sla import TicketKind


async def principal(username: str) -> Principal:
    """The demo account called ``username`` as a principal."""
    account = await Account.get(username=username)
    return Principal(account.id, account.username, account.role)


async def staff_of(department_code: str) -> Principal:
    """A new staff account of the department with ``department_code``."""
    record = await create_account_with_placement(
        username=unique("dept"),
        role=Role.DEPARTMENT,
        display_name="部门办理人",
        password=None,
        phone=None,
        actor=await principal("demo-admin"),
        department_code=department_code,
    )
    return Principal(record.id, record.username, Role.DEPARTMENT)


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
