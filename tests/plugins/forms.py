"""Helpers for testing order forms: examples with changes, every problem, a quote."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from plugins.forms import Location, clean_form
from plugins.pricing import Quote, QuoteRequest
from plugins.service_types import ServiceType
from wuyou import clock
from wuyou.errors import DomainError

#: Where the test orders are placed (in Wuhai's 海勃湾区).
ORDER_LOCATION = Location(39.67, 106.82)


def example(service_type: ServiceType, **changes: Any) -> dict[str, Any]:
    """The type's example form as JSON, with ``changes`` applied (None drops a key)."""
    assert service_type.example is not None
    raw = dict(service_type.example(clock.now()))
    for code, value in changes.items():
        if value is None:
            raw.pop(code, None)
        else:
            raw[code] = value
    return raw


def all_problems(service_type: ServiceType, raw: Mapping[str, Any]) -> set[tuple[str, str]]:
    """(field, code) of every problem, the field checks' or else the cross-field checks'."""
    try:
        values = clean_form(service_type.fields, raw)
    except DomainError as error:
        return {(str(p.field), p.code) for p in error.problems}
    return {(str(p.field), p.code) for p in service_type.cross_check(values)}


def quote(service_type: ServiceType, raw: Mapping[str, Any]) -> Quote:
    """The price of a valid form, ordered at :data:`ORDER_LOCATION`."""
    values = clean_form(service_type.fields, raw)
    assert service_type.cross_check(values) == []
    return service_type.pricing.quote(QuoteRequest(values, ORDER_LOCATION))
