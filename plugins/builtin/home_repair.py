"""水电维修 (home repair): a plumber or electrician fixes leaks, circuits, sockets and lights."""

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
    Qualification,
    ServiceType,
    hookimpl,
)

SERVICE_TYPE = ServiceType(
    code="home_repair",
    name="水电维修",
    name_en="Plumbing and electrical repair",
    brand="无忧生活",
    description="上门维修漏水、线路故障、插座开关和灯具，师傅检查后报价，电工作业须持证。",
    fields=(
        FormField(
            "issue",
            "故障类型",
            FieldType.SINGLE_CHOICE,
            label_en="Issue",
            choices=(
                Choice("LEAK", "漏水/水管水龙头", "Leak, pipe or tap"),
                Choice("CIRCUIT", "跳闸/线路故障", "Tripping or wiring fault"),
                Choice("SOCKET", "插座/开关", "Socket or switch"),
                Choice("LIGHTING", "灯具", "Lighting"),
                Choice("OTHER", "其他", "Other"),
            ),
        ),
        FormField(
            "description",
            "问题描述",
            FieldType.TEXT,
            label_en="Description",
            help="如漏水位置、跳闸时在用什么电器。",
            minimum=5,
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
        "师傅上门检查后报价，材料费另计；同意维修则免上门费", callout_fee=Decimal("30")
    ),
    provider_kind=ProviderKind.COMMERCIAL,
    qualifications=(
        Qualification(
            "electrician_certificate", "电工特种作业操作证（承接电路维修必备）", required=False
        ),
    ),
    dispatch=Dispatch(DispatchMode.SEQUENTIAL, accept_timeout=timedelta(minutes=10)),
    example=lambda now: {
        "issue": "LEAK",
        "description": "厨房水槽下面的水管接头漏水",
        "preferredTime": (now + timedelta(hours=4)).isoformat(),
    },
)


@hookimpl
def register_service_types(register: Callable[[ServiceType], None]) -> None:
    register(SERVICE_TYPE)
