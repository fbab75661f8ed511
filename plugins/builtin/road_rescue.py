"""道路救援 (road rescue): jump starts, tyre changes, fuel and towing for a broken-down vehicle."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import timedelta
from decimal import Decimal
from typing import Any

from wuyou import (
    Choice,
    Dispatch,
    DispatchMode,
    Distance,
    ErrorCode,
    FieldType,
    FormField,
    Problem,
    ProviderKind,
    Qualification,
    ServiceType,
    hookimpl,
    rank_nearest,
)


def check(values: Mapping[str, Any]) -> Iterator[Problem]:
    """A tow needs a destination; other faults are fixed on the spot and take none."""
    towing = values.get("fault") == "TOW"
    if towing and "towDestination" not in values:
        yield Problem("towDestination", ErrorCode.REQUIRED, "拖车救援需要填写拖车目的地。")
    if not towing and "towDestination" in values:
        yield Problem("towDestination", ErrorCode.INVALID, "只有拖车救援需要填写拖车目的地。")


SERVICE_TYPE = ServiceType(
    code="road_rescue",
    name="道路救援",
    name_en="Road rescue",
    brand="无忧生活",
    description="车辆故障、亏电、爆胎、缺油或陷车时，就近派救援车到场，必要时拖车到指定地点。",
    fields=(
        FormField(
            "vehicleType",
            "车辆类型",
            FieldType.SINGLE_CHOICE,
            label_en="Vehicle type",
            choices=(
                Choice("CAR", "小型轿车", "Car"),
                Choice("SUV", "SUV/越野车", "SUV"),
                Choice("VAN", "面包车/商务车", "Van"),
                Choice("LIGHT_TRUCK", "轻型货车", "Light truck"),
                Choice("MOTORCYCLE", "摩托车", "Motorcycle"),
            ),
        ),
        FormField(
            "fault",
            "故障类型",
            FieldType.SINGLE_CHOICE,
            label_en="Fault",
            choices=(
                Choice("JUMP_START", "搭电", "Jump start"),
                Choice("TYRE", "换胎/补胎", "Tyre change or repair"),
                Choice("TOW", "拖车", "Tow"),
                Choice("FUEL", "送油", "Fuel delivery"),
                Choice("STUCK", "陷车脱困", "Stuck vehicle"),
            ),
        ),
        FormField("plate", "车牌号", FieldType.PLATE, label_en="Plate number"),
        FormField(
            "towDestination",
            "拖车目的地",
            FieldType.LOCATION,
            required=False,
            label_en="Tow destination",
            help="拖车时必填，如修理厂或 4S 店；超出 5 公里按里程计费。",
        ),
        FormField(
            "note",
            "现场情况",
            FieldType.TEXT,
            required=False,
            label_en="Situation",
            help="如车辆所在车道、是否在高速或地下车库。",
            max_length=300,
        ),
    ),
    pricing=Distance(
        "起步价 150 元（含 5 公里），拖车超出部分每公里 8 元；配件、燃油按实际另付",
        base=Decimal("150"),
        per_km=Decimal("8"),
        included_km=Decimal("5"),
        to_field="towDestination",
    ),
    provider_kind=ProviderKind.COMMERCIAL,
    qualifications=(
        Qualification("road_rescue_licence", "道路救援经营资质"),
        Qualification("tow_truck", "清障/拖车车辆行驶证"),
    ),
    dispatch=Dispatch(DispatchMode.BROADCAST, k=5, accept_timeout=timedelta(seconds=60)),
    check=check,
    rank=rank_nearest,
    example=lambda now: {
        "vehicleType": "CAR",
        "fault": "TOW",
        "plate": "蒙L12345",
        "towDestination": {"lat": 39.75, "lng": 106.84, "address": "海勃湾区滨河汽修厂"},
    },
)


@hookimpl
def register_service_types(register: Callable[[ServiceType], None]) -> None:
    register(SERVICE_TYPE)
