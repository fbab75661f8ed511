"""育儿/月嫂 (childcare): a maternity nurse for a newborn, or a nanny for a young child."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import timedelta
from typing import Any

from wuyou import (
    Choice,
    Dispatch,
    DispatchMode,
    ErrorCode,
    FieldType,
    FormField,
    OnSiteQuote,
    Problem,
    ProviderKind,
    Qualification,
    ServiceType,
    hookimpl,
    rank_by_rating,
)

#: A maternity nurse (月嫂) looks after newborns: babies up to this age in months.
MATERNITY_NURSE_MAX_MONTHS = 3


def check(values: Mapping[str, Any]) -> Iterator[Problem]:
    """A maternity nurse is for newborns; older babies need a nanny."""
    age = values.get("babyAgeMonths")
    nurse = values.get("kind") == "MATERNITY_NURSE"
    if nurse and age is not None and age > MATERNITY_NURSE_MAX_MONTHS:
        yield Problem(
            "babyAgeMonths",
            ErrorCode.OUT_OF_RANGE,
            f"月嫂服务 {MATERNITY_NURSE_MAX_MONTHS} 个月以内的婴儿，大月龄宝宝请选育儿嫂。",
        )


SERVICE_TYPE = ServiceType(
    code="childcare",
    name="育儿/月嫂",
    name_en="Childcare and maternity nursing",
    brand="无忧生活",
    description="持证月嫂照顾产妇和新生儿，育儿嫂照看 3 岁以下婴幼儿；面试后按天数和级别报价。",
    fields=(
        FormField(
            "kind",
            "服务类型",
            FieldType.SINGLE_CHOICE,
            label_en="Service",
            choices=(
                Choice("MATERNITY_NURSE", "月嫂", "Maternity nurse"),
                Choice("NANNY", "育儿嫂", "Nanny"),
            ),
        ),
        FormField(
            "startDate",
            "上户日期",
            FieldType.DATETIME,
            label_en="Start date",
            help="月嫂请按预产期预约，一般提前 3–6 个月。",
            future=True,
            max_days_ahead=270,
        ),
        FormField(
            "days",
            "服务天数",
            FieldType.NUMBER,
            label_en="Days",
            help="月嫂一般 26 天一个周期。",
            minimum=1,
            maximum=365,
            integer=True,
            unit="天",
        ),
        FormField(
            "babyAgeMonths",
            "宝宝月龄",
            FieldType.NUMBER,
            required=False,
            label_en="Baby's age in months",
            help="尚未出生可不填。",
            minimum=0,
            maximum=36,
            integer=True,
            unit="个月",
        ),
        FormField(
            "liveIn",
            "住家",
            FieldType.BOOLEAN,
            label_en="Live-in",
        ),
        FormField(
            "note",
            "补充说明",
            FieldType.TEXT,
            required=False,
            label_en="Note",
            help="如双胞胎、剖宫产、对阿姨的要求。",
            max_length=500,
        ),
    ),
    pricing=OnSiteQuote("面试后按服务天数和阿姨级别报价，签订服务合同"),
    provider_kind=ProviderKind.COMMERCIAL,
    qualifications=(
        Qualification("maternal_infant_care_certificate", "母婴护理员或育婴员职业技能等级证书"),
        Qualification("health_certificate", "从业人员健康证"),
    ),
    dispatch=Dispatch(DispatchMode.SEQUENTIAL, accept_timeout=timedelta(minutes=30)),
    check=check,
    rank=rank_by_rating,
    example=lambda now: {
        "kind": "MATERNITY_NURSE",
        "startDate": (now + timedelta(days=60)).isoformat(),
        "days": 26,
        "liveIn": True,
    },
)


@hookimpl
def register_service_types(register: Callable[[ServiceType], None]) -> None:
    register(SERVICE_TYPE)
