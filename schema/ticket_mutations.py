"""Changing tickets in GraphQL: intake, the lifecycle's steps, oversight, extensions,
merging, and grid events.

Every step returns a :class:`TicketPayload`: the ticket as it now is, or the reasons it
was refused in ``errors`` (an illegal step gives INVALID_STATE on ``number``).
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TypeVar

import strawberry
from strawberry import relay

from accounts.models import Role
from schema.context import Context
from schema.errors import UserError, user_errors
from schema.ids import row_id, row_id_of
from schema.merchants import LatLngInput
from schema.tickets import Extension, Ticket, ticket_view
from tickets import extensions, grid_events, merging, oversight, workflow
from tickets.extensions import ExtensionRecord
from tickets.intake import TicketRequest, create_ticket
from tickets.lifecycle import Satisfaction
from tickets.models import Desk
from tickets.records import TicketRecord
from tickets.sla import TicketKind, Urgency
from wuyou.errors import DomainError

Info = strawberry.Info[Context, None]

_AGENTS = (Role.AGENT, Role.ADMIN)


@strawberry.type(description="A ticket after a step, or why the step was refused.")
class TicketStepPayload:
    ticket: Ticket | None
    errors: list[UserError]


P = TypeVar("P", bound=TicketStepPayload)


async def _step(info: Info, payload: type[P], call: Awaitable[TicketRecord]) -> P:
    try:
        record = await call
    except DomainError as error:
        return payload(ticket=None, errors=user_errors(error))
    return payload(ticket=Ticket.of(record, await ticket_view(info)), errors=[])


@strawberry.input(description="A call, message or visit to record as a ticket.")
class CreateTicketInput:
    channel: str = strawberry.field(description="The channel code it came in on (HL-12345 ...).")
    kind: TicketKind
    title: str = strawberry.field(description="2–100 characters.")
    content: str = strawberry.field(description="What the citizen said; up to 5,000 characters.")
    category: str | None = strawberry.field(
        default=None, description="A level-3 category code; may be set at dispatch instead."
    )
    urgency: Urgency = Urgency.NORMAL
    citizen_name: str = ""
    citizen_phone: str = strawberry.field(default="", description="A mobile or landline number.")
    location: LatLngInput | None = strawberry.field(
        default=None, description="Where it happened; resolves to the grid."
    )
    address: str = ""
    idempotency_key: str | None = strawberry.field(
        default=None,
        description="8–64 characters; a retry with the same key returns the first ticket.",
    )
    desk: Desk | None = strawberry.field(
        default=None,
        description="The desk it is for: ENTERPRISE when the caller speaks for an enterprise, "
        "INTEGRITY for the government's integrity towards them (agents and channel "
        "integrations; nothing guesses it).",
    )


@strawberry.input(description="A grid worker's report of what they found in their grid.")
class ReportGridEventInput:
    kind: TicketKind
    category: str = strawberry.field(description="A level-3 category code.")
    title: str
    content: str
    location: LatLngInput = strawberry.field(description="In a grid the worker serves.")
    address: str = ""
    photos: list[str] = strawberry.field(
        default_factory=list, description="Up to 9 photo URLs (http or https)."
    )
    citizen_name: str = ""
    citizen_phone: str = ""
    urgency: Urgency = Urgency.NORMAL
    resolved_on_site: str | None = strawberry.field(
        default=None,
        description="The worker's note when they settled it on the spot (就地解决): the "
        "ticket closes at once. Otherwise it is routed to the body that handles its category, "
        "nearest first (community, street, district, city).",
    )
    idempotency_key: str | None = None


@strawberry.type(description="A request for more time, or why the step was refused.")
class ExtensionStepPayload:
    extension: Extension | None
    errors: list[UserError]


E = TypeVar("E", bound=ExtensionStepPayload)


async def _extension(payload: type[E], call: Awaitable[ExtensionRecord]) -> E:
    try:
        record = await call
    except DomainError as error:
        return payload(extension=None, errors=user_errors(error))
    return payload(extension=Extension.of(record), errors=[])


@strawberry.type
class CreateTicketPayload(TicketStepPayload):
    pass


@strawberry.type
class ReportGridEventPayload(TicketStepPayload):
    pass


@strawberry.input
class DispatchTicketInput:
    number: str
    department_code: str = strawberry.field(description="The body to send it to.")
    note: str = ""


@strawberry.type
class DispatchTicketPayload(TicketStepPayload):
    pass


@strawberry.input
class SignTicketInput:
    number: str


@strawberry.type
class SignTicketPayload(TicketStepPayload):
    pass


@strawberry.input
class ReturnTicketInput:
    number: str
    reason: str


@strawberry.type
class ReturnTicketPayload(TicketStepPayload):
    pass


@strawberry.input
class TransferTicketInput:
    number: str
    department_code: str = strawberry.field(description="The body to pass it to.")
    note: str = ""


@strawberry.type
class TransferTicketPayload(TicketStepPayload):
    pass


@strawberry.input
class ResolveTicketInput:
    number: str
    reply: str = strawberry.field(description="The answer to the citizen; up to 5,000 characters.")


@strawberry.type
class ResolveTicketPayload(TicketStepPayload):
    pass


@strawberry.input
class ResolveAtIntakeInput:
    number: str
    reply: str
    article_id: relay.GlobalID | None = strawberry.field(
        default=None,
        description="The PUBLISHED knowledge-base article that answered (NOT_FOUND on "
        "articleId otherwise): first-contact resolutions are counted per article.",
    )


@strawberry.type
class ResolveAtIntakePayload(TicketStepPayload):
    pass


@strawberry.input
class RevisitTicketInput:
    number: str
    answer: Satisfaction
    note: str = ""


@strawberry.type
class RevisitTicketPayload(TicketStepPayload):
    pass


@strawberry.input
class UrgeTicketInput:
    number: str
    note: str = ""


@strawberry.type
class UrgeTicketPayload(TicketStepPayload):
    pass


@strawberry.input
class SuperviseTicketInput:
    number: str
    note: str = ""


@strawberry.type
class SuperviseTicketPayload(TicketStepPayload):
    pass


@strawberry.input
class AddTicketNoteInput:
    number: str
    note: str


@strawberry.type
class AddTicketNotePayload(TicketStepPayload):
    pass


@strawberry.input
class MergeTicketsInput:
    master_number: str = strawberry.field(description="The ticket the duplicates follow.")
    numbers: list[str] = strawberry.field(description="The duplicates.")
    note: str = ""


@strawberry.type
class MergeTicketsPayload(TicketStepPayload):
    pass


@strawberry.input
class ResolveOnSiteInput:
    number: str
    note: str = strawberry.field(description="What the worker did.")


@strawberry.type
class ResolveOnSitePayload(TicketStepPayload):
    pass


@strawberry.input
class RequestExtensionInput:
    number: str
    working_days: int = strawberry.field(description="1–10 more working days.")
    reason: str


@strawberry.type
class RequestExtensionPayload(ExtensionStepPayload):
    pass


@strawberry.input
class DecideExtensionInput:
    extension_id: relay.GlobalID
    approve: bool
    note: str = strawberry.field(default="", description="Required to reject.")


@strawberry.type
class DecideExtensionPayload(ExtensionStepPayload):
    pass


@strawberry.type
class TicketMutations:
    @strawberry.mutation(
        description="Record a ticket (受理): agents taking a call, channel integrations with "
        "their INTEGRATION account (on their own channel), citizens through an online "
        "channel. A repeat from the same phone about the same category and grid within 72 "
        "hours links likelyDuplicateOf."
    )
    async def create_ticket(self, info: Info, input: CreateTicketInput) -> CreateTicketPayload:
        actor = await info.context.require(*_AGENTS, Role.CITIZEN, Role.INTEGRATION)
        request = TicketRequest(
            channel=input.channel,
            kind=input.kind,
            title=input.title,
            content=input.content,
            category=input.category,
            urgency=input.urgency,
            citizen_name=input.citizen_name,
            citizen_phone=input.citizen_phone,
            lat=input.location.lat if input.location else None,
            lng=input.location.lng if input.location else None,
            address=input.address,
            idempotency_key=input.idempotency_key,
            desk=input.desk,
        )
        return await _step(info, CreateTicketPayload, create_ticket(request, actor=actor))

    @strawberry.mutation(
        description="Send a received, returned or reopened ticket to a body (派单); its "
        "deadlines start now (agents)."
    )
    async def dispatch_ticket(
        self, info: Info, input: DispatchTicketInput
    ) -> DispatchTicketPayload:
        actor = await info.context.require(*_AGENTS)
        call = workflow.dispatch(
            number=input.number,
            department_code=input.department_code,
            note=input.note,
            actor=actor,
        )
        return await _step(info, DispatchTicketPayload, call)

    @strawberry.mutation(description="Sign for a ticket (签收) and start work (its body).")
    async def sign_ticket(self, info: Info, input: SignTicketInput) -> SignTicketPayload:
        actor = await info.context.require(Role.DEPARTMENT)
        return await _step(info, SignTicketPayload, workflow.sign(number=input.number, actor=actor))

    @strawberry.mutation(
        description="Send a dispatched ticket back to the agents (退单) with the reason, within "
        "2 working days; a second return needs a supervisor (an administrator)."
    )
    async def return_ticket(self, info: Info, input: ReturnTicketInput) -> ReturnTicketPayload:
        actor = await info.context.require(Role.DEPARTMENT, Role.ADMIN)
        call = workflow.return_ticket(number=input.number, reason=input.reason, actor=actor)
        return await _step(info, ReturnTicketPayload, call)

    @strawberry.mutation(
        description="Pass a ticket to another body (转办); it consents by signing (agents, or "
        "the body holding it)."
    )
    async def transfer_ticket(
        self, info: Info, input: TransferTicketInput
    ) -> TransferTicketPayload:
        actor = await info.context.require(*_AGENTS, Role.DEPARTMENT)
        call = workflow.transfer(
            number=input.number,
            department_code=input.department_code,
            note=input.note,
            actor=actor,
        )
        return await _step(info, TransferTicketPayload, call)

    @strawberry.mutation(
        description="Finish a ticket (办结) with the reply to the citizen (its body)."
    )
    async def resolve_ticket(self, info: Info, input: ResolveTicketInput) -> ResolveTicketPayload:
        actor = await info.context.require(Role.DEPARTMENT)
        call = workflow.resolve(number=input.number, reply=input.reply, actor=actor)
        return await _step(info, ResolveTicketPayload, call)

    @strawberry.mutation(
        description="Answer a ticket at first contact (一次办结), without a body (agents)."
    )
    async def resolve_at_intake(
        self, info: Info, input: ResolveAtIntakeInput
    ) -> ResolveAtIntakePayload:
        actor = await info.context.require(*_AGENTS)
        article_id = None
        if input.article_id is not None:  # any id that names no article is not found
            cited = input.article_id
            named = row_id(cited.node_id, "Article") if cited.type_name == "Article" else None
            article_id = named or 0
        call = workflow.resolve_at_intake(
            number=input.number, reply=input.reply, actor=actor, article_id=article_id
        )
        return await _step(info, ResolveAtIntakePayload, call)

    @strawberry.mutation(
        description="Record the citizen's satisfaction (回访): CLOSED, or REOPENED (重办) back "
        "to the body when UNSATISFIED (agents)."
    )
    async def revisit_ticket(self, info: Info, input: RevisitTicketInput) -> RevisitTicketPayload:
        actor = await info.context.require(*_AGENTS)
        call = workflow.revisit(
            number=input.number, answer=input.answer, note=input.note, actor=actor
        )
        return await _step(info, RevisitTicketPayload, call)

    @strawberry.mutation(description="Urge the body handling a ticket (催办) (agents).")
    async def urge_ticket(self, info: Info, input: UrgeTicketInput) -> UrgeTicketPayload:
        actor = await info.context.require(*_AGENTS)
        call = oversight.urge(number=input.number, note=input.note, actor=actor)
        return await _step(info, UrgeTicketPayload, call)

    @strawberry.mutation(
        description="Put a ticket under supervision (督办) (agents); overdue tickets are "
        "supervised automatically."
    )
    async def supervise_ticket(
        self, info: Info, input: SuperviseTicketInput
    ) -> SuperviseTicketPayload:
        actor = await info.context.require(*_AGENTS)
        call = oversight.supervise(number=input.number, note=input.note, actor=actor)
        return await _step(info, SuperviseTicketPayload, call)

    @strawberry.mutation(
        description="Add a note to a ticket's history (agents, its body, its grid's workers)."
    )
    async def add_ticket_note(self, info: Info, input: AddTicketNoteInput) -> AddTicketNotePayload:
        actor = await info.context.require(*_AGENTS, Role.DEPARTMENT, Role.GRID_WORKER)
        call = oversight.add_note(number=input.number, note=input.note, actor=actor)
        return await _step(info, AddTicketNotePayload, call)

    @strawberry.mutation(
        description="Merge duplicates into a master ticket: they follow it and close with it "
        "(agents). All or nothing."
    )
    async def merge_tickets(self, info: Info, input: MergeTicketsInput) -> MergeTicketsPayload:
        actor = await info.context.require(*_AGENTS)
        call = merging.merge(
            master_number=input.master_number,
            numbers=list(input.numbers),
            note=input.note,
            actor=actor,
        )
        return await _step(info, MergeTicketsPayload, call)

    @strawberry.mutation(
        description="Ask for more working days (延期) on a ticket in progress (its body); the "
        "deadline moves only when an agent approves."
    )
    async def request_extension(
        self, info: Info, input: RequestExtensionInput
    ) -> RequestExtensionPayload:
        actor = await info.context.require(Role.DEPARTMENT)
        call = extensions.request_extension(
            number=input.number,
            working_days=input.working_days,
            reason=input.reason,
            actor=actor,
        )
        return await _extension(RequestExtensionPayload, call)

    @strawberry.mutation(
        description="Approve or reject a request for more time (agents); rejecting needs a note."
    )
    async def decide_extension(
        self, info: Info, input: DecideExtensionInput
    ) -> DecideExtensionPayload:
        actor = await info.context.require(*_AGENTS)
        call = extensions.decide_extension(
            extension_id=row_id_of(input.extension_id, "Extension", "extensionId"),
            approve=input.approve,
            note=input.note,
            actor=actor,
        )
        return await _extension(DecideExtensionPayload, call)

    @strawberry.mutation(
        description="A grid worker reports an event found in their grid (网格采集): settled on "
        "the spot, or routed at once to the body that handles it."
    )
    async def report_grid_event(
        self, info: Info, input: ReportGridEventInput
    ) -> ReportGridEventPayload:
        actor = await info.context.require(Role.GRID_WORKER)
        request = grid_events.GridEventRequest(
            kind=input.kind,
            category=input.category,
            title=input.title,
            content=input.content,
            lat=input.location.lat,
            lng=input.location.lng,
            address=input.address,
            photos=tuple(input.photos),
            citizen_name=input.citizen_name,
            citizen_phone=input.citizen_phone,
            urgency=input.urgency,
            resolved_on_site=input.resolved_on_site,
            idempotency_key=input.idempotency_key,
        )
        call = grid_events.report_grid_event(request, actor=actor)
        return await _step(info, ReportGridEventPayload, call)

    @strawberry.mutation(
        description="Settle a grid event on the spot (就地解决) before its body signs for it "
        "(a worker of its grid); it closes at once."
    )
    async def resolve_on_site(self, info: Info, input: ResolveOnSiteInput) -> ResolveOnSitePayload:
        actor = await info.context.require(Role.GRID_WORKER)
        call = grid_events.resolve_on_site(number=input.number, note=input.note, actor=actor)
        return await _step(info, ResolveOnSitePayload, call)
