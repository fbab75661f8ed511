"""Mainland China's public-holiday schedule, as data the platform ships with.

The dates of each year's holidays and make-up working days (调休) are not computable:
the General Office of the State Council (国务院办公厅) publishes them in a notice,
"国务院办公厅关于<year>年部分节假日安排的通知", usually in November of the year before.
**Operators must load each new year's schedule when it is published**; until then that
year is counted as plain Monday-to-Friday weeks, with no holidays and no make-up days.
Pass the new ranges to :func:`china_calendar` (``extra_holidays``/``extra_workdays``)
or add a ``CHINA_<year>`` pair here.

Known years: 2026 only, from the notice dated 2025-11-04 (国办, published by Xinhua;
checked against several reprints of the Xinhua text). 2027 is not included: its notice
had not been found when this module was written, and dates are never guessed.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta, tzinfo

from tickets.calendar import WorkingCalendar
from wuyou.clock import CITY_TIMEZONE

HolidayRange = tuple[date, date, str]
"""First day, last day (inclusive) and the holiday's name."""
MakeUpDay = tuple[date, str]
"""A weekend day worked instead, and the holiday it makes up for."""

#: 2026 holidays (国务院办公厅关于2026年部分节假日安排的通知, 2025-11-04).
CHINA_2026: tuple[HolidayRange, ...] = (
    (date(2026, 1, 1), date(2026, 1, 3), "元旦"),
    (date(2026, 2, 15), date(2026, 2, 23), "春节"),
    (date(2026, 4, 4), date(2026, 4, 6), "清明节"),
    (date(2026, 5, 1), date(2026, 5, 5), "劳动节"),
    (date(2026, 6, 19), date(2026, 6, 21), "端午节"),
    (date(2026, 9, 25), date(2026, 9, 27), "中秋节"),
    (date(2026, 10, 1), date(2026, 10, 7), "国庆节"),
)

#: 2026 make-up working days (调休上班), from the same notice.
CHINA_2026_WORKDAYS: tuple[MakeUpDay, ...] = (
    (date(2026, 1, 4), "元旦"),
    (date(2026, 2, 14), "春节"),
    (date(2026, 2, 28), "春节"),
    (date(2026, 5, 9), "劳动节"),
    (date(2026, 9, 20), "国庆节"),
    (date(2026, 10, 10), "国庆节"),
)

#: Years whose official schedule this module carries.
KNOWN_YEARS: frozenset[int] = frozenset({2026})

CHINA_HOLIDAYS: tuple[HolidayRange, ...] = CHINA_2026
CHINA_WORKDAYS: tuple[MakeUpDay, ...] = CHINA_2026_WORKDAYS


def expand(ranges: Iterable[HolidayRange]) -> frozenset[date]:
    """Every day of the inclusive ``ranges``."""
    days: set[date] = set()
    for first, last, name in ranges:
        if last < first:
            raise ValueError(f"holiday {name!r} ends ({last}) before it starts ({first})")
        days.update(first + timedelta(days=n) for n in range((last - first).days + 1))
    return frozenset(days)


def china_calendar(
    *,
    extra_holidays: Iterable[HolidayRange] = (),
    extra_workdays: Iterable[MakeUpDay] = (),
    timezone: tzinfo = CITY_TIMEZONE,
) -> WorkingCalendar:
    """The mainland China working calendar for :data:`KNOWN_YEARS`, plus any extras."""
    return WorkingCalendar(
        holidays=expand((*CHINA_HOLIDAYS, *extra_holidays)),
        workdays=frozenset(day for day, _ in (*CHINA_WORKDAYS, *extra_workdays)),
        timezone=timezone,
    )
