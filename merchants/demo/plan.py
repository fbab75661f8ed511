"""Who the demo providers are, worked out without touching the database.

Each part (commercial merchants, mediation organisations, counsellors, law firms, the demo
merchant) draws from a random generator of its own with a fixed seed, so every run plans
the same providers with the same unified social credit codes. Commercial merchants are
planned one after another: the first ``k`` of ``n`` are the ``k`` a smaller run plans, so
raising ``--merchants`` later only adds providers.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from grids.demo import DEMO_GRID
from grids.demo.people import mobile_number, person_name
from grids.demo.plan import apportion
from grids.models import AreaLevel, GridType
from merchants.demo import names
from merchants.models import MerchantStatus
from merchants.providers import QualificationDocument, document_json
from plugins.forms import FieldType
from plugins.identifiers import CREDIT_CODE_ALPHABET, credit_code_check_character, is_credit_code
from plugins.registry import ServiceRegistry
from plugins.service_types import ProviderKind, ServiceType

#: The demo merchant anyone may work for by signing in as ``demo-merchant``.
DEMO_MERCHANT = "无忧演示服务商"
DEMO_MERCHANT_ACCOUNT = "demo-merchant"
#: What the demo merchant serves (those the registry has).
DEMO_MERCHANT_SERVICES = (
    "car_moving",
    "housekeeping",
    "home_repair",
    "water_delivery",
    "road_rescue",
    "unlocking",
    "errand",
    "pipe_dredging",
)
DEMO_MERCHANT_CAPACITY = 20

DISPUTE_MEDIATION = "dispute_mediation"
PSYCHOLOGICAL_SUPPORT = "psychological_support"
LEGAL_CONSULTATION = "legal_consultation"

#: Wuhai's published count of mediation organisations, and how it splits.
MEDIATION_ORGS = 175
PEOPLES_COMMITTEES = 103  # one per street or town (20) and per community or village (83)
INDUSTRY_COMMITTEES = 45
MEDIATION_STUDIOS = 27
COUNSELLORS = 40
LAW_FIRMS = 8
DEFAULT_COMMERCIAL = 1300

#: Staff usernames are this prefix and the lower-cased credit code.
STAFF_PREFIX = "m-"
WUHAI_AREA_CODE = "0473"

_COMMERCIAL_SEED = 150_301
_MEDIATION_SEED = 150_302
_COUNSELLOR_SEED = 150_303
_LAW_FIRM_SEED = 150_304
_DEMO_SEED = 150_305
# Registration authority and type (the first two characters of a credit code).
_COMPANY = "91"
_INDIVIDUAL_BUSINESS = "92"
_LAW_FIRM = "31"
_JUDICIAL_OTHER = "39"  # mediation organisations, registered with the justice bureau
_SOCIAL_ORGANISATION = "52"
# The character after "MA" tells the parts apart, so their codes never collide.
_SERIES_COMMERCIAL = "C"
_SERIES_MEDIATION = "M"
_SERIES_COUNSELLOR = "P"
_SERIES_LAW_FIRM = "L"
_SERIES_DEMO = "D"
_SERIAL_SPACE = len(CREDIT_CODE_ALPHABET) ** 6
# Share of commercial merchants by status, and of approved ones on duty.
_PENDING_SHARE = 0.06
_SUSPENDED_SHARE = 0.01
_ON_DUTY_SHARE = 0.86
_RATED_SHARE = 0.85


@dataclass(frozen=True, slots=True)
class Place:
    """An area of the demo city as the plan needs it (its id and centroid from the database)."""

    id: int
    code: str
    name: str
    level: AreaLevel
    path: str
    population: int
    grid_type: GridType | None
    lat: float
    lng: float


class CityMap:
    """The demo city's areas by code, with their children and the grids beneath each."""

    def __init__(self, places: Iterable[Place]) -> None:
        ordered = sorted(places, key=lambda p: p.path)
        self.places: dict[str, Place] = {p.code: p for p in ordered}
        self._children: dict[str, list[Place]] = {}
        self._grids: dict[str, list[Place]] = {}
        for place in ordered:
            codes = place.path.rstrip("/").split("/")
            if len(codes) > 1:
                self._children.setdefault(codes[-2], []).append(place)
            if place.level is AreaLevel.GRID and place.grid_type is not GridType.DEDICATED:
                for code in codes:
                    self._grids.setdefault(code, []).append(place)
        self.city = next(p for p in ordered if p.level is AreaLevel.CITY)
        self.districts = self.children(self.city.code)

    def children(self, code: str) -> list[Place]:
        """The areas directly beneath ``code``, by code."""
        return self._children.get(code, [])

    def grids_under(self, code: str) -> list[Place]:
        """The regular (not dedicated) grids beneath ``code``, by code."""
        return self._grids.get(code, [])

    def ancestor(self, place: Place, level: AreaLevel) -> Place:
        """The area of ``level`` that ``place`` lies in (``place`` itself at that level)."""
        for code in place.path.rstrip("/").split("/"):
            if self.places[code].level is level:
                return self.places[code]
        raise ValueError(f"{place.code} lies in no {level.value}")


