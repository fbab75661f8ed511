"""Load the demo providers into a database that holds the demo city.

Idempotent: providers are keyed by their unified social credit code, and each part
(commercial merchants, mediation organisations, counsellors, law firms, the demo merchant)
creates only the missing ones, in a transaction of its own, with bulk inserts. Staff
accounts get no password (no hashing), so a large run takes a second or two.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any, TypeVar

from tortoise.transactions import in_transaction

from accounts.models import Account, AccountEvent, AccountEventKind, Role
from grids.demo import QuietProgress, SeedProgress, SeedReport
from grids.demo.plan import plan_city
from grids.geometry import covers
from grids.models import Area, AreaLevel, GridType
from merchants.demo.names import APPROVAL_NOTE
from merchants.demo.plan import (
    DEFAULT_COMMERCIAL,
    DEMO_MERCHANT_ACCOUNT,
    DEMO_MERCHANT_CREDIT_CODE,
    CityMap,
    MerchantPlan,
    Place,
    plan_commercial,
    plan_counsellors,
    plan_demo_merchant,
    plan_law_firms,
    plan_mediation,
)
from merchants.models import (
    Merchant,
    MerchantArea,
    MerchantEvent,
    MerchantService,
    MerchantStaff,
    MerchantStatus,
)
from plugins.registry import ServiceRegistry, service_registry
from wuyou import clock

#: How far (in degrees, ≈ 300 m) a provider's base may lie from its grid's centre.
_NUDGE_DEGREES = 0.003

_BATCH = 500
_NOTE = "演示数据"
_ADMIN = "demo-admin"
#: What a report counts, in this order.
REPORT_KEYS = (
    "merchants",
    "staff_accounts",
    "merchant_staff",
    "merchant_services",
    "merchant_areas",
    "merchant_events",
)
T = TypeVar("T")

Planner = Callable[[CityMap, ServiceRegistry, datetime], list[MerchantPlan]]


class DemoCityMissing(RuntimeError):
    """The demo providers need the demo city (its areas and demo accounts) loaded first."""


async def seed_demo_merchants(
    commercial: int = DEFAULT_COMMERCIAL, progress: SeedProgress | None = None
) -> SeedReport:
    """Load the demo providers into the connected database, which holds the demo city.

    ``commercial`` COMMERCIAL merchants (0 for none), and always the 175 mediation
    organisations, 40 counsellors, 8 law firms and the demo merchant that
    ``demo-merchant`` works for. Only service types the registry has are used.
    Creates only what is missing, so it is safe to run on every start.

    Raises :class:`DemoCityMissing` when the demo city is not loaded.
    """
    if commercial < 0:
        raise ValueError(f"commercial must be 0 or more, not {commercial}")
    progress = progress or QuietProgress()
    now = clock.now()
    city = await load_city()
    accounts = dict(
        await Account.filter(username__in=[DEMO_MERCHANT_ACCOUNT, _ADMIN]).values_list(
            "username", "id"
        )
    )
    if DEMO_MERCHANT_ACCOUNT not in accounts:
        raise DemoCityMissing(
            f"The demo account {DEMO_MERCHANT_ACCOUNT} is missing: load the demo city first "
            "(wuyou seed --demo)."
        )
    registry = service_registry()

    def commercial_part(c: CityMap, r: ServiceRegistry, n: datetime) -> list[MerchantPlan]:
        return plan_commercial(c, r, commercial, n)

    parts: tuple[tuple[str, Planner], ...] = (
        ("Commercial merchants", commercial_part),
        ("Mediation organisations", plan_mediation),
        ("Counsellors", plan_counsellors),
        ("Law firms", plan_law_firms),
        ("Demo merchant", plan_demo_merchant),
    )
    created: Counter[str] = Counter()
    for stage, planner in parts:
        plans = planner(city, registry, now)
        created.update(await _seed_part(stage, plans, accounts.get(_ADMIN), progress, now))
    created["merchant_staff"] += await _link_demo_account(accounts[DEMO_MERCHANT_ACCOUNT], now)
    return SeedReport({key: created[key] for key in REPORT_KEYS})


async def load_city() -> CityMap:
    """The demo city's areas from the database; :class:`DemoCityMissing` if any is absent."""
    planned = {area.code: area for area in plan_city().areas}
    found: list[Place] = []
    for codes in _chunks(list(planned), _BATCH):
        rows = await Area.filter(code__in=codes).values(
            "id", "code", "name", "level", "path", "population", "grid_type",
            "centroid_lat", "centroid_lng",
        )  # fmt: skip
        found.extend(
            Place(
                id=row["id"],
                code=row["code"],
                name=row["name"],
                level=AreaLevel(row["level"]),
                path=row["path"],
                population=row["population"],
                grid_type=GridType(row["grid_type"]) if row["grid_type"] else None,
                lat=row["centroid_lat"],
                lng=row["centroid_lng"],
            )
            for row in rows
        )
    if len(found) < len(planned):
        raise DemoCityMissing(
            f"The demo city is not loaded ({len(found)} of its {len(planned)} areas found): "
            "load it first (wuyou seed --demo)."
        )
    return CityMap(found)


