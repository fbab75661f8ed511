"""The contract every registered service type keeps, and the rules of the built-in ones.

The generic tests run over whatever the plugins registered; the specific ones pin the
pricing figures and cross-field rules of particular built-in types.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from plugins.builtin import SERVICE_CODES
from plugins.forms import FieldType, FormField, Location, clean_form
from plugins.identifiers import is_resident_id
from plugins.manager import create_plugin_manager
from plugins.pricing import PricingKind, Quote, QuoteRequest
from plugins.registry import ServiceRegistry
from plugins.service_types import Candidate, DispatchMode, ProviderKind, ServiceType
from tests.plugins.forms import ORDER_LOCATION, all_problems, example, quote
from wuyou import clock
from wuyou.errors import DomainError, ErrorCode

REGISTRY = ServiceRegistry.load(create_plugin_manager(load_entry_points=False))
TYPES = [pytest.param(service_type, id=service_type.code) for service_type in REGISTRY]
BRANDS = {"无忧生活", "无忧解纷", "无忧舒心"}
KM_PER_DEGREE_LAT = 6371.0088 * math.pi / 180

#: A value of the wrong JSON type for each field type, and the code it must be refused with.
WRONG_TYPE: dict[FieldType, tuple[Any, ErrorCode]] = {
    FieldType.STRING: (42, ErrorCode.INVALID),
    FieldType.TEXT: (["some", "words"], ErrorCode.INVALID),
    FieldType.NUMBER: ("many", ErrorCode.INVALID),
    FieldType.BOOLEAN: ("yes", ErrorCode.INVALID),
    FieldType.DATETIME: (1_767_225_600, ErrorCode.INVALID),
    FieldType.SINGLE_CHOICE: (1, ErrorCode.INVALID_CHOICE),
    FieldType.MULTI_CHOICE: ("NOT_A_LIST", ErrorCode.INVALID),
    FieldType.PHONE: (13904730000, ErrorCode.INVALID),
    FieldType.PLATE: (12345, ErrorCode.INVALID),
    FieldType.ID_NUMBER: (150302198805120033, ErrorCode.INVALID),
    FieldType.LOCATION: ("海勃湾区", ErrorCode.INVALID),
}


def service(code: str) -> ServiceType:
    found = REGISTRY.get(code)
    assert found is not None, code
    return found


def form_problems(service_type: ServiceType, raw: Mapping[str, Any]) -> set[tuple[str, str]]:
    """(field, code) of every problem ``clean_form`` finds."""
    try:
        clean_form(service_type.fields, raw)
    except DomainError as error:
        return {(str(p.field), p.code) for p in error.problems}
    return set()


def north_of_order(km: float) -> dict[str, Any]:
    """A LOCATION value ``km`` due north of the order's location."""
    lat = ORDER_LOCATION.lat + km / KM_PER_DEGREE_LAT
    return {"lat": lat, "lng": ORDER_LOCATION.lng, "address": "乌海市"}


def bad_values(field: FormField) -> Iterator[tuple[str, Any, ErrorCode]]:
    """(case, value, expected code) for values ``field`` must refuse.

    A time is given as its offset from now (a ``timedelta``), turned into a value when
    the test runs.
    """
    wrong, code = WRONG_TYPE[field.type]
    yield "wrong-type", wrong, code
    if field.type is FieldType.NUMBER:
        step = 1 if field.integer else 0.01
        if field.minimum is not None:
            yield "below-minimum", field.minimum - step, ErrorCode.OUT_OF_RANGE
        if field.maximum is not None:
            yield "above-maximum", field.maximum + step, ErrorCode.OUT_OF_RANGE
        if field.integer:
            low = 0 if field.minimum is None else field.minimum
            yield "fraction", low + 0.5, ErrorCode.INVALID
    if field.type is FieldType.DATETIME:
        if field.future:
            yield "past", -timedelta(hours=1), ErrorCode.OUT_OF_RANGE
        if field.past:
            yield "future", timedelta(days=1), ErrorCode.OUT_OF_RANGE
        if field.max_days_ahead is not None:
            yield "too-far-ahead", timedelta(days=field.max_days_ahead + 1), ErrorCode.OUT_OF_RANGE
    if field.type is FieldType.SINGLE_CHOICE:
        yield "unknown-choice", "NOT_A_CHOICE", ErrorCode.INVALID_CHOICE
    if field.type is FieldType.MULTI_CHOICE:
        yield "unknown-choice", ["NOT_A_CHOICE"], ErrorCode.INVALID_CHOICE
    if field.type in (FieldType.STRING, FieldType.TEXT):
        if field.max_length is not None:
            yield "too-long", "字" * (field.max_length + 1), ErrorCode.TOO_LONG
        if field.minimum is not None and field.minimum >= 2:
            yield "too-short", "字" * (int(field.minimum) - 1), ErrorCode.TOO_SHORT


