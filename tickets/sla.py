"""Deadlines (SLA) of a ticket from its kind, urgency and category, and how late it runs.

Pure: the policy is data (a city's administrators configure it, see
:mod:`tickets.policy`), time comes in as arguments, and working days come from a
:class:`~tickets.calendar.WorkingCalendar`.

Defaults, as the hotline's rules state them: a CRITICAL ticket is completed within 2
hours and an URGENT one the same working day; otherwise a consultation within 3 working
days and requests, complaints and reports within 5. A department signs for (签收) a
ticket within 1 working day, may return (退单) it within 2, and the citizen is revisited
(回访) within 1 working day of resolution. A category may shorten or lengthen the reply
and completion deadlines; urgency only ever shortens them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum

from tickets.calendar import WorkingCalendar


class TicketKind(StrEnum):
    CONSULTATION = "CONSULTATION"
    REQUEST = "REQUEST"
    COMPLAINT = "COMPLAINT"
    REPORT = "REPORT"
    SUGGESTION = "SUGGESTION"
    PRAISE = "PRAISE"


class Urgency(StrEnum):
    NORMAL = "NORMAL"
    URGENT = "URGENT"
    CRITICAL = "CRITICAL"


class SlaWarning(StrEnum):
    """How late a deadline runs: NONE, YELLOW once the policy's share of the time has
    passed (80% by default), RED once overdue."""

    NONE = "NONE"
    YELLOW = "YELLOW"
    RED = "RED"


@dataclass(frozen=True, slots=True)
class SlaPolicy:
    """The numbers behind every deadline; a city configures its own."""

    complete_days: Mapping[TicketKind, int] = field(
        default_factory=lambda: {
            TicketKind.CONSULTATION: 3,
            TicketKind.REQUEST: 5,
            TicketKind.COMPLAINT: 5,
            TicketKind.REPORT: 5,
            TicketKind.SUGGESTION: 5,
            TicketKind.PRAISE: 3,
        }
    )
    #: The first reply to the citizen, unless the category says otherwise (capped by completion).
    reply_days: int = 2
    sign_days: int = 1
    return_days: int = 2
    revisit_days: int = 1
    critical_complete: timedelta = timedelta(hours=2)
    critical_sign: timedelta = timedelta(minutes=30)
    urgent_sign: timedelta = timedelta(hours=2)
    #: The share of the time allowed after which a deadline turns YELLOW.
    warning_share: float = 0.8


#: The policy of a city that configured nothing.
DEFAULT_POLICY = SlaPolicy()


def minutes(duration: timedelta) -> int:
    """A duration in whole minutes."""
    return duration // timedelta(minutes=1)


def settings_of(policy: SlaPolicy) -> dict[str, int | float]:
    """The policy's numbers by the names administrators set them with
    (``completeDays.COMPLAINT``, ``replyDays``, ``criticalSignMinutes`` ...)."""
    return {
        **{f"completeDays.{kind}": days for kind, days in policy.complete_days.items()},
        "replyDays": policy.reply_days,
        "signDays": policy.sign_days,
        "returnDays": policy.return_days,
        "revisitDays": policy.revisit_days,
        "criticalCompleteMinutes": minutes(policy.critical_complete),
        "criticalSignMinutes": minutes(policy.critical_sign),
        "urgentSignMinutes": minutes(policy.urgent_sign),
        "warningShare": policy.warning_share,
    }


def policy_of(settings: Mapping[str, int | float]) -> SlaPolicy:
    """The default policy with ``settings`` (named as by :func:`settings_of`) in place of
    its numbers."""
    value = {**settings_of(DEFAULT_POLICY), **settings}
    return SlaPolicy(
        complete_days={kind: int(value[f"completeDays.{kind}"]) for kind in TicketKind},
        reply_days=int(value["replyDays"]),
        sign_days=int(value["signDays"]),
        return_days=int(value["returnDays"]),
        revisit_days=int(value["revisitDays"]),
        critical_complete=timedelta(minutes=value["criticalCompleteMinutes"]),
        critical_sign=timedelta(minutes=value["criticalSignMinutes"]),
        urgent_sign=timedelta(minutes=value["urgentSignMinutes"]),
        warning_share=float(value["warningShare"]),
    )


@dataclass(frozen=True, slots=True)
class Deadlines:
    """When the department must sign for, reply to and complete a ticket."""

    sign: datetime
    reply: datetime
    complete: datetime


def deadlines(
    *,
    dispatched_at: datetime,
    received_at: datetime,
    kind: TicketKind,
    urgency: Urgency,
    calendar: WorkingCalendar,
    policy: SlaPolicy = DEFAULT_POLICY,
    category_reply_days: int | None = None,
    category_complete_days: int | None = None,
) -> Deadlines:
    """The deadlines of a ticket received at ``received_at`` and dispatched at
    ``dispatched_at``: signing runs from the dispatch, reply and completion from receipt."""
    complete_days = category_complete_days or policy.complete_days[kind]
    reply_days = min(category_reply_days or policy.reply_days, complete_days)
    if kind is TicketKind.CONSULTATION and category_reply_days is None:
        reply_days = complete_days  # the answer is the reply
    complete = calendar.add_working_days(received_at, complete_days)
    reply = calendar.add_working_days(received_at, reply_days)
    sign = calendar.add_working_days(dispatched_at, policy.sign_days)
    if urgency is Urgency.URGENT:
        complete = min(complete, calendar.add_working_days(received_at, 0))
        reply = min(reply, complete)
        sign = min(sign, dispatched_at + policy.urgent_sign)
    elif urgency is Urgency.CRITICAL:
        complete = min(complete, received_at + policy.critical_complete)
        reply = min(reply, complete)
        sign = min(sign, dispatched_at + policy.critical_sign)
    return Deadlines(sign=min(sign, complete), reply=reply, complete=complete)


def return_deadline(
    dispatched_at: datetime, calendar: WorkingCalendar, policy: SlaPolicy = DEFAULT_POLICY
) -> datetime:
    """Until when a department may return (退单) a ticket dispatched to it."""
    return calendar.add_working_days(dispatched_at, policy.return_days)


def revisit_deadline(
    resolved_at: datetime, calendar: WorkingCalendar, policy: SlaPolicy = DEFAULT_POLICY
) -> datetime:
    """Until when the citizen must be revisited (回访) after resolution."""
    return calendar.add_working_days(resolved_at, policy.revisit_days)


def warning(
    start: datetime, deadline: datetime, now: datetime, policy: SlaPolicy = DEFAULT_POLICY
) -> SlaWarning:
    """RED once ``deadline`` has passed, YELLOW once the policy's share of the time from
    ``start`` to it has, NONE before."""
    if now >= deadline:
        return SlaWarning.RED
    if now >= start + (deadline - start) * policy.warning_share:
        return SlaWarning.YELLOW
    return SlaWarning.NONE


@dataclass(frozen=True, slots=True)
class Watch:
    """The deadline that runs now, how late the ticket is against it, and when the sweeper
    must next look (``check_at``).

    As :func:`watch` judges it at a moment, the next look is the yellow point while
    NONE, the deadline while YELLOW, and never once RED: this is what a sweep stores,
    having just looked at the ticket (and supervised it if overdue). A step stores
    :meth:`after_step` instead, which asks for one look at once when RED: a ticket a
    step leaves overdue (re-dispatched past its completion deadline, say) is supervised
    by the next sweep, which then stores no next look until a step asks again.
    """

    due_at: datetime | None
    warning: SlaWarning
    check_at: datetime | None

    def after_step(self) -> Watch:
        """This watch as a step stores it: when RED, the next look is the deadline
        itself (already past, so the next sweep looks), else unchanged."""
        if self.warning is SlaWarning.RED:
            return replace(self, check_at=self.due_at)
        return self


UNWATCHED = Watch(due_at=None, warning=SlaWarning.NONE, check_at=None)


def watch(
    start: datetime, due: datetime | None, now: datetime, policy: SlaPolicy = DEFAULT_POLICY
) -> Watch:
    """The :class:`Watch` of a deadline ``due`` whose time began at ``start``, as a look
    at ``now`` finds it."""
    if due is None:
        return UNWATCHED
    level = warning(start, due, now, policy)
    if level is SlaWarning.NONE:
        check_at: datetime | None = start + (due - start) * policy.warning_share
    elif level is SlaWarning.YELLOW:
        check_at = due
    else:
        check_at = None
    return Watch(due_at=due, warning=level, check_at=check_at)
