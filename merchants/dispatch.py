"""The dispatch engine: finding candidates, sending offers round by round, accepting.

Races are settled by conditional updates inside transactions, never by reading and
deciding in Python. Every transaction that touches an order's offers first updates
the order row, so on PostgreSQL such transactions queue on that row lock and see each
other's committed offers, and on SQLite they are serialised anyway. Rounds are
numbered: the conditional update on ``dispatch_round`` lets exactly one caller (a
request, or the sweeper of any worker) send the next round.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from tortoise.expressions import F, Subquery
from tortoise.transactions import in_transaction

from accounts.service import Principal
from merchants import live, observers
from merchants.live import OfferEventKind
from merchants.models import (
    Merchant,
    MerchantArea,
    MerchantStatus,
    Offer,
    OfferStatus,
    Order,
    OrderEvent,
    OrderStatus,
)
from merchants.providers import ancestor_paths, merchant_of
from merchants.records import (
    OFFER_COLUMNS,
    OfferRecord,
    OrderRecord,
    get_offers,
    get_orders_by_id,
)
from plugins import guard
from plugins.forms import from_json, haversine_km
from plugins.registry import service_registry
from plugins.service_types import Candidate, DispatchMode, ServiceType, rank_default
from wuyou import claims, clock, events
from wuyou.errors import DomainError, ErrorCode

log = logging.getLogger(__name__)

#: Statuses in which an order is still looking for a provider.
SEEKING = (OrderStatus.PLACED, OrderStatus.DISPATCHING)
#: How long an order may seek a provider with no offer open before the sweeper steps in.
STALL_AFTER = timedelta(seconds=30)


async def find_candidates(
    service_type: ServiceType, order: OrderRecord, exclude: set[int]
) -> list[Candidate]:
    """Approved, on-duty providers of the right kind serving the type and covering the
    order's grid, with room for one more order, leaving out ``exclude``."""
    rows = await (
        Merchant.filter(
            status=MerchantStatus.APPROVED,
            on_duty=True,
            kind=service_type.provider_kind,
            active_orders__lt=F("capacity"),
            services__service_type=service_type.code,
            areas__area_path__in=ancestor_paths(order.grid_path),
        )
        .exclude(id__in=exclude or [0])
        .values(
            "id",
            "name",
            "base_lat",
            "base_lng",
            "rating_sum",
            "rating_count",
            "active_orders",
            "capacity",
            "specialties",
            "areas__area_path",
        )
    )
    found: dict[int, Candidate] = {}
    for row in rows:
        depth = row["areas__area_path"].count("/") - 1
        known = found.get(row["id"])
        if known is not None and known.coverage_depth >= depth:
            continue
        found[row["id"]] = Candidate(
            merchant_id=row["id"],
            name=row["name"],
            distance_km=round(
                haversine_km(order.lat, order.lng, row["base_lat"], row["base_lng"]), 3
            ),
            rating=row["rating_sum"] / row["rating_count"] if row["rating_count"] else None,
            load=row["active_orders"],
            capacity=row["capacity"],
            specialties=frozenset(row["specialties"] or ()),
            coverage_depth=depth,
        )
    return list(found.values())


async def _ranked(
    service_type: ServiceType, order: OrderRecord, pool: list[Candidate]
) -> list[Candidate]:
    """The plugin's ranking of ``pool``; the default ranking if it fails or cheats."""
    fallback: Sequence[Candidate] = rank_default(pool, order.form)
    if not pool:
        return list(fallback)
    values = from_json(service_type.fields, order.form)
    ranked = await guard.call(
        service_registry().plugin_of(service_type.code),
        "rank",
        service_type.rank,
        pool,
        values,
        default=fallback,
    )
    ids = [c.merchant_id for c in ranked] if isinstance(ranked, (list, tuple)) else []
    if len(set(ids)) != len(ids) or not set(ids) <= {c.merchant_id for c in pool}:
        guard.failures[(service_registry().plugin_of(service_type.code), "rank")] += 1
        log.error("ranking of %s returned candidates it was not given", service_type.code)
        return list(fallback)
    return list(ranked)


async def _why_none(service_type: ServiceType, order: OrderRecord, offered: int) -> str:
    if offered:
        return f"已向 {offered} 家服务商派单，均未接单（拒绝或超时）。"
    serving = Merchant.filter(
        kind=service_type.provider_kind,
        services__service_type=service_type.code,
        areas__area_path__in=ancestor_paths(order.grid_path),
    )
    if not await serving.filter(status=MerchantStatus.APPROVED).exists():
        return "该网格暂无提供此服务的服务商。"
    if not await serving.filter(status=MerchantStatus.APPROVED, on_duty=True).exists():
        return "提供此服务的服务商均未在线。"
    return "提供此服务的服务商接单已满。"