FIELDS = [
    pytest.param(service_type, field, id=f"{service_type.code}.{field.code}")
    for service_type in REGISTRY
    for field in service_type.fields
]
BAD_VALUES = [
    pytest.param(service_type, field, value, code, id=f"{service_type.code}.{field.code}-{case}")
    for service_type in REGISTRY
    for field in service_type.fields
    for case, value, code in bad_values(field)
]


# --- what is registered ----------------------------------------------------------------------


def test_the_22_built_in_types_are_registered_in_catalogue_order_each_by_its_own_module() -> None:
    assert [service_type.code for service_type in REGISTRY] == list(SERVICE_CODES)
    assert len(SERVICE_CODES) == 22
    for code in SERVICE_CODES:
        assert REGISTRY.plugin_of(code) == f"plugins.builtin.{code}"


def test_every_field_type_has_a_wrong_value_in_these_tests() -> None:
    assert set(WRONG_TYPE) == set(FieldType)


# --- the contract, for every registered type -------------------------------------------------


@pytest.mark.parametrize("service_type", TYPES)
def test_the_example_form_is_valid_and_quotes(service_type: ServiceType) -> None:
    values = clean_form(service_type.fields, example(service_type))
    assert service_type.cross_check(values) == []
    result = service_type.pricing.quote(QuoteRequest(values, ORDER_LOCATION))
    assert isinstance(result, Quote) and result.currency == "CNY"
    kind = service_type.pricing.kind
    assert (result.amount is None) == (kind is PricingKind.QUOTE)
    if result.amount is not None:
        assert result.amount == result.amount.quantize(Decimal("0.01"))
        assert (result.amount < 0) == (kind is PricingKind.RECYCLING)
        assert (result.amount == 0) == (kind is PricingKind.FREE)
        if result.lines:
            assert sum(line.amount for line in result.lines) == result.amount


@pytest.mark.parametrize("service_type", TYPES)
def test_an_unknown_field_is_refused(service_type: ServiceType) -> None:
    raw = example(service_type, notAField="x")
    assert form_problems(service_type, raw) == {("form.notAField", ErrorCode.UNKNOWN_FIELD)}


@pytest.mark.parametrize("service_type", TYPES)
def test_the_declaration_is_sane(service_type: ServiceType) -> None:
    assert re.fullmatch(r"[a-z]+(_[a-z]+)*", service_type.code)
    assert service_type.name and service_type.name_en and service_type.description
    assert service_type.brand in BRANDS
    assert service_type.fields and service_type.example is not None
    for field in service_type.fields:
        assert re.fullmatch(r"[a-z][a-zA-Z0-9]*", field.code), field.code
        assert field.label
        assert not (field.future and field.past), field.code
        if field.type in (FieldType.STRING, FieldType.TEXT):
            assert field.max_length is not None, field.code
        if field.future:
            assert field.max_days_ahead is not None and field.max_days_ahead > 0, field.code
        if field.minimum is not None and field.maximum is not None:
            assert field.minimum <= field.maximum, field.code
        for choice in field.choices:
            assert re.fullmatch(r"[A-Z][A-Z0-9]*(_[A-Z0-9]+)*", choice.code), choice.code
            assert choice.label and choice.label_en, choice.code
        assert len({c.code for c in field.choices}) == len(field.choices), field.code
    codes = [q.code for q in service_type.qualifications]
    assert len(set(codes)) == len(codes)
    assert all(re.fullmatch(r"[a-z]+(_[a-z]+)*", code) for code in codes)
    if service_type.provider_kind is not ProviderKind.COMMERCIAL:
        assert any(q.required for q in service_type.qualifications)
    dispatch = service_type.dispatch
    assert dispatch.accept_timeout > timedelta(0)
    assert (dispatch.k >= 2) == (dispatch.mode is DispatchMode.BROADCAST)
    assert len({o.code for o in service_type.outcomes}) == len(service_type.outcomes)


