"""The SLA policy administrators configure: read with the defaults filled in, changed
field by field, checked whole, and applied to deadlines set after the change.

The database is shared by the whole session and other tests assume the default policy:
every test that changes it puts back the row it found (fixture ``saved``, or in
``finally`` for the API test, which runs on the app's event loop).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.conftest import unique
from tests.graphql import data, error_codes, gql, in_app, login
from tests.tickets.desk import intake, principal, staff_of
from tickets import workflow
from tickets.catalogue import sla_policy, working_calendar
from tickets.models import SlaSetting, Ticket
from tickets.policy import SETTING_RANGES, SLA_SETTING_ID, SlaPolicyChanges, update_sla_policy
from tickets.records import TicketRecord, get_ticket
from tickets.sla import DEFAULT_POLICY, SlaWarning, TicketKind, settings_of
from tickets.sweeper import sweep_tickets
from wuyou import clock
from wuyou.clock import CITY_TIMEZONE, ManualClock
from wuyou.errors import DomainError, ErrorCode, Forbidden, Unauthenticated

#: A Monday years ahead that no other test's clock reaches.
MONDAY = datetime(2046, 3, 5, 9, 0, tzinfo=CITY_TIMEZONE)


async def _snapshot() -> dict[str, Any] | None:
    rows = await SlaSetting.filter(id=SLA_SETTING_ID).values()
    return rows[0] if rows else None


async def _restore(snapshot: dict[str, Any] | None) -> None:
    await SlaSetting.filter(id=SLA_SETTING_ID).delete()
    if snapshot is not None:
        await SlaSetting.create(**snapshot)


@pytest.fixture
async def saved(connected: str) -> AsyncIterator[None]:
    """The policy's row (or its absence) as the test found it, put back afterwards."""
    snapshot = await _snapshot()
    try:
        yield
    finally:
        await _restore(snapshot)


@pytest.fixture
def manual() -> Iterator[ManualClock]:
    moving = ManualClock(MONDAY)
    previous = clock.install(moving)
    try:
        yield moving
    finally:
        clock.install(previous)


async def _dispatched(title: str) -> TicketRecord:
    """A fresh complaint without a category (so the policy alone sets its deadlines),
    dispatched to the city's urban management."""
    ticket = await intake(title)
    return await workflow.dispatch(
        number=ticket.number, department_code="150300-CG", actor=await principal("demo-agent")
    )


async def _problems(changes: SlaPolicyChanges) -> list[tuple[str | None, ErrorCode]]:
    with pytest.raises(DomainError) as refused:
        await update_sla_policy(actor=await principal("demo-admin"), changes=changes)
    return [(p.field, p.code) for p in refused.value.problems]


@pytest.mark.usefixtures("saved")
async def test_without_a_row_the_policy_is_the_default() -> None:
    await SlaSetting.filter(id=SLA_SETTING_ID).delete()
    assert await sla_policy() == DEFAULT_POLICY


@pytest.mark.usefixtures("saved")
async def test_stored_settings_replace_defaults_and_invalid_ones_are_ignored() -> None:
    await _restore(None)
    admin = await principal("demo-admin")
    await SlaSetting.create(
        id=SLA_SETTING_ID,
        settings={
            "signDays": 3,
            "completeDays.REPORT": 9,
            "returnDays": "4",
            "revisitDays": 2.0,
            "warningShare": 1.5,
            "criticalCompleteMinutes": 20,
            "somethingElse": 1,
        },
        version=1,
        updated_at=MONDAY,
        updated_by_id=admin.account_id,
    )
    policy = await sla_policy()
    assert (policy.sign_days, policy.complete_days[TicketKind.REPORT]) == (3, 9)
    assert policy.complete_days[TicketKind.COMPLAINT] == 5
    assert (policy.return_days, policy.revisit_days) == (2, 1)
    assert policy.warning_share == 0.8
    assert policy.critical_complete == timedelta(hours=2)