async def dispatch_next(order_id: int, expected_round: int) -> OrderRecord:
    """Send the next round of offers for an order, or give up with NO_PROVIDER.

    Does nothing (and returns the order as it is) when the order is no longer seeking a
    provider, another caller already sent round ``expected_round + 1``, or offers of
    the current round are still pending.
    """
    order = (await get_orders_by_id([order_id]))[order_id]
    service_type = service_registry().get(order.service_type)
    if order.status not in SEEKING or order.dispatch_round != expected_round:
        return order
    offered = {
        r["merchant_id"] for r in await Offer.filter(order_id=order_id).values("merchant_id")
    }
    chosen: list[Candidate] = []
    reason = "此服务类型已下线。"
    if service_type is not None:
        pool = await find_candidates(service_type, order, offered)
        ranked = await _ranked(service_type, order, pool)
        k = service_type.dispatch.k if service_type.dispatch.mode is DispatchMode.BROADCAST else 1
        chosen = ranked[:k]
        if not chosen:
            reason = await _why_none(service_type, order, len(offered))
    now = clock.now()
    target = OrderStatus.DISPATCHING if chosen else OrderStatus.NO_PROVIDER
    async with events.after_commit(), in_transaction():
        changes: dict[str, Any] = {
            "dispatch_round": expected_round + 1,
            "status": target,
            "updated_at": now,
        }
        if not chosen:
            changes.update(status_reason=reason, finished_at=now)
        claimed = await Order.filter(
            id=order_id, status__in=SEEKING, dispatch_round=expected_round
        ).update(**changes)
        if not claimed:
            return (await get_orders_by_id([order_id]))[order_id]
        if await Offer.filter(order_id=order_id, status=OfferStatus.PENDING).exists():
            raise _Pending
        if chosen:
            assert service_type is not None
            expires = now + service_type.dispatch.accept_timeout
            await Offer.bulk_create(
                [
                    Offer(
                        order_id=order_id,
                        merchant_id=c.merchant_id,
                        round=expected_round + 1,
                        rank=i + 1,
                        distance_km=c.distance_km,
                        status=OfferStatus.PENDING,
                        offered_at=now,
                        expires_at=expires,
                    )
                    for i, c in enumerate(chosen)
                ]
            )
            rows = await Offer.filter(order_id=order_id, round=expected_round + 1).values(
                *OFFER_COLUMNS
            )
            for row in rows:
                await live.offer_event(OfferRecord(**row), OfferEventKind.OFFERED)
        if order.status is not target:
            await OrderEvent.create(
                order_id=order_id,
                from_status=order.status,
                to_status=target,
                note="" if chosen else reason,
                occurred_at=now,
            )
        updated = (await get_orders_by_id([order_id]))[order_id]
        if order.status is not target:
            await observers.order_changed(updated, order.status, None)
            await live.order_event(updated, order.status)
    if order.status is not target:
        await live.tell_plugins(updated, order.status, None)
    return updated


class _Pending(Exception):
    """Offers of the current round are still open: the round claim is rolled back."""


async def advance(order_id: int, expected_round: int) -> None:
    """:func:`dispatch_next`, treating "offers still pending" as nothing to do."""
    with contextlib.suppress(_Pending):
        await dispatch_next(order_id, expected_round)


async def _touch(order_id: int, now: datetime) -> int:
    """Lock the order row for this transaction (see the module docstring); 1 if it exists."""
    return await Order.filter(id=order_id).update(updated_at=now)


async def _still_pending(order_id: int) -> bool:
    return await Offer.filter(order_id=order_id, status=OfferStatus.PENDING).exists()


