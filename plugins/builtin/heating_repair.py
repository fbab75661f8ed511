"""供暖维修 (heating repair): the heating company that supplies the area fixes its service."""

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
    rank_closest_coverage,
)

SERVICE_TYPE = ServiceType(
    code="heating_repair",
    name="供暖维修",
    name_en="Heating repair",
    brand="无忧生活",
    description=(
        "暖气不热、漏水或暖气片故障，由负责该片区的供热企业免费上门处理。供暖期室温应不低于 18℃。"
    ),
    fields=(
        FormField(
            "issue",
            "问题类型",
            FieldType.SINGLE_CHOICE,
            label_en="Issue",
            choices=(
                Choice("NO_HEAT", "暖气不热", "No heat"),
                Choice("LOW_TEMPERATURE", "室温不达标", "Room too cold"),
                Choice("LEAK", "管道/阀门漏水", "Leak"),
                Choice("RADIATOR", "暖气片故障", "Radiator fault"),
            ),
        ),
        FormField(
            "heatingAccount",
            "供热户号",
            FieldType.STRING,
            label_en="Heating account number",
            help="见供热缴费单或供热公司公众号。",
            minimum=4,
            max_length=20,
        ),
        FormField(
            "roomTemperature",
            "当前室温",
            FieldType.NUMBER,
            required=False,
            label_en="Room temperature",
            help="室温不达标时请填写温度计读数。",
            minimum=-20,
            maximum=35,
            unit="℃",
        ),
        FormField(
            "description",
            "问题描述",
            FieldType.TEXT,
            required=False,
            label_en="Description",
            max_length=500,
        ),
    ),
    pricing=Free("供热企业责任范围内的维修免费；户内私改管线造成的故障按价另收"),
    provider_kind=ProviderKind.COMMERCIAL,
    qualifications=(Qualification("heating_licence", "供热经营许可"),),
    dispatch=Dispatch(DispatchMode.SEQUENTIAL, accept_timeout=timedelta(minutes=10)),
    rank=rank_closest_coverage,
    example=lambda now: {
        "issue": "LOW_TEMPERATURE",
        "heatingAccount": "HB20180312",
        "roomTemperature": 15.5,
        "description": "卧室暖气片上热下凉",
    },
)


@hookimpl
def register_service_types(register: Callable[[ServiceType], None]) -> None:
    register(SERVICE_TYPE)
