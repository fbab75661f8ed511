"""Tickets as plain records, and the queries that read them (the schema never sees models)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from tickets.lifecycle import Satisfaction, TicketStatus
from tickets.models import Desk, Ticket
from tickets.sla import SlaWarning, TicketKind, Urgency


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


async def get_tickets_by_id(ids: Iterable[int]) -> dict[int, TicketRecord]:
    """Tickets by id; unknown ids are absent."""
    wanted = list(set(ids))
    if not wanted:
        return {}
    rows = await Ticket.filter(id__in=wanted).values(*TICKET_COLUMNS)
    return {r["id"]: TicketRecord(**r) for r in rows}


async def get_ticket(number: str) -> TicketRecord | None:
    """The ticket with ``number``."""
    rows = await Ticket.filter(number=number[:20]).values(*TICKET_COLUMNS)
    return TicketRecord(**rows[0]) if rows else None


async def get_tickets_by_number(numbers: Iterable[str]) -> list[TicketRecord]:
    """The tickets with these numbers, newest first; unknown numbers are skipped."""
    wanted = list({n for n in numbers if len(n) <= 20})
    if not wanted:
        return []
    rows = await (
        Ticket.filter(number__in=wanted).order_by("-received_at", "-id").values(*TICKET_COLUMNS)
    )
    return [TicketRecord(**r) for r in rows]


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
    rows = await query.order_by("-received_at", "-id").limit(limit).values(*TICKET_COLUMNS)
    return [TicketRecord(**r) for r in rows]


async def get_ticket_by_key(created_by_id: int, idempotency_key: str) -> TicketRecord | None:
    """The ticket the account ``created_by_id`` submitted with ``idempotency_key``."""
    if len(idempotency_key) > 64:  # longer than any key intake accepts
        return None
    rows = await Ticket.filter(created_by_id=created_by_id, idempotency_key=idempotency_key).values(
        *TICKET_COLUMNS
    )
    return TicketRecord(**rows[0]) if rows else None
