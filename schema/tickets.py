"""Hotline tickets in GraphQL: the ticket, its history and deadlines, lists, the
department's queue, and live updates."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import relay

from accounts.models import Role
from accounts.service import Principal
from grids.catalogue import get_department
from schema.context import Context
from schema.dataloaders import AwaitableOrValue, loaded, then
from schema.errors import BadUserInput
from schema.grids import Area, Channel, Department, LatLng
from schema.ids import row_id
from schema.pagination import Connection, decode_cursor, page_size
from tickets import queries, visibility
from tickets.categories import CategoryRecord
from tickets.extensions import ExtensionRecord
from tickets.history import TicketEventRecord
from tickets.lifecycle import Action, Satisfaction, TicketStatus
from tickets.live import ALL_TICKETS_TOPIC, TICKET_UPDATED, department_topic, ticket_topic
from tickets.models import Desk, ExtensionStatus, SafetyDimension
from tickets.records import TicketRecord
from tickets.sla import SlaWarning, TicketKind, Urgency
from tickets.visibility import PublicStatus
from wuyou import clock, events
from wuyou.errors import DomainError
from wuyou.privacy import mask_name, mask_phone

if TYPE_CHECKING:
    from schema.desks import Consultation
    from schema.knowledge import Article
    from schema.mediation import TicketOrderLink

strawberry.enum(TicketStatus, description="Where a ticket is in its lifecycle.")
strawberry.enum(
    PublicStatus, description="What the citizen is told of a ticket's status (fewer, plainer)."
)
strawberry.enum(
    TicketKind,
    description="Consultation, request for help (求助), complaint, report (举报), suggestion, "
    "praise.",
)
strawberry.enum(Urgency, description="NORMAL, URGENT (the same working day), CRITICAL (2 hours).")
strawberry.enum(
    SlaWarning,
    description="How late a ticket runs against its running deadline: YELLOW once the SLA "
    "policy's warning share of the time is gone (80% by default), RED once overdue.",
)
strawberry.enum(Satisfaction, description="The citizen's answer at the revisit (回访).")
strawberry.enum(Action, name="TicketAction", description="A step in a ticket's history.")
strawberry.enum(SafetyDimension, description="The eight dimensions of the safety index.")
strawberry.enum(ExtensionStatus, description="Where a request for more time stands.")
strawberry.enum(queries.TicketOrder, description="How to order a ticket list.")
strawberry.enum(
    Desk,
    description="A specialised hotline desk with its own queue: ENTERPRISE (企业服务专席), "
    "INTEGRITY (政务诚信受理专席).",
)

Info = strawberry.Info[Context, None]

_AGENTS = (Role.AGENT, Role.ADMIN)


async def _viewer_department(info: Info, principal: Principal | None) -> int | None:
    if principal is None or principal.role is not Role.DEPARTMENT:
        return None
    department = await info.context.loaders.department_of_account.load(principal.account_id)
    return department.id if department else None


@dataclass(frozen=True, slots=True)
class TicketView:
    """Who reads tickets in a request, worked out once (:func:`ticket_view`): each
    ticket's internal and masked fields are then read without awaiting anything."""

    principal: Principal | None
    #: The viewer's department, for DEPARTMENT accounts.
    department_id: int | None
    #: Whether the viewer sees the internal workings (staff do, citizens don't).
    internal: bool

    def sees_personal(self, record: TicketRecord) -> bool:
        """Whether the viewer sees ``record``'s citizen name and phone unmasked."""
        return visibility.sees_phone(self.principal, record, self.department_id)


async def ticket_view(info: Info) -> TicketView:
    """The signed-in viewer, as tickets are shown to them."""
    principal = await info.context.principal()
    return TicketView(
        principal=principal,
        department_id=await _viewer_department(info, principal),
        internal=visibility.sees_internals(principal),
    )


