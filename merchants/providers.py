"""Providers: registering, review by an administrator, going on and off duty, listing."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q, Subquery
from tortoise.transactions import in_transaction

from accounts.models import Role
from accounts.service import Principal, create_account, require_role, validate_new_account
from grids.areas import area_at, get_area, get_areas_by_code, plausible_code
from merchants.live import merchant_topic
from merchants.models import (
    NAME_MAX_LENGTH,
    Merchant,
    MerchantArea,
    MerchantEvent,
    MerchantService,
    MerchantStaff,
    MerchantStatus,
)
from plugins.identifiers import is_credit_code, is_landline, is_mobile, normalise_mobile
from plugins.registry import service_registry
from plugins.service_types import ProviderKind
from wuyou import clock, events
from wuyou.errors import DomainError, ErrorCode, Forbidden, Problem
from wuyou.pagination import Page, page_from_rows

MAX_CAPACITY = 200
MAX_SERVICE_AREAS = 50
_SPECIALTY = re.compile(r"^[A-Z][A-Z0-9_]{0,31}$")


@dataclass(frozen=True, slots=True)
class QualificationDocument:
    """A licence or certificate a provider registers for a service type."""

    code: str
    number: str
    issued_by: str = ""
    valid_until: date | None = None


@dataclass(frozen=True, slots=True)
class ServiceOffering:
    """A service type a provider applies to serve, with its documents."""

    service_type: str
    documents: Sequence[QualificationDocument] = ()


@dataclass(frozen=True, slots=True)
class Registration:
    """Everything a vendor sends to register (``registerMerchant``)."""

    name: str
    kind: ProviderKind
    credit_code: str
    contact_name: str
    contact_phone: str
    address: str
    base_lat: float
    base_lng: float
    capacity: int
    services: Sequence[ServiceOffering]
    area_codes: Sequence[str]
    staff_username: str
    staff_password: str
    description: str = ""
    specialties: Sequence[str] = ()


@dataclass(frozen=True, slots=True)
class MerchantRecord:
    """A provider as the rest of the platform sees it."""

    id: int
    name: str
    kind: ProviderKind
    credit_code: str
    contact_name: str
    contact_phone: str
    address: str
    base_lat: float
    base_lng: float
    base_grid_id: int | None
    description: str
    specialties: tuple[str, ...]
    capacity: int
    active_orders: int
    status: MerchantStatus
    on_duty: bool
    rating_sum: int
    rating_count: int
    review_note: str
    created_at: datetime
    reviewed_at: datetime | None

    @property
    def rating(self) -> float | None:
        """Average stars from citizens, None before the first rating."""
        return round(self.rating_sum / self.rating_count, 2) if self.rating_count else None


_COLUMNS = tuple(MerchantRecord.__dataclass_fields__)


def _record(row: dict[str, Any]) -> MerchantRecord:
    return MerchantRecord(**{**row, "specialties": tuple(row["specialties"] or ())})


@dataclass(frozen=True, slots=True)
class OfferingRecord:
    """A service type a provider serves, with its documents."""

    merchant_id: int
    service_type: str
    documents: list[dict[str, Any]] = field(default_factory=list)


async def get_merchants(ids: Iterable[int]) -> dict[int, MerchantRecord]:
    """Providers by id; unknown ids are absent."""
    wanted = list(set(ids))
    if not wanted:
        return {}
    rows = await Merchant.filter(id__in=wanted).values(*_COLUMNS)
    return {r["id"]: _record(r) for r in rows}


async def offerings_of(merchant_ids: Iterable[int]) -> dict[int, list[OfferingRecord]]:
    """The service types each provider serves, by code."""
    result: dict[int, list[OfferingRecord]] = defaultdict(list)
    wanted = list(set(merchant_ids))
    if wanted:
        rows = await (
            MerchantService.filter(merchant_id__in=wanted)
            .order_by("service_type")
            .values("merchant_id", "service_type", "documents")
        )
        for row in rows:
            result[row["merchant_id"]].append(OfferingRecord(**row))
    return result


async def area_ids_of(merchant_ids: Iterable[int]) -> dict[int, list[int]]:
    """The ids of the areas each provider serves."""
    result: dict[int, list[int]] = defaultdict(list)
    wanted = list(set(merchant_ids))
    if wanted:
        rows = await (
            MerchantArea.filter(merchant_id__in=wanted)
            .order_by("area_path")
            .values("merchant_id", "area_id")
        )
        for row in rows:
            result[row["merchant_id"]].append(row["area_id"])
    return result


async def merchant_of(principal: Principal | None) -> int:
    """The provider a MERCHANT account works for; FORBIDDEN for anyone else."""
    principal = require_role(principal, Role.MERCHANT)
    merchant_id = await merchant_id_of_account(principal.account_id)
    if merchant_id is None:
        raise Forbidden("This account does not work for a registered provider.")
    return merchant_id


async def merchant_id_of_account(account_id: int) -> int | None:
    """The provider an account works for, if any."""
    rows = await MerchantStaff.filter(account_id=account_id).values("merchant_id")
    return rows[0]["merchant_id"] if rows else None


def _valid_phone(phone: str) -> bool:
    return is_mobile(phone) or is_landline(phone)


def _registration_problems(reg: Registration) -> list[Problem]:
    problems: list[Problem] = []
    name = reg.name.strip()
    if len(name) < 2:
        problems.append(Problem("name", ErrorCode.TOO_SHORT, "名称至少 2 个字。"))
    elif len(name) > NAME_MAX_LENGTH:
        problems.append(Problem("name", ErrorCode.TOO_LONG, f"名称最多 {NAME_MAX_LENGTH} 个字。"))
    if not is_credit_code(reg.credit_code.strip().upper()):
        problems.append(
            Problem(
                "creditCode", ErrorCode.INVALID, "不是有效的 18 位统一社会信用代码（校验位不符）。"
            )
        )
    if not reg.contact_name.strip() or len(reg.contact_name.strip()) > 32:
        problems.append(Problem("contactName", ErrorCode.INVALID, "联系人姓名应为 1–32 个字。"))
    if not _valid_phone(reg.contact_phone):
        problems.append(
            Problem("contactPhone", ErrorCode.INVALID, "应为手机号或带区号的固定电话。")
        )
    if len(reg.address) > 200:
        problems.append(Problem("address", ErrorCode.TOO_LONG, "地址最多 200 个字。"))
    if len(reg.description) > 500:
        problems.append(Problem("description", ErrorCode.TOO_LONG, "简介最多 500 个字。"))
    if not 1 <= reg.capacity <= MAX_CAPACITY:
        problems.append(
            Problem("capacity", ErrorCode.OUT_OF_RANGE, f"同时接单数应在 1–{MAX_CAPACITY} 之间。")
        )
    for i, specialty in enumerate(reg.specialties):
        if not _SPECIALTY.match(specialty):
            problems.append(
                Problem(f"specialties[{i}]", ErrorCode.INVALID, "专长代码应为大写字母和下划线。")
            )
    problems.extend(_offering_problems(reg))
    if not reg.area_codes:
        problems.append(Problem("serviceAreaCodes", ErrorCode.REQUIRED, "至少选择一个服务区域。"))
    elif len(reg.area_codes) > MAX_SERVICE_AREAS:
        problems.append(
            Problem(
                "serviceAreaCodes", ErrorCode.TOO_LONG, f"最多 {MAX_SERVICE_AREAS} 个服务区域。"
            )
        )
    for problem in validate_new_account(
        reg.staff_username.strip().lower(), reg.staff_password, reg.contact_name or "-", None
    ):
        if problem.field in ("username", "password"):
            field_name = "staffUsername" if problem.field == "username" else "staffPassword"
            problems.append(Problem(field_name, problem.code, problem.message))
    return problems


def _offering_problems(reg: Registration) -> list[Problem]:
    if not reg.services:
        return [Problem("services", ErrorCode.REQUIRED, "至少申请一种服务。")]
    problems: list[Problem] = []
    registry = service_registry()
    seen: set[str] = set()
    today = clock.now().date()
    for i, offering in enumerate(reg.services):
        where = f"services[{i}]"
        service_type = registry.get(offering.service_type)
        if service_type is None:
            problems.append(
                Problem(f"{where}.serviceType", ErrorCode.NOT_FOUND, "没有这种服务类型。")
            )
            continue
        if offering.service_type in seen:
            problems.append(Problem(f"{where}.serviceType", ErrorCode.INVALID, "重复的服务类型。"))
        seen.add(offering.service_type)
        if service_type.provider_kind is not reg.kind:
            problems.append(
                Problem(
                    f"{where}.serviceType",
                    ErrorCode.WRONG_ROLE,
                    f"{service_type.name}只能由 {service_type.provider_kind.value} 类服务商提供。",
                )
            )
        known = {q.code: q for q in service_type.qualifications}
        given = {d.code: d for d in offering.documents}
        for j, document in enumerate(offering.documents):
            spot = f"{where}.documents[{j}]"
            if document.code not in known:
                problems.append(
                    Problem(f"{spot}.code", ErrorCode.INVALID, f"{service_type.name}不需要此资质。")
                )
            elif not document.number.strip() or len(document.number) > 64:
                problems.append(Problem(f"{spot}.number", ErrorCode.INVALID, "请填写证照编号。"))
            elif document.valid_until is not None and document.valid_until < today:
                problems.append(
                    Problem(f"{spot}.validUntil", ErrorCode.OUT_OF_RANGE, "证照已过期。")
                )
        for qualification in service_type.qualifications:
            if qualification.required and qualification.code not in given:
                problems.append(
                    Problem(
                        f"{where}.documents",
                        ErrorCode.NOT_QUALIFIED,
                        f"{service_type.name}需要：{qualification.name}。",
                    )
                )
    return problems


async def register_merchant(reg: Registration, *, is_demo: bool = False) -> MerchantRecord:
    """Register a provider and its first staff account; it waits for review as PENDING.

    Raises :class:`DomainError` listing every problem with the registration.
    """
    problems = _registration_problems(reg)
    areas = await get_areas_by_code(reg.area_codes)
    for i, code in enumerate(reg.area_codes):
        if code not in areas:
            problems.append(
                Problem(f"serviceAreaCodes[{i}]", ErrorCode.NOT_FOUND, "没有这个区域。")
            )
    base_grid = await area_at(reg.base_lat, reg.base_lng)
    if base_grid is None:
        problems.append(
            Problem("baseLocation", ErrorCode.OUTSIDE_SERVICE_AREA, "驻点不在本市任何网格内。")
        )
    if problems:
        raise DomainError.of(problems)
    assert base_grid is not None
    now = clock.now()
    credit_code = reg.credit_code.strip().upper()
    try:
        async with in_transaction():
            staff = await create_account(
                username=reg.staff_username,
                role=Role.MERCHANT,
                display_name=reg.contact_name.strip(),
                password=reg.staff_password,
                phone=normalise_mobile(reg.contact_phone) if is_mobile(reg.contact_phone) else None,
                is_demo=is_demo,
            )
            merchant = await Merchant.create(
                name=reg.name.strip(),
                kind=reg.kind,
                credit_code=credit_code,
                contact_name=reg.contact_name.strip(),
                contact_phone=reg.contact_phone.strip(),
                address=reg.address.strip(),
                base_lat=reg.base_lat,
                base_lng=reg.base_lng,
                base_grid_id=base_grid.id,
                description=reg.description.strip(),
                specialties=list(dict.fromkeys(reg.specialties)),
                capacity=reg.capacity,
                is_demo=is_demo,
                created_at=now,
                updated_at=now,
            )
            await MerchantService.bulk_create(
                [
                    MerchantService(
                        merchant=merchant,
                        service_type=o.service_type,
                        documents=[document_json(d) for d in o.documents],
                    )
                    for o in reg.services
                ]
            )
            await MerchantArea.bulk_create(
                [
                    MerchantArea(merchant=merchant, area_id=areas[c].id, area_path=areas[c].path)
                    for c in dict.fromkeys(reg.area_codes)
                ]
            )
            await MerchantStaff.create(account_id=staff.id, merchant=merchant, created_at=now)
            await MerchantEvent.create(
                merchant=merchant,
                kind="REGISTERED",
                to_status=MerchantStatus.PENDING,
                actor_id=staff.id,
                occurred_at=now,
            )
    except IntegrityError:
        raise DomainError(
            ErrorCode.ALREADY_EXISTS, "该统一社会信用代码已注册。", "creditCode"
        ) from None
    return (await get_merchants([merchant.id]))[merchant.id]


def document_json(document: QualificationDocument) -> dict[str, Any]:
    """A qualification document as stored beside the service it qualifies for."""
    return {
        "code": document.code,
        "number": document.number.strip(),
        "issuedBy": document.issued_by.strip(),
        "validUntil": document.valid_until.isoformat() if document.valid_until else None,
    }


#: decision → (statuses it applies to, status it leads to, whether a note is required)
REVIEW_DECISIONS: dict[str, tuple[tuple[MerchantStatus, ...], MerchantStatus, bool]] = {
    "APPROVE": ((MerchantStatus.PENDING,), MerchantStatus.APPROVED, False),
    "REJECT": ((MerchantStatus.PENDING,), MerchantStatus.REJECTED, True),
    "SUSPEND": ((MerchantStatus.APPROVED,), MerchantStatus.SUSPENDED, True),
    "REINSTATE": ((MerchantStatus.SUSPENDED,), MerchantStatus.APPROVED, False),
}


async def review_merchant(
    *, merchant_id: int, decision: str, note: str, actor: Principal | None
) -> MerchantRecord:
    """Approve, reject, suspend or reinstate a provider (ADMIN).

    A suspended provider goes off duty and can accept nothing until reinstated.
    """
    actor = require_role(actor, Role.ADMIN)
    sources, target, needs_note = REVIEW_DECISIONS[decision]
    if needs_note and not note.strip():
        raise DomainError(ErrorCode.REQUIRED, "请说明理由。", "note")
    current = (await get_merchants([merchant_id])).get(merchant_id)
    if current is None:
        raise DomainError(ErrorCode.NOT_FOUND, "没有这个服务商。", "merchantId")
    now = clock.now()
    async with events.after_commit(), in_transaction():
        changes: dict[str, Any] = {"status": target, "reviewed_at": now, "updated_at": now}
        changes["review_note"] = note.strip()[:255]
        if target is not MerchantStatus.APPROVED:
            changes["on_duty"] = False
        moved = await Merchant.filter(id=merchant_id, status__in=sources).update(**changes)
        if not moved:
            raise DomainError(
                ErrorCode.INVALID_STATE,
                f"状态为 {current.status.value} 的服务商不能{decision}。",
                "decision",
            )
        await MerchantEvent.create(
            merchant_id=merchant_id,
            kind=decision,
            from_status=current.status,
            to_status=target,
            actor_id=actor.account_id,
            note=note.strip()[:255],
            occurred_at=now,
        )
        await events.publish(merchant_topic(merchant_id), "MERCHANT_REVIEWED", status=target.value)
    return (await get_merchants([merchant_id]))[merchant_id]


async def set_on_duty(*, on_duty: bool, actor: Principal | None) -> MerchantRecord:
    """Go on or off duty (the provider's own staff). Only approved providers go on duty."""
    merchant_id = await merchant_of(actor)
    assert actor is not None
    now = clock.now()
    async with in_transaction():
        query = Merchant.filter(id=merchant_id)
        if on_duty:
            query = query.filter(status=MerchantStatus.APPROVED)
        if not await query.update(on_duty=on_duty, updated_at=now):
            raise DomainError(
                ErrorCode.MERCHANT_NOT_APPROVED, "服务商通过审核后才能上线接单。", "onDuty"
            )
        status = await Merchant.filter(id=merchant_id).values_list("status", flat=True)
        await MerchantEvent.create(
            merchant_id=merchant_id,
            kind="ON_DUTY" if on_duty else "OFF_DUTY",
            from_status=status[0],
            to_status=status[0],
            actor_id=actor.account_id,
            occurred_at=now,
        )
    return (await get_merchants([merchant_id]))[merchant_id]


@dataclass(frozen=True, slots=True)
class MerchantFilter:
    """Which providers to list; every criterion given must hold."""

    kind: ProviderKind | None = None
    status: MerchantStatus | None = None
    service_type: str | None = None
    area_code: str | None = None
    on_duty: bool | None = None
    name_contains: str | None = None


async def list_merchants(
    merchant_filter: MerchantFilter, *, first: int, after: int | None, viewer: Principal | None
) -> Page[MerchantRecord]:
    """A page of providers by id. Platform staff see every status, others approved ones."""
    query = Merchant.all()
    staff = viewer is not None and viewer.role in (Role.ADMIN, Role.AGENT)
    if not staff:
        query = query.filter(status=MerchantStatus.APPROVED)
    if merchant_filter.status is not None:
        query = query.filter(status=merchant_filter.status)
    if merchant_filter.kind is not None:
        query = query.filter(kind=merchant_filter.kind)
    if merchant_filter.on_duty is not None:
        query = query.filter(on_duty=merchant_filter.on_duty)
    if merchant_filter.name_contains:
        query = query.filter(name__icontains=merchant_filter.name_contains[:NAME_MAX_LENGTH])
    if merchant_filter.service_type is not None:
        query = query.filter(
            id__in=Subquery(
                MerchantService.filter(service_type=merchant_filter.service_type[:64]).values(
                    "merchant_id"
                )
            )
        )
    if merchant_filter.area_code is not None:
        area = (
            await get_area(merchant_filter.area_code)
            if plausible_code(merchant_filter.area_code)
            else None
        )
        if area is None:
            return Page(items=[], total_count=0, has_next_page=False, has_previous_page=False)
        query = query.filter(
            id__in=Subquery(
                MerchantArea.filter(
                    Q(area_path__in=ancestor_paths(area.path)) | Q(area_path__startswith=area.path)
                ).values("merchant_id")
            )
        )
    total = await query.count()
    if after is not None:
        query = query.filter(id__gt=after)
    rows = await query.order_by("id").limit(first + 1).values(*_COLUMNS)
    return page_from_rows([_record(r) for r in rows], first, total, after_given=after is not None)


def ancestor_paths(path: str) -> list[str]:
    """The paths of an area and every area above it: "a/b/c/" → ["a/", "a/b/", "a/b/c/"]."""
    codes = path.rstrip("/").split("/")
    return ["/".join(codes[: i + 1]) + "/" for i in range(len(codes))]
