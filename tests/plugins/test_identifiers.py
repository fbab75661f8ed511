"""Identifier validators: plates, resident ids, unified social credit codes, mobile numbers."""

from __future__ import annotations

import datetime

import pytest

from plugins.identifiers import (
    credit_code_check_character,
    is_credit_code,
    is_landline,
    is_mobile,
    is_plate,
    is_resident_id,
    normalise_mobile,
    normalise_plate,
    plate_is_new_energy,
    resident_id_birth_date,
)

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def with_check(first17: str) -> str:
    """A resident id with its ISO 7064 MOD 11-2 check character (independent of the module)."""
    return (
        first17
        + "10X98765432"[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]
    )


def china_today() -> datetime.date:
    return datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=8))).date()


def test_the_test_helper_agrees_with_the_standard_examples() -> None:
    assert with_check("11010519491231002") == "11010519491231002X"
    assert with_check("44052418800101001") == "440524188001010014"


# --- plates ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "new_energy"),
    [
        ("蒙L12345", False),
        ("蒙LA1234", False),
        ("京A·12345", False),
        ("京a·12345", False),
        ("京A-12345", False),
        (" 京A 12345 ", False),
        ("蒙L1234挂", False),
        ("京A1234学", False),
        ("京A1234警", False),
        ("粤Z1234港", False),
        ("粤Z1234澳", False),
        ("沪A1234领", False),
        ("粤B D12345", True),
        ("粤BD12345", True),
        ("沪AF12345", True),
        ("沪ADA1234", True),
        ("蒙L12345D", True),
        ("蒙L12345F", True),
    ],
)
def test_valid_plates(text: str, new_energy: bool) -> None:
    assert is_plate(text)
    assert plate_is_new_energy(text) is new_energy


@pytest.mark.parametrize(
    "text",
    [
        "",
        "蒙LI2345",  # I is never used
        "蒙LO2345",  # nor O
        "蒙IL2345",  # nor as the authority letter
        "蒙123456",  # no authority letter
        "ABC123",
        "蒙L1234",  # too short
        "蒙L1234567",  # too long
        "台A12345",  # not a province abbreviation
        "京A123挂4",  # the special character must come last
        "京A12345挂",  # ... and replaces the fifth character
        "使A12345",  # embassy plates are out of scope
        "京A1234使",
        "粤BA12345",  # new energy: 6 characters must start with D or F ...
        "粤BDA1A34",  # ... then at most one letter
        "蒙L1234DD",  # large new-energy: 5 digits then D or F
        "京A１２３４５",  # full-width digits
        "京A.12345",  # only whitespace, "·" and "-" are dropped
        "京A•12345",
    ],
)
def test_invalid_plates(text: str) -> None:
    assert not is_plate(text)
    assert not plate_is_new_energy(text)


@pytest.mark.parametrize(
    ("text", "normalised"),
    [
        ("京A·12345", "京A12345"),
        ("粤b d-12345", "粤BD12345"),
        ("\t蒙 l 1234 挂\u3000\n", "蒙L1234挂"),
    ],
)
def test_normalise_plate(text: str, normalised: str) -> None:
    assert normalise_plate(text) == normalised


# --- resident identity card numbers ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "born"),
    [
        ("11010519491231002X", datetime.date(1949, 12, 31)),
        ("11010519491231002x", datetime.date(1949, 12, 31)),  # lowercase x
        ("150302199001011231", datetime.date(1990, 1, 1)),
        ("440306198510152315", datetime.date(1985, 10, 15)),
        ("320102197006150048", datetime.date(1970, 6, 15)),
        (with_check("11010520000229001"), datetime.date(2000, 2, 29)),
        (with_check("11010519000101001"), datetime.date(1900, 1, 1)),
        (with_check("91000019800101001"), datetime.date(1980, 1, 1)),
    ],
)
def test_valid_resident_ids(text: str, born: datetime.date) -> None:
    assert is_resident_id(text)
    assert resident_id_birth_date(text) == born


def test_a_resident_id_born_today_is_valid() -> None:
    today = china_today()
    text = with_check(f"110105{today:%Y%m%d}001")
    assert is_resident_id(text)
    assert resident_id_birth_date(text) == today