@pytest.mark.parametrize("service_type", TYPES)
def test_ranking_orders_the_candidates_without_losing_any(service_type: ServiceType) -> None:
    candidates = [
        Candidate(1, "近", 0.8, 4.2, 1, 5, frozenset({"MEDICAL"}), 3),
        Candidate(2, "远", 7.5, 4.9, 0, 5, frozenset(), 0),
        Candidate(3, "新", 2.0, None, 4, 5, frozenset({"LABOUR"}), 2),
    ]
    values = clean_form(service_type.fields, example(service_type))
    ranked = service_type.rank(candidates, values)
    assert sorted(c.merchant_id for c in ranked) == [1, 2, 3]


@pytest.mark.parametrize("service_type", TYPES)
def test_the_example_is_not_an_emergency(service_type: ServiceType) -> None:
    if service_type.is_urgent is not None:
        values = clean_form(service_type.fields, example(service_type))
        assert service_type.is_urgent(values) is False


@pytest.mark.parametrize(("service_type", "field"), FIELDS)
def test_leaving_a_field_out_is_refused_iff_it_is_required(
    service_type: ServiceType, field: FormField
) -> None:
    expected = {(f"form.{field.code}", ErrorCode.REQUIRED)} if field.required else set()
    left_out = example(service_type, **{field.code: None})
    assert form_problems(service_type, left_out) == expected
    for empty in (None, ""):
        raw = {**example(service_type), field.code: empty}
        assert form_problems(service_type, raw) == expected


@pytest.mark.parametrize(("service_type", "field", "value", "code"), BAD_VALUES)
def test_a_bad_value_is_refused_with_its_code(
    service_type: ServiceType, field: FormField, value: Any, code: ErrorCode
) -> None:
    if isinstance(value, timedelta):
        value = (clock.now() + value).isoformat()
    raw = example(service_type, **{field.code: value})
    assert form_problems(service_type, raw) == {(f"form.{field.code}", code)}


PLATE_FIELDS = [
    pytest.param(service_type, field, id=f"{service_type.code}.{field.code}")
    for service_type in REGISTRY
    for field in service_type.fields
    if field.type is FieldType.PLATE
]


@pytest.mark.parametrize(("service_type", "field"), PLATE_FIELDS)
@pytest.mark.parametrize("plate", ["蒙L12345", "蒙L·A1234", "蒙LD12345", "蒙LDA1234", "蒙L12345F"])
def test_ordinary_and_new_energy_plates_are_accepted(
    service_type: ServiceType, field: FormField, plate: str
) -> None:
    values = clean_form(service_type.fields, example(service_type, **{field.code: plate}))
    assert values[field.code] == plate.replace("·", "")


# --- rules of particular types ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "qualification"),
    [
        ("housekeeping", "housekeeping_licence"),
        ("housekeeping", "health_certificate"),
        ("road_rescue", "road_rescue_licence"),
        ("road_rescue", "tow_truck"),
        ("designated_driving", "driver_experience"),
        ("vehicle_inspection", "inspection_agency_record"),
        ("unlocking", "police_registration"),
        ("pest_control", "pest_control_licence"),
        ("elderly_care", "elderly_care_certificate"),
        ("medical_escort", "health_certificate"),
        ("childcare", "maternal_infant_care_certificate"),
        ("legal_consultation", "lawyer_licence"),
        ("psychological_support", "counsellor_certificate"),
    ],
)
def test_the_catalogues_qualifications_are_required(code: str, qualification: str) -> None:
    required = {q.code for q in service(code).qualifications if q.required}
    assert qualification in required


def test_electrician_certificate_is_asked_for_but_not_required_for_every_repair() -> None:
    [certificate] = service("home_repair").qualifications
    assert certificate.code == "electrician_certificate" and not certificate.required


def test_housekeeping_is_paid_by_the_hour_and_deep_cleaning_needs_four() -> None:
    housekeeping = service("housekeeping")
    assert quote(housekeeping, example(housekeeping, hours=3)).amount == Decimal("135.00")
    deep = example(housekeeping, tasks=["DEEP_CLEANING"], hours=3)
    assert all_problems(housekeeping, deep) == {("form.hours", ErrorCode.OUT_OF_RANGE)}
    deep["hours"] = 4
    assert quote(housekeeping, deep).amount == Decimal("180.00")


