"""废旧回收 (recycling): a recycler collects old appliances, furniture, paper and metal and pays."""

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
    ProviderKind,
    Qualification,
    Recycling,
    ServiceType,
    hookimpl,
)

SERVICE_TYPE = ServiceType(
    code="recycling",
    name="废旧回收",
    name_en="Recycling collection",
    brand="无忧生活",
    description="上门回收旧家电、旧家具、纸箱和废金属，现场称重付款；10 公斤起收。",
    fields=(
        FormField(
            "items",
            "回收物品",
            FieldType.MULTI_CHOICE,
            label_en="Items",
            choices=(
                Choice("APPLIANCES", "旧家电", "Old appliances"),
                Choice("FURNITURE", "旧家具", "Old furniture"),
                Choice("PAPER", "纸箱/书报", "Paper and cardboard"),
                Choice("METAL", "废金属", "Scrap metal"),
                Choice("CLOTHES", "旧衣物", "Old clothes"),
            ),
            minimum=1,
        ),
        FormField(
            "weight",
            "估计重量",
            FieldType.NUMBER,
            label_en="Estimated weight",
            help="估价按估计重量，实际以现场称重为准。",
            minimum=10,
            maximum=2000,
            integer=True,
            unit="公斤",
        ),
        FormField(
            "preferredTime",
            "期望上门时间",
            FieldType.DATETIME,
            label_en="Preferred time",
            future=True,
            max_days_ahead=14,
        ),
        FormField(
            "note",
            "补充说明",
            FieldType.TEXT,
            required=False,
            label_en="Note",
            help="如大件家电型号、是否需要搬下楼。",
            max_length=200,
        ),
    ),
    pricing=Recycling(
        "按估计重量预估回收款，现场称重后按品类结算", per_kg=Decimal("0.8"), weight_field="weight"
    ),
    provider_kind=ProviderKind.COMMERCIAL,
    qualifications=(Qualification("recycling_record", "再生资源回收经营者备案"),),
    dispatch=Dispatch(DispatchMode.SEQUENTIAL, accept_timeout=timedelta(minutes=10)),
    example=lambda now: {
        "items": ["PAPER", "METAL"],
        "weight": 50,
        "preferredTime": (now + timedelta(days=1)).isoformat(),
    },
)


@hookimpl
def register_service_types(register: Callable[[ServiceType], None]) -> None:
    register(SERVICE_TYPE)
