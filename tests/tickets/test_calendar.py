"""Working-day deadlines: weekends, holidays, 调休 make-up days and the UTC+8 civil day."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import pytest

from tickets.calendar import WorkingCalendar
from tickets.holidays import (
    CHINA_2026,
    CHINA_2026_WORKDAYS,
    KNOWN_YEARS,
    china_calendar,
    expand,
)
from wuyou.clock import CITY_TIMEZONE

PLAIN = WorkingCalendar()
CHINA = china_calendar()


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A moment given in the city's civil time."""
    return datetime(year, month, day, hour, minute, tzinfo=CITY_TIMEZONE)


def end_of(year: int, month: int, day: int) -> datetime:
    """The end of that civil day in UTC+8, i.e. 16:00Z of the same date."""
    return datetime(year, month, day, 16, tzinfo=UTC)


# -- ordinary weeks and weekends ------------------------------------------------------


def test_friday_afternoon_with_three_working_days_is_due_end_of_wednesday() -> None:
    friday = local(2026, 3, 6, 15, 30)
    deadline = CHINA.add_working_days(friday, 3)
    assert deadline == end_of(2026, 3, 11)
    assert deadline.tzinfo is UTC
    assert deadline.astimezone(CITY_TIMEZONE) == local(2026, 3, 12)


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        (date(2026, 3, 2), 1, date(2026, 3, 3)),  # Monday -> Tuesday
        (date(2026, 3, 2), 4, date(2026, 3, 6)),  # Monday -> Friday
        (date(2026, 3, 2), 5, date(2026, 3, 9)),  # Monday -> next Monday
        (date(2026, 3, 6), 1, date(2026, 3, 9)),  # Friday -> Monday
        (date(2026, 3, 7), 1, date(2026, 3, 9)),  # Saturday -> Monday
        (date(2026, 3, 8), 1, date(2026, 3, 9)),  # Sunday -> Monday
        (date(2026, 3, 8), 10, date(2026, 3, 20)),
        (date(2026, 3, 4), 15, date(2026, 3, 25)),
    ],
)
def test_weekends_are_skipped(start: date, days: int, due: date) -> None:
    moment = local(start.year, start.month, start.day, 9)
    assert PLAIN.add_working_days(moment, days) == PLAIN.end_of_day(due)
    assert CHINA.add_working_days(moment, days) == CHINA.end_of_day(due)


def test_is_working_day_on_a_plain_week() -> None:
    week = [date(2026, 3, 2) + timedelta(days=n) for n in range(7)]
    assert [PLAIN.is_working_day(d) for d in week] == [True] * 5 + [False] * 2


def test_next_working_day_and_on_or_after() -> None:
    assert CHINA.next_working_day(date(2026, 3, 6)) == date(2026, 3, 9)
    assert CHINA.next_working_day(date(2026, 3, 2)) == date(2026, 3, 3)
    assert CHINA.working_day_on_or_after(date(2026, 3, 2)) == date(2026, 3, 2)
    assert CHINA.working_day_on_or_after(date(2026, 3, 7)) == date(2026, 3, 9)
    assert CHINA.next_working_day(date(2026, 2, 13)) == date(2026, 2, 14)  # 调休 Saturday
    assert CHINA.next_working_day(date(2026, 2, 14)) == date(2026, 2, 24)
    assert CHINA.working_day_on_or_after(date(2026, 10, 1)) == date(2026, 10, 8)


# -- holidays and make-up days --------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "due"),
    [
        (1, date(2026, 2, 14)),  # make-up Saturday
        (2, date(2026, 2, 24)),  # 15..23 February off
        (5, date(2026, 2, 27)),
        (6, date(2026, 2, 28)),  # make-up Saturday
        (7, date(2026, 3, 2)),
    ],
)
def test_spring_festival(days: int, due: date) -> None:
    friday = local(2026, 2, 13, 17)
    assert CHINA.add_working_days(friday, days) == CHINA.end_of_day(due)


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        (date(2026, 9, 18), 1, date(2026, 9, 20)),  # Friday -> make-up Sunday
        (date(2026, 9, 24), 1, date(2026, 9, 28)),  # Mid-Autumn Friday 25 off
        (date(2026, 9, 30), 1, date(2026, 10, 8)),  # golden week 1..7 October
        (date(2026, 9, 30), 3, date(2026, 10, 10)),  # make-up Saturday
        (date(2026, 9, 30), 4, date(2026, 10, 12)),
        (date(2026, 10, 3), 1, date(2026, 10, 8)),  # from inside the holiday
    ],
)
def test_national_day_golden_week(start: date, days: int, due: date) -> None:
    moment = local(start.year, start.month, start.day, 11)
    assert CHINA.add_working_days(moment, days) == CHINA.end_of_day(due)


