"""Hotline to mediation (热线+多元调解): a dispute ticket referred to a mediation
organisation through a ``dispute_mediation`` order, and the order's progress and
outcome flowing back into the ticket.

:func:`refer_to_mediation` places the order through the marketplace
(:func:`merchants.orders.place_order`, so the form is checked and dispatched like any
citizen's), links it to the ticket and moves the ticket to IN_MEDIATION, all in one
transaction. From then on :func:`follow` (called by the order observer, see
:mod:`tickets.order_links`, inside the order's own transactions) records the
organisation's acceptance and start on the ticket, resolves it with the outcome (the
agreement's text, or no agreement and the referral to court or arbitration), or sends
it back to the agents (RECEIVED) when no organisation took the case or the order was
cancelled.

Which tickets: those whose category counts towards the DISPUTES dimension of the
safety index, and uncategorised ones (the agent judges; the dispute type is asked for).
A ticket classified as something else (a domestic-violence report counts as public
order and is not for mediation) is refused.

No ticket deadline runs while a ticket is in mediation (see
:func:`tickets.workflow.running_deadline`): the organisation works on the marketplace's
clock (accept timeouts, then NO_PROVIDER), and no department holds the ticket, so the
sweeper's supervision does not apply. The revisit deadline starts at the outcome, as
when a department resolves a ticket.
"""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.transactions import in_transaction

from accounts.models import Role
from accounts.service import Principal, get_accounts, require_role
from grids.areas import get_areas_by_id
from merchants.models import OrderStatus
from merchants.orders import OrderRequest, place_order
from merchants.providers import get_merchants
from merchants.records import OrderRecord, get_orders_by_id
from plugins.registry import service_registry
from tickets.catalogue import sla_policy, working_calendar
from tickets.lifecycle import Action, check
from tickets.models import Category, OrderLinkPurpose, SafetyDimension
from tickets.order_links import (
    LIVE,
    TicketOrderRecord,
    ended_reason,
    has_live_order,
    link_order,
    platform_step,
)
from tickets.records import TicketRecord
from tickets.sla import revisit_deadline
from tickets.workflow import REPLY_MAX_LENGTH, existing_ticket, move
from wuyou import clock, events
from wuyou.errors import DomainError, ErrorCode, Problem

#: The marketplace's service type a referral places.
MEDIATION_SERVICE = "dispute_mediation"
AGREEMENT_REACHED = "AGREEMENT_REACHED"
#: The contact name given to the organisation when the caller left none.
ANONYMOUS_CALLER = "来电市民"
_DESCRIPTION_MAX_LENGTH = 2000


@dataclass(frozen=True, slots=True)
class Referral:
    """A ticket referred to mediation and the order placed for it."""

    ticket: TicketRecord
    order: OrderRecord


async def refer_to_mediation(
    *,
    number: str,
    dispute_type: str,
    other_party: str,
    description: str | None = None,
    contact_phone: str | None = None,
    actor: Principal | None,
) -> Referral:
    """An agent refers a dispute ticket (RECEIVED, RETURNED or REOPENED) to mediation.

    Places a ``dispute_mediation`` order with the dispute type, the other party and the
    description (default: the ticket's content), at the ticket's place, for the
    citizen's name and phone (``contact_phone`` instead, e.g. when the ticket's is a
    landline), links it, and moves the ticket to IN_MEDIATION, in one transaction. When no
    organisation can take the case at all, the order ends NO_PROVIDER at once and the
    ticket is back with the agents (RECEIVED) with the reason in its history.

    Raises INVALID_STATE while a referral of the ticket is live, INVALID for a ticket
    that is not a dispute, REQUIRED when it has no location, and the order form's
    problems on ``disputeType``, ``otherParty``, ``description`` and ``contactPhone``.
    """
    actor = require_role(actor, Role.AGENT, Role.ADMIN)
    ticket = await existing_ticket(number)
    target = check(Action.REFER_TO_MEDIATION, ticket.status, actor.role)
    if await has_live_order(ticket.id, OrderLinkPurpose.MEDIATION):
        raise DomainError(ErrorCode.INVALID_STATE, "该工单已在调解中。", "number")
    await _check_dispute(ticket)
    request = await _order_request(ticket, dispute_type, other_party, description, contact_phone)
    now = clock.now()
    async with events.after_commit(), in_transaction():
        try:
            order = await place_order(request, actor=actor)
        except DomainError as refused:
            raise DomainError.of(_form_problems(refused)) from None
        await link_order(ticket.id, order.id, OrderLinkPurpose.MEDIATION, now)
        moved = await move(
            ticket,
            Action.REFER_TO_MEDIATION,
            actor,
            target,
            {"department_id": None},
            note=f"转人民调解（{_choice_label('disputeType', dispute_type)}），调解订单 "
            f"{order.number}。",
            now=now,
        )
        order = (await get_orders_by_id([order.id]))[order.id]
        if order.status not in LIVE:  # no organisation could take it: back at once
            moved = await _failed(ticket.id, order, None) or moved
    return Referral(ticket=moved, order=order)


