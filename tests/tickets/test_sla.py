"""Deadlines from kind, urgency and category on the working calendar, and warnings."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from tickets.holidays import china_calendar
from tickets.sla import (
    DEFAULT_POLICY,
    Deadlines,
    SlaPolicy,
    SlaWarning,
    TicketKind,
    Urgency,
    deadlines,
    policy_of,
    return_deadline,
    revisit_deadline,
    settings_of,
    warning,
    watch,
)
from wuyou.clock import CITY_TIMEZONE

CALENDAR = china_calendar()


def local(text: str) -> datetime:
    """A moment in the city's time: ``"2026-03-06 10:00"``."""
    return datetime.fromisoformat(text).replace(tzinfo=CITY_TIMEZONE)


def end_of(day: str) -> datetime:
    """The end of a civil day in the city (local midnight starting the next one)."""
    return local(f"{day} 00:00") + timedelta(days=1)


def _deadlines(
    kind: TicketKind,
    urgency: Urgency = Urgency.NORMAL,
    *,
    category_reply_days: int | None = None,
    category_complete_days: int | None = None,
) -> Deadlines:
    received = local("2026-03-06 10:00")  # a Friday
    return deadlines(
        received_at=received,
        dispatched_at=received + timedelta(minutes=30),
        kind=kind,
        urgency=urgency,
        calendar=CALENDAR,
        category_reply_days=category_reply_days,
        category_complete_days=category_complete_days,
    )


def test_a_complaint_on_friday_is_due_the_friday_after() -> None:
    due = _deadlines(TicketKind.COMPLAINT)
    assert due.sign == end_of("2026-03-09")  # Monday
    assert due.reply == end_of("2026-03-10")  # 2 working days
    assert due.complete == end_of("2026-03-13")  # 5 working days


def test_a_consultation_is_answered_within_three_working_days() -> None:
    due = _deadlines(TicketKind.CONSULTATION)
    assert due.reply == due.complete == end_of("2026-03-11")


def test_urgent_is_the_same_working_day_and_critical_two_hours() -> None:
    urgent = _deadlines(TicketKind.REQUEST, Urgency.URGENT)
    assert urgent.complete == urgent.reply == end_of("2026-03-06")
    assert urgent.sign == local("2026-03-06 12:30")
    critical = _deadlines(TicketKind.REQUEST, Urgency.CRITICAL)
    assert critical.complete == critical.reply == local("2026-03-06 12:00")
    assert critical.sign == local("2026-03-06 11:00")


def test_a_category_overrides_the_kind() -> None:
    heating = _deadlines(TicketKind.REQUEST, category_reply_days=1, category_complete_days=1)
    assert heating.reply == heating.complete == end_of("2026-03-09")
    assert heating.sign == end_of("2026-03-09")


def test_the_spring_festival_and_its_make_up_saturday() -> None:
    received = local("2026-02-13 09:00")  # Friday before the 9-day holiday
    due = deadlines(
        received_at=received,
        dispatched_at=received,
        kind=TicketKind.COMPLAINT,
        urgency=Urgency.NORMAL,
        calendar=CALENDAR,
    )
    assert due.sign == end_of("2026-02-14")  # the make-up Saturday is a working day
    assert due.complete == end_of("2026-02-27")  # 2/14, then 2/24–2/27


def test_return_and_revisit_windows() -> None:
    assert return_deadline(local("2026-03-06 10:00"), CALENDAR) == end_of("2026-03-10")
    assert revisit_deadline(local("2026-03-06 10:00"), CALENDAR) == end_of("2026-03-09")


@pytest.mark.parametrize(
    ("elapsed_hours", "expected"),
    [(0, SlaWarning.NONE), (79, SlaWarning.NONE), (80, SlaWarning.YELLOW), (100, SlaWarning.RED)],
)
def test_warnings_turn_yellow_at_80_percent_and_red_when_overdue(
    elapsed_hours: int, expected: SlaWarning
) -> None:
    start = local("2026-03-02 00:00")
    deadline = start + timedelta(hours=100)
    assert warning(start, deadline, start + timedelta(hours=elapsed_hours)) is expected


def test_a_look_leaves_no_next_look_once_red_and_a_step_asks_for_one_at_once() -> None:
    start = local("2026-03-02 00:00")
    due = start + timedelta(hours=100)
    yellow_point = start + timedelta(hours=80)
    looks = [watch(start, due, start + timedelta(hours=h)) for h in (0, 80, 100, 120)]
    assert [(w.warning, w.check_at) for w in looks] == [
        (SlaWarning.NONE, yellow_point),
        (SlaWarning.YELLOW, due),
        (SlaWarning.RED, None),
        (SlaWarning.RED, None),
    ]
    assert [w.after_step() for w in looks[:2]] == looks[:2]
    assert [w.after_step().check_at for w in looks[2:]] == [due, due]
    assert watch(start, None, start).after_step().check_at is None


def test_the_policy_is_configurable() -> None:
    strict = SlaPolicy(sign_days=0, warning_share=0.5)
    received = local("2026-03-06 10:00")
    due = deadlines(
        received_at=received,
        dispatched_at=received,
        kind=TicketKind.SUGGESTION,
        urgency=Urgency.NORMAL,
        calendar=CALENDAR,
        policy=strict,
    )
    assert due.sign == end_of("2026-03-06")
    halfway = received + (due.complete - received) / 2
    assert warning(received, due.complete, halfway, strict) is SlaWarning.YELLOW


def test_a_policy_by_its_settings_names() -> None:
    assert policy_of({}) == DEFAULT_POLICY
    assert settings_of(DEFAULT_POLICY) == {
        "completeDays.CONSULTATION": 3,
        "completeDays.REQUEST": 5,
        "completeDays.COMPLAINT": 5,
        "completeDays.REPORT": 5,
        "completeDays.SUGGESTION": 5,
        "completeDays.PRAISE": 3,
        "replyDays": 2,
        "signDays": 1,
        "returnDays": 2,
        "revisitDays": 1,
        "criticalCompleteMinutes": 120,
        "criticalSignMinutes": 30,
        "urgentSignMinutes": 120,
        "warningShare": 0.8,
    }
    city = policy_of({"completeDays.REPORT": 7, "urgentSignMinutes": 90, "warningShare": 0.7})
    assert city.complete_days[TicketKind.REPORT] == 7
    assert city.complete_days[TicketKind.COMPLAINT] == 5
    assert (city.urgent_sign, city.warning_share) == (timedelta(minutes=90), 0.7)
    assert policy_of(settings_of(city)) == city
