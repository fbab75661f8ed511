"""心理援助 (psychological support): an on-duty counsellor, with the community mediator beside.

A crisis is urgent: it goes to every counsellor on duty at once and raises a hotline ticket.
"""

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
    Free,
    Problem,
    ProviderKind,
    Qualification,
    ServiceType,
    hookimpl,
)


def is_urgent(values: Mapping[str, Any]) -> bool:
    """A crisis: the topic says so, or the citizen ticked the crisis box."""
    return values.get("topic") == "CRISIS" or values.get("crisis") is True


def check(values: Mapping[str, Any]) -> Iterator[Problem]:
    """An in-person session needs an appointment, unless it is a crisis (handled at once)."""
    in_person = values.get("channel") == "IN_PERSON"
    if in_person and "preferredTime" not in values and not is_urgent(values):
        yield Problem("preferredTime", ErrorCode.REQUIRED, "面询需要预约时间。")


SERVICE_TYPE = ServiceType(
    code="psychological_support",
    name="心理援助",
    name_en="Psychological support",
    brand="无忧舒心",
    description=(
        "7×24 小时心理援助：持证心理咨询师一对一倾听和疏导，社区调解员协同陪伴。"
        "如有伤害自己或他人的想法，请勾选紧急情况，我们会立即联系您；危急时请拨打 110 或 120。"
    ),
    fields=(
        FormField(
            "channel",
            "咨询方式",
            FieldType.SINGLE_CHOICE,
            label_en="Channel",
            choices=(
                Choice("PHONE", "电话", "Phone"),
                Choice("ONLINE", "线上文字/视频", "Online chat or video"),
                Choice("IN_PERSON", "面询", "In person"),
            ),
        ),
        FormField(
            "topic",
            "困扰类型",
            FieldType.SINGLE_CHOICE,
            label_en="Topic",
            choices=(
                Choice("ANXIETY", "焦虑/压力", "Anxiety or stress"),
                Choice("DEPRESSION", "情绪低落", "Low mood"),
                Choice("FAMILY", "婚恋家庭", "Family and relationships"),
                Choice("YOUTH", "青少年成长", "Young people"),
                Choice("CRISIS", "心理危机", "Crisis"),
            ),
        ),
        FormField(
            "crisis",
            "紧急情况：现在有伤害自己或他人的想法",
            FieldType.BOOLEAN,
            required=False,
            label_en="Emergency: thoughts of harming myself or others",
            help="勾选后立即转接值班咨询师并同步 12345 热线跟进。",
        ),
        FormField(
            "preferredTime",
            "预约时间",
            FieldType.DATETIME,
            required=False,
            label_en="Preferred time",
            help="电话和线上咨询不填则尽快接通；面询必须预约。",
            future=True,
            max_days_ahead=14,
        ),
        FormField(
            "note",
            "想说的话",
            FieldType.TEXT,
            required=False,
            label_en="Anything you want to tell us",
            max_length=1000,
        ),
    ),
    pricing=Free("心理援助免费"),
    provider_kind=ProviderKind.COUNSELLOR,
    qualifications=(Qualification("counsellor_certificate", "心理咨询师或心理治疗师资格证书"),),
    dispatch=Dispatch(DispatchMode.BROADCAST, k=5, accept_timeout=timedelta(seconds=60)),
    check=check,
    is_urgent=is_urgent,
    companion_kind=ProviderKind.MEDIATION_ORG,
    example=lambda now: {
        "channel": "ONLINE",
        "topic": "ANXIETY",
        "preferredTime": (now + timedelta(hours=3)).isoformat(),
        "note": "最近工作压力很大，晚上睡不着。",
    },
)


@hookimpl
def register_service_types(register: Callable[[ServiceType], None]) -> None:
    register(SERVICE_TYPE)
