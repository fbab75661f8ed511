"""The hotline's catalogue in GraphQL: the category tree, the working calendar, the SLA
policy, and their administration (what makes deadlines configurable)."""

from __future__ import annotations

from datetime import MAXYEAR, MINYEAR, date
from typing import Any

import strawberry

from accounts.models import Role
from schema.context import Context
from schema.errors import BadUserInput, UserError, user_errors
from schema.tickets import TicketCategory
from tickets import admin, catalogue, sla
from tickets.admin import UNCHANGED, CalendarDayRecord
from tickets.categories import categories, get_category
from tickets.models import CalendarDayKind
from tickets.policy import SlaPolicyChanges, update_sla_policy
from tickets.sla import TicketKind, Urgency, minutes
from wuyou.errors import DomainError, ErrorCode

strawberry.enum(
    CalendarDayKind,
    description="A public holiday, or a weekend day declared a working day (调休).",
)

Info = strawberry.Info[Context, None]


@strawberry.type(description="A day the working calendar treats unlike an ordinary week.")
class CalendarDay:
    day: date
    kind: CalendarDayKind
    name: str

    @classmethod
    def of(cls, record: CalendarDayRecord) -> CalendarDay:
        return cls(day=record.day, kind=record.kind, name=record.name)


@strawberry.type(description="How many working days tickets of a kind have to be completed.")
class SlaCompleteDays:
    kind: TicketKind
    working_days: int


@strawberry.type(
    description="The numbers deadlines are set with. A category may set its own reply and "
    "completion days; urgency only ever shortens deadlines."
)
class SlaPolicy:
    complete_days: list[SlaCompleteDays] = strawberry.field(
        description="Working days to complete, from receipt, by kind."
    )
    reply_days: int = strawberry.field(
        description="Working days to the first reply, from receipt (a consultation's answer "
        "is its reply)."
    )
    sign_days: int = strawberry.field(description="Working days to sign for, from dispatch.")
    return_days: int = strawberry.field(
        description="Working days a department may return a ticket, from dispatch."
    )
    revisit_days: int = strawberry.field(
        description="Working days to revisit the citizen, from resolution."
    )
    critical_complete_minutes: int = strawberry.field(
        description="Minutes to complete a CRITICAL ticket, from receipt."
    )
    critical_sign_minutes: int = strawberry.field(
        description="Minutes to sign for a CRITICAL ticket, from dispatch."
    )
    urgent_sign_minutes: int = strawberry.field(
        description="Minutes to sign for an URGENT ticket, from dispatch (it is completed "
        "the same working day)."
    )
    warning_share: float = strawberry.field(
        description="The share of its time after which a deadline turns YELLOW."
    )

    @classmethod
    def of(cls, policy: sla.SlaPolicy) -> SlaPolicy:
        return cls(
            complete_days=[
                SlaCompleteDays(kind=kind, working_days=policy.complete_days[kind])
                for kind in TicketKind
            ],
            reply_days=policy.reply_days,
            sign_days=policy.sign_days,
            return_days=policy.return_days,
            revisit_days=policy.revisit_days,
            critical_complete_minutes=minutes(policy.critical_complete),
            critical_sign_minutes=minutes(policy.critical_sign),
            urgent_sign_minutes=minutes(policy.urgent_sign),
            warning_share=policy.warning_share,
        )


