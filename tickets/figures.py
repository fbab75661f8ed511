"""The definitions the hotline's figures share (``hotlineStats``, the dashboard): which
tickets a body completed, which on time, the city's day of a time column in SQL, and how
their GROUP BYs run."""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import AbstractAsyncContextManager
from datetime import timedelta

from tortoise.expressions import F, Q, RawSQL, Subquery

from tickets.lifecycle import TicketStatus
from tickets.models import Category, Ticket
from tickets.queries import settings_on_postgres
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
#: The column the figures count tickets by: one the figures' covering index holds and
#: that is never NULL, so that PostgreSQL answers from the index alone (the ``id``, which
#: it does not hold, had every row read; SQLite's indexes hold the id).
COUNTED = "received_at"
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


#: A period up to this long is read category by category on PostgreSQL (see
#: :func:`categorised`).
SHORT_PERIOD = timedelta(days=92)


def categorised(period: timedelta | None = None) -> Q:
    """The tickets with a category, as the figures' index is best read for them over a
    ``period``. SQLite: every category's id, so that the index on ``(category_id,
    received_at, …)`` (which holds every column the figures count) is read category
    after category over the period, already grouped by category, without reading a row.
    PostgreSQL: over a short period (up to :data:`SHORT_PERIOD`) the same, its ids as an
    array (a month: 0.1 s where "has a category" read the rows through the index on
    ``received_at``, 0.3–0.4 s); over a longer one, or none given, "has a category",
    which it reads from the same index in parallel (a year: 0.55 s against 0.7 s)."""
    dialect = Ticket._meta.db.capabilities.dialect
    if dialect == "sqlite":
        return Q(category_id__in=Subquery(Category.all().values("id")))
    if period is not None and period <= SHORT_PERIOD:
        ids = Category.all().values("id").sql(params_inline=True)
        return Q(category_id=RawSQL(f"ANY(ARRAY({ids}))"))
    return Q(category_id__isnull=False)


def analytical() -> AbstractAsyncContextManager[None]:
    """Run the figures' GROUP BYs inside: on PostgreSQL in one transaction (one snapshot)
    set for reading a month or a year of tickets at once. No JIT: over a month of a
    million tickets such a query costs enough for PostgreSQL to compile it to machine
    code, which takes longer (0.1–0.5 s) than running it. Room to group in memory (its
    default 4 MB sorts on disk what a hash groups in a few). Index pages costed as the
    cached pages they are, so that it reads the figures' covering index (a quarter of
    the table) rather than the table. Each statement planned for its values, as lists
    are (:func:`tickets.queries.list_tickets`). SQLite needs none of this."""
    return settings_on_postgres(
        "jit = off",
        "work_mem = '64MB'",
        "random_page_cost = 1.1",
        "plan_cache_mode = force_custom_plan",
    )