@dataclass(frozen=True, slots=True)
class Offering:
    """A service type a planned provider serves, with its documents (as stored)."""

    service_type: str
    documents: tuple[dict[str, Any], ...]


@dataclass(frozen=True, slots=True)
class MerchantPlan:
    """One demo provider: what its registration, review and history will say."""

    credit_code: str
    name: str
    kind: ProviderKind
    contact_name: str
    contact_phone: str
    staff_phone: str
    address: str
    base_grid: Place
    areas: tuple[Place, ...]
    offerings: tuple[Offering, ...]
    capacity: int
    status: MerchantStatus
    on_duty: bool
    registered_at: datetime
    approved_at: datetime | None = None
    suspended_at: datetime | None = None
    review_note: str = ""
    rating_sum: int = 0
    rating_count: int = 0
    description: str = ""
    specialties: tuple[str, ...] = ()
    #: The staff account; empty for a new one named after the credit code.
    staff_username: str = ""

    @property
    def username(self) -> str:
        """The staff account's username."""
        return self.staff_username or STAFF_PREFIX + self.credit_code.lower()

    @property
    def reviewed_at(self) -> datetime | None:
        """When an administrator last decided on it."""
        return self.suspended_at or self.approved_at

    @property
    def updated_at(self) -> datetime:
        """When it last changed."""
        return self.reviewed_at or self.registered_at


def credit_code(authority: str, division: str, series: str, serial: int) -> str:
    """A valid unified social credit code: authority and type (2), division code (6),
    "MA", the series (1) and a scrambled serial (6), then the check character."""
    scrambled = (serial * 7919 + 104_729) % _SERIAL_SPACE  # a bijection: 7919 is prime
    digits = ""
    for _ in range(6):
        scrambled, digit = divmod(scrambled, len(CREDIT_CODE_ALPHABET))
        digits = CREDIT_CODE_ALPHABET[digit] + digits
    first17 = f"{authority}{division}MA{series}{digits}"
    code = first17 + credit_code_check_character(first17)
    assert is_credit_code(code), code
    return code


