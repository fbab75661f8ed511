"""Areas, grid workers, departments and channels in GraphQL."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Iterable
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, cast

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from accounts.models import Role
from grids import areas as area_domain
from grids import catalogue, workers
from grids.areas import AreaRecord
from grids.catalogue import ChannelRecord, DepartmentRecord
from grids.models import AreaLevel, ChannelKind, DepartmentLevel, GridType
from grids.workers import GridWorkerRecord
from schema.context import Context
from schema.errors import BadUserInput, UserError, user_errors
from schema.pagination import Connection, decode_cursor, page_size
from wuyou import events
from wuyou.errors import DomainError
from wuyou.privacy import mask_phone

strawberry.enum(
    AreaLevel, description="The five levels: city, district, street/town, community/village, grid."
)
strawberry.enum(GridType, description="Community grid, rural grid, or dedicated grid.")
strawberry.enum(
    DepartmentLevel,
    description="Which level a body serves: the city, a district, a street or town "
    "(街道办、镇政府), or a community or village (居委会、村委会).",
)
strawberry.enum(ChannelKind, description="How a request reached the platform.")

Info = strawberry.Info[Context, None]

#: Roles that see grid workers' phone numbers in full.
_STAFF = (Role.ADMIN, Role.AGENT, Role.DEPARTMENT, Role.GRID_WORKER)


@strawberry.type(description="A point in WGS-84 degrees.")
class LatLng:
    lat: float
    lng: float


@strawberry.type(description="A grid worker (网格员) and the grid they serve.")
class GridWorker:
    username: str
    display_name: str
    phone: str | None = strawberry.field(
        description="Masked (139****5678) unless the viewer is platform staff."
    )
    title: str = strawberry.field(description="专职网格员 (full-time), 兼职网格员 (part-time) ...")
    assigned_at: datetime | None
    grid_id: strawberry.Private[int | None]

    @classmethod
    def of(cls, record: GridWorkerRecord, *, full_phone: bool) -> GridWorker:
        return cls(
            username=record.username,
            display_name=record.display_name,
            phone=record.phone if full_phone else mask_phone(record.phone),
            title=record.title,
            assigned_at=record.assigned_at,
            grid_id=record.grid_id,
        )

    @strawberry.field(description="The grid served now; null while unassigned.")
    async def grid(self, info: Info) -> Area | None:
        if self.grid_id is None:
            return None
        record = await info.context.loaders.area_by_id.load(self.grid_id)
        return Area.of(record) if record else None


@strawberry.type(description="One node of the five-level area hierarchy.")
class Area(relay.Node):
    code: str = strawberry.field(
        description="National division code (150302, 150302001, 150302001001) or grid code "
        "(150302001001-G07, dedicated …-D01)."
    )
    name: str
    level: AreaLevel
    grid_type: GridType | None = strawberry.field(description="Set on GRID-level areas only.")
    population: int = strawberry.field(description="Residents (7th census based).")
    description: str = strawberry.field(description="What a dedicated grid serves.")
    centroid: LatLng = strawberry.field(description="A point inside the area, for map labels.")
    record: strawberry.Private[AreaRecord]

    @classmethod
    def resolve_id(cls, root: Area, *, info: Info) -> str:
        return root.code

    @classmethod
    def of(cls, record: AreaRecord) -> Area:
        return cls(
            code=record.code,
            name=record.name,
            level=record.level,
            grid_type=record.grid_type,
            population=record.population,
            description=record.description,
            centroid=LatLng(lat=record.centroid_lat, lng=record.centroid_lng),
            record=record,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Area | None]:
        records = await info.context.loaders.area_by_code.load_many(list(node_ids))
        return [cls.of(r) if r else None for r in records]

    @strawberry.field(description="The GeoJSON Polygon or MultiPolygon ([lng, lat]).")
    async def boundary(self, info: Info) -> JSON:
        return cast(JSON, await info.context.loaders.boundary.load(self.record.id))

    @strawberry.field(description="The area one level up; null for the city.")
    async def parent(self, info: Info) -> Area | None:
        if self.record.parent_id is None:
            return None
        record = await info.context.loaders.area_by_id.load(self.record.parent_id)
        return Area.of(record) if record else None

    @strawberry.field(description="The areas one level down, by code.")
    async def children(self, info: Info) -> list[Area]:
        return [Area.of(r) for r in await info.context.loaders.children.load(self.record.id)]

    @strawberry.field(description="The areas above, from the city down to the parent.")
    async def ancestors(self, info: Info) -> list[Area]:
        records = await info.context.loaders.area_by_code.load_many(self.record.ancestor_codes)
        return [Area.of(r) for r in records if r is not None]

    @strawberry.field(
        description="Grid workers serving this grid, or every grid beneath this area. "
        "Needs a signed-in account; phone numbers are masked for citizens and merchants."
    )
    async def grid_workers(self, info: Info) -> list[GridWorker]:
        principal = await info.context.require()
        loaders = info.context.loaders
        records = (
            await loaders.workers_in_grid.load(self.record.id)
            if self.record.level is AreaLevel.GRID
            else await loaders.workers_within.load(self.record.path)
        )
        full = principal.role in _STAFF
        return [GridWorker.of(r, full_phone=full) for r in records]


@strawberry.type(
    description="A body that handles tickets: a department or enterprise, a street office or a "
    "community committee."
)
class Department(relay.Node):
    code: str
    name: str
    short_name: str
    level: DepartmentLevel
    duty_phone: str
    record: strawberry.Private[DepartmentRecord]

    @classmethod
    def resolve_id(cls, root: Department, *, info: Info) -> str:
        return root.code

    @classmethod
    def of(cls, record: DepartmentRecord) -> Department:
        return cls(
            code=record.code,
            name=record.name,
            short_name=record.short_name,
            level=record.level,
            duty_phone=record.duty_phone,
            record=record,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Department | None]:
        found = {d.code: d for d in await catalogue.list_departments()}
        return [cls.of(found[c]) if c in found else None for c in node_ids]

    @strawberry.field(description="The city, or the district this department serves.")
    async def area(self, info: Info) -> Area:
        record = await info.context.loaders.area_by_id.load(self.record.area_id)
        assert record is not None
        return Area.of(record)


@strawberry.type(
    description="An intake channel: a merged hotline, an online channel, a grid "
    "worker's report or a walk-in counter."
)
class Channel:
    code: str
    name: str
    kind: ChannelKind
    number: str = strawberry.field(description="The dialled number of a hotline; empty otherwise.")
    department_id: strawberry.Private[int | None]

    @classmethod
    def of(cls, record: ChannelRecord) -> Channel:
        return cls(
            code=record.code,
            name=record.name,
            kind=record.kind,
            number=record.number,
            department_id=record.department_id,
        )

    @strawberry.field(description="The department whose line was merged into 12345, if any.")
    async def department(self, info: Info) -> Department | None:
        if self.department_id is None:
            return None
        record = await info.context.loaders.department_by_id.load(self.department_id)
        return Department.of(record) if record else None


@strawberry.input(description="Which areas to list; every criterion given must hold.")
class AreaFilter:
    level: AreaLevel | None = None
    grid_type: GridType | None = None
    parent_code: str | None = strawberry.field(
        default=None, description="Only the children of this area."
    )
    within_code: str | None = strawberry.field(
        default=None, description="This area and everything beneath it."
    )
    name_contains: str | None = None


@strawberry.type
class GridQueries:
    @strawberry.field(description="The area with this code.")
    async def area(self, info: Info, code: str) -> Area | None:
        record = await info.context.loaders.area_by_code.load(code)
        return Area.of(record) if record else None

    @strawberry.field(description="Areas in code order (each parent before its children).")
    async def areas(
        self,
        info: Info,
        filter: AreaFilter | None = None,
        first: Annotated[int | None, strawberry.argument(description="At most 100.")] = None,
        after: str | None = None,
    ) -> Connection[Area]:
        f = filter or AreaFilter()
        page = await area_domain.list_areas(
            area_domain.AreaFilter(
                level=f.level,
                grid_type=f.grid_type,
                parent_code=f.parent_code,
                within_code=f.within_code,
                name_contains=f.name_contains,
            ),
            first=page_size(first),
            after=decode_cursor("Area", after),
        )
        return Connection[Area].of(page, kind="Area", key=lambda r: r.code, node=Area.of)

    @strawberry.field(description="The GRID containing the point; null outside the city.")
    async def area_at(self, lat: float, lng: float) -> Area | None:
        if not (-90 <= lat <= 90):
            raise BadUserInput("lat", "Latitude is between -90 and 90.")
        if not (-180 <= lng <= 180):
            raise BadUserInput("lng", "Longitude is between -180 and 180.")
        record = await area_domain.area_at(lat, lng)
        return Area.of(record) if record else None

    @strawberry.field(description="Departments, city level first (a short catalogue).")
    async def departments(
        self, info: Info, level: DepartmentLevel | None = None, area_code: str | None = None
    ) -> list[Department]:
        area_id = None
        if area_code is not None:
            area = await info.context.loaders.area_by_code.load(area_code)
            if area is None:
                return []
            area_id = area.id
        records = await catalogue.list_departments(level=level, area_id=area_id)
        return [Department.of(r) for r in records]

    @strawberry.field(description="Intake channels in catalogue order (a short catalogue).")
    async def channels(self, kind: ChannelKind | None = None) -> list[Channel]:
        return [Channel.of(r) for r in await catalogue.list_channels(kind=kind)]


@strawberry.input
class AssignGridWorkerInput:
    username: str
    grid_code: str
    title: str | None = strawberry.field(default=None, description="Keeps the current if null.")
    note: str = ""


@strawberry.type
class AssignGridWorkerPayload:
    grid_worker: GridWorker | None
    errors: list[UserError]


@strawberry.input
class UnassignGridWorkerInput:
    username: str
    note: str = ""


@strawberry.type
class UnassignGridWorkerPayload:
    grid_worker: GridWorker | None
    errors: list[UserError]


@strawberry.type
class GridMutations:
    @strawberry.mutation(description="Put a grid worker on a grid (ADMIN).")
    async def assign_grid_worker(
        self, info: Info, input: AssignGridWorkerInput
    ) -> AssignGridWorkerPayload:
        actor = await info.context.require(Role.ADMIN)
        try:
            record = await workers.assign_grid_worker(
                username=input.username,
                grid_code=input.grid_code,
                actor=actor,
                title=input.title,
                note=input.note,
            )
        except DomainError as error:
            return AssignGridWorkerPayload(grid_worker=None, errors=user_errors(error))
        return AssignGridWorkerPayload(
            grid_worker=GridWorker.of(record, full_phone=True), errors=[]
        )

    @strawberry.mutation(description="Take a grid worker off their grid (ADMIN).")
    async def unassign_grid_worker(
        self, info: Info, input: UnassignGridWorkerInput
    ) -> UnassignGridWorkerPayload:
        actor = await info.context.require(Role.ADMIN)
        try:
            record = await workers.unassign_grid_worker(
                username=input.username, actor=actor, note=input.note
            )
        except DomainError as error:
            return UnassignGridWorkerPayload(grid_worker=None, errors=user_errors(error))
        return UnassignGridWorkerPayload(
            grid_worker=GridWorker.of(record, full_phone=True), errors=[]
        )


@strawberry.enum(description="What happened in an area.")
class AreaEventKind(StrEnum):
    GRID_WORKER_ASSIGNED = "GRID_WORKER_ASSIGNED"
    GRID_WORKER_UNASSIGNED = "GRID_WORKER_UNASSIGNED"


@strawberry.type(description="Something that happened in an area or beneath it.")
class AreaEvent:
    kind: AreaEventKind
    occurred_at: datetime
    username: str = strawberry.field(description="The grid worker concerned.")
    grid_code: str

    @strawberry.field(description="The grid concerned.")
    async def grid(self, info: Info) -> Area | None:
        record = await info.context.loaders.area_by_code.load(self.grid_code)
        return Area.of(record) if record else None


@strawberry.type
class GridSubscriptions:
    @strawberry.subscription(
        description="Live events in an area and every area beneath it (platform staff)."
    )
    async def area_events(self, info: Info, code: str) -> AsyncGenerator[AreaEvent, None]:
        await info.context.require(*_STAFF)
        if await area_domain.get_area(code) is None:
            raise BadUserInput("code", f"No area {code!r}.")
        async with events.broadcaster().subscribe(workers.area_topic(code)) as stream:
            async for event in stream:
                await info.context.reverify()
                payload: dict[str, Any] = event.payload
                yield AreaEvent(
                    kind=AreaEventKind(event.kind),
                    occurred_at=event.occurred_at,
                    username=payload["username"],
                    grid_code=payload["grid_code"],
                )