@pytest.mark.usefixtures("saved")
async def test_a_change_applies_to_deadlines_set_after_it(manual: ManualClock) -> None:
    admin = await principal("demo-admin")
    staff = await staff_of("150300-CG")
    calendar = await working_calendar()
    before = await _dispatched(unique("政策前"))
    assert before.complete_deadline == calendar.add_working_days(before.received_at, 5)
    manual.advance(timedelta(minutes=10))
    policy = await update_sla_policy(
        actor=admin,
        changes=SlaPolicyChanges(
            complete_days={TicketKind.COMPLAINT: 10},
            sign_days=3,
            revisit_days=2,
            warning_share=0.5,
        ),
    )
    assert policy == await sla_policy()
    assert (policy.complete_days[TicketKind.COMPLAINT], policy.sign_days) == (10, 3)
    assert (policy.revisit_days, policy.warning_share) == (2, 0.5)
    assert policy.complete_days[TicketKind.REPORT] == 5 and policy.return_days == 2
    [row] = await SlaSetting.filter(id=SLA_SETTING_ID).values("updated_by_id", "updated_at")
    assert (row["updated_by_id"], row["updated_at"]) == (admin.account_id, manual.now())

    after = await _dispatched(unique("政策后"))
    assert after.dispatched_at is not None and after.sign_deadline is not None
    assert after.complete_deadline == calendar.add_working_days(after.received_at, 10)
    assert after.sign_deadline == calendar.add_working_days(after.dispatched_at, 3)
    halfway = after.dispatched_at + (after.sign_deadline - after.dispatched_at) * 0.5
    assert (await Ticket.get(id=after.id)).check_at == halfway
    unchanged = await get_ticket(before.number)
    assert unchanged is not None
    assert (unchanged.complete_deadline, unchanged.sign_deadline) == (
        before.complete_deadline,
        before.sign_deadline,
    )

    await workflow.sign(number=after.number, actor=staff)
    resolved = await workflow.resolve(number=after.number, reply="已处理。", actor=staff)
    assert resolved.resolved_at is not None
    assert resolved.revisit_deadline == calendar.add_working_days(resolved.resolved_at, 2)


@pytest.mark.usefixtures("saved")
async def test_the_sweep_turns_yellow_at_the_configured_share(manual: ManualClock) -> None:
    await update_sla_policy(
        actor=await principal("demo-admin"), changes=SlaPolicyChanges(warning_share=0.6)
    )
    ticket = await _dispatched(unique("预警比例"))
    assert ticket.dispatched_at and ticket.sign_deadline
    yellow_at = ticket.dispatched_at + (ticket.sign_deadline - ticket.dispatched_at) * 0.6
    assert (await Ticket.get(id=ticket.id)).check_at == yellow_at
    manual.set(yellow_at)
    while (
        (report := await sweep_tickets()).yellow or report.red or report.supervised
    ):  # and what others left due
        pass
    row = await Ticket.get(id=ticket.id)
    assert (row.warning, row.check_at) == (SlaWarning.YELLOW, ticket.sign_deadline)


@pytest.mark.usefixtures("saved")
async def test_unchanged_fields_stay_and_none_restores_the_default() -> None:
    admin = await principal("demo-admin")
    await update_sla_policy(
        actor=admin,
        changes=SlaPolicyChanges(
            complete_days={TicketKind.CONSULTATION: 4}, sign_days=3, return_days=4
        ),
    )
    policy = await update_sla_policy(
        actor=admin,
        changes=SlaPolicyChanges(complete_days={TicketKind.CONSULTATION: None}, sign_days=None),
    )
    assert policy.complete_days == DEFAULT_POLICY.complete_days
    assert (policy.sign_days, policy.return_days) == (1, 4)
    assert await sla_policy() == policy
    assert (await SlaSetting.get(id=SLA_SETTING_ID)).settings == {"returnDays": 4}


