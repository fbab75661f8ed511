"""The safety index (平安指数) in GraphQL: an area's index explained (safetyIndex), the
ranking of a level's areas (safetyRanking), and the settings behind them
(safetyIndexSettings, updateSafetyIndexSettings). See docs/safety-index.md."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import strawberry

from accounts.models import Role
from grids.models import AreaLevel
from grids.safety import formula, index
from grids.safety.settings import (
    DIMENSION_NAMES,
    Curve,
    ScorePart,
    StoredSafetySettings,
    Value,
    load_safety_settings,
    update_safety_settings,
)
from schema.context import Context
from schema.errors import BadUserInput, UserError, user_errors
from schema.grids import Area
from schema.tickets import TicketCategory
from tickets.models import SafetyDimension
from tickets.sla import TicketKind, Urgency
from wuyou.errors import DomainError, ErrorCode

strawberry.enum(
    Curve,
    name="SafetyCurve",
    description="How a dimension's incident rate becomes a score: EXPONENTIAL "
    "100 × exp(−rate / scale), LINEAR 100 × max(0, 1 − rate / scale).",
)
strawberry.enum(
    ScorePart,
    name="SafetyScorePart",
    description="The parts of a dimension's score the platform's own tickets give.",
)

Info = strawberry.Info[Context, None]


@strawberry.type(description="A figure a plugin contributed to a dimension (e.g. inspections).")
class SafetyIndicator:
    code: str
    name: str
    value: float | None = strawberry.field(description="The raw figure, as shown to people.")
    unit: str
    score: float = strawberry.field(description="0–100, 100 the safest.")
    weight: float
    source: str = strawberry.field(description="The plugin that contributed it.")

    @classmethod
    def of(cls, indicator: formula.Indicator) -> SafetyIndicator:
        return cls(
            code=indicator.code,
            name=indicator.name,
            value=indicator.value,
            unit=indicator.unit,
            score=indicator.score,
            weight=indicator.weight,
            source=indicator.source,
        )


@strawberry.type(
    description="What a dimension's score was computed from. Tickets are those received in "
    "the period, located in the area, in a category of the dimension, merged followers left "
    "out; shares are null when nothing counts towards them."
)
class SafetyInputs:
    tickets: int
    grid_events: int = strawberry.field(description="Of the tickets, grid workers' reports.")
    weighted_count: float = strawberry.field(
        description="The tickets, each counted by its kind's weight × its urgency's weight."
    )
    population_used: int = strawberry.field(
        description="The residents rates are per: the population, at least populationFloor."
    )
    days: float = strawberry.field(description="The period's length in days.")
    rate_per_10k: float = strawberry.field(
        name="ratePer10k",
        description="weightedCount per 10,000 residents per year = weightedCount / "
        "populationUsed × 10000 × 365 / days.",
    )
    due: int = strawberry.field(
        description="Tickets whose completion deadline has come (resolved, or open and past it)."
    )
    on_time: int = strawberry.field(description="Of those, resolved by the deadline.")
    on_time_share: float | None = strawberry.field(description="onTime / due.")
    satisfied: int = strawberry.field(
        description="Revisits that closed a ticket satisfied or basically satisfied."
    )
    unsatisfied: int = strawberry.field(description="Revisits that reopened a ticket.")
    satisfaction_share: float | None = strawberry.field(
        description="satisfied / (satisfied + unsatisfied)."
    )
    repeats: int = strawberry.field(
        description="Tickets flagged as a repeat of an earlier one (same caller, category and "
        "grid within 72 hours)."
    )
    repeat_share: float | None = strawberry.field(description="repeats / tickets.")
    indicators: list[SafetyIndicator]

    @classmethod
    def of(cls, score: formula.DimensionScore) -> SafetyInputs:
        tally = score.tally
        return cls(
            tickets=tally.tickets,
            grid_events=tally.grid_events,
            weighted_count=tally.weighted,
            population_used=score.population_used,
            days=score.days,
            rate_per_10k=score.rate,
            due=tally.due,
            on_time=tally.on_time,
            on_time_share=score.on_time_share,
            satisfied=tally.satisfied,
            unsatisfied=tally.unsatisfied,
            satisfaction_share=score.satisfaction_share,
            repeats=tally.repeats,
            repeat_share=score.repeat_share,
            indicators=[SafetyIndicator.of(i) for i in score.indicators],
        )


@strawberry.type(
    description="One part of a dimension's score. The score is the weighted mean of the parts "
    "present: each part's contribution = weight × score / the parts' total weight, and the "
    "contributions add up to the score."
)
class SafetyPartScore:
    code: str = strawberry.field(
        description="INCIDENTS, ON_TIME, SATISFACTION, REPEATS, or a plugin indicator's code."
    )
    name: str
    score: float
    weight: float
    contribution: float
    source: str | None = strawberry.field(description="The plugin, for an indicator.")

    @classmethod
    def of(cls, part: formula.Part) -> SafetyPartScore:
        return cls(
            code=part.code,
            name=part.name,
            score=part.score,
            weight=part.weight,
            contribution=part.contribution,
            source=part.source,
        )


@strawberry.type(description="A dimension's score, its place in the overall score, its inputs.")
class SafetyDimensionScore:
    dimension: SafetyDimension
    name: str
    score: float = strawberry.field(description="0–100, 100 the safest.")
    weight: float = strawberry.field(description="The dimension's weight in the overall score.")
    contribution: float = strawberry.field(
        description="weight × score / the dimensions' total weight; they add up to the "
        "overall score."
    )
    record: strawberry.Private[formula.DimensionScore]

    @strawberry.field
    def inputs(self) -> SafetyInputs:
        return SafetyInputs.of(self.record)

    @strawberry.field(description="The parts present, in order: the platform's, then plugins'.")
    def parts(self) -> list[SafetyPartScore]:
        return [SafetyPartScore.of(p) for p in self.record.parts]

    @classmethod
    def of(
        cls, score: formula.DimensionScore, weight: float, contribution: float
    ) -> SafetyDimensionScore:
        return cls(
            dimension=score.dimension,
            name=DIMENSION_NAMES[score.dimension],
            score=score.score,
            weight=weight,
            contribution=contribution,
            record=score,
        )


@strawberry.type(description="What one category's tickets add to a dimension.")
class SafetyCategoryContribution:
    category: TicketCategory
    tickets: int
    weighted_count: float
    share: float | None = strawberry.field(
        description="Of the dimension's weighted count; null when that is 0."
    )


@strawberry.type(
    description="A dimension of an area's index, with the previous period's for comparison."
)
class SafetyDimensionIndex(SafetyDimensionScore):
    change: float = strawberry.field(description="score − previous.score.")
    previous: SafetyDimensionScore = strawberry.field(
        description="The same dimension over the previous period of equal length."
    )
    categories: strawberry.Private[tuple[index.CategoryContribution, ...]]

    @strawberry.field(
        description="The categories whose tickets weigh most in the dimension, most first; "
        "all of them (first: 1000) add up to inputs.tickets and inputs.weightedCount."
    )
    def top_categories(self, first: int = 5) -> list[SafetyCategoryContribution]:
        if not 0 <= first <= index.MAX_RANKED:
            raise BadUserInput("first", f"first must be 0–{index.MAX_RANKED}.")
        return [
            SafetyCategoryContribution(
                category=TicketCategory.of(c.category),
                tickets=c.tickets,
                weighted_count=c.weighted,
                share=c.share,
            )
            for c in self.categories[:first]
        ]

    @classmethod
    def of_index(cls, dimension: index.DimensionIndex) -> SafetyDimensionIndex:
        current = SafetyDimensionScore.of(
            dimension.current, dimension.weight, dimension.contribution
        )
        return cls(
            dimension=current.dimension,
            name=current.name,
            score=current.score,
            weight=current.weight,
            contribution=current.contribution,
            record=dimension.current,
            change=dimension.change,
            previous=SafetyDimensionScore.of(
                dimension.previous, dimension.weight, dimension.previous_contribution
            ),
            categories=dimension.categories,
        )


@strawberry.type(
    description="An area's safety index over [from, to): overall and on each of the eight "
    "dimensions, 0–100 (100 the safest), explained, against the previous period of equal "
    "length [previousFrom, from)."
)
class SafetyIndex:
    area: Area
    from_: datetime = strawberry.field(name="from")
    to: datetime
    previous_from: datetime
    computed_at: datetime = strawberry.field(
        description="The moment open tickets were judged past their deadline or not."
    )
    population: int = strawberry.field(
        description="Residents: the area's figure, or its grids' sum when it has none."
    )
    population_used: int = strawberry.field(
        description="What rates are per: population, at least the settings' populationFloor."
    )
    score: float = strawberry.field(
        description="The dimensions' weighted mean: the sum of their contributions."
    )
    previous_score: float
    change: float = strawberry.field(description="score − previousScore.")
    dimensions: list[SafetyDimensionIndex] = strawberry.field(description="All eight, in order.")
    settings_version: int = strawberry.field(
        description="The version of safetyIndexSettings it was computed with (0: defaults)."
    )

    @classmethod
    def of(cls, result: index.SafetyIndex) -> SafetyIndex:
        return cls(
            area=Area.of(result.area),
            from_=result.start,
            to=result.end,
            previous_from=result.previous_start,
            computed_at=result.computed_at,
            population=result.population,
            population_used=result.population_used,
            score=result.score,
            previous_score=result.previous_score,
            change=result.change,
            dimensions=[SafetyDimensionIndex.of_index(d) for d in result.dimensions],
            settings_version=result.settings_version,
        )


@strawberry.type(description="An area's place in a ranking.")
class SafetyRankingEntry:
    rank: int = strawberry.field(description="1 is the least safe.")
    area: Area
    population: int
    score: float
    dimensions: list[SafetyDimensionScore]


@strawberry.type(description="The areas of a level from the least safe to the safest.")
class SafetyRanking:
    level: AreaLevel
    from_: datetime = strawberry.field(name="from")
    to: datetime
    computed_at: datetime
    total_count: int = strawberry.field(description="How many areas were ranked.")
    entries: list[SafetyRankingEntry] = strawberry.field(
        description="The first entries, by rank (a grid worker sees only the areas around "
        "their grid, with their rank among all)."
    )
    settings_version: int

    @classmethod
    def of(cls, result: index.SafetyRanking) -> SafetyRanking:
        return cls(
            level=result.level,
            from_=result.start,
            to=result.end,
            computed_at=result.computed_at,
            total_count=result.total_count,
            entries=[
                SafetyRankingEntry(
                    rank=entry.rank,
                    area=Area.of(entry.area),
                    population=entry.population,
                    score=entry.score,
                    dimensions=[
                        SafetyDimensionScore.of(
                            score,
                            result.weights[score.dimension],
                            entry.contributions[score.dimension],
                        )
                        for score in entry.dimensions
                    ],
                )
                for entry in result.entries
            ],
            settings_version=result.settings_version,
        )


@strawberry.type(description="A dimension's weight in the overall score and its curve.")
class SafetyDimensionSetting:
    dimension: SafetyDimension
    name: str
    weight: float
    scale: float = strawberry.field(
        description="Weighted tickets per 10,000 residents per year at which the incident "
        "score is 100/e ≈ 36.8 (EXPONENTIAL) or 0 (LINEAR)."
    )
    curve: Curve


@strawberry.type(description="How much one ticket of a kind counts.")
class SafetyKindWeight:
    kind: TicketKind
    weight: float


@strawberry.type(description="How a ticket's urgency multiplies its weight.")
class SafetyUrgencyWeight:
    urgency: Urgency
    weight: float


@strawberry.type(description="A part's weight in each dimension's score.")
class SafetyPartWeight:
    part: ScorePart
    weight: float


@strawberry.type(description="The safety index's weights and scales (docs/safety-index.md).")
class SafetyIndexSettings:
    version: int = strawberry.field(
        description="Increases with every change; 0 while the defaults were never changed. "
        "updateSafetyIndexSettings names the version it was made against."
    )
    updated_at: datetime | None
    updated_by: str | None = strawberry.field(description="The administrator's username.")
    dimensions: list[SafetyDimensionSetting]
    kind_weights: list[SafetyKindWeight]
    urgency_weights: list[SafetyUrgencyWeight]
    part_weights: list[SafetyPartWeight]
    population_floor: int = strawberry.field(
        description="Rates are per this many residents at least."
    )

    @classmethod
    def of(cls, stored: StoredSafetySettings) -> SafetyIndexSettings:
        s = stored.settings
        return cls(
            version=stored.version,
            updated_at=stored.updated_at,
            updated_by=stored.updated_by,
            dimensions=[
                SafetyDimensionSetting(
                    dimension=d,
                    name=DIMENSION_NAMES[d],
                    weight=s.dimension_weights[d],
                    scale=s.scales[d],
                    curve=s.curves[d],
                )
                for d in SafetyDimension
            ],
            kind_weights=[SafetyKindWeight(kind=k, weight=s.kind_weights[k]) for k in TicketKind],
            urgency_weights=[
                SafetyUrgencyWeight(urgency=u, weight=s.urgency_weights[u]) for u in Urgency
            ],
            part_weights=[SafetyPartWeight(part=p, weight=s.part_weights[p]) for p in ScorePart],
            population_floor=s.population_floor,
        )


@strawberry.type
class SafetyQueries:
    @strawberry.field(
        description="An area's safety index over [from, to), explained, with the change "
        "against the previous period of equal length (administrators, agents, department "
        "staff; grid workers for the areas around their grid)."
    )
    async def safety_index(
        self,
        info: Info,
        area_code: str,
        from_: Annotated[datetime, strawberry.argument(name="from")],
        to: datetime,
    ) -> SafetyIndex:
        actor = await info.context.require()
        try:
            result = await index.safety_index(area_code, from_, to, actor=actor)
        except DomainError as error:
            raise BadUserInput.of(error, "areaCode") from error
        return SafetyIndex.of(result)

    @strawberry.field(
        description="The areas of a level (beneath withinCode, if given) from the least safe "
        "to the safest over [from, to); ties by code. first: 0–1000."
    )
    async def safety_ranking(
        self,
        info: Info,
        level: AreaLevel,
        from_: Annotated[datetime, strawberry.argument(name="from")],
        to: datetime,
        first: int = 10,
        within_code: str | None = None,
    ) -> SafetyRanking:
        actor = await info.context.require()
        try:
            result = await index.safety_ranking(
                level, from_, to, first=first, actor=actor, within_code=within_code
            )
        except DomainError as error:
            raise BadUserInput.of(error, "level") from error
        return SafetyRanking.of(result)

    @strawberry.field(
        description="The safety index's weights and scales: whoever may read the index may "
        "read what it is computed with, to recompute it."
    )
    async def safety_index_settings(self, info: Info) -> SafetyIndexSettings:
        await info.context.require(*index.READERS)
        return SafetyIndexSettings.of(await load_safety_settings())


@strawberry.input(
    description="A dimension's settings to change: a field left out stays, null restores "
    "the default."
)
class SafetyDimensionSettingInput:
    dimension: SafetyDimension
    weight: float | None = strawberry.field(default=strawberry.UNSET, description="0–100.")
    scale: float | None = strawberry.field(default=strawberry.UNSET, description="0.01–1,000,000.")
    curve: Curve | None = strawberry.field(default=strawberry.UNSET)


@strawberry.input(description="A kind's weight (0–10); null restores the default.")
class SafetyKindWeightInput:
    kind: TicketKind
    weight: float | None


@strawberry.input(description="An urgency's multiplier (0–10); null restores the default.")
class SafetyUrgencyWeightInput:
    urgency: Urgency
    weight: float | None


@strawberry.input(description="A part's weight (0–100); null restores the default.")
class SafetyPartWeightInput:
    part: ScorePart
    weight: float | None


@strawberry.input(
    description="What to change of the safety index's settings, made against version "
    "(safetyIndexSettings.version): lists name only what changes, a field left out stays. "
    "Errors name the setting: weight.DISPUTES, scale.ECOLOGY, curve.ECOLOGY, "
    "kindWeight.COMPLAINT, urgencyWeight.URGENT, partWeight.INCIDENTS, populationFloor."
)
class UpdateSafetyIndexSettingsInput:
    version: int
    dimensions: list[SafetyDimensionSettingInput] | None = None
    kind_weights: list[SafetyKindWeightInput] | None = None
    urgency_weights: list[SafetyUrgencyWeightInput] | None = None
    part_weights: list[SafetyPartWeightInput] | None = None
    population_floor: int | None = strawberry.field(
        default=strawberry.UNSET, description="1–1,000,000; null restores the default (500)."
    )


@strawberry.type
class UpdateSafetyIndexSettingsPayload:
    safety_index_settings: SafetyIndexSettings | None
    errors: list[UserError]


def _once(field: str, keys: list[Any]) -> None:
    if len(set(keys)) < len(keys):
        raise DomainError(ErrorCode.INVALID, "每项只能填写一次。", field)


def _changes(input: UpdateSafetyIndexSettingsInput) -> dict[str, Value | None]:
    """The input's changes by setting name."""
    changes: dict[str, Value | None] = {}
    dimensions = input.dimensions or []
    _once("dimensions", [entry.dimension for entry in dimensions])
    for entry in dimensions:
        for name, value in (("weight", entry.weight), ("scale", entry.scale)):
            if value is not strawberry.UNSET:
                changes[f"{name}.{entry.dimension}"] = value
        if entry.curve is not strawberry.UNSET:
            changes[f"curve.{entry.dimension}"] = entry.curve.value if entry.curve else None
    for field, prefix, entries in (
        ("kindWeights", "kindWeight", [(e.kind, e.weight) for e in input.kind_weights or []]),
        (
            "urgencyWeights",
            "urgencyWeight",
            [(e.urgency, e.weight) for e in input.urgency_weights or []],
        ),
        ("partWeights", "partWeight", [(e.part, e.weight) for e in input.part_weights or []]),
    ):
        _once(field, [key for key, _ in entries])
        changes.update({f"{prefix}.{key}": weight for key, weight in entries})
    if input.population_floor is not strawberry.UNSET:
        changes["populationFloor"] = input.population_floor
    return changes


@strawberry.type
class SafetyMutations:
    @strawberry.mutation(
        description="Change the safety index's weights and scales (administrators). Indexes "
        "computed from now on use them; INVALID_STATE on version when another administrator "
        "changed them meanwhile."
    )
    async def update_safety_index_settings(
        self, info: Info, input: UpdateSafetyIndexSettingsInput
    ) -> UpdateSafetyIndexSettingsPayload:
        actor = await info.context.require(Role.ADMIN)
        try:
            stored = await update_safety_settings(
                actor=actor, version=input.version, changes=_changes(input)
            )
        except DomainError as error:
            return UpdateSafetyIndexSettingsPayload(
                safety_index_settings=None, errors=user_errors(error)
            )
        return UpdateSafetyIndexSettingsPayload(
            safety_index_settings=SafetyIndexSettings.of(stored), errors=[]
        )
