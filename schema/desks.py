"""The enterprise and integrity desks and their policy specialists in GraphQL: marking a
ticket for a desk, a desk's queue, registering specialists, the three-way call
(inviteSpecialist, joinConsultation, answerConsultation, declineConsultation), and the
live invitations a specialist hears."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Awaitable, Iterable
from datetime import datetime
from typing import Annotated, TypeVar

import strawberry
from strawberry import relay

from accounts.models import Role
from schema.context import Context
from schema.errors import BadUserInput, UserError, user_errors
from schema.grids import Department
from schema.ids import cursor_row_id, row_id, row_id_of, row_ids
from schema.pagination import Connection, decode_cursor, page_size
from schema.ticket_mutations import TicketStepPayload
from schema.tickets import Ticket, ticket_connection, ticket_view
from tickets import desks, specialists, visibility
from tickets.desks import DeskFigures
from tickets.models import ConsultationStatus, Desk
from tickets.specialists import ConsultationRecord, SpecialistRecord
from wuyou import events
from wuyou.errors import DomainError, ErrorCode

strawberry.enum(
    ConsultationStatus,
    description="Where a specialist's consultation stands: INVITED, JOINED (on the call), "
    "ANSWERED, DECLINED.",
)

Info = strawberry.Info[Context, None]

_AGENTS = (Role.AGENT, Role.ADMIN)


@strawberry.type(
    description="A policy specialist (政策专家) of a department, invited onto desk tickets."
)
class Specialist(relay.Node):
    title: str
    topics: list[str] = strawberry.field(
        description="Category codes (a code covers its subtree) or policy topics (TAX ...)."
    )
    desks: list[Desk] = strawberry.field(description="The desks the specialist serves.")
    is_active: bool
    created_at: datetime
    record: strawberry.Private[SpecialistRecord]

    @classmethod
    def resolve_id(cls, root: Specialist, *, info: Info) -> str:
        return str(root.record.id)

    @classmethod
    def of(cls, record: SpecialistRecord) -> Specialist:
        return cls(
            title=record.title,
            topics=list(record.topics),
            desks=list(record.desks),
            is_active=record.is_active,
            created_at=record.created_at,
            record=record,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Specialist | None]:
        await info.context.require(*_AGENTS, Role.SPECIALIST)
        found = await info.context.loaders.specialist_by_id.load_many(
            row_ids(node_ids, "Specialist")
        )
        return [cls.of(r) if r else None for r in found]

    @strawberry.field(description="The specialist's username.")
    async def username(self, info: Info) -> str:
        account = await info.context.loaders.account_by_id.load(self.record.account_id)
        return account.username if account else ""

    @strawberry.field(description="The specialist's name.")
    async def display_name(self, info: Info) -> str:
        account = await info.context.loaders.account_by_id.load(self.record.account_id)
        return account.display_name if account else ""

    @strawberry.field(
        description="The work phone the agents call for the three-way call; null for "
        "anyone but agents, administrators and specialists."
    )
    async def phone(self, info: Info) -> str | None:
        viewer = await info.context.principal()
        if viewer is None or viewer.role not in {*_AGENTS, Role.SPECIALIST}:
            return None
        account = await info.context.loaders.account_by_id.load(self.record.account_id)
        return account.phone if account else None

    @strawberry.field(description="The department the specialist works for.")
    async def department(self, info: Info) -> Department | None:
        record = await info.context.loaders.department_by_id.load(self.record.department_id)
        return Department.of(record) if record else None


@strawberry.type(
    description="A specialist brought onto a ticket (the three-way call, 三方通话): the "
    "question, who joined when, and the answer (a declined one's answer is the reason)."
)
class Consultation(relay.Node):
    question: str
    status: ConsultationStatus
    invited_at: datetime
    joined_at: datetime | None
    answered_at: datetime | None
    answer: str
    record: strawberry.Private[ConsultationRecord]

    @classmethod
    def resolve_id(cls, root: Consultation, *, info: Info) -> str:
        return str(root.record.id)

    @classmethod
    def of(cls, record: ConsultationRecord) -> Consultation:
        return cls(
            question=record.question,
            status=record.status,
            invited_at=record.invited_at,
            joined_at=record.joined_at,
            answered_at=record.answered_at,
            answer=record.answer,
            record=record,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Consultation | None]:
        """Those of tickets the viewer sees with their internal workings."""
        principal = await info.context.principal()
        if not visibility.sees_internals(principal):
            return [None for _ in node_ids]
        ids = [row_id(i) or 0 for i in node_ids]
        found = await specialists.get_consultations(ids)
        seen = await info.context.ticket_visible().load_many(
            [found[i].ticket_id if i in found else 0 for i in ids]
        )
        return [
            cls.of(found[i]) if i in found and visible else None
            for i, visible in zip(ids, seen, strict=True)
        ]

    @strawberry.field(description="The specialist invited.")
    async def specialist(self, info: Info) -> Specialist:
        record = await info.context.loaders.specialist_by_id.load(self.record.specialist_id)
        assert record is not None
        return Specialist.of(record)

    @strawberry.field(description="Username of the agent who invited the specialist.")
    async def invited_by(self, info: Info) -> str | None:
        account = await info.context.loaders.account_by_id.load(self.record.invited_by_id)
        return account.username if account else None

    @strawberry.field(description="The ticket it is about, if you may see it.")
    async def ticket(self, info: Info) -> Ticket | None:
        if not await info.context.ticket_visible().load(self.record.ticket_id):
            return None
        record = await info.context.loaders.ticket_by_id.load(self.record.ticket_id)
        return Ticket.of(record, await ticket_view(info)) if record else None


@strawberry.type(description="A desk's figures over the tickets of hotlineStats' period.")
class DeskStats:
    desk: Desk
    name: str
    received: int = strawberry.field(description="Tickets marked for the desk.")
    resolved_at_intake: int = strawberry.field(
        description="Answered at first contact (一次办结) and not reopened since."
    )
    first_contact_rate: float | None = strawberry.field(description="resolvedAtIntake / received.")
    resolved_at_intake_with_specialist: int = strawberry.field(
        description="Of resolvedAtIntake, those a specialist answered on (the three-way call)."
    )
    consultations: int = strawberry.field(description="Specialists invited onto its tickets.")
    consultations_answered: int
    consultations_declined: int
    median_seconds_to_answer: float | None = strawberry.field(
        description="From invitation to answer, over the answered consultations."
    )
    average_seconds_to_answer: float | None

    @classmethod
    def of(cls, figures: DeskFigures) -> DeskStats:
        return cls(
            desk=figures.desk,
            name=figures.name,
            received=figures.received,
            resolved_at_intake=figures.resolved_at_intake,
            first_contact_rate=figures.first_contact_rate,
            resolved_at_intake_with_specialist=figures.resolved_at_intake_with_specialist,
            consultations=figures.consultations,
            consultations_answered=figures.consultations_answered,
            consultations_declined=figures.consultations_declined,
            median_seconds_to_answer=figures.median_seconds_to_answer,
            average_seconds_to_answer=figures.average_seconds_to_answer,
        )


@strawberry.input(description="Which specialists to list; every criterion given must hold.")
class SpecialistFilter:
    desk: Desk | None = None
    topic: str | None = strawberry.field(
        default=None,
        description="A category code or policy topic: specialists covering it (a broader "
        "category code covers it too).",
    )
    department: str | None = strawberry.field(default=None, description="A department code.")
    active: bool | None = strawberry.field(
        default=True, description="Active ones only by default; null for all."
    )


@strawberry.input(description="Mark a ticket for a desk, move it, or take it off its desk.")
class SetTicketDeskInput:
    number: str
    desk: Desk | None = strawberry.field(
        default=strawberry.UNSET,
        description="The desk; null takes the ticket off its desk. Required: leaving it "
        "out is REQUIRED, not a way to take the ticket off.",
    )
    note: str = ""


@strawberry.type
class SetTicketDeskPayload(TicketStepPayload):
    pass


@strawberry.input
class InviteSpecialistInput:
    number: str
    specialist_id: relay.GlobalID
    question: str = strawberry.field(default="", description="Up to 1,000 characters.")


@strawberry.input
class JoinConsultationInput:
    consultation_id: relay.GlobalID


@strawberry.input
class AnswerConsultationInput:
    consultation_id: relay.GlobalID
    answer: str = strawberry.field(description="Up to 5,000 characters.")


@strawberry.input
class DeclineConsultationInput:
    consultation_id: relay.GlobalID
    reason: str = ""


@strawberry.type(description="A consultation after a step, or why the step was refused.")
class ConsultationStepPayload:
    consultation: Consultation | None
    errors: list[UserError]


@strawberry.type
class InviteSpecialistPayload(ConsultationStepPayload):
    pass


@strawberry.type
class JoinConsultationPayload(ConsultationStepPayload):
    pass


@strawberry.type
class AnswerConsultationPayload(ConsultationStepPayload):
    pass


@strawberry.type
class DeclineConsultationPayload(ConsultationStepPayload):
    pass


@strawberry.input(description="The profile of an existing SPECIALIST account.")
class RegisterSpecialistInput:
    username: str
    department_code: str
    title: str = ""
    topics: list[str] = strawberry.field(
        description="Category codes (ENTERPRISE.POLICIES ...) or policy topics (TAX ...)."
    )
    desks: list[Desk] = strawberry.field(default_factory=list)


@strawberry.type
class RegisterSpecialistPayload:
    specialist: Specialist | None
    errors: list[UserError]


C = TypeVar("C", bound=ConsultationStepPayload)


async def _consultation(payload: type[C], call: Awaitable[ConsultationRecord]) -> C:
    try:
        record = await call
    except DomainError as error:
        return payload(consultation=None, errors=user_errors(error))
    return payload(consultation=Consultation.of(record), errors=[])


def _consultation_id(global_id: relay.GlobalID) -> int:
    return row_id_of(global_id, "Consultation", "consultationId")


@strawberry.type
class DeskMutations:
    @strawberry.mutation(
        description="Mark an open ticket for a desk (企业服务专席, 政务诚信受理专席), move it "
        "to the other, or take it off (agents); it lands in that desk's queue."
    )
    async def set_ticket_desk(self, info: Info, input: SetTicketDeskInput) -> SetTicketDeskPayload:
        actor = await info.context.require(*_AGENTS)
        try:
            if input.desk is strawberry.UNSET:
                raise DomainError(ErrorCode.REQUIRED, "请指明专席（null 表示移出专席）。", "desk")
            record = await desks.set_desk(
                number=input.number, desk=input.desk, note=input.note, actor=actor
            )
        except DomainError as error:
            return SetTicketDeskPayload(ticket=None, errors=user_errors(error))
        ticket = Ticket.of(record, await ticket_view(info))
        return SetTicketDeskPayload(ticket=ticket, errors=[])

    @strawberry.mutation(
        description="Bring a policy specialist onto a ticket (the three-way call) with the "
        "question (agents). The specialist must be active and serve the ticket's desk, or "
        "cover its category with a topic (NOT_QUALIFIED otherwise); one pending invitation "
        "per specialist and ticket. The specialist hears of it on consultationUpdated."
    )
    async def invite_specialist(
        self, info: Info, input: InviteSpecialistInput
    ) -> InviteSpecialistPayload:
        actor = await info.context.require(*_AGENTS)
        call = specialists.invite_specialist(
            number=input.number,
            specialist_id=row_id_of(input.specialist_id, "Specialist", "specialistId"),
            question=input.question,
            actor=actor,
        )
        return await _consultation(InviteSpecialistPayload, call)

    @strawberry.mutation(description="Join the call you were invited to (the specialist).")
    async def join_consultation(
        self, info: Info, input: JoinConsultationInput
    ) -> JoinConsultationPayload:
        actor = await info.context.require(Role.SPECIALIST)
        call = specialists.join_consultation(
            consultation_id=_consultation_id(input.consultation_id), actor=actor
        )
        return await _consultation(JoinConsultationPayload, call)

    @strawberry.mutation(
        description="Give your answer (the invited specialist), once: it goes in the "
        "ticket's history; the agent answers the citizen with it."
    )
    async def answer_consultation(
        self, info: Info, input: AnswerConsultationInput
    ) -> AnswerConsultationPayload:
        actor = await info.context.require(Role.SPECIALIST)
        call = specialists.answer_consultation(
            consultation_id=_consultation_id(input.consultation_id),
            answer=input.answer,
            actor=actor,
        )
        return await _consultation(AnswerConsultationPayload, call)

    @strawberry.mutation(description="Decline an invitation, with a reason (the specialist).")
    async def decline_consultation(
        self, info: Info, input: DeclineConsultationInput
    ) -> DeclineConsultationPayload:
        actor = await info.context.require(Role.SPECIALIST)
        call = specialists.decline_consultation(
            consultation_id=_consultation_id(input.consultation_id),
            reason=input.reason,
            actor=actor,
        )
        return await _consultation(DeclineConsultationPayload, call)

    @strawberry.mutation(
        description="Register the specialist profile of a SPECIALIST account (administrators; "
        "create the account with createAccount first): department, title, topics, desks."
    )
    async def register_specialist(
        self, info: Info, input: RegisterSpecialistInput
    ) -> RegisterSpecialistPayload:
        actor = await info.context.require(Role.ADMIN)
        try:
            record = await specialists.register_specialist(
                username=input.username,
                department_code=input.department_code,
                title=input.title,
                topics=list(input.topics),
                desks=list(input.desks),
                actor=actor,
            )
        except DomainError as error:
            return RegisterSpecialistPayload(specialist=None, errors=user_errors(error))
        return RegisterSpecialistPayload(specialist=Specialist.of(record), errors=[])


_First = Annotated[int | None, strawberry.argument(description="At most 100.")]


@strawberry.type
class DeskQueries:
    @strawberry.field(
        description="A desk's queue (agents): its open tickets, the nearest running deadline "
        "first; those not yet dispatched (no deadline runs) follow, oldest first."
    )
    async def desk_queue(
        self, info: Info, desk: Desk, first: _First = None, after: str | None = None
    ) -> Connection[Ticket]:
        principal = await info.context.require(*_AGENTS)
        try:
            page = await desks.desk_queue(
                principal, desk, first=page_size(first), after=decode_cursor("Ticket", after)
            )
        except DomainError as error:
            raise BadUserInput.of(error, "after") from error
        return await ticket_connection(info, page)

    @strawberry.field(
        description="Policy specialists, in the order they were registered (agents, "
        "administrators, specialists)."
    )
    async def specialists(
        self,
        info: Info,
        filter: SpecialistFilter | None = None,
        first: _First = None,
        after: str | None = None,
    ) -> Connection[Specialist]:
        principal = await info.context.require(*_AGENTS, Role.SPECIALIST)
        f = filter or SpecialistFilter()
        try:
            page = await specialists.list_specialists(
                principal,
                specialists.SpecialistFilter(
                    desk=f.desk, topic=f.topic, department=f.department, active=f.active
                ),
                first=page_size(first),
                after=cursor_row_id(decode_cursor("Specialist", after), "Specialist"),
            )
        except DomainError as error:
            raise BadUserInput.of(error) from error
        return Connection[Specialist].of(
            page, kind="Specialist", key=lambda r: str(r.id), node=Specialist.of
        )

    @strawberry.field(
        description="The signed-in specialist's consultations, newest first (specialists)."
    )
    async def my_consultations(
        self,
        info: Info,
        status: list[ConsultationStatus] | None = None,
        first: _First = None,
        after: str | None = None,
    ) -> Connection[Consultation]:
        principal = await info.context.require(Role.SPECIALIST)
        page = await specialists.my_consultations(
            principal,
            statuses=status,
            first=page_size(first),
            after=cursor_row_id(decode_cursor("Consultation", after)),
        )
        return Connection[Consultation].of(
            page, kind="Consultation", key=lambda r: str(r.id), node=Consultation.of
        )


@strawberry.type
class DeskSubscriptions:
    @strawberry.subscription(
        description="The signed-in specialist's consultations as they change: a new "
        "invitation, and each step taken on one (specialists). Query myConsultations after "
        "reconnecting: consultations are kept, messages are not."
    )
    async def consultation_updated(self, info: Info) -> AsyncGenerator[Consultation, None]:
        principal = await info.context.require(Role.SPECIALIST)
        topic = specialists.specialist_topic(principal.account_id)
        async with events.broadcaster().subscribe(topic) as stream:
            async for event in stream:
                if event.kind != specialists.CONSULTATION_UPDATED:
                    continue
                await info.context.reverify()
                consultation_id = int(event.payload["consultation_id"])
                found = await specialists.get_consultations([consultation_id])
                if consultation_id in found:
                    yield Consultation.of(found[consultation_id])
