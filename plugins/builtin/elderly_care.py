"""居家养老 (elderly care at home): carers help older people with meals, bathing and more.

Paid by the hour; the city subsidises the full cost for people aged 80 and over.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
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
    Qualification,
    Quote,
    QuoteLine,
    QuoteRequest,
    ServiceType,
    hookimpl,
    yuan,
)


@dataclass(frozen=True)
class SubsidisedPerHour(PerUnit):
    """An hourly price the city pays in full for elders aged ``free_from_age`` or more."""

    age_field: str = ""
    free_from_age: int = 80

    def quote(self, request: QuoteRequest) -> Quote:
        quote = super().quote(request)
        age = request.form.get(self.age_field)
        if quote.amount is None or not isinstance(age, int) or age < self.free_from_age:
            return quote
        subsidy = QuoteLine(f"{self.free_from_age} 周岁以上高龄补贴", -quote.amount)
        return Quote(
            amount=yuan(0),
            lines=(*quote.lines, subsidy),
            note=f"{self.free_from_age} 周岁以上老人居家养老服务由政府全额补贴",
        )


SERVICE_TYPE = ServiceType(
    code="elderly_care",
    name="居家养老",
    name_en="Elderly care at home",
    brand="无忧生活",
    description="持证养老护理员上门助餐、助浴、助洁、助医和陪伴，每小时 40 元，80 周岁以上免费。",
    fields=(
        FormField(
            "elderAge",
            "老人年龄",
            FieldType.NUMBER,
            label_en="Elder's age",
            help="60 周岁以上；80 周岁以上由政府补贴，服务时核验身份证。",
            minimum=60,
            maximum=120,
            integer=True,
            unit="岁",
        ),
        FormField(
            "services",
            "服务项目",
            FieldType.MULTI_CHOICE,
            label_en="Services",
            choices=(
                Choice("MEALS", "助餐", "Meals"),
                Choice("BATHING", "助浴", "Bathing"),
                Choice("CLEANING", "助洁", "Cleaning"),
                Choice("MEDICAL_HELP", "助医（取药、测血压血糖）", "Medical help"),
                Choice("COMPANY", "陪伴聊天", "Company"),
            ),
            minimum=1,
        ),
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
            minimum=1,
            maximum=8,
            integer=True,
            unit="小时",
        ),
        FormField(
            "healthNotes",
            "健康状况",
            FieldType.TEXT,
            required=False,
            label_en="Health notes",
            help="如行动能力、慢性病、过敏和用药情况。",
            max_length=500,
        ),
    ),
    pricing=SubsidisedPerHour(
        "按服务时长计费",
        unit_price=Decimal("40"),
        unit="小时",
        quantity_field="hours",
        age_field="elderAge",
    ),
    provider_kind=ProviderKind.COMMERCIAL,
    qualifications=(
        Qualification("elderly_care_certificate", "养老护理员职业技能等级证书"),
        Qualification("health_certificate", "从业人员健康证"),
    ),
    dispatch=Dispatch(DispatchMode.SEQUENTIAL, accept_timeout=timedelta(minutes=10)),
    example=lambda now: {
        "elderAge": 76,
        "services": ["MEALS", "CLEANING"],
        "startTime": (now + timedelta(days=1)).isoformat(),
        "hours": 2,
    },
)


@hookimpl
def register_service_types(register: Callable[[ServiceType], None]) -> None:
    register(SERVICE_TYPE)
