"""Routing: the district's department with the category's key, else the city's."""

from __future__ import annotations

import pytest

from tickets.routing import responsible_department

pytestmark = pytest.mark.usefixtures("connected")

WUDA_GRID = "150300/150304/150304001/150304001001/150304001001-G01/"


async def test_a_district_department_takes_its_own_districts_tickets() -> None:
    department = await responsible_department("CG", WUDA_GRID)
    assert department is not None and department.code == "150304-CG"


async def test_a_city_only_department_takes_tickets_from_everywhere() -> None:
    department = await responsible_department("RL", WUDA_GRID)
    assert department is not None and department.code == "150300-RL"


async def test_a_ticket_without_a_location_goes_to_the_city_and_unknown_keys_nowhere() -> None:
    department = await responsible_department("CG", "")
    assert department is not None and department.code == "150300-CG"
    assert await responsible_department(None, WUDA_GRID) is None
    assert await responsible_department("NOPE", WUDA_GRID) is None
