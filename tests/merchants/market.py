"""Building blocks for marketplace tests: unique grids, providers, citizens, a clock.

Every test works in a grid no other test uses, with providers that serve only that
grid or the areas above it, and its providers are suspended when it ends, so tests
sharing the session database never see each other's offers.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass

from accounts.models import Role
from accounts.service import Principal, create_account
from grids.models import Area, AreaLevel
from merchants import orders, providers
from merchants.models import Merchant, MerchantStatus
from merchants.providers import QualificationDocument, Registration, ServiceOffering
from merchants.records import OrderRecord
from plugins.identifiers import CREDIT_CODE_ALPHABET, credit_code_check_character
from plugins.registry import service_registry
from plugins.service_types import ProviderKind
from tests.conftest import unique
from wuyou import clock

_grid_numbers = itertools.count()
_random = random.Random()
#: The password of every account made here: providers' staff and citizens.
PASSWORD = "password-123"
#: Providers registered by the running test, retired when it ends (see conftest.py).
registered: list[int] = []


async def retire_registered() -> None:
    """Suspend the providers the running test registered, so no later test finds them."""
    if registered:
        await Merchant.filter(id__in=registered).update(
            status=MerchantStatus.SUSPENDED, on_duty=False
        )
        registered.clear()


def credit_code() -> str:
    """A valid unified social credit code no other test uses."""
    body = "91150302" + "".join(_random.choice(CREDIT_CODE_ALPHABET) for _ in range(9))
    return body + credit_code_check_character(body)


async def _towards_the_city_centre(grid: Grid) -> int:
    """1 (north) or -1 (south): the way from ``grid`` that stays inside the city for a
    few kilometres, whichever edge the grid lies near."""
    city = await Area.get(level=AreaLevel.CITY)
    return 1 if grid.lat <= city.centroid_lat else -1


@dataclass(frozen=True)
class Grid:
    """A grid of the demo city reserved for one test."""

    code: str
    path: str
    lat: float
    lng: float


async def fresh_grid() -> Grid:
    """A community grid no other test in this session has used."""
    grids = (
        await Area.filter(level=AreaLevel.GRID)
        .order_by("-code")
        .values("code", "path", "centroid_lat", "centroid_lng")
    )
    # A stride coprime with the grid count spreads consecutive tests over communities.
    row = grids[(next(_grid_numbers) * 97) % len(grids)]
    return Grid(row["code"], row["path"], row["centroid_lat"], row["centroid_lng"])


@dataclass(frozen=True)
class Provider:
    """A registered provider and its staff account."""

    id: int
    staff: Principal


def documents_for(service_type: str) -> list[QualificationDocument]:
    declared = service_registry().get(service_type)
    assert declared is not None
    return [
        QualificationDocument(code=q.code, number=f"DOC-{q.code}")
        for q in declared.qualifications
        if q.required
    ]


async def provider(
    grid: Grid,
    service_types: Sequence[str],
    *,
    kind: ProviderKind = ProviderKind.COMMERCIAL,
    capacity: int = 3,
    offset_km: float = 0.0,
    approve: bool = True,
    on_duty: bool = True,
    area_code: str | None = None,
    specialties: Sequence[str] = (),
) -> Provider:
    """Register (and by default approve and put on duty) a provider serving ``grid``."""
    username = unique("shop")
    record = await providers.register_merchant(
        Registration(
            name=f"测试服务商{username[-6:]}",
            kind=kind,
            credit_code=credit_code(),
            contact_name="王五",
            contact_phone="13900001111",
            address="测试地址",
            base_lat=grid.lat + await _towards_the_city_centre(grid) * offset_km / 111.0,
            base_lng=grid.lng,
            capacity=capacity,
            services=[ServiceOffering(s, documents_for(s)) for s in service_types],
            area_codes=[area_code or grid.code],
            staff_username=username,
            staff_password=PASSWORD,
            specialties=specialties,
        )
    )
    registered.append(record.id)
    staff = Principal(
        account_id=(await _account_id(username)), username=username, role=Role.MERCHANT
    )
    if approve:
        await providers.review_merchant(
            merchant_id=record.id, decision="APPROVE", note="", actor=await admin()
        )
        if on_duty:
            await providers.set_on_duty(on_duty=True, actor=staff)
    return Provider(record.id, staff)


async def _account_id(username: str) -> int:
    from accounts.models import Account

    return (await Account.get(username=username)).id


async def admin() -> Principal:
    return Principal(
        account_id=await _account_id("demo-admin"), username="demo-admin", role=Role.ADMIN
    )


async def citizen() -> Principal:
    """A new citizen account."""
    record = await create_account(
        username=unique("citizen"), role=Role.CITIZEN, display_name="李四", password=PASSWORD
    )
    return Principal(record.id, record.username, Role.CITIZEN)


async def place(
    grid: Grid, service_type: str, who: Principal, form: dict | None = None
) -> OrderRecord:
    """Place an order of ``service_type`` in ``grid`` with the type's example form."""
    declared = service_registry().get(service_type)
    assert declared is not None and declared.example is not None
    return await orders.place_order(
        orders.OrderRequest(
            service_type=service_type,
            form=form if form is not None else dict(declared.example(clock.now())),
            lat=grid.lat,
            lng=grid.lng,
            address="测试小区 1 号楼",
            contact_name="李四",
            contact_phone="13812341234",
        ),
        actor=who,
    )
