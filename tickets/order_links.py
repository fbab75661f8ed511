"""Orders of the marketplace linked to tickets, and keeping the tickets in step with them.

A link says why an order and a ticket belong together (:class:`OrderLinkPurpose`): the
hotline referred the ticket's dispute to mediation (:mod:`tickets.mediation`), or a
psychological crisis raised the ticket (:mod:`tickets.crisis`). :func:`on_order_changed`
is the observer (:mod:`merchants.observers`) that records an order's progress on its
ticket inside the order's own transaction; :func:`observe_orders` registers it and is
called whenever the database is connected (:func:`api.db.connect`), so every process
that can change an order keeps its tickets in step.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from accounts.models import Role
from accounts.service import Principal, get_accounts
from merchants import observers
from merchants.models import OrderStatus
from merchants.orders import may_see_in_full
from merchants.records import OrderRecord
from tickets.lifecycle import TRANSITIONS, Action
from tickets.models import OrderLinkPurpose, TicketOrder
from tickets.records import TicketRecord, get_tickets_by_id
from tickets.workflow import move
from wuyou import clock

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class TicketOrderRecord:
    """An order linked to a ticket, and why."""

    id: int
    ticket_id: int
    order_id: int
    purpose: OrderLinkPurpose
    created_at: datetime


_COLUMNS = tuple(TicketOrderRecord.__dataclass_fields__)
#: Order statuses in which an order is still live (not finished one way or another).
LIVE = (OrderStatus.PLACED, OrderStatus.DISPATCHING, OrderStatus.ACCEPTED, OrderStatus.IN_SERVICE)
#: The changes a linked ticket hears of (placing and sending offers out are not news).
_FOLLOWED = frozenset(
    {
        OrderStatus.ACCEPTED,
        OrderStatus.IN_SERVICE,
        OrderStatus.COMPLETED,
        OrderStatus.CANCELLED,
        OrderStatus.NO_PROVIDER,
    }
)


async def link_order(
    ticket_id: int, order_id: int, purpose: OrderLinkPurpose, now: datetime
) -> TicketOrderRecord:
    """Link an order to a ticket (an order belongs to one ticket at most)."""
    link = await TicketOrder.create(
        ticket_id=ticket_id, order_id=order_id, purpose=purpose, created_at=now
    )
    return TicketOrderRecord(link.id, ticket_id, order_id, purpose, now)


async def links_of_tickets(ticket_ids: Iterable[int]) -> dict[int, list[TicketOrderRecord]]:
    """The orders linked to each ticket, oldest first, in one query."""
    result: dict[int, list[TicketOrderRecord]] = defaultdict(list)
    wanted = list(set(ticket_ids))
    if wanted:
        rows = await TicketOrder.filter(ticket_id__in=wanted).order_by("id").values(*_COLUMNS)
        for row in rows:
            result[row["ticket_id"]].append(TicketOrderRecord(**row))
    return result


async def links_of_orders(order_ids: Iterable[int]) -> dict[int, TicketOrderRecord]:
    """The link of each order that has one, in one query."""
    wanted = list(set(order_ids))
    if not wanted:
        return {}
    rows = await TicketOrder.filter(order_id__in=wanted).values(*_COLUMNS)
    return {row["order_id"]: TicketOrderRecord(**row) for row in rows}


async def has_live_order(ticket_id: int, purpose: OrderLinkPurpose) -> bool:
    """Whether an order linked to the ticket for ``purpose`` is still live."""
    return await TicketOrder.filter(
        ticket_id=ticket_id, purpose=purpose, order__status__in=LIVE
    ).exists()


async def on_order_changed(
    order: OrderRecord, previous: OrderStatus | None, actor_id: int | None
) -> None:
    """The observer: a crisis order just placed raises its ticket; a linked order's
    acceptance, start and end are recorded on its ticket (and may resolve it)."""
    # mediation and crisis build on this module
    from tickets import crisis, mediation

    if previous is None:
        if crisis.is_crisis(order):
            await crisis.raise_crisis_ticket(order, actor_id)
        return
    if order.status not in _FOLLOWED or order.status is previous:
        return
    link = (await links_of_orders([order.id])).get(order.id)
    if link is None:
        return
    if link.purpose is OrderLinkPurpose.MEDIATION:
        await mediation.follow(order, link, actor_id)
    else:
        await crisis.follow(order, link, actor_id)


def observe_orders() -> None:
    """Keep tickets in step with their orders from now on (idempotent)."""
    observers.register(on_order_changed)


async def platform_step(
    ticket_id: int,
    action: Action,
    note: str,
    actor_id: int | None,
    changes: Mapping[str, Any] | None = None,
) -> TicketRecord | None:
    """Take a platform step on a linked ticket, in the caller's transaction, recorded as
    done by ``actor_id`` (who moved the order: the organisation's staff; None for the
    platform itself, e.g. dispatch giving up). None, and nothing recorded, when the
    ticket's status does not allow the step any more (a crisis ticket closed before its
    order ended)."""
    ticket = (await get_tickets_by_id([ticket_id]))[ticket_id]
    transition = TRANSITIONS[action]
    if ticket.status not in transition.sources:
        log.info("ticket %s is %s: %s not recorded", ticket.number, ticket.status, action)
        return None
    return await move(
        ticket,
        action,
        await _principal(actor_id),
        transition.target or ticket.status,
        changes or {},
        note=note,
        now=clock.now(),
    )


def ended_reason(order: OrderRecord, unknown: str) -> str:
    """Why ``order`` ended, for a note that adds its own full stop; ``unknown`` if unsaid."""
    return order.status_reason.rstrip("。. ") or unknown


async def _principal(account_id: int | None) -> Principal | None:
    """Who ``account_id`` is, for a step's history; None for the platform itself."""
    if account_id is None:
        return None
    account = (await get_accounts([account_id])).get(account_id)
    return Principal(account.id, account.username, account.role) if account else None


def sees_linked_order(
    viewer: Principal | None, order: OrderRecord, viewer_merchant_id: int | None
) -> bool:
    """Whether ``viewer``, who sees a ticket, also sees an order linked to it in full:
    platform staff, the order's citizen, and the providers on it (the one that took it
    and the one paired in beside it). ``viewer_merchant_id`` is a MERCHANT viewer's
    provider. Others (the departments, grid workers) see that there is an order, and its
    progress in the ticket's history, but not the order's contact details."""
    if viewer is None:
        return False
    if may_see_in_full(order, viewer):
        return True
    return (
        viewer.role is Role.MERCHANT
        and viewer_merchant_id is not None
        and viewer_merchant_id in (order.merchant_id, order.companion_id)
    )
