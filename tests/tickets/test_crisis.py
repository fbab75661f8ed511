"""A psychological crisis raises an urgent hotline ticket with its order, and the
community mediator paired in on acceptance can see the case."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from accounts.service import Principal
from grids.models import Channel, ChannelKind
from merchants import dispatch, orders
from merchants.models import Merchant, OfferStatus, OrderStatus
from merchants.records import OrderRecord, offers_of_orders
from plugins.service_types import ProviderKind
from tests.graphql import data, in_app, login
from tests.merchants import market
from tests.merchants.market import Grid, Provider, citizen, fresh_grid, place, provider
from tests.tickets.desk import principal
from tickets import crisis
from tickets.history import history_of
from tickets.lifecycle import Action, TicketStatus
from tickets.models import Category, OrderLinkPurpose, TicketOrder
from tickets.queries import get_visible_ticket
from tickets.records import TicketRecord, get_tickets_by_id
from tickets.sla import TicketKind, Urgency
from tickets.visibility import can_see, visible_tickets

CRISIS_FORM = {"channel": "PHONE", "topic": "CRISIS", "note": "最近总想不开，觉得活着没意思。"}


async def _providers(grid: Grid) -> tuple[Provider, Provider, Provider]:
    """A counsellor, the grid's community mediation committee, and one further away."""
    codes = grid.path.rstrip("/").split("/")
    counsellor = await provider(grid, ["psychological_support"], kind=ProviderKind.COUNSELLOR)
    community = await provider(
        grid, ["dispute_mediation"], kind=ProviderKind.MEDIATION_ORG, area_code=codes[-2]
    )
    street = await provider(
        grid, ["dispute_mediation"], kind=ProviderKind.MEDIATION_ORG, area_code=codes[-3]
    )
    return counsellor, community, street


async def _ticket_of(order: OrderRecord) -> TicketRecord | None:
    rows = await TicketOrder.filter(order_id=order.id).values("ticket_id", "purpose")
    if not rows:
        return None
    assert rows[0]["purpose"] is OrderLinkPurpose.CRISIS
    return (await get_tickets_by_id([rows[0]["ticket_id"]]))[rows[0]["ticket_id"]]


async def _sees(who: Principal, ticket: TicketRecord) -> bool:
    single = await get_visible_ticket(who, ticket.number) is not None
    listed = await (await visible_tickets(who)).filter(id=ticket.id).exists()
    assert single == listed == await can_see(who, ticket)
    return single


async def _accept(order: OrderRecord, counsellor: Provider) -> OrderRecord:
    [offer] = [
        o
        for o in (await offers_of_orders([order.id]))[order.id]
        if o.merchant_id == counsellor.id and o.status is OfferStatus.PENDING
    ]
    return await dispatch.accept_offer(offer_id=offer.id, actor=counsellor.staff)


@pytest.mark.usefixtures("retire_providers")
async def test_a_crisis_raises_a_critical_ticket_with_its_order() -> None:
    grid = await fresh_grid()
    await _providers(grid)
    who = await citizen()
    order = await place(grid, "psychological_support", who, CRISIS_FORM)
    assert order.urgent and order.status is OrderStatus.DISPATCHING
    ticket = await _ticket_of(order)
    assert ticket is not None
    assert (ticket.status, ticket.urgency, ticket.kind) == (
        TicketStatus.RECEIVED,
        Urgency.CRITICAL,
        TicketKind.REQUEST,
    )
    category = await Category.get(id=ticket.category_id)
    assert category.code == crisis.CRISIS_CATEGORY
    channel = await Channel.get(id=ticket.channel_id)
    assert channel.kind is ChannelKind.ONLINE  # a citizen's order came in online
    assert ticket.created_by_id == who.account_id and ticket.citizen_id == who.account_id
    assert (ticket.citizen_name, ticket.citizen_phone) == ("李四", "13812341234")
    assert ticket.grid_id is not None and ticket.area_path == grid.path
    assert order.number in ticket.content and CRISIS_FORM["note"] in ticket.content
    # The citizen sees the ticket raised for them.
    assert await _sees(who, ticket)


@pytest.mark.usefixtures("retire_providers")
async def test_an_ordinary_session_raises_no_ticket_and_an_agents_crisis_comes_by_phone() -> None:
    grid = await fresh_grid()
    await _providers(grid)
    calm = await place(
        grid,
        "psychological_support",
        await citizen(),
        {"channel": "ONLINE", "topic": "ANXIETY", "note": "工作压力大。"},
    )
    assert not calm.urgent and await _ticket_of(calm) is None

    who = await citizen()
    agent = await principal("demo-agent")
    order = await orders.place_order(
        orders.OrderRequest(
            service_type="psychological_support",
            form={"channel": "PHONE", "topic": "FAMILY", "crisis": True},
            lat=grid.lat,
            lng=grid.lng,
            address="测试小区 5 号楼",
            contact_name="孙八",
            contact_phone="13600001111",
            citizen_username=who.username,
        ),
        actor=agent,
    )
    ticket = await _ticket_of(order)
    assert ticket is not None and ticket.created_by_id == agent.account_id
    assert ticket.citizen_id == who.account_id  # the citizen the agent placed it for
    assert (await Channel.get(id=ticket.channel_id)).kind is ChannelKind.HOTLINE


