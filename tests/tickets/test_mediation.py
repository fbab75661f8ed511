"""Hotline to mediation: a dispute ticket referred to a mediation organisation, whose
acceptance and outcome flow back into the ticket, all in the order's transactions."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from starlette.testclient import TestClient

from accounts.models import Role
from accounts.service import Principal
from merchants import dispatch, live, observers, orders
from merchants.models import Merchant, OfferStatus, Order, OrderStatus
from merchants.records import OrderRecord, get_order, offers_of_orders
from plugins.service_types import ProviderKind
from tests.conftest import unique
from tests.graphql import data, gql, in_app, login
from tests.merchants import market
from tests.merchants.market import Grid, Provider, fresh_grid, provider
from tests.tickets.desk import principal, staff_of
from tickets import mediation, visibility
from tickets.history import history_of
from tickets.intake import TicketRequest, create_ticket
from tickets.lifecycle import Action, TicketStatus
from tickets.models import OrderLinkPurpose, TicketOrder
from tickets.order_links import links_of_tickets
from tickets.queries import get_visible_ticket
from tickets.records import TicketRecord, get_ticket
from tickets.sla import TicketKind
from wuyou import clock
from wuyou.clock import ManualClock
from wuyou.errors import DomainError, ErrorCode, Forbidden

AGREEMENT = "楼上住户三日内修复卫生间防水，并赔偿吊顶维修费 800 元。"


async def _dispute(
    grid: Grid,
    *,
    category: str = "DISPUTES.CIVIL.NEIGHBOURS",
    phone: str = "13712345678",
    content: str = "楼上卫生间漏水，我家天花板受潮发霉，多次沟通对方不愿维修。",
) -> TicketRecord:
    return await create_ticket(
        TicketRequest(
            channel="HL-12345",
            kind=TicketKind.COMPLAINT,
            title="楼上漏水邻里纠纷",
            content=content,
            category=category,
            citizen_name="赵六",
            citizen_phone=phone,
            lat=grid.lat,
            lng=grid.lng,
            address="测试小区 2 号楼 402",
        ),
        actor=await principal("demo-agent"),
    )


async def _refer(ticket: TicketRecord, **extra: str) -> mediation.Referral:
    return await mediation.refer_to_mediation(
        number=ticket.number,
        dispute_type=extra.pop("dispute_type", "NEIGHBOURS"),
        other_party=extra.pop("other_party", "楼上 502 住户"),
        actor=extra.pop("actor", None) or await principal("demo-agent"),  # type: ignore[arg-type]
        **extra,
    )


async def _accept(order: OrderRecord, org: Provider) -> OrderRecord:
    [offer] = [
        o
        for o in (await offers_of_orders([order.id]))[order.id]
        if o.merchant_id == org.id and o.status is OfferStatus.PENDING
    ]
    return await dispatch.accept_offer(offer_id=offer.id, actor=org.staff)


async def _conclude(order: OrderRecord, org: Provider, outcome: str, note: str) -> OrderRecord:
    await orders.start_service(number=order.number, actor=org.staff)
    return await orders.complete_order(
        number=order.number, final_price=None, outcome=outcome, outcome_note=note, actor=org.staff
    )


async def _actions(ticket: TicketRecord) -> list[Action]:
    return [e.action for e in (await history_of([ticket.id]))[ticket.id]]


async def _refused(call: object) -> list[tuple[str | None, ErrorCode]]:
    with pytest.raises(DomainError) as refused:
        await call  # type: ignore[misc]
    return [(p.field, p.code) for p in refused.value.problems]


@pytest.fixture
def manual() -> Iterator[ManualClock]:
    """A clock the test moves."""
    moving = ManualClock(clock.now())
    previous = clock.install(moving)
    yield moving
    clock.install(previous)


# --- Through the ASGI app ---------------------------------------------------------------------

REFER = """mutation($input: ReferToMediationInput!) { referToMediation(input: $input) {
    ticket { number status publicStatus dueAt }
    order { number status serviceType { code } form contactName contactPhone }
    errors { field code message } } }"""
OFFERS = "{ myOffers(status: [PENDING]) { id job { number } } }"
TICKET = """query($n: String!) { ticket(number: $n) { status publicStatus reply resolvedAt
    citizenPhone deadlines { revisit }
    history { action fromStatus toStatus note actor }
    orders { purpose orderNumber
        order { number status outcome outcomeNote merchant { name } } } } }"""


@pytest.fixture
def committee(client: TestClient) -> Iterator[tuple[Grid, Provider, str]]:
    """A fresh grid with a people's mediation committee on duty, and its staff's token."""
    grid = in_app(client, fresh_grid)
    org = in_app(
        client, lambda: provider(grid, ["dispute_mediation"], kind=ProviderKind.MEDIATION_ORG)
    )
    yield grid, org, login(client, org.staff.username, "password-123")
    in_app(client, market.retire_registered)


def test_an_agent_refers_a_dispute_and_the_agreement_resolves_the_ticket(
    client: TestClient, committee: tuple[Grid, Provider, str]
) -> None:
    grid, org, org_token = committee
    agent = login(client, "demo-agent")
    ticket = in_app(client, lambda: _dispute(grid))
    # Not the organisation's to see before it takes the case.
    assert data(client, TICKET, {"n": ticket.number}, org_token)["ticket"] is None

    referred = data(
        client,
        REFER,
        {"input": {"number": ticket.number, "disputeType": "NEIGHBOURS", "otherParty": "楼上 502"}},
        agent,
    )["referToMediation"]
    assert referred["errors"] == []
    assert referred["ticket"] == {
        "number": ticket.number,
        "status": "IN_MEDIATION",
        "publicStatus": "IN_PROGRESS",
        "dueAt": None,
    }
    order = referred["order"]
    assert order["status"] == "DISPATCHING" and order["serviceType"] == {
        "code": "dispute_mediation"
    }
    assert order["form"] == {
        "disputeType": "NEIGHBOURS",
        "otherParty": "楼上 502",
        "description": ticket.content,
    }
    assert (order["contactName"], order["contactPhone"]) == ("赵六", "13712345678")

    [offer] = data(client, OFFERS, token=org_token)["myOffers"]
    assert offer["job"]["number"] == order["number"]
    accepted = data(
        client,
        "mutation($id: ID!) { acceptOffer(input: {offerId: $id}) { errors { code } } }",
        {"id": offer["id"]},
        org_token,
    )["acceptOffer"]
    assert accepted["errors"] == []
    seen = data(client, TICKET, {"n": ticket.number}, org_token)["ticket"]
    assert seen["status"] is None and seen["citizenPhone"] == "137****5678"
    assert seen["orders"][0]["order"]["number"] == order["number"]
    started = data(
        client,
        "mutation($n: String!) { startService(input: {orderNumber: $n}) { errors { code } } }",
        {"n": order["number"]},
        org_token,
    )["startService"]
    assert started["errors"] == []
    completed = data(
        client,
        "mutation($n: String!, $note: String!) { completeOrder(input: {orderNumber: $n, "
        'outcome: "AGREEMENT_REACHED", outcomeNote: $note}) { errors { code } } }',
        {"n": order["number"], "note": AGREEMENT},
        org_token,
    )["completeOrder"]
    assert completed["errors"] == []

    resolved = data(client, TICKET, {"n": ticket.number}, agent)["ticket"]
    assert resolved["status"] == "RESOLVED" and resolved["reply"] == AGREEMENT
    assert resolved["resolvedAt"] is not None and resolved["deadlines"]["revisit"] is not None
    history = resolved["history"]
    assert [(h["action"], h["fromStatus"], h["toStatus"]) for h in history] == [
        ("RECEIVE", None, "RECEIVED"),
        ("REFER_TO_MEDIATION", "RECEIVED", "IN_MEDIATION"),
        ("ORDER_UPDATE", "IN_MEDIATION", "IN_MEDIATION"),
        ("ORDER_UPDATE", "IN_MEDIATION", "IN_MEDIATION"),
        ("MEDIATION_OUTCOME", "IN_MEDIATION", "RESOLVED"),
    ]
    assert history[1]["actor"] == "demo-agent" and order["number"] in history[1]["note"]
    name = resolved["orders"][0]["order"]["merchant"]["name"]
    assert all(name in h["note"] for h in history[2:])
    assert "已接受调解" in history[2]["note"] and "开始调解" in history[3]["note"]
    assert AGREEMENT in history[4]["note"]
    # The organisation's staff moved the order: the steps are theirs.
    assert {h["actor"] for h in history[2:]} == {org.staff.username}
    assert resolved["orders"] == [
        {
            "purpose": "MEDIATION",
            "orderNumber": order["number"],
            "order": {
                "number": order["number"],
                "status": "COMPLETED",
                "outcome": "AGREEMENT_REACHED",
                "outcomeNote": AGREEMENT,
                "merchant": {"name": name},
            },
        }
    ]

    # The citizen's revisit closes it like any resolved ticket.
    revisited = data(
        client,
        "mutation($n: String!) { revisitTicket(input: {number: $n, answer: SATISFIED}) "
        "{ ticket { status } errors { code } } }",
        {"n": ticket.number},
        agent,
    )["revisitTicket"]
    assert revisited == {"ticket": {"status": "CLOSED"}, "errors": []}


def test_only_agents_refer_and_a_live_referral_is_not_repeated(
    client: TestClient, committee: tuple[Grid, Provider, str]
) -> None:
    grid, _, org_token = committee
    ticket = in_app(client, lambda: _dispute(grid))
    variables = {"input": {"number": ticket.number, "disputeType": "FAMILY", "otherParty": "前夫"}}
    for token in (org_token, login(client, "demo-citizen"), None):
        body = gql(client, REFER, variables, token)
        assert body["data"] is None
        assert body["errors"][0]["extensions"]["code"] in ("FORBIDDEN", "UNAUTHENTICATED")
    agent = login(client, "demo-agent")
    assert data(client, REFER, variables, agent)["referToMediation"]["errors"] == []
    again = data(client, REFER, variables, agent)["referToMediation"]
    assert again["ticket"] is None and again["order"] is None
    assert [(e["field"], e["code"]) for e in again["errors"]] == [("number", "INVALID_STATE")]
    assert in_app(client, lambda: TicketOrder.filter(ticket__number=ticket.number).count()) == 1


# --- Domain -----------------------------------------------------------------------------------


@pytest.mark.usefixtures("retire_providers")
async def test_no_agreement_resolves_with_the_referral_to_court() -> None:
    grid = await fresh_grid()
    org = await provider(grid, ["dispute_mediation"], kind=ProviderKind.MEDIATION_ORG)
    referral = await _refer(await _dispute(grid), dispute_type="PROPERTY_MANAGEMENT")
    order = await _accept(referral.order, org)
    await _conclude(order, org, "NO_AGREEMENT", "双方分歧较大，已引导向乌达区人民法院起诉。")
    ticket = await get_ticket(referral.ticket.number)
    assert ticket is not None and ticket.status is TicketStatus.RESOLVED
    assert (
        ticket.reply
        == "调解未达成协议，已引导通过诉讼或仲裁解决：双方分歧较大，已引导向乌达区人民法院起诉。"
    )
    assert ticket.resolved_at is not None and ticket.revisit_deadline is not None
    assert ticket.due_at == ticket.revisit_deadline  # the revisit runs now, as after `resolve`
    outcome = (await history_of([ticket.id]))[ticket.id][-1]
    assert outcome.action is Action.MEDIATION_OUTCOME and outcome.actor_id == org.staff.account_id
    assert "调解不成" in outcome.note and ticket.reply in outcome.note


@pytest.mark.usefixtures("retire_providers")
async def test_no_organisation_or_a_cancellation_sends_the_ticket_back_to_the_agents(
    manual: ManualClock,
) -> None:
    agent = await principal("demo-agent")
    # No organisation serves this grid: the referral ends at once, and says why.
    nobody = await fresh_grid()
    referral = await _refer(await _dispute(nobody))
    assert referral.order.status is OrderStatus.NO_PROVIDER
    assert referral.ticket.status is TicketStatus.RECEIVED
    assert await _actions(referral.ticket) == [
        Action.RECEIVE,
        Action.REFER_TO_MEDIATION,
        Action.MEDIATION_FAILED,
    ]

    grid = await fresh_grid()
    await provider(grid, ["dispute_mediation"], kind=ProviderKind.MEDIATION_ORG)
    # The organisation lets the offer lapse, and there is no other: NO_PROVIDER later.
    lapsed = await _refer(await _dispute(grid))
    assert lapsed.ticket.status is TicketStatus.IN_MEDIATION
    manual.advance(timedelta(minutes=31))
    await dispatch.expire_offers()
    back = await get_ticket(lapsed.ticket.number)
    assert back is not None and back.status is TicketStatus.RECEIVED
    failed = (await history_of([back.id]))[back.id][-1]
    # Dispatch gave up by itself: the platform's step, no actor.
    assert failed.action is Action.MEDIATION_FAILED and failed.actor_id is None
    assert lapsed.order.number in failed.note and "无调解组织接案" in failed.note

    # Referred again, then the agents cancel the order: back again, and the history
    # keeps both referrals.
    again = await _refer(back)
    assert again.order.number != lapsed.order.number
    await orders.cancel_order(number=again.order.number, reason="当事人已自行和解", actor=agent)
    final = await get_ticket(back.number)
    assert final is not None and final.status is TicketStatus.RECEIVED
    assert (await _actions(final))[-3:] == [
        Action.MEDIATION_FAILED,
        Action.REFER_TO_MEDIATION,
        Action.MEDIATION_FAILED,
    ]
    cancelled = (await history_of([final.id]))[final.id][-1]
    assert "当事人已自行和解" in cancelled.note and cancelled.actor_id == agent.account_id
    links = (await links_of_tickets([final.id]))[final.id]
    assert [link.purpose for link in links] == [OrderLinkPurpose.MEDIATION] * 2


@pytest.mark.usefixtures("retire_providers")
async def test_what_may_be_referred_and_how_the_form_is_checked() -> None:
    grid = await fresh_grid()
    await provider(grid, ["dispute_mediation"], kind=ProviderKind.MEDIATION_ORG)
    ticket = await _dispute(grid)
    for outsider in (await staff_of("150300-CG"), await principal("demo-citizen")):
        with pytest.raises(Forbidden):
            await _refer(ticket, actor=outsider)  # type: ignore[arg-type]
    fumes = await _dispute(grid, category="ENVIRONMENT.AIR.CATERING_FUMES")
    assert await _refused(_refer(fumes)) == [("number", ErrorCode.INVALID)]
    assert await _refused(_refer(ticket, dispute_type="DUEL", other_party="")) == [
        ("disputeType", ErrorCode.INVALID_CHOICE),
        ("otherParty", ErrorCode.REQUIRED),
    ]
    landline = await _dispute(grid, phone="0473-3123456")
    assert await _refused(_refer(landline)) == [("contactPhone", ErrorCode.INVALID)]
    assert await _refused(_refer(landline, description="太短")) == [
        ("contactPhone", ErrorCode.INVALID),
        ("description", ErrorCode.TOO_SHORT),
    ]
    referral = await _refer(landline, contact_phone="13900002222")
    assert referral.order.contact_phone == "13900002222"
    # Nothing was placed for the refused referrals.
    for refused in (fumes, ticket):
        assert not await TicketOrder.exists(ticket_id=refused.id)
        assert (await get_ticket(refused.number)).status is TicketStatus.RECEIVED  # type: ignore[union-attr]
    # While in mediation it cannot be referred again.
    assert await _refused(_refer(landline)) == [("number", ErrorCode.INVALID_STATE)]


@pytest.mark.usefixtures("retire_providers")
async def test_an_observer_that_fails_rolls_the_order_change_back() -> None:
    grid = await fresh_grid()
    org = await provider(grid, ["dispute_mediation"], kind=ProviderKind.MEDIATION_ORG)
    referral = await _refer(await _dispute(grid))

    async def broken(order: OrderRecord, previous: OrderStatus | None, actor: int | None) -> None:
        raise RuntimeError("the ticket side failed")

    observers.register(broken)
    try:
        with pytest.raises(RuntimeError):
            await _accept(referral.order, org)
        # Nor does a referral leave anything behind when the observer refuses the order.
        other = await _dispute(grid)
        placed = await Order.all().count()
        with pytest.raises(RuntimeError):
            await _refer(other)
        assert await Order.all().count() == placed
    finally:
        observers.unregister(broken)
    order = await get_order(referral.order.number)
    assert order is not None and order.status is OrderStatus.DISPATCHING
    assert order.merchant_id is None
    [offer] = (await offers_of_orders([order.id]))[order.id]
    assert offer.status is OfferStatus.PENDING
    assert (await Merchant.get(id=org.id)).active_orders == 0
    assert await _actions(referral.ticket) == [Action.RECEIVE, Action.REFER_TO_MEDIATION]
    assert (await get_ticket(other.number)).status is TicketStatus.RECEIVED  # type: ignore[union-attr]
    assert not await TicketOrder.exists(ticket_id=other.id)

    # Registering is idempotent, and the real observer carries on.
    from tickets.order_links import observe_orders, on_order_changed

    observe_orders()
    observe_orders()
    assert observers.registered().count(on_order_changed) == 1
    await _accept(referral.order, org)
    assert (await _actions(referral.ticket))[-1] is Action.ORDER_UPDATE


@pytest.mark.usefixtures("retire_providers")
async def test_the_organisation_sees_the_case_once_it_took_it_others_never() -> None:
    grid = await fresh_grid()
    org = await provider(grid, ["dispute_mediation"], kind=ProviderKind.MEDIATION_ORG)
    stranger = await provider(
        grid, ["dispute_mediation"], kind=ProviderKind.MEDIATION_ORG, offset_km=3
    )
    referral = await _refer(await _dispute(grid))
    ticket = referral.ticket

    async def sees(who: Principal) -> bool:
        single = await get_visible_ticket(who, ticket.number) is not None
        listed = await (await visibility.visible_tickets(who)).filter(id=ticket.id).exists()
        assert single == listed == await visibility.can_see(who, ticket)
        return single

    assert not await sees(org.staff) and not await sees(stranger.staff)
    await _accept(referral.order, org)
    assert await sees(org.staff) and not await sees(stranger.staff)
    assert not visibility.sees_phone(org.staff, ticket, None)
    assert not visibility.sees_internals(org.staff)
    # A MERCHANT account of no provider sees nothing.
    from accounts.service import create_account

    lone = await create_account(
        username=unique("lone"), role=Role.MERCHANT, display_name="无主", password=None
    )
    assert not await sees(Principal(lone.id, lone.username, Role.MERCHANT))


@pytest.mark.usefixtures("retire_providers")
async def test_plugins_hear_only_of_referral_orders_that_commit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    grid = await fresh_grid()
    await provider(grid, ["dispute_mediation"], kind=ProviderKind.MEDIATION_ORG)
    ticket = await _dispute(grid)
    told: list[tuple[str, str]] = []
    notify = live.notify

    async def spy(hook: str, **kwargs: Any) -> None:
        told.append((hook, kwargs["order"].number))
        await notify(hook, **kwargs)

    monkeypatch.setattr(live, "notify", spy)
    check = mediation._check_dispute
    raced: list[TicketRecord] = []

    async def racing_check(checked: TicketRecord) -> None:
        if not raced:  # another agent's referral lands between our checks and our writes
            raced.append(checked)
            await _refer(ticket)
        await check(checked)

    monkeypatch.setattr(mediation, "_check_dispute", racing_check)
    with pytest.raises(DomainError) as lost:
        await _refer(ticket)
    assert lost.value.code is ErrorCode.INVALID_STATE
    [order] = await Order.filter(number__in=[n for _, n in told]).values_list("number", flat=True)
    assert {number for _, number in told} == {order}
    assert ("order_placed", order) in told