async def _check_dispute(ticket: TicketRecord) -> None:
    if ticket.category_id is None:
        return
    rows = await Category.filter(id=ticket.category_id).values("dimension", "name")
    if rows and rows[0]["dimension"] is not SafetyDimension.DISPUTES:
        raise DomainError(
            ErrorCode.INVALID,
            f"“{rows[0]['name']}”不属于矛盾纠纷，不能转调解。",
            "number",
        )


async def _order_request(
    ticket: TicketRecord,
    dispute_type: str,
    other_party: str,
    description: str | None,
    contact_phone: str | None,
) -> OrderRequest:
    if ticket.lat is None or ticket.lng is None:
        raise DomainError(ErrorCode.REQUIRED, "工单没有事发位置，无法就近匹配调解组织。", "number")
    address = ticket.address.strip()
    if not address and ticket.grid_id is not None:
        grid = (await get_areas_by_id([ticket.grid_id])).get(ticket.grid_id)
        address = grid.name if grid else ""
    citizen = None
    if ticket.citizen_id is not None:
        citizen = (await get_accounts([ticket.citizen_id])).get(ticket.citizen_id)
    phone = contact_phone if contact_phone is not None else ticket.citizen_phone
    text = (description if description is not None else ticket.content).strip()
    return OrderRequest(
        service_type=MEDIATION_SERVICE,
        form={
            "disputeType": dispute_type,
            "otherParty": other_party,
            "description": text[:_DESCRIPTION_MAX_LENGTH],
        },
        lat=ticket.lat,
        lng=ticket.lng,
        address=address,
        contact_name=ticket.citizen_name.strip() or ANONYMOUS_CALLER,
        contact_phone=phone,
        citizen_username=citizen.username if citizen else None,
    )


def _form_problems(refused: DomainError) -> list[Problem]:
    """The order's problems named as the referral's input fields (``form.otherParty`` →
    ``otherParty``)."""
    return [
        Problem(p.field.removeprefix("form.") if p.field else None, p.code, p.message)
        for p in refused.problems
    ]


def _choice_label(field: str, code: str | None) -> str:
    service = service_registry().get(MEDIATION_SERVICE)
    if service is None or code is None:
        return code or ""
    if field == "outcome":
        choice = service.outcome(code)
        return choice.label if choice else code
    return service.choice_label(field, code)


async def _organisation(order: OrderRecord) -> str:
    if order.merchant_id is None:
        return "调解组织"
    merchant = (await get_merchants([order.merchant_id])).get(order.merchant_id)
    return merchant.name if merchant else "调解组织"


async def follow(
    order: OrderRecord, link: TicketOrderRecord, actor_id: int | None
) -> TicketRecord | None:
    """Record a referred order's change on its ticket (inside the order's transaction, as
    done by ``actor_id``, who changed the order):
    accepted or started (ORDER_UPDATE naming the organisation), completed (the outcome
    resolves the ticket), cancelled or NO_PROVIDER (back to the agents)."""
    if order.status in (OrderStatus.ACCEPTED, OrderStatus.IN_SERVICE):
        doing = "已接受调解" if order.status is OrderStatus.ACCEPTED else "开始调解"
        return await platform_step(
            link.ticket_id,
            Action.ORDER_UPDATE,
            f"{await _organisation(order)}{doing}（调解订单 {order.number}）。",
            actor_id,
        )
    if order.status is OrderStatus.COMPLETED:
        return await _concluded(link.ticket_id, order, actor_id)
    return await _failed(link.ticket_id, order, actor_id)


def outcome_reply(order: OrderRecord) -> str:
    """The answer to the citizen from a mediation's outcome: the agreement's text, or no
    agreement and the referral to court or arbitration."""
    note = order.outcome_note.strip()
    if order.outcome == AGREEMENT_REACHED:
        reply = note
    else:
        reply = f"调解未达成协议，已引导通过诉讼或仲裁解决：{note}"
    return reply[:REPLY_MAX_LENGTH]


async def _concluded(
    ticket_id: int, order: OrderRecord, actor_id: int | None
) -> TicketRecord | None:
    now = clock.now()
    reply = outcome_reply(order)
    label = _choice_label("outcome", order.outcome)
    changes = {
        "reply": reply,
        "resolved_at": now,
        "revisit_deadline": revisit_deadline(now, await working_calendar(), await sla_policy()),
    }
    note = f"{await _organisation(order)}：{label}（调解订单 {order.number}）。{reply}"
    return await platform_step(ticket_id, Action.MEDIATION_OUTCOME, note, actor_id, changes)


async def _failed(ticket_id: int, order: OrderRecord, actor_id: int | None) -> TicketRecord | None:
    if order.status is OrderStatus.NO_PROVIDER:
        reason = ended_reason(order, "没有调解组织接案")
        what = "无调解组织接案"
    else:
        reason = ended_reason(order, "未说明原因")
        what = "调解订单已取消"
    note = f"{what}（调解订单 {order.number}）：{reason}。工单退回坐席另行处理。"
    return await platform_step(ticket_id, Action.MEDIATION_FAILED, note, actor_id)
