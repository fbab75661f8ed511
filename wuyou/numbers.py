"""Human-readable numbers that run per civil day: FW20261127000123, WH20261127000042."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, datetime

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from wuyou.clock import CITY_TIMEZONE
from wuyou.models import NumberSequence


async def next_number(
    prefix: str, now: datetime, *, issued_on: Callable[[date], Awaitable[int]]
) -> str:
    """The next number for ``prefix`` on ``now``'s day in the city: prefix, date, and the
    day's sequence in six digits.

    Call it inside the transaction that stores the numbered row, so a rolled-back row
    gives its number back. A conditional increment makes concurrent callers draw distinct
    numbers. ``issued_on(day)`` tells how many numbers the day already has; it is asked
    only when the day's sequence row is missing (the first number of the day, or a
    sequence lost in a restore), so numbering never repeats one already used.
    """
    day = now.astimezone(CITY_TIMEZONE).date()
    sequence = NumberSequence.filter(prefix=prefix, day=day)
    if not await sequence.update(value=F("value") + 1):
        try:
            async with in_transaction():
                await NumberSequence.create(prefix=prefix, day=day, value=await issued_on(day) + 1)
        except IntegrityError:  # another caller started the day at the same moment
            await sequence.update(value=F("value") + 1)
    value = (await sequence.values_list("value", flat=True))[0]
    return f"{prefix}{day:%Y%m%d}{value:06d}"
