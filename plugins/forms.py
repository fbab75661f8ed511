"""Order forms: typed fields a service type declares, and checking what a citizen sent.

A form is a tuple of :class:`FormField`, in the spirit of an Open311 service
definition's attributes. :func:`clean_form` turns the JSON object a client sent into
Python values (``datetime``, :class:`Location`, ``int``/``float``, codes) and reports
every problem at once, each naming its field as ``form.<code>``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from plugins.identifiers import (
    is_landline,
    is_mobile,
    is_plate,
    is_resident_id,
    normalise_mobile,
    normalise_plate,
)
from wuyou import clock
from wuyou.clock import CITY_TIMEZONE
from wuyou.errors import DomainError, ErrorCode, Problem

_STRING_MAX = 200
_TEXT_MAX = 2000


class FieldType(StrEnum):
    """What kind of value a form field holds (and how it is checked)."""

    STRING = "STRING"
    TEXT = "TEXT"
    NUMBER = "NUMBER"
    BOOLEAN = "BOOLEAN"
    DATETIME = "DATETIME"
    SINGLE_CHOICE = "SINGLE_CHOICE"
    MULTI_CHOICE = "MULTI_CHOICE"
    PHONE = "PHONE"
    PLATE = "PLATE"
    ID_NUMBER = "ID_NUMBER"
    LOCATION = "LOCATION"


#: Field types whose values identify a person: hidden from a merchant until it accepts.
PERSONAL_FIELD_TYPES = frozenset({FieldType.PHONE, FieldType.ID_NUMBER})


@dataclass(frozen=True, slots=True)
class Choice:
    """One allowed value of a choice field: a stable code and its labels."""

    code: str
    label: str
    label_en: str = ""


@dataclass(frozen=True, slots=True)
class Location:
    """A point (WGS-84 degrees) with an optional street address."""

    lat: float
    lng: float
    address: str = ""

    def distance_km(self, other: Location) -> float:
        """Great-circle distance to ``other`` in kilometres."""
        return haversine_km(self.lat, self.lng, other.lat, other.lng)

    def to_json(self) -> dict[str, Any]:
        return {"lat": self.lat, "lng": self.lng, "address": self.address}


def haversine_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance between two points in kilometres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi, d_lambda = phi2 - phi1, math.radians(lng2 - lng1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


@dataclass(frozen=True, slots=True)
class FormField:
    """One field of an order form.

    ``minimum``/``maximum`` bound a NUMBER's value, a MULTI_CHOICE's number of
    selections, or a STRING/TEXT's length. A DATETIME may be required to lie in the
    ``future`` (at most ``max_days_ahead`` days ahead) or in the ``past``.
    """

    code: str
    label: str
    type: FieldType
    required: bool = True
    label_en: str = ""
    help: str = ""
    choices: tuple[Choice, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    integer: bool = False
    unit: str = ""
    max_length: int | None = None
    future: bool = False
    past: bool = False
    max_days_ahead: int | None = None

    def __post_init__(self) -> None:
        choice_types = (FieldType.SINGLE_CHOICE, FieldType.MULTI_CHOICE)
        if (self.type in choice_types) != bool(self.choices):
            raise ValueError(f"field {self.code!r}: choices go with choice fields only")

    def choice(self, code: str) -> Choice | None:
        """The choice with ``code``, if this field offers it."""
        return next((c for c in self.choices if c.code == code), None)


class _Invalid(Exception):
    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code


def clean_form(fields: Iterable[FormField], raw: Mapping[str, Any]) -> dict[str, Any]:
    """Check ``raw`` against ``fields`` and return the cleaned values by field code.

    Optional fields left out (or null/empty) are absent from the result. Raises
    :class:`DomainError` listing every problem, each with ``field="form.<code>"``.
    """
    declared = {f.code: f for f in fields}
    problems = [
        Problem(f"form.{key}", ErrorCode.UNKNOWN_FIELD, f"表单中没有字段 {key!r}。")
        for key in raw
        if key not in declared
    ]
    cleaned: dict[str, Any] = {}
    for code, spec in declared.items():
        value = raw.get(code)
        if value is None or value == [] or (isinstance(value, str) and not value.strip()):
            if spec.required:
                problems.append(Problem(f"form.{code}", ErrorCode.REQUIRED, f"{spec.label}必填。"))
            continue
        try:
            cleaned[code] = _clean(spec, value)
        except _Invalid as invalid:
            problems.append(Problem(f"form.{code}", invalid.code, str(invalid)))
    if problems:
        raise DomainError.of(problems)
    return cleaned


def to_json(fields: Iterable[FormField], values: Mapping[str, Any]) -> dict[str, Any]:
    """Cleaned values as JSON (times ISO-8601 with offset, locations as objects)."""
    result: dict[str, Any] = {}
    for spec in fields:
        if spec.code not in values:
            continue
        value = values[spec.code]
        if isinstance(value, datetime):
            value = value.astimezone(CITY_TIMEZONE).isoformat()
        elif isinstance(value, Location):
            value = value.to_json()
        elif isinstance(value, tuple):
            value = list(value)
        result[spec.code] = value
    return result


def from_json(fields: Iterable[FormField], stored: Mapping[str, Any]) -> dict[str, Any]:
    """Values stored by :func:`to_json`, back as Python values."""
    result: dict[str, Any] = {}
    for spec in fields:
        if spec.code not in stored:
            continue
        value = stored[spec.code]
        if spec.type is FieldType.DATETIME:
            value = datetime.fromisoformat(value)
        elif spec.type is FieldType.LOCATION:
            value = Location(**value)
        elif spec.type is FieldType.MULTI_CHOICE:
            value = tuple(value)
        result[spec.code] = value
    return result


def _clean(spec: FormField, value: Any) -> Any:
    cleaner = _CLEANERS[spec.type]
    return cleaner(spec, value)


def _text(spec: FormField, value: Any) -> str:
    if not isinstance(value, str):
        raise _Invalid(ErrorCode.INVALID, f"{spec.label}应为文字。")
    text = value.strip()
    limit = spec.max_length or (_TEXT_MAX if spec.type is FieldType.TEXT else _STRING_MAX)
    if len(text) > limit:
        raise _Invalid(ErrorCode.TOO_LONG, f"{spec.label}最多 {limit} 个字。")
    if spec.minimum is not None and len(text) < spec.minimum:
        raise _Invalid(ErrorCode.TOO_SHORT, f"{spec.label}至少 {spec.minimum:g} 个字。")
    if not text:
        raise _Invalid(ErrorCode.REQUIRED, f"{spec.label}必填。")
    return text


def _number(spec: FormField, value: Any) -> int | float:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise _Invalid(ErrorCode.INVALID, f"{spec.label}应为数字。")
    try:
        number = float(value)
    except ValueError:
        raise _Invalid(ErrorCode.INVALID, f"{spec.label}应为数字。") from None
    if not math.isfinite(number):
        raise _Invalid(ErrorCode.INVALID, f"{spec.label}应为数字。")
    if spec.integer and not number.is_integer():
        raise _Invalid(ErrorCode.INVALID, f"{spec.label}应为整数。")
    low, high = spec.minimum, spec.maximum
    if (low is not None and number < low) or (high is not None and number > high):
        raise _Invalid(ErrorCode.OUT_OF_RANGE, f"{spec.label}应在{_range(spec)}之间。")
    return int(number) if spec.integer else number


def _range(spec: FormField) -> str:
    low = "" if spec.minimum is None else f"{spec.minimum:g}"
    high = "" if spec.maximum is None else f"{spec.maximum:g}"
    return f" {low}–{high}{spec.unit} "


def _boolean(spec: FormField, value: Any) -> bool:
    if not isinstance(value, bool):
        raise _Invalid(ErrorCode.INVALID, f"{spec.label}应为 true 或 false。")
    return value


def _datetime(spec: FormField, value: Any) -> datetime:
    if not isinstance(value, str):
        raise _Invalid(ErrorCode.INVALID, f"{spec.label}应为 ISO-8601 时间。")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise _Invalid(ErrorCode.INVALID, f"{spec.label}应为 ISO-8601 时间。") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=CITY_TIMEZONE)
    now = clock.now()
    if spec.future and moment <= now:
        raise _Invalid(ErrorCode.OUT_OF_RANGE, f"{spec.label}应晚于现在。")
    if spec.past and moment > now:
        raise _Invalid(ErrorCode.OUT_OF_RANGE, f"{spec.label}不能晚于现在。")
    if spec.max_days_ahead is not None and moment > now + timedelta(days=spec.max_days_ahead):
        raise _Invalid(
            ErrorCode.OUT_OF_RANGE, f"{spec.label}最多可预约 {spec.max_days_ahead} 天以内。"
        )
    return moment


def _single(spec: FormField, value: Any) -> str:
    if not isinstance(value, str) or spec.choice(value) is None:
        raise _Invalid(ErrorCode.INVALID_CHOICE, f"{spec.label}应为：{_codes(spec)}。")
    return value


def _multi(spec: FormField, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _Invalid(ErrorCode.INVALID, f"{spec.label}应为选项代码的列表。")
    unknown = [v for v in value if spec.choice(v) is None]
    if unknown:
        raise _Invalid(ErrorCode.INVALID_CHOICE, f"{spec.label}只能选：{_codes(spec)}。")
    selected = tuple(dict.fromkeys(value))
    low, high = spec.minimum, spec.maximum
    if (low is not None and len(selected) < low) or (high is not None and len(selected) > high):
        raise _Invalid(ErrorCode.OUT_OF_RANGE, f"{spec.label}应选{_range(spec)}项。")
    return selected


def _codes(spec: FormField) -> str:
    return ", ".join(c.code for c in spec.choices)


def _phone(spec: FormField, value: Any) -> str:
    if isinstance(value, str):
        if is_mobile(value):
            return normalise_mobile(value)
        if is_landline(value):
            return value.replace(" ", "")
    raise _Invalid(ErrorCode.INVALID, f"{spec.label}应为手机号或带区号的固定电话。")


def _plate(spec: FormField, value: Any) -> str:
    if isinstance(value, str) and is_plate(value):
        return normalise_plate(value)
    raise _Invalid(ErrorCode.INVALID, f"{spec.label}不是有效的车牌号。")


def _id_number(spec: FormField, value: Any) -> str:
    if isinstance(value, str) and is_resident_id(value.strip()):
        return value.strip().upper()
    raise _Invalid(ErrorCode.INVALID, f"{spec.label}不是有效的 18 位居民身份证号。")


def _location(spec: FormField, value: Any) -> Location:
    if not isinstance(value, Mapping) or set(value) - {"lat", "lng", "address"}:
        raise _Invalid(ErrorCode.INVALID, f"{spec.label}应为 {{lat, lng, address}}。")
    lat, lng, address = value.get("lat"), value.get("lng"), value.get("address", "")
    if not all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in (lat, lng)):
        raise _Invalid(ErrorCode.INVALID, f"{spec.label}需要经纬度 lat 和 lng。")
    assert isinstance(lat, (int, float)) and isinstance(lng, (int, float))
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise _Invalid(ErrorCode.OUT_OF_RANGE, f"{spec.label}的经纬度超出范围。")
    if not isinstance(address, str) or len(address) > _STRING_MAX:
        raise _Invalid(ErrorCode.INVALID, f"{spec.label}的地址应为不超过 200 字的文字。")
    return Location(lat=float(lat), lng=float(lng), address=address.strip())


_CLEANERS: dict[FieldType, Any] = {
    FieldType.STRING: _text,
    FieldType.TEXT: _text,
    FieldType.NUMBER: _number,
    FieldType.BOOLEAN: _boolean,
    FieldType.DATETIME: _datetime,
    FieldType.SINGLE_CHOICE: _single,
    FieldType.MULTI_CHOICE: _multi,
    FieldType.PHONE: _phone,
    FieldType.PLATE: _plate,
    FieldType.ID_NUMBER: _id_number,
    FieldType.LOCATION: _location,
}
