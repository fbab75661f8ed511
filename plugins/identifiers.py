"""Validators for Chinese identifiers: vehicle plates, resident ids, credit codes, mobiles.

Every ``is_*`` function takes any string and answers ``True`` or ``False``; none raises.
Patterns match ASCII digits only (``[0-9]``, never ``\\d``) and use ``fullmatch``, so
full-width digits and trailing newlines are rejected.
"""

from __future__ import annotations

import datetime
import re
import string

__all__ = [
    "credit_code_check_character",
    "is_credit_code",
    "is_landline",
    "is_mobile",
    "is_plate",
    "is_resident_id",
    "normalise_mobile",
    "normalise_plate",
    "plate_is_new_energy",
    "resident_id_birth_date",
]

# --- Motor-vehicle plates (GA 36) ------------------------------------------------------------

PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_LETTER = "A-HJ-NP-Z"  # A–Z without I and O
_PREFIX = f"[{PROVINCES}][{_LETTER}]"  # province abbreviation + issuing-authority letter

_ORDINARY_PLATE = re.compile(f"{_PREFIX}(?:[{_LETTER}0-9]{{5}}|[{_LETTER}0-9]{{4}}[挂学警港澳领])")
_NEW_ENERGY_PLATE = re.compile(f"{_PREFIX}(?:[DF][{_LETTER}0-9][0-9]{{4}}|[0-9]{{5}}[DF])")

_PLATE_SEPARATORS = {ord(c): None for c in "·-"}
_ASCII_UPPER = str.maketrans(string.ascii_lowercase, string.ascii_uppercase)


def normalise_plate(text: str) -> str:
    """Drop whitespace, middle dots "·" and dashes; uppercase ASCII letters."""
    return "".join(text.split()).translate(_PLATE_SEPARATORS).translate(_ASCII_UPPER)


def is_plate(text: str) -> bool:
    """Whether ``text`` is an ordinary or new-energy civilian plate (after normalising)."""
    plate = normalise_plate(text)
    return bool(_ORDINARY_PLATE.fullmatch(plate) or _NEW_ENERGY_PLATE.fullmatch(plate))


def plate_is_new_energy(text: str) -> bool:
    """Whether ``text`` is a valid new-energy plate (6 characters after the authority letter)."""
    return _NEW_ENERGY_PLATE.fullmatch(normalise_plate(text)) is not None


# --- Resident identity card number (GB 11643-1999) --------------------------------------------

_RESIDENT_ID = re.compile(r"[0-9]{17}[0-9Xx]")
_RESIDENT_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_RESIDENT_ID_CHECK = "10X98765432"  # indexed by (weighted sum mod 11), ISO 7064 MOD 11-2
_PROVINCE_CODES = frozenset(
    (
        *range(11, 16),
        *range(21, 24),
        *range(31, 38),
        *range(41, 47),
        *range(50, 55),
        *range(61, 66),
        71,  # Taiwan
        81,  # Hong Kong
        82,  # Macau
        83,  # Taiwan residents' residence permits
        91,  # foreigners' permanent residence cards
    )
)
_CHINA_STANDARD_TIME = datetime.timezone(datetime.timedelta(hours=8))


def resident_id_birth_date(text: str) -> datetime.date | None:
    """The birth date encoded in a valid resident id, or ``None`` if ``text`` is not one.

    Valid means: 17 digits and a check character (``X`` in either case) that satisfies
    ISO 7064 MOD 11-2, a known province code, and a real birth date from 1900-01-01 up to
    today in China Standard Time.
    """
    if not _RESIDENT_ID.fullmatch(text) or int(text[:2]) not in _PROVINCE_CODES:
        return None
    total = sum(
        int(digit) * weight for digit, weight in zip(text[:17], _RESIDENT_ID_WEIGHTS, strict=True)
    )
    if _RESIDENT_ID_CHECK[total % 11] != text[17].upper():
        return None
    try:
        born = datetime.date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        return None
    today = datetime.datetime.now(_CHINA_STANDARD_TIME).date()
    return born if born.year >= 1900 and born <= today else None


def is_resident_id(text: str) -> bool:
    """Whether ``text`` is a valid 18-character resident identity card number."""
    return resident_id_birth_date(text) is not None


# --- Unified social credit code (GB 32100-2015) -----------------------------------------------

CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I O S V Z
_CREDIT_CODE = re.compile(
    f"[1-9ANY][{CREDIT_CODE_ALPHABET}][0-9]{{6}}[{CREDIT_CODE_ALPHABET}]{{10}}"
)
_CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_check_character(first17: str) -> str:
    """The check character for the first 17 characters of a unified social credit code.

    Raises ``ValueError`` unless ``first17`` is exactly 17 characters of the code alphabet
    (uppercase; no I, O, S, V or Z). Only the checksum is computed: the structure of the
    17 characters (registration authority, division code) is not checked here.
    """
    if len(first17) != 17:
        raise ValueError(f"expected 17 characters, got {len(first17)}")
    total = 0
    for char, weight in zip(first17, _CREDIT_CODE_WEIGHTS, strict=True):
        value = CREDIT_CODE_ALPHABET.find(char)
        if value < 0:
            raise ValueError(f"{char!r} is not allowed in a unified social credit code")
        total += value * weight
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def is_credit_code(text: str) -> bool:
    """Whether ``text`` is a valid 18-character unified social credit code.

    Checks the alphabet, a registration authority of 1–9, A, N or Y, a 6-digit
    administrative division code at positions 3–8, and the check character.
    """
    return _CREDIT_CODE.fullmatch(text) is not None and (
        credit_code_check_character(text[:17]) == text[17]
    )


# --- Mainland mobile numbers ------------------------------------------------------------------

_MOBILE = re.compile(r"(?:\+?86)?(1[3-9][0-9]{9})")


def normalise_mobile(text: str) -> str:
    """The 11-digit form of a mainland mobile number.

    Whitespace and dashes are dropped, then a leading ``+86`` or ``86`` is removed.
    Raises ``ValueError`` if what is left is not ``1[3-9]`` followed by 9 digits.
    """
    match = _MOBILE.fullmatch("".join(text.split()).replace("-", ""))
    if match is None:
        raise ValueError(f"not a mainland mobile number: {text!r}")
    return match.group(1)


def is_mobile(text: str) -> bool:
    """Whether ``text`` is a mainland mobile number (see ``normalise_mobile``)."""
    try:
        normalise_mobile(text)
    except ValueError:
        return False
    return True


_LANDLINE = re.compile(r"0[0-9]{2,3}-?[0-9]{7,8}")  # ASCII digits only


def is_landline(text: str) -> bool:
    """Whether ``text`` is a fixed-line number with its area code (0473-3123456), spaces
    ignored."""
    return _LANDLINE.fullmatch(text.replace(" ", "")) is not None
