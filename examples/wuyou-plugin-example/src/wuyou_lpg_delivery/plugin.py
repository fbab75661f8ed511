"""液化气配送 (LPG cylinder delivery): a licensed supply station brings full cylinders.

The plugin the ``wuyou`` entry point ``lpg_delivery`` names. It implements two hooks:

* ``register_service_types``: contributes the ``lpg_delivery`` service type (form,
  cross-field check, pricing, dispatch and ranking);
* ``order_status_changed``: a broadcast hook; when one of its orders is accepted, it
  logs the safety reminders the delivery worker must follow.

Everything it needs comes from the public face, ``from wuyou import ...``.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from wuyou import (
    Candidate,
    Choice,
    Dispatch,
    DispatchMode,
    ErrorCode,
    FieldType,
    FormField,
    OrderInfo,
    Pricing,
    PricingKind,
    Problem,
    ProviderKind,
    Qualification,
    Quote,
    QuoteLine,
    QuoteRequest,
    ServiceType,
    hookimpl,
    yuan,
)

log = logging.getLogger(__name__)

CODE = "lpg_delivery"

#: Cylinder sizes: choice code → (label, kilograms).
SIZES: dict[str, tuple[str, int]] = {
    "KG5": ("5 公斤（小瓶）", 5),
    "KG15": ("15 公斤（民用）", 15),
    "KG50": ("50 公斤（商用）", 50),
}

#: Cylinders a household may order at once: one in use and one spare.
HOUSEHOLD_MAX_CYLINDERS = 2

#: Merchant specialty of a station that stocks 50 kg commercial cylinders.
STOCKS_50KG = "KG50"


@dataclass(frozen=True)
class CylinderPricing(Pricing):
    """A price per cylinder by size, a deposit per cylinder not exchanged, and stairs.

    Carrying cylinders up the stairs costs ``stair_per_floor`` per cylinder for each
    floor above ``free_floors`` when the building has no lift. A citizen without an
    empty cylinder to hand back pays a refundable deposit for each new one.
    """

    prices: Mapping[str, Decimal] = field(default_factory=dict)
    deposits: Mapping[str, Decimal] = field(default_factory=dict)
    stair_per_floor: Decimal = Decimal(0)
    free_floors: int = 3
    kind = PricingKind.PER_UNIT

    def quote(self, request: QuoteRequest) -> Quote:
        """Cylinders, deposits (if not exchanging) and the stair surcharge (if any)."""
        form = request.form
        size: str = form["cylinderSize"]
        count: int = form["count"]
        label = SIZES[size][0]
        lines = [
            QuoteLine(f"{label} {self.prices[size]} 元/瓶 × {count}", self.prices[size] * count)
        ]
        if not form.get("exchangeEmpty", False):
            deposit = self.deposits[size]
            lines.append(
                QuoteLine(f"钢瓶押金 {deposit} 元/瓶 × {count}（退瓶时退还）", deposit * count)
            )
        floors = stair_floors(form, self.free_floors)
        if floors:
            lines.append(
                QuoteLine(
                    f"无电梯搬运 {floors} 层 × {self.stair_per_floor} 元/层 × {count} 瓶",
                    self.stair_per_floor * floors * count,
                )
            )
        lines = [QuoteLine(line.label, yuan(line.amount)) for line in lines]
        return Quote(amount=yuan(sum(line.amount for line in lines)), lines=tuple(lines))


def stair_floors(form: Mapping[str, Any], free_floors: int = 3) -> int:
    """Floors a cylinder is carried up by hand beyond the ``free_floors`` (0 with a lift)."""
    if form.get("hasLift", False):
        return 0
    return max(0, int(form["floor"]) - free_floors)


def check(values: Mapping[str, Any]) -> Iterator[Problem]:
    """Rules across fields, run once every field is valid on its own.

    * 50 kg cylinders are for businesses (restaurants, canteens) only;
    * a 50 kg cylinder (about 90 kg full) goes above the ground floor only by lift;
    * a household keeps at most one cylinder in use and one spare.
    """
    business = values["customerType"] == "BUSINESS"
    if values["cylinderSize"] == "KG50":
        if not business:
            yield Problem(
                "cylinderSize",
                ErrorCode.INVALID_CHOICE,
                "50 公斤气瓶仅供餐饮等经营场所使用，居民用户请选 5 或 15 公斤。",
            )
        if values["floor"] > 1 and not values.get("hasLift", False):
            yield Problem("floor", ErrorCode.OUT_OF_RANGE, "50 公斤气瓶没有电梯只能送到一楼。")
    if not business and values["count"] > HOUSEHOLD_MAX_CYLINDERS:
        yield Problem(
            "count",
            ErrorCode.OUT_OF_RANGE,
            f"居民用户每次最多 {HOUSEHOLD_MAX_CYLINDERS} 瓶（一瓶在用、一瓶备用）。",
        )


def rank(candidates: Sequence[Candidate], form: Mapping[str, Any]) -> list[Candidate]:
    """Nearest station first: cylinders are heavy and the trip is most of the work.

    For 50 kg cylinders, stations that stock them (specialty ``KG50``) come before
    those that don't. Stations within the same half kilometre are taken least busy
    first, since a free delivery worker comes sooner.
    """
    wants_50kg = form.get("cylinderSize") == "KG50"

    def key(c: Candidate) -> tuple[bool, int, float, float, int]:
        lacks_stock = wants_50kg and STOCKS_50KG not in c.specialties
        busy = c.load / c.capacity if c.capacity else 1.0
        return (lacks_stock, math.floor(c.distance_km / 0.5), busy, c.distance_km, c.merchant_id)

    return sorted(candidates, key=key)


def example(now: datetime) -> dict[str, Any]:
    """A valid order form for an order placed at ``now``: one 15 kg cylinder, 5th floor."""
    return {
        "customerType": "HOUSEHOLD",
        "cylinderSize": "KG15",
        "count": 1,
        "exchangeEmpty": True,
        "deliveryTime": (now + timedelta(hours=2)).isoformat(),
        "floor": 5,
        "hasLift": False,
    }


SERVICE_TYPE = ServiceType(
    code=CODE,
    name="液化气配送",
    name_en="LPG cylinder delivery",
    brand="无忧生活",
    description=(
        "持燃气经营许可证的供应站送液化气钢瓶上门，以空换满、当面安装检漏。"
        "5 公斤 45 元、15 公斤 115 元、50 公斤（商用）360 元；无电梯 4 楼起每层每瓶加收 2 元。"
    ),
    fields=(
        FormField(
            "customerType",
            "用户类型",
            FieldType.SINGLE_CHOICE,
            label_en="Customer",
            choices=(
                Choice("HOUSEHOLD", "居民家庭", "Household"),
                Choice("BUSINESS", "餐饮等经营场所", "Restaurant or other business"),
            ),
        ),
        FormField(
            "cylinderSize",
            "钢瓶规格",
            FieldType.SINGLE_CHOICE,
            label_en="Cylinder size",
            help="50 公斤气瓶仅供经营场所使用。",
            choices=tuple(Choice(code, label, f"{kg} kg") for code, (label, kg) in SIZES.items()),
        ),
        FormField(
            "count",
            "瓶数",
            FieldType.NUMBER,
            label_en="Cylinders",
            help=f"居民用户最多 {HOUSEHOLD_MAX_CYLINDERS} 瓶。",
            minimum=1,
            maximum=4,
            integer=True,
            unit="瓶",
        ),
        FormField(
            "exchangeEmpty",
            "有空瓶换",
            FieldType.BOOLEAN,
            label_en="Empty cylinder to exchange",
            help="没有空瓶的，每瓶收取钢瓶押金，退瓶时退还。",
        ),
        FormField(
            "deliveryTime",
            "送达时间",
            FieldType.DATETIME,
            required=False,
            label_en="Delivery time",
            help="不填则尽快送达（营业时间内约 1 小时）。",
            future=True,
            max_days_ahead=7,
        ),
        FormField(
            "floor",
            "楼层",
            FieldType.NUMBER,
            label_en="Floor",
            minimum=1,
            maximum=33,
            integer=True,
            unit="层",
        ),
        FormField(
            "hasLift",
            "有电梯",
            FieldType.BOOLEAN,
            required=False,
            label_en="Lift",
            help="没有电梯的，4 楼起每层每瓶加收 2 元搬运费。",
        ),
        FormField(
            "note",
            "备注",
            FieldType.TEXT,
            required=False,
            label_en="Note",
            help="如单元门禁、气瓶放置位置。",
            max_length=200,
        ),
    ),
    pricing=CylinderPricing(
        "按瓶计价，含送气上门、安装和检漏",
        prices={"KG5": Decimal("45"), "KG15": Decimal("115"), "KG50": Decimal("360")},
        deposits={"KG5": Decimal("100"), "KG15": Decimal("150"), "KG50": Decimal("400")},
        stair_per_floor=Decimal("2"),
        free_floors=3,
    ),
    provider_kind=ProviderKind.COMMERCIAL,
    qualifications=(
        Qualification("gas_business_licence", "燃气经营许可证"),
        Qualification("lpg_delivery_worker", "瓶装燃气送气工培训合格证", required=False),
    ),
    dispatch=Dispatch(DispatchMode.SEQUENTIAL, accept_timeout=timedelta(minutes=5)),
    check=check,
    rank=rank,
    example=example,
)


def safety_reminders(form: Mapping[str, Any]) -> list[str]:
    """What the delivery worker must mind for an order with this (JSON) form."""
    reminders = [
        "只配送检验合格且在检验有效期内的钢瓶，上门出示送气工证件。",
        "安装后用肥皂水检查接口和角阀，严禁用明火检漏。",
    ]
    if form.get("exchangeEmpty"):
        reminders.append("回收空瓶前关紧角阀，严禁倾倒残液。")
    if form.get("cylinderSize") == "KG50":
        reminders.append("50 公斤气瓶须放在通风的专用气瓶间，确认已装燃气泄漏报警和紧急切断装置。")
    if "floor" in form and stair_floors(form):
        reminders.append("无电梯搬运上楼，严禁滚动、摔砸气瓶，注意楼道通行安全。")
    return reminders


@hookimpl
def register_service_types(register: Callable[[ServiceType], None]) -> None:
    """Contribute the ``lpg_delivery`` service type."""
    register(SERVICE_TYPE)


@hookimpl
def order_status_changed(order: OrderInfo, previous: str, actor: str | None) -> None:
    """Log the safety reminders when a station accepts one of this plugin's orders.

    A broadcast hook: it is called for every order of every type, so it looks only at
    its own. ``order.form`` holds no personal data, and the hook must be quick.
    """
    if order.service_type != CODE or order.status != "ACCEPTED":
        return
    for reminder in safety_reminders(order.form):
        log.info(
            "订单 %s 已由服务商 %s 接单，安全提示：%s", order.number, order.merchant_id, reminder
        )
