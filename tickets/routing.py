"""Routing (分流): which body a ticket of a category in an area goes to.

A category names the key of the responsible body (``SQ`` the community or village
committee, ``JD`` the street office or town government, ``CG`` urban management, ``RL``
the heating company ...). The ticket goes to the body with that key nearest its place,
walking up from its grid through its community, street and district to the city: a
neighbours' quarrel goes to the community's committee, a street stall to the street
office, a blocked drain in 乌达区 to 乌达区城管执法局, a heating outage anywhere to the
city's heating company.
"""

from __future__ import annotations

from grids.catalogue import DepartmentRecord, get_departments_by_id
from grids.models import Area, Department


async def responsible_department(
    department_key: str | None, area_path: str
) -> DepartmentRecord | None:
    """The active body for ``department_key`` nearest the area with ``area_path``
    (``"150300/150304/…/"``; empty for a ticket with no location, which goes to the city);
    None when the key is unset or no body along the way has it."""
    if not department_key:
        return None
    codes = area_path.rstrip("/").split("/") if area_path else await _city_codes()
    wanted = [f"{area_code}-{department_key}" for area_code in codes]
    found = dict(await Department.filter(code__in=wanted, is_active=True).values_list("code", "id"))
    for code in reversed(wanted):  # the most specific area first
        if code in found:
            return (await get_departments_by_id([found[code]]))[found[code]]
    return None


async def _city_codes() -> list[str]:
    rows = await Area.filter(parent_id=None).values("code")
    return [rows[0]["code"]] if rows else []
