"""What of an order a provider may see before it accepts, and what plugins are told.

Until a provider accepts, it sees the service, the grid, the distance and the form with
the citizen's name, phone numbers and ID numbers masked. Plugins never receive
personal fields at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from plugins.forms import PERSONAL_FIELD_TYPES, FieldType
from plugins.registry import service_registry
from wuyou.privacy import mask_id_number, mask_phone


def personal_fields(service_type: str) -> dict[str, FieldType]:
    """The form fields of ``service_type`` that identify a person, by code."""
    declared = service_registry().get(service_type)
    if declared is None:
        return {}
    return {f.code: f.type for f in declared.fields if f.type in PERSONAL_FIELD_TYPES}


def masked_form(service_type: str, form: Mapping[str, Any]) -> dict[str, Any]:
    """``form`` with phone numbers and ID numbers masked (138****1234, 150302********1231)."""
    masked = dict(form)
    for code, kind in personal_fields(service_type).items():
        if isinstance(masked.get(code), str):
            mask = mask_phone if kind is FieldType.PHONE else mask_id_number
            masked[code] = mask(masked[code])
    return masked


def without_personal(service_type: str, form: Mapping[str, Any]) -> dict[str, Any]:
    """``form`` with personal fields left out."""
    personal = personal_fields(service_type)
    return {k: v for k, v in form.items() if k not in personal}
