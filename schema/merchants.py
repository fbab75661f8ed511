"""Providers in GraphQL: registering, review, duty, and the directory."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

import strawberry
from strawberry import relay

from accounts.models import Role
from merchants import providers
from merchants.models import MerchantStatus
from merchants.providers import MerchantRecord, OfferingRecord
from plugins.service_types import ProviderKind
from schema.context import Context
from schema.errors import UserError, user_errors
from schema.grids import Area, LatLng
from schema.ids import cursor_row_id, row_id_of, row_ids
from schema.pagination import Connection, decode_cursor, page_size
from schema.services import ServiceType, service_type_of
from wuyou.errors import DomainError

strawberry.enum(MerchantStatus, description="Where a provider stands in review.")

Info = strawberry.Info[Context, None]


@strawberry.type(description="A qualification document a provider registered.")
class QualificationDocument:
    code: str
    number: str
    issued_by: str
    valid_until: date | None


@strawberry.type(description="A service type a provider serves.")
class MerchantService:
    code: str
    documents: list[QualificationDocument] | None = strawberry.field(
        description="Visible to administrators and the provider's own staff; null otherwise."
    )

    @strawberry.field(description="The service type; null if its plugin is no longer loaded.")
    def service_type(self) -> ServiceType | None:
        return service_type_of(self.code)


@strawberry.type(
    description="A provider: a merchant, mediation organisation, counsellor or law firm."
)
class Merchant(relay.Node):
    name: str
    kind: ProviderKind
    credit_code: str = strawberry.field(description="Unified social credit code (18 characters).")
    contact_name: str
    contact_phone: str
    address: str
    description: str
    specialties: list[str] = strawberry.field(
        description="What it specialises in, e.g. the dispute types of a mediation committee."
    )
    capacity: int = strawberry.field(description="Orders it can serve at once.")
    active_orders: int
    status: MerchantStatus
    on_duty: bool
    rating: float | None = strawberry.field(description="Average stars; null before any rating.")
    rating_count: int
    review_note: str
    created_at: datetime
    reviewed_at: datetime | None
    record: strawberry.Private[MerchantRecord]

    @classmethod
    def resolve_id(cls, root: Merchant, *, info: Info) -> str:
        return str(root.record.id)

    @classmethod
    def of(cls, record: MerchantRecord) -> Merchant:
        return cls(
            name=record.name,
            kind=record.kind,
            credit_code=record.credit_code,
            contact_name=record.contact_name,
            contact_phone=record.contact_phone,
            address=record.address,
            description=record.description,
            specialties=list(record.specialties),
            capacity=record.capacity,
            active_orders=record.active_orders,
            status=record.status,
            on_duty=record.on_duty,
            rating=record.rating,
            rating_count=record.rating_count,
            review_note=record.review_note,
            created_at=record.created_at,
            reviewed_at=record.reviewed_at,
            record=record,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Merchant | None]:
        wanted = row_ids(node_ids, "Merchant")
        records = await info.context.loaders.merchant_by_id.load_many(wanted)
        return [cls.of(r) if r and await _may_see(info, r) else None for r in records]

    @strawberry.field(description="Where it is based.")
    def base_location(self) -> LatLng:
        return LatLng(lat=self.record.base_lat, lng=self.record.base_lng)

    @strawberry.field(description="The grid it is based in.")
    async def base_grid(self, info: Info) -> Area | None:
        if self.record.base_grid_id is None:
            return None
        record = await info.context.loaders.area_by_id.load(self.record.base_grid_id)
        return Area.of(record) if record else None

    @strawberry.field(description="The areas it serves; each covers every grid beneath it.")
    async def service_areas(self, info: Info) -> list[Area]:
        ids = await info.context.loaders.merchant_area_ids.load(self.record.id)
        records = await info.context.loaders.area_by_id.load_many(ids)
        return [Area.of(r) for r in records if r is not None]

    @strawberry.field(description="The service types it serves.")
    async def services(self, info: Info) -> list[MerchantService]:
        offerings = await info.context.loaders.offerings.load(self.record.id)
        private = await _is_insider(info, self.record.id)
        return [_service(o, private) for o in offerings]


def _service(offering: OfferingRecord, private: bool) -> MerchantService:
    documents = None
    if private:
        documents = [
            QualificationDocument(
                code=d["code"],
                number=d["number"],
                issued_by=d.get("issuedBy", ""),
                valid_until=date.fromisoformat(d["validUntil"]) if d.get("validUntil") else None,
            )
            for d in offering.documents
        ]
    return MerchantService(code=offering.service_type, documents=documents)


async def _is_insider(info: Info, merchant_id: int) -> bool:
    """Administrators, agents, and the provider's own staff."""
    principal = await info.context.principal()
    if principal is None:
        return False
    if principal.role in (Role.ADMIN, Role.AGENT):
        return True
    if principal.role is Role.MERCHANT:
        return await info.context.own_merchant() == merchant_id
    return False


