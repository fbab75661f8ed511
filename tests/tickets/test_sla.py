"""Deadlines from kind, urgency and category on the working calendar, and warnings."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from tickets.holidays import china_calendar
from tickets.sla import (
    Deadlines,
    SlaPolicy,
    SlaWarning,
    TicketKind,
    Urgency,
    deadlines,
    return_deadline,
    revisit_deadline,
    warning,
)
from wuyou.clock import CITY_TIMEZONE

CALENDAR = china_calendar()


def local(text: str) -> datetime:
    """A moment in the city's time: ``"2026-03-06 10:00"``."""
    return datetime.fromisoformat(text).replace(tzinfo=CITY_TIMEZONE)


def end_of(day: str) -> datetime:
    """The end of a civil day in the city (local midnight starting the next one)."""
    return local(f"{day} 00:00") + timedelta(days=1)


def _deadlines(kind: TicketKind, urgency: Urgency = Urgency.NORMAL, **category: int) -> Deadlines:
    received = local("2026-03-06 10:00")  # a Friday
    return deadlines(
        received_at=received,
        dispatched_at=received + timedelta(minutes=30),
        kind=kind,
        urgency=urgency,
        calendar=CALENDAR,
        **category,
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
