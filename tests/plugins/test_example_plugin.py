"""The example plugin (``examples/wuyou-plugin-example``), loaded the way pip would load it.

Nothing is installed into the virtualenv: each test writes a ``dist-info`` directory
with the example's metadata and entry point into ``tmp_path`` and puts it and the
example's sources on ``sys.path``, so ``importlib.metadata`` finds the ``wuyou`` entry
point exactly as it finds an installed distribution's. The process-wide caches
(``plugin_manager()``, ``service_registry()``) are cleared before and after, so every
other test sees the 22 built-in types only.
"""

from __future__ import annotations

import logging
import sys
import tomllib
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from merchants import dispatch
from merchants.models import OrderStatus
from merchants.records import offers_of_orders
from plugins import guard
from plugins.builtin import SERVICE_CODES
from plugins.forms import clean_form
from plugins.manager import BUILTIN_PLUGINS, create_plugin_manager, describe, plugin_manager
from plugins.registry import ServiceRegistry, service_registry
from plugins.service_types import Candidate, ServiceType
from tests.graphql import data, in_app, login
from tests.merchants.market import citizen, fresh_grid, place, provider
from tests.plugins.forms import all_problems, example, quote
from wuyou import OrderInfo, clock

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "wuyou-plugin-example"
PLUGIN = "lpg_delivery"
CODE = "lpg_delivery"
MODULE = "wuyou_lpg_delivery.plugin"
PLUGIN_LOGGER = MODULE


def _write_dist_info(site: Path) -> None:
    """What ``pip install`` leaves behind that ``importlib.metadata`` reads."""
    dist_info = site / "wuyou_lpg_delivery-0.1.0.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: wuyou-lpg-delivery\nVersion: 0.1.0\n", encoding="utf-8"
    )
    (dist_info / "entry_points.txt").write_text(f"[wuyou]\n{PLUGIN} = {MODULE}\n", encoding="utf-8")


def _forget_plugins() -> None:
    """Clear the cached manager and registry and the example's modules."""
    plugin_manager.cache_clear()
    service_registry.cache_clear()
    for name in [m for m in sys.modules if m.split(".")[0] == "wuyou_lpg_delivery"]:
        del sys.modules[name]


