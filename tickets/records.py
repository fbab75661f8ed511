"""Tickets as plain records, and the queries that read them (the schema never sees models)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from tortoise.queryset import QuerySet

from grids.areas import AreaRecord
from grids.catalogue import ChannelRecord, DepartmentRecord
from tickets.categories import CategoryRecord
from tickets.lifecycle import Satisfaction, TicketStatus
from tickets.models import Desk, Ticket
from tickets.sla import SlaWarning, TicketKind, Urgency
from wuyou.rows import RowReader, record_builder


@dataclass(frozen=True, slots=True)
class TicketRecord:
    """A ticket as stored: the schema decides what each viewer may see of it."""

    id: int
    number: str
    channel_id: int
    kind: TicketKind
    category_id: int | None
    urgency: Urgency
    status: TicketStatus
    title: str
    content: str
    citizen_name: str
    citizen_phone: str
    citizen_id: int | None
    lat: float | None
    lng: float | None
    address: str
    grid_id: int | None
    area_path: str
    department_id: int | None
    created_by_id: int
    likely_duplicate_of_id: int | None
    merged_into_id: int | None
    resolved_at_intake: bool
    cited_article_id: int | None
    desk: Desk | None
    resolved_on_site: bool
    photos: list[str]
    urge_count: int
    return_count: int
    reopen_count: int
    supervised: bool
    reply: str
    satisfaction: Satisfaction | None
    received_at: datetime
    dispatched_at: datetime | None
    signed_at: datetime | None
    resolved_at: datetime | None
    revisited_at: datetime | None
    closed_at: datetime | None
    sign_deadline: datetime | None
    reply_deadline: datetime | None
    complete_deadline: datetime | None
    revisit_deadline: datetime | None
    due_at: datetime | None
    warning: SlaWarning
    updated_at: datetime


TICKET_COLUMNS = tuple(TicketRecord.__dataclass_fields__)


@dataclass(frozen=True, slots=True)
class TicketRelations:
    """The catalogue records a list of tickets points at, by id: read in the same
    statement as the tickets, so that showing them costs no statement of its own."""

    departments: dict[int, DepartmentRecord]
    grids: dict[int, AreaRecord]
    categories: dict[int, CategoryRecord]
    channels: dict[int, ChannelRecord]


#: Each relation read with a page: the ticket's column holding the id, the record type.
_RELATIONS: tuple[tuple[str, str, type[Any]], ...] = (
    ("department", "department_id", DepartmentRecord),
    ("grid", "grid_id", AreaRecord),
    ("category", "category_id", CategoryRecord),
    ("channel", "channel_id", ChannelRecord),
)
_TICKETS = RowReader(Ticket, TICKET_COLUMNS)
_WITH_RELATIONS = RowReader(
    Ticket,
    [
        *TICKET_COLUMNS,
        *(f"{name}__{f.name}" for name, _, record in _RELATIONS for f in fields(record)),
    ],
)


def _record_slices() -> tuple[tuple[int, slice, Callable[..., Any]], ...]:
    """Where each relation's id is in a row of ``_WITH_RELATIONS``, where its record's
    columns are, and how its record is built."""
    found = []
    start = len(TICKET_COLUMNS)
    for _, key, record in _RELATIONS:
        size = len(fields(record))
        found.append(
            (TICKET_COLUMNS.index(key), slice(start, start + size), record_builder(record))
        )
        start += size
    return tuple(found)


_RECORD_SLICES = _record_slices()
_TICKET = record_builder(TicketRecord)


async def read_tickets(query: QuerySet[Ticket]) -> list[TicketRecord]:
    """The tickets ``query`` selects, in its order (one statement)."""
    return [_TICKET(*row) for row in await _TICKETS.read(query)]


async def read_tickets_with_relations(
    query: QuerySet[Ticket],
) -> tuple[list[TicketRecord], TicketRelations]:
    """The tickets ``query`` selects, in its order, with the department, grid, category
    and channel each points at (one statement, the catalogue tables joined)."""
    width = len(TICKET_COLUMNS)
    tickets: list[TicketRecord] = []
    found: list[dict[int, Any]] = [{} for _ in _RELATIONS]
    for row in await _WITH_RELATIONS.read(query):
        tickets.append(_TICKET(*row[:width]))
        for (at, columns, record), records in zip(_RECORD_SLICES, found, strict=True):
            key = row[at]
            if key is not None and key not in records:
                records[key] = record(*row[columns])
    departments, grids, categories, channels = found
    return tickets, TicketRelations(departments, grids, categories, channels)


async def get_tickets_by_id(ids: Iterable[int]) -> dict[int, TicketRecord]:
    """Tickets by id; unknown ids are absent."""
    wanted = list(set(ids))
    if not wanted:
        return {}
    return {t.id: t for t in await read_tickets(Ticket.filter(id__in=wanted))}


async def get_ticket(number: str) -> TicketRecord | None:
    """The ticket with ``number``."""
    found = await read_tickets(Ticket.filter(number=number[:20]))
    return found[0] if found else None


async def get_tickets_by_number(numbers: Iterable[str]) -> list[TicketRecord]:
    """The tickets with these numbers, newest first; unknown numbers are skipped."""
    wanted = list({n for n in numbers if len(n) <= 20})
    if not wanted:
        return []
    return await read_tickets(Ticket.filter(number__in=wanted).order_by("-received_at", "-id"))


async def categorised_tickets(
    *,
    received_from: datetime,
    received_to: datetime,
    category_ids: Iterable[int] | None = None,
    statuses: Iterable[TicketStatus] | None = None,
    limit: int,
) -> list[TicketRecord]:
    """At most ``limit`` tickets with a category received in [from, to], newest first,
    of these categories and statuses if given (one query, on the (received_at, id) index)."""
    query = Ticket.filter(
        received_at__gte=received_from, received_at__lte=received_to, category_id__isnull=False
    )
    if category_ids is not None:
        query = query.filter(category_id__in=list(category_ids))
    if statuses is not None:
        query = query.filter(status__in=list(statuses))
    return await read_tickets(query.order_by("-received_at", "-id").limit(limit))


async def get_ticket_by_key(created_by_id: int, idempotency_key: str) -> TicketRecord | None:
    """The ticket the account ``created_by_id`` submitted with ``idempotency_key``."""
    if len(idempotency_key) > 64:  # longer than any key intake accepts
        return None
    found = await read_tickets(
        Ticket.filter(created_by_id=created_by_id, idempotency_key=idempotency_key)
    )
    return found[0] if found else None
