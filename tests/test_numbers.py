"""Daily numbers: they run per civil day, never repeat, and survive a lost sequence."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date, datetime

import pytest
from tortoise.transactions import in_transaction

from wuyou.clock import CITY_TIMEZONE
from wuyou.numbers import next_number

pytestmark = pytest.mark.usefixtures("connected")


def _prefix() -> str:
    return "T" + uuid.uuid4().hex[:5].upper()


async def _none(day: date) -> int:
    return 0


async def test_numbers_run_per_city_day() -> None:
    prefix = _prefix()
    late = datetime.fromisoformat("2026-03-02T15:59:00+00:00")  # 23:59 in the city
    assert late.astimezone(CITY_TIMEZONE).day == 2
    assert await next_number(prefix, late, issued_on=_none) == f"{prefix}20260302000001"
    assert await next_number(prefix, late, issued_on=_none) == f"{prefix}20260302000002"
    midnight = datetime.fromisoformat("2026-03-02T16:00:00+00:00")  # 00:00 the next day
    assert await next_number(prefix, midnight, issued_on=_none) == f"{prefix}20260303000001"


async def test_a_lost_sequence_continues_after_the_numbers_already_issued() -> None:
    prefix = _prefix()

    async def forty_one(day: date) -> int:
        return 41

    now = datetime.fromisoformat("2026-03-05T02:00:00+00:00")
    assert await next_number(prefix, now, issued_on=forty_one) == f"{prefix}20260305000042"


async def test_concurrent_callers_draw_distinct_numbers() -> None:
    prefix = _prefix()
    now = datetime.fromisoformat("2026-03-06T02:00:00+00:00")

    async def draw() -> str:
        async with in_transaction():
            return await next_number(prefix, now, issued_on=_none)

    numbers = await asyncio.gather(*(draw() for _ in range(10)))
    assert sorted(numbers) == [f"{prefix}20260306{n:06d}" for n in range(1, 11)]