@strawberry.type
class TicketCatalogueQueries:
    @strawberry.field(
        description="The categories beneath a category (the top level without parentCode), "
        "in catalogue order. Anyone may ask: intake forms show them."
    )
    async def ticket_categories(
        self, parent_code: str | None = None, include_inactive: bool = False
    ) -> list[TicketCategory]:
        return [
            TicketCategory.of(r)
            for r in await categories(parent_code, include_inactive=include_inactive)
        ]

    @strawberry.field(description="A category by its code; null when there is none.")
    async def ticket_category(self, code: str) -> TicketCategory | None:
        record = await get_category(code)
        return TicketCategory.of(record) if record else None

    @strawberry.field(
        description="The public holidays and make-up working days of a year: deadlines count "
        "working days on this calendar."
    )
    async def calendar_days(self, year: int) -> list[CalendarDay]:
        if not MINYEAR <= year <= MAXYEAR:
            raise BadUserInput("year", f"year must be {MINYEAR}–{MAXYEAR}.")
        return [CalendarDay.of(r) for r in await admin.calendar_days(year)]

    @strawberry.field(
        description="The SLA policy deadlines are set with (administrators, agents, departments)."
    )
    async def sla_policy(self, info: Info) -> SlaPolicy:
        await info.context.require(Role.ADMIN, Role.AGENT, Role.DEPARTMENT)
        return SlaPolicy.of(await catalogue.sla_policy())


@strawberry.input(description="Declare a day a holiday or a make-up working day.")
class SetCalendarDayInput:
    day: date
    kind: CalendarDayKind
    name: str = strawberry.field(default="", description="国庆节, 春节调休 ...")


@strawberry.type
class SetCalendarDayPayload:
    calendar_day: CalendarDay | None
    errors: list[UserError]


@strawberry.input
class RemoveCalendarDayInput:
    day: date


@strawberry.type
class RemoveCalendarDayPayload:
    removed: bool = strawberry.field(description="False when the day was an ordinary one.")
    errors: list[UserError]


@strawberry.input(
    description="What to change of a category: a field left out stays, null clears it."
)
class UpdateTicketCategoryInput:
    code: str
    reply_days: int | None = strawberry.field(
        default=strawberry.UNSET, description="Working days to reply (1–60); null: the default."
    )
    complete_days: int | None = strawberry.field(
        default=strawberry.UNSET,
        description="Working days to complete (1–60); null: the kind's default.",
    )
    department_key: str | None = strawberry.field(
        default=strawberry.UNSET, description="The key of the body that handles it (CG, SQ ...)."
    )
    urgency_hint: Urgency | None = strawberry.field(
        default=strawberry.UNSET, description="Tickets in it are at least this urgent."
    )
    is_active: bool | None = strawberry.field(
        default=strawberry.UNSET, description="Inactive categories are not offered at intake."
    )


@strawberry.type
class UpdateTicketCategoryPayload:
    category: TicketCategory | None
    errors: list[UserError]


@strawberry.input(description="Working days to complete tickets of a kind.")
class SlaCompleteDaysInput:
    kind: TicketKind
    working_days: int | None = strawberry.field(
        default=None, description="1–60; null (or left out): the default."
    )


@strawberry.input(
    description="What to change of the SLA policy: a field left out stays, null restores "
    "the default. Day counts are working days."
)
class UpdateSlaPolicyInput:
    complete_days: list[SlaCompleteDaysInput] | None = strawberry.field(
        default=strawberry.UNSET,
        description="The kinds to change (1–60 each); kinds left out stay. Null restores "
        "every kind's default.",
    )
    reply_days: int | None = strawberry.field(
        default=strawberry.UNSET, description="1–60, no more than any kind's completion."
    )
    sign_days: int | None = strawberry.field(default=strawberry.UNSET, description="1–10.")
    return_days: int | None = strawberry.field(default=strawberry.UNSET, description="1–10.")
    revisit_days: int | None = strawberry.field(default=strawberry.UNSET, description="1–10.")
    critical_complete_minutes: int | None = strawberry.field(
        default=strawberry.UNSET, description="30–1440."
    )
    critical_sign_minutes: int | None = strawberry.field(
        default=strawberry.UNSET, description="1–1440, no more than criticalCompleteMinutes."
    )
    urgent_sign_minutes: int | None = strawberry.field(
        default=strawberry.UNSET, description="1–480."
    )
    warning_share: float | None = strawberry.field(
        default=strawberry.UNSET, description="0.5–0.95."
    )


@strawberry.type
class UpdateSlaPolicyPayload:
    sla_policy: SlaPolicy | None
    errors: list[UserError]


