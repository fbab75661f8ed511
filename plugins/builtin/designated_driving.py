"""车辆代驾 (designated driving): an experienced driver takes the citizen's car and them home."""

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
    Qualification,
    ServiceType,
    hookimpl,
    rank_nearest,
)

SERVICE_TYPE = ServiceType(
    code="designated_driving",
    name="车辆代驾",
    name_en="Designated driving",
    brand="无忧生活",
    description="酒后或疲劳时，由驾龄 3 年以上的代驾司机驾驶您的车辆送您到目的地。",
    fields=(
        FormField(
            "destination",
            "目的地",
            FieldType.LOCATION,
            label_en="Destination",
            help="出发地即下单地址。",
        ),
        FormField(
            "pickupTime",
            "出发时间",
            FieldType.DATETIME,
            required=False,
            label_en="Pickup time",
            help="不填则尽快派司机（约 10 分钟到达）。",
            future=True,
            max_days_ahead=7,
        ),
        FormField("plate", "车牌号", FieldType.PLATE, label_en="Plate number"),
        FormField(
            "transmission",
            "变速箱",
            FieldType.SINGLE_CHOICE,
            label_en="Transmission",
            choices=(
                Choice("AUTOMATIC", "自动挡", "Automatic"),
                Choice("MANUAL", "手动挡", "Manual"),
            ),
        ),
        FormField(
            "note",
            "补充说明",
            FieldType.TEXT,
            required=False,
            label_en="Note",
            help="如车型、上车位置的具体描述。",
            max_length=200,
        ),
    ),
    pricing=Distance(
        "起步价 39 元（含 5 公里），超出部分每公里 4 元",
        base=Decimal("39"),
        per_km=Decimal("4"),
        included_km=Decimal("5"),
        to_field="destination",
    ),
    provider_kind=ProviderKind.COMMERCIAL,
    qualifications=(
        Qualification("designated_driving_licence", "代驾服务经营资质"),
        Qualification("driver_experience", "代驾司机驾龄 3 年以上的机动车驾驶证"),
    ),
    dispatch=Dispatch(DispatchMode.BROADCAST, k=5, accept_timeout=timedelta(seconds=60)),
    rank=rank_nearest,
    example=lambda now: {
        "destination": {"lat": 39.72, "lng": 106.86, "address": "海勃湾区新华大街 88 号"},
        "pickupTime": (now + timedelta(minutes=30)).isoformat(),
        "plate": "蒙LD12345",
        "transmission": "AUTOMATIC",
    },
)


@hookimpl
def register_service_types(register: Callable[[ServiceType], None]) -> None:
    register(SERVICE_TYPE)
