"""Orders and offers in GraphQL: placing, accepting, serving, rating, and live updates."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Iterable
from datetime import datetime
from typing import Annotated, Any, cast

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from accounts.models import Role
from merchants import dispatch, orders
from merchants.live import OfferEventKind, merchant_topic, order_topic
from merchants.models import OfferStatus, OrderStatus
from merchants.privacy import masked_form
from merchants.records import OfferRecord, OrderEventRecord, OrderRecord, get_offers
from merchants.records import offers_of_merchant as merchant_offers
from schema.context import Context
from schema.errors import BadUserInput, UserError, user_errors
from schema.grids import Area, LatLng
from schema.ids import cursor_row_id, row_id, row_id_of
from schema.merchants import LatLngInput, Merchant
from schema.pagination import Connection, decode_cursor, page_size
from schema.services import PriceQuote, ServiceType, service_type_of
from wuyou import clock, events
from wuyou.errors import DomainError, ErrorCode
from wuyou.privacy import mask_name, mask_phone

strawberry.enum(OrderStatus, description="Where an order is in its life.")
strawberry.enum(OfferStatus, description="Where an offer to one provider stands.")
strawberry.enum(OfferEventKind, description="What happened to an offer.")

Info = strawberry.Info[Context, None]


def _money(value: Any) -> str | None:
    return None if value is None else str(value)


@strawberry.type(description="One transition in an order's history.")
class OrderEvent:
    from_status: OrderStatus | None
    to_status: OrderStatus
    note: str
    occurred_at: datetime
    record: strawberry.Private[OrderEventRecord]

    @strawberry.field(description="Username of who caused it; null for the platform itself.")
    async def actor(self, info: Info) -> str | None:
        if self.record.actor_id is None:
            return None
        account = await info.context.loaders.account_by_id.load(self.record.actor_id)
        return account.username if account else None


async def _grid(info: Info, grid_id: int) -> Area:
    record = await info.context.loaders.area_by_id.load(grid_id)
    assert record is not None
    return Area.of(record)


@strawberry.type(
    description="A citizen's order, seen in full: by platform staff, its citizen, and the "
    "provider that accepted it."
)
class Order(relay.Node):
    number: str = strawberry.field(description="FW + date + sequence: FW20261127000123.")
    status: OrderStatus
    urgent: bool = strawberry.field(description="An emergency (a crisis) flagged to the hotline.")
    form: JSON = strawberry.field(description="The cleaned order form, by field code.")
    address: str
    contact_name: str
    contact_phone: str
    quote: PriceQuote
    final_price: str | None = strawberry.field(description="Yuan, set on completion.")
    outcome: str | None = strawberry.field(description="The completion outcome, if the type has.")
    outcome_note: str
    status_reason: str = strawberry.field(
        description="Why it ended as NO_PROVIDER or CANCELLED; empty otherwise."
    )
    stars: int | None
    rating_comment: str
    placed_at: datetime
    accepted_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None
    record: strawberry.Private[OrderRecord]

    @classmethod
    def resolve_id(cls, root: Order, *, info: Info) -> str:
        return root.number

    @classmethod
    def of(cls, record: OrderRecord) -> Order:
        return cls(
            number=record.number,
            status=record.status,
            urgent=record.urgent,
            form=cast(JSON, record.form),
            address=record.address,
            contact_name=record.contact_name,
            contact_phone=record.contact_phone,
            quote=PriceQuote.stored(record.quote),
            final_price=_money(record.final_amount),
            outcome=record.outcome,
            outcome_note=record.outcome_note,
            status_reason=record.status_reason,
            stars=record.stars,
            rating_comment=record.rating_comment,
            placed_at=record.placed_at,
            accepted_at=record.accepted_at,
            started_at=record.started_at,
            finished_at=record.finished_at,
            record=record,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Order | None]:
        principal = await info.context.principal()
        found = [await orders.visible_order(n, principal) for n in node_ids]
        return [cls.of(r) if r else None for r in found]

    @strawberry.field
    def service_type(self) -> ServiceType | None:
        return service_type_of(self.record.service_type)

    @strawberry.field
    def location(self) -> LatLng:
        return LatLng(lat=self.record.lat, lng=self.record.lng)

    @strawberry.field(description="The grid the order is served in.")
    async def grid(self, info: Info) -> Area:
        return await _grid(info, self.record.grid_id)

    @strawberry.field(description="The provider that accepted it.")
    async def merchant(self, info: Info) -> Merchant | None:
        return await _merchant(info, self.record.merchant_id)

    @strawberry.field(
        description="A second provider paired in on acceptance (the community mediator)."
    )
    async def companion(self, info: Info) -> Merchant | None:
        return await _merchant(info, self.record.companion_id)

    @strawberry.field(description="Every transition, oldest first.")
    async def history(self, info: Info) -> list[OrderEvent]:
        records = await info.context.loaders.order_history.load(self.record.id)
        return [
            OrderEvent(
                from_status=r.from_status,
                to_status=r.to_status,
                note=r.note,
                occurred_at=r.occurred_at,
                record=r,
            )
            for r in records
        ]

    @strawberry.field(description="Every offer made for it (platform staff only; null for others).")
    async def offers(self, info: Info) -> list[Offer] | None:
        principal = await info.context.principal()
        if principal is None or principal.role not in (Role.ADMIN, Role.AGENT):
            return None
        return [Offer.of(r) for r in await info.context.loaders.order_offers.load(self.record.id)]


async def _merchant(info: Info, merchant_id: int | None) -> Merchant | None:
    if merchant_id is None:
        return None
    record = await info.context.loaders.merchant_by_id.load(merchant_id)
    return Merchant.of(record) if record else None


@strawberry.type(
    description="What a provider sees of an order before accepting it: the service, the "
    "grid, the distance and the form, with the citizen's name, phones and ID numbers masked."
)
class OfferedJob:
    number: str
    urgent: bool
    form: JSON
    contact_name: str | None = strawberry.field(description="Masked: 张*.")
    contact_phone: str | None = strawberry.field(description="Masked: 138****1234.")
    quote: PriceQuote
    placed_at: datetime
    record: strawberry.Private[OrderRecord]

    @classmethod
    def of(cls, record: OrderRecord) -> OfferedJob:
        return cls(
            number=record.number,
            urgent=record.urgent,
            form=cast(JSON, masked_form(record.service_type, record.form)),
            contact_name=mask_name(record.contact_name),
            contact_phone=mask_phone(record.contact_phone),
            quote=PriceQuote.stored(record.quote),
            placed_at=record.placed_at,
            record=record,
        )

    @strawberry.field
    def service_type(self) -> ServiceType | None:
        return service_type_of(self.record.service_type)

    @strawberry.field(description="The grid the order is in.")
    async def grid(self, info: Info) -> Area:
        return await _grid(info, self.record.grid_id)


@strawberry.type(description="An order offered to the signed-in provider.")
class Offer(relay.Node):
    status: OfferStatus
    round: int = strawberry.field(description="The dispatch round it was sent in.")
    rank: int = strawberry.field(description="Its place in that round's ranking (1 = best).")
    distance_km: float = strawberry.field(description="From the provider's base to the order.")
    offered_at: datetime
    expires_at: datetime
    responded_at: datetime | None
    decline_reason: str
    record: strawberry.Private[OfferRecord]

    @classmethod
    def resolve_id(cls, root: Offer, *, info: Info) -> str:
        return str(root.record.id)

    @classmethod
    def of(cls, record: OfferRecord) -> Offer:
        return cls(
            status=record.status,
            round=record.round,
            rank=record.rank,
            distance_km=record.distance_km,
            offered_at=record.offered_at,
            expires_at=record.expires_at,
            responded_at=record.responded_at,
            decline_reason=record.decline_reason,
            record=record,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Offer | None]:
        """A provider sees its own offers only; staff see any."""
        principal = await info.context.require()
        ids = [row_id(i) or 0 for i in node_ids]
        found = await get_offers(ids)
        staff = principal.role in (Role.ADMIN, Role.AGENT)
        own = None if staff else await info.context.own_merchant()
        return [
            cls.of(found[i]) if i in found and (staff or found[i].merchant_id == own) else None
            for i in ids
        ]

    @strawberry.field(description="Seconds left to accept (0 once it is no longer pending).")
    def seconds_left(self) -> int:
        if self.status is not OfferStatus.PENDING:
            return 0
        return max(0, int((self.expires_at - clock.now()).total_seconds()))

    @strawberry.field(description="The order, masked as a provider sees it before accepting.")
    async def job(self, info: Info) -> OfferedJob:
        record = await info.context.loaders.order_by_id.load(self.record.order_id)
        assert record is not None
        return OfferedJob.of(record)

    @strawberry.field(description="The order in full, once this offer was accepted; else null.")
    async def order(self, info: Info) -> Order | None:
        if self.status is not OfferStatus.ACCEPTED:
            return None
        record = await info.context.loaders.order_by_id.load(self.record.order_id)
        return Order.of(record) if record else None


def offer_id_of(global_id: relay.GlobalID) -> int:
    """The offer id inside an Offer global id; BAD_USER_INPUT otherwise."""
    return row_id_of(global_id, "Offer", "offerId")


@strawberry.input(description="Which orders to list; every criterion given must hold.")
class OrderFilter:
    status: list[OrderStatus] | None = None
    service_type: str | None = None
    area_code: str | None = strawberry.field(
        default=None, description="In this area or beneath it."
    )
    urgent: bool | None = None
    placed_from: datetime | None = None
    placed_before: datetime | None = None


@strawberry.input
class PlaceOrderInput:
    service_type: str
    form: JSON = strawberry.field(description="Field code → value; see ServiceType.fields.")
    location: LatLngInput = strawberry.field(description="Where the service is wanted.")
    address: str
    contact_name: str
    contact_phone: str = strawberry.field(description="An 11-digit mobile number.")
    idempotency_key: str | None = strawberry.field(
        default=None,
        description="8–64 characters; a retry with the same key returns the "
        "first order instead of placing another.",
    )
    citizen_username: str | None = strawberry.field(
        default=None, description="An agent placing the order for a citizen's account."
    )


@strawberry.type
class PlaceOrderPayload:
    order: Order | None
    errors: list[UserError]


@strawberry.input
class AcceptOfferInput:
    offer_id: relay.GlobalID


@strawberry.type
class AcceptOfferPayload:
    order: Order | None
    errors: list[UserError]


@strawberry.input
class DeclineOfferInput:
    offer_id: relay.GlobalID
    reason: str


@strawberry.type
class DeclineOfferPayload:
    offer: Offer | None
    errors: list[UserError]


@strawberry.input
class StartServiceInput:
    order_number: str


@strawberry.type
class StartServicePayload:
    order: Order | None
    errors: list[UserError]


@strawberry.input
class CompleteOrderInput:
    order_number: str
    final_price: str | None = strawberry.field(
        default=None, description="Yuan as a decimal string; defaults to the quote."
    )
    outcome: str | None = strawberry.field(
        default=None, description="Required where the type has outcomes (ServiceType.outcomes)."
    )
    outcome_note: str = strawberry.field(
        default="", description="The agreement text, or where the case was referred."
    )


@strawberry.type
class CompleteOrderPayload:
    order: Order | None
    errors: list[UserError]


@strawberry.input
class CancelOrderInput:
    order_number: str
    reason: str = ""


@strawberry.type
class CancelOrderPayload:
    order: Order | None
    errors: list[UserError]


@strawberry.input
class RateOrderInput:
    order_number: str
    stars: int = strawberry.field(description="1–5.")
    comment: str = ""


@strawberry.type
class RateOrderPayload:
    order: Order | None
    errors: list[UserError]


@strawberry.input(description="An order form to check and price before placing it.")
class OrderQuoteInput:
    service_type: str
    form: JSON
    location: LatLngInput


@strawberry.type(
    description="What placing the order would meet: the price and the grid, or the problems "
    "with the form (the same `errors` placeOrder would give)."
)
class OrderQuote:
    quote: PriceQuote | None
    grid: Area | None
    errors: list[UserError]


@strawberry.type
class OrderQueries:
    @strawberry.field(
        description="Check an order form and price it without placing it, e.g. as the "
        "citizen fills it in. Anyone may ask."
    )
    async def order_quote(self, info: Info, input: OrderQuoteInput) -> OrderQuote:
        if not isinstance(input.form, dict):
            error = UserError(field="form", code=ErrorCode.INVALID, message="表单应为对象。")
            return OrderQuote(quote=None, grid=None, errors=[error])
        try:
            quoted = await orders.quote_order(
                input.service_type, input.form, input.location.lat, input.location.lng
            )
        except DomainError as error:
            return OrderQuote(quote=None, grid=None, errors=user_errors(error))
        return OrderQuote(quote=PriceQuote.of(quoted.quote), grid=Area.of(quoted.grid), errors=[])

    @strawberry.field(description="An order you may see, by number; null otherwise.")
    async def order(self, info: Info, number: str) -> Order | None:
        record = await orders.visible_order(number, await info.context.principal())
        return Order.of(record) if record else None

    @strawberry.field(
        description="Orders newest first: staff see all, citizens their own, providers the "
        "orders they accepted."
    )
    async def orders(
        self,
        info: Info,
        filter: OrderFilter | None = None,
        first: Annotated[int | None, strawberry.argument(description="At most 100.")] = None,
        after: str | None = None,
    ) -> Connection[Order]:
        f = filter or OrderFilter()
        after_id = cursor_row_id(decode_cursor("Order", after))
        area_path = None
        if f.area_code is not None:
            area = await info.context.loaders.area_by_code.load(f.area_code)
            if area is None:
                raise BadUserInput("filter.areaCode", f"No area {f.area_code!r}.")
            area_path = area.path
        try:
            page = await orders.list_orders(
                orders.OrderFilter(
                    statuses=tuple(f.status or ()),
                    service_type=f.service_type,
                    area_path=area_path,
                    urgent=f.urgent,
                    placed_from=f.placed_from,
                    placed_before=f.placed_before,
                ),
                viewer=await info.context.require(),
                first=page_size(first),
                after=after_id,
            )
        except DomainError as error:
            raise BadUserInput.of(error) from error
        return Connection[Order].of(page, kind="Order", key=lambda r: str(r.id), node=Order.of)

    @strawberry.field(
        description="The signed-in provider's offers, newest first (at most 100): after a "
        "reconnect, the pending ones are here."
    )
    async def my_offers(
        self, info: Info, status: list[OfferStatus] | None = None, first: int = 50
    ) -> list[Offer]:
        await info.context.require(Role.MERCHANT)
        merchant_id = await info.context.own_merchant()
        records = await merchant_offers(merchant_id, status or None, limit=page_size(first))
        return [Offer.of(r) for r in records]


@strawberry.type
class OrderMutations:
    @strawberry.mutation(
        description="Order a service (a citizen, or an agent for a citizen). The form is "
        "checked, the location resolves to a grid, a price is quoted and dispatch starts."
    )
    async def place_order(self, info: Info, input: PlaceOrderInput) -> PlaceOrderPayload:
        actor = await info.context.require(Role.CITIZEN, Role.AGENT, Role.ADMIN)
        if not isinstance(input.form, dict):
            error = UserError(field="form", code=ErrorCode.INVALID, message="表单应为对象。")
            return PlaceOrderPayload(order=None, errors=[error])
        request = orders.OrderRequest(
            service_type=input.service_type,
            form=input.form,
            lat=input.location.lat,
            lng=input.location.lng,
            address=input.address,
            contact_name=input.contact_name,
            contact_phone=input.contact_phone,
            idempotency_key=input.idempotency_key,
            citizen_username=input.citizen_username,
        )
        try:
            record = await orders.place_order(request, actor=actor)
        except DomainError as error:
            return PlaceOrderPayload(order=None, errors=user_errors(error))
        return PlaceOrderPayload(order=Order.of(record), errors=[])

    @strawberry.mutation(
        description="Accept an offer: exactly one provider wins an order, however many press "
        "at once. The citizen's name and phone become visible."
    )
    async def accept_offer(self, info: Info, input: AcceptOfferInput) -> AcceptOfferPayload:
        actor = await info.context.require(Role.MERCHANT)
        try:
            record = await dispatch.accept_offer(offer_id=offer_id_of(input.offer_id), actor=actor)
        except DomainError as error:
            return AcceptOfferPayload(order=None, errors=user_errors(error))
        return AcceptOfferPayload(order=Order.of(record), errors=[])

    @strawberry.mutation(description="Decline an offer; the next provider gets it.")
    async def decline_offer(self, info: Info, input: DeclineOfferInput) -> DeclineOfferPayload:
        actor = await info.context.require(Role.MERCHANT)
        try:
            record = await dispatch.decline_offer(
                offer_id=offer_id_of(input.offer_id), reason=input.reason, actor=actor
            )
        except DomainError as error:
            return DeclineOfferPayload(offer=None, errors=user_errors(error))
        return DeclineOfferPayload(offer=Offer.of(record), errors=[])

    @strawberry.mutation(description="Start serving an accepted order (its provider).")
    async def start_service(self, info: Info, input: StartServiceInput) -> StartServicePayload:
        actor = await info.context.require(Role.MERCHANT)
        try:
            record = await orders.start_service(number=input.order_number, actor=actor)
        except DomainError as error:
            return StartServicePayload(order=None, errors=user_errors(error))
        return StartServicePayload(order=Order.of(record), errors=[])

    @strawberry.mutation(description="Complete an order in service (its provider).")
    async def complete_order(self, info: Info, input: CompleteOrderInput) -> CompleteOrderPayload:
        actor = await info.context.require(Role.MERCHANT)
        try:
            record = await orders.complete_order(
                number=input.order_number,
                final_price=input.final_price,
                outcome=input.outcome,
                outcome_note=input.outcome_note,
                actor=actor,
            )
        except DomainError as error:
            return CompleteOrderPayload(order=None, errors=user_errors(error))
        return CompleteOrderPayload(order=Order.of(record), errors=[])

    @strawberry.mutation(
        description="Cancel an order before service starts (its citizen, or an agent)."
    )
    async def cancel_order(self, info: Info, input: CancelOrderInput) -> CancelOrderPayload:
        actor = await info.context.require(Role.CITIZEN, Role.AGENT, Role.ADMIN)
        try:
            record = await orders.cancel_order(
                number=input.order_number, reason=input.reason, actor=actor
            )
        except DomainError as error:
            return CancelOrderPayload(order=None, errors=user_errors(error))
        return CancelOrderPayload(order=Order.of(record), errors=[])

    @strawberry.mutation(description="Rate a completed order once, 1–5 stars (its citizen).")
    async def rate_order(self, info: Info, input: RateOrderInput) -> RateOrderPayload:
        actor = await info.context.require(Role.CITIZEN)
        try:
            record = await orders.rate_order(
                number=input.order_number, stars=input.stars, comment=input.comment, actor=actor
            )
        except DomainError as error:
            return RateOrderPayload(order=None, errors=user_errors(error))
        return RateOrderPayload(order=Order.of(record), errors=[])


@strawberry.type(description="Something that happened to one of your offers.")
class OfferEvent:
    kind: OfferEventKind
    occurred_at: datetime
    offer: Offer


@strawberry.type(description="An order changed.")
class OrderUpdate:
    previous: OrderStatus | None = strawberry.field(
        description="The status the order left (null when it was placed)."
    )
    status: OrderStatus = strawberry.field(
        description="The status this change moved the order to. `order` is the order as it "
        "is when the message is sent: after quick successive changes, already further along."
    )
    occurred_at: datetime
    order: Order


@strawberry.type
class OrderSubscriptions:
    @strawberry.subscription(
        description="Your offers as they come, are withdrawn, expire (the signed-in provider). "
        "Query myOffers after reconnecting: offers are kept, messages are not."
    )
    async def offers(self, info: Info) -> AsyncGenerator[OfferEvent, None]:
        await info.context.require(Role.MERCHANT)
        merchant_id = await info.context.own_merchant()
        async with events.broadcaster().subscribe(merchant_topic(merchant_id)) as stream:
            async for event in stream:
                if event.kind not in OfferEventKind.__members__:
                    continue
                await info.context.reverify()
                record = (await get_offers([event.payload["offer_id"]])).get(
                    event.payload["offer_id"]
                )
                if record is not None and record.merchant_id == merchant_id:
                    yield OfferEvent(
                        kind=OfferEventKind(event.kind),
                        occurred_at=event.occurred_at,
                        offer=Offer.of(record),
                    )

    @strawberry.subscription(
        description="Changes to one order, for those who may see it (its citizen, staff, "
        "its provider)."
    )
    async def order_updated(self, info: Info, number: str) -> AsyncGenerator[OrderUpdate, None]:
        principal = await info.context.require()
        if await orders.visible_order(number, principal) is None:
            raise BadUserInput("number", f"No order {number!r} that you may see.")
        async with events.broadcaster().subscribe(order_topic(number)) as stream:
            async for event in stream:
                principal = await info.context.reverify()
                record = await orders.visible_order(number, principal)
                if record is None:
                    return
                previous = event.payload.get("previous")
                yield OrderUpdate(
                    previous=OrderStatus(previous) if previous else None,
                    status=OrderStatus(event.payload["status"]),
                    occurred_at=event.occurred_at,
                    order=Order.of(record),
                )