def _given(value: Any) -> Any:
    return UNCHANGED if value is strawberry.UNSET else value


def _complete_days(entries: list[SlaCompleteDaysInput] | None) -> dict[TicketKind, int | None]:
    """The kinds an input changes: none when left out, every kind (to its default) when null."""
    if entries is strawberry.UNSET:
        return {}
    if entries is None:
        return dict.fromkeys(TicketKind)
    kinds = [entry.kind for entry in entries]
    if len(set(kinds)) < len(kinds):
        raise DomainError(ErrorCode.INVALID, "每个类别只能填写一次。", "completeDays")
    return {entry.kind: entry.working_days for entry in entries}


@strawberry.type
class TicketCatalogueMutations:
    @strawberry.mutation(
        description="Declare a holiday or a make-up working day (administrators). Deadlines "
        "set from now on count with it; those already set stay."
    )
    async def set_calendar_day(
        self, info: Info, input: SetCalendarDayInput
    ) -> SetCalendarDayPayload:
        actor = await info.context.require(Role.ADMIN)
        try:
            record = await admin.set_calendar_day(
                day=input.day, kind=input.kind, name=input.name, actor=actor
            )
        except DomainError as error:
            return SetCalendarDayPayload(calendar_day=None, errors=user_errors(error))
        return SetCalendarDayPayload(calendar_day=CalendarDay.of(record), errors=[])

    @strawberry.mutation(description="Make a day ordinary again (administrators).")
    async def remove_calendar_day(
        self, info: Info, input: RemoveCalendarDayInput
    ) -> RemoveCalendarDayPayload:
        actor = await info.context.require(Role.ADMIN)
        try:
            removed = await admin.remove_calendar_day(day=input.day, actor=actor)
        except DomainError as error:
            return RemoveCalendarDayPayload(removed=False, errors=user_errors(error))
        return RemoveCalendarDayPayload(removed=removed, errors=[])

    @strawberry.mutation(
        description="Change a category's deadlines, body, urgency or availability "
        "(administrators). Tickets dispatched afterwards get the new deadlines."
    )
    async def update_ticket_category(
        self, info: Info, input: UpdateTicketCategoryInput
    ) -> UpdateTicketCategoryPayload:
        actor = await info.context.require(Role.ADMIN)
        is_active = _given(input.is_active)
        try:
            record = await admin.update_category(
                code=input.code,
                actor=actor,
                reply_days=_given(input.reply_days),
                complete_days=_given(input.complete_days),
                department_key=_given(input.department_key),
                urgency_hint=_given(input.urgency_hint),
                is_active=UNCHANGED if is_active is None else is_active,
            )
        except DomainError as error:
            return UpdateTicketCategoryPayload(category=None, errors=user_errors(error))
        return UpdateTicketCategoryPayload(category=TicketCategory.of(record), errors=[])

    @strawberry.mutation(
        description="Change the SLA policy (administrators). Deadlines set from now on follow "
        "it; those already set stay."
    )
    async def update_sla_policy(
        self, info: Info, input: UpdateSlaPolicyInput
    ) -> UpdateSlaPolicyPayload:
        actor = await info.context.require(Role.ADMIN)
        try:
            changes = SlaPolicyChanges(
                complete_days=_complete_days(input.complete_days),
                reply_days=_given(input.reply_days),
                sign_days=_given(input.sign_days),
                return_days=_given(input.return_days),
                revisit_days=_given(input.revisit_days),
                critical_complete_minutes=_given(input.critical_complete_minutes),
                critical_sign_minutes=_given(input.critical_sign_minutes),
                urgent_sign_minutes=_given(input.urgent_sign_minutes),
                warning_share=_given(input.warning_share),
            )
            policy = await update_sla_policy(actor=actor, changes=changes)
        except DomainError as error:
            return UpdateSlaPolicyPayload(sla_policy=None, errors=user_errors(error))
        return UpdateSlaPolicyPayload(sla_policy=SlaPolicy.of(policy), errors=[])
