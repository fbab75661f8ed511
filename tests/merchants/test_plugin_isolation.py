"""A plugin that raises or hangs is isolated: logged, counted, defaults used, order placed."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any

import pytest

from merchants.models import OrderStatus
from merchants.records import offers_of_orders
from plugins import guard
from plugins.manager import plugin_manager
from plugins.registry import service_registry
from tests.merchants.market import citizen, fresh_grid, place, provider
from wuyou import (
    Candidate,
    FieldType,
    Fixed,
    FormField,
    OrderInfo,
    Problem,
    Quote,
    QuoteRequest,
    ServiceType,
    hookimpl,
)

pytestmark = pytest.mark.usefixtures("connected", "retire_providers")


class HangingPrice(Fixed):
    def quote(self, request: QuoteRequest) -> Quote:
        time.sleep(1.0)
        return super().quote(request)


def _broken_check(values: Mapping[str, Any]) -> list[Problem]:
    raise ValueError("plugin bug in check")


def _broken_rank(candidates: Sequence[Candidate], form: Mapping[str, Any]) -> list[Candidate]:
    raise ZeroDivisionError("plugin bug in rank")


FRAGILE = ServiceType(
    code="fragile_test",
    name="易碎测试",
    name_en="Fragile (test)",
    brand="测试",
    description="A service type whose plugin code fails in every way.",
    fields=(FormField("note", "说明", FieldType.STRING),),
    pricing=HangingPrice("固定价", amount=Decimal("10")),
    check=_broken_check,
    rank=_broken_rank,
    example=lambda now: {"note": "hello"},
)


class FragilePlugin:
    @hookimpl
    def register_service_types(self, register: Callable[[ServiceType], None]) -> None:
        register(FRAGILE)

    @hookimpl
    def order_placed(self, order: OrderInfo) -> None:
        raise RuntimeError("plugin bug in order_placed")


class BrokenRegistration:
    @hookimpl
    def register_service_types(self, register: Callable[[ServiceType], None]) -> None:
        register(FRAGILE)  # a duplicate code: refused, the first stays
        raise RuntimeError("plugin bug while registering")


@pytest.fixture
def fragile(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(guard, "DEFAULT_TIMEOUT", 0.2)
    manager = plugin_manager()
    manager.register(FragilePlugin(), name="fragile")
    manager.register(BrokenRegistration(), name="broken-registration")
    service_registry.cache_clear()
    try:
        yield
    finally:
        manager.unregister(name="fragile")
        manager.unregister(name="broken-registration")
        service_registry.cache_clear()


@pytest.mark.usefixtures("fragile")
async def test_an_order_of_a_failing_plugin_is_placed_with_the_platforms_defaults() -> None:
    before = dict(guard.failures)
    assert service_registry().plugin_of("fragile_test") == "fragile"
    grid = await fresh_grid()
    shops = [await provider(grid, ["fragile_test"], offset_km=km) for km in (0.8, 0.1)]

    order = await place(grid, "fragile_test", await citizen())

    assert order.status is OrderStatus.DISPATCHING
    assert order.quoted_amount is None  # the quote timed out: priced on site
    [offer] = (await offers_of_orders([order.id]))[order.id]
    assert offer.merchant_id == shops[1].id  # the default ranking: nearest
    for hook in ("check", "quote", "rank", "order_placed", "register_service_types"):
        plugin = "broken-registration" if hook == "register_service_types" else "fragile"
        assert guard.failures[(plugin, hook)] > before.get((plugin, hook), 0), hook
