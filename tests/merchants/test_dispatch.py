"""Dispatch: who gets offers, in what order, and what happens on accept, decline and expiry."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Iterator
from datetime import timedelta

import pytest

from accounts.service import Principal
from merchants import dispatch, orders
from merchants.models import Merchant, OfferStatus, OrderStatus
from merchants.records import OfferRecord, get_order, offers_of_merchant, offers_of_orders
from tests.merchants.market import Provider, citizen, fresh_grid, place, provider
from wuyou import clock
from wuyou.clock import ManualClock
from wuyou.errors import DomainError, ErrorCode

pytestmark = pytest.mark.usefixtures("connected", "retire_providers")


@pytest.fixture
def manual_clock() -> Iterator[ManualClock]:
    moving = ManualClock(clock.now())
    previous = clock.install(moving)
    try:
        yield moving
    finally:
        clock.install(previous)


async def _offers(order_id: int) -> list[OfferRecord]:
    return (await offers_of_orders([order_id]))[order_id]


async def _codes(call: object) -> list[ErrorCode]:
    with pytest.raises(DomainError) as refused:
        await call  # type: ignore[misc]
    return [p.code for p in refused.value.problems]


async def test_broadcast_offers_the_nearest_k_and_withdraws_the_rest_on_accept() -> None:
    grid = await fresh_grid()
    shops = [await provider(grid, ["car_moving"], offset_km=km) for km in (0.3, 0.1, 0.9, 0.5)]
    order = await place(grid, "car_moving", await citizen())
    assert order.status is OrderStatus.DISPATCHING
    offers = await _offers(order.id)
    by_rank = sorted(offers, key=lambda o: o.rank)
    assert [o.merchant_id for o in by_rank] == [shops[1].id, shops[0].id, shops[3].id]
    assert all(o.status is OfferStatus.PENDING and o.round == 1 for o in offers)

    accepted = await dispatch.accept_offer(offer_id=by_rank[1].id, actor=shops[0].staff)
    assert accepted.status is OrderStatus.ACCEPTED and accepted.merchant_id == shops[0].id
    statuses = {o.merchant_id: o.status for o in await _offers(order.id)}
    assert statuses == {
        shops[1].id: OfferStatus.WITHDRAWN,
        shops[0].id: OfferStatus.ACCEPTED,
        shops[3].id: OfferStatus.WITHDRAWN,
    }
    codes = await _codes(dispatch.accept_offer(offer_id=by_rank[0].id, actor=shops[1].staff))
    assert codes == [ErrorCode.OFFER_WITHDRAWN]
    assert (await Merchant.get(id=shops[0].id)).active_orders == 1


async def test_broadcast_goes_to_the_next_candidates_when_a_round_is_declined() -> None:
    grid = await fresh_grid()
    shops = [await provider(grid, ["car_moving"], offset_km=km) for km in (0.1, 0.2, 0.3, 0.4)]
    order = await place(grid, "car_moving", await citizen())
    first_round = await _offers(order.id)
    for offer in first_round[:2]:
        await dispatch.decline_offer(offer_id=offer.id, reason="忙", actor=_staff(shops, offer))
    assert len(await _offers(order.id)) == 3  # one of the round is still open
    await dispatch.decline_offer(
        offer_id=first_round[2].id, reason="太远", actor=_staff(shops, first_round[2])
    )
    second_round = [o for o in await _offers(order.id) if o.round == 2]
    assert [o.merchant_id for o in second_round] == [shops[3].id]


def _staff(shops: list[Provider], offer: OfferRecord) -> Principal:
    return next(s.staff for s in shops if s.id == offer.merchant_id)


async def test_sequential_offers_one_at_a_time_then_gives_up_with_the_reason(
    manual_clock: ManualClock,
) -> None:
    grid = await fresh_grid()
    near = await provider(grid, ["appliance_repair"], offset_km=0.1)
    far = await provider(grid, ["appliance_repair"], offset_km=2.0)
    order = await place(grid, "appliance_repair", await citizen())
    [first] = await _offers(order.id)
    assert first.merchant_id == near.id

    await dispatch.decline_offer(offer_id=first.id, reason="没有配件", actor=near.staff)
    second = [o for o in await _offers(order.id) if o.round == 2]
    assert [o.merchant_id for o in second] == [far.id]

    manual_clock.advance(timedelta(minutes=9))
    await dispatch.expire_offers()
    assert (await _offers(order.id))[-1].status is OfferStatus.PENDING
    manual_clock.advance(timedelta(minutes=2))
    codes = await _codes(dispatch.accept_offer(offer_id=second[0].id, actor=far.staff))
    assert codes == [ErrorCode.OFFER_EXPIRED]  # past its deadline even before the sweep
    report = await dispatch.expire_offers()
    assert report.expired >= 1
    finished = await get_order(order.number)
    assert finished is not None and finished.status is OrderStatus.NO_PROVIDER
    assert "2 家" in finished.status_reason
    assert [o.status for o in await _offers(order.id)] == [
        OfferStatus.DECLINED,
        OfferStatus.EXPIRED,
    ]


async def test_no_provider_in_the_area_ends_at_once_with_the_reason() -> None:
    grid = await fresh_grid()
    order = await place(grid, "appliance_repair", await citizen())
    assert order.status is OrderStatus.NO_PROVIDER
    assert "暂无" in order.status_reason


async def test_providers_off_duty_unapproved_or_of_other_areas_get_nothing() -> None:
    grid, elsewhere = await fresh_grid(), await fresh_grid()
    await provider(grid, ["appliance_repair"], on_duty=False)
    await provider(grid, ["appliance_repair"], approve=False)
    await provider(elsewhere, ["appliance_repair"])
    await provider(grid, ["home_repair"])
    order = await place(grid, "appliance_repair", await citizen())
    assert order.status is OrderStatus.NO_PROVIDER
    assert "未在线" in order.status_reason


async def test_a_provider_at_capacity_is_skipped_and_cannot_accept_more() -> None:
    grid = await fresh_grid()
    shop = await provider(grid, ["car_moving"], capacity=1)
    who = await citizen()
    first, second = await place(grid, "car_moving", who), await place(grid, "car_moving", who)
    [offer_one], [offer_two] = await _offers(first.id), await _offers(second.id)
    await dispatch.accept_offer(offer_id=offer_one.id, actor=shop.staff)
    codes = await _codes(dispatch.accept_offer(offer_id=offer_two.id, actor=shop.staff))
    assert codes == [ErrorCode.CAPACITY_FULL]
    assert (await _offers(second.id))[0].status is OfferStatus.PENDING  # nothing changed

    third = await place(grid, "car_moving", who)
    assert third.status is OrderStatus.NO_PROVIDER and "已满" in third.status_reason


async def test_many_providers_pressing_accept_at_once_yield_exactly_one_winner() -> None:
    grid = await fresh_grid()
    shops = [await provider(grid, ["road_rescue"], offset_km=0.1 * i) for i in range(5)]
    order = await place(grid, "road_rescue", await citizen())
    offers = await _offers(order.id)
    assert len(offers) == 5
    results = await asyncio.gather(
        *(dispatch.accept_offer(offer_id=o.id, actor=_staff(shops, o)) for o in offers),
        return_exceptions=True,
    )
    winners = [r for r in results if not isinstance(r, BaseException)]
    losers = [r for r in results if isinstance(r, DomainError)]
    assert len(winners) == 1 and len(losers) == 4
    assert {e.code for e in losers} <= {ErrorCode.OFFER_WITHDRAWN, ErrorCode.ALREADY_TAKEN}
    final = await _offers(order.id)
    assert sorted(o.status for o in final) == sorted(
        [OfferStatus.ACCEPTED] + [OfferStatus.WITHDRAWN] * 4
    )
    busy = await Merchant.filter(id__in=[s.id for s in shops]).values_list(
        "active_orders", flat=True
    )
    assert sorted(busy) == [0, 0, 0, 0, 1]


async def test_a_provider_cannot_touch_another_providers_offer() -> None:
    grid = await fresh_grid()
    mine = await provider(grid, ["appliance_repair"])
    other = await provider(await fresh_grid(), ["appliance_repair"])
    order = await place(grid, "appliance_repair", await citizen())
    [offer] = await _offers(order.id)
    for call in (
        dispatch.accept_offer(offer_id=offer.id, actor=other.staff),
        dispatch.decline_offer(offer_id=offer.id, reason="x", actor=other.staff),
    ):
        assert await _codes(call) == [ErrorCode.NOT_FOUND]
    assert await offers_of_merchant(other.id) == []
    assert [o.id for o in await offers_of_merchant(mine.id)] == [offer.id]


async def test_an_order_left_half_dispatched_by_a_crash_is_picked_up_by_the_sweeper(
    manual_clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    grid = await fresh_grid()
    shop = await provider(grid, ["appliance_repair"])

    async def crash(order_id: int, expected_round: int) -> None:
        raise RuntimeError("worker killed")

    monkeypatch.setattr(dispatch, "dispatch_next", crash)
    order = await place(grid, "appliance_repair", await citizen())
    monkeypatch.undo()
    assert order.status is OrderStatus.PLACED
    assert await _offers(order.id) == []

    manual_clock.advance(dispatch.STALL_AFTER + timedelta(seconds=1))
    assert (await dispatch.expire_offers()).advanced >= 1
    resumed = await get_order(order.number)
    assert resumed is not None and resumed.status is OrderStatus.DISPATCHING
    assert [o.merchant_id for o in await _offers(order.id)] == [shop.id]


async def test_the_same_idempotency_key_returns_the_first_order() -> None:
    grid = await fresh_grid()
    who = await citizen()
    request = orders.OrderRequest(
        service_type="car_moving",
        form={"plate": "蒙LD12345", "reason": "FIRE_LANE"},
        lat=grid.lat,
        lng=grid.lng,
        address="测试小区",
        contact_name="李四",
        contact_phone="13812341234",
        idempotency_key="retry-0001",
    )
    first = await orders.place_order(request, actor=who)
    again = await orders.place_order(request, actor=who)
    assert again.number == first.number
    changed = dataclasses.replace(request, address="另一个地址")
    assert await _codes(orders.place_order(changed, actor=who)) == [ErrorCode.IDEMPOTENCY_CONFLICT]
