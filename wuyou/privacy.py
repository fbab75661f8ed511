"""Masking personal data for viewers who may not see it in full."""

from __future__ import annotations

import re

#: A mobile number (with an optional +86), a landline with its area code, an 18-digit
#: resident ID and an e-mail address, as they appear in free text.
_MOBILE = re.compile(r"(?<![0-9])(?:\+?86[- ]?)?(1[3-9][0-9]{9})(?![0-9])")
_LANDLINE = re.compile(r"(?<![0-9])(0[0-9]{2,3}-?[0-9]{7,8})(?![0-9])")
_ID_NUMBER = re.compile(r"(?<![0-9])([0-9]{17}[0-9Xx])(?![0-9])")
_EMAIL = re.compile(r"([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*(@[A-Za-z0-9.-]+\.[A-Za-z]{2,})")


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


def mask_text(text: str, *, name: str = "") -> str:
    """Free text with the personal data in it masked: phone numbers, resident IDs and
    e-mail addresses wherever they appear, and ``name`` (the writer's, when known)."""
    text = _ID_NUMBER.sub(lambda m: mask_id_number(m.group(1)) or "", text)
    text = _MOBILE.sub(lambda m: mask_phone(m.group(1)) or "", text)
    text = _LANDLINE.sub(lambda m: mask_phone(m.group(1)) or "", text)
    text = _EMAIL.sub(lambda m: f"{m.group(1)}***{m.group(2)}", text)
    name = name.strip()
    if len(name) >= 2:
        text = text.replace(name, mask_name(name) or "")
    return text