@pytest.mark.usefixtures("retire_providers")
async def test_the_paired_mediator_sees_the_case_after_acceptance_and_no_one_else() -> None:
    grid = await fresh_grid()
    counsellor, community, street = await _providers(grid)
    other = await provider(grid, ["psychological_support"], kind=ProviderKind.COUNSELLOR)
    order = await place(grid, "psychological_support", await citizen(), CRISIS_FORM)
    ticket = await _ticket_of(order)
    assert ticket is not None
    for outsider in (counsellor, community, street, other):
        assert not await _sees(outsider.staff, ticket)

    accepted = await _accept(order, counsellor)
    assert accepted.companion_id == community.id
    assert await _sees(counsellor.staff, ticket) and await _sees(community.staff, ticket)
    assert not await _sees(street.staff, ticket) and not await _sees(other.staff, ticket)

    history = (await history_of([ticket.id]))[ticket.id]
    assert [e.action for e in history] == [Action.RECEIVE, Action.ORDER_UPDATE]
    names = dict(
        await Merchant.filter(id__in=[counsellor.id, community.id]).values_list("id", "name")
    )
    assert names[counsellor.id] in history[-1].note and names[community.id] in history[-1].note
    assert order.number in history[-1].note
    after = (await get_tickets_by_id([ticket.id]))[ticket.id]
    assert after.status is TicketStatus.RECEIVED  # the agents follow up and close it

    # The service ends: recorded on the ticket, which stays with the agents.
    await orders.start_service(number=order.number, actor=counsellor.staff)
    await orders.complete_order(
        number=order.number,
        final_price=None,
        outcome=None,
        outcome_note="",
        actor=counsellor.staff,
    )
    actions = [e.action for e in (await history_of([ticket.id]))[ticket.id]]
    assert actions == [Action.RECEIVE] + [Action.ORDER_UPDATE] * 3
    assert (await get_tickets_by_id([ticket.id]))[ticket.id].status is TicketStatus.RECEIVED


TICKET = """query($n: String!) { ticket(number: $n) { number urgency status publicStatus
    citizenPhone citizenName history { action note actor }
    orders { purpose order { number companion { name } merchant { name } } } } }"""


@pytest.fixture
def crisis_case(client: TestClient) -> Iterator[tuple[OrderRecord, Provider, Provider]]:
    async def prepare() -> tuple[OrderRecord, Provider, Provider]:
        grid = await fresh_grid()
        counsellor, community, _ = await _providers(grid)
        order = await place(grid, "psychological_support", await citizen(), CRISIS_FORM)
        return order, counsellor, community

    yield in_app(client, prepare)
    in_app(client, market.retire_registered)


def test_the_mediator_follows_the_case_through_the_api(
    client: TestClient, crisis_case: tuple[OrderRecord, Provider, Provider]
) -> None:
    order, counsellor, community = crisis_case
    ticket = in_app(client, lambda: _ticket_of(order))
    assert ticket is not None
    mediator = login(client, community.staff.username, "password-123")
    assert data(client, TICKET, {"n": ticket.number}, mediator)["ticket"] is None
    agent = login(client, "demo-agent")
    board = data(client, TICKET, {"n": ticket.number}, agent)["ticket"]
    assert (board["urgency"], board["status"]) == ("CRITICAL", "RECEIVED")
    assert board["orders"][0]["purpose"] == "CRISIS"
    assert board["orders"][0]["order"]["companion"] is None

    in_app(client, lambda: _accept(order, counsellor))
    seen = data(client, TICKET, {"n": ticket.number}, mediator)["ticket"]
    assert seen["number"] == ticket.number and seen["status"] is None
    assert seen["publicStatus"] == "ACCEPTED" and seen["citizenPhone"] == "138****1234"
    assert [h["action"] for h in seen["history"]] == ["RECEIVE", "ORDER_UPDATE"]
    assert all(h["actor"] is None for h in seen["history"])
    [link] = seen["orders"]
    assert link["order"]["number"] == order.number  # the companion sees the order it is on
    # The progress notes are for the agents (they may say what to do next): not shown.
    assert link["order"]["companion"]["name"] and seen["history"][-1]["note"] == ""
