"""The demo providers (``merchants.demo``): counts, validity, idempotence, the CLI.

These tests work in SQLite files of their own (copies of one demo-city database made
for this module), never in the shared session database: other tests rely on it holding
no demo merchants.
"""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
from collections import Counter, defaultdict
from contextlib import closing
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accounts.models import Account, Role
from api import db
from api.cli import DEMO_MERCHANTS, app
from grids.areas import area_at
from grids.demo import seed_demo_city
from grids.models import Area, AreaLevel
from merchants.demo import (
    COUNSELLORS,
    DEFAULT_COMMERCIAL,
    DEMO_MERCHANT,
    DEMO_MERCHANT_ACCOUNT,
    DEMO_MERCHANT_SERVICES,
    INDUSTRY_COMMITTEES,
    LAW_FIRMS,
    MEDIATION_ORGS,
    MEDIATION_STUDIOS,
    PEOPLES_COMMITTEES,
    STAFF_PREFIX,
    DemoCityMissing,
    seed_demo_merchants,
)
from merchants.demo.plan import choice_codes
from merchants.models import (
    Merchant,
    MerchantArea,
    MerchantEvent,
    MerchantService,
    MerchantStaff,
    MerchantStatus,
)
from plugins.identifiers import is_credit_code
from plugins.registry import service_registry
from plugins.service_types import ProviderKind

COMMERCIAL = 300
MERCHANT_COLUMNS = (
    "id", "name", "kind", "credit_code", "base_grid_id", "base_lat", "base_lng", "status",
    "on_duty", "capacity", "rating_sum", "rating_count", "specialties", "is_demo", "reviewed_at",
)  # fmt: skip
runner = CliRunner()


