"""The one clock every domain module reads time from, so tests can move it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Protocol

from wuyou.errors import DomainError, ErrorCode

#: The platform's civil time zone (China Standard Time): days, dates and naive times
#: are read in it.
CITY_TIMEZONE = timezone(timedelta(hours=8), "CST")


class Clock(Protocol):
    """Something that tells the current time as an aware UTC datetime."""

    def now(self) -> datetime: ...


class SystemClock:
    """The wall clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class ManualClock:
    """A clock that stands still until told to move; for tests and simulations."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("ManualClock needs an aware datetime")
        self._now = start.astimezone(UTC)

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> None:
        """Move the clock forward by ``delta``."""
        self._now += delta

    def set(self, moment: datetime) -> None:
        """Jump to ``moment`` (aware)."""
        self._now = moment.astimezone(UTC)


_clock: Clock = SystemClock()


def now() -> datetime:
    """The current time from the installed clock (aware, UTC)."""
    return _clock.now()


def as_utc(moment: datetime, field: str) -> datetime:
    """``moment`` in UTC, as the database stores times; a naive time is the city's.

    Every time a query compares with must go through this: SQLite compares times as text,
    so a bound with another offset would silently select the wrong rows. Raises
    :class:`~wuyou.errors.DomainError` INVALID on ``field`` for a time too near the
    calendar's ends to convert.
    """
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=CITY_TIMEZONE)
    try:
        return aware.astimezone(UTC)
    except OverflowError:
        raise DomainError(ErrorCode.INVALID, "时间超出范围。", field) from None


def install(clock: Clock) -> Clock:
    """Install ``clock`` as the process clock and return the one it replaced."""
    global _clock
    previous, _clock = _clock, clock
    return previous
