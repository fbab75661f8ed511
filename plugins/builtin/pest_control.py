"""消杀除虫 (pest control): licensed exterminators treat homes and shops for pests."""

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
    Qualification,
    ServiceType,
    hookimpl,
)

SERVICE_TYPE = ServiceType(
    code="pest_control",
    name="消杀除虫",
    name_en="Pest control",
    brand="无忧生活",
    description="持证机构上门灭蟑、灭鼠、除螨等，按虫害和面积报价，使用国家登记的卫生杀虫药剂。",
    fields=(
        FormField(
            "pests",
            "虫害种类",
            FieldType.MULTI_CHOICE,
            label_en="Pests",
            choices=(
                Choice("COCKROACHES", "蟑螂", "Cockroaches"),
                Choice("RODENTS", "老鼠", "Rodents"),
                Choice("BEDBUGS", "臭虫", "Bedbugs"),
                Choice("ANTS", "蚂蚁", "Ants"),
                Choice("MOSQUITOES_FLIES", "蚊蝇", "Mosquitoes and flies"),
                Choice("DUST_MITES", "螨虫", "Dust mites"),
            ),
            minimum=1,
        ),
        FormField(
            "premises",
            "场所类型",
            FieldType.SINGLE_CHOICE,
            label_en="Premises",
            choices=(
                Choice("HOME", "住宅", "Home"),
                Choice("SHOP", "商铺/餐饮", "Shop or restaurant"),
                Choice("OFFICE", "办公场所", "Office"),
            ),
        ),
        FormField(
            "area",
            "面积",
            FieldType.NUMBER,
            label_en="Area",
            minimum=5,
            maximum=5000,
            unit="平方米",
        ),
        FormField(
            "preferredTime",
            "期望上门时间",
            FieldType.DATETIME,
            label_en="Preferred time",
            help="施工后需通风 2 小时，家中孕妇、婴儿和宠物请暂时离开。",
            future=True,
            max_days_ahead=30,
        ),
    ),
    pricing=OnSiteQuote("按虫害种类、面积和次数报价，含一次免费复查"),
    provider_kind=ProviderKind.COMMERCIAL,
    qualifications=(Qualification("pest_control_licence", "有害生物防制服务资质"),),
    dispatch=Dispatch(DispatchMode.SEQUENTIAL, accept_timeout=timedelta(minutes=15)),
    example=lambda now: {
        "pests": ["COCKROACHES"],
        "premises": "HOME",
        "area": 85.5,
        "preferredTime": (now + timedelta(days=2)).isoformat(),
    },
)


@hookimpl
def register_service_types(register: Callable[[ServiceType], None]) -> None:
    register(SERVICE_TYPE)