async def accept_offer(*, offer_id: int, actor: Principal | None) -> OrderRecord:
    """Accept an offer for the actor's provider: exactly one provider wins an order.

    Raises DomainError NOT_FOUND, OFFER_EXPIRED, OFFER_WITHDRAWN, ALREADY_TAKEN,
    CAPACITY_FULL or MERCHANT_NOT_APPROVED; nothing changes when it does.
    """
    merchant_id = await merchant_of(actor)
    assert actor is not None
    offer = await _own_offer(offer_id, merchant_id)
    now = clock.now()
    async with events.after_commit(), in_transaction():
        taken = await Order.filter(id=offer.order_id, status=OrderStatus.DISPATCHING).update(
            status=OrderStatus.ACCEPTED, merchant_id=merchant_id, accepted_at=now, updated_at=now
        )
        won = await Offer.filter(
            id=offer_id, status=OfferStatus.PENDING, expires_at__gt=now
        ).update(status=OfferStatus.ACCEPTED, responded_at=now)
        if not (taken and won):
            raise await _why_not_acceptable(offer_id, now)
        seated = await Merchant.filter(
            id=merchant_id, status=MerchantStatus.APPROVED, active_orders__lt=F("capacity")
        ).update(active_orders=F("active_orders") + 1, updated_at=now)
        if not seated:
            status = await Merchant.filter(id=merchant_id).values_list("status", flat=True)
            if status and status[0] is not MerchantStatus.APPROVED:
                raise DomainError(
                    ErrorCode.MERCHANT_NOT_APPROVED, "服务商当前不能接单。", "offerId"
                )
            raise DomainError(ErrorCode.CAPACITY_FULL, "已达到同时接单上限。", "offerId")
        await _withdraw_others(offer.order_id, keep=offer_id, now=now)
        order = (await get_orders_by_id([offer.order_id]))[offer.order_id]
        service_type = service_registry().get(order.service_type)
        note = ""
        if service_type is not None and service_type.companion_kind is not None:
            companion = await _companion(service_type, order)
            if companion is not None:
                await Order.filter(id=order.id).update(companion_id=companion)
                note = "已匹配社区调解员协同服务。"
        await OrderEvent.create(
            order_id=order.id,
            from_status=OrderStatus.DISPATCHING,
            to_status=OrderStatus.ACCEPTED,
            actor_id=actor.account_id,
            merchant_id=merchant_id,
            note=note,
            occurred_at=now,
        )
        order = (await get_orders_by_id([offer.order_id]))[offer.order_id]
        await observers.order_changed(order, OrderStatus.DISPATCHING, actor.account_id)
        await live.offer_event(offer, OfferEventKind.ACCEPTED)
        await live.order_event(order, OrderStatus.DISPATCHING)
        if order.companion_id is not None:
            await events.publish(
                live.merchant_topic(order.companion_id), "COMPANION_ASSIGNED", number=order.number
            )
    await live.tell_plugins(order, OrderStatus.DISPATCHING, actor.username)
    return order


async def _own_offer(offer_id: int, merchant_id: int) -> OfferRecord:
    rows = await Offer.filter(id=offer_id, merchant_id=merchant_id).values(*OFFER_COLUMNS)
    if not rows:
        raise DomainError(ErrorCode.NOT_FOUND, "没有这个派单。", "offerId")
    return OfferRecord(**rows[0])


async def _why_not_acceptable(offer_id: int, now: datetime) -> DomainError:
    offer = (await Offer.filter(id=offer_id).values("status", "expires_at"))[0]
    status: OfferStatus = offer["status"]
    if status is OfferStatus.EXPIRED or (
        status is OfferStatus.PENDING and offer["expires_at"] <= now
    ):
        return DomainError(ErrorCode.OFFER_EXPIRED, "派单已超时。", "offerId")
    if status is OfferStatus.WITHDRAWN:
        return DomainError(ErrorCode.OFFER_WITHDRAWN, "派单已被其他服务商接走或已撤回。", "offerId")
    if status is OfferStatus.PENDING:
        return DomainError(ErrorCode.ALREADY_TAKEN, "订单已被其他服务商接走。", "offerId")
    return DomainError(ErrorCode.INVALID_STATE, f"派单已是 {status.value} 状态。", "offerId")


async def _withdraw_others(order_id: int, *, keep: int | None, now: datetime) -> None:
    query = Offer.filter(order_id=order_id, status=OfferStatus.PENDING)
    if keep is not None:
        query = query.exclude(id=keep)
    rows = await query.values(*OFFER_COLUMNS)
    if rows:
        await Offer.filter(id__in=[r["id"] for r in rows], status=OfferStatus.PENDING).update(
            status=OfferStatus.WITHDRAWN, responded_at=now
        )
        for row in rows:
            await live.offer_event(OfferRecord(**row), OfferEventKind.WITHDRAWN)


