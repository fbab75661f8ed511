"""The work-order lifecycle as data: which action may move a ticket from which status to
which, and who may take it.

A plain table, checked by :func:`check`, so that the domain functions, the API's
documentation and the tests read the same rules::

    RECEIVED ─resolveAtIntake→ RESOLVED ─revisit(SATISFIED|BASICALLY_SATISFIED)→ CLOSED
        │                          ↑                └─revisit(UNSATISFIED)→ REOPENED ─sign→ …
        └─dispatch→ DISPATCHED ─sign→ IN_PROGRESS ─resolve→ ┘
                       │  └─return→ RETURNED ─dispatch→ DISPATCHED
                       └─transfer→ DISPATCHED (another department; it consents by signing)
    RECEIVED, DISPATCHED (a grid event) ─resolveOnSite→ CLOSED
    any open status ─merge→ MERGED (follows its master ticket and closes with it)
    RECEIVED, RETURNED, REOPENED ─referToMediation→ IN_MEDIATION (a dispute_mediation order)
        IN_MEDIATION ─the organisation's outcome→ RESOLVED
        IN_MEDIATION ─no organisation took it, or the order was cancelled→ RECEIVED

Urging, supervising, notes and extensions change no status and are allowed while a
ticket is open; so are desk marks and specialists' consultations (the three-way call).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from accounts.models import Role
from wuyou.errors import DomainError, ErrorCode, Forbidden


class TicketStatus(StrEnum):
    RECEIVED = "RECEIVED"
    DISPATCHED = "DISPATCHED"
    IN_PROGRESS = "IN_PROGRESS"
    RETURNED = "RETURNED"
    RESOLVED = "RESOLVED"
    REOPENED = "REOPENED"
    CLOSED = "CLOSED"
    MERGED = "MERGED"
    # Referred to a mediation organisation through a dispute_mediation order (热线+多元调解).
    IN_MEDIATION = "IN_MEDIATION"


class Action(StrEnum):
    RECEIVE = "RECEIVE"
    RESOLVE_AT_INTAKE = "RESOLVE_AT_INTAKE"
    RESOLVE_ON_SITE = "RESOLVE_ON_SITE"
    DISPATCH = "DISPATCH"
    SIGN = "SIGN"
    RETURN = "RETURN"
    RESOLVE = "RESOLVE"
    REVISIT = "REVISIT"
    TRANSFER = "TRANSFER"
    URGE = "URGE"
    SUPERVISE = "SUPERVISE"
    REQUEST_EXTENSION = "REQUEST_EXTENSION"
    DECIDE_EXTENSION = "DECIDE_EXTENSION"
    MERGE = "MERGE"
    ADD_NOTE = "ADD_NOTE"
    WARN = "WARN"
    SET_DESK = "SET_DESK"
    INVITE_SPECIALIST = "INVITE_SPECIALIST"
    JOIN_CONSULTATION = "JOIN_CONSULTATION"
    ANSWER_CONSULTATION = "ANSWER_CONSULTATION"
    DECLINE_CONSULTATION = "DECLINE_CONSULTATION"
    REFER_TO_MEDIATION = "REFER_TO_MEDIATION"
    # The platform records the progress of an order linked to the ticket (accepted, a
    # companion paired in, completed ...): no status changes.
    ORDER_UPDATE = "ORDER_UPDATE"
    MEDIATION_OUTCOME = "MEDIATION_OUTCOME"
    MEDIATION_FAILED = "MEDIATION_FAILED"


class Satisfaction(StrEnum):
    """The citizen's answer at the revisit (回访)."""

    SATISFIED = "SATISFIED"
    BASICALLY_SATISFIED = "BASICALLY_SATISFIED"
    UNSATISFIED = "UNSATISFIED"


#: Statuses in which a ticket still needs work (and has deadlines running).
OPEN = frozenset(
    {
        TicketStatus.RECEIVED,
        TicketStatus.DISPATCHED,
        TicketStatus.IN_PROGRESS,
        TicketStatus.RETURNED,
        TicketStatus.REOPENED,
        TicketStatus.IN_MEDIATION,
    }
)
#: Statuses with a department responsible for the ticket.
WITH_DEPARTMENT = frozenset(
    {TicketStatus.DISPATCHED, TicketStatus.IN_PROGRESS, TicketStatus.REOPENED}
)

_AGENTS = frozenset({Role.AGENT, Role.ADMIN})
_DEPARTMENTS = frozenset({Role.DEPARTMENT})
_PLATFORM: frozenset[Role] = frozenset()


@dataclass(frozen=True, slots=True)
class Transition:
    """Where an action may start, where it leads (None: the status stays), and who may act."""

    sources: frozenset[TicketStatus]
    target: TicketStatus | None
    roles: frozenset[Role]


