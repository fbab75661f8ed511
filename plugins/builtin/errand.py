"""跑腿代办 (errand): a runner fetches or delivers something by a deadline."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

from wuyou import (
    Choice,
    Dispatch,
    DispatchMode,
    Distance,
    FieldType,
    FormField,
    ProviderKind,
    ServiceType,
    hookimpl,
    rank_nearest,
)

SERVICE_TYPE = ServiceType(
    code="errand",
    name="跑腿代办",
    name_en="Errands",
    brand="无忧生活",
    description="同城帮取帮送、代买代办，起步价 12 元（含 3 公里），超出部分每公里 2 元。",
    fields=(
        FormField(
            "errandType",
            "跑腿类型",
            FieldType.SINGLE_CHOICE,
            label_en="Errand",
            choices=(
                Choice("DELIVER", "帮送", "Deliver"),
                Choice("FETCH", "帮取", "Fetch"),
                Choice("BUY", "帮买", "Buy"),
                Choice("QUEUE", "代排队/代办", "Queue or run an errand"),
            ),
        ),
        FormField(
            "destination",
            "送达地址",
            FieldType.LOCATION,
            label_en="Destination",
            help="取件地址即下单地址。",
        ),
        FormField(
            "itemDescription",
            "物品或事项",
            FieldType.TEXT,
            label_en="Item or task",
            help="帮买请写清商品和预算，商品费用由您另付；禁止代送违禁品和贵重物品。",
            minimum=2,
            max_length=300,
        ),
        FormField(
            "deadline",
            "最晚送达时间",
            FieldType.DATETIME,
            label_en="Deadline",
            future=True,
            max_days_ahead=3,
        ),
        FormField(
            "recipientPhone",
            "收件人电话",
            FieldType.PHONE,
            required=False,
            label_en="Recipient's phone",
            help="不填则联系下单人。",
        ),
    ),
    pricing=Distance(
        "起步价 12 元（含 3 公里），超出部分每公里 2 元",
        base=Decimal("12"),
        per_km=Decimal("2"),
        included_km=Decimal("3"),
        to_field="destination",
    ),
    provider_kind=ProviderKind.COMMERCIAL,
    dispatch=Dispatch(DispatchMode.BROADCAST, k=5, accept_timeout=timedelta(minutes=2)),
    rank=rank_nearest,
    example=lambda now: {
        "errandType": "DELIVER",
        "destination": {"lat": 39.66, "lng": 106.81, "address": "海勃湾区人民路 50 号"},
        "itemDescription": "一份文件袋，送到单位门卫室",
        "deadline": (now + timedelta(hours=2)).isoformat(),
        "recipientPhone": "13904730000",
    },
)


@hookimpl
def register_service_types(register: Callable[[ServiceType], None]) -> None:
    register(SERVICE_TYPE)
