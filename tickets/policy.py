"""Administering the SLA policy (ADMIN only): the numbers every deadline is set with.

The policy is stored as the settings that differ from the built-in defaults
(:data:`tickets.sla.DEFAULT_POLICY`), by name: ``completeDays.COMPLAINT``, ``replyDays``,
``criticalSignMinutes`` ... as the API spells them. Changes apply to deadlines set after
them; tickets keep the deadlines they were given.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from tortoise.exceptions import IntegrityError

from accounts.models import Role
from accounts.service import Principal, require_role
from tickets.admin import MAX_CATEGORY_DAYS, UNCHANGED, Unchanged
from tickets.models import SlaSetting
from tickets.sla import SlaPolicy, TicketKind, policy_of
from wuyou import clock
from wuyou.errors import DomainError, ErrorCode, Problem

log = logging.getLogger(__name__)

#: The id of the one row holding the settings.
SLA_SETTING_ID = 1
_DAYS, _SHORT_DAYS = (1, MAX_CATEGORY_DAYS), (1, 10)
#: Each setting's lowest and highest value, and its unit. All but ``warningShare`` (the
#: share of its time after which a deadline turns YELLOW) are whole numbers.
SETTING_RANGES: Mapping[str, tuple[int | float, int | float, str]] = {
    **{f"completeDays.{kind}": (*_DAYS, " 个工作日") for kind in TicketKind},
    "replyDays": (*_DAYS, " 个工作日"),
    "signDays": (*_SHORT_DAYS, " 个工作日"),
    "returnDays": (*_SHORT_DAYS, " 个工作日"),
    "revisitDays": (*_SHORT_DAYS, " 个工作日"),
    "criticalCompleteMinutes": (30, 24 * 60, " 分钟"),
    "criticalSignMinutes": (1, 24 * 60, " 分钟"),
    "urgentSignMinutes": (1, 8 * 60, " 分钟"),
    "warningShare": (0.5, 0.95, ""),
}
_FRACTIONAL = frozenset({"warningShare"})


@dataclass(frozen=True, slots=True)
class SlaPolicyChanges:
    """What to change of the SLA policy: a field left :data:`~tickets.admin.UNCHANGED`
    stays, None restores the built-in default. ``complete_days`` names only the kinds to
    change (None for a kind: its default)."""

    complete_days: Mapping[TicketKind, int | None] = field(default_factory=dict)
    reply_days: int | Unchanged | None = UNCHANGED
    sign_days: int | Unchanged | None = UNCHANGED
    return_days: int | Unchanged | None = UNCHANGED
    revisit_days: int | Unchanged | None = UNCHANGED
    critical_complete_minutes: int | Unchanged | None = UNCHANGED
    critical_sign_minutes: int | Unchanged | None = UNCHANGED
    urgent_sign_minutes: int | Unchanged | None = UNCHANGED
    warning_share: float | Unchanged | None = UNCHANGED

    def by_name(self) -> dict[str, int | float | None]:
        """The settings to change by name; None restores the default."""
        named = {
            **{f"completeDays.{kind}": days for kind, days in self.complete_days.items()},
            "replyDays": self.reply_days,
            "signDays": self.sign_days,
            "returnDays": self.return_days,
            "revisitDays": self.revisit_days,
            "criticalCompleteMinutes": self.critical_complete_minutes,
            "criticalSignMinutes": self.critical_sign_minutes,
            "urgentSignMinutes": self.urgent_sign_minutes,
            "warningShare": self.warning_share,
        }
        return {name: value for name, value in named.items() if not isinstance(value, Unchanged)}


def _in_range(name: str, value: object) -> bool:
    """Whether ``value`` is a number the setting ``name`` may take."""
    if name not in SETTING_RANGES or isinstance(value, bool):
        return False
    if not isinstance(value, (int, float) if name in _FRACTIONAL else int):
        return False
    low, high, _ = SETTING_RANGES[name]
    return low <= value <= high


def _range_problem(name: str) -> Problem:
    low, high, unit = SETTING_RANGES[name]
    return Problem(name, ErrorCode.OUT_OF_RANGE, f"应为 {low}–{high}{unit}。")


def stored_settings(stored: object) -> dict[str, int | float]:
    """The valid settings of a stored row; a setting that is not is logged and left out,
    so its default applies."""
    if not isinstance(stored, dict):
        log.warning("SLA settings ignored: %r", stored)
        return {}
    valid = {name: value for name, value in stored.items() if _in_range(name, value)}
    if len(valid) < len(stored):
        log.warning("SLA settings ignored: %r", {n: stored[n] for n in stored.keys() - valid})
    return valid


def _consistency_problems(policy: SlaPolicy) -> list[Problem]:
    """How the numbers of a policy whose each number is in range contradict each other."""
    problems = []
    shortest = min(policy.complete_days.values())
    if policy.reply_days > shortest:
        problems.append(
            Problem(
                "replyDays",
                ErrorCode.INVALID,
                f"答复时限不能长于任何类别的办结时限（最短 {shortest} 个工作日）。",
            )
        )
    if policy.critical_sign > policy.critical_complete:
        problems.append(
            Problem(
                "criticalSignMinutes", ErrorCode.INVALID, "特急工单的签收时限不能长于其办结时限。"
            )
        )
    return problems


async def update_sla_policy(*, actor: Principal | None, changes: SlaPolicyChanges) -> SlaPolicy:
    """Change the SLA policy and record who changed it and when; the policy it is now.

    Days to complete (each kind) and to reply are 1..60 working days, to sign, return and
    revisit 1..10; a CRITICAL ticket is completed within 30 minutes..24 hours and signed
    for no later, an URGENT one signed for within 8 hours (OUT_OF_RANGE); a deadline turns
    YELLOW after 0.5..0.95 of its time (OUT_OF_RANGE). The reply may take no longer than
    any kind's completion, and a CRITICAL ticket's signing no longer than its completion
    (INVALID). Raises every problem at once, and INVALID_STATE when another administrator
    changed the policy meanwhile. Deadlines set from now on follow the new policy;
    those already set stay.
    """
    actor = require_role(actor, Role.ADMIN)
    rows = await SlaSetting.filter(id=SLA_SETTING_ID).values("settings", "version")
    version = rows[0]["version"] if rows else None
    changed = changes.by_name()
    problems = [
        _range_problem(name)
        for name, value in changed.items()
        if value is not None and not _in_range(name, value)
    ]
    if problems:
        raise DomainError.of(problems)
    merged: dict[str, Any] = {**stored_settings(rows[0]["settings"] if rows else {}), **changed}
    settings = {name: value for name, value in merged.items() if value is not None}
    policy = policy_of(settings)
    problems = _consistency_problems(policy)
    if problems:
        raise DomainError.of(problems)
    columns: dict[str, Any] = {
        "settings": settings,
        "updated_at": clock.now(),
        "updated_by_id": actor.account_id,
    }
    if version is None:
        try:
            await SlaSetting.create(id=SLA_SETTING_ID, version=1, **columns)
            saved = True
        except IntegrityError:
            saved = False
    else:
        saved = bool(
            await SlaSetting.filter(id=SLA_SETTING_ID, version=version).update(
                version=version + 1, **columns
            )
        )
    if not saved:
        raise DomainError(ErrorCode.INVALID_STATE, "时限规则已被他人修改，请刷新后重试。")
    return policy
