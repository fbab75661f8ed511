"""Tickets as GeoReport service requests.

The mapping, field by field:

* ``service_request_id``: the ticket's number (WH…), the one the citizen is told.
* ``status``: ``open`` while the lifecycle counts the ticket open
  (:data:`tickets.lifecycle.OPEN`: received, dispatched, in progress, returned, reopened,
  in mediation), ``closed`` once resolved, closed or merged into another (a duplicate).
* ``status_notes``: the latest reply a citizen is shown (the resolution, the answer at
  intake, a mediation outcome); for a merged duplicate, the ticket it follows.
* ``agency_responsible``: the department handling it; ``service_notice``: how soon its
  category and kind are completed; ``expected_datetime``: its completion deadline.
* ``requested_datetime``: received; ``updated_datetime``: last changed, or when it
  was resolved or closed for a closed one. Times are W3C (ISO 8601) in China Standard
  Time, with their offset.
* ``address``, ``address_id`` (the code of its grid), ``lat``/``long``, ``media_url``
  (its first photo). ``zipcode`` is not kept.

Lists are public, so the description and notes have phone numbers, ID numbers, e-mail
addresses and the citizen's name masked (:func:`wuyou.privacy.mask_text`), as the
GraphQL API masks them for those who may not see them; and of a report of a violation,
a desk's case, a critical ticket or a political-security matter they show neither what
it says nor where, except to the client application that submitted it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from accounts.service import Principal
from api.open311.services import service_notice
from grids.areas import get_areas_by_id
from grids.catalogue import get_departments_by_id
from tickets.catalogue import sla_policy
from tickets.categories import get_categories_by_id
from tickets.lifecycle import OPEN, TicketStatus
from tickets.records import TicketRecord, get_tickets_by_id
from tickets.visibility import latest_public_replies, withheld_from_public
from wuyou.clock import CITY_TIMEZONE
from wuyou.privacy import mask_text


def w3c(moment: datetime | None) -> str | None:
    """``moment`` in the W3C profile of ISO 8601, in city time with its offset."""
    return moment.astimezone(CITY_TIMEZONE).isoformat(timespec="seconds") if moment else None


def is_open(ticket: TicketRecord) -> bool:
    """Whether GeoReport calls ``ticket`` open."""
    return ticket.status in OPEN


async def service_requests(
    tickets: Sequence[TicketRecord], *, client: Principal | None = None
) -> list[dict[str, Any]]:
    """The service requests of ``tickets``, in their order, with a fixed number of
    queries whatever their number. What a public list withholds
    (:func:`tickets.visibility.withheld_from_public`) is shown only to ``client``, the
    application that submitted the ticket."""
    categories = await get_categories_by_id(t.category_id for t in tickets if t.category_id)
    departments = await get_departments_by_id(t.department_id for t in tickets if t.department_id)
    grids = await get_areas_by_id(t.grid_id for t in tickets if t.grid_id)
    replies = await latest_public_replies(t.id for t in tickets)
    masters = await get_tickets_by_id(t.merged_into_id for t in tickets if t.merged_into_id)
    policy = await sla_policy()
    result = []
    for ticket in tickets:
        category = categories.get(ticket.category_id) if ticket.category_id else None
        department = departments.get(ticket.department_id) if ticket.department_id else None
        grid = grids.get(ticket.grid_id) if ticket.grid_id else None
        notes = replies.get(ticket.id)
        if ticket.status is TicketStatus.MERGED and ticket.merged_into_id in masters:
            master = masters[ticket.merged_into_id]
            notes = notes or f"重复诉求，已并入 {master.number} 一并办理。Duplicate request."
        opened = is_open(ticket)
        shown = ticket.created_by_id == (client.account_id if client else None) or (
            not withheld_from_public(ticket, category.dimension if category else None)
        )
        updated = ticket.updated_at if opened else ticket.closed_at or ticket.resolved_at
        result.append(
            {
                "service_request_id": ticket.number,
                "status": "open" if opened else "closed",
                "status_notes": mask_text(notes, name=ticket.citizen_name)
                if notes and shown
                else None,
                "service_name": category.name if category else None,
                "service_code": category.code if category else None,
                "description": mask_text(ticket.content, name=ticket.citizen_name)
                if shown
                else None,
                "agency_responsible": department.name if department else None,
                "service_notice": service_notice(category, ticket.kind, policy)
                if category
                else None,
                "requested_datetime": w3c(ticket.received_at),
                "updated_datetime": w3c(updated or ticket.updated_at),
                "expected_datetime": w3c(ticket.complete_deadline),
                "address": ticket.address or None if shown else None,
                "address_id": grid.code if grid and shown else None,
                "zipcode": None,
                "lat": ticket.lat if shown else None,
                "long": ticket.lng if shown else None,
                "media_url": ticket.photos[0] if ticket.photos and shown else None,
            }
        )
    return result