@pytest.mark.usefixtures("saved")
async def test_every_setting_has_bounds_and_they_are_accepted() -> None:
    admin = await principal("demo-admin")
    lowest_changes = SlaPolicyChanges(
        complete_days=dict.fromkeys(TicketKind, 1),
        reply_days=1,
        sign_days=1,
        return_days=1,
        revisit_days=1,
        critical_complete_minutes=30,
        critical_sign_minutes=1,
        urgent_sign_minutes=1,
        warning_share=0.5,
    )
    names = settings_of(DEFAULT_POLICY).keys()
    assert lowest_changes.by_name().keys() == names == SETTING_RANGES.keys()
    lowest = await update_sla_policy(actor=admin, changes=lowest_changes)
    assert lowest.critical_complete == timedelta(minutes=30) and lowest.warning_share == 0.5
    highest = await update_sla_policy(
        actor=admin,
        changes=SlaPolicyChanges(
            complete_days=dict.fromkeys(TicketKind, 60),
            reply_days=60,
            sign_days=10,
            return_days=10,
            revisit_days=10,
            critical_complete_minutes=24 * 60,
            critical_sign_minutes=24 * 60,
            urgent_sign_minutes=8 * 60,
            warning_share=0.95,
        ),
    )
    assert highest.critical_sign == timedelta(hours=24) and highest.urgent_sign == timedelta(
        hours=8
    )
    assert await sla_policy() == highest


@pytest.mark.usefixtures("saved")
async def test_every_problem_is_reported_at_once_and_nothing_changes() -> None:
    before = await sla_policy()
    assert await _problems(
        SlaPolicyChanges(
            complete_days={TicketKind.REPORT: 0, TicketKind.PRAISE: 61},
            reply_days=61,
            sign_days=11,
            return_days=0,
            revisit_days=11,
            critical_complete_minutes=29,
            critical_sign_minutes=0,
            urgent_sign_minutes=8 * 60 + 1,
            warning_share=0.96,
        )
    ) == [
        ("completeDays.REPORT", ErrorCode.OUT_OF_RANGE),
        ("completeDays.PRAISE", ErrorCode.OUT_OF_RANGE),
        ("replyDays", ErrorCode.OUT_OF_RANGE),
        ("signDays", ErrorCode.OUT_OF_RANGE),
        ("returnDays", ErrorCode.OUT_OF_RANGE),
        ("revisitDays", ErrorCode.OUT_OF_RANGE),
        ("criticalCompleteMinutes", ErrorCode.OUT_OF_RANGE),
        ("criticalSignMinutes", ErrorCode.OUT_OF_RANGE),
        ("urgentSignMinutes", ErrorCode.OUT_OF_RANGE),
        ("warningShare", ErrorCode.OUT_OF_RANGE),
    ]
    assert await _problems(SlaPolicyChanges(warning_share=0.49)) == [
        ("warningShare", ErrorCode.OUT_OF_RANGE)
    ]
    # The reply may not outlast the shortest completion (a consultation: 3 days by default).
    assert await _problems(
        SlaPolicyChanges(reply_days=4, critical_complete_minutes=60, critical_sign_minutes=61)
    ) == [("replyDays", ErrorCode.INVALID), ("criticalSignMinutes", ErrorCode.INVALID)]
    assert await _problems(SlaPolicyChanges(complete_days={TicketKind.PRAISE: 1})) == [
        ("replyDays", ErrorCode.INVALID)
    ]
    assert await sla_policy() == before


@pytest.mark.usefixtures("connected")
async def test_only_administrators_change_the_policy() -> None:
    before = await _snapshot()
    changes = SlaPolicyChanges(sign_days=2)
    for actor in (await principal("demo-agent"), await staff_of("150300-CG")):
        with pytest.raises(Forbidden):
            await update_sla_policy(actor=actor, changes=changes)
    with pytest.raises(Unauthenticated):
        await update_sla_policy(actor=None, changes=changes)
    assert await _snapshot() == before