@pytest.fixture(scope="module")
def city_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file holding the demo city and no providers, made once for the module."""
    path = tmp_path_factory.mktemp("demo-merchants") / "city.sqlite3"

    async def prepare() -> None:
        url = f"sqlite://{path}"
        await db.migrate(url)
        await db.connect(url)
        try:
            await seed_demo_city()
        finally:
            await db.disconnect()

    asyncio.run(prepare())
    return path


@pytest.fixture
def city_url(city_file: Path, tmp_path: Path) -> str:
    """A copy of the demo-city database for one test."""
    path = tmp_path / "wuyou.sqlite3"
    shutil.copy(city_file, path)
    return f"sqlite://{path}"


async def _kinds() -> Counter[str]:
    rows = await Merchant.all().values_list("kind", flat=True)
    return Counter(str(kind) for kind in rows)


async def test_demo_providers_are_complete_and_valid(city_url: str) -> None:
    await db.connect(city_url)
    try:
        report = await seed_demo_merchants(commercial=COMMERCIAL)
        await _check_providers(report.created)
    finally:
        await db.disconnect()


async def _check_providers(created: dict[str, int]) -> None:
    registry = service_registry()
    total = COMMERCIAL + 1 + MEDIATION_ORGS + COUNSELLORS + LAW_FIRMS
    assert created["merchants"] == total
    assert await _kinds() == {
        "COMMERCIAL": COMMERCIAL + 1,
        "MEDIATION_ORG": MEDIATION_ORGS,
        "COUNSELLOR": COUNSELLORS,
        "LAW_FIRM": LAW_FIRMS,
    }
    merchants = {row["id"]: row for row in await Merchant.all().values(*MERCHANT_COLUMNS)}
    areas = {row["id"]: row for row in await Area.all().values("id", "code", "level", "path")}
    grids = {
        row["id"]: row
        for row in await Area.filter(level=AreaLevel.GRID).values(
            "id", "path", "centroid_lat", "centroid_lng"
        )
    }
    served: dict[int, dict[str, list[dict[str, str]]]] = defaultdict(dict)
    for row in await MerchantService.all().values("merchant_id", "service_type", "documents"):
        served[row["merchant_id"]][row["service_type"]] = row["documents"]
    covered: dict[int, list[int]] = defaultdict(list)
    for merchant_id, area_id in await MerchantArea.all().values_list("merchant_id", "area_id"):
        covered[merchant_id].append(area_id)
    staff = dict(await MerchantStaff.all().values_list("merchant_id", "account_id"))
    accounts = {
        row["id"]: row
        for row in await Account.filter(id__in=list(staff.values())).values(
            "id", "username", "role", "password_hash", "is_demo", "phone"
        )
    }
    history: dict[int, list[str]] = defaultdict(list)
    for merchant_id, kind in (
        await MerchantEvent.all().order_by("occurred_at", "id").values_list("merchant_id", "kind")
    ):
        history[merchant_id].append(kind)

    codes = [m["credit_code"] for m in merchants.values()]
    assert all(is_credit_code(code) for code in codes)
    assert len(set(codes)) == len(codes) == total
    assert len({m["name"] for m in merchants.values()}) == total
    for merchant_id, m in merchants.items():
        assert m["is_demo"]
        kind = ProviderKind(m["kind"])
        # At least one service, each of the merchant's kind, with every required document.
        assert served[merchant_id], m["name"]
        for code, documents in served[merchant_id].items():
            service_type = registry.get(code)
            assert service_type is not None and service_type.provider_kind is kind, code
            held = {d["code"] for d in documents}
            required = {q.code for q in service_type.qualifications if q.required}
            assert required <= held, (m["name"], code)
            assert all(set(d) == {"code", "number", "issuedBy", "validUntil"} for d in documents)
            assert all(d["number"] and d["issuedBy"] and d["validUntil"] for d in documents)
        # At least one area; the base is within ≈ 300 m of the centre of a grid inside one.
        assert covered[merchant_id], m["name"]
        grid = grids[m["base_grid_id"]]
        assert abs(m["base_lat"] - grid["centroid_lat"]) <= 0.003 + 1e-9
        assert abs(m["base_lng"] - grid["centroid_lng"]) <= 0.003 + 1e-9
        assert any(grid["path"].startswith(areas[a]["path"]) for a in covered[merchant_id])
        # One MERCHANT staff account; only demo-merchant can sign in.
        account = accounts[staff[merchant_id]]
        assert account["role"] == Role.MERCHANT and account["is_demo"]
        if m["name"] == DEMO_MERCHANT:
            assert account["username"] == DEMO_MERCHANT_ACCOUNT
        else:
            assert account["username"] == STAFF_PREFIX + m["credit_code"].lower()
            assert account["password_hash"] is None and account["phone"]
        # Its history: registered, then reviewed as its status says.
        status = MerchantStatus(m["status"])
        assert (
            history[merchant_id]
            == {
                MerchantStatus.PENDING: ["REGISTERED"],
                MerchantStatus.APPROVED: ["REGISTERED", "APPROVE"],
                MerchantStatus.SUSPENDED: ["REGISTERED", "APPROVE", "SUSPEND"],
            }[status]
        )
        assert (m["reviewed_at"] is None) == (status is MerchantStatus.PENDING)
        assert m["on_duty"] <= (status is MerchantStatus.APPROVED)
        if m["rating_count"]:
            assert 3.8 <= m["rating_sum"] / m["rating_count"] <= 5.0
    # The base grid resolves from the base location (a sample: the test stays quick).
    for m in list(merchants.values())[::5]:
        found = await area_at(m["base_lat"], m["base_lng"])
        assert found is not None and found.id == m["base_grid_id"], m["name"]

    _check_commercial(merchants, served, covered, areas)
    _check_mediation(merchants, served, covered, areas)
    for m in merchants.values():
        if m["kind"] in ("COUNSELLOR", "LAW_FIRM", "MEDIATION_ORG"):
            assert m["status"] == MerchantStatus.APPROVED and m["on_duty"], m["name"]
        if m["kind"] == "COUNSELLOR":
            assert set(served[m["id"]]) == {"psychological_support"}
            assert [areas[a]["level"] for a in covered[m["id"]]] == [AreaLevel.CITY]
            assert 3 <= m["capacity"] <= 8
        if m["kind"] == "LAW_FIRM":
            assert set(served[m["id"]]) == {"legal_consultation"}
            assert {areas[a]["level"] for a in covered[m["id"]]} <= {
                AreaLevel.CITY,
                AreaLevel.DISTRICT,
            }
    # The demo merchant: demo-merchant's, city-wide, ready for offers.
    (demo,) = [m for m in merchants.values() if m["name"] == DEMO_MERCHANT]
    assert (demo["status"], demo["on_duty"], demo["capacity"]) == ("APPROVED", True, 20)
    assert [areas[a]["level"] for a in covered[demo["id"]]] == [AreaLevel.CITY]
    assert set(served[demo["id"]]) == {c for c in DEMO_MERCHANT_SERVICES if registry.get(c)}


def _check_commercial(
    merchants: dict[int, dict],
    served: dict[int, dict[str, list[dict[str, str]]]],
    covered: dict[int, list[int]],
    areas: dict[int, dict],
) -> None:
    commercial = [m for m in merchants.values() if m["kind"] == "COMMERCIAL"]
    statuses = Counter(m["status"] for m in commercial)
    assert statuses[MerchantStatus.APPROVED] > 0.85 * len(commercial)
    assert statuses[MerchantStatus.PENDING] > 0, "admins need a review queue"
    assert statuses[MerchantStatus.SUSPENDED] > 0
    assert sum(m["rating_count"] > 0 for m in commercial) > len(commercial) / 2
    ready = Counter(
        code
        for m in commercial
        if m["status"] == MerchantStatus.APPROVED and m["on_duty"]
        for code in served[m["id"]]
    )
    for service_type in service_registry():
        if service_type.provider_kind is ProviderKind.COMMERCIAL:
            assert ready[service_type.code] > 0, service_type.code
    for m in commercial:
        assert 1 <= len(served[m["id"]]) <= 8 and 1 <= m["capacity"] <= 20
        if m["name"] != DEMO_MERCHANT:
            assert len(served[m["id"]]) <= 3 and m["capacity"] <= 10
        if "heating_repair" in served[m["id"]]:
            assert [areas[a]["level"] for a in covered[m["id"]]] == [AreaLevel.DISTRICT]
    levels = Counter(areas[a]["level"] for m in commercial for a in covered[m["id"]])
    assert levels[AreaLevel.STREET] > levels[AreaLevel.DISTRICT] > levels[AreaLevel.CITY] > 0


def _check_mediation(
    merchants: dict[int, dict],
    served: dict[int, dict[str, list[dict[str, str]]]],
    covered: dict[int, list[int]],
    areas: dict[int, dict],
) -> None:
    orgs = [m for m in merchants.values() if m["kind"] == "MEDIATION_ORG"]
    assert all(set(served[m["id"]]) == {"dispute_mediation"} for m in orgs)
    assert all(len(covered[m["id"]]) == 1 for m in orgs)

    def level(m: dict) -> AreaLevel:
        return AreaLevel(areas[covered[m["id"]][0]]["level"])

    peoples = [m for m in orgs if level(m) in (AreaLevel.STREET, AreaLevel.COMMUNITY)]
    assert len(peoples) == PEOPLES_COMMITTEES
    assert all(m["name"].endswith("人民调解委员会") and not m["specialties"] for m in peoples)
    tied = {covered[m["id"]][0] for m in peoples}
    local = {i for i, a in areas.items() if a["level"] in (AreaLevel.STREET, AreaLevel.COMMUNITY)}
    assert tied == local, "one committee for each street, town, community and village"

    industry = [m for m in orgs if m["specialties"]]
    assert len(industry) == INDUSTRY_COMMITTEES
    assert all(level(m) is AreaLevel.CITY for m in industry)
    dispute_types = set(choice_codes(service_registry().get("dispute_mediation")))
    assert all(set(m["specialties"]) <= dispute_types for m in industry)
    assert {"MEDICAL", "LABOUR", "TRAFFIC", "PROPERTY_MANAGEMENT", "CONSUMER", "FAMILY"} <= {
        s for m in industry for s in m["specialties"]
    }

    studios = [m for m in orgs if m not in peoples and m not in industry]
    assert len(studios) == MEDIATION_STUDIOS
    assert all(m["name"].endswith("调解工作室") and level(m) is AreaLevel.DISTRICT for m in studios)


async def test_second_run_adds_nothing_and_more_merchants_add_only_the_new(city_url: str) -> None:
    await db.connect(city_url)
    try:
        await seed_demo_merchants(commercial=COMMERCIAL)
        before = dict(await Merchant.all().values_list("credit_code", "name"))
        again = await seed_demo_merchants(commercial=COMMERCIAL)
        assert again.total() == 0
        more = await seed_demo_merchants(commercial=COMMERCIAL + 20)
        assert more.created["merchants"] == more.created["staff_accounts"] == 20
        after = dict(await Merchant.all().values_list("credit_code", "name"))
        assert len(after) == len(before) + 20
        assert {code: after[code] for code in before} == before
    finally:
        await db.disconnect()


async def test_no_commercial_merchants_still_loads_the_rest(city_url: str) -> None:
    await db.connect(city_url)
    try:
        report = await seed_demo_merchants(commercial=0)
        assert report.created["merchants"] == 1 + MEDIATION_ORGS + COUNSELLORS + LAW_FIRMS
        assert await _kinds() == {
            "COMMERCIAL": 1,
            "MEDIATION_ORG": MEDIATION_ORGS,
            "COUNSELLOR": COUNSELLORS,
            "LAW_FIRM": LAW_FIRMS,
        }
        demo = await Account.get(username=DEMO_MERCHANT_ACCOUNT)
        staff = await MerchantStaff.get(account_id=demo.id).values("merchant__name")
        assert staff["merchant__name"] == DEMO_MERCHANT
        with pytest.raises(ValueError):
            await seed_demo_merchants(commercial=-1)
    finally:
        await db.disconnect()


async def test_needs_the_demo_city(tmp_path: Path) -> None:
    url = f"sqlite://{tmp_path / 'empty.sqlite3'}"
    await db.migrate(url)
    await db.connect(url)
    try:
        with pytest.raises(DemoCityMissing, match="seed --demo"):
            await seed_demo_merchants(commercial=0)
        assert not await Merchant.exists()
    finally:
        await db.disconnect()


def test_cli_seed_demo_without_commercial_merchants(city_url: str) -> None:
    assert DEMO_MERCHANTS == DEFAULT_COMMERCIAL
    result = runner.invoke(
        app, ["seed", "--demo", "--merchants", "0", "--tickets", "0", "--database-url", city_url]
    )
    assert result.exit_code == 0, result.output
    assert "Demo city already loaded" in result.output
    assert "Demo merchants loaded: 224 merchants" in result.output
    path = city_url.removeprefix("sqlite://")
    with closing(sqlite3.connect(path)) as connection:
        kinds = dict(connection.execute("SELECT kind, COUNT(*) FROM merchant GROUP BY kind"))
    assert kinds == {"COMMERCIAL": 1, "MEDIATION_ORG": 175, "COUNSELLOR": 40, "LAW_FIRM": 8}
    again = runner.invoke(
        app, ["seed", "--demo", "--merchants", "0", "--tickets", "0", "--database-url", city_url]
    )
    assert again.exit_code == 0, again.output
    assert "Demo merchants already loaded; nothing added." in again.output
    refused = runner.invoke(app, ["seed", "--demo", "--merchants", "-1"])
    assert refused.exit_code == 2
