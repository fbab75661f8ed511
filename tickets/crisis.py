"""A psychological crisis reaches the hotline: an urgent ``psychological_support`` order
raises a CRITICAL ticket for the agents to follow up, and the order's progress (the
counsellor who took it, the community mediator paired in beside them) is recorded on it.

The ticket is raised by the order observer (:mod:`tickets.order_links`) inside the
transaction that places the order: the order and its ticket exist together or not at
all. It goes through intake (:func:`tickets.intake.create_ticket`) as the order's placer
would submit it: a citizen on the platform's first online channel, an agent on its
first hotline channel (catalogue order), with the idempotency key ``crisis-<order
number>``. Its category is :data:`CRISIS_CATEGORY` when the catalogue has it (else none:
the agents classify it); its urgency is CRITICAL whatever the category says.

Once the order is accepted, the providers on it (the counsellor and the paired
community mediator) see the ticket (:mod:`tickets.visibility`).
"""

from __future__ import annotations

import logging

from accounts.models import Role
from accounts.service import Principal, get_accounts
from grids.catalogue import ChannelRecord, list_channels
from grids.models import ChannelKind
from merchants.models import OrderStatus
from merchants.providers import get_merchants
from merchants.records import OrderRecord
from plugins.registry import service_registry
from tickets.intake import TicketRequest, create_ticket
from tickets.lifecycle import Action
from tickets.models import Category, OrderLinkPurpose, Ticket
from tickets.order_links import TicketOrderRecord, ended_reason, link_order, platform_step
from tickets.records import TicketRecord
from tickets.sla import TicketKind, Urgency
from wuyou import clock

log = logging.getLogger(__name__)

#: The marketplace's service type whose urgent orders are crises.
CRISIS_SERVICE = "psychological_support"
#: The category a crisis ticket takes when the catalogue has it (心理危机干预).
CRISIS_CATEGORY = "HEALTH.MENTAL.CRISIS"
#: What an idempotency key of a crisis ticket starts with (then the order's number).
KEY_PREFIX = "crisis-"


def is_crisis(order: OrderRecord) -> bool:
    """Whether a just-placed order is a psychological crisis (flagged urgent)."""
    return order.service_type == CRISIS_SERVICE and order.urgent


async def raise_crisis_ticket(order: OrderRecord, actor_id: int | None) -> TicketRecord | None:
    """Raise the CRITICAL hotline ticket of a crisis order and link it (CRISIS), in the
    caller's transaction. None, with an error logged, when the catalogue has no channel
    for it: refusing a crisis order would be worse than a missing ticket (the hotline
    still hears of the urgent order live)."""
    placer_id = actor_id if actor_id is not None else order.placed_by_id
    account = (await get_accounts([placer_id]))[placer_id]
    placer = Principal(account.id, account.username, account.role)
    channel = await _channel(placer.role)
    if channel is None:
        log.error("no channel for the crisis ticket of order %s", order.number)
        return None
    category = await Category.filter(code=CRISIS_CATEGORY, level=3, is_active=True).exists()
    ticket = await create_ticket(
        TicketRequest(
            channel=channel.code,
            kind=TicketKind.REQUEST,
            title=f"心理危机求助：{_label(order, 'topic')}",
            content=_content(order),
            category=CRISIS_CATEGORY if category else None,
            urgency=Urgency.CRITICAL,
            citizen_name=order.contact_name,
            citizen_phone=order.contact_phone,
            lat=order.lat,
            lng=order.lng,
            address=order.address,
            idempotency_key=f"{KEY_PREFIX}{order.number}",
        ),
        actor=placer,
    )
    if order.citizen_id is not None and ticket.citizen_id != order.citizen_id:
        # An agent placed the order for a citizen's account: the ticket is theirs too.
        await Ticket.filter(id=ticket.id).update(citizen_id=order.citizen_id)
    await link_order(ticket.id, order.id, OrderLinkPurpose.CRISIS, clock.now())
    return ticket


async def _channel(role: Role) -> ChannelRecord | None:
    """A citizen's crisis came in online; an agent's over the phone."""
    kinds = [ChannelKind.ONLINE]
    if role is not Role.CITIZEN:
        kinds.insert(0, ChannelKind.HOTLINE)
    for kind in kinds:
        channels = await list_channels(kind=kind)
        if channels:
            return channels[0]
    return None


def _label(order: OrderRecord, field: str) -> str:
    code = order.form.get(field)
    service = service_registry().get(CRISIS_SERVICE)
    if service is None or not isinstance(code, str):
        return "紧急情况"
    return service.choice_label(field, code)


def _content(order: OrderRecord) -> str:
    lines = [
        f"心理援助订单 {order.number} 标记为紧急（{_label(order, 'topic')}），"
        f"咨询方式：{_label(order, 'channel')}。已派值班咨询师，请坐席立即回拨跟进，"
        "危急时联动 110、120。",
    ]
    note = order.form.get("note")
    if isinstance(note, str) and note.strip():
        lines.append(f"市民留言：{note.strip()}")
    return "\n".join(lines)[:5000]


async def follow(
    order: OrderRecord, link: TicketOrderRecord, actor_id: int | None
) -> TicketRecord | None:
    """Record a crisis order's change on its ticket (ORDER_UPDATE; the agents close the
    ticket themselves once they have followed up)."""
    names = await get_merchants(i for i in (order.merchant_id, order.companion_id) if i)
    counsellor = names[order.merchant_id].name if order.merchant_id in names else "咨询师"
    status = order.status
    if status is OrderStatus.ACCEPTED:
        companion = (
            f"社区调解员（{names[order.companion_id].name}）协同跟进"
            if order.companion_id in names
            else "暂无社区调解组织协同"
        )
        note = f"{counsellor}已接单，{companion}。"
    elif status is OrderStatus.IN_SERVICE:
        note = f"{counsellor}开始心理援助。"
    elif status is OrderStatus.COMPLETED:
        note = f"{counsellor}已完成心理援助。"
    elif status is OrderStatus.NO_PROVIDER:
        note = f"无咨询师接单：{ended_reason(order, '未知原因')}。请坐席立即联系市民。"
    else:
        note = f"心理援助订单已取消：{ended_reason(order, '未说明原因')}。请坐席回访确认安全。"
    return await platform_step(
        link.ticket_id, Action.ORDER_UPDATE, f"{note}（心理援助订单 {order.number}）", actor_id
    )