async def withdraw_pending(order_id: int, now: datetime) -> None:
    """Withdraw every pending offer of an order (it was cancelled)."""
    await _withdraw_others(order_id, keep=None, now=now)


async def _companion(service_type: ServiceType, order: OrderRecord) -> int | None:
    """The provider of ``companion_kind`` responsible for the smallest area around the order."""
    assert service_type.companion_kind is not None
    rows = await (
        MerchantArea.filter(
            area_path__in=ancestor_paths(order.grid_path),
            merchant__kind=service_type.companion_kind,
            merchant__status=MerchantStatus.APPROVED,
        )
        .order_by("-area_path", "merchant_id")
        .values("merchant_id", "area_path")
    )
    if not rows:
        return None
    deepest = max(rows, key=lambda r: (r["area_path"].count("/"), -r["merchant_id"]))
    merchant_id: int = deepest["merchant_id"]
    return merchant_id


async def decline_offer(*, offer_id: int, reason: str, actor: Principal | None) -> OfferRecord:
    """Decline an offer; when no offer of the round is left open, the next round goes out."""
    merchant_id = await merchant_of(actor)
    offer = await _own_offer(offer_id, merchant_id)
    reason = reason.strip()
    if not reason:
        raise DomainError(ErrorCode.REQUIRED, "请说明拒单原因。", "reason")
    now = clock.now()
    async with events.after_commit(), in_transaction():
        await _touch(offer.order_id, now)
        declined = await Offer.filter(
            id=offer_id, status=OfferStatus.PENDING, expires_at__gt=now
        ).update(status=OfferStatus.DECLINED, responded_at=now, decline_reason=reason[:200])
        if not declined:
            raise await _why_not_acceptable(offer_id, now)
        await live.offer_event(offer, OfferEventKind.DECLINED)
        open_left = await _still_pending(offer.order_id)
    if not open_left:
        await advance(offer.order_id, offer.round)
    return (await get_offers([offer_id]))[offer_id]


@dataclass(frozen=True, slots=True)
class SweepReport:
    """What one sweep did."""

    expired: int
    advanced: int


async def expire_offers(limit: int = 200) -> SweepReport:
    """Expire pending offers past their deadline and send the next rounds, for up to
    ``limit`` orders.

    Safe to run in every worker at once: each worker claims the orders it works on
    (:mod:`wuyou.claims`), each offer expires exactly once (conditional update), and
    each next round is claimed by one caller.
    """
    now = clock.now()
    due = Offer.filter(status=OfferStatus.PENDING, expires_at__lte=now)
    swept = await claims.sweep(
        Order.filter(id__in=Subquery(due.values("order_id"))),
        ("id",),
        lambda order: _expire_due(order["id"], now),
        order=("id",),
        limit=limit,
    )
    expired = sum(n for n, _ in swept)
    advanced = sum(moved for _, moved in swept)
    return SweepReport(expired=expired, advanced=advanced + await _restart_stalled(now))


async def _expire_due(order_id: int, now: datetime) -> tuple[int, bool]:
    """Inside the order's claim: expire its offers past their deadline and, when none is
    left open, send the next round. How many expired, and whether the order moved on."""
    await _touch(order_id, now)
    rows = await Offer.filter(
        order_id=order_id, status=OfferStatus.PENDING, expires_at__lte=now
    ).values(*OFFER_COLUMNS)
    expired = latest_round = 0
    for row in rows:
        if await Offer.filter(id=row["id"], status=OfferStatus.PENDING).update(
            status=OfferStatus.EXPIRED, responded_at=now
        ):
            expired += 1
            latest_round = max(latest_round, row["round"])
            await live.offer_event(OfferRecord(**row), OfferEventKind.EXPIRED)
    if not expired or await _still_pending(order_id):
        return expired, False
    await advance(order_id, latest_round)
    return expired, True


async def _restart_stalled(now: datetime, limit: int = 100) -> int:
    """Orders seeking a provider with no offer open (a worker stopped mid-way): go on."""
    open_offers = Subquery(Offer.filter(status=OfferStatus.PENDING).values("order_id"))
    stalled = Order.filter(status__in=SEEKING, updated_at__lt=now - STALL_AFTER).exclude(
        id__in=open_offers
    )

    async def restart(order: dict[str, Any]) -> None:
        await _touch(order["id"], now)
        await advance(order["id"], order["dispatch_round"])

    restarted = await claims.sweep(
        stalled, ("id", "dispatch_round"), restart, order=("updated_at", "id"), limit=limit
    )
    return len(restarted)