TRANSITIONS: dict[Action, Transition] = {
    # Intake creates a ticket: no status leads to it, and check() refuses it on any ticket.
    Action.RECEIVE: Transition(
        frozenset(),
        TicketStatus.RECEIVED,
        _AGENTS | {Role.CITIZEN, Role.GRID_WORKER, Role.INTEGRATION},
    ),
    Action.RESOLVE_AT_INTAKE: Transition(
        frozenset({TicketStatus.RECEIVED}), TicketStatus.RESOLVED, _AGENTS
    ),
    # A grid worker settles the event they reported where it was found (就地解决), before
    # the body it was routed to has signed for it.
    Action.RESOLVE_ON_SITE: Transition(
        frozenset({TicketStatus.RECEIVED, TicketStatus.DISPATCHED}),
        TicketStatus.CLOSED,
        frozenset({Role.GRID_WORKER}),
    ),
    # A reopened ticket answered at intake has no department yet: the agents dispatch it.
    Action.DISPATCH: Transition(
        frozenset({TicketStatus.RECEIVED, TicketStatus.RETURNED, TicketStatus.REOPENED}),
        TicketStatus.DISPATCHED,
        _AGENTS,
    ),
    Action.SIGN: Transition(
        frozenset({TicketStatus.DISPATCHED, TicketStatus.REOPENED}),
        TicketStatus.IN_PROGRESS,
        _DEPARTMENTS,
    ),
    # A department returns a ticket once by itself; a second return needs a supervisor
    # (an administrator), see tickets.workflow.return_ticket.
    Action.RETURN: Transition(
        frozenset({TicketStatus.DISPATCHED}), TicketStatus.RETURNED, _DEPARTMENTS | {Role.ADMIN}
    ),
    Action.RESOLVE: Transition(
        frozenset({TicketStatus.IN_PROGRESS}), TicketStatus.RESOLVED, _DEPARTMENTS
    ),
    # The target depends on the answer: see :func:`revisit_target`.
    Action.REVISIT: Transition(frozenset({TicketStatus.RESOLVED}), TicketStatus.CLOSED, _AGENTS),
    Action.TRANSFER: Transition(
        frozenset({TicketStatus.DISPATCHED, TicketStatus.IN_PROGRESS}),
        TicketStatus.DISPATCHED,
        _AGENTS | _DEPARTMENTS,
    ),
    Action.URGE: Transition(WITH_DEPARTMENT, None, _AGENTS),
    Action.SUPERVISE: Transition(WITH_DEPARTMENT, None, _AGENTS),
    Action.REQUEST_EXTENSION: Transition(frozenset({TicketStatus.IN_PROGRESS}), None, _DEPARTMENTS),
    Action.DECIDE_EXTENSION: Transition(frozenset({TicketStatus.IN_PROGRESS}), None, _AGENTS),
    # A ticket in mediation has a live order: it leaves mediation before it can be merged.
    Action.MERGE: Transition(OPEN - {TicketStatus.IN_MEDIATION}, TicketStatus.MERGED, _AGENTS),
    # The sweeper's deadline warning (YELLOW, RED): the platform's alone, announced live to
    # subscribers and kept on the ticket, not recorded in its history.
    Action.WARN: Transition(OPEN | {TicketStatus.RESOLVED}, None, _PLATFORM),
    Action.ADD_NOTE: Transition(
        OPEN | {TicketStatus.RESOLVED}, None, _AGENTS | _DEPARTMENTS | {Role.GRID_WORKER}
    ),
    # The enterprise service desk (企业服务专席) or the government-integrity desk.
    Action.SET_DESK: Transition(OPEN, None, _AGENTS),
    # The three-way call: an agent brings a policy specialist onto the ticket, who answers.
    Action.INVITE_SPECIALIST: Transition(OPEN | {TicketStatus.RESOLVED}, None, _AGENTS),
    # The invited specialist joins the call, answers, or declines.
    Action.JOIN_CONSULTATION: Transition(
        OPEN | {TicketStatus.RESOLVED}, None, frozenset({Role.SPECIALIST})
    ),
    Action.ANSWER_CONSULTATION: Transition(
        OPEN | {TicketStatus.RESOLVED}, None, frozenset({Role.SPECIALIST})
    ),
    Action.DECLINE_CONSULTATION: Transition(
        OPEN | {TicketStatus.RESOLVED}, None, frozenset({Role.SPECIALIST})
    ),
    Action.REFER_TO_MEDIATION: Transition(
        frozenset({TicketStatus.RECEIVED, TicketStatus.RETURNED, TicketStatus.REOPENED}),
        TicketStatus.IN_MEDIATION,
        _AGENTS,
    ),
    # Platform steps, taken when a linked order moves (see tickets.mediation).
    Action.ORDER_UPDATE: Transition(OPEN | {TicketStatus.RESOLVED}, None, _PLATFORM),
    Action.MEDIATION_OUTCOME: Transition(
        frozenset({TicketStatus.IN_MEDIATION}), TicketStatus.RESOLVED, _PLATFORM
    ),
    Action.MEDIATION_FAILED: Transition(
        frozenset({TicketStatus.IN_MEDIATION}), TicketStatus.RECEIVED, _PLATFORM
    ),
}


def revisit_target(answer: Satisfaction) -> TicketStatus:
    """CLOSED when the citizen is (basically) satisfied; REOPENED (重办) otherwise."""
    return TicketStatus.REOPENED if answer is Satisfaction.UNSATISFIED else TicketStatus.CLOSED


def check(action: Action, status: TicketStatus, role: Role) -> TicketStatus:
    """The status ``action`` leads to from ``status`` (the same one if it changes none).

    Raises :class:`Forbidden` when ``role`` may not take the action at all, and
    :class:`DomainError` INVALID_STATE when the ticket's status does not allow it.
    """
    transition = TRANSITIONS[action]
    if role not in transition.roles:
        raise Forbidden(f"{role.value} accounts cannot {action.value} a ticket.")
    if status not in transition.sources:
        allowed = "、".join(sorted(s.value for s in transition.sources)) or "无"
        raise DomainError(
            ErrorCode.INVALID_STATE,
            f"工单状态为 {status.value}，不能执行 {action.value}（仅限 {allowed}）。",
            "number",
        )
    return transition.target or status
