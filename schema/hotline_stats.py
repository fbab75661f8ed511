"""The hotline's KPIs in GraphQL (hotlineStats)."""

from __future__ import annotations

import dataclasses
from datetime import datetime

import strawberry
from strawberry import relay
from strawberry.types.nodes import SelectedField, Selection

from accounts.models import Role
from schema.context import Context
from schema.desks import DeskStats
from schema.errors import BadUserInput
from tickets import stats
from wuyou.errors import DomainError

Info = strawberry.Info[Context, None]


@strawberry.type(
    description="The figures of a set of tickets received in a period; each counts the "
    "tickets as they stand now, merged duplicates left out. Rates are null when nothing "
    "could count towards them."
)
class HotlineFigures:
    received: int
    resolved_at_intake: int = strawberry.field(
        description="Answered at first contact (一次办结) and not reopened since."
    )
    first_contact_rate: float | None = strawberry.field(
        description="一次办结率 = resolvedAtIntake / received."
    )
    dispatched: int = strawberry.field(description="Ever sent to a body.")
    completed: int = strawberry.field(description="Resolved by a body (办结).")
    completed_on_time: int = strawberry.field(description="Resolved by the completion deadline.")
    on_time_completion_rate: float | None = strawberry.field(
        description="按时办结率 = completedOnTime / completed."
    )
    signed: int = strawberry.field(description="Signed for by the body holding it now.")
    signed_on_time: int
    sign_on_time_rate: float | None = strawberry.field(
        description="按时签收率 = signedOnTime / signed."
    )
    returns: int = strawberry.field(description="Returns (退单) of these tickets, all told.")
    overdue_now: int = strawberry.field(description="Open with the running deadline passed.")
    revisited: int = strawberry.field(description="With the citizen's answer (回访).")
    satisfied: int
    basically_satisfied: int
    unsatisfied: int
    satisfaction_rate: float | None = strawberry.field(
        description="满意率 = (satisfied + basicallySatisfied) / revisited."
    )

    @classmethod
    def of(cls, figures: stats.Figures) -> HotlineFigures:
        return cls(**dataclasses.asdict(figures))


@strawberry.type(description="The figures of one channel, category, body or day.")
class HotlineStatsRow:
    key: str | None = strawberry.field(
        description="The channel code, level-1 category code, body code or ISO day; null "
        "for tickets without a category or without a body."
    )
    name: str
    figures: HotlineFigures

    @classmethod
    def of(cls, row: stats.StatsRow) -> HotlineStatsRow:
        return cls(key=row.key, name=row.name, figures=HotlineFigures.of(row.figures))


@strawberry.type(description="The hotline's KPIs over a period, in total and broken down.")
class HotlineStats:
    computed_at: datetime = strawberry.field(description="The moment overdueNow refers to.")
    total: HotlineFigures
    by_channel: list[HotlineStatsRow] = strawberry.field(description="Most tickets first.")
    by_category: list[HotlineStatsRow] = strawberry.field(
        description="By level-1 category, most tickets first."
    )
    by_department: list[HotlineStatsRow] = strawberry.field(
        description="By the body handling the tickets now, most tickets first."
    )
    by_day: list[HotlineStatsRow] = strawberry.field(
        description="By the city's calendar day, in order; days without tickets are absent."
    )
    by_desk: list[DeskStats] = strawberry.field(
        description="Each desk's tickets and specialists' consultations, every desk listed."
    )
    by_article: list[HotlineStatsRow] = strawberry.field(
        description="The tickets answered at first contact citing each knowledge-base "
        "article (key: the article's global id; name: its title), most first: "
        "figures.resolvedAtIntake is the first-contact resolutions it gave."
    )


@strawberry.input(description="Which tickets to count: received in [from, to), and more.")
class HotlineStatsFilter:
    from_: datetime = strawberry.field(name="from")
    to: datetime
    area_code: str | None = strawberry.field(
        default=None, description="Located in this area or beneath it."
    )
    department: str | None = strawberry.field(
        default=None, description="Handled now by this body (a body's staff see only theirs)."
    )
    channel: str | None = None


#: The field of each breakdown.
_BREAKDOWNS = {
    "byChannel": stats.Breakdown.CHANNEL,
    "byCategory": stats.Breakdown.CATEGORY,
    "byDepartment": stats.Breakdown.DEPARTMENT,
    "byDay": stats.Breakdown.DAY,
    "byDesk": stats.Breakdown.DESK,
    "byArticle": stats.Breakdown.ARTICLE,
}


def _selected_breakdowns(info: Info) -> set[stats.Breakdown]:
    """The breakdowns the query selects, through fragments too (a field left out by
    @skip or @include may be counted: computed, never shown)."""
    wanted: set[stats.Breakdown] = set()

    def visit(selections: list[Selection]) -> None:
        for selection in selections:
            if isinstance(selection, SelectedField):
                if selection.name in _BREAKDOWNS:
                    wanted.add(_BREAKDOWNS[selection.name])
            else:
                visit(selection.selections)

    for field in info.selected_fields:
        visit(field.selections)
    return wanted


@strawberry.type
class HotlineStatsQueries:
    @strawberry.field(
        description="The hotline's KPIs: 一次办结率, 按时办结率, 按时签收率, returns, overdue "
        "tickets and the satisfaction rate (agents; a body's staff for their own body)."
    )
    async def hotline_stats(self, info: Info, filter: HotlineStatsFilter) -> HotlineStats:
        actor = await info.context.require(Role.AGENT, Role.ADMIN, Role.DEPARTMENT)
        try:
            figures = await stats.hotline_stats(
                stats.StatsFilter(
                    received_from=filter.from_,
                    received_to=filter.to,
                    area_code=filter.area_code,
                    department=filter.department,
                    channel=filter.channel,
                ),
                actor=actor,
                breakdowns=_selected_breakdowns(info),
            )
        except DomainError as error:
            raise BadUserInput.of(error) from error
        return HotlineStats(
            computed_at=figures.computed_at,
            total=HotlineFigures.of(figures.total),
            by_channel=[HotlineStatsRow.of(r) for r in figures.by_channel],
            by_category=[HotlineStatsRow.of(r) for r in figures.by_category],
            by_department=[HotlineStatsRow.of(r) for r in figures.by_department],
            by_day=[HotlineStatsRow.of(r) for r in figures.by_day],
            by_desk=[DeskStats.of(d) for d in figures.by_desk],
            by_article=[
                HotlineStatsRow(
                    key=relay.to_base64("Article", r.key or ""),
                    name=r.name,
                    figures=HotlineFigures.of(r.figures),
                )
                for r in figures.by_article
            ],
        )
