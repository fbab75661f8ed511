"""法律咨询 (legal consultation): a free consultation with a lawyer (public legal service)."""

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
    rank_default,
    rank_specialists_first,
)

SERVICE_TYPE = ServiceType(
    code="legal_consultation",
    name="法律咨询",
    name_en="Legal consultation",
    brand="无忧解纷",
    description="公共法律服务：执业律师免费解答婚姻家庭、劳动、借贷、房产和交通事故等法律问题。",
    fields=(
        FormField(
            "topic",
            "咨询类别",
            FieldType.SINGLE_CHOICE,
            label_en="Topic",
            choices=(
                Choice("FAMILY", "婚姻家庭", "Family"),
                Choice("LABOUR", "劳动用工", "Labour"),
                Choice("LOANS", "借贷纠纷", "Loans"),
                Choice("HOUSING", "房产物业", "Housing"),
                Choice("TRAFFIC_ACCIDENT", "交通事故", "Traffic accident"),
                Choice("OTHER", "其他", "Other"),
            ),
        ),
        FormField(
            "description",
            "问题描述",
            FieldType.TEXT,
            label_en="Description",
            help="简要说明事情经过和您想咨询的问题，不必填写对方姓名。",
            minimum=10,
            max_length=2000,
        ),
        FormField(
            "channel",
            "咨询方式",
            FieldType.SINGLE_CHOICE,
            label_en="Channel",
            choices=(
                Choice("PHONE", "电话", "Phone"),
                Choice("VIDEO", "视频", "Video call"),
                Choice("IN_PERSON", "到律所面谈", "In person at the firm"),
            ),
        ),
        FormField(
            "preferredContactTime",
            "方便联系的时间",
            FieldType.DATETIME,
            required=False,
            label_en="Preferred contact time",
            help="不填则律师在接单后 1 个工作日内联系您。",
            future=True,
            max_days_ahead=14,
        ),
    ),
    pricing=Free("公共法律服务，咨询免费；委托代理另行协商"),
    provider_kind=ProviderKind.LAW_FIRM,
    qualifications=(Qualification("lawyer_licence", "律师执业证"),),
    dispatch=Dispatch(DispatchMode.SEQUENTIAL, accept_timeout=timedelta(minutes=30)),
    rank=rank_specialists_first("topic", then=rank_default),
    example=lambda now: {
        "topic": "LABOUR",
        "description": "公司拖欠了我三个月工资，也没有签劳动合同，我该怎么维权？",
        "channel": "PHONE",
        "preferredContactTime": (now + timedelta(days=1)).isoformat(),
    },
)


@hookimpl
def register_service_types(register: Callable[[ServiceType], None]) -> None:
    register(SERVICE_TYPE)
