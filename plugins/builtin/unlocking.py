"""开锁 (unlocking): a police-registered locksmith opens a door, car or safe for its owner."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import timedelta
from decimal import Decimal
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
    rank_nearest,
)


def check(values: Mapping[str, Any]) -> Iterator[Problem]:
    """The citizen must confirm ownership, and a car lock needs the car's plate."""
    if values.get("ownerConfirmed") is not True:
        yield Problem(
            "ownerConfirmed",
            ErrorCode.REQUIRED,
            "请确认您是房屋、车辆或保险柜的所有人或合法使用人。",
        )
    if values.get("lockType") == "CAR" and "plate" not in values:
        yield Problem("plate", ErrorCode.REQUIRED, "汽车开锁需要填写车牌号。")


SERVICE_TYPE = ServiceType(
    code="unlocking",
    name="开锁",
    name_en="Unlocking",
    brand="无忧生活",
    description="经公安备案的开锁师傅上门开门锁、车锁或保险柜，开锁前当场核验身份和产权证明。",
    fields=(
        FormField(
            "lockType",
            "锁的类型",
            FieldType.SINGLE_CHOICE,
            label_en="Lock type",
            choices=(
                Choice("DOOR", "门锁", "Door lock"),
                Choice("CAR", "汽车锁", "Car lock"),
                Choice("SAFE", "保险柜", "Safe"),
            ),
        ),
        FormField(
            "idNumber",
            "身份证号",
            FieldType.ID_NUMBER,
            label_en="Resident ID number",
            help="按公安机关要求登记，师傅到场后核对身份证原件。",
        ),
        FormField(
            "plate",
            "车牌号",
            FieldType.PLATE,
            required=False,
            label_en="Plate number",
            help="汽车开锁必填，师傅核对行驶证。",
        ),
        FormField(
            "ownerConfirmed",
            "本人确认是所有人或合法使用人",
            FieldType.BOOLEAN,
            label_en="I confirm I own or lawfully use it",
            help="冒用他人身份开锁将依法追究责任。",
        ),
        FormField(
            "note",
            "补充说明",
            FieldType.TEXT,
            required=False,
            label_en="Note",
            help="如锁的品牌、是否为智能锁、钥匙是否断在锁芯里。",
            max_length=200,
        ),
    ),
    pricing=OnSiteQuote(
        "师傅到场核验身份后报价，经您同意再开锁；放弃开锁只收上门费", callout_fee=Decimal("30")
    ),
    provider_kind=ProviderKind.COMMERCIAL,
    qualifications=(Qualification("police_registration", "开锁业公安备案"),),
    dispatch=Dispatch(DispatchMode.BROADCAST, k=3, accept_timeout=timedelta(seconds=60)),
    check=check,
    rank=rank_nearest,
    example=lambda now: {
        "lockType": "DOOR",
        "idNumber": "150302198805120033",
        "ownerConfirmed": True,
        "note": "钥匙锁在屋里了",
    },
)


@hookimpl
def register_service_types(register: Callable[[ServiceType], None]) -> None:
    register(SERVICE_TYPE)