def test_towing_needs_a_destination_and_other_faults_take_none() -> None:
    rescue = service("road_rescue")
    no_destination = example(rescue, fault="TOW", towDestination=None)
    assert all_problems(rescue, no_destination) == {("form.towDestination", ErrorCode.REQUIRED)}
    jump_start = example(rescue, fault="JUMP_START")
    assert all_problems(rescue, jump_start) == {("form.towDestination", ErrorCode.INVALID)}
    del jump_start["towDestination"]
    assert quote(rescue, jump_start).amount == Decimal("150.00")


@pytest.mark.parametrize(
    ("code", "destination_field", "km", "amount"),
    [
        ("road_rescue", "towDestination", 12, "206.00"),  # 150 + 7 km × 8
        ("road_rescue", "towDestination", 4, "150.00"),  # within the 5 km included
        ("designated_driving", "destination", 10, "59.00"),  # 39 + 5 km × 4
        ("errand", "destination", 8, "22.00"),  # 12 + 5 km × 2
    ],
)
def test_distance_pricing_charges_the_kilometres_beyond_the_base(
    code: str, destination_field: str, km: int, amount: str
) -> None:
    destination = north_of_order(km)
    there = Location(destination["lat"], destination["lng"])
    assert round(ORDER_LOCATION.distance_km(there), 1) == km
    service_type = service(code)
    raw = example(service_type, **{destination_field: destination})
    assert quote(service_type, raw).amount == Decimal(amount)


def test_unlocking_refuses_a_resident_id_with_a_bad_checksum() -> None:
    unlocking = service("unlocking")
    good = example(unlocking)["idNumber"]
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    assert is_resident_id(good) and not is_resident_id(bad)
    raw = example(unlocking, idNumber=bad)
    assert form_problems(unlocking, raw) == {("form.idNumber", ErrorCode.INVALID)}


def test_unlocking_needs_the_ownership_confirmed_and_a_plate_for_a_car() -> None:
    unlocking = service("unlocking")
    unconfirmed = example(unlocking, ownerConfirmed=False)
    assert all_problems(unlocking, unconfirmed) == {("form.ownerConfirmed", ErrorCode.REQUIRED)}
    car = example(unlocking, lockType="CAR")
    assert all_problems(unlocking, car) == {("form.plate", ErrorCode.REQUIRED)}
    car["plate"] = "蒙LD12345"
    assert all_problems(unlocking, car) == set()
    assert quote(unlocking, car).amount is None


def test_vehicle_inspection_is_fixed_and_refuses_cars_still_exempt() -> None:
    inspection = service("vehicle_inspection")
    now = clock.now()
    assert quote(inspection, example(inspection)).amount == Decimal("150.00")
    three_years_old = example(
        inspection, registrationDate=(now - timedelta(days=3 * 365)).isoformat()
    )
    assert all_problems(inspection, three_years_old) == {
        ("form.registrationDate", ErrorCode.INVALID)
    }
    # Due at six years; an inspection may be done up to three months early.
    almost_six = (now - timedelta(days=6 * 365 - 60)).isoformat()
    assert all_problems(inspection, example(inspection, registrationDate=almost_six)) == set()
    truck = example(
        inspection, vehicleType="TRUCK", registrationDate=three_years_old["registrationDate"]
    )
    assert all_problems(inspection, truck) == set()


def test_fixed_prices_add_their_surcharges() -> None:
    dredging = service("pipe_dredging")
    assert quote(dredging, example(dredging, urgent=False)).amount == Decimal("80.00")
    assert quote(dredging, example(dredging, urgent=True)).amount == Decimal("130.00")
    escort = service("medical_escort")
    assert quote(escort, example(escort)).amount == Decimal("120.00")
    assert quote(escort, example(escort, fullDay=True)).amount == Decimal("220.00")


def test_per_unit_prices() -> None:
    cleaning = service("appliance_cleaning")
    raw = example(cleaning, appliances=["RANGE_HOOD", "AC_WALL", "WASHER"])
    assert quote(cleaning, raw).amount == Decimal("290.00")
    water = service("water_delivery")
    assert quote(water, example(water, buckets=10)).amount == Decimal("180.00")


def test_recycling_pays_the_citizen_by_weight() -> None:
    recycling = service("recycling")
    assert quote(recycling, example(recycling, weight=50)).amount == Decimal("-40.00")


