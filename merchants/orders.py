"""Orders: quoting, placing (then dispatching), service, completion, cancelling, rating."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F, Q
from tortoise.transactions import in_transaction

from accounts.models import Account, Role
from accounts.service import Principal, require_role
from grids.areas import AreaRecord, area_at
from merchants import dispatch, live, observers
from merchants.models import Merchant, Order, OrderEvent, OrderStatus
from merchants.providers import merchant_of
from merchants.records import (
    ORDER_COLUMNS,
    OrderRecord,
    get_order,
    get_orders_by_id,
    read_orders,
)
from plugins import guard
from plugins.forms import Location, clean_form, to_json
from plugins.identifiers import is_mobile, normalise_mobile
from plugins.pricing import PricingKind, Quote, QuoteRequest, yuan
from plugins.registry import service_registry
from plugins.service_types import ServiceType
from wuyou import clock, events
from wuyou.errors import DomainError, ErrorCode, Forbidden, Problem
from wuyou.numbers import next_number
from wuyou.pagination import Page, page_from_rows

log = logging.getLogger(__name__)

NUMBER_PREFIX = "FW"
_UNPRICED = Quote(amount=None, note="价格由服务商上门后报价。")


@dataclass(frozen=True, slots=True)
class Quoted:
    """A checked order form with its price and the grid it will be served in."""

    service_type: ServiceType
    values: dict[str, Any]
    quote: Quote
    grid: AreaRecord
    urgent: bool


async def quote_order(
    service_type_code: str, form: Mapping[str, Any], lat: float, lng: float
) -> Quoted:
    """Check a form against its service type, find the grid, and price the order.

    Raises :class:`DomainError` with every problem: ``serviceType`` NOT_FOUND,
    ``location`` OUTSIDE_SERVICE_AREA, and ``form.<field>`` for each bad field.
    """
    registry = service_registry()
    service_type = registry.get(service_type_code)
    problems: list[Problem] = []
    if service_type is None:
        problems.append(Problem("serviceType", ErrorCode.NOT_FOUND, "没有这种服务类型。"))
    grid = await area_at(lat, lng)
    if grid is None:
        problems.append(
            Problem("location", ErrorCode.OUTSIDE_SERVICE_AREA, "该位置不在本市任何网格内。")
        )
    if service_type is None:
        raise DomainError.of(problems)
    try:
        values = clean_form(service_type.fields, form)
    except DomainError as invalid:
        raise DomainError.of([*problems, *invalid.problems]) from None
    plugin = registry.plugin_of(service_type.code)
    if service_type.check is not None:
        problems += await guard.call(plugin, "check", service_type.cross_check, values, default=[])
    if problems:
        raise DomainError.of(problems)
    assert grid is not None
    request = QuoteRequest(form=values, location=Location(lat, lng))
    quote = await guard.call(
        plugin, "quote", service_type.pricing.quote, request, default=_UNPRICED
    )
    urgent = False
    if service_type.is_urgent is not None:
        urgent = await guard.call(
            plugin, "is_urgent", service_type.is_urgent, values, default=False
        )
    return Quoted(service_type, values, quote, grid, bool(urgent))


@dataclass(frozen=True, slots=True)
class OrderRequest:
    """What ``placeOrder`` carries."""

    service_type: str
    form: Mapping[str, Any]
    lat: float
    lng: float
    address: str
    contact_name: str
    contact_phone: str
    idempotency_key: str | None = None
    citizen_username: str | None = None

    def digest(self) -> str:
        """A fingerprint of the request, to tell a retry from a different order."""
        body = json.dumps(
            [
                self.service_type,
                self.form,
                self.lat,
                self.lng,
                self.address,
                self.contact_name,
                self.contact_phone,
                self.citizen_username,
            ],
            sort_keys=True,
            ensure_ascii=False,
            default=str,
        )
        return hashlib.sha256(body.encode()).hexdigest()


def _contact_problems(request: OrderRequest) -> list[Problem]:
    problems: list[Problem] = []
    if not request.contact_name.strip() or len(request.contact_name.strip()) > 32:
        problems.append(Problem("contactName", ErrorCode.INVALID, "联系人姓名应为 1–32 个字。"))
    if not is_mobile(request.contact_phone):
        problems.append(Problem("contactPhone", ErrorCode.INVALID, "应为 11 位手机号。"))
    if not request.address.strip():
        problems.append(Problem("address", ErrorCode.REQUIRED, "请填写服务地址。"))
    elif len(request.address) > 200:
        problems.append(Problem("address", ErrorCode.TOO_LONG, "地址最多 200 个字。"))
    key = request.idempotency_key
    if key is not None and not 8 <= len(key) <= 64:
        problems.append(Problem("idempotencyKey", ErrorCode.INVALID, "幂等键应为 8–64 个字符。"))
    return problems


async def place_order(request: OrderRequest, *, actor: Principal | None) -> OrderRecord:
    """Place an order (a citizen, or an agent for a citizen) and start dispatching it.

    The same ``idempotency_key`` from the same account returns the first order; reused
    for a different order it is refused (IDEMPOTENCY_CONFLICT).
    """
    actor = require_role(actor, Role.CITIZEN, Role.AGENT, Role.ADMIN)
    digest = request.digest()
    if request.idempotency_key:
        earlier = await _by_key(actor, request.idempotency_key, digest)
        if earlier is not None:
            return earlier
    problems = _contact_problems(request)
    citizen_id = actor.account_id if actor.role is Role.CITIZEN else None
    if request.citizen_username and actor.role is not Role.CITIZEN:
        citizen = await Account.get_or_none(
            username=request.citizen_username.strip().lower()[:64], role=Role.CITIZEN
        )
        if citizen is None:
            problems.append(Problem("citizenUsername", ErrorCode.NOT_FOUND, "没有这个市民账号。"))
        else:
            citizen_id = citizen.id
    try:
        quoted = await quote_order(request.service_type, request.form, request.lat, request.lng)
    except DomainError as invalid:
        raise DomainError.of([*problems, *invalid.problems]) from None
    if problems:
        raise DomainError.of(problems)
    now = clock.now()
    try:
        async with events.after_commit(), in_transaction():
            order = await Order.create(
                number=await next_number(NUMBER_PREFIX, now, issued_on=_orders_numbered_on),
                service_type=quoted.service_type.code,
                form=to_json(quoted.service_type.fields, quoted.values),
                lat=request.lat,
                lng=request.lng,
                address=request.address.strip(),
                grid_id=quoted.grid.id,
                grid_path=quoted.grid.path,
                contact_name=request.contact_name.strip(),
                contact_phone=normalise_mobile(request.contact_phone),
                citizen_id=citizen_id,
                placed_by_id=actor.account_id,
                idempotency_key=request.idempotency_key or None,
                request_digest=digest,
                status=OrderStatus.PLACED,
                urgent=quoted.urgent,
                quoted_amount=quoted.quote.amount,
                quote=_quote_json(quoted.quote),
                placed_at=now,
                updated_at=now,
            )
            await OrderEvent.create(
                order=order,
                to_status=OrderStatus.PLACED,
                actor_id=actor.account_id,
                note="紧急：已通知热线坐席。" if quoted.urgent else "",
                occurred_at=now,
            )
            placed = (await get_orders_by_id([order.id]))[order.id]
            await observers.order_changed(placed, None, actor.account_id)
            await live.order_event(placed, None)
    except IntegrityError:
        if request.idempotency_key:  # the same key, placed concurrently: the first one wins
            earlier = await _by_key(actor, request.idempotency_key, digest)
            if earlier is not None:
                return earlier
        raise
    await live.tell_plugins(placed, None, actor.username)
    try:
        return await dispatch.dispatch_next(placed.id, 0)
    except Exception:  # the order is stored: the sweeper dispatches it (STALL_AFTER)
        log.exception("dispatching order %s failed; the sweeper will retry", placed.number)
        return (await get_orders_by_id([placed.id]))[placed.id]


async def _by_key(actor: Principal, key: str, digest: str) -> OrderRecord | None:
    rows = await Order.filter(placed_by_id=actor.account_id, idempotency_key=key[:64]).values(
        *ORDER_COLUMNS, "request_digest"
    )
    if not rows:
        return None
    if rows[0]["request_digest"] != digest:
        raise DomainError(
            ErrorCode.IDEMPOTENCY_CONFLICT, "该幂等键已用于另一笔订单。", "idempotencyKey"
        )
    return OrderRecord(
        **{k: v for k, v in rows[0].items() if k in OrderRecord.__dataclass_fields__}
    )


def _quote_json(quote: Quote) -> dict[str, Any]:
    return {
        "amount": None if quote.amount is None else str(quote.amount),
        "currency": quote.currency,
        "note": quote.note,
        "lines": [{"label": line.label, "amount": str(line.amount)} for line in quote.lines],
    }


async def _orders_numbered_on(day: date) -> int:
    return await Order.filter(number__startswith=f"{NUMBER_PREFIX}{day:%Y%m%d}").count()


#: Leaving these for COMPLETED or CANCELLED frees a place in the provider's capacity.
_HOLDING = (OrderStatus.ACCEPTED, OrderStatus.IN_SERVICE)


async def _transition(
    order: OrderRecord,
    *,
    source: tuple[OrderStatus, ...],
    target: OrderStatus,
    actor: Principal,
    changes: Mapping[str, Any] = {},
    note: str = "",
) -> OrderRecord:
    """Move an order from one of ``source`` to ``target`` with its history and events.

    Each source status is tried as its own conditional update, so the history records
    the status the order really left even when it moved meanwhile.
    """
    now = clock.now()
    async with events.after_commit(), in_transaction():
        previous = None
        for status in source:
            if await Order.filter(id=order.id, status=status).update(
                status=target, updated_at=now, **changes
            ):
                previous = status
                break
        if previous is None:
            current = await Order.filter(id=order.id).values("status")
            raise DomainError(
                ErrorCode.INVALID_STATE,
                f"订单当前为 {current[0]['status'].value}，不能变为 {target.value}。",
                "orderNumber",
            )
        fresh = (await get_orders_by_id([order.id]))[order.id]
        if target is OrderStatus.CANCELLED:
            await dispatch.withdraw_pending(order.id, now)
        if previous in _HOLDING and target not in _HOLDING and fresh.merchant_id is not None:
            await Merchant.filter(id=fresh.merchant_id, active_orders__gt=0).update(
                active_orders=F("active_orders") - 1, updated_at=now
            )
        await OrderEvent.create(
            order_id=order.id,
            from_status=previous,
            to_status=target,
            actor_id=actor.account_id,
            merchant_id=fresh.merchant_id,
            note=note[:255],
            occurred_at=now,
        )
        await observers.order_changed(fresh, previous, actor.account_id)
        await live.order_event(fresh, previous)
    await live.tell_plugins(fresh, previous, actor.username)
    return fresh


async def _merchants_order(number: str, actor: Principal | None) -> tuple[OrderRecord, Principal]:
    merchant_id = await merchant_of(actor)
    assert actor is not None
    order = await get_order(number)
    if order is None or order.merchant_id != merchant_id:
        raise DomainError(ErrorCode.NOT_FOUND, "没有这个订单。", "orderNumber")
    return order, actor


async def start_service(*, number: str, actor: Principal | None) -> OrderRecord:
    """The provider starts the service it accepted (ACCEPTED → IN_SERVICE)."""
    order, actor = await _merchants_order(number, actor)
    return await _transition(
        order,
        source=(OrderStatus.ACCEPTED,),
        target=OrderStatus.IN_SERVICE,
        actor=actor,
        changes={"started_at": clock.now()},
    )


async def complete_order(
    *,
    number: str,
    final_price: str | None,
    outcome: str | None,
    outcome_note: str,
    actor: Principal | None,
) -> OrderRecord:
    """The provider finishes (IN_SERVICE → COMPLETED) with the final price and, for types
    that record one, the outcome (mediation: AGREEMENT_REACHED with the agreement text)."""
    order, actor = await _merchants_order(number, actor)
    if order.status is not OrderStatus.IN_SERVICE:
        raise DomainError(ErrorCode.INVALID_STATE, "只有服务中的订单可以完成。", "orderNumber")
    service_type = service_registry().get(order.service_type)
    problems: list[Problem] = []
    amount = _final_amount(order, service_type, final_price, problems)
    if service_type is not None and service_type.outcomes:
        if not outcome or service_type.outcome(outcome) is None:
            codes = ", ".join(o.code for o in service_type.outcomes)
            problems.append(Problem("outcome", ErrorCode.INVALID_CHOICE, f"请选择结果：{codes}。"))
        if not outcome_note.strip():
            problems.append(
                Problem("outcomeNote", ErrorCode.REQUIRED, "请填写协议内容或去向说明。")
            )
    elif outcome:
        problems.append(Problem("outcome", ErrorCode.INVALID, "此服务类型不记录结果。"))
    if problems:
        raise DomainError.of(problems)
    return await _transition(
        order,
        source=(OrderStatus.IN_SERVICE,),
        target=OrderStatus.COMPLETED,
        actor=actor,
        changes={
            "final_amount": amount,
            "outcome": outcome or None,
            "outcome_note": outcome_note.strip(),
            "finished_at": clock.now(),
        },
    )


def _final_amount(
    order: OrderRecord,
    service_type: ServiceType | None,
    final_price: str | None,
    problems: list[Problem],
) -> Decimal | None:
    kind = service_type.pricing.kind if service_type else None
    if final_price is None:
        if order.quoted_amount is None:
            problems.append(Problem("finalPrice", ErrorCode.REQUIRED, "请填写实际价格。"))
        return order.quoted_amount
    try:
        amount = yuan(final_price)
    except (InvalidOperation, ValueError):
        problems.append(Problem("finalPrice", ErrorCode.INVALID, "价格应为以元为单位的十进制数。"))
        return None
    if kind is PricingKind.FREE and amount != 0:
        problems.append(Problem("finalPrice", ErrorCode.OUT_OF_RANGE, "免费服务不能收费。"))
    elif kind is not PricingKind.RECYCLING and amount < 0:
        problems.append(Problem("finalPrice", ErrorCode.OUT_OF_RANGE, "价格不能为负。"))
    elif abs(amount) > Decimal("1000000"):
        problems.append(Problem("finalPrice", ErrorCode.OUT_OF_RANGE, "价格超出范围。"))
    return amount


async def cancel_order(*, number: str, reason: str, actor: Principal | None) -> OrderRecord:
    """Cancel an order before service starts: its citizen, or an agent or administrator."""
    actor = require_role(actor, Role.CITIZEN, Role.AGENT, Role.ADMIN)
    order = await get_order(number)
    if order is None or not may_see_in_full(order, actor):
        raise DomainError(ErrorCode.NOT_FOUND, "没有这个订单。", "orderNumber")
    return await _transition(
        order,
        source=(OrderStatus.PLACED, OrderStatus.DISPATCHING, OrderStatus.ACCEPTED),
        target=OrderStatus.CANCELLED,
        actor=actor,
        changes={"finished_at": clock.now(), "status_reason": reason.strip()[:255]},
        note=reason,
    )


async def rate_order(
    *, number: str, stars: int, comment: str, actor: Principal | None
) -> OrderRecord:
    """The citizen rates a completed order once, 1–5 stars; the provider's rating follows."""
    actor = require_role(actor, Role.CITIZEN)
    order = await get_order(number)
    if order is None or not may_see_in_full(order, actor):
        raise DomainError(ErrorCode.NOT_FOUND, "没有这个订单。", "orderNumber")
    if not 1 <= stars <= 5:
        raise DomainError(ErrorCode.OUT_OF_RANGE, "评分为 1–5 星。", "stars")
    if len(comment) > 500:
        raise DomainError(ErrorCode.TOO_LONG, "评价最多 500 个字。", "comment")
    now = clock.now()
    async with in_transaction():
        rated = await Order.filter(
            id=order.id, status=OrderStatus.COMPLETED, stars__isnull=True
        ).update(stars=stars, rating_comment=comment.strip(), updated_at=now)
        if not rated:
            raise DomainError(
                ErrorCode.INVALID_STATE, "只能为已完成且未评价的订单评价。", "orderNumber"
            )
        await Merchant.filter(id=order.merchant_id).update(
            rating_sum=F("rating_sum") + stars, rating_count=F("rating_count") + 1
        )
    return (await get_orders_by_id([order.id]))[order.id]


