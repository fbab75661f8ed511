"""家电维修 (appliance repair): air conditioners, fridges, washers, water heaters and TVs."""

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
    OnSiteQuote,
    ProviderKind,
    ServiceType,
    hookimpl,
)

SERVICE_TYPE = ServiceType(
    code="appliance_repair",
    name="家电维修",
    name_en="Appliance repair",
    brand="无忧生活",
    description="上门检测维修常见家电，检测后报价，同意维修则免检测费，更换配件保修 90 天。",
    fields=(
        FormField(
            "appliance",
            "家电类型",
            FieldType.SINGLE_CHOICE,
            label_en="Appliance",
            choices=(
                Choice("AIR_CONDITIONER", "空调", "Air conditioner"),
                Choice("FRIDGE", "冰箱", "Fridge"),
                Choice("WASHER", "洗衣机", "Washing machine"),
                Choice("WATER_HEATER", "热水器", "Water heater"),
                Choice("TV", "电视", "TV"),
            ),
        ),
        FormField(
            "brand",
            "品牌型号",
            FieldType.STRING,
            required=False,
            label_en="Brand and model",
            help="见机身铭牌，便于师傅带配件。",
            max_length=50,
        ),
        FormField(
            "fault",
            "故障描述",
            FieldType.TEXT,
            label_en="Fault",
            help="如不制冷、漏水、不通电、显示的故障代码。",
            minimum=2,
            max_length=500,
        ),
        FormField(
            "preferredTime",
            "期望上门时间",
            FieldType.DATETIME,
            label_en="Preferred time",
            future=True,
            max_days_ahead=14,
        ),
    ),
    pricing=OnSiteQuote(
        "师傅上门检测后报价，配件和工时费另计；不修只收检测费", callout_fee=Decimal("30")
    ),
    provider_kind=ProviderKind.COMMERCIAL,
    dispatch=Dispatch(DispatchMode.SEQUENTIAL, accept_timeout=timedelta(minutes=10)),
    example=lambda now: {
        "appliance": "AIR_CONDITIONER",
        "brand": "格力 KFR-35GW",
        "fault": "开机后不制冷，外机不转",
        "preferredTime": (now + timedelta(days=1)).isoformat(),
    },
)


@hookimpl
def register_service_types(register: Callable[[ServiceType], None]) -> None:
    register(SERVICE_TYPE)
