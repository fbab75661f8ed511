"""After dispatch: cancelling, serving, completing with outcomes, rating, routing of
mediation and counselling, and the hooks plugins hear."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest

from grids.models import Area
from merchants import dispatch, orders
from merchants.models import Merchant, OfferStatus, OrderStatus
from merchants.records import OrderRecord, get_order, offers_of_orders
from plugins.hookspecs import OrderInfo
from plugins.manager import plugin_manager
from plugins.registry import service_registry
from plugins.service_types import ProviderKind
from tests.merchants.market import Grid, Provider, admin, citizen, fresh_grid, place, provider
from wuyou import clock, events, hookimpl
from wuyou.clock import CITY_TIMEZONE
from wuyou.errors import DomainError, ErrorCode
from wuyou.events import InProcessBroadcaster

pytestmark = pytest.mark.usefixtures("connected", "retire_providers")


async def _accept(order: OrderRecord, shop: Provider) -> OrderRecord:
    [offer] = [
        o for o in (await offers_of_orders([order.id]))[order.id] if o.merchant_id == shop.id
    ]
    return await dispatch.accept_offer(offer_id=offer.id, actor=shop.staff)


async def _refused(call: object) -> list[tuple[str | None, ErrorCode]]:
    with pytest.raises(DomainError) as refused:
        await call  # type: ignore[misc]
    return [(p.field, p.code) for p in refused.value.problems]


async def test_a_citizen_cancels_before_service_and_the_provider_is_freed() -> None:
    grid = await fresh_grid()
    shop = await provider(grid, ["appliance_repair"])
    who = await citizen()
    waiting = await place(grid, "appliance_repair", who)
    cancelled = await orders.cancel_order(number=waiting.number, reason="不修了", actor=who)
    assert cancelled.status is OrderStatus.CANCELLED and cancelled.status_reason == "不修了"
    [offer] = (await offers_of_orders([waiting.id]))[waiting.id]
    assert offer.status is OfferStatus.WITHDRAWN

    taken = await _accept(await place(grid, "appliance_repair", who), shop)
    assert (await Merchant.get(id=shop.id)).active_orders == 1
    await orders.cancel_order(number=taken.number, reason="", actor=who)
    assert (await Merchant.get(id=shop.id)).active_orders == 0

    serving = await _accept(await place(grid, "appliance_repair", who), shop)
    await orders.start_service(number=serving.number, actor=shop.staff)
    # An order in service still holds its place in the provider's capacity.
    assert (await Merchant.get(id=shop.id)).active_orders == 1
    assert await _refused(orders.cancel_order(number=serving.number, reason="", actor=who)) == [
        ("orderNumber", ErrorCode.INVALID_STATE)
    ]
    stranger = await citizen()
    assert await _refused(
        orders.cancel_order(number=serving.number, reason="", actor=stranger)
    ) == [("orderNumber", ErrorCode.NOT_FOUND)]


async def test_completion_checks_the_price_and_rating_is_once_only() -> None:
    grid = await fresh_grid()
    shop = await provider(grid, ["car_moving"])
    who = await citizen()
    order = await _accept(await place(grid, "car_moving", who), shop)
    assert await _refused(
        orders.complete_order(
            number=order.number, final_price="1", outcome=None, outcome_note="", actor=shop.staff
        )
    ) == [("orderNumber", ErrorCode.INVALID_STATE)]  # not started yet
    await orders.start_service(number=order.number, actor=shop.staff)
    assert await _refused(
        orders.complete_order(
            number=order.number, final_price="20", outcome=None, outcome_note="", actor=shop.staff
        )
    ) == [("finalPrice", ErrorCode.OUT_OF_RANGE)]  # car moving is free
    done = await orders.complete_order(
        number=order.number, final_price=None, outcome=None, outcome_note="", actor=shop.staff
    )
    assert done.status is OrderStatus.COMPLETED and str(done.final_amount) == "0.00"
    assert await _refused(
        orders.rate_order(number=order.number, stars=6, comment="", actor=who)
    ) == [("stars", ErrorCode.OUT_OF_RANGE)]
    await orders.rate_order(number=order.number, stars=5, comment="很快", actor=who)
    assert await _refused(
        orders.rate_order(number=order.number, stars=1, comment="", actor=who)
    ) == [("orderNumber", ErrorCode.INVALID_STATE)]
    merchant = await Merchant.get(id=shop.id)
    assert (merchant.rating_sum, merchant.rating_count, merchant.active_orders) == (5, 1, 0)


async def _committees(grid: Grid) -> tuple[Provider, Provider, Provider]:
    community_code, street_code = await _parents(grid)
    community = await provider(
        grid, ["dispute_mediation"], kind=ProviderKind.MEDIATION_ORG, area_code=community_code
    )
    street = await provider(
        grid, ["dispute_mediation"], kind=ProviderKind.MEDIATION_ORG, area_code=street_code
    )
    medical = await provider(
        grid,
        ["dispute_mediation"],
        kind=ProviderKind.MEDIATION_ORG,
        area_code=street_code,
        specialties=["MEDICAL"],
        offset_km=5,
    )
    return community, street, medical


async def _parents(grid: Grid) -> tuple[str, str]:
    codes = grid.path.rstrip("/").split("/")
    return codes[-2], codes[-3]


async def test_disputes_go_to_the_specialist_committee_else_the_nearest_level() -> None:
    grid = await fresh_grid()
    community, street, medical = await _committees(grid)
    who = await citizen()
    form = {
        "disputeType": "MEDICAL",
        "otherParty": "某医院",
        "description": "手术后感染，协商赔偿未果。",
    }
    medical_case = await place(grid, "dispute_mediation", who, form)
    [first] = (await offers_of_orders([medical_case.id]))[medical_case.id]
    assert first.merchant_id == medical.id

    neighbours = await place(grid, "dispute_mediation", who)
    [first] = (await offers_of_orders([neighbours.id]))[neighbours.id]
    assert first.merchant_id == community.id
    await dispatch.decline_offer(offer_id=first.id, reason="当事人在外地", actor=community.staff)
    second = [o for o in (await offers_of_orders([neighbours.id]))[neighbours.id] if o.round == 2]
    assert [o.merchant_id for o in second] == [street.id]

    accepted = await dispatch.accept_offer(offer_id=second[0].id, actor=street.staff)
    await orders.start_service(number=accepted.number, actor=street.staff)
    assert {
        field
        for field, _ in await _refused(
            orders.complete_order(
                number=accepted.number,
                final_price=None,
                outcome=None,
                outcome_note="",
                actor=street.staff,
            )
        )
    } == {"outcome", "outcomeNote"}
    done = await orders.complete_order(
        number=accepted.number,
        final_price=None,
        outcome="AGREEMENT_REACHED",
        outcome_note="楼上住户三日内维修防水并赔偿 800 元。",
        actor=street.staff,
    )
    assert done.outcome == "AGREEMENT_REACHED" and done.status is OrderStatus.COMPLETED


async def test_a_crisis_is_urgent_and_pairs_in_the_community_mediator() -> None:
    grid = await fresh_grid()
    community, _, _ = await _committees(grid)
    counsellor = await provider(grid, ["psychological_support"], kind=ProviderKind.COUNSELLOR)
    broadcaster = events.broadcaster()
    assert isinstance(broadcaster, InProcessBroadcaster)
    async with broadcaster.subscribe("hotline") as hotline:
        order = await place(
            grid,
            "psychological_support",
            await citizen(),
            {"channel": "PHONE", "topic": "CRISIS", "note": "有轻生念头"},
        )
        event = await anext(aiter(hotline))
    assert order.urgent and event.kind == "URGENT_ORDER"
    assert event.payload["number"] == order.number
    accepted = await _accept(order, counsellor)
    assert accepted.companion_id == community.id


class Recorder:
    def __init__(self) -> None:
        self.placed: list[OrderInfo] = []
        self.changes: list[tuple[str, str, str | None]] = []

    @hookimpl
    def order_placed(self, order: OrderInfo) -> None:
        self.placed.append(order)

    @hookimpl
    def order_status_changed(self, order: OrderInfo, previous: str, actor: str | None) -> None:
        self.changes.append((previous, order.status, actor))


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    recording = Recorder()
    plugin_manager().register(recording, name="order-recorder")
    try:
        yield recording
    finally:
        plugin_manager().unregister(name="order-recorder")


async def test_plugins_hear_every_transition_without_personal_data(recorder: Recorder) -> None:
    grid = await fresh_grid()
    shop = await provider(grid, ["unlocking"])
    order = await place(grid, "unlocking", await citizen())
    await _accept(order, shop)
    [placed] = recorder.placed
    assert placed.number == order.number and placed.grid_code == grid.code
    assert "idNumber" not in placed.form and placed.form["lockType"] == "DOOR"
    assert recorder.changes == [
        ("PLACED", "DISPATCHING", None),
        ("DISPATCHING", "ACCEPTED", shop.staff.username),
    ]


async def test_agents_see_orders_no_provider_could_take() -> None:
    grid = await fresh_grid()
    order = await place(grid, "moving", await citizen())
    agent = await admin()
    area = await Area.get(code=grid.code)
    page = await orders.list_orders(
        orders.OrderFilter(statuses=(OrderStatus.NO_PROVIDER,), area_path=area.path),
        viewer=agent,
        first=10,
        after=None,
    )
    assert [o.number for o in page.items] == [order.number]
    fetched = await get_order(order.number)
    assert fetched is not None and fetched.status_reason


async def test_placed_time_bounds_count_in_any_offset() -> None:
    """SQLite compares times as text: a bound in city time must still bound correctly."""
    grid = await fresh_grid()
    order = await place(grid, "moving", await citizen())
    area = await Area.get(code=grid.code)
    placed = order.placed_at.astimezone(CITY_TIMEZONE)
    second = timedelta(seconds=1)

    async def listed(**bounds: datetime) -> list[str]:
        page = await orders.list_orders(
            orders.OrderFilter(area_path=area.path, **bounds),  # type: ignore[arg-type]
            viewer=await admin(),
            first=10,
            after=None,
        )
        return [o.number for o in page.items]

    assert await listed(placed_from=placed - second) == [order.number]
    assert await listed(placed_from=placed + second) == []
    assert await listed(placed_before=placed + second) == [order.number]
    assert await listed(placed_before=placed - second) == []
    naive_city_time = placed.replace(tzinfo=None)
    assert await listed(placed_before=naive_city_time + second) == [order.number]


async def test_an_agent_places_an_order_for_a_citizen_who_then_sees_it() -> None:
    grid = await fresh_grid()
    who = await citizen()
    agent = await admin()
    request = orders.OrderRequest(
        service_type="moving",
        form={},
        lat=grid.lat,
        lng=grid.lng,
        address="测试小区",
        contact_name="李四",
        contact_phone="13812341234",
        citizen_username=who.username,
    )
    moving = service_registry().get("moving")
    assert moving is not None and moving.example is not None
    request = dataclasses.replace(request, form=dict(moving.example(clock.now())))
    order = await orders.place_order(request, actor=agent)
    assert order.citizen_id == who.account_id and order.placed_by_id == agent.account_id
    assert await orders.visible_order(order.number, who) is not None
    unknown = dataclasses.replace(request, citizen_username="nobody-here")
    assert await _refused(orders.place_order(unknown, actor=agent)) == [
        ("citizenUsername", ErrorCode.NOT_FOUND)
    ]