async def _may_see(info: Info, record: MerchantRecord) -> bool:
    return record.status is MerchantStatus.APPROVED or await _is_insider(info, record.id)


def merchant_id_of(global_id: relay.GlobalID, argument: str) -> int:
    """The provider id inside a Merchant global id; BAD_USER_INPUT otherwise."""
    return row_id_of(global_id, "Merchant", argument)


@strawberry.input(description="Which providers to list; every criterion given must hold.")
class MerchantFilter:
    kind: ProviderKind | None = None
    status: MerchantStatus | None = strawberry.field(
        default=None, description="Only platform staff see providers that are not APPROVED."
    )
    service_type: str | None = None
    area_code: str | None = strawberry.field(
        default=None, description="Serving this area (or part of it)."
    )
    on_duty: bool | None = None
    name_contains: str | None = None


@strawberry.input(description="A licence or certificate for a service type.")
class QualificationDocumentInput:
    code: str = strawberry.field(description="The qualification's code (see ServiceType).")
    number: str
    issued_by: str = ""
    valid_until: date | None = None


@strawberry.input(description="A service type to serve, with its documents.")
class MerchantServiceInput:
    service_type: str
    documents: list[QualificationDocumentInput] = strawberry.field(default_factory=list)


@strawberry.input(description="A point in WGS-84 degrees.")
class LatLngInput:
    lat: float
    lng: float


@strawberry.input
class RegisterMerchantInput:
    name: str
    kind: ProviderKind
    credit_code: str = strawberry.field(description="Unified social credit code, with its check.")
    contact_name: str
    contact_phone: str
    address: str
    base_location: LatLngInput
    capacity: int = strawberry.field(description="Orders it can serve at once (1–200).")
    services: list[MerchantServiceInput]
    service_area_codes: list[str] = strawberry.field(
        description="Areas of any level; an area covers every grid beneath it."
    )
    staff_username: str = strawberry.field(description="The first staff account's username.")
    staff_password: str = strawberry.field(description="At least 8 characters.")
    description: str = ""
    specialties: list[str] = strawberry.field(default_factory=list)


@strawberry.type
class RegisterMerchantPayload:
    merchant: Merchant | None
    errors: list[UserError]


@strawberry.enum(description="What an administrator decides about a provider.")
class ReviewDecision(StrEnum):
    APPROVE = "APPROVE"
    REJECT = "REJECT"
    SUSPEND = "SUSPEND"
    REINSTATE = "REINSTATE"


@strawberry.input
class ReviewMerchantInput:
    merchant_id: relay.GlobalID
    decision: ReviewDecision
    note: str = strawberry.field(default="", description="Required to reject or suspend.")


@strawberry.type
class ReviewMerchantPayload:
    merchant: Merchant | None
    errors: list[UserError]


@strawberry.input
class SetOnDutyInput:
    on_duty: bool


