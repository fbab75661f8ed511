"""The hotline's catalogue as the rest of the platform reads it: the working calendar."""

from __future__ import annotations

from tickets.calendar import WorkingCalendar
from tickets.models import CalendarDay, CalendarDayKind


async def working_calendar() -> WorkingCalendar:
    """The calendar the database configures: its public holidays and make-up working days."""
    rows = await CalendarDay.all().values("day", "kind")
    return WorkingCalendar(
        holidays=frozenset(r["day"] for r in rows if r["kind"] is CalendarDayKind.HOLIDAY),
        workdays=frozenset(r["day"] for r in rows if r["kind"] is CalendarDayKind.WORKDAY),
    )
