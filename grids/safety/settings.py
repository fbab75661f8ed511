"""The safety index's weights and scales: the documented defaults, the settings
administrators change (ADMIN only), and their checks.

Like the SLA policy (:mod:`tickets.policy`), the settings are stored by name in one row
(:class:`~grids.models.SafetyIndexSetting`) as the API spells them: ``weight.DISPUTES``,
``scale.ECOLOGY``, ``curve.ECOLOGY``, ``kindWeight.COMPLAINT``, ``urgencyWeight.URGENT``,
``partWeight.INCIDENTS``, ``populationFloor``. A setting not stored takes its default.
A change names the version it was made against and is saved whole with a conditional
update on that version, so two administrators cannot overwrite each other unseen.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from tortoise.exceptions import IntegrityError

from accounts.models import Role
from accounts.service import Principal, require_role
from grids.models import SafetyIndexSetting
from tickets.models import SafetyDimension
from tickets.sla import TicketKind, Urgency
from wuyou import clock
from wuyou.errors import DomainError, ErrorCode, Problem

log = logging.getLogger(__name__)

#: The id of the one row holding the settings.
SAFETY_SETTING_ID = 1


class Curve(StrEnum):
    """How a dimension's incident rate becomes a score (``scale`` is its parameter)."""

    # 100 × exp(−rate / scale): never quite 0; 36.8 at rate = scale.
    EXPONENTIAL = "EXPONENTIAL"
    # 100 × max(0, 1 − rate / scale): 0 from rate = scale on.
    LINEAR = "LINEAR"


class ScorePart(StrEnum):
    """The parts of a dimension's score that come from the platform's own tickets."""

    INCIDENTS = "INCIDENTS"  # weighted tickets per 10,000 residents per year
    ON_TIME = "ON_TIME"  # share of tickets due that were completed on time
    SATISFACTION = "SATISFACTION"  # share of revisits that found the citizen satisfied
    REPEATS = "REPEATS"  # share of tickets that were not a repeated report


DIMENSION_NAMES: Mapping[SafetyDimension, str] = {
    SafetyDimension.PUBLIC_ORDER: "社会治安",
    SafetyDimension.DISPUTES: "矛盾纠纷",
    SafetyDimension.PRODUCTION_SAFETY: "生产安全",
    SafetyDimension.ECOLOGY: "生态环境",
    SafetyDimension.POLITICAL_SECURITY: "政治安全",
    SafetyDimension.FOOD_DRUG_SAFETY: "食药安全",
    SafetyDimension.ECONOMIC_SECURITY: "经济安全",
    SafetyDimension.SOCIAL_SERVICES: "社会服务",
}
PART_NAMES: Mapping[ScorePart, str] = {
    ScorePart.INCIDENTS: "案件发生率",
    ScorePart.ON_TIME: "按时办结",
    ScorePart.SATISFACTION: "群众满意",
    ScorePart.REPEATS: "重复诉求",
}


@dataclass(frozen=True, slots=True)
class SafetySettings:
    """Every number of the formula (see docs/safety-index.md)."""

    #: Each dimension's weight in the overall score.
    dimension_weights: Mapping[SafetyDimension, float]
    #: Each dimension's scale: the yearly rate per 10,000 residents at which its incident
    #: score is 100/e (EXPONENTIAL) or 0 (LINEAR).
    scales: Mapping[SafetyDimension, float]
    curves: Mapping[SafetyDimension, Curve]
    #: How much one ticket of a kind counts, and how its urgency multiplies that.
    kind_weights: Mapping[TicketKind, float]
    urgency_weights: Mapping[Urgency, float]
    #: Each part's weight in a dimension's score; plugins' indicators bring their own.
    part_weights: Mapping[ScorePart, float]
    #: Rates are per this many residents at least: a dedicated grid (a station, a market)
    #: with a handful of residents, or an area without population figures, is not divided
    #: by next to nothing.
    population_floor: int


