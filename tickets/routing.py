"""Routing (分流): which department a ticket of a category in an area goes to.

A category names the key of the responsible department (``CG`` urban management, ``RL``
the heating company ...). The ticket goes to the department with that key in its own
district when the district has one, else to the city's: a blocked drain in 乌达区 goes to
乌达区城管执法局, a heating outage anywhere to the city's heating company.
"""

from __future__ import annotations

from grids.catalogue import DepartmentRecord, get_department
from grids.models import Area


async def responsible_department(
    department_key: str | None, area_path: str
) -> DepartmentRecord | None:
    """The department for ``department_key`` nearest the area with ``area_path``
    (``"150300/150304/…/"``; empty for a ticket with no location, which goes to the city);
    None when the key is unset or no department has it."""
    if not department_key:
        return None
    codes = area_path.rstrip("/").split("/") if area_path else await _city_codes()
    for area_code in reversed(codes[:2]):  # the district, then the city
        department = await get_department(f"{area_code}-{department_key}")
        if department is not None:
            return department
    return None


async def _city_codes() -> list[str]:
    rows = await Area.filter(parent_id=None).values("code")
    return [rows[0]["code"]] if rows else []
