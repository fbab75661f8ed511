"""车辆代检 (vehicle inspection): an agent drives the car to its periodic inspection and back."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from wuyou import (
    Choice,
    Dispatch,
    DispatchMode,
    ErrorCode,
    FieldType,
    Fixed,
    FormField,
    Problem,
    ProviderKind,
    Qualification,
    ServiceType,
    hookimpl,
)

#: The inspection cycle by vehicle age, as the agent explains it (GA regulations).
INSPECTION_CYCLE = (
    "非营运小微型载客汽车：6 年以内免上线检验，每 2 年申领检验标志；6–10 年每 2 年检验一次；"
    "10–15 年每年一次；15 年以上每 6 个月一次。营运载客汽车 5 年以内每年一次，以后每 6 个月一次；"
    "货车 10 年以内每年一次，以后每 6 个月一次；摩托车 4 年以内每 2 年一次，以后每年一次。"
)


#: Private passenger cars need no on-site inspection in their first years, only a label.
EXEMPT_YEARS = 6
#: An inspection may be done up to this long before it falls due.
EARLY_WINDOW = timedelta(days=90)


def _years_after(moment: datetime, years: int) -> datetime:
    """The same calendar day ``years`` later (28 February for a 29 February)."""
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:
        return moment.replace(year=moment.year + years, day=28)


def check(values: Mapping[str, Any]) -> Iterator[Problem]:
    """A private car still in its exemption years has nothing to be driven to inspection for."""
    registered, preferred = values.get("registrationDate"), values.get("preferredDate")
    if values.get("vehicleType") != "PRIVATE_CAR" or registered is None or preferred is None:
        return
    if preferred < _years_after(registered, EXEMPT_YEARS) - EARLY_WINDOW:
        yield Problem(
            "registrationDate",
            ErrorCode.INVALID,
            f"注册未满 {EXEMPT_YEARS} 年的非营运小微型载客汽车免上线检验，"
            "请通过“交管12123”App 直接申领检验标志。",
        )


SERVICE_TYPE = ServiceType(
    code="vehicle_inspection",
    name="车辆代检",
    name_en="Vehicle inspection on the owner's behalf",
    brand="无忧生活",
    description=(
        "代办机动车定期安全技术检验：上门取车、送检、取标后送回。"
        "服务费 150 元，检测站检验费和工本费按标准另付。"
    ),
    fields=(
        FormField("plate", "车牌号", FieldType.PLATE, label_en="Plate number"),
        FormField(
            "vehicleType",
            "车辆类型",
            FieldType.SINGLE_CHOICE,
            label_en="Vehicle type",
            choices=(
                Choice("PRIVATE_CAR", "非营运小微型载客汽车", "Private passenger car"),
                Choice("OPERATING_CAR", "营运载客汽车", "Commercial passenger vehicle"),
                Choice("TRUCK", "货车", "Truck"),
                Choice("MOTORCYCLE", "摩托车", "Motorcycle"),
            ),
        ),
        FormField(
            "registrationDate",
            "注册登记日期",
            FieldType.DATETIME,
            label_en="Registration date",
            help="见行驶证“注册日期”，检验周期据此计算：" + INSPECTION_CYCLE,
            past=True,
        ),
        FormField(
            "preferredDate",
            "预约送检日期",
            FieldType.DATETIME,
            label_en="Preferred date",
            help="取车地址即下单地址；可在检验有效期满前 3 个月内送检。",
            future=True,
            max_days_ahead=60,
        ),
        FormField(
            "note",
            "补充说明",
            FieldType.TEXT,
            required=False,
            label_en="Note",
            help="如是否有未处理的交通违法、车钥匙交接方式。",
            max_length=300,
        ),
    ),
    pricing=Fixed("代检服务费（不含检测站收费）", amount=Decimal("150")),
    provider_kind=ProviderKind.COMMERCIAL,
    qualifications=(
        Qualification("inspection_agency_record", "机动车检验代办备案"),
        Qualification("agent_driving_licence", "代办人员机动车驾驶证", required=False),
    ),
    dispatch=Dispatch(DispatchMode.SEQUENTIAL, accept_timeout=timedelta(minutes=15)),
    check=check,
    example=lambda now: {
        "plate": "蒙L12345",
        "vehicleType": "PRIVATE_CAR",
        "registrationDate": (now - timedelta(days=7 * 365)).isoformat(),
        "preferredDate": (now + timedelta(days=3)).isoformat(),
    },
)


@hookimpl
def register_service_types(register: Callable[[ServiceType], None]) -> None:
    register(SERVICE_TYPE)
