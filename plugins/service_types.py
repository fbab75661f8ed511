"""What a service type is: its order form, checks, price, providers and dispatch rules.

A plugin builds one :class:`ServiceType` per service it offers and hands it to the
platform through the ``register_service_types`` hook. Everything here is plain data
and plain functions: the marketplace (``merchants/``) does the storing and dispatching.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from plugins.forms import Choice, FormField
from plugins.pricing import Pricing
from wuyou.errors import Problem


class ProviderKind(StrEnum):
    """Who provides a service."""

    COMMERCIAL = "COMMERCIAL"
    MEDIATION_ORG = "MEDIATION_ORG"
    COUNSELLOR = "COUNSELLOR"
    LAW_FIRM = "LAW_FIRM"


class DispatchMode(StrEnum):
    """SEQUENTIAL: one candidate at a time. BROADCAST: the top ``k`` at once; first accept wins."""

    SEQUENTIAL = "SEQUENTIAL"
    BROADCAST = "BROADCAST"


@dataclass(frozen=True, slots=True)
class Dispatch:
    """How offers go out and how long a provider has to accept one."""

    mode: DispatchMode = DispatchMode.SEQUENTIAL
    k: int = 1
    accept_timeout: timedelta = timedelta(minutes=2)

    def __post_init__(self) -> None:
        if self.k < 1 or (self.mode is DispatchMode.SEQUENTIAL and self.k != 1):
            raise ValueError("SEQUENTIAL dispatch offers to exactly one provider at a time")
        if self.accept_timeout <= timedelta(0):
            raise ValueError("accept_timeout must be positive")


@dataclass(frozen=True, slots=True)
class Qualification:
    """A document a provider must hold to serve the type (a licence, a certificate)."""

    code: str
    name: str
    required: bool = True


@dataclass(frozen=True, slots=True)
class Candidate:
    """A provider that could take an order, with what ranking may weigh.

    ``coverage_depth`` is how close to the order the provider's registered service
    area is: 0 for the whole city, 4 for the very grid (a community's own committee
    scores 3, a town's 2).
    """

    merchant_id: int
    name: str
    distance_km: float
    rating: float | None
    load: int
    capacity: int
    specialties: frozenset[str] = frozenset()
    coverage_depth: int = 0


#: How a provider nobody has rated yet ranks: as if rated five stars, the platform's
#: start-up support (新店扶持), so that a newcomer gets its first orders.
NEWCOMER_RATING = 5.0


def effective_rating(candidate: Candidate) -> float:
    """The candidate's average stars, or :data:`NEWCOMER_RATING` before its first rating."""
    return NEWCOMER_RATING if candidate.rating is None else candidate.rating


Check = Callable[[Mapping[str, Any]], Iterable[Problem]]
Rank = Callable[[Sequence[Candidate], Mapping[str, Any]], Sequence[Candidate]]


def rank_default(candidates: Sequence[Candidate], form: Mapping[str, Any]) -> list[Candidate]:
    """Nearest first, with good ratings and spare capacity pulling a provider forward.

    Each kilometre counts as much as half a star or a fifth of the capacity in use.
    Unrated providers count as :data:`NEWCOMER_RATING`.
    """

    def score(c: Candidate) -> tuple[float, int]:
        rating = effective_rating(c)
        busy = c.load / c.capacity if c.capacity else 1.0
        return (c.distance_km - 2.0 * rating + 5.0 * busy, c.merchant_id)

    return sorted(candidates, key=score)


def rank_nearest(candidates: Sequence[Candidate], form: Mapping[str, Any]) -> list[Candidate]:
    """Strictly nearest first (rescue, car moving: minutes matter)."""
    return sorted(candidates, key=lambda c: (c.distance_km, c.merchant_id))


def rank_by_rating(candidates: Sequence[Candidate], form: Mapping[str, Any]) -> list[Candidate]:
    """Best rated first (unrated: :data:`NEWCOMER_RATING`), then nearest (housekeeping,
    childcare: trust matters)."""
    return sorted(candidates, key=lambda c: (-effective_rating(c), c.distance_km, c.merchant_id))


def rank_closest_coverage(
    candidates: Sequence[Candidate], form: Mapping[str, Any]
) -> list[Candidate]:
    """The provider responsible for the smallest area around the order first, then nearest."""
    return sorted(candidates, key=lambda c: (-c.coverage_depth, c.distance_km, c.merchant_id))


def rank_specialists_first(field: str, then: Rank = rank_default) -> Rank:
    """A ranking that puts providers listing the form's ``field`` value among their
    specialties first (a medical dispute → the medical dispute committee), each group
    ordered by ``then``."""

    def rank(candidates: Sequence[Candidate], form: Mapping[str, Any]) -> list[Candidate]:
        wanted = form.get(field)
        return sorted(then(candidates, form), key=lambda c: wanted not in c.specialties)

    rank.__doc__ = f"Specialists in the {field!r} chosen first, then {then.__name__}."
    return rank


@dataclass(frozen=True)
class ServiceType:
    """One service citizens can order.

    :param code: stable API identifier, snake_case (``car_moving``).
    :param name: Chinese name shown to citizens (``挪车``); ``name_en`` its English name.
    :param brand: the platform brand it is sold under (``无忧生活``, ``无忧解纷``, ``无忧舒心``).
    :param fields: the order form, in display order.
    :param pricing: how orders are quoted before dispatch.
    :param provider_kind: who may provide it.
    :param qualifications: documents a provider registers with to serve it.
    :param dispatch: SEQUENTIAL or BROADCAST with ``k``, and the accept timeout.
    :param check: cross-field checks run after each field is valid on its own; yields
        problems whose ``field`` is a form field code (or None for the whole form).
    :param rank: orders the candidates (best first); defaults to :func:`rank_default`.
    :param outcomes: possible results recorded at completion; when given, completing an
        order must name one (mediation: AGREEMENT_REACHED / NO_AGREEMENT).
    :param is_urgent: whether an order is an emergency (a crisis): it is flagged for the
        hotline's agents as it is placed.
    :param companion_kind: a second provider kind paired in on acceptance from the
        order's own neighbourhood (the community mediator beside a counsellor).
    :param example: a valid form for an order placed at the given moment (JSON, as a
        client sends it); shown to front-end teams and used by the contract tests.
    """

    code: str
    name: str
    name_en: str
    brand: str
    description: str
    fields: tuple[FormField, ...]
    pricing: Pricing
    provider_kind: ProviderKind = ProviderKind.COMMERCIAL
    qualifications: tuple[Qualification, ...] = ()
    dispatch: Dispatch = Dispatch()
    check: Check | None = None
    rank: Rank = rank_default
    outcomes: tuple[Choice, ...] = ()
    is_urgent: Callable[[Mapping[str, Any]], bool] | None = None
    companion_kind: ProviderKind | None = None
    example: Callable[[datetime], Mapping[str, Any]] | None = None

    def __post_init__(self) -> None:
        codes = [f.code for f in self.fields]
        if len(set(codes)) != len(codes):
            raise ValueError(f"service type {self.code!r} declares a form field twice")
        if not self.code.replace("_", "").isalnum() or not self.code.islower():
            raise ValueError(f"service type code {self.code!r} must be snake_case")

    def form_field(self, code: str) -> FormField | None:
        """The form field with ``code``."""
        return next((f for f in self.fields if f.code == code), None)

    def cross_check(self, values: Mapping[str, Any]) -> list[Problem]:
        """The problems :attr:`check` finds in cleaned ``values``, fields as ``form.<code>``."""
        if self.check is None:
            return []
        return [
            Problem(f"form.{p.field}" if p.field else "form", p.code, p.message)
            for p in self.check(values)
        ]

    def outcome(self, code: str) -> Choice | None:
        """The completion outcome with ``code``."""
        return next((o for o in self.outcomes if o.code == code), None)

    def choice_label(self, field: str, code: str) -> str:
        """The label of choice ``code`` of form field ``field``; ``code`` itself if none."""
        for spec in self.fields:
            if spec.code == field:
                return next((c.label for c in spec.choices if c.code == code), code)
        return code
