"""Telling the world about orders: broadcast topics, event kinds, and plugin hooks.

Every publish here happens inside ``events.after_commit()``, so subscribers only hear
of committed rows; plugin hooks are called after the transaction, never inside it.
"""

from __future__ import annotations

from enum import StrEnum

from merchants.models import OrderStatus
from merchants.privacy import without_personal
from merchants.records import OfferRecord, OrderRecord
from plugins.hookspecs import OrderInfo
from plugins.manager import notify
from wuyou import events

#: Topic on which the hotline's agents hear of emergencies (a psychological crisis).
HOTLINE_TOPIC = "hotline"


class OfferEventKind(StrEnum):
    """What happened to an offer, as a provider's ``offers`` subscription reports it."""

    OFFERED = "OFFERED"
    WITHDRAWN = "WITHDRAWN"
    EXPIRED = "EXPIRED"
    ACCEPTED = "ACCEPTED"
    DECLINED = "DECLINED"


def merchant_topic(merchant_id: int) -> str:
    """The topic of one provider's offers (and of orders assigned to it)."""
    return f"merchant:{merchant_id}"


def order_topic(number: str) -> str:
    """The topic of one order's updates."""
    return f"order:{number}"


async def offer_event(offer: OfferRecord, kind: OfferEventKind) -> None:
    """Tell the provider an offer was made, withdrawn, expired ... (after commit)."""
    await events.publish(
        merchant_topic(offer.merchant_id), kind.value, offer_id=offer.id, order_id=offer.order_id
    )


async def order_event(order: OrderRecord, previous: OrderStatus | None) -> None:
    """Tell the order's followers (citizen, agents, its provider) it changed (after commit)."""
    payload = {
        "number": order.number,
        "status": order.status.value,
        "previous": previous.value if previous else None,
    }
    await events.publish(order_topic(order.number), "ORDER_UPDATED", **payload)
    if order.merchant_id is not None:
        await events.publish(merchant_topic(order.merchant_id), "ORDER_UPDATED", **payload)
    if order.urgent and previous is None:
        await events.publish(HOTLINE_TOPIC, "URGENT_ORDER", **payload)


def order_info(order: OrderRecord) -> OrderInfo:
    """What plugins are told about an order: the form without personal fields."""
    return OrderInfo(
        number=order.number,
        service_type=order.service_type,
        status=order.status.value,
        grid_code=order.grid_code,
        form=without_personal(order.service_type, order.form),
        quoted_amount=order.quoted_amount,
        final_amount=order.final_amount,
        merchant_id=order.merchant_id,
        placed_at=order.placed_at,
        urgent=order.urgent,
    )


async def tell_plugins(order: OrderRecord, previous: OrderStatus | None, actor: str | None) -> None:
    """Call ``order_placed`` (no previous status) or ``order_status_changed``, once the
    change is committed: a step inside a larger transaction (a hotline referral placing
    its order) tells plugins only if that transaction commits."""
    if previous is None:
        await events.defer(lambda: notify("order_placed", order=order_info(order)))
    elif previous is not order.status:
        status_was = previous.value
        await events.defer(
            lambda: notify(
                "order_status_changed", order=order_info(order), previous=status_was, actor=actor
            )
        )
