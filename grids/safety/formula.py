"""The safety index's arithmetic: pure, every number in, every number out
(docs/safety-index.md states the same formulas for readers).

A dimension's score is the weighted mean of its parts, each a score 0–100:

* INCIDENTS: the yearly rate of weighted tickets per 10,000 residents, through the
  dimension's curve: 100 × exp(−rate / scale), or 100 × max(0, 1 − rate / scale);
* ON_TIME: 100 × on time / due;
* SATISFACTION: 100 × satisfied / revisited;
* REPEATS: 100 × (1 − repeats / tickets);
* each plugin indicator: its own score and weight.

A part without data (nothing due, no revisit, no ticket) is left out and the others'
weights share its place; INCIDENTS is always there (no ticket: a rate of 0, a score of
100). The overall score is the weighted mean of the eight dimensions' scores. Each part's
and each dimension's ``contribution`` is its weight × score over the total weight, so
contributions add up to the score they explain.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import NamedTuple

from grids.safety.settings import PART_NAMES, Curve, SafetySettings, ScorePart
from tickets.models import SafetyDimension

#: Rates are per this many residents.
PER_RESIDENTS = 10_000
#: ... and per this many days.
PER_DAYS = 365

# Enum members as plain names: a ranking scores thousands of dimensions, and an enum
# member looked up on its class is slow before Python 3.12.
_INCIDENTS, _ON_TIME, _SATISFACTION, _REPEATS = ScorePart
_LINEAR = Curve.LINEAR
_PART_NAMES = {part: (part.value, PART_NAMES[part]) for part in ScorePart}


@dataclass(frozen=True, slots=True)
class Tally:
    """What the tickets of one dimension (and category, or place) add up to.

    ``weighted``: each ticket counted by its kind's weight × its urgency's weight.
    ``due``: tickets whose completion deadline has come, resolved or not; ``on_time``:
    those resolved by it. ``satisfied``: revisits that closed a ticket satisfied or
    basically satisfied; ``unsatisfied``: revisits that reopened one. ``repeats``: tickets
    flagged as a repeat of an earlier one (same caller, category and grid within 72 hours).
    """

    tickets: int = 0
    grid_events: int = 0
    weighted: float = 0.0
    due: int = 0
    on_time: int = 0
    satisfied: int = 0
    unsatisfied: int = 0
    repeats: int = 0

    @property
    def revisited(self) -> int:
        return self.satisfied + self.unsatisfied

    def __add__(self, other: Tally) -> Tally:
        return Tally(
            **{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(Tally)}
        )


def add_up(tallies: Iterable[Tally]) -> Tally:
    """The sum of ``tallies`` (an empty Tally for none)."""
    return sum(tallies, Tally())


@dataclass(frozen=True, slots=True)
class Indicator:
    """A plugin's indicator for one dimension of one area, checked; ``source`` names the
    plugin."""

    dimension: SafetyDimension
    code: str
    name: str
    score: float
    weight: float
    value: float | None
    unit: str
    source: str


class Part(NamedTuple):
    """One part of a dimension's score: ``code`` is a :class:`ScorePart` for the
    platform's own parts, the indicator's code for a plugin's (``source`` names it).
    (A named tuple: a ranking makes tens of thousands.)"""

    code: str
    name: str
    score: float
    weight: float
    contribution: float
    source: str | None = None


@dataclass(frozen=True, slots=True)
class DimensionScore:
    """A dimension's score and everything that produced it."""

    dimension: SafetyDimension
    tally: Tally
    population_used: int
    days: float
    rate: float
    on_time_share: float | None
    satisfaction_share: float | None
    repeat_share: float | None
    indicators: tuple[Indicator, ...]
    parts: tuple[Part, ...]
    score: float


def share(part: float, whole: float) -> float | None:
    """``part / whole``; None when ``whole`` is 0."""
    return part / whole if whole else None


def population_used(population: int, floor: int) -> int:
    """The residents rates are divided by: the population, but at least ``floor``."""
    return max(population, floor)


def yearly_rate(weighted: float, residents: int, days: float) -> float:
    """Weighted tickets per :data:`PER_RESIDENTS` residents per :data:`PER_DAYS` days."""
    return weighted / residents * PER_RESIDENTS * PER_DAYS / days


def incident_score(rate: float, curve: Curve, scale: float) -> float:
    """The INCIDENTS part's score of a yearly rate."""
    if curve is _LINEAR:
        return 100 * max(0.0, 1 - rate / scale)
    return 100 * math.exp(-rate / scale)


def weighted_mean(weights_and_scores: Sequence[tuple[float, float]]) -> tuple[float, list[float]]:
    """The weighted mean of scores, and each one's contribution to it (weight × score
    over the total weight; they add up to the mean). The weights must not all be 0."""
    total = shortfall = 0.0
    for weight, score in weights_and_scores:
        total += weight
        # Summed as the shortfall from 100, so that scores all 100 give exactly 100
        # (weights such as 0.15 have no exact binary form).
        shortfall += weight * (100 - score)
    return 100 - shortfall / total, [weight * score / total for weight, score in weights_and_scores]


def score_dimension(
    dimension: SafetyDimension,
    tally: Tally,
    indicators: Iterable[Indicator],
    *,
    settings: SafetySettings,
    residents: int,
    days: float,
) -> DimensionScore:
    """The score of ``dimension`` from its tally and its plugins' indicators, for an area
    of ``residents`` (the population used, see :func:`population_used`) over ``days``."""
    rate = yearly_rate(tally.weighted, residents, days)
    on_time = share(tally.on_time, tally.due)
    satisfaction = share(tally.satisfied, tally.revisited)
    repeats = share(tally.repeats, tally.tickets)
    weights = settings.part_weights
    incidents = incident_score(rate, settings.curves[dimension], settings.scales[dimension])
    # (code, name, score, weight, source) of each part present.
    present: list[tuple[str, str, float, float, str | None]] = [
        (*_PART_NAMES[_INCIDENTS], incidents, weights[_INCIDENTS], None)
    ]
    if on_time is not None:
        present.append((*_PART_NAMES[_ON_TIME], 100 * on_time, weights[_ON_TIME], None))
    if satisfaction is not None:
        present.append(
            (*_PART_NAMES[_SATISFACTION], 100 * satisfaction, weights[_SATISFACTION], None)
        )
    if repeats is not None:
        present.append((*_PART_NAMES[_REPEATS], 100 * (1 - repeats), weights[_REPEATS], None))
    extra = tuple(indicators)
    present += [(i.code, i.name, i.score, i.weight, i.source) for i in extra]
    score, contributions = weighted_mean([(weight, score) for _, _, score, weight, _ in present])
    parts = tuple(
        Part(code, name, part_score, weight, contribution, source)
        for (code, name, part_score, weight, source), contribution in zip(
            present, contributions, strict=True
        )
    )
    return DimensionScore(
        dimension=dimension,
        tally=tally,
        population_used=residents,
        days=days,
        rate=rate,
        on_time_share=on_time,
        satisfaction_share=satisfaction,
        repeat_share=repeats,
        indicators=extra,
        parts=parts,
        score=score,
    )


def overall(
    scores: Mapping[SafetyDimension, float], weights: Mapping[SafetyDimension, float]
) -> tuple[float, dict[SafetyDimension, float]]:
    """The overall score from the dimensions' scores, and each dimension's contribution."""
    dimensions = list(scores)
    score, contributions = weighted_mean([(weights[d], scores[d]) for d in dimensions])
    return score, dict(zip(dimensions, contributions, strict=True))
