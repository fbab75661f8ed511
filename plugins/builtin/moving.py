"""搬家 (moving): a crew and a van move a household from the order's address to another."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

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


def _floor(code: str, label: str, label_en: str) -> FormField:
    """The floor at one end of the move."""
    return FormField(
        code,
        label,
        FieldType.NUMBER,
        label_en=label_en,
        help="一楼填 1。",
        minimum=1,
        maximum=40,
        integer=True,
        unit="层",
    )


def _lift(code: str, label: str, label_en: str) -> FormField:
    """Whether the building at one end of the move has a lift."""
    return FormField(code, label, FieldType.BOOLEAN, label_en=label_en)


SERVICE_TYPE = ServiceType(
    code="moving",
    name="搬家",
    name_en="Moving",
    brand="无忧生活",
    description="居民搬家、单位搬迁，按物品多少、楼层和距离报价，搬家公司确认后出车。",
    fields=(
        FormField(
            "toAddress",
            "搬入地址",
            FieldType.LOCATION,
            label_en="Moving to",
            help="搬出地址即下单地址。",
        ),
        FormField(
            "date",
            "搬家时间",
            FieldType.DATETIME,
            label_en="Date",
            future=True,
            max_days_ahead=60,
        ),
        _floor("fromFloor", "搬出楼层", "Floor moving from"),
        _lift("fromLift", "搬出楼有电梯", "Lift where moving from"),
        _floor("toFloor", "搬入楼层", "Floor moving to"),
        _lift("toLift", "搬入楼有电梯", "Lift where moving to"),
        FormField(
            "volume",
            "物品多少",
            FieldType.SINGLE_CHOICE,
            label_en="Volume",
            choices=(
                Choice("FEW_ITEMS", "少量物品（小面包车）", "A few items (minivan)"),
                Choice("ONE_BEDROOM", "一居室（厢式货车）", "One bedroom (box van)"),
                Choice("TWO_BEDROOMS", "两居室（4.2 米货车）", "Two bedrooms (4.2 m truck)"),
                Choice("THREE_BEDROOMS_OR_MORE", "三居室及以上", "Three bedrooms or more"),
            ),
        ),
        FormField(
            "largeItems",
            "大件物品",
            FieldType.TEXT,
            required=False,
            label_en="Large items",
            help="如钢琴、大鱼缸、需拆装的衣柜。",
            max_length=300,
        ),
    ),
    pricing=OnSiteQuote("搬家公司按物品、楼层和距离报价，确认后出车；拆装大件另计"),
    provider_kind=ProviderKind.COMMERCIAL,
    dispatch=Dispatch(DispatchMode.SEQUENTIAL, accept_timeout=timedelta(minutes=15)),
    example=lambda now: {
        "toAddress": {"lat": 39.69, "lng": 106.84, "address": "海勃湾区黄河东街 12 号院 5 号楼"},
        "date": (now + timedelta(days=7)).isoformat(),
        "fromFloor": 4,
        "fromLift": False,
        "toFloor": 12,
        "toLift": True,
        "volume": "TWO_BEDROOMS",
    },
)


@hookimpl
def register_service_types(register: Callable[[ServiceType], None]) -> None:
    register(SERVICE_TYPE)
