"""陪诊 (medical escort): a companion takes a patient through registration, tests and pharmacy."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

from wuyou import (
    Dispatch,
    DispatchMode,
    FieldType,
    Fixed,
    FormField,
    ProviderKind,
    Qualification,
    ServiceType,
    hookimpl,
)

SERVICE_TYPE = ServiceType(
    code="medical_escort",
    name="陪诊",
    name_en="Medical escort",
    brand="无忧生活",
    description=(
        "陪诊员陪同就医：挂号、取号、陪同检查、取药和记录医嘱。半天 120 元，全天加 100 元。"
        "陪诊员不代替医生诊断，未成年人就医须有监护人同行。"
    ),
    fields=(
        FormField(
            "hospital",
            "就诊医院",
            FieldType.STRING,
            label_en="Hospital",
            help="医院名称和院区，陪诊员在医院门口与您会合。",
            minimum=2,
            max_length=60,
        ),
        FormField(
            "department",
            "就诊科室",
            FieldType.STRING,
            required=False,
            label_en="Department",
            max_length=30,
        ),
        FormField(
            "appointmentTime",
            "就诊时间",
            FieldType.DATETIME,
            label_en="Appointment time",
            future=True,
            max_days_ahead=30,
        ),
        FormField(
            "patientAge",
            "患者年龄",
            FieldType.NUMBER,
            label_en="Patient's age",
            minimum=0,
            maximum=120,
            integer=True,
            unit="岁",
        ),
        FormField(
            "wheelchair",
            "需要轮椅",
            FieldType.BOOLEAN,
            required=False,
            label_en="Wheelchair needed",
            help="陪诊员协助借用医院轮椅并推行。",
        ),
        FormField(
            "fullDay",
            "全天陪诊",
            FieldType.BOOLEAN,
            required=False,
            label_en="Full day",
            help="预计超过 4 小时（如住院手续、多项检查）请选全天。",
        ),
    ),
    pricing=Fixed(
        "半天陪诊（4 小时内）",
        amount=Decimal("120"),
        surcharges={"fullDay": ("全天陪诊", Decimal("100"))},
    ),
    provider_kind=ProviderKind.COMMERCIAL,
    qualifications=(
        Qualification("health_certificate", "陪诊员健康证"),
        Qualification("medical_care_certificate", "医疗护理员证或护士执业证书", required=False),
    ),
    dispatch=Dispatch(DispatchMode.SEQUENTIAL, accept_timeout=timedelta(minutes=10)),
    example=lambda now: {
        "hospital": "乌海市人民医院",
        "department": "心内科",
        "appointmentTime": (now + timedelta(days=2)).isoformat(),
        "patientAge": 72,
        "wheelchair": True,
    },
)


@hookimpl
def register_service_types(register: Callable[[ServiceType], None]) -> None:
    register(SERVICE_TYPE)