@pytest.mark.parametrize(
    "text",
    [
        "",
        "110105194912310021",  # wrong check digit (X expected)
        "150302199001011234",  # wrong check digit (1 expected)
        "11010519491231002Y",
        with_check("11010519900230123"),  # 30 February
        with_check("11010519901301123"),  # month 13
        with_check("11010519900100123"),  # day 0
        with_check("11010520990101123"),  # in the future
        "440524188001010014",  # correct check digit, but born before 1900
        with_check("10010519800101001"),  # no province 10
        with_check("20010519800101001"),
        with_check("72010519800101001"),
        "11010519491231002",  # 17 characters
        "11010519491231002X1",
        "1101051949123100X2",  # X only in the last place
        "１１０１０５１９４９１２３１００２X",  # full-width digits
        "11010519491231002X\n",
        " 11010519491231002X",
    ],
)
def test_invalid_resident_ids(text: str) -> None:
    assert not is_resident_id(text)
    assert resident_id_birth_date(text) is None


def test_a_resident_id_born_tomorrow_is_invalid() -> None:
    tomorrow = china_today() + datetime.timedelta(days=1)
    assert not is_resident_id(with_check(f"110105{tomorrow:%Y%m%d}001"))


# --- unified social credit codes -------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "91350100M000100Y43",
        "91110000802100433B",
        "91440300MA5F000007",
        "Y1110000ABCDEFGHJ" + credit_code_check_character("Y1110000ABCDEFGHJ"),
        "N2110000KLMNPQRTU" + credit_code_check_character("N2110000KLMNPQRTU"),
    ],
)
def test_valid_credit_codes(text: str) -> None:
    assert is_credit_code(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "91350100M000100Y44",  # wrong check character
        "91350100M000100Y4",  # 17 characters
        "91350100M000100Y433",
        "91350100m000100y43",  # lowercase
        "91350100I000100Y43",  # forbidden letters
        "91350100O000100Y43",
        "91350100Z000100Y43",
        "91350100S000100Y43",
        "91350100V000100Y43",
        "91350100M000100Y4I",
        # registration authority 0 or B; a letter in the division code:
        "01350100M000100Y4" + credit_code_check_character("01350100M000100Y4"),
        "B1350100M000100Y4" + credit_code_check_character("B1350100M000100Y4"),
        "913501A0M000100Y4" + credit_code_check_character("913501A0M000100Y4"),
        "91350100M000100Y43\n",
    ],
)
def test_invalid_credit_codes(text: str) -> None:
    assert not is_credit_code(text)


@pytest.mark.parametrize(
    ("first17", "check"),
    [("91350100M000100Y4", "3"), ("91110000802100433", "B"), ("91440300MA5F00000", "7")],
)
def test_credit_code_check_character(first17: str, check: str) -> None:
    assert credit_code_check_character(first17) == check


@pytest.mark.parametrize(
    "first17",
    [
        "",
        "91350100M000100Y",  # 16 characters
        "91350100M000100Y43",  # 18 characters
        "91350100I000100Y4",
        "91350100O000100Y4",
        "91350100Z000100Y4",
        "91350100S000100Y4",
        "91350100V000100Y4",
        "91350100m000100y4",
        "9135010０M000100Y4",  # full-width digit
    ],
)
def test_credit_code_check_character_rejects_bad_input(first17: str) -> None:
    with pytest.raises(ValueError):
        credit_code_check_character(first17)


# --- mobile numbers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "13800138000",
        "+8613800138000",
        "8613800138000",
        "+86 138 0013 8000",
        "138-0013-8000",
        " +86-138 0013-8000 ",
        "19912345678",
    ],
)
def test_valid_mobiles(text: str) -> None:
    assert is_mobile(text)
    assert normalise_mobile(text) in {"13800138000", "19912345678"}


@pytest.mark.parametrize(
    "text",
    [
        "",
        "12800138000",  # 1[3-9] only
        "10800138000",
        "1380013800",  # 10 digits
        "138001380001",  # 12 digits
        "+8612800138000",
        "008613800138000",
        "+13800138000",
        "86+13800138000",
        "(+86)13800138000",
        "１３８００１３８０００",  # full-width digits
        "1380013800a",
        "+86 +86 13800138000",
    ],
)
def test_invalid_mobiles(text: str) -> None:
    assert not is_mobile(text)
    with pytest.raises(ValueError):
        normalise_mobile(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("0473-3123456", True), ("04733123456", True), ("0473 312 3456", True),
     ("3123456", False), ("٠٤٧٣-٣١٢٣٤٥٦", False), ("0473-31234", False)],
)  # fmt: skip
def test_landlines_have_an_area_code_and_ascii_digits(text: str, expected: bool) -> None:
    assert is_landline(text) is expected
