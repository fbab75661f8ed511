"""The hotline catalogue in the database: categories and the working calendar."""

from __future__ import annotations

import pytest

from tickets.catalogue import working_calendar
from tickets.demo.categories import LEAF_COUNT, category_tree
from tickets.demo.seed import seed_ticket_catalogue
from tickets.holidays import china_calendar
from tickets.models import Category

pytestmark = pytest.mark.usefixtures("connected")


async def test_the_demo_catalogue_is_loaded_once() -> None:
    assert await Category.all().count() == len(category_tree())
    assert await Category.filter(level=3).count() == LEAF_COUNT
    again = await seed_ticket_catalogue()
    assert again.total() == 0
    vending = await Category.get(code="URBAN.CITYSCAPE.STREET_VENDING").prefetch_related(
        "parent__parent"
    )
    assert vending.department_key == "JD" and vending.parent.parent.name == "城市管理"  # type: ignore[union-attr]


async def test_the_working_calendar_comes_from_the_database() -> None:
    loaded = await working_calendar()
    assert loaded.holidays == china_calendar().holidays
    assert loaded.workdays == china_calendar().workdays