#: The settings of a city that configured nothing. The scales put the demo city's year
#: of tickets near 80 on every dimension (bench/README.md).
DEFAULT_SETTINGS = SafetySettings(
    dimension_weights={
        SafetyDimension.PUBLIC_ORDER: 0.20,
        SafetyDimension.DISPUTES: 0.15,
        SafetyDimension.PRODUCTION_SAFETY: 0.15,
        SafetyDimension.ECOLOGY: 0.10,
        SafetyDimension.POLITICAL_SECURITY: 0.10,
        SafetyDimension.FOOD_DRUG_SAFETY: 0.10,
        SafetyDimension.ECONOMIC_SECURITY: 0.10,
        SafetyDimension.SOCIAL_SERVICES: 0.10,
    },
    scales={
        SafetyDimension.PUBLIC_ORDER: 300.0,
        SafetyDimension.DISPUTES: 500.0,
        SafetyDimension.PRODUCTION_SAFETY: 300.0,
        SafetyDimension.ECOLOGY: 300.0,
        SafetyDimension.POLITICAL_SECURITY: 10.0,
        SafetyDimension.FOOD_DRUG_SAFETY: 120.0,
        SafetyDimension.ECONOMIC_SECURITY: 180.0,
        SafetyDimension.SOCIAL_SERVICES: 1100.0,
    },
    curves=dict.fromkeys(SafetyDimension, Curve.EXPONENTIAL),
    kind_weights={
        TicketKind.COMPLAINT: 1.0,
        TicketKind.REPORT: 1.0,
        TicketKind.REQUEST: 0.5,
        TicketKind.CONSULTATION: 0.2,
        TicketKind.SUGGESTION: 0.2,
        TicketKind.PRAISE: 0.0,
    },
    urgency_weights={Urgency.NORMAL: 1.0, Urgency.URGENT: 2.0, Urgency.CRITICAL: 4.0},
    part_weights={
        ScorePart.INCIDENTS: 0.6,
        ScorePart.ON_TIME: 0.15,
        ScorePart.SATISFACTION: 0.15,
        ScorePart.REPEATS: 0.1,
    },
    population_floor=500,
)


@dataclass(frozen=True, slots=True)
class _Range:
    low: float
    high: float
    whole: bool = False


#: Each numeric setting's lowest and highest value.
SETTING_RANGES: Mapping[str, _Range] = {
    **{f"weight.{d}": _Range(0, 100) for d in SafetyDimension},
    **{f"scale.{d}": _Range(0.01, 1_000_000) for d in SafetyDimension},
    **{f"kindWeight.{k}": _Range(0, 10) for k in TicketKind},
    **{f"urgencyWeight.{u}": _Range(0, 10) for u in Urgency},
    **{f"partWeight.{p}": _Range(0, 100) for p in ScorePart},
    "populationFloor": _Range(1, 1_000_000, whole=True),
}
#: The settings that name a curve.
CURVE_SETTINGS = frozenset(f"curve.{d}" for d in SafetyDimension)
SETTING_NAMES = frozenset(SETTING_RANGES) | CURVE_SETTINGS

Value = float | int | str


@dataclass(frozen=True, slots=True)
class StoredSafetySettings:
    """The settings in force, and which change made them (version 0: the defaults,
    never changed)."""

    settings: SafetySettings
    version: int
    updated_at: datetime | None
    updated_by: str | None


def named(settings: SafetySettings) -> dict[str, Value]:
    """Every setting by name."""
    return {
        **{f"weight.{d}": w for d, w in settings.dimension_weights.items()},
        **{f"scale.{d}": s for d, s in settings.scales.items()},
        **{f"curve.{d}": c.value for d, c in settings.curves.items()},
        **{f"kindWeight.{k}": w for k, w in settings.kind_weights.items()},
        **{f"urgencyWeight.{u}": w for u, w in settings.urgency_weights.items()},
        **{f"partWeight.{p}": w for p, w in settings.part_weights.items()},
        "populationFloor": settings.population_floor,
    }


def settings_of(values: Mapping[str, Value]) -> SafetySettings:
    """The defaults with ``values`` (valid settings by name) put in."""
    merged = {**named(DEFAULT_SETTINGS), **values}
    return SafetySettings(
        dimension_weights={d: float(merged[f"weight.{d}"]) for d in SafetyDimension},
        scales={d: float(merged[f"scale.{d}"]) for d in SafetyDimension},
        curves={d: Curve(str(merged[f"curve.{d}"])) for d in SafetyDimension},
        kind_weights={k: float(merged[f"kindWeight.{k}"]) for k in TicketKind},
        urgency_weights={u: float(merged[f"urgencyWeight.{u}"]) for u in Urgency},
        part_weights={p: float(merged[f"partWeight.{p}"]) for p in ScorePart},
        population_floor=int(merged["populationFloor"]),
    )


def _problem(name: str, value: object) -> Problem | None:
    """What is wrong with ``value`` for the setting ``name``; None when it will do."""
    if name not in SETTING_NAMES:
        return Problem(name, ErrorCode.UNKNOWN_FIELD, f"没有设置项 {name!r}。")
    if name in CURVE_SETTINGS:
        if value in tuple(Curve):
            return None
        choices = "、".join(Curve)
        return Problem(name, ErrorCode.INVALID_CHOICE, f"应为 {choices} 之一。")
    spec = SETTING_RANGES[name]
    number_types = (int,) if spec.whole else (int, float)
    if (
        isinstance(value, bool)
        or not isinstance(value, number_types)
        or not math.isfinite(value)
        or not spec.low <= value <= spec.high
    ):
        kind = "整数" if spec.whole else ""
        return Problem(
            name, ErrorCode.OUT_OF_RANGE, f"应为 {spec.low:g}–{spec.high:g} 的{kind}数值。"
        )
    return None