def _chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


async def _present_codes(codes: Iterable[str]) -> set[str]:
    present: set[str] = set()
    for chunk in _chunks(list(codes), _BATCH):
        rows = await Merchant.filter(credit_code__in=chunk).values_list("credit_code", flat=True)
        present.update(map(str, rows))
    return present


async def _account_ids(usernames: Sequence[str]) -> dict[str, int]:
    ids: dict[str, int] = {}
    for chunk in _chunks(usernames, _BATCH):
        ids.update(await Account.filter(username__in=chunk).values_list("username", "id"))
    return ids


async def _seed_part(
    stage: str,
    plans: list[MerchantPlan],
    admin_id: int | None,
    progress: SeedProgress,
    now: datetime,
) -> Counter[str]:
    """The missing providers of one part, with their staff, services, areas and history."""
    present = await _present_codes(p.credit_code for p in plans)
    missing = [p for p in plans if p.credit_code not in present]
    progress.stage(stage, len(missing))
    created: Counter[str] = Counter()
    if not missing:
        return created
    async with in_transaction():
        for chunk in _chunks(missing, _BATCH):
            created += await _insert(chunk, admin_id, now)
            progress.advance(len(chunk))
    return created


async def _insert(
    plans: Sequence[MerchantPlan], admin_id: int | None, now: datetime
) -> Counter[str]:
    accounts = await _account_ids([p.username for p in plans])
    new_accounts = [p for p in plans if p.username not in accounts]
    await Account.bulk_create(
        [
            Account(
                username=p.username,
                display_name=p.contact_name,
                role=Role.MERCHANT,
                phone=p.staff_phone,
                password_hash=None,
                is_demo=True,
                created_at=p.registered_at,
                updated_at=p.registered_at,
            )
            for p in new_accounts
        ],
        batch_size=_BATCH,
    )
    if new_accounts:
        accounts = await _account_ids([p.username for p in plans])
        await AccountEvent.bulk_create(
            [
                AccountEvent(
                    account_id=accounts[p.username],
                    kind=AccountEventKind.CREATED,
                    note=f"role {Role.MERCHANT.value}; {_NOTE}",
                    occurred_at=p.registered_at,
                )
                for p in new_accounts
            ],
            batch_size=_BATCH,
        )
    boundaries = await _boundaries({p.base_grid.id for p in plans})
    await Merchant.bulk_create(
        [_merchant(p, _base(p, boundaries[p.base_grid.id])) for p in plans], batch_size=_BATCH
    )
    ids = dict(
        await Merchant.filter(credit_code__in=[p.credit_code for p in plans]).values_list(
            "credit_code", "id"
        )
    )
    services = [
        MerchantService(
            merchant_id=ids[p.credit_code],
            service_type=offering.service_type,
            documents=list(offering.documents),
        )
        for p in plans
        for offering in p.offerings
    ]
    await MerchantService.bulk_create(services, batch_size=_BATCH)
    areas = [
        MerchantArea(merchant_id=ids[p.credit_code], area_id=area.id, area_path=area.path)
        for p in plans
        for area in p.areas
    ]
    await MerchantArea.bulk_create(areas, batch_size=_BATCH)
    busy = set(
        await MerchantStaff.filter(account_id__in=list(accounts.values())).values_list(
            "account_id", flat=True
        )
    )
    staff = [
        MerchantStaff(
            account_id=accounts[p.username],
            merchant_id=ids[p.credit_code],
            created_at=p.registered_at,
        )
        for p in plans
        if accounts[p.username] not in busy
    ]
    await MerchantStaff.bulk_create(staff, batch_size=_BATCH)
    events = [
        event
        for p in plans
        for event in _history(p, ids[p.credit_code], accounts[p.username], admin_id)
    ]
    await MerchantEvent.bulk_create(events, batch_size=_BATCH)
    return Counter(
        merchants=len(plans),
        staff_accounts=len(new_accounts),
        merchant_staff=len(staff),
        merchant_services=len(services),
        merchant_areas=len(areas),
        merchant_events=len(events),
    )


