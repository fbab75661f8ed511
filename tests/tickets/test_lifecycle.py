"""The lifecycle table: every action from every status, for every role."""

from __future__ import annotations

import pytest

from accounts.models import Role
from tickets.lifecycle import (
    OPEN,
    TRANSITIONS,
    Action,
    Satisfaction,
    TicketStatus,
    check,
    revisit_target,
)
from wuyou.errors import DomainError, ErrorCode, Forbidden

S = TicketStatus

#: The work order's path as wuhai.md and the issue describe it, step by step.
HAPPY_PATH = [
    (Action.DISPATCH, Role.AGENT, S.RECEIVED, S.DISPATCHED),
    (Action.SIGN, Role.DEPARTMENT, S.DISPATCHED, S.IN_PROGRESS),
    (Action.RESOLVE, Role.DEPARTMENT, S.IN_PROGRESS, S.RESOLVED),
    (Action.REVISIT, Role.AGENT, S.RESOLVED, S.CLOSED),
]


@pytest.mark.parametrize(("action", "role", "source", "target"), HAPPY_PATH)
def test_the_ordinary_path(action: Action, role: Role, source: S, target: S) -> None:
    assert check(action, source, role) is target


def test_return_redispatch_reopen_and_transfer() -> None:
    assert check(Action.RETURN, S.DISPATCHED, Role.DEPARTMENT) is S.RETURNED
    assert check(Action.DISPATCH, S.RETURNED, Role.AGENT) is S.DISPATCHED
    assert revisit_target(Satisfaction.UNSATISFIED) is S.REOPENED
    assert revisit_target(Satisfaction.BASICALLY_SATISFIED) is S.CLOSED
    assert check(Action.SIGN, S.REOPENED, Role.DEPARTMENT) is S.IN_PROGRESS
    assert check(Action.TRANSFER, S.IN_PROGRESS, Role.DEPARTMENT) is S.DISPATCHED
    assert check(Action.RESOLVE_AT_INTAKE, S.RECEIVED, Role.AGENT) is S.RESOLVED
    assert check(Action.URGE, S.DISPATCHED, Role.AGENT) is S.DISPATCHED


@pytest.mark.parametrize("action", [a for a in Action if TRANSITIONS[a].roles])
@pytest.mark.parametrize("status", list(TicketStatus))
def test_every_illegal_transition_is_refused_with_invalid_state(
    action: Action, status: TicketStatus
) -> None:
    transition = TRANSITIONS[action]
    role = next(iter(sorted(transition.roles)))
    if status in transition.sources:
        assert check(action, status, role) is (transition.target or status)
    else:
        with pytest.raises(DomainError) as refused:
            check(action, status, role)
        assert refused.value.code is ErrorCode.INVALID_STATE


@pytest.mark.parametrize("action", [a for a in Action if a is not Action.RECEIVE])
def test_roles_outside_an_action_are_forbidden(action: Action) -> None:
    outsiders = set(Role) - TRANSITIONS[action].roles
    assert Role.CITIZEN in outsiders and Role.MERCHANT in outsiders
    for role in outsiders:
        with pytest.raises(Forbidden):
            check(action, next(iter(TRANSITIONS[action].sources)), role)


def test_closed_and_merged_tickets_take_no_action() -> None:
    for action, transition in TRANSITIONS.items():
        assert S.CLOSED not in transition.sources, action
        assert S.MERGED not in transition.sources, action
    assert S.CLOSED not in OPEN and S.RESOLVED not in OPEN