class _Draw:
    """A part's random generator, with names and mobile numbers no one else in it has."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self._phones: set[str] = set()
        self._names: set[str] = set()

    def person(self) -> str:
        return person_name(self.rng)

    def mobile(self) -> str:
        return mobile_number(self.rng, self._phones)

    def landline(self) -> str:
        return f"{WUHAI_AREA_CODE}-{self.rng.choice('2346')}{self.rng.randrange(10**6):06d}"

    def unique(self, make: Iterator[str]) -> str:
        """The first name from ``make`` not planned before in this part."""
        for name in make:
            if name not in self._names:
                self._names.add(name)
                return name
        raise AssertionError("unreachable: name generators never end")

    def weighted(self, places: Sequence[Place], k: int = 1) -> list[Place]:
        """``k`` distinct places, the more populous the likelier."""
        pool = list(places)
        chosen: list[Place] = []
        for _ in range(min(k, len(pool))):
            pick = self.rng.choices(pool, weights=[max(p.population, 1) for p in pool])[0]
            chosen.append(pick)
            pool.remove(pick)
        return chosen

    def address(self, city: CityMap, grid: Place) -> str:
        district = city.ancestor(grid, AreaLevel.DISTRICT)
        street = city.ancestor(grid, AreaLevel.STREET)
        road = self.rng.choice(names.ROADS.get(district.code, names.ROADS_ELSEWHERE))
        number = self.rng.randint(1, 399)
        return f"{names.CITY_PREFIX}{district.name}{street.name}{road}{number}号"

    def rating(self, low: float = 3.8, high: float = 5.0, scale: float = 3.2) -> tuple[int, int]:
        """(sum of stars, number of ratings) averaging between ``low`` and ``high``."""
        count = min(999, max(1, int(self.rng.lognormvariate(scale, 1.0))))
        average = self.rng.triangular(low, high, min(high, 4.7))
        stars = round(average * count)
        return min(max(stars, math.ceil(low * count)), int(high * count)), count

    def documents(
        self,
        service_type: ServiceType,
        today: date,
        *,
        issuer: str = "",
        optional_share: float = 0.6,
    ) -> tuple[dict[str, Any], ...]:
        """A document for every required qualification, and for some optional ones."""
        documents = []
        for qualification in service_type.qualifications:
            if not qualification.required and self.rng.random() >= optional_share:
                continue
            issued_by, prefix = names.ISSUERS.get(qualification.code, names.DEFAULT_ISSUER)
            year = self.rng.randint(2016, today.year - 1)
            document = QualificationDocument(
                code=qualification.code,
                number=f"{prefix}{year}{self.rng.randrange(10**6):06d}",
                issued_by=issuer or issued_by,
                valid_until=today + timedelta(days=self.rng.randint(120, 5 * 365)),
            )
            documents.append(document_json(document))
        return tuple(documents)

    def history(
        self, now: datetime, earliest_days: float, latest_days: float
    ) -> tuple[datetime, datetime]:
        """(registered, approved): registered between the two ages, approved within 3 days."""
        registered = now - timedelta(days=self.rng.uniform(latest_days, earliest_days))
        return registered, registered + timedelta(hours=self.rng.uniform(2, 72))


#: The demo merchant's credit code: its key, whatever the registry holds.
DEMO_MERCHANT_CREDIT_CODE = credit_code(_COMPANY, "150302", _SERIES_DEMO, 1)


def choice_codes(service_type: ServiceType | None, field_code: str | None = None) -> list[str]:
    """The codes of a type's form field ``field_code``, or of its first SINGLE_CHOICE field."""
    if service_type is None:
        return []
    for form_field in service_type.fields:
        wanted = (
            form_field.code == field_code
            if field_code
            else form_field.type is FieldType.SINGLE_CHOICE
        )
        if wanted:
            return [choice.code for choice in form_field.choices]
    return []


def _typed(registry: ServiceRegistry, code: str, kind: ProviderKind) -> ServiceType | None:
    service_type = registry.get(code)
    return service_type if service_type is not None and service_type.provider_kind is kind else None


# --- Commercial merchants ---------------------------------------------------------------------


def commercial_schedule(types: Sequence[ServiceType], count: int) -> list[str]:
    """The main service type of each of ``count`` merchants: every type once (commonest
    first), then smooth weighted round robin, so any prefix is spread by the weights."""
    weights = {t.code: names.COMMERCIAL_WEIGHTS.get(t.code, names.DEFAULT_WEIGHT) for t in types}
    order = sorted(weights, key=lambda code: -weights[code])
    schedule = order[:count]
    total = sum(weights.values())
    current = dict.fromkeys(order, 0)
    while len(schedule) < count:
        for code in order:
            current[code] += weights[code]
        pick = max(order, key=lambda code: current[code])
        current[pick] -= total
        schedule.append(pick)
    return schedule