def may_see_in_full(order: OrderRecord, viewer: Principal) -> bool:
    """Platform staff, and the citizen the order is for (or who placed it)."""
    if viewer.role in (Role.ADMIN, Role.AGENT):
        return True
    return viewer.role is Role.CITIZEN and viewer.account_id in (
        order.citizen_id,
        order.placed_by_id,
    )


async def visible_order(number: str, viewer: Principal | None) -> OrderRecord | None:
    """The order if ``viewer`` may see it: staff, its citizen, or the provider that took it."""
    if viewer is None:
        raise Forbidden("Sign in to see orders.")
    order = await get_order(number)
    if order is None:
        return None
    if may_see_in_full(order, viewer):
        return order
    if viewer.role is Role.MERCHANT and order.merchant_id == await merchant_of(viewer):
        return order
    return None


@dataclass(frozen=True, slots=True)
class OrderFilter:
    """Which orders to list; every criterion given must hold."""

    statuses: tuple[OrderStatus, ...] = ()
    service_type: str | None = None
    area_path: str | None = None
    urgent: bool | None = None
    placed_from: datetime | None = None
    placed_before: datetime | None = None


async def list_orders(
    order_filter: OrderFilter, *, viewer: Principal | None, first: int, after: int | None
) -> Page[OrderRecord]:
    """Newest first. Staff see every order, citizens their own, providers the ones they took."""
    viewer = require_role(viewer, Role.ADMIN, Role.AGENT, Role.CITIZEN, Role.MERCHANT)
    query = Order.all()
    if viewer.role is Role.CITIZEN:
        query = query.filter(Q(citizen_id=viewer.account_id) | Q(placed_by_id=viewer.account_id))
    elif viewer.role is Role.MERCHANT:
        query = query.filter(merchant_id=await merchant_of(viewer))
    if order_filter.statuses:
        query = query.filter(status__in=list(order_filter.statuses))
    if order_filter.service_type is not None:
        query = query.filter(service_type=order_filter.service_type[:64])
    if order_filter.area_path is not None:
        query = query.filter(grid_path__startswith=order_filter.area_path)
    if order_filter.urgent is not None:
        query = query.filter(urgent=order_filter.urgent)
    if order_filter.placed_from is not None:
        query = query.filter(
            placed_at__gte=clock.as_utc(order_filter.placed_from, "filter.placedFrom")
        )
    if order_filter.placed_before is not None:
        placed_before = clock.as_utc(order_filter.placed_before, "filter.placedBefore")
        query = query.filter(placed_at__lt=placed_before)
    total = await query.count()
    if after is not None:
        query = query.filter(id__lt=after)
    found = await read_orders(query.order_by("-id").limit(first + 1))
    return page_from_rows(found, first, total, after_given=after is not None)
