"""Tests a plugin author writes: the form, the rules, the price, the ranking, the hook.

Run them after ``pip install -e 'examples/wuyou-plugin-example[test]'`` with
``pytest examples/wuyou-plugin-example``. They need no database: a service type is
plain data and plain functions.
"""

from __future__ import annotations

import importlib.metadata
import logging
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from wuyou_lpg_delivery import plugin
from wuyou_lpg_delivery.plugin import SERVICE_TYPE

from plugins.forms import clean_form  # the platform's own form checking
from plugins.manager import create_plugin_manager
from plugins.registry import ServiceRegistry
from wuyou import Candidate, Location, OrderInfo, QuoteRequest, clock
from wuyou.errors import DomainError


def form(**changes: Any) -> dict[str, Any]:
    """The example form with ``changes``."""
    assert SERVICE_TYPE.example is not None
    return {**SERVICE_TYPE.example(clock.now()), **changes}


def problems(raw: dict[str, Any]) -> set[tuple[str | None, str]]:
    """(field, code) of what a client would be told, as ``placeOrder`` reports it."""
    try:
        values = clean_form(SERVICE_TYPE.fields, raw)
    except DomainError as error:
        return {(p.field, p.code.value) for p in error.problems}
    return {(p.field, p.code.value) for p in SERVICE_TYPE.cross_check(values)}


def test_the_platform_loads_the_plugin_through_its_entry_point() -> None:
    names = {ep.name for ep in importlib.metadata.entry_points(group="wuyou")}
    if "lpg_delivery" not in names:
        pytest.skip("not installed: pip install -e examples/wuyou-plugin-example")
    registry = ServiceRegistry.load(create_plugin_manager())
    assert registry.plugin_of("lpg_delivery") == "lpg_delivery"


def test_the_example_form_is_valid() -> None:
    assert problems(form()) == set()


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"count": 5}, {("form.count", "OUT_OF_RANGE")}),
        ({"cylinderSize": "KG50", "floor": 1}, {("form.cylinderSize", "INVALID_CHOICE")}),
        (
            {"customerType": "BUSINESS", "cylinderSize": "KG50", "floor": 3},
            {("form.floor", "OUT_OF_RANGE")},
        ),
        (
            {"deliveryTime": (clock.now() + timedelta(days=8)).isoformat()},
            {("form.deliveryTime", "OUT_OF_RANGE")},
        ),
    ],
)
def test_bad_orders_are_refused(changes: dict[str, Any], expected: set[tuple[str, str]]) -> None:
    assert problems(form(**changes)) == expected


def test_the_price_adds_the_stairs() -> None:
    values = clean_form(SERVICE_TYPE.fields, form(floor=6, count=2))
    quote = SERVICE_TYPE.pricing.quote(QuoteRequest(values, Location(39.67, 106.82)))
    assert quote.amount == Decimal("242.00")  # 2 × 115 + 3 floors × 2 yuan × 2 cylinders


def test_the_nearest_station_comes_first() -> None:
    far, near = (
        Candidate(merchant_id=i, name=f"站{i}", distance_km=km, rating=None, load=0, capacity=3)
        for i, km in ((1, 4.0), (2, 0.7))
    )
    values = clean_form(SERVICE_TYPE.fields, form())
    assert [c.merchant_id for c in SERVICE_TYPE.rank([far, near], values)] == [2, 1]


def test_acceptance_logs_safety_reminders(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger=plugin.__name__)
    order = OrderInfo(
        number="FW20260101000001",
        service_type="lpg_delivery",
        status="ACCEPTED",
        grid_code="150302001001-G01",
        form={"cylinderSize": "KG15", "count": 1, "exchangeEmpty": False, "floor": 2},
        quoted_amount=Decimal("265.00"),
        final_amount=None,
        merchant_id=7,
        placed_at=clock.now(),
        urgent=False,
    )
    plugin.order_status_changed(order=order, previous="DISPATCHING", actor="shop")
    assert len(caplog.records) == 2  # the two reminders every delivery gets