@pytest.mark.parametrize(
    ("age", "amount"), [(60, "80.00"), (79, "80.00"), (80, "0.00"), (85, "0.00")]
)
def test_elderly_care_is_hourly_and_free_from_80(age: int, amount: str) -> None:
    care = service("elderly_care")
    result = quote(care, example(care, elderAge=age, hours=2))
    assert result.amount == Decimal(amount)
    assert sum(line.amount for line in result.lines) == result.amount


def test_a_maternity_nurse_is_for_newborns() -> None:
    childcare = service("childcare")
    older = example(childcare, babyAgeMonths=6)
    assert all_problems(childcare, older) == {("form.babyAgeMonths", ErrorCode.OUT_OF_RANGE)}
    assert all_problems(childcare, {**older, "kind": "NANNY"}) == set()
    assert all_problems(childcare, example(childcare, babyAgeMonths=1)) == set()


def test_a_psychological_crisis_is_urgent_and_pairs_a_community_mediator() -> None:
    support = service("psychological_support")
    assert support.is_urgent is not None
    assert support.companion_kind is ProviderKind.MEDIATION_ORG
    assert support.provider_kind is ProviderKind.COUNSELLOR
    assert support.dispatch.mode is DispatchMode.BROADCAST
    assert support.dispatch.accept_timeout <= timedelta(seconds=60)
    for changes in ({"crisis": True}, {"topic": "CRISIS"}):
        values = clean_form(support.fields, example(support, **changes))
        assert support.is_urgent(values) is True
    calm = clean_form(support.fields, example(support, crisis=False))
    assert support.is_urgent(calm) is False


def test_an_in_person_session_needs_an_appointment_unless_it_is_a_crisis() -> None:
    support = service("psychological_support")
    walk_in = example(support, channel="IN_PERSON", preferredTime=None)
    assert all_problems(support, walk_in) == {("form.preferredTime", ErrorCode.REQUIRED)}
    assert all_problems(support, {**walk_in, "crisis": True}) == set()


def committee(merchant_id: int, depth: int, km: float, *specialties: str) -> Candidate:
    return Candidate(
        merchant_id, f"调委会{merchant_id}", km, None, 0, 10, frozenset(specialties), depth
    )


def test_mediation_goes_to_the_industry_committee_then_the_closest_coverage() -> None:
    mediation = service("dispute_mediation")
    city, town, community = committee(1, 0, 1.0), committee(2, 2, 3.0), committee(3, 3, 2.5)
    medical = committee(4, 0, 6.0, "MEDICAL")
    candidates = [city, medical, town, community]
    ranked = mediation.rank(candidates, {"disputeType": "MEDICAL"})
    assert [c.merchant_id for c in ranked] == [4, 3, 2, 1]
    ranked = mediation.rank(candidates, {"disputeType": "NEIGHBOURS"})
    assert [c.merchant_id for c in ranked] == [3, 2, 1, 4]


def test_mediation_records_whether_the_parties_agreed() -> None:
    mediation = service("dispute_mediation")
    assert mediation.provider_kind is ProviderKind.MEDIATION_ORG
    assert [o.code for o in mediation.outcomes] == ["AGREEMENT_REACHED", "NO_AGREEMENT"]
    assert mediation.brand == service("legal_consultation").brand == "无忧解纷"
    assert service("psychological_support").brand == "无忧舒心"


def test_legal_consultation_prefers_firms_versed_in_the_topic() -> None:
    consultation = service("legal_consultation")
    assert consultation.provider_kind is ProviderKind.LAW_FIRM
    generalist = Candidate(1, "综合律所", 0.5, 4.9, 0, 10)
    labour = Candidate(2, "劳动法律所", 8.0, 4.0, 5, 10, frozenset({"LABOUR"}))
    ranked = consultation.rank([generalist, labour], {"topic": "LABOUR"})
    assert [c.merchant_id for c in ranked] == [2, 1]
    ranked = consultation.rank([generalist, labour], {"topic": "FAMILY"})
    assert [c.merchant_id for c in ranked] == [1, 2]


def test_heating_repair_goes_to_the_company_covering_the_area() -> None:
    heating = service("heating_repair")
    citywide = Candidate(1, "市热力公司", 0.5, 4.8, 0, 10, coverage_depth=0)
    district = Candidate(2, "海勃湾区供热站", 4.0, 4.0, 0, 10, coverage_depth=1)
    assert [c.merchant_id for c in heating.rank([citywide, district], {})] == [2, 1]
    assert heating.pricing.kind is PricingKind.FREE
