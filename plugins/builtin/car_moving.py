"""挪车 (car moving): a car blocks the way; a nearby helper reaches its owner and moves it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from wuyou import (
    Choice,
    Dispatch,
    DispatchMode,
    FieldType,
    FormField,
    Free,
    ProviderKind,
    Qualification,
    ServiceType,
    hookimpl,
    rank_nearest,
)

SERVICE_TYPE = ServiceType(
    code="car_moving",
    name="挪车",
    name_en="Car moving",
    brand="无忧生活",
    description="车辆被堵、占用消防通道或车位时，联系车主挪车。",
    fields=(
        FormField("plate", "车牌号", FieldType.PLATE, label_en="Plate number"),
        FormField(
            "reason",
            "挪车原因",
            FieldType.SINGLE_CHOICE,
            label_en="Reason",
            choices=(
                Choice("BLOCKING_EXIT", "堵住出口", "Blocking an exit"),
                Choice("FIRE_LANE", "占用消防通道", "In a fire lane"),
                Choice("MY_SPACE", "占用我的车位", "In my parking space"),
                Choice("BLOCKING_ROAD", "占道影响通行", "Blocking the road"),
                Choice("OTHER", "其他", "Other"),
            ),
        ),
        FormField("note", "补充说明", FieldType.TEXT, required=False, max_length=200),
    ),
    pricing=Free("挪车服务免费"),
    provider_kind=ProviderKind.COMMERCIAL,
    qualifications=(Qualification("parking_service", "停车管理或交通协管服务资质"),),
    dispatch=Dispatch(DispatchMode.BROADCAST, k=3, accept_timeout=timedelta(seconds=60)),
    rank=rank_nearest,
    example=lambda now: {"plate": "蒙L·12345", "reason": "BLOCKING_EXIT"},
)


@hookimpl
def register_service_types(register: Callable[[ServiceType], None]) -> None:
    register(SERVICE_TYPE)
