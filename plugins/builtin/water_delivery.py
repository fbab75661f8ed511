"""桶装水配送 (water delivery): the nearest water station brings 18.9 L buckets to the door."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

from wuyou import (
    Choice,
    Dispatch,
    DispatchMode,
    FieldType,
    FormField,
    PerUnit,
    ProviderKind,
    Qualification,
    ServiceType,
    hookimpl,
    rank_nearest,
)

SERVICE_TYPE = ServiceType(
    code="water_delivery",
    name="桶装水配送",
    name_en="Bottled water delivery",
    brand="无忧生活",
    description="就近水站送桶装水（18.9 升）上门，每桶 18 元，送水上楼，回收空桶。",
    fields=(
        FormField(
            "waterType",
            "水种",
            FieldType.SINGLE_CHOICE,
            label_en="Water",
            choices=(
                Choice("PURIFIED", "纯净水", "Purified water"),
                Choice("MINERAL", "矿泉水", "Mineral water"),
                Choice("MOUNTAIN_SPRING", "山泉水", "Mountain spring water"),
            ),
        ),
        FormField(
            "brand",
            "品牌",
            FieldType.STRING,
            required=False,
            label_en="Brand",
            help="不填则由水站配送该水种的常规品牌。",
            max_length=30,
        ),
        FormField(
            "buckets",
            "桶数",
            FieldType.NUMBER,
            label_en="Buckets",
            minimum=1,
            maximum=10,
            integer=True,
            unit="桶",
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
            "returnEmpty",
            "有空桶退回",
            FieldType.BOOLEAN,
            required=False,
            label_en="Empty buckets to return",
            help="首次订水无空桶的，水站收取空桶押金。",
        ),
    ),
    pricing=PerUnit(
        "每桶 18 元，送货上门", unit_price=Decimal("18"), unit="桶", quantity_field="buckets"
    ),
    provider_kind=ProviderKind.COMMERCIAL,
    qualifications=(Qualification("food_business_licence", "食品经营许可证"),),
    dispatch=Dispatch(DispatchMode.BROADCAST, k=3, accept_timeout=timedelta(minutes=5)),
    rank=rank_nearest,
    example=lambda now: {
        "waterType": "MINERAL",
        "buckets": 2,
        "deliveryTime": (now + timedelta(hours=3)).isoformat(),
        "returnEmpty": True,
    },
)


@hookimpl
def register_service_types(register: Callable[[ServiceType], None]) -> None:
    register(SERVICE_TYPE)