async def _boundaries(grid_ids: set[int]) -> dict[int, dict[str, Any]]:
    rows = await Area.filter(id__in=list(grid_ids)).values("id", "boundary")
    return {row["id"]: row["boundary"] for row in rows}


def _base(p: MerchantPlan, boundary: dict[str, Any]) -> tuple[float, float]:
    """Where a provider is based: a point a few hundred metres from its grid's centre, the
    same on every run, inside the grid (the centre itself if the nudge would leave it)."""
    digest = hashlib.sha256(p.credit_code.encode()).digest()
    lat = p.base_grid.lat + (digest[0] - 128) / 128 * _NUDGE_DEGREES
    lng = p.base_grid.lng + (digest[1] - 128) / 128 * _NUDGE_DEGREES
    return (lat, lng) if covers(boundary, lat, lng) else (p.base_grid.lat, p.base_grid.lng)


def _merchant(p: MerchantPlan, base: tuple[float, float]) -> Merchant:
    return Merchant(
        name=p.name,
        kind=p.kind,
        credit_code=p.credit_code,
        contact_name=p.contact_name,
        contact_phone=p.contact_phone,
        address=p.address,
        base_lat=base[0],
        base_lng=base[1],
        base_grid_id=p.base_grid.id,
        description=p.description,
        specialties=list(p.specialties),
        capacity=p.capacity,
        status=p.status,
        on_duty=p.on_duty,
        rating_sum=p.rating_sum,
        rating_count=p.rating_count,
        review_note=p.review_note,
        is_demo=True,
        created_at=p.registered_at,
        updated_at=p.updated_at,
        reviewed_at=p.reviewed_at,
    )


def _history(
    p: MerchantPlan, merchant_id: int, staff_id: int, admin_id: int | None
) -> Iterator[MerchantEvent]:
    """REGISTERED by its staff, then APPROVE and SUSPEND by an administrator, if they came."""
    yield MerchantEvent(
        merchant_id=merchant_id,
        kind="REGISTERED",
        to_status=MerchantStatus.PENDING,
        actor_id=staff_id,
        note=_NOTE,
        occurred_at=p.registered_at,
    )
    if p.approved_at is not None:
        yield MerchantEvent(
            merchant_id=merchant_id,
            kind="APPROVE",
            from_status=MerchantStatus.PENDING,
            to_status=MerchantStatus.APPROVED,
            actor_id=admin_id,
            note=APPROVAL_NOTE,
            occurred_at=p.approved_at,
        )
    if p.suspended_at is not None:
        yield MerchantEvent(
            merchant_id=merchant_id,
            kind="SUSPEND",
            from_status=MerchantStatus.APPROVED,
            to_status=MerchantStatus.SUSPENDED,
            actor_id=admin_id,
            note=p.review_note,
            occurred_at=p.suspended_at,
        )


async def _link_demo_account(account_id: int, now: datetime) -> int:
    """Make demo-merchant the demo merchant's staff if it works for nobody (1 if linked)."""
    if await MerchantStaff.exists(account_id=account_id):
        return 0
    ids = await Merchant.filter(credit_code=DEMO_MERCHANT_CREDIT_CODE).values_list("id", flat=True)
    if not ids:
        return 0
    await MerchantStaff.create(account_id=account_id, merchant_id=ids[0], created_at=now)
    return 1