def plan_commercial(
    city: CityMap, registry: ServiceRegistry, count: int, now: datetime
) -> list[MerchantPlan]:
    """``count`` COMMERCIAL merchants, each serving 1–3 of the registered commercial types."""
    types = [t for t in registry if t.provider_kind is ProviderKind.COMMERCIAL]
    if not types or count <= 0:
        return []
    by_code = {t.code: t for t in types}
    draw = _Draw(_COMMERCIAL_SEED)
    rng = draw.rng
    today = now.date()
    covered: set[str] = set()
    heating_companies = 0
    plans = []
    for serial, primary in enumerate(commercial_schedule(types, count), start=1):
        scope = rng.random()
        if primary == names.HEATING:
            district = city.districts[heating_companies % len(city.districts)]
            heating_companies += 1
            areas = [district]
        else:
            district = draw.weighted(city.districts)[0]
            if scope < 0.05:
                areas = [city.city]
            elif scope < 0.30:
                areas = [district]
            else:
                k = rng.choices((1, 2, 3), weights=(6, 3, 1))[0]
                areas = draw.weighted(city.children(district.code), k)
        base = rng.choice(
            city.grids_under(areas[0].code if areas[0] is not city.city else district.code)
        )
        offered = [primary, *_secondary(rng, primary, by_code)]
        name = draw.unique(_business_names(rng, primary, by_code[primary], areas, district))
        forced = primary not in covered or primary == names.HEATING
        covered.add(primary)
        status, on_duty = _status(rng, forced)
        if status is MerchantStatus.PENDING:
            registered = now - timedelta(hours=rng.uniform(1, 240))
            approved = None
        else:
            registered, approved = draw.history(now, 900, 30)
        suspended = None
        note = names.APPROVAL_NOTE if approved else ""
        if status is MerchantStatus.SUSPENDED:
            assert approved is not None
            suspended = approved + (now - approved) * rng.uniform(0.3, 0.95)
            note = rng.choice(names.SUSPENSION_NOTES)
        rating_sum, rating_count = (
            draw.rating() if approved and rng.random() < _RATED_SHARE else (0, 0)
        )
        authority = _COMPANY if name.endswith("公司") else _INDIVIDUAL_BUSINESS
        division = city.ancestor(base, AreaLevel.DISTRICT).code
        contact = draw.person()
        mobile = draw.mobile()
        plans.append(
            MerchantPlan(
                credit_code=credit_code(authority, division, _SERIES_COMMERCIAL, serial),
                name=name,
                kind=ProviderKind.COMMERCIAL,
                contact_name=contact,
                contact_phone=mobile,
                staff_phone=mobile,
                address=draw.address(city, base),
                base_grid=base,
                areas=tuple(areas),
                offerings=tuple(
                    Offering(code, draw.documents(by_code[code], today)) for code in offered
                ),
                capacity=10 if primary == names.HEATING else rng.randint(1, 10),
                status=status,
                on_duty=on_duty,
                registered_at=registered,
                approved_at=approved,
                suspended_at=suspended,
                review_note=note,
                rating_sum=rating_sum,
                rating_count=rating_count,
                description=(
                    f"提供{'、'.join(by_code[c].name for c in offered)}。"
                    f"服务范围：{'、'.join(a.name for a in areas)}。"
                ),
            )
        )
    return plans


def _secondary(rng: random.Random, primary: str, by_code: Mapping[str, ServiceType]) -> list[str]:
    options = [
        code
        for code in names.RELATED.get(primary, ())
        if code in by_code and code not in (primary, names.HEATING)
    ]
    extra = rng.choices((0, 1, 2), weights=(50, 35, 15))[0]
    return rng.sample(options, min(extra, len(options)))


def _business_names(
    rng: random.Random,
    primary: str,
    service_type: ServiceType,
    areas: Sequence[Place],
    district: Place,
) -> Iterator[str]:
    """Candidate names: place + trade name (字号) + industry and legal form."""
    prefix = names.CITY_PREFIX if areas[0].level is AreaLevel.CITY else district.name
    tails = names.NAME_TAILS.get(primary) or tuple(
        service_type.name + tail for tail in names.GENERIC_TAILS
    )
    own = names.TRADE_NAMES.get(primary, ())
    attempt = 0
    while True:
        if attempt < 30:
            pool = own if own and rng.random() < 0.5 else names.TRADE_NAMES_GENERAL
            trade = rng.choice(pool)
        else:  # every short trade name is taken: join two
            trade = rng.choice(names.TRADE_NAMES_GENERAL) + rng.choice(names.TRADE_NAMES_GENERAL)
        attempt += 1
        yield f"{prefix}{trade}{rng.choice(tails)}"


