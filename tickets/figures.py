"""The definitions the hotline's figures share (``hotlineStats``, the dashboard): which
tickets a body completed, which on time, and the city's day of a time column in SQL."""

from __future__ import annotations

from collections.abc import Mapping

from tortoise.expressions import F, Q, RawSQL

from tickets.lifecycle import TicketStatus
from tickets.models import Ticket
from wuyou.clock import CITY_TIMEZONE

#: Answered: resolved, and perhaps closed after the revisit since.
ANSWERED = (TicketStatus.RESOLVED, TicketStatus.CLOSED)
#: Completed by a body: dispatched once, and answered (not settled on site by a grid
#: worker, who is no body).
COMPLETED = Q(
    status__in=list(ANSWERED),
    dispatched_at__isnull=False,
    resolved_at__isnull=False,
    resolved_on_site=False,
)
#: Completed by the completion deadline.
COMPLETED_ON_TIME = Q(COMPLETED, resolved_at__lte=F("complete_deadline"))

_DAY_SQL: Mapping[str, str] = {
    "sqlite": "date({column}, '+{seconds} seconds')",
    "postgres": "CAST(({column} AT TIME ZONE 'UTC') + INTERVAL '{seconds} seconds' AS DATE)",
}


def city_day(column: str) -> RawSQL:
    """The city's civil day of the ticket's time column ``column`` (a date; ISO text on
    SQLite)."""
    dialect = Ticket._meta.db.capabilities.dialect
    if dialect not in _DAY_SQL:
        raise NotImplementedError(f"Daily figures are not written for {dialect}.")
    offset = CITY_TIMEZONE.utcoffset(None)  # fixed: China keeps no daylight saving time
    qualified = f'"{Ticket._meta.db_table}"."{column}"'
    return RawSQL(_DAY_SQL[dialect].format(column=qualified, seconds=int(offset.total_seconds())))