@pytest.fixture
def installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The example as if pip-installed; undone (sys.path, env, caches) afterwards."""
    _write_dist_info(tmp_path)
    monkeypatch.syspath_prepend(str(EXAMPLE / "src"))
    monkeypatch.syspath_prepend(str(tmp_path))
    _forget_plugins()
    try:
        yield tmp_path
    finally:
        monkeypatch.undo()
        _forget_plugins()


@pytest.fixture
def lpg(installed: Path) -> ServiceType:
    """The ``lpg_delivery`` type as the entry-point plugin registered it."""
    registry = ServiceRegistry.load(create_plugin_manager())
    found = registry.get(CODE)
    assert found is not None
    return found


# Loading through the entry point


def test_the_entry_point_adds_a_23rd_type_beside_the_22_built_ins(installed: Path) -> None:
    failures_before = sum(n for (name, _), n in guard.failures.items() if name == PLUGIN)
    manager = create_plugin_manager()
    registry = ServiceRegistry.load(manager)

    assert len(registry) == 23
    assert registry.plugin_of(CODE) == PLUGIN
    assert [t.code for t in registry if registry.plugin_of(t.code) == PLUGIN] == [CODE]
    for code in SERVICE_CODES:
        assert registry.plugin_of(code) == f"plugins.builtin.{code}"
    assert [t.code for t in registry][-1] == CODE  # entry points load after the built-ins

    infos = {info.name: info for info in describe(manager)}
    assert infos[PLUGIN].version == "0.1.0"
    assert not infos[PLUGIN].builtin
    assert infos[PLUGIN].hooks == ("order_status_changed", "register_service_types")
    assert sum(info.builtin for info in infos.values()) == 22
    assert sum(n for (name, _), n in guard.failures.items() if name == PLUGIN) == failures_before


def test_the_allow_list_can_leave_the_plugin_out(
    installed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WUYOU_LOAD_PLUGINS", ",".join(BUILTIN_PLUGINS))
    registry = ServiceRegistry.load(create_plugin_manager())
    assert len(registry) == 22 and registry.get(CODE) is None


def test_the_registered_type_is_what_the_catalogue_says(lpg: ServiceType) -> None:
    assert (lpg.name, lpg.brand, lpg.provider_kind.value) == (
        "液化气配送",
        "无忧生活",
        "COMMERCIAL",
    )
    required = {q.code for q in lpg.qualifications if q.required}
    assert required == {"gas_business_licence"}
    assert lpg.dispatch.mode.value == "SEQUENTIAL"
    assert lpg.dispatch.accept_timeout == timedelta(minutes=5)
    assert [f.code for f in lpg.fields] == [
        "customerType",
        "cylinderSize",
        "count",
        "exchangeEmpty",
        "deliveryTime",
        "floor",
        "hasLift",
        "note",
    ]


# The form, its cross-field check, and the price


def test_the_example_form_is_valid(lpg: ServiceType) -> None:
    assert lpg.example is not None
    values = clean_form(lpg.fields, lpg.example(clock.now()))
    assert lpg.cross_check(values) == []
    assert values["cylinderSize"] == "KG15" and values["count"] == 1


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        pytest.param({"count": 5}, {("form.count", "OUT_OF_RANGE")}, id="count-above-4"),
        pytest.param({"count": 1.5}, {("form.count", "INVALID")}, id="count-fraction"),
        pytest.param({"floor": 34}, {("form.floor", "OUT_OF_RANGE")}, id="floor-above-33"),
        pytest.param({"floor": 0}, {("form.floor", "OUT_OF_RANGE")}, id="floor-below-1"),
        pytest.param(
            {"cylinderSize": "KG20"}, {("form.cylinderSize", "INVALID_CHOICE")}, id="size"
        ),
        pytest.param({"exchangeEmpty": "yes"}, {("form.exchangeEmpty", "INVALID")}, id="bool"),
        pytest.param({"exchangeEmpty": None}, {("form.exchangeEmpty", "REQUIRED")}, id="missing"),
        pytest.param({"note": "楼" * 201}, {("form.note", "TOO_LONG")}, id="note-too-long"),
        pytest.param({"cylinder": "KG15"}, {("form.cylinder", "UNKNOWN_FIELD")}, id="unknown"),
    ],
)
def test_each_field_is_checked(
    lpg: ServiceType, changes: dict[str, Any], expected: set[tuple[str, str]]
) -> None:
    assert all_problems(lpg, example(lpg, **changes)) == expected


@pytest.mark.parametrize(
    ("offset", "expected"),
    [
        pytest.param(timedelta(hours=-1), {("form.deliveryTime", "OUT_OF_RANGE")}, id="past"),
        pytest.param(timedelta(days=8), {("form.deliveryTime", "OUT_OF_RANGE")}, id="too-far"),
        pytest.param(timedelta(days=6), set(), id="within-a-week"),
    ],
)
def test_the_delivery_time_is_within_the_coming_week(
    lpg: ServiceType, offset: timedelta, expected: set[tuple[str, str]]
) -> None:
    when = (clock.now() + offset).isoformat()
    assert all_problems(lpg, example(lpg, deliveryTime=when)) == expected


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        pytest.param(
            {"cylinderSize": "KG50", "floor": 1},
            {("form.cylinderSize", "INVALID_CHOICE")},
            id="50kg-household",
        ),
        pytest.param(
            {"customerType": "BUSINESS", "cylinderSize": "KG50", "floor": 2},
            {("form.floor", "OUT_OF_RANGE")},
            id="50kg-upstairs-without-lift",
        ),
        pytest.param(
            {"customerType": "BUSINESS", "cylinderSize": "KG50", "floor": 2, "hasLift": True},
            set(),
            id="50kg-upstairs-by-lift",
        ),
        pytest.param(
            {"customerType": "BUSINESS", "cylinderSize": "KG50", "floor": 1},
            set(),
            id="50kg-ground-floor",
        ),
        pytest.param({"count": 3}, {("form.count", "OUT_OF_RANGE")}, id="household-3"),
        pytest.param({"customerType": "BUSINESS", "count": 4}, set(), id="business-4"),
    ],
)
def test_the_cross_field_rules(
    lpg: ServiceType, changes: dict[str, Any], expected: set[tuple[str, str]]
) -> None:
    assert all_problems(lpg, example(lpg, **changes)) == expected


def test_the_example_costs_one_15kg_cylinder_and_two_floors_of_stairs(lpg: ServiceType) -> None:
    priced = quote(lpg, example(lpg))
    assert priced.amount == Decimal("119.00")
    assert [line.amount for line in priced.lines] == [Decimal("115.00"), Decimal("4.00")]
    assert lpg.pricing.kind.value == "PER_UNIT"


@pytest.mark.parametrize(
    ("changes", "amount"),
    [
        pytest.param({"cylinderSize": "KG5", "count": 2, "floor": 3}, "90.00", id="3rd-floor"),
        pytest.param({"count": 2, "floor": 6, "hasLift": True}, "230.00", id="lift"),
        pytest.param({"count": 2, "floor": 33}, "350.00", id="33rd-floor-stairs"),
        pytest.param({"exchangeEmpty": False}, "269.00", id="deposit"),
        pytest.param(
            {"customerType": "BUSINESS", "cylinderSize": "KG50", "count": 2, "floor": 1},
            "720.00",
            id="50kg",
        ),
    ],
)
def test_the_price(lpg: ServiceType, changes: dict[str, Any], amount: str) -> None:
    assert quote(lpg, example(lpg, **changes)).amount == Decimal(amount)


# Ranking and the broadcast hook


def _candidate(merchant_id: int, km: float, load: int = 0, *specialties: str) -> Candidate:
    return Candidate(
        merchant_id=merchant_id,
        name=f"供应站{merchant_id}",
        distance_km=km,
        rating=None,
        load=load,
        capacity=4,
        specialties=frozenset(specialties),
    )


def test_ranking_is_nearest_first_with_50kg_stockists_ahead(lpg: ServiceType) -> None:
    pool = [
        _candidate(1, 2.4),
        _candidate(2, 0.8),
        _candidate(3, 0.6, 3),  # as near as 2 (same half kilometre), but busier
        _candidate(4, 3.1, 0, "KG50"),
    ]
    values = clean_form(lpg.fields, example(lpg))
    assert [c.merchant_id for c in lpg.rank(pool, values)] == [2, 3, 1, 4]
    commercial = clean_form(
        lpg.fields, example(lpg, customerType="BUSINESS", cylinderSize="KG50", floor=1)
    )
    assert [c.merchant_id for c in lpg.rank(pool, commercial)] == [4, 2, 3, 1]


def _order(status: str, service_type: str = CODE, **form: Any) -> OrderInfo:
    return OrderInfo(
        number="FW20260101000001",
        service_type=service_type,
        status=status,
        grid_code="150302001001-G01",
        form={"cylinderSize": "KG15", "count": 1, "exchangeEmpty": True, "floor": 5, **form},
        quoted_amount=Decimal("119.00"),
        final_amount=None,
        merchant_id=7,
        placed_at=clock.now(),
        urgent=False,
    )


def test_accepting_an_order_logs_safety_reminders(
    installed: Path, caplog: pytest.LogCaptureFixture
) -> None:
    manager = create_plugin_manager()
    caplog.set_level(logging.INFO, logger=PLUGIN_LOGGER)
    hook = manager.hook.order_status_changed
    hook(order=_order("ACCEPTED"), previous="DISPATCHING", actor="shop")
    reminders = [r.getMessage() for r in caplog.records if r.name == PLUGIN_LOGGER]
    assert len(reminders) == 4  # always two; the empty cylinder; the stairs
    assert all("FW20260101000001" in message for message in reminders)

    caplog.clear()
    hook(order=_order("IN_SERVICE"), previous="ACCEPTED", actor="shop")
    hook(
        order=_order("ACCEPTED", service_type="water_delivery"), previous="DISPATCHING", actor=None
    )
    assert [r for r in caplog.records if r.name == PLUGIN_LOGGER] == []


# Through the platform: the GraphQL API and the dispatch engine


def test_the_api_lists_the_plugin_type(installed: Path, client: TestClient) -> None:
    listed = data(client, "{ serviceTypes { code plugin } }")["serviceTypes"]
    plugins = {row["code"]: row["plugin"] for row in listed}
    assert len(plugins) == 23 and plugins[CODE] == PLUGIN

    one = data(
        client,
        """{ serviceType(code: "lpg_delivery") { brand providerKind fields { code }
             pricing { kind } dispatch { mode k acceptTimeoutSeconds } exampleForm } }""",
    )["serviceType"]
    assert [f["code"] for f in one["fields"]][:3] == ["customerType", "cylinderSize", "count"]
    assert one["dispatch"] == {"mode": "SEQUENTIAL", "k": 1, "acceptTimeoutSeconds": 300}
    assert one["pricing"] == {"kind": "PER_UNIT"}
    assert one["exampleForm"]["cylinderSize"] == "KG15"


def test_the_api_hides_the_type_when_the_allow_list_leaves_it_out(
    installed: Path, monkeypatch: pytest.MonkeyPatch, client: TestClient
) -> None:
    monkeypatch.setenv("WUYOU_LOAD_PLUGINS", ",".join(BUILTIN_PLUGINS))
    plugin_manager.cache_clear()
    service_registry.cache_clear()
    listed = data(client, "{ serviceTypes { code } }")["serviceTypes"]
    assert len(listed) == 22 and CODE not in {row["code"] for row in listed}
    assert data(client, '{ serviceType(code: "lpg_delivery") { code } }')["serviceType"] is None


PLACE_ORDER = """
mutation($form: JSON!, $lat: Float!, $lng: Float!) {
  placeOrder(input: {serviceType: "lpg_delivery", form: $form, location: {lat: $lat, lng: $lng},
                     address: "海勃湾区滨河小区 3 号楼 2 单元", contactName: "李四",
                     contactPhone: "13812341234"}) {
    order { status quote { amount lines { amount } } serviceType { plugin } }
    errors { field code }
  }
}
"""


def test_citizens_order_it_over_the_api(installed: Path, client: TestClient) -> None:
    token = login(client, "demo-citizen")
    grid = in_app(client, fresh_grid)
    where = {"lat": grid.lat, "lng": grid.lng}
    lpg = service_registry().get(CODE)
    assert lpg is not None
    refused = data(
        client, PLACE_ORDER, {"form": example(lpg, cylinderSize="KG50"), **where}, token=token
    )["placeOrder"]
    assert refused == {  # every problem at once: a household, and 50 kg up five flights
        "order": None,
        "errors": [
            {"field": "form.cylinderSize", "code": "INVALID_CHOICE"},
            {"field": "form.floor", "code": "OUT_OF_RANGE"},
        ],
    }

    placed = data(client, PLACE_ORDER, {"form": example(lpg), **where}, token=token)["placeOrder"]
    assert placed["errors"] == []
    order = placed["order"]
    assert order["quote"] == {
        "amount": "119.00",
        "lines": [{"amount": "115.00"}, {"amount": "4.00"}],
    }
    assert order["serviceType"] == {"plugin": PLUGIN}
    assert order["status"] == "NO_PROVIDER"  # nobody in a fresh grid delivers gas


@pytest.mark.usefixtures("connected")
async def test_dispatch_ranks_with_the_plugin_and_acceptance_calls_its_hook(
    installed: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger=PLUGIN_LOGGER)
    grid = await fresh_grid()
    near = await provider(grid, [CODE], offset_km=0.2)
    stockist = await provider(grid, [CODE], offset_km=1.5, specialties=["KG50"])
    lpg = service_registry().get(CODE)
    assert lpg is not None
    form = example(lpg, customerType="BUSINESS", cylinderSize="KG50", floor=1, count=2)
    order = await place(grid, CODE, await citizen(), form)
    assert order.status is OrderStatus.DISPATCHING
    assert order.quoted_amount == Decimal("720.00")

    (offer,) = (await offers_of_orders([order.id]))[order.id]
    assert offer.merchant_id == stockist.id  # stocks 50 kg cylinders, though farther
    accepted = await dispatch.accept_offer(offer_id=offer.id, actor=stockist.staff)
    assert accepted.status is OrderStatus.ACCEPTED

    logged = [r.getMessage() for r in caplog.records if r.name == PLUGIN_LOGGER]
    assert logged and all(order.number in message for message in logged)
    assert any("50 公斤" in message for message in logged)

    household = await place(grid, CODE, await citizen(), example(lpg))
    (offer,) = (await offers_of_orders([household.id]))[household.id]
    assert offer.merchant_id == near.id  # 15 kg: simply the nearest station


def test_the_example_package_declares_the_entry_point() -> None:
    """The dist-info the tests write matches what the example's pyproject declares."""
    project = tomllib.loads((EXAMPLE / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["entry-points"]["wuyou"] == {PLUGIN: MODULE}
    assert project["version"] == "0.1.0" and project["name"] == "wuyou-lpg-delivery"
    assert "wuyou" in project["dependencies"]