@strawberry.type(
    description="A node of the three-level category tree (城市管理 › 市容环境 › 占道经营)."
)
class TicketCategory(relay.Node):
    code: str = strawberry.field(description="Dotted by level: URBAN.CITYSCAPE.STREET_VENDING.")
    name: str
    name_en: str
    level: int = strawberry.field(description="1, 2 or 3; tickets take level-3 categories.")
    department_key: str | None = strawberry.field(
        description="The key of the body that handles it; the nearest body with this key to "
        "the ticket's location gets it (community, street, district, then the city)."
    )
    dimension: SafetyDimension | None = strawberry.field(
        description="The safety-index dimension its tickets count towards."
    )
    reply_days: int | None = strawberry.field(description="Working days to reply, if set here.")
    complete_days: int | None = strawberry.field(
        description="Working days to complete, if set here (else the kind's default)."
    )
    urgency_hint: Urgency | None = strawberry.field(
        description="Tickets in it are at least this urgent."
    )
    keywords: list[str]
    is_active: bool
    record: strawberry.Private[CategoryRecord]

    @classmethod
    def resolve_id(cls, root: TicketCategory, *, info: Info) -> str:
        return root.code

    @classmethod
    def of(cls, record: CategoryRecord) -> TicketCategory:
        return cls(
            code=record.code,
            name=record.name,
            name_en=record.name_en,
            level=record.level,
            department_key=record.department_key,
            dimension=record.dimension,
            reply_days=record.reply_days,
            complete_days=record.complete_days,
            urgency_hint=record.urgency_hint,
            keywords=list(record.keywords),
            is_active=record.is_active,
            record=record,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[TicketCategory | None]:
        found = [await info.context.loaders.category_by_code.load(c) for c in node_ids]
        return [cls.of(r) if r else None for r in found]

    @strawberry.field(description="The category above; null at level 1.")
    async def parent(self, info: Info) -> TicketCategory | None:
        if self.record.parent_id is None:
            return None
        record = await info.context.loaders.category_by_id.load(self.record.parent_id)
        return TicketCategory.of(record) if record else None

    @strawberry.field(description="The categories beneath, in catalogue order.")
    async def children(self, info: Info) -> list[TicketCategory]:
        records = await info.context.loaders.category_children.load(self.record.id)
        return [TicketCategory.of(r) for r in records]


@strawberry.type(description="One step in a ticket's history.")
class TicketEvent:
    action: Action
    from_status: TicketStatus | None
    to_status: TicketStatus
    note: str
    occurred_at: datetime
    record: strawberry.Private[TicketEventRecord]

    @classmethod
    def of(cls, record: TicketEventRecord) -> TicketEvent:
        return cls(
            action=record.action,
            from_status=record.from_status,
            to_status=record.to_status,
            note=record.note,
            occurred_at=record.occurred_at,
            record=record,
        )

    @strawberry.field(
        description="Username of who took the step; null for the platform itself (the "
        "sweeper's automatic supervision) and for citizens' views."
    )
    async def actor(self, info: Info) -> str | None:
        principal = await info.context.principal()
        if self.record.actor_id is None or principal is None or principal.role is Role.CITIZEN:
            return None
        account = await info.context.loaders.account_by_id.load(self.record.actor_id)
        return account.username if account else None

    @strawberry.field(description="The body the step concerned (dispatched to, returned by ...).")
    async def department(self, info: Info) -> Department | None:
        if self.record.department_id is None:
            return None
        record = await info.context.loaders.department_by_id.load(self.record.department_id)
        return Department.of(record) if record else None


@strawberry.type(description="A department's request for more time (延期).")
class Extension(relay.Node):
    working_days: int
    reason: str
    status: ExtensionStatus
    decision_note: str
    requested_at: datetime
    decided_at: datetime | None
    record: strawberry.Private[ExtensionRecord]

    @classmethod
    def resolve_id(cls, root: Extension, *, info: Info) -> str:
        return str(root.record.id)

    @classmethod
    def of(cls, record: ExtensionRecord) -> Extension:
        return cls(
            working_days=record.working_days,
            reason=record.reason,
            status=record.status,
            decision_note=record.decision_note,
            requested_at=record.requested_at,
            decided_at=record.decided_at,
            record=record,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Extension | None]:
        principal = await info.context.require(*_AGENTS, Role.DEPARTMENT)
        ids = [row_id(i) or 0 for i in node_ids]
        found = await info.context.loaders.extension_by_id.load_many(ids)
        nodes: list[Extension | None] = []
        for record in found:
            ticket = (
                await info.context.loaders.ticket_by_id.load(record.ticket_id) if record else None
            )
            seen = ticket is not None and await visibility.can_see(principal, ticket)
            nodes.append(cls.of(record) if record and seen else None)
        return nodes

    @strawberry.field(description="The ticket it is for.")
    def ticket_number(self) -> str:
        return self.record.ticket_number


@strawberry.type(description="When the body handling a ticket must sign, reply and complete.")
class TicketDeadlines:
    sign: datetime | None = strawberry.field(description="Sign for it (签收) by then.")
    reply: datetime | None = strawberry.field(description="Reply to the citizen by then.")
    complete: datetime | None = strawberry.field(description="Complete it (办结) by then.")
    revisit: datetime | None = strawberry.field(description="Revisit the citizen (回访) by then.")


@strawberry.type(
    description="A citizen's request, complaint, report ... (工单) from intake to closing. "
    "Agents see every ticket; a body sees those dispatched or transferred to it; a grid "
    "worker those in their grids; a citizen their own. The citizen's name and phone are "
    "masked for all but agents and the body handling it. The internal workings (status, "
    "deadlines, warnings, urging, supervision, returns) are null for citizens, who read "
    "publicStatus."
)
class Ticket(relay.Node):
    number: str = strawberry.field(description="WH + date + the day's sequence.")
    kind: TicketKind
    urgency: Urgency
    title: str
    content: str
    address: str
    reply: str = strawberry.field(description="The answer given to the citizen when resolved.")
    satisfaction: Satisfaction | None
    photos: list[str] = strawberry.field(description="A grid worker's photos, as URLs.")
    resolved_at_intake: bool = strawberry.field(description="Answered at first contact (一次办结).")
    resolved_on_site: bool = strawberry.field(description="Settled by the grid worker (就地解决).")
    reopen_count: int = strawberry.field(description="How often the citizen reopened it (重办).")
    received_at: datetime
    dispatched_at: datetime | None
    signed_at: datetime | None
    resolved_at: datetime | None
    revisited_at: datetime | None
    closed_at: datetime | None
    record: strawberry.Private[TicketRecord]
    view: strawberry.Private[TicketView]

    @classmethod
    def resolve_id(cls, root: Ticket, *, info: Info) -> str:
        return root.number

    @classmethod
    def of(cls, record: TicketRecord, view: TicketView) -> Ticket:
        """``record`` as ``view``'s viewer sees it."""
        return cls(
            number=record.number,
            kind=record.kind,
            urgency=record.urgency,
            title=record.title,
            content=record.content,
            address=record.address,
            reply=record.reply,
            satisfaction=record.satisfaction,
            photos=list(record.photos),
            resolved_at_intake=record.resolved_at_intake,
            resolved_on_site=record.resolved_on_site,
            reopen_count=record.reopen_count,
            received_at=record.received_at,
            dispatched_at=record.dispatched_at,
            signed_at=record.signed_at,
            resolved_at=record.resolved_at,
            revisited_at=record.revisited_at,
            closed_at=record.closed_at,
            record=record,
            view=view,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Ticket | None]:
        view = await ticket_view(info)
        found = [await queries.get_visible_ticket(view.principal, n) for n in node_ids]
        return [cls.of(r, view) if r else None for r in found]

    @strawberry.field(description="What the citizen is told of the status.")
    def public_status(self) -> PublicStatus:
        return visibility.public_status(self.record)

    @strawberry.field(description="Where it is in the lifecycle; null for citizens.")
    def status(self) -> TicketStatus | None:
        return self.record.status if self.view.internal else None

    @strawberry.field(description="Under supervision (督办); null for citizens.")
    def supervised(self) -> bool | None:
        return self.record.supervised if self.view.internal else None

    @strawberry.field(description="How often it was urged (催办); null for citizens.")
    def urge_count(self) -> int | None:
        return self.record.urge_count if self.view.internal else None

    @strawberry.field(description="How often a body returned it (退单); null for citizens.")
    def return_count(self) -> int | None:
        return self.record.return_count if self.view.internal else None

    @strawberry.field(description="Its deadlines; null for citizens.")
    def deadlines(self) -> TicketDeadlines | None:
        if not self.view.internal:
            return None
        record = self.record
        return TicketDeadlines(
            sign=record.sign_deadline,
            reply=record.reply_deadline,
            complete=record.complete_deadline,
            revisit=record.revisit_deadline,
        )

    @strawberry.field(
        description="The deadline that runs now: signing while dispatched, completion while in "
        "progress, the revisit once resolved; null when none runs, and for citizens."
    )
    def due_at(self) -> datetime | None:
        return self.record.due_at if self.view.internal else None

    @strawberry.field(description="How late it runs; null for citizens.")
    def warning(self) -> SlaWarning | None:
        return self.record.warning if self.view.internal else None

    @strawberry.field(
        description="Overdue: the running deadline has passed (open, or awaiting a late "
        "revisit), as the overdue filter and hotlineStats.overdueNow count it; null for "
        "citizens."
    )
    def overdue(self) -> bool | None:
        return queries.is_overdue(self.record, clock.now()) if self.view.internal else None

    @strawberry.field(
        description="Seconds until the running deadline; negative once overdue, null when "
        "no deadline runs, and for citizens."
    )
    def seconds_remaining(self) -> int | None:
        if self.record.due_at is None or not self.view.internal:
            return None
        return int((self.record.due_at - clock.now()).total_seconds())

    @strawberry.field(description="The citizen's name; masked (张*) for most viewers.")
    def citizen_name(self) -> str:
        name = self.record.citizen_name
        return name if self.view.sees_personal(self.record) else mask_name(name) or ""

    @strawberry.field(description="The citizen's phone; masked (138****1234) for most viewers.")
    def citizen_phone(self) -> str:
        phone = self.record.citizen_phone
        return phone if self.view.sees_personal(self.record) else mask_phone(phone) or ""

    @strawberry.field
    def location(self) -> LatLng | None:
        if self.record.lat is None or self.record.lng is None:
            return None
        return LatLng(lat=self.record.lat, lng=self.record.lng)

    # The related records come at once when the page's statement read them (see
    # schema.dataloaders.loaded), so these resolvers are plain functions.

    @strawberry.field(description="The grid the location falls in.", graphql_type=Area | None)
    def grid(self, info: Info) -> AwaitableOrValue[Area | None]:
        if self.record.grid_id is None:
            return None
        return then(loaded(info.context.loaders.area_by_id, self.record.grid_id), Area.of)

    @strawberry.field(description="Where it came in.", graphql_type=Channel)
    def channel(self, info: Info) -> AwaitableOrValue[Channel | None]:
        return then(loaded(info.context.loaders.channel_by_id, self.record.channel_id), Channel.of)

    @strawberry.field(graphql_type=TicketCategory | None)
    def category(self, info: Info) -> AwaitableOrValue[TicketCategory | None]:
        if self.record.category_id is None:
            return None
        found = loaded(info.context.loaders.category_by_id, self.record.category_id)
        return then(found, TicketCategory.of)

    @strawberry.field(
        description="The body handling it now; null before dispatch or once returned.",
        graphql_type=Department | None,
    )
    def department(self, info: Info) -> AwaitableOrValue[Department | None]:
        if self.record.department_id is None:
            return None
        found = loaded(info.context.loaders.department_by_id, self.record.department_id)
        return then(found, Department.of)

    @strawberry.field(
        description="Every step, oldest first. Citizens see the public steps only (received, "
        "dispatched, resolved, revisited), without internal notes."
    )
    async def history(self, info: Info) -> list[TicketEvent]:
        principal = await info.context.principal()
        records = await info.context.loaders.ticket_history.load(self.record.id)
        return [TicketEvent.of(r) for r in visibility.visible_history(principal, records)]

    @strawberry.field(
        description="The notes added to it (addTicketNote), oldest first; empty for citizens."
    )
    async def notes(self, info: Info) -> list[TicketEvent]:
        principal = await info.context.principal()
        records = await info.context.loaders.ticket_history.load(self.record.id)
        visible = visibility.visible_history(principal, records)
        return [TicketEvent.of(r) for r in visible if r.action is Action.ADD_NOTE]

    @strawberry.field(description="An earlier ticket from the same phone about the same matter.")
    async def likely_duplicate_of(self, info: Info) -> Ticket | None:
        return await _related(info, self.view, self.record.likely_duplicate_of_id)

    @strawberry.field(description="The master ticket this one was merged into; it follows it.")
    async def merged_into(self, info: Info) -> Ticket | None:
        return await _related(info, self.view, self.record.merged_into_id)

    @strawberry.field(description="Duplicates merged into this one; they close with it.")
    async def merged_tickets(self, info: Info) -> list[Ticket]:
        records = await info.context.loaders.merged_tickets.load(self.record.id)
        seen = await info.context.ticket_visible().load_many([r.id for r in records])
        return [Ticket.of(r, self.view) for r, ok in zip(records, seen, strict=True) if ok]

    @strawberry.field(
        description="The desk it is marked for (企业服务专席, 政务诚信受理专席), if any."
    )
    def desk(self) -> Desk | None:
        return self.record.desk

    @strawberry.field(
        description="The specialists brought onto it (the three-way call), oldest first; "
        "null for citizens."
    )
    async def consultations(
        self, info: Info
    ) -> list[Annotated[Consultation, strawberry.lazy("schema.desks")]] | None:
        if not self.view.internal:
            return None
        from schema.desks import Consultation  # desks builds on this module

        records = await info.context.loaders.ticket_consultations.load(self.record.id)
        return [Consultation.of(r) for r in records]

    @strawberry.field(
        description="Orders of the marketplace linked to it, oldest first: the mediation it "
        "was referred to, the crisis order that raised it."
    )
    async def orders(
        self, info: Info
    ) -> list[Annotated[TicketOrderLink, strawberry.lazy("schema.mediation")]]:
        from schema.mediation import linked_orders  # mediation builds on this module

        return await linked_orders(info, self.record.id)

    @strawberry.field(
        description="The knowledge-base article the agent cited when answering at first "
        "contact (resolveAtIntake), if the viewer may read it."
    )
    async def cited_article(
        self, info: Info
    ) -> Annotated[Article, strawberry.lazy("schema.knowledge")] | None:
        from schema.knowledge import cited_article  # knowledge builds on this module

        return await cited_article(info, self.record.cited_article_id)

    @strawberry.field(
        description="Requests for more time, oldest first (agents and bodies; null for others)."
    )
    async def extensions(self, info: Info) -> list[Extension] | None:
        principal = await info.context.principal()
        if principal is None or principal.role not in (*_AGENTS, Role.DEPARTMENT):
            return None
        records = await info.context.loaders.ticket_extensions.load(self.record.id)
        return [Extension.of(r) for r in records]


async def _related(info: Info, view: TicketView, ticket_id: int | None) -> Ticket | None:
    """A linked ticket, if the viewer may see it."""
    if ticket_id is None:
        return None
    record = await info.context.loaders.ticket_by_id.load(ticket_id)
    if record is None or not await info.context.ticket_visible().load(ticket_id):
        return None
    return Ticket.of(record, view)


@strawberry.input(description="Which tickets to list; every criterion given must hold.")
class TicketFilter:
    status: list[TicketStatus] | None = strawberry.field(
        default=None, description="Any of these; MERGED tickets are listed only when asked for."
    )
    kind: list[TicketKind] | None = None
    channel: str | None = strawberry.field(default=None, description="A channel code.")
    department: str | None = strawberry.field(
        default=None, description="The code of the body handling it now."
    )
    area_code: str | None = strawberry.field(
        default=None, description="In this area or beneath it."
    )
    category: str | None = strawberry.field(
        default=None, description="A category code at any level: the whole subtree."
    )
    urgency: list[Urgency] | None = None
    overdue: bool | None = strawberry.field(
        default=None, description="Whether the running deadline has passed."
    )
    warning: SlaWarning | None = None
    created_from: datetime | None = strawberry.field(
        default=None, description="Received at or after."
    )
    created_to: datetime | None = strawberry.field(default=None, description="Received before.")
    text: str | None = strawberry.field(
        default=None,
        description=(
            "In the number, title, content or address, case aside (a substring: 漏水 finds"
            " 厨房管道漏水). Two characters or more are looked up in an index; a single"
            " character is checked against every ticket, so its totalCount is slow on a"
            " large city."
        ),
    )
    desk: Desk | None = strawberry.field(default=None, description="Marked for this desk.")

    def domain(self) -> queries.TicketFilter:
        return queries.TicketFilter(
            statuses=tuple(self.status) if self.status else None,
            kinds=tuple(self.kind) if self.kind else None,
            channel=self.channel,
            department=self.department,
            area_code=self.area_code,
            category=self.category,
            urgencies=tuple(self.urgency) if self.urgency else None,
            overdue=self.overdue,
            warning=self.warning,
            created_from=self.created_from,
            created_to=self.created_to,
            text=self.text,
            desk=self.desk,
        )


async def ticket_connection(info: Info, page: queries.TicketPage) -> Connection[Ticket]:
    """The page as a connection for the signed-in viewer, its tickets' catalogue records
    handed to the request's DataLoaders (the page read them in its own statement)."""
    view = await ticket_view(info)
    relations = page.relations
    if relations is not None:
        loaders = info.context.loaders
        loaders.department_by_id.prime_many(relations.departments)
        loaders.area_by_id.prime_many(relations.grids)
        loaders.category_by_id.prime_many(relations.categories)
        loaders.channel_by_id.prime_many(relations.channels)
    return Connection[Ticket].of(
        page, kind="Ticket", key=page.cursor_of, node=lambda record: Ticket.of(record, view)
    )


@strawberry.type
class TicketQueries:
    @strawberry.field(description="A ticket you may see, by number; null otherwise.")
    async def ticket(self, info: Info, number: str) -> Ticket | None:
        view = await ticket_view(info)
        record = await queries.get_visible_ticket(view.principal, number)
        return Ticket.of(record, view) if record else None

    @strawberry.field(description="Tickets you may see, newest first unless ordered otherwise.")
    async def tickets(
        self,
        info: Info,
        filter: TicketFilter | None = None,
        first: Annotated[int | None, strawberry.argument(description="At most 100.")] = None,
        after: str | None = None,
        order_by: queries.TicketOrder = queries.TicketOrder.RECEIVED_DESC,
    ) -> Connection[Ticket]:
        principal = await info.context.require()
        try:
            page = await queries.list_tickets(
                principal,
                (filter or TicketFilter()).domain(),
                first=page_size(first),
                after=decode_cursor("Ticket", after),
                order=order_by,
            )
        except DomainError as error:
            raise BadUserInput.of(error) from error
        return await ticket_connection(info, page)

    @strawberry.field(
        description="The signed-in body's working queue: tickets it must sign for or is "
        "handling, the nearest deadline first."
    )
    async def my_queue(
        self,
        info: Info,
        first: Annotated[int | None, strawberry.argument(description="At most 100.")] = None,
        after: str | None = None,
    ) -> Connection[Ticket]:
        principal = await info.context.require(Role.DEPARTMENT)
        try:
            page = await queries.my_queue(
                principal, first=page_size(first), after=decode_cursor("Ticket", after)
            )
        except DomainError as error:
            raise BadUserInput.of(error, "after") from error
        return await ticket_connection(info, page)


@strawberry.type(description="A ticket changed.")
class TicketUpdate:
    action: Action
    previous: TicketStatus | None = strawberry.field(
        description="The status before; null when it was just received, and for citizens."
    )
    occurred_at: datetime
    ticket: Ticket


@strawberry.input(description="Which ticket changes to hear of.")
class TicketUpdatedFilter:
    department: str | None = strawberry.field(
        default=None, description="Agents: one body's queue only (bodies always hear theirs)."
    )
    number: str | None = strawberry.field(
        default=None, description="One ticket only: anyone who may see it (a citizen, theirs)."
    )


async def _ticket_topic(info: Info, principal: Principal, f: TicketUpdatedFilter) -> str:
    """The topic a subscriber with ``f`` listens on; BAD_USER_INPUT for what they can't."""
    if f.number is not None:
        if await queries.get_visible_ticket(principal, f.number) is None:
            raise BadUserInput("filter.number", f"No ticket {f.number!r} that you may see.")
        return ticket_topic(f.number)
    if principal.role is Role.DEPARTMENT:
        own = await info.context.loaders.department_of_account.load(principal.account_id)
        if own is None:
            raise BadUserInput("filter.department", "This account does not work for a body.")
        return department_topic(own.id)
    if principal.role not in _AGENTS:
        raise BadUserInput("filter.number", "Follow one ticket of yours by its number.")
    if f.department is None:
        return ALL_TICKETS_TOPIC
    body = await get_department(f.department)
    if body is None:
        raise BadUserInput("filter.department", f"No body {f.department!r}.")
    return department_topic(body.id)


@strawberry.type
class TicketSubscriptions:
    @strawberry.subscription(
        description="Tickets as they change: agents hear of every ticket (or one body's); a "
        "body hears of its own queue, tickets leaving it included; anyone may follow one "
        "ticket they can see. Query tickets or myQueue after reconnecting: tickets are "
        "kept, messages are not."
    )
    async def ticket_updated(
        self, info: Info, filter: TicketUpdatedFilter | None = None
    ) -> AsyncGenerator[TicketUpdate, None]:
        principal = await info.context.require()
        topic = await _ticket_topic(info, principal, filter or TicketUpdatedFilter())
        async with events.broadcaster().subscribe(topic) as stream:
            async for event in stream:
                if event.kind != TICKET_UPDATED:
                    continue
                principal = await info.context.reverify()
                action = Action(event.payload["action"])
                internal = visibility.sees_internals(principal)
                if not internal and action not in visibility.PUBLIC_STEPS:
                    continue  # citizens hear of the public steps only
                record = await queries.get_visible_ticket(principal, event.payload["number"])
                if record is None:
                    continue
                previous = event.payload.get("previous") if internal else None
                yield TicketUpdate(
                    action=action,
                    previous=TicketStatus(previous) if previous else None,
                    occurred_at=event.occurred_at,
                    ticket=Ticket.of(record, await ticket_view(info)),
                )
