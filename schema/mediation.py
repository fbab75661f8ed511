"""Hotline to mediation in GraphQL: referring a dispute ticket to mediation, and the
marketplace orders linked to a ticket (``Ticket.orders``)."""

from __future__ import annotations

from datetime import datetime

import strawberry

from accounts.models import Role
from schema.context import Context
from schema.errors import UserError, user_errors
from schema.orders import Order
from schema.tickets import Ticket, ticket_view
from tickets import mediation
from tickets.models import OrderLinkPurpose
from tickets.order_links import TicketOrderRecord, sees_linked_order
from wuyou.errors import DomainError, Forbidden

strawberry.enum(
    OrderLinkPurpose,
    description="Why an order belongs to a ticket: MEDIATION (the hotline referred the "
    "dispute, referToMediation), CRISIS (a psychological-support crisis raised the ticket).",
)

Info = strawberry.Info[Context, None]

_AGENTS = (Role.AGENT, Role.ADMIN)


@strawberry.type(description="An order of the marketplace linked to a ticket, and why.")
class TicketOrderLink:
    purpose: OrderLinkPurpose
    linked_at: datetime
    record: strawberry.Private[TicketOrderRecord]

    @classmethod
    def of(cls, record: TicketOrderRecord) -> TicketOrderLink:
        return cls(purpose=record.purpose, linked_at=record.created_at, record=record)

    @strawberry.field(description="The order's number (FW…), as the ticket's history names it.")
    async def order_number(self, info: Info) -> str:
        order = await info.context.loaders.order_by_id.load(self.record.order_id)
        assert order is not None
        return order.number

    @strawberry.field(
        description="The order in full: for agents, its citizen, and the providers on it "
        "(the organisation or counsellor that took it, the community mediator paired in); "
        "null for other viewers of the ticket."
    )
    async def order(self, info: Info) -> Order | None:
        record = await info.context.loaders.order_by_id.load(self.record.order_id)
        principal = await info.context.principal()
        if record is None or principal is None:
            return None
        merchant_id = None
        if principal.role is Role.MERCHANT:
            try:
                merchant_id = await info.context.own_merchant()
            except Forbidden:  # a MERCHANT account not (or no longer) with a provider
                merchant_id = None
        return Order.of(record) if sees_linked_order(principal, record, merchant_id) else None


async def linked_orders(info: Info, ticket_id: int) -> list[TicketOrderLink]:
    """A ticket's linked orders, oldest first (batched per request)."""
    records = await info.context.loaders.ticket_orders.load(ticket_id)
    return [TicketOrderLink.of(r) for r in records]


@strawberry.input(description="A dispute ticket to refer to mediation (热线+多元调解).")
class ReferToMediationInput:
    number: str = strawberry.field(description="The ticket (RECEIVED, RETURNED or REOPENED).")
    dispute_type: str = strawberry.field(
        description="The dispute_mediation form's disputeType: NEIGHBOURS, FAMILY, "
        "PROPERTY_MANAGEMENT, LABOUR, CONSUMER, TRAFFIC, MEDICAL or OTHER."
    )
    other_party: str = strawberry.field(
        description="Who the dispute is with (a name or an organisation), up to 60 characters."
    )
    description: str | None = strawberry.field(
        default=None,
        description="What happened, 10–2,000 characters; the ticket's content when omitted.",
    )
    contact_phone: str | None = strawberry.field(
        default=None,
        description="The citizen's mobile number for the organisation, when the ticket's "
        "phone is not a mobile one.",
    )


@strawberry.type
class ReferToMediationPayload:
    ticket: Ticket | None = strawberry.field(
        description="IN_MEDIATION; RECEIVED again when no organisation could take the case "
        "(its history says why)."
    )
    order: Order | None = strawberry.field(description="The dispute_mediation order placed.")
    errors: list[UserError]


@strawberry.type
class MediationMutations:
    @strawberry.mutation(
        description="Refer a dispute ticket to mediation (agents): places a dispute_mediation "
        "order at the ticket's place for its citizen, linked to the ticket, which waits IN_"
        "MEDIATION. The organisation's acceptance and start are recorded in the ticket's "
        "history, its outcome resolves the ticket (the agreement's text, or no agreement and "
        "the referral to court or arbitration, as the reply), and a case no organisation took "
        "or that was cancelled comes back to the agents as RECEIVED."
    )
    async def refer_to_mediation(
        self, info: Info, input: ReferToMediationInput
    ) -> ReferToMediationPayload:
        actor = await info.context.require(*_AGENTS)
        try:
            referral = await mediation.refer_to_mediation(
                number=input.number,
                dispute_type=input.dispute_type,
                other_party=input.other_party,
                description=input.description,
                contact_phone=input.contact_phone,
                actor=actor,
            )
        except DomainError as error:
            return ReferToMediationPayload(ticket=None, order=None, errors=user_errors(error))
        return ReferToMediationPayload(
            ticket=Ticket.of(referral.ticket, await ticket_view(info)),
            order=Order.of(referral.order),
            errors=[],
        )
