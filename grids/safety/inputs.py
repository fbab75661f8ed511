"""What the safety index counts, in SQL: one GROUP BY over the ticket table per period,
whatever the number of areas or tickets.

The tickets of an area and a period are those received in [start, end) located in the
area's subtree (``area_path`` starts with its path), merged followers left out (their
master counts once). A ticket counts towards its category's dimension; tickets without
a category, or whose category has no dimension, count towards none. Each aggregate is a
conditional count or sum, so every figure of a group comes from one pass; see
:class:`grids.safety.formula.Tally` for what each means. Callers run these inside
:func:`tickets.figures.analytical`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from tortoise.expressions import F, Q, RawSQL, Subquery
from tortoise.functions import Count, Sum

from grids.models import Channel, ChannelKind
from grids.safety.formula import Tally
from grids.safety.settings import SafetySettings
from tickets.figures import COUNTED, categorised
from tickets.lifecycle import Satisfaction, TicketStatus
from tickets.models import SafetyDimension, Ticket
from tickets.queries import within_path

_DIMENSION = "category__dimension"


def _case(column: str, weights: Mapping[Any, float]) -> str:
    """A CASE giving each value of ``column`` its weight (0 for any other)."""
    table = Ticket._meta.db_table
    whens = " ".join(f"WHEN '{value}' THEN {float(weight)!r}" for value, weight in weights.items())
    return f'(CASE "{table}"."{column}" {whens} ELSE 0.0 END)'


def weight_sql(settings: SafetySettings) -> str:
    """A ticket's weight in SQL: its kind's weight × its urgency's weight. The values are
    the enums' own and the weights validated floats, so nothing outside goes in."""
    kinds = _case("kind", settings.kind_weights)
    urgencies = _case("urgency", settings.urgency_weights)
    return f"{kinds} * {urgencies}"


def _aggregates(settings: SafetySettings, now: datetime) -> dict[str, Any]:
    """The aggregates that make a :class:`Tally`, named ``n_<field>``."""
    grid_channels = Channel.filter(kind=ChannelKind.GRID).values("id")
    due = Q(complete_deadline__isnull=False) & (
        Q(resolved_at__isnull=False) | Q(complete_deadline__lt=now)
    )
    satisfied = [Satisfaction.SATISFIED, Satisfaction.BASICALLY_SATISFIED]
    # Aliased apart from the columns: an annotation named like a column it filters on
    # would stand for that column in its own filter.
    return {
        "n_tickets": Count(COUNTED),
        "n_grid_events": Count(COUNTED, _filter=Q(channel_id__in=Subquery(grid_channels))),
        "n_weighted": Sum(RawSQL(weight_sql(settings))),  # type: ignore[arg-type]
        "n_due": Count(COUNTED, _filter=due),
        "n_on_time": Count(COUNTED, _filter=Q(resolved_at__lte=F("complete_deadline"))),
        "n_satisfied": Count(COUNTED, _filter=Q(satisfaction__in=satisfied)),
        "n_unsatisfied": Sum("reopen_count"),
        "n_repeats": Count(COUNTED, _filter=Q(likely_duplicate_of_id__isnull=False)),
    }


def _tally(row: Mapping[str, Any]) -> Tally:
    return Tally(
        tickets=int(row["n_tickets"]),
        grid_events=int(row["n_grid_events"] or 0),
        weighted=float(row["n_weighted"] or 0),
        due=int(row["n_due"] or 0),
        on_time=int(row["n_on_time"] or 0),
        satisfied=int(row["n_satisfied"] or 0),
        unsatisfied=int(row["n_unsatisfied"] or 0),
        repeats=int(row["n_repeats"] or 0),
    )


def cohort(path: str, start: datetime, end: datetime) -> Q:
    """The tickets of the area with ``path`` (aware UTC bounds) the index counts; every
    located ticket for the path "". A ticket is MERGED exactly while it follows another."""
    place = within_path(path) if path else Q(area_path__gt="")
    return Q(place, ~Q(status=TicketStatus.MERGED), received_at__gte=start, received_at__lt=end)


async def tallies_by_category(
    path: str, start: datetime, end: datetime, *, settings: SafetySettings, now: datetime
) -> dict[int, Tally]:
    """The tally of each category (by id) among the area's tickets; one query. ``now``
    decides which open tickets are past their deadline."""
    aggregates = _aggregates(settings, now)
    rows = await (
        # On SQLite read from the index, category after category: no row read or sorted.
        Ticket.filter(cohort(path, start, end), categorised())
        .annotate(**aggregates)
        .group_by("category_id")
        .values("category_id", *aggregates)
    )
    return {row["category_id"]: _tally(row) for row in rows}


async def tallies_by_place(
    path: str, start: datetime, end: datetime, *, settings: SafetySettings, now: datetime
) -> dict[tuple[str, SafetyDimension], Tally]:
    """The tally of each place (a ticket's ``area_path``: its grid's path) and dimension
    beneath the area with ``path``; one query."""
    aggregates = _aggregates(settings, now)
    rows = await (
        Ticket.filter(cohort(path, start, end), category__dimension__isnull=False)
        .annotate(**aggregates)
        .group_by("area_path", _DIMENSION)
        .values("area_path", _DIMENSION, *aggregates)
    )
    return {(row["area_path"], SafetyDimension(row[_DIMENSION])): _tally(row) for row in rows}