def stored_values(stored: object) -> dict[str, Value]:
    """The valid settings of a stored row; one that is not is logged and left out, so its
    default applies."""
    if not isinstance(stored, dict):
        log.warning("safety index settings ignored: %r", stored)
        return {}
    valid = {name: value for name, value in stored.items() if _problem(name, value) is None}
    if len(valid) < len(stored):
        ignored = {name: stored[name] for name in stored.keys() - valid}
        log.warning("safety index settings ignored: %r", ignored)
    return valid


def _consistency_problems(settings: SafetySettings) -> list[Problem]:
    """How settings whose each value is in range contradict each other."""
    problems = []
    if not any(settings.dimension_weights.values()):
        problems.append(
            Problem(
                f"weight.{SafetyDimension.PUBLIC_ORDER}",
                ErrorCode.INVALID,
                "至少一个维度的权重应大于 0。",
            )
        )
    if settings.part_weights[ScorePart.INCIDENTS] <= 0:
        problems.append(
            Problem(
                f"partWeight.{ScorePart.INCIDENTS}",
                ErrorCode.INVALID,
                "案件发生率的权重应大于 0：没有其他数据的维度只能由它计分。",
            )
        )
    return problems


async def load_safety_settings() -> StoredSafetySettings:
    """The settings in force: the defaults with what administrators changed (one query,
    no cache, so every worker agrees at once)."""
    rows = await SafetyIndexSetting.filter(id=SAFETY_SETTING_ID).values(
        "settings", "version", "updated_at", "updated_by__username"
    )
    if not rows:
        return StoredSafetySettings(DEFAULT_SETTINGS, 0, None, None)
    row = rows[0]
    return StoredSafetySettings(
        settings_of(stored_values(row["settings"])),
        row["version"],
        row["updated_at"],
        row["updated_by__username"],
    )


async def update_safety_settings(
    *, actor: Principal | None, version: int, changes: Mapping[str, Value | None]
) -> StoredSafetySettings:
    """Change the settings named in ``changes`` (None restores a default) and record who
    did and when; the settings now in force.

    ``version`` is the version the change was made against (0 while the defaults were
    never changed). Weights are 0–100 (parts and dimensions) or 0–10 (kinds and
    urgencies), scales 0.01–1,000,000, the population floor a whole 1–1,000,000
    (OUT_OF_RANGE); a curve is EXPONENTIAL or LINEAR (INVALID_CHOICE); an unknown name is
    UNKNOWN_FIELD. Some dimension must weigh more than 0, and so must the incident part
    (INVALID). Raises every problem at once, and INVALID_STATE on ``version`` when the
    settings are no longer at that version (another administrator saved meanwhile).
    """
    actor = require_role(actor, Role.ADMIN)
    problems = [
        problem
        for name, value in changes.items()
        if (value is not None or name not in SETTING_NAMES)
        and (problem := _problem(name, value)) is not None
    ]
    if problems:
        raise DomainError.of(problems)
    rows = await SafetyIndexSetting.filter(id=SAFETY_SETTING_ID).values("settings", "version")
    current = rows[0]["version"] if rows else 0
    if version != current:
        raise _conflict()
    merged: dict[str, Any] = {**stored_values(rows[0]["settings"] if rows else {}), **changes}
    values = {name: value for name, value in merged.items() if value is not None}
    problems = _consistency_problems(settings_of(values))
    if problems:
        raise DomainError.of(problems)
    now = clock.now()
    columns: dict[str, Any] = {
        "settings": values,
        "updated_at": now,
        "updated_by_id": actor.account_id,
    }
    if not rows:
        try:
            await SafetyIndexSetting.create(id=SAFETY_SETTING_ID, version=1, **columns)
            saved = True
        except IntegrityError:
            saved = False
    else:
        saved = bool(
            await SafetyIndexSetting.filter(id=SAFETY_SETTING_ID, version=current).update(
                version=current + 1, **columns
            )
        )
    if not saved:
        raise _conflict()
    log.info("safety index settings v%d saved by %s: %r", current + 1, actor.username, changes)
    return StoredSafetySettings(settings_of(values), current + 1, now, actor.username)


def _conflict() -> DomainError:
    return DomainError(
        ErrorCode.INVALID_STATE, "平安指数设置已被他人修改，请刷新后重试。", "version"
    )