POLICY = """{ slaPolicy { completeDays { kind workingDays } replyDays signDays returnDays
  revisitDays criticalCompleteMinutes criticalSignMinutes urgentSignMinutes warningShare } }"""
UPDATE = """mutation($input: UpdateSlaPolicyInput!) { updateSlaPolicy(input: $input) {
  slaPolicy { completeDays { kind workingDays } signDays criticalSignMinutes warningShare }
  errors { field code } } }"""
DEFAULTS = {
    "completeDays": [
        {"kind": kind.value, "workingDays": days}
        for kind, days in DEFAULT_POLICY.complete_days.items()
    ],
    "replyDays": 2,
    "signDays": 1,
    "returnDays": 2,
    "revisitDays": 1,
    "criticalCompleteMinutes": 120,
    "criticalSignMinutes": 30,
    "urgentSignMinutes": 120,
    "warningShare": 0.8,
}


def test_the_policy_through_the_api(client: TestClient) -> None:
    admin, agent = login(client, "demo-admin"), login(client, "demo-agent")
    department, citizen = login(client, "demo-department"), login(client, "demo-citizen")
    snapshot = in_app(client, _snapshot)
    try:
        in_app(client, lambda: _restore(None))
        assert data(client, POLICY, token=agent)["slaPolicy"] == DEFAULTS
        assert error_codes(gql(client, POLICY, token=citizen)) == ["FORBIDDEN"]
        assert error_codes(gql(client, POLICY)) == ["UNAUTHENTICATED"]

        changes = {
            "completeDays": [{"kind": "COMPLAINT", "workingDays": 7}],
            "signDays": 2,
            "criticalSignMinutes": 45,
            "warningShare": 0.75,
        }
        assert error_codes(gql(client, UPDATE, {"input": changes}, token=agent)) == ["FORBIDDEN"]
        updated = data(client, UPDATE, {"input": changes}, token=admin)["updateSlaPolicy"]
        assert updated["errors"] == []
        assert {"kind": "COMPLAINT", "workingDays": 7} in updated["slaPolicy"]["completeDays"]
        assert {"kind": "REPORT", "workingDays": 5} in updated["slaPolicy"]["completeDays"]
        seen = data(client, POLICY, token=department)["slaPolicy"]
        assert seen == {
            **DEFAULTS,
            "completeDays": updated["slaPolicy"]["completeDays"],
            "signDays": 2,
            "criticalSignMinutes": 45,
            "warningShare": 0.75,
        }

        refused = data(
            client,
            UPDATE,
            {
                "input": {
                    "completeDays": [{"kind": "REPORT", "workingDays": 61}],
                    "replyDays": 0,
                    "warningShare": 1.0,
                }
            },
            token=admin,
        )["updateSlaPolicy"]
        assert refused == {
            "slaPolicy": None,
            "errors": [
                {"field": "completeDays.REPORT", "code": "OUT_OF_RANGE"},
                {"field": "replyDays", "code": "OUT_OF_RANGE"},
                {"field": "warningShare", "code": "OUT_OF_RANGE"},
            ],
        }
        twice = [{"kind": "REPORT", "workingDays": 6}, {"kind": "REPORT", "workingDays": 7}]
        assert data(client, UPDATE, {"input": {"completeDays": twice}}, token=admin)[
            "updateSlaPolicy"
        ]["errors"] == [{"field": "completeDays", "code": "INVALID"}]

        restored = data(
            client,
            UPDATE,
            {
                "input": {
                    "completeDays": None,
                    "signDays": None,
                    "criticalSignMinutes": None,
                    "warningShare": None,
                }
            },
            token=admin,
        )["updateSlaPolicy"]
        assert restored["errors"] == []
        assert data(client, POLICY, token=admin)["slaPolicy"] == DEFAULTS
    finally:
        in_app(client, lambda: _restore(snapshot))