def test_holidays_are_days_off_and_make_up_days_are_working_days() -> None:
    for first, last, _ in CHINA_2026:
        day = first
        while day <= last:
            assert not CHINA.is_working_day(day), day
            day += timedelta(days=1)
    for day, _ in CHINA_2026_WORKDAYS:
        assert day.weekday() >= 5
        assert CHINA.is_working_day(day), day


# -- "same working day" and local midnight --------------------------------------------


def test_same_working_day_on_a_working_day() -> None:
    assert CHINA.add_working_days(local(2026, 3, 2, 10), 0) == end_of(2026, 3, 2)


def test_same_working_day_on_a_sunday_is_end_of_monday() -> None:
    assert CHINA.add_working_days(local(2026, 3, 8, 10), 0) == end_of(2026, 3, 9)


def test_same_working_day_on_a_make_up_sunday_and_a_holiday() -> None:
    assert CHINA.add_working_days(local(2026, 9, 20, 10), 0) == end_of(2026, 9, 20)
    assert CHINA.add_working_days(local(2026, 10, 2, 10), 0) == end_of(2026, 10, 8)


def test_just_before_local_midnight_is_still_monday() -> None:
    moment = datetime(2026, 3, 2, 15, 59, tzinfo=UTC)  # Monday 23:59 in UTC+8
    assert CHINA.add_working_days(moment, 0) == end_of(2026, 3, 2)
    assert CHINA.add_working_days(moment, 1) == end_of(2026, 3, 3)


def test_just_after_local_midnight_is_already_tuesday() -> None:
    moment = datetime(2026, 3, 2, 16, 0, tzinfo=UTC)  # Tuesday 00:00 in UTC+8
    assert CHINA.add_working_days(moment, 0) == end_of(2026, 3, 3)
    assert CHINA.add_working_days(moment, 1) == end_of(2026, 3, 4)


def test_friday_midnight_rolls_into_the_weekend() -> None:
    before = datetime(2026, 3, 6, 15, 59, 59, tzinfo=UTC)  # Friday 23:59:59 local
    after = datetime(2026, 3, 6, 16, 0, tzinfo=UTC)  # Saturday 00:00 local
    assert CHINA.add_working_days(before, 0) == end_of(2026, 3, 6)
    assert CHINA.add_working_days(after, 0) == end_of(2026, 3, 9)


def test_end_of_day_is_local_midnight_in_utc() -> None:
    end = CHINA.end_of_day(date(2026, 3, 2))
    assert end == datetime(2026, 3, 2, 16, tzinfo=UTC)
    assert end.tzinfo is UTC
    assert WorkingCalendar(timezone=UTC).end_of_day(date(2026, 3, 2)) == datetime(
        2026, 3, 3, tzinfo=UTC
    )


def test_the_calendar_time_zone_decides_the_day() -> None:
    moment = datetime(2026, 3, 6, 20, tzinfo=UTC)  # Friday in UTC, Saturday in UTC+8
    assert WorkingCalendar(timezone=UTC).add_working_days(moment, 0) == datetime(
        2026, 3, 7, tzinfo=UTC
    )
    assert PLAIN.add_working_days(moment, 0) == end_of(2026, 3, 9)


# -- working_days_between -------------------------------------------------------------


def test_working_days_between() -> None:
    friday = local(2026, 3, 6, 15)
    assert CHINA.working_days_between(friday, local(2026, 3, 11, 9)) == 3
    assert CHINA.working_days_between(friday, local(2026, 3, 8, 9)) == 0  # weekend only
    assert CHINA.working_days_between(friday, local(2026, 3, 6, 23, 59)) == 0  # same day
    assert CHINA.working_days_between(friday, friday) == 0
    assert CHINA.working_days_between(friday, local(2026, 3, 2)) == 0  # end before start
    assert CHINA.working_days_between(local(2026, 2, 13, 9), local(2026, 3, 2, 9)) == 7
    assert CHINA.working_days_between(local(2026, 9, 30, 9), local(2026, 10, 10, 9)) == 3
    assert PLAIN.working_days_between(local(2026, 9, 30, 9), local(2026, 10, 10, 9)) == 7


def test_working_days_between_uses_local_days() -> None:
    monday_late = datetime(2026, 3, 2, 15, 59, tzinfo=UTC)
    tuesday_early = datetime(2026, 3, 2, 16, 0, tzinfo=UTC)
    assert CHINA.working_days_between(monday_late, tuesday_early) == 1


# -- agreement with a day-by-day reference --------------------------------------------


def _reference_due(calendar: WorkingCalendar, start: date, days: int) -> date:
    day = start
    if days == 0:
        while not calendar.is_working_day(day):
            day += timedelta(days=1)
        return day
    while days:
        day += timedelta(days=1)
        if calendar.is_working_day(day):
            days -= 1
    return day


