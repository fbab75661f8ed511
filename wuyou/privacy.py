"""Masking personal data for viewers who may not see it in full."""

from __future__ import annotations


def mask_phone(phone: str | None) -> str | None:
    """Keep the first three and last four digits: 13912345678 → 139****5678."""
    if not phone:
        return phone
    if len(phone) <= 7:
        return "*" * len(phone)
    return f"{phone[:3]}{'*' * (len(phone) - 7)}{phone[-4:]}"


def mask_name(name: str | None) -> str | None:
    """Keep the surname: 张三丰 → 张**."""
    if not name:
        return name
    return name[0] + "*" * (len(name) - 1)


def mask_id_number(number: str | None) -> str | None:
    """Keep the region and the last four: 150302199001011231 → 150302********1231."""
    if not number:
        return number
    if len(number) <= 10:
        return "*" * len(number)
    return f"{number[:6]}{'*' * (len(number) - 10)}{number[-4:]}"
