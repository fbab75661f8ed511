"""家政服务 (housekeeping): a vetted cleaner comes to the citizen's home, paid by the hour."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import timedelta
from decimal import Decimal
from typing import Any

from wuyou import (
    Choice,
    Dispatch,
    DispatchMode,
    ErrorCode,
    FieldType,
    FormField,
    PerUnit,
    Problem,
    ProviderKind,
    Qualification,
    ServiceType,
    hookimpl,
    rank_by_rating,
)

#: Deep cleaning takes at least this many hours; shorter bookings cannot be done well.
DEEP_CLEANING_MIN_HOURS = 4


def check(values: Mapping[str, Any]) -> Iterator[Problem]:
    """Deep cleaning needs a longer booking."""
    deep = "DEEP_CLEANING" in values.get("tasks", ())
    if deep and values.get("hours", 0) < DEEP_CLEANING_MIN_HOURS:
        yield Problem(
            "hours",
            ErrorCode.OUT_OF_RANGE,
            f"深度保洁至少预约 {DEEP_CLEANING_MIN_HOURS} 小时。",
        )


SERVICE_TYPE = ServiceType(
    code="housekeeping",
    name="家政服务",
    name_en="Housekeeping",
    brand="无忧生活",
    description="持证家政人员上门保洁、擦窗、做饭，按小时计费。",
    fields=(
        FormField(
            "startTime",
            "上门时间",
            FieldType.DATETIME,
            label_en="Start time",
            future=True,
            max_days_ahead=30,
        ),
        FormField(
            "hours",
            "服务时长",
            FieldType.NUMBER,
            label_en="Hours",
            help=f"2–8 小时；深度保洁至少 {DEEP_CLEANING_MIN_HOURS} 小时。",
            minimum=2,
            maximum=8,
            integer=True,
            unit="小时",
        ),
        FormField(
            "tasks",
            "服务内容",
            FieldType.MULTI_CHOICE,
            label_en="Tasks",
            choices=(
                Choice("DAILY_CLEANING", "日常保洁", "Daily cleaning"),
                Choice("DEEP_CLEANING", "深度保洁", "Deep cleaning"),
                Choice("WINDOWS", "擦玻璃", "Window cleaning"),
                Choice("COOKING", "做饭", "Cooking"),
            ),
            minimum=1,
        ),
        FormField(
            "homeArea",
            "房屋面积",
            FieldType.NUMBER,
            required=False,
            label_en="Floor area",
            help="帮助阿姨估计用时。",
            minimum=10,
            maximum=1000,
            unit="平方米",
        ),
        FormField(
            "hasPets",
            "家里有宠物",
            FieldType.BOOLEAN,
            required=False,
            label_en="Pets at home",
        ),
        FormField(
            "note",
            "补充说明",
            FieldType.TEXT,
            required=False,
            label_en="Note",
            help="如清洁重点、自备清洁用品、门禁方式等。",
            max_length=300,
        ),
    ),
    pricing=PerUnit(
        "按服务时长计费，含清洁工具和普通清洁剂",
        unit_price=Decimal("45"),
        unit="小时",
        quantity_field="hours",
    ),
    provider_kind=ProviderKind.COMMERCIAL,
    qualifications=(
        Qualification("housekeeping_licence", "家政服务经营资质（营业执照含家政服务）"),
        Qualification("health_certificate", "从业人员健康证"),
    ),
    dispatch=Dispatch(DispatchMode.SEQUENTIAL, accept_timeout=timedelta(minutes=5)),
    check=check,
    rank=rank_by_rating,
    example=lambda now: {
        "startTime": (now + timedelta(days=1)).isoformat(),
        "hours": 3,
        "tasks": ["DAILY_CLEANING", "WINDOWS"],
        "homeArea": 90,
        "hasPets": False,
    },
)


@hookimpl
def register_service_types(register: Callable[[ServiceType], None]) -> None:
    register(SERVICE_TYPE)