def _status(rng: random.Random, forced: bool) -> tuple[MerchantStatus, bool]:
    """Review status and duty: most approved and on duty; the first of each type surely."""
    draw = rng.random()
    duty = rng.random()
    if forced:
        return MerchantStatus.APPROVED, True
    if draw < _PENDING_SHARE:
        return MerchantStatus.PENDING, False
    if draw < _PENDING_SHARE + _SUSPENDED_SHARE:
        return MerchantStatus.SUSPENDED, False
    return MerchantStatus.APPROVED, duty < _ON_DUTY_SHARE


# --- Mediation organisations ------------------------------------------------------------------


def plan_mediation(city: CityMap, registry: ServiceRegistry, now: datetime) -> list[MerchantPlan]:
    """175 mediation organisations serving ``dispute_mediation``: a people's mediation
    committee per street, town, community and village, 45 industry committees across
    the city and 27 individual mediation studios, each covering its district."""
    service = _typed(registry, DISPUTE_MEDIATION, ProviderKind.MEDIATION_ORG)
    if service is None:
        return []
    dispute_types = choice_codes(service)
    draw = _Draw(_MEDIATION_SEED)
    rng = draw.rng
    today = now.date()
    plans: list[MerchantPlan] = []

    def add(
        name: str,
        area: Place,
        base: Place,
        address: str,
        capacity: int,
        description: str,
        specialties: Sequence[str] = (),
        contact: str = "",
    ) -> None:
        district = city.ancestor(base, AreaLevel.DISTRICT)
        division = city.city.code if name.startswith(names.CITY_PREFIX) else district.code
        issuer = (
            f"{names.CITY_PREFIX}司法局" if division == city.city.code else f"{district.name}司法局"
        )
        registered, approved = draw.history(now, 500, 200)
        rating_sum, rating_count = draw.rating(4.2, 5.0, 2.5) if rng.random() < 0.7 else (0, 0)
        plans.append(
            MerchantPlan(
                credit_code=credit_code(
                    _JUDICIAL_OTHER, division, _SERIES_MEDIATION, len(plans) + 1
                ),
                name=name,
                kind=ProviderKind.MEDIATION_ORG,
                contact_name=contact or draw.person(),
                contact_phone=draw.landline(),
                staff_phone=draw.mobile(),
                address=address,
                base_grid=base,
                areas=(area,),
                offerings=(Offering(service.code, draw.documents(service, today, issuer=issuer)),),
                capacity=capacity,
                status=MerchantStatus.APPROVED,
                on_duty=True,
                registered_at=registered,
                approved_at=approved,
                review_note=names.APPROVAL_NOTE,
                rating_sum=rating_sum,
                rating_count=rating_count,
                description=description,
                specialties=tuple(specialties),
            )
        )

    # People's mediation committees: every street and town, then its communities and villages.
    for district in city.districts:
        for street in city.children(district.code):
            add(
                f"{district.name}{street.name}人民调解委员会",
                street,
                city.grids_under(street.code)[0],
                f"{names.CITY_PREFIX}{district.name}{street.name}司法所",
                rng.randint(4, 8),
                f"{street.name}的人民调解委员会：调解辖区内跨社区、村的矛盾纠纷，免费。",
            )
            for community in city.children(street.code):
                office = "村民委员会" if community.name.endswith("村") else "党群服务中心"
                add(
                    f"{street.name}{community.name}人民调解委员会",
                    community,
                    city.grids_under(community.code)[0],
                    f"{names.CITY_PREFIX}{district.name}{street.name}{community.name}{office}",
                    rng.randint(2, 4),
                    f"{community.name}人民调解委员会：邻里、婚姻家庭、物业等纠纷就地调解，免费。",
                )
    # Industry (行业性专业性) committees, city-wide, each naming the dispute types it takes.
    labels = {c.code: c.label for f in service.fields for c in f.choices}
    for template, wanted in names.INDUSTRY_COMMITTEES:
        seats = city.districts if "{d}" in template else [_seat(city, template)]
        for seat in seats:
            specialties = [c for c in wanted if c in dispute_types] or (
                [names.FALLBACK_SPECIALTY] if names.FALLBACK_SPECIALTY in dispute_types else []
            )
            base = rng.choice(city.grids_under(seat.code)[:12])
            add(
                template.format(d=seat.name),
                city.city,
                base,
                draw.address(city, base),
                rng.randint(3, 8),
                f"行业性专业性人民调解委员会，专门调解{_listing(labels, specialties)}，"
                "受理全市案件，免费。",
                specialties,
            )
    # Individual mediation studios, named after their mediator, each covering its district.
    shares = apportion(MEDIATION_STUDIOS, [d.population for d in city.districts])
    for district, share in zip(city.districts, shares, strict=True):
        for _ in range(share):
            mediator = draw.unique(iter(draw.person, ""))
            base = rng.choice(city.grids_under(district.code))
            add(
                f"{mediator}调解工作室",
                district,
                base,
                draw.address(city, base),
                rng.randint(2, 5),
                f"资深人民调解员{mediator}领衔的个人调解工作室，调解{district.name}邻里、"
                "婚姻家庭、物业等纠纷，免费。",
                contact=mediator,
            )
    return plans


