"""The hotline's catalogue as the rest of the platform reads it: the working calendar and
the SLA policy."""

from __future__ import annotations

from tickets.calendar import WorkingCalendar
from tickets.models import CalendarDay, CalendarDayKind, SlaSetting
from tickets.policy import SLA_SETTING_ID, stored_settings
from tickets.sla import SlaPolicy, policy_of


async def working_calendar() -> WorkingCalendar:
    """The calendar the database configures: its public holidays and make-up working days."""
    rows = await CalendarDay.all().values("day", "kind")
    return WorkingCalendar(
        holidays=frozenset(r["day"] for r in rows if r["kind"] is CalendarDayKind.HOLIDAY),
        workdays=frozenset(r["day"] for r in rows if r["kind"] is CalendarDayKind.WORKDAY),
    )


async def sla_policy() -> SlaPolicy:
    """The SLA policy the database configures: the built-in defaults with the settings
    administrators changed (one query, no cache, so every worker agrees at once)."""
    stored = await SlaSetting.filter(id=SLA_SETTING_ID).values_list("settings", flat=True)
    return policy_of(stored_settings(stored[0] if stored else {}))
