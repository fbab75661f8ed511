"""The hotline's catalogue in GraphQL: the category tree, the working calendar, and their
administration (what makes deadlines configurable)."""

from __future__ import annotations

from datetime import date
from typing import Any

import strawberry

from accounts.models import Role
from schema.context import Context
from schema.errors import UserError, user_errors
from schema.tickets import TicketCategory
from tickets import admin
from tickets.admin import UNCHANGED, CalendarDayRecord
from tickets.categories import categories, get_category
from tickets.models import CalendarDayKind
from tickets.sla import Urgency
from wuyou.errors import DomainError

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
        return [CalendarDay.of(r) for r in await admin.calendar_days(year)]


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


def _given(value: Any) -> Any:
    return UNCHANGED if value is strawberry.UNSET else value


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
