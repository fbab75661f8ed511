"""家电清洗 (appliance cleaning): range hoods, air conditioners and washers, priced per item."""

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
    ServiceType,
    hookimpl,
)

APPLIANCES = (
    Choice("RANGE_HOOD", "油烟机", "Range hood"),
    Choice("AC_WALL", "挂式空调", "Wall-mounted air conditioner"),
    Choice("AC_CABINET", "柜式空调", "Floor-standing air conditioner"),
    Choice("WASHER", "洗衣机", "Washing machine"),
    Choice("FRIDGE", "冰箱", "Fridge"),
)

SERVICE_TYPE = ServiceType(
    code="appliance_cleaning",
    name="家电清洗",
    name_en="Appliance cleaning",
    brand="无忧生活",
    description="拆洗油烟机、空调、洗衣机等家电，按件计价，高温蒸汽消毒。",
    fields=(
        FormField(
            "appliances",
            "清洗项目",
            FieldType.MULTI_CHOICE,
            label_en="Appliances",
            help="油烟机 120 元，挂式空调 80 元，柜式空调 120 元，洗衣机 90 元，冰箱 80 元。",
            choices=APPLIANCES,
            minimum=1,
        ),
        FormField(
            "date",
            "上门时间",
            FieldType.DATETIME,
            label_en="Date",
            future=True,
            max_days_ahead=30,
        ),
        FormField(
            "note",
            "补充说明",
            FieldType.TEXT,
            required=False,
            label_en="Note",
            help="同类家电有多台请在此注明，师傅按实际台数收费。",
            max_length=200,
        ),
    ),
    pricing=PerUnit(
        "按清洗项目计价",
        unit="台",
        quantity_field="appliances",
        per_choice={
            "RANGE_HOOD": Decimal("120"),
            "AC_WALL": Decimal("80"),
            "AC_CABINET": Decimal("120"),
            "WASHER": Decimal("90"),
            "FRIDGE": Decimal("80"),
        },
        labels={choice.code: choice.label for choice in APPLIANCES},
    ),
    provider_kind=ProviderKind.COMMERCIAL,
    dispatch=Dispatch(DispatchMode.SEQUENTIAL, accept_timeout=timedelta(minutes=10)),
    example=lambda now: {
        "appliances": ["RANGE_HOOD", "AC_WALL"],
        "date": (now + timedelta(days=2)).isoformat(),
    },
)


@hookimpl
def register_service_types(register: Callable[[ServiceType], None]) -> None:
    register(SERVICE_TYPE)
