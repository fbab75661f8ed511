"""Routing: the body with the category's key nearest the ticket's place, walking up from
its grid through its community, street and district to the city."""

from __future__ import annotations

import pytest

from grids.models import Department
from tickets.routing import responsible_department

pytestmark = pytest.mark.usefixtures("connected")

WUDA_GRID = "150300/150304/150304001/150304001001/150304001001-G01/"
VILLAGE_GRID = "150300/150304/150304100/150304100201/150304100201-G01/"


@pytest.mark.parametrize(
    ("key", "path", "body"),
    [
        ("SQ", WUDA_GRID, "150304001001-SQ"),  # 三道坎社区居民委员会
        ("SQ", VILLAGE_GRID, "150304100201-SQ"),  # 乌兰淖尔村村民委员会
        ("JD", WUDA_GRID, "150304001-JD"),  # 三道坎街道办事处
        ("JD", VILLAGE_GRID, "150304100-JD"),  # 乌兰淖尔镇人民政府
        ("CG", WUDA_GRID, "150304-CG"),  # the district's, not the city's
        ("RL", WUDA_GRID, "150300-RL"),  # the city's only
    ],
)
async def test_the_nearest_body_with_the_key_takes_the_ticket(
    key: str, path: str, body: str
) -> None:
    department = await responsible_department(key, path)
    assert department is not None and department.code == body


async def test_a_ticket_without_a_location_goes_to_the_city_and_unknown_keys_nowhere() -> None:
    department = await responsible_department("CG", "")
    assert department is not None and department.code == "150300-CG"
    assert await responsible_department("SQ", "") is None  # no community to ask
    assert await responsible_department(None, WUDA_GRID) is None
    assert await responsible_department("NOPE", WUDA_GRID) is None


async def test_an_inactive_body_is_passed_over_for_the_next_one_up() -> None:
    district = await Department.get(code="150304-CG")
    await Department.filter(id=district.id).update(is_active=False)
    try:
        department = await responsible_department("CG", WUDA_GRID)
    finally:
        await Department.filter(id=district.id).update(is_active=True)
    assert department is not None and department.code == "150300-CG"
