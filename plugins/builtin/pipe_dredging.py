"""管道疏通 (pipe dredging): a blocked sink, toilet or drain cleared at a fixed price."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

from wuyou import (
    Choice,
    Dispatch,
    DispatchMode,
    FieldType,
    Fixed,
    FormField,
    ProviderKind,
    ServiceType,
    hookimpl,
    rank_nearest,
)

SERVICE_TYPE = ServiceType(
    code="pipe_dredging",
    name="管道疏通",
    name_en="Pipe dredging",
    brand="无忧生活",
    description="疏通厨房、卫生间、马桶和主管道堵塞，一口价 80 元，加急 1 小时内上门另加 50 元。",
    fields=(
        FormField(
            "drain",
            "堵塞位置",
            FieldType.SINGLE_CHOICE,
            label_en="Where",
            choices=(
                Choice("KITCHEN", "厨房下水", "Kitchen drain"),
                Choice("BATHROOM", "卫生间地漏/洗手池", "Bathroom drain or basin"),
                Choice("TOILET", "马桶", "Toilet"),
                Choice("MAIN_DRAIN", "主管道", "Main drain"),
            ),
        ),
        FormField(
            "urgent",
            "加急（1 小时内上门）",
            FieldType.BOOLEAN,
            required=False,
            label_en="Urgent (within an hour)",
        ),
        FormField(
            "note",
            "补充说明",
            FieldType.TEXT,
            required=False,
            label_en="Note",
            help="如是否返水、堵了多久、是否自行用过疏通剂。",
            max_length=200,
        ),
    ),
    pricing=Fixed(
        "疏通一口价",
        amount=Decimal("80"),
        surcharges={"urgent": ("加急上门", Decimal("50"))},
    ),
    provider_kind=ProviderKind.COMMERCIAL,
    dispatch=Dispatch(DispatchMode.BROADCAST, k=3, accept_timeout=timedelta(minutes=3)),
    rank=rank_nearest,
    example=lambda now: {"drain": "KITCHEN", "urgent": True},
)


@hookimpl
def register_service_types(register: Callable[[ServiceType], None]) -> None:
    register(SERVICE_TYPE)
