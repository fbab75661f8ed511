"""Orders, offers and order history as plain records, and the queries that read them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from tortoise.queryset import QuerySet

from merchants.models import Offer, OfferStatus, Order, OrderEvent, OrderStatus
from wuyou.rows import RowReader, record_builder


@dataclass(frozen=True, slots=True)
class OrderRecord:
    """An order as stored: the schema decides what each viewer may see of it."""

    id: int
    number: str
    service_type: str
    form: dict[str, Any]
    lat: float
    lng: float
    address: str
    grid_id: int
    grid_path: str
    contact_name: str
    contact_phone: str
    citizen_id: int | None
    placed_by_id: int
    status: OrderStatus
    urgent: bool
    quoted_amount: Decimal | None
    quote: dict[str, Any]
    final_amount: Decimal | None
    outcome: str | None
    outcome_note: str
    merchant_id: int | None
    companion_id: int | None
    dispatch_round: int
    status_reason: str
    stars: int | None
    rating_comment: str
    placed_at: datetime
    accepted_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None
    updated_at: datetime

    @property
    def grid_code(self) -> str:
        return self.grid_path.rstrip("/").rsplit("/", 1)[-1]


@dataclass(frozen=True, slots=True)
class OfferRecord:
    """One offer of an order to one provider."""

    id: int
    order_id: int
    merchant_id: int
    round: int
    rank: int
    distance_km: float
    status: OfferStatus
    offered_at: datetime
    expires_at: datetime
    responded_at: datetime | None
    decline_reason: str


@dataclass(frozen=True, slots=True)
class OrderEventRecord:
    """One transition in an order's history."""

    id: int
    order_id: int
    from_status: OrderStatus | None
    to_status: OrderStatus
    actor_id: int | None
    merchant_id: int | None
    note: str
    occurred_at: datetime


ORDER_COLUMNS = tuple(OrderRecord.__dataclass_fields__)
OFFER_COLUMNS = tuple(OfferRecord.__dataclass_fields__)
_EVENT_COLUMNS = tuple(OrderEventRecord.__dataclass_fields__)
_ORDERS = RowReader(Order, ORDER_COLUMNS)
_OFFERS = RowReader(Offer, OFFER_COLUMNS)
_EVENTS = RowReader(OrderEvent, _EVENT_COLUMNS)
_ORDER = record_builder(OrderRecord)
_OFFER = record_builder(OfferRecord)
_EVENT = record_builder(OrderEventRecord)


async def read_orders(query: QuerySet[Order]) -> list[OrderRecord]:
    """The orders ``query`` selects, in its order (one statement)."""
    return [_ORDER(*row) for row in await _ORDERS.read(query)]


async def read_offers(query: QuerySet[Offer]) -> list[OfferRecord]:
    """The offers ``query`` selects, in its order (one statement)."""
    return [_OFFER(*row) for row in await _OFFERS.read(query)]


async def get_orders_by_id(ids: Iterable[int]) -> dict[int, OrderRecord]:
    """Orders by id; unknown ids are absent."""
    wanted = list(set(ids))
    if not wanted:
        return {}
    return {o.id: o for o in await read_orders(Order.filter(id__in=wanted))}


async def get_order(number: str) -> OrderRecord | None:
    """The order with ``number``."""
    found = await read_orders(Order.filter(number=number[:20]))
    return found[0] if found else None


async def get_offers(ids: Iterable[int]) -> dict[int, OfferRecord]:
    """Offers by id; unknown ids are absent."""
    wanted = list(set(ids))
    if not wanted:
        return {}
    return {o.id: o for o in await read_offers(Offer.filter(id__in=wanted))}


async def offers_of_merchant(
    merchant_id: int, statuses: Iterable[OfferStatus] | None = None, limit: int = 100
) -> list[OfferRecord]:
    """A provider's offers, newest first (pending ones first of all)."""
    query = Offer.filter(merchant_id=merchant_id)
    if statuses is not None:
        query = query.filter(status__in=list(statuses))
    return await read_offers(query.order_by("-offered_at", "-id").limit(limit))


async def offers_of_orders(order_ids: Iterable[int]) -> dict[int, list[OfferRecord]]:
    """Every offer made for each order, in the order they were made."""
    result: dict[int, list[OfferRecord]] = defaultdict(list)
    wanted = list(set(order_ids))
    if wanted:
        for offer in await read_offers(Offer.filter(order_id__in=wanted).order_by("id")):
            result[offer.order_id].append(offer)
    return result


async def history_of(order_ids: Iterable[int]) -> dict[int, list[OrderEventRecord]]:
    """Each order's transitions, oldest first."""
    result: dict[int, list[OrderEventRecord]] = defaultdict(list)
    wanted = list(set(order_ids))
    if wanted:
        query = OrderEvent.filter(order_id__in=wanted).order_by("id")
        for row in await _EVENTS.read(query):
            event = _EVENT(*row)
            result[event.order_id].append(event)
    return result