@strawberry.type
class SetOnDutyPayload:
    merchant: Merchant | None
    errors: list[UserError]


@strawberry.type
class MerchantQueries:
    @strawberry.field(
        description="Providers by registration order. Anyone sees approved ones; "
        "platform staff see all."
    )
    async def merchants(
        self,
        info: Info,
        filter: MerchantFilter | None = None,
        first: Annotated[int | None, strawberry.argument(description="At most 100.")] = None,
        after: str | None = None,
    ) -> Connection[Merchant]:
        f = filter or MerchantFilter()
        after_id = cursor_row_id(decode_cursor("Merchant", after), "Merchant")
        page = await providers.list_merchants(
            providers.MerchantFilter(
                kind=f.kind,
                status=f.status,
                service_type=f.service_type,
                area_code=f.area_code,
                on_duty=f.on_duty,
                name_contains=f.name_contains,
            ),
            first=page_size(first),
            after=after_id,
            viewer=await info.context.principal(),
        )
        return Connection[Merchant].of(
            page, kind="Merchant", key=lambda r: str(r.id), node=Merchant.of
        )

    @strawberry.field(description="The provider the signed-in MERCHANT account works for.")
    async def my_merchant(self, info: Info) -> Merchant | None:
        await info.context.require(Role.MERCHANT)
        merchant_id = await info.context.own_merchant()
        record = await info.context.loaders.merchant_by_id.load(merchant_id)
        return Merchant.of(record) if record else None


@strawberry.type
class MerchantMutations:
    @strawberry.mutation(
        description="Register a provider and its first staff account; it waits for review."
    )
    async def register_merchant(
        self, info: Info, input: RegisterMerchantInput
    ) -> RegisterMerchantPayload:
        registration = providers.Registration(
            name=input.name,
            kind=input.kind,
            credit_code=input.credit_code,
            contact_name=input.contact_name,
            contact_phone=input.contact_phone,
            address=input.address,
            base_lat=input.base_location.lat,
            base_lng=input.base_location.lng,
            capacity=input.capacity,
            services=[
                providers.ServiceOffering(
                    service_type=s.service_type,
                    documents=[
                        providers.QualificationDocument(
                            code=d.code,
                            number=d.number,
                            issued_by=d.issued_by,
                            valid_until=d.valid_until,
                        )
                        for d in s.documents
                    ],
                )
                for s in input.services
            ],
            area_codes=input.service_area_codes,
            staff_username=input.staff_username,
            staff_password=input.staff_password,
            description=input.description,
            specialties=input.specialties,
        )
        try:
            record = await providers.register_merchant(registration)
        except DomainError as error:
            return RegisterMerchantPayload(merchant=None, errors=user_errors(error))
        return RegisterMerchantPayload(merchant=Merchant.of(record), errors=[])

    @strawberry.mutation(description="Approve, reject, suspend or reinstate a provider (ADMIN).")
    async def review_merchant(
        self, info: Info, input: ReviewMerchantInput
    ) -> ReviewMerchantPayload:
        actor = await info.context.require(Role.ADMIN)
        try:
            record = await providers.review_merchant(
                merchant_id=merchant_id_of(input.merchant_id, "merchantId"),
                decision=input.decision.value,
                note=input.note,
                actor=actor,
            )
        except DomainError as error:
            return ReviewMerchantPayload(merchant=None, errors=user_errors(error))
        return ReviewMerchantPayload(merchant=Merchant.of(record), errors=[])

    @strawberry.mutation(description="Go on or off duty (the provider's staff).")
    async def set_on_duty(self, info: Info, input: SetOnDutyInput) -> SetOnDutyPayload:
        actor = await info.context.require(Role.MERCHANT)
        try:
            record = await providers.set_on_duty(on_duty=input.on_duty, actor=actor)
        except DomainError as error:
            return SetOnDutyPayload(merchant=None, errors=user_errors(error))
        return SetOnDutyPayload(merchant=Merchant.of(record), errors=[])