def _listing(labels: Mapping[str, str], codes: Iterable[str]) -> str:
    return "、".join(labels.get(code, code) for code in codes)


def _seat(city: CityMap, committee: str) -> Place:
    code = names.COMMITTEE_SEATS.get(committee)
    return city.places[code] if code in city.places else city.districts[0]


# --- Counsellors and law firms ------------------------------------------------------------------


def plan_counsellors(city: CityMap, registry: ServiceRegistry, now: datetime) -> list[MerchantPlan]:
    """40 COUNSELLOR providers serving ``psychological_support`` across the city: counselling
    studios and volunteer teams of the psychological aid line."""
    service = _typed(registry, PSYCHOLOGICAL_SUPPORT, ProviderKind.COUNSELLOR)
    if service is None:
        return []
    topics = choice_codes(service, "topic")
    everyday = [t for t in topics if t != "CRISIS"]
    draw = _Draw(_COUNSELLOR_SEED)
    rng = draw.rng
    today = now.date()
    plans = []
    # Studios, with a volunteer team after every fourth.
    members: list[tuple[str, bool]] = []
    for i, studio in enumerate(names.COUNSELLING_STUDIO_NAMES):
        members.append((studio, False))
        if i % 4 == 3 and i // 4 < len(names.VOLUNTEER_TEAMS):
            members.append((names.VOLUNTEER_TEAMS[i // 4], True))
    for serial, (word, is_team) in enumerate(members[:COUNSELLORS], start=1):
        district = (
            next((d for d in city.districts if word.startswith(d.name)), None)
            or draw.weighted(city.districts)[0]
        )
        if is_team:
            name = word
            specialties = [t for t in topics if t == "CRISIS"] + rng.sample(
                everyday, min(2, len(everyday))
            )
        else:
            prefix = names.CITY_PREFIX if rng.random() < 0.5 else district.name
            name = f"{prefix}{word}心理咨询工作室"
            specialties = rng.sample(everyday, min(rng.randint(1, 3), len(everyday)))
        base = rng.choice(city.grids_under(district.code))
        registered, approved = draw.history(now, 500, 120)
        rating_sum, rating_count = draw.rating(4.3, 5.0, 3.0) if rng.random() < 0.8 else (0, 0)
        contact = draw.person()
        mobile = draw.mobile()
        plans.append(
            MerchantPlan(
                credit_code=credit_code(
                    _SOCIAL_ORGANISATION if is_team else _INDIVIDUAL_BUSINESS,
                    district.code,
                    _SERIES_COUNSELLOR,
                    serial,
                ),
                name=name,
                kind=ProviderKind.COUNSELLOR,
                contact_name=contact,
                contact_phone=mobile,
                staff_phone=mobile,
                address=draw.address(city, base),
                base_grid=base,
                areas=(city.city,),
                offerings=(Offering(service.code, draw.documents(service, today)),),
                capacity=rng.randint(3, 8),
                status=MerchantStatus.APPROVED,
                on_duty=True,
                registered_at=registered,
                approved_at=approved,
                review_note=names.APPROVAL_NOTE,
                rating_sum=rating_sum,
                rating_count=rating_count,
                description=(
                    "心理援助热线志愿者团队：持证心理咨询师轮值，7×24 小时接听心理援助热线。"
                    if is_team
                    else "持证心理咨询师一对一咨询，电话、线上和面询均可预约。"
                ),
                specialties=tuple(specialties),
            )
        )
    return plans


def plan_law_firms(city: CityMap, registry: ServiceRegistry, now: datetime) -> list[MerchantPlan]:
    """8 LAW_FIRM providers serving ``legal_consultation``, city- or district-wide."""
    service = _typed(registry, LEGAL_CONSULTATION, ProviderKind.LAW_FIRM)
    if service is None:
        return []
    topics = [t for t in choice_codes(service, "topic") if t != "OTHER"]
    draw = _Draw(_LAW_FIRM_SEED)
    rng = draw.rng
    today = now.date()
    plans = []
    for serial, (name, district_code) in enumerate(names.LAW_FIRMS[:LAW_FIRMS], start=1):
        district = city.places.get(district_code or "") or city.districts[0]
        area = city.city if district_code is None else district
        base = rng.choice(city.grids_under(district.code)[:20])
        registered, approved = draw.history(now, 500, 120)
        rating_sum, rating_count = draw.rating(4.0, 5.0, 2.8)
        plans.append(
            MerchantPlan(
                credit_code=credit_code(_LAW_FIRM, district.code, _SERIES_LAW_FIRM, serial),
                name=name,
                kind=ProviderKind.LAW_FIRM,
                contact_name=draw.person(),
                contact_phone=draw.landline(),
                staff_phone=draw.mobile(),
                address=draw.address(city, base),
                base_grid=base,
                areas=(area,),
                offerings=(Offering(service.code, draw.documents(service, today)),),
                capacity=rng.randint(3, 10),
                status=MerchantStatus.APPROVED,
                on_duty=True,
                registered_at=registered,
                approved_at=approved,
                review_note=names.APPROVAL_NOTE,
                rating_sum=rating_sum,
                rating_count=rating_count,
                description=f"执业律师提供公益法律咨询，服务{area.name}。",
                specialties=tuple(rng.sample(topics, min(rng.randint(2, 3), len(topics)))),
            )
        )
    return plans


def plan_demo_merchant(
    city: CityMap, registry: ServiceRegistry, now: datetime
) -> list[MerchantPlan]:
    """The demo merchant, staffed by ``demo-merchant``: city-wide, approved and on duty."""
    commercial = [t for t in registry if t.provider_kind is ProviderKind.COMMERCIAL]
    served = [t for t in commercial if t.code in DEMO_MERCHANT_SERVICES] or commercial[:6]
    if not served:
        return []
    draw = _Draw(_DEMO_SEED)
    base = city.places.get(DEMO_GRID) or city.grids_under(city.city.code)[0]
    registered, approved = draw.history(now, 60, 30)
    mobile = draw.mobile()
    return [
        MerchantPlan(
            credit_code=DEMO_MERCHANT_CREDIT_CODE,
            name=DEMO_MERCHANT,
            kind=ProviderKind.COMMERCIAL,
            contact_name="演示商户",
            contact_phone=mobile,
            staff_phone=mobile,
            address=draw.address(city, base),
            base_grid=base,
            areas=(city.city,),
            offerings=tuple(
                Offering(t.code, draw.documents(t, now.date(), optional_share=1.0)) for t in served
            ),
            capacity=DEMO_MERCHANT_CAPACITY,
            status=MerchantStatus.APPROVED,
            on_duty=True,
            registered_at=registered,
            approved_at=approved,
            review_note=names.APPROVAL_NOTE,
            rating_sum=600,
            rating_count=125,
            description="演示用服务商：以 demo-merchant / demo 登录即可接单，覆盖全市。",
            staff_username=DEMO_MERCHANT_ACCOUNT,
        )
    ]