def _random_calendar(seed: int) -> WorkingCalendar:
    rng = random.Random(seed)
    days = [date(2026, 1, 1) + timedelta(days=n) for n in range(120)]
    weekdays = [d for d in days if d.weekday() < 5]
    weekends = [d for d in days if d.weekday() >= 5]
    rng.shuffle(weekdays)
    rng.shuffle(weekends)
    return WorkingCalendar(
        holidays=frozenset(weekdays[:25] + weekends[:3]),
        workdays=frozenset(weekends[3:11] + weekdays[25:27]),
    )


@pytest.mark.parametrize("calendar", [PLAIN, CHINA, _random_calendar(1), _random_calendar(2)])
def test_agrees_with_a_day_by_day_walk(calendar: WorkingCalendar) -> None:
    for offset in range(-10, 380, 3):
        start = date(2026, 1, 1) + timedelta(days=offset)
        moment = local(start.year, start.month, start.day, 12)
        for days in (0, 1, 2, 3, 5, 7, 10, 20, 40):
            due = calendar.add_working_days(moment, days)
            assert due == calendar.end_of_day(_reference_due(calendar, start, days))
            if days:
                assert calendar.working_days_between(moment, due - timedelta(seconds=1)) == days
                assert calendar.working_days_between(moment, due) == days + int(
                    calendar.is_working_day(_reference_due(calendar, start, days) + timedelta(1))
                )


# -- errors ---------------------------------------------------------------------------


def test_naive_datetimes_are_rejected() -> None:
    naive = datetime(2026, 3, 2, 10)
    with pytest.raises(ValueError, match="aware"):
        CHINA.add_working_days(naive, 1)
    with pytest.raises(ValueError, match="aware"):
        CHINA.working_days_between(naive, local(2026, 3, 3))
    with pytest.raises(ValueError, match="aware"):
        CHINA.working_days_between(local(2026, 3, 3), naive)


def test_negative_days_are_rejected() -> None:
    with pytest.raises(ValueError, match="negative"):
        CHINA.add_working_days(local(2026, 3, 2), -1)


def test_a_day_cannot_be_both_holiday_and_working_day() -> None:
    day = date(2026, 3, 7)
    with pytest.raises(ValueError, match="both"):
        WorkingCalendar(holidays=frozenset({day}), workdays=frozenset({day}))


def test_holiday_range_must_not_end_before_it_starts() -> None:
    with pytest.raises(ValueError, match="before"):
        expand([(date(2026, 3, 3), date(2026, 3, 2), "x")])


# -- the shipped 2026 schedule --------------------------------------------------------


def test_the_2026_schedule_matches_the_state_council_notice() -> None:
    lengths = {name: (last - first).days + 1 for first, last, name in CHINA_2026}
    assert lengths == {
        "元旦": 3,
        "春节": 9,
        "清明节": 3,
        "劳动节": 5,
        "端午节": 3,
        "中秋节": 3,
        "国庆节": 7,
    }
    assert [day for day, _ in CHINA_2026_WORKDAYS] == [
        date(2026, 1, 4),
        date(2026, 2, 14),
        date(2026, 2, 28),
        date(2026, 5, 9),
        date(2026, 9, 20),
        date(2026, 10, 10),
    ]
    assert sorted(KNOWN_YEARS) == [2026]


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 1, 1), False),  # 元旦
        (date(2026, 1, 2), False),
        (date(2026, 1, 4), True),  # Sunday worked for 元旦
        (date(2026, 2, 16), False),  # 除夕
        (date(2026, 2, 23), False),  # 正月初七, Monday
        (date(2026, 2, 24), True),
        (date(2026, 4, 6), False),  # 清明节 Monday
        (date(2026, 5, 4), False),
        (date(2026, 5, 5), False),  # 劳动节 Tuesday
        (date(2026, 5, 9), True),  # Saturday worked for 劳动节
        (date(2026, 6, 19), False),  # 端午节 Friday
        (date(2026, 9, 25), False),  # 中秋节 Friday
        (date(2026, 10, 7), False),  # 国庆节 Wednesday
        (date(2026, 10, 8), True),
        (date(2026, 10, 10), True),  # Saturday worked for 国庆节
        (date(2026, 10, 11), False),
    ],
)
def test_china_calendar_knows_2026(day: date, working: bool) -> None:
    assert CHINA.is_working_day(day) is working


def test_operators_can_extend_the_china_calendar() -> None:
    extended = china_calendar(
        extra_holidays=[(date(2027, 1, 1), date(2027, 1, 1), "元旦")],
        extra_workdays=[(date(2027, 1, 9), "test")],
    )
    assert not extended.is_working_day(date(2027, 1, 1))
    assert extended.is_working_day(date(2027, 1, 9))
    assert not CHINA.is_working_day(date(2027, 1, 9))
    assert extended.is_working_day(date(2026, 2, 14))
