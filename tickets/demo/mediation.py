"""Demo disputes in mediation: recent dispute tickets referred to the demo mediation
organisations through the real referral (:func:`tickets.mediation.refer_to_mediation`),
and carried on by those organisations through the real marketplace (accept, start,
complete), so that the demo holds tickets IN_MEDIATION and tickets the mediation's
outcome resolved, with every order, offer and history row the platform writes.

Which tickets: :func:`keep_for_mediation` leaves the most recent drawn disputes (their
category counts towards the DISPUTES dimension, with a place and a mobile number) at
intake instead of living them on, and :func:`seed_demo_mediation` refers the demo
tickets still RECEIVED that are such disputes, newest first. What happens to each
follows its place in that list: a third are accepted, a third are being mediated, a
third concluded (agreement reached, or not and referred to court), so every case has a
provider and none waits for a timer.

Idempotent: nothing is done when a demo ticket has been referred already, or when no
mediation organisation is on duty (load the demo providers first).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from tortoise.expressions import Q

from accounts.models import Account, Role
from accounts.service import Principal
from grids.models import ChannelKind
from merchants import dispatch, orders
from merchants.models import Merchant, MerchantStaff, OfferStatus
from merchants.records import OrderRecord, get_orders_by_id, offers_of_orders
from plugins.identifiers import is_mobile
from plugins.service_types import ProviderKind
from tickets.demo.draw import Draft, Stall
from tickets.demo.lives import KEY_PREFIX
from tickets.lifecycle import TicketStatus
from tickets.mediation import MEDIATION_SERVICE, refer_to_mediation
from tickets.models import Category, OrderLinkPurpose, SafetyDimension, Ticket, TicketOrder
from tickets.records import TICKET_COLUMNS, TicketRecord
from tickets.sla import TicketKind, Urgency
from wuyou.errors import DomainError

#: How many demo tickets are referred.
DEMO_REFERRALS = 20
#: How recent a dispute kept for mediation is.
_RECENT = timedelta(days=30)
_AGENT = "demo-agent"
#: A category code's part → the dispute type and who the dispute is with.
_DISPUTES: tuple[tuple[str, str, str], ...] = (
    ("FAMILY", "FAMILY", "家庭成员"),
    ("NEIGHBOURS", "NEIGHBOURS", "相邻住户"),
    ("PROPERTY.", "PROPERTY_MANAGEMENT", "小区物业服务企业"),
    ("LABOUR.", "LABOUR", "用人单位"),
    ("HOUSING_FUND", "LABOUR", "用人单位"),
    ("CONSUMER", "CONSUMER", "经营者"),
    ("TUTORING", "CONSUMER", "校外培训机构"),
    ("TOURISM", "CONSUMER", "旅行社"),
    ("HEALTH.DISPUTES", "MEDICAL", "医疗机构"),
    ("TRAFFIC", "TRAFFIC", "事故对方车主"),
)
_OUTCOMES = (
    (
        "AGREEMENT_REACHED",
        "经调解，双方自愿达成协议：对方于十日内履行诉求所涉义务，"
        "当事人不再就此事另行主张；协议已由双方签字确认，可申请司法确认。",
    ),
    (
        "NO_AGREEMENT",
        "双方分歧较大，调解未成；已告知当事人可向人民法院起诉或申请仲裁，并提供法律援助渠道。",
    ),
)


async def keep_for_mediation(
    drafts: list[Draft], now: datetime, limit: int = DEMO_REFERRALS
) -> int:
    """Leave the ``limit`` most recent drawn disputes that mediation can take at intake
    (RECEIVED), for :func:`seed_demo_mediation` to refer; return how many."""
    disputes = set(
        await Category.filter(level=3, dimension=SafetyDimension.DISPUTES).values_list(
            "id", flat=True
        )
    )
    kept = 0
    for draft in sorted(drafts, key=lambda d: d.received_at, reverse=True):
        if kept >= limit or now - draft.received_at > _RECENT:
            break
        if (
            draft.leaf.id in disputes
            and draft.stall is None
            and draft.master is None
            and draft.lat is not None
            and draft.channel.kind is not ChannelKind.GRID
            and draft.kind in (TicketKind.REQUEST, TicketKind.COMPLAINT, TicketKind.REPORT)
            and draft.urgency is Urgency.NORMAL
            and is_mobile(draft.phone)
        ):
            draft.stall = Stall.RECEIVED
            kept += 1
    return kept


async def seed_demo_mediation(limit: int = DEMO_REFERRALS) -> int:
    """Refer up to ``limit`` recent demo dispute tickets to mediation and let the demo
    organisations carry them on; return how many were referred (0 when done before)."""
    demo = Q(ticket__idempotency_key__startswith=KEY_PREFIX)
    if await TicketOrder.filter(demo, purpose=OrderLinkPurpose.MEDIATION).exists():
        return 0
    if not await Merchant.filter(
        kind=ProviderKind.MEDIATION_ORG,
        on_duty=True,
        services__service_type=MEDIATION_SERVICE,
    ).exists():
        return 0
    account = await Account.get_or_none(username=_AGENT, role=Role.AGENT)
    if account is None:
        return 0
    agent = Principal(account.id, account.username, account.role)
    referred = 0
    for ticket, category in await _candidates(limit):
        dispute_type, other_party = _dispute_of(category)
        text = ticket.content.strip()
        try:
            referral = await refer_to_mediation(
                number=ticket.number,
                dispute_type=dispute_type,
                other_party=other_party,
                description=text if len(text) >= 10 else f"{ticket.title}：{text}",
                actor=agent,
            )
        except DomainError:  # e.g. a form the mediation type refuses: leave it to the agents
            continue
        referred += 1
        order = await _accepted(referral.order)
        if order is None or referred % 3 == 1:
            continue
        await orders.start_service(number=order.number, actor=await _staff(order))
        if referred % 3 == 0:
            outcome, note = _OUTCOMES[(referred // 3) % 2]
            await orders.complete_order(
                number=order.number,
                final_price=None,
                outcome=outcome,
                outcome_note=note,
                actor=await _staff(order),
            )
    return referred


async def _candidates(limit: int) -> list[tuple[TicketRecord, str]]:
    """The tickets to refer, newest first, with their category codes."""
    rows = await (
        Ticket.filter(
            idempotency_key__startswith=KEY_PREFIX,
            status=TicketStatus.RECEIVED,
            dispatched_at__isnull=True,
            category__dimension=SafetyDimension.DISPUTES,
            lat__isnull=False,
        )
        .order_by("-received_at", "-id")
        .limit(limit * 3)
        .values(*TICKET_COLUMNS, "category__code")
    )
    found: list[tuple[TicketRecord, str]] = []
    for row in rows:
        code = row.pop("category__code")
        if is_mobile(row["citizen_phone"]) and len(found) < limit:
            found.append((TicketRecord(**row), code))
    return found


def _dispute_of(code: str) -> tuple[str, str]:
    """The dispute type of a category, and who such a dispute is usually with."""
    for part, dispute_type, other_party in _DISPUTES:
        if part in code:
            return dispute_type, other_party
    return "OTHER", "对方当事人"


async def _accepted(order: OrderRecord, rounds: int = 5) -> OrderRecord | None:
    """The order accepted by the organisation it is offered to (one that is full
    declines, and the next round goes out); None if it ends without one."""
    for _ in range(rounds):
        pending = [
            o
            for o in (await offers_of_orders([order.id]))[order.id]
            if o.status is OfferStatus.PENDING
        ]
        if not pending:
            return None
        offer = pending[0]
        staff = await _staff_of(offer.merchant_id)
        try:
            return await dispatch.accept_offer(offer_id=offer.id, actor=staff)
        except DomainError:
            await dispatch.decline_offer(offer_id=offer.id, reason="本组织案件已满", actor=staff)
        order = (await get_orders_by_id([order.id]))[order.id]
    return None


async def _staff(order: OrderRecord) -> Principal:
    assert order.merchant_id is not None
    return await _staff_of(order.merchant_id)


async def _staff_of(merchant_id: int) -> Principal:
    rows = await MerchantStaff.filter(merchant_id=merchant_id).order_by("id").values("account_id")
    assert rows, f"provider {merchant_id} has no staff"
    account = await Account.get(id=rows[0]["account_id"])
    return Principal(account.id, account.username, account.role)
