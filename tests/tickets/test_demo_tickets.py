"""The demo tickets (``tickets.demo.tickets``): a year of tickets whose every column and
history row is what the workflow would have written, loaded once.

They go into the shared session database, where they lie in the past year (the other
tests keep to their own accounts, departments and time windows). They are loaded at the
instant of a ManualClock, so that the running deadlines can be checked at that instant.
"""

from __future__ import annotations

import re
import sqlite3
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Iterator
from contextlib import closing
from datetime import datetime, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from accounts.models import Account, Role
from api import cli
from grids.areas import area_at
from grids.models import Area, Channel, ChannelKind, DepartmentMember, GridWorker
from merchants.demo import seed_demo_merchants
from merchants.models import Merchant, MerchantStatus
from tests.tickets.desk import principal
from tickets.catalogue import sla_policy, working_calendar
from tickets.demo import tickets as demo
from tickets.demo.tickets import DEMO_TICKETS, KEY_PREFIX, seed_demo_tickets
from tickets.intake import TicketRequest, create_ticket
from tickets.lifecycle import TRANSITIONS, Action, Satisfaction, TicketStatus, check
from tickets.models import Category, Ticket, TicketEvent
from tickets.records import TICKET_COLUMNS, TicketRecord
from tickets.routing import responsible_department
from tickets.sla import SlaPolicy, TicketKind, deadlines, revisit_deadline, watch
from tickets.sweeper import AUTO_SUPERVISION_NOTE
from tickets.workflow import running_deadline
from wuyou import clock
from wuyou.clock import CITY_TIMEZONE, ManualClock

COUNT = 1_500
#: The instant each test database got its demo tickets at, and the SLA policy then.
_loaded: dict[str, tuple[datetime, SlaPolicy]] = {}
_NUMBER = re.compile(r"WH(\d{8})(\d{6})")
_PHOTO = re.compile(r"https://img\.wuhai\.example/grid/\d+\.jpg")


@pytest.fixture
async def instant(connected: str) -> AsyncIterator[datetime]:
    """When the demo tickets were loaded into this database (loading them the first time)."""
    if connected not in _loaded:
        moment, policy = clock.now().replace(microsecond=0), await sla_policy()
        previous = clock.install(ManualClock(moment))
        try:
            # The demo mediation organisations take the disputes referred to mediation.
            await seed_demo_merchants(commercial=0)
            assert await seed_demo_tickets(COUNT) == COUNT
        finally:
            clock.install(previous)
            # No later test may find the demo providers (tests keep to their own).
            await Merchant.filter(is_demo=True).update(
                status=MerchantStatus.SUSPENDED, on_duty=False
            )
        _loaded[connected] = moment, policy
    yield _loaded[connected][0]


@pytest.fixture
def policy(instant: datetime, connected: str) -> SlaPolicy:
    """The SLA policy the demo tickets were loaded with."""
    return _loaded[connected][1]


async def _tickets() -> list[dict[str, Any]]:
    rows = await Ticket.filter(idempotency_key__startswith=KEY_PREFIX).values(
        *TICKET_COLUMNS, "idempotency_key", "check_at"
    )
    return sorted(rows, key=lambda r: r["id"])


async def _histories(ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    rows = await TicketEvent.filter(ticket_id__in=ids).order_by("occurred_at", "id").values()
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        found[row["ticket_id"]].append(row)
    return found


def _record(row: dict[str, Any]) -> TicketRecord:
    return TicketRecord(**{c: row[c] for c in TICKET_COLUMNS})


def _chain(*moments: datetime | None) -> Iterator[tuple[datetime, datetime]]:
    present = [m for m in moments if m is not None]
    return pairwise(present)


async def test_a_year_of_tickets_is_loaded_once(instant: datetime) -> None:
    tickets = await _tickets()
    events = await TicketEvent.filter(ticket_id__in=[t["id"] for t in tickets]).count()
    assert len(tickets) == COUNT and events > 4 * COUNT
    assert await seed_demo_tickets(COUNT) == 0
    assert await seed_demo_tickets(COUNT * 2) == 0
    assert len(await _tickets()) == COUNT
    assert await TicketEvent.filter(ticket_id__in=[t["id"] for t in tickets]).count() == events
    received = sorted(t["received_at"] for t in tickets)
    assert 300 < (instant - received[0]).days < 365 and received[-1] <= instant
    assert len({t["idempotency_key"] for t in tickets}) == COUNT


async def test_every_status_kind_and_channel_is_there(instant: datetime) -> None:
    tickets = await _tickets()
    statuses = Counter(t["status"] for t in tickets)
    assert set(statuses) == set(TicketStatus)
    assert statuses[TicketStatus.CLOSED] > 0.9 * COUNT
    assert {t["kind"] for t in tickets} == set(TicketKind)
    channels = dict(await _channel_kinds())
    kinds = Counter(channels[t["channel_id"]] for t in tickets)
    assert set(kinds) == set(ChannelKind) and kinds.most_common(1)[0][0] is ChannelKind.HOTLINE
    weeks_ago = instant - timedelta(days=45)
    for ticket in tickets:
        if ticket["received_at"] < weeks_ago and ticket["status"] is not TicketStatus.MERGED:
            assert ticket["status"] is TicketStatus.CLOSED, ticket["number"]


async def _channel_kinds() -> list[tuple[int, ChannelKind]]:
    return [(r["id"], ChannelKind(r["kind"])) for r in await Channel.all().values("id", "kind")]


async def test_numbers_are_the_received_days_and_intake_continues_after_them(
    instant: datetime,
) -> None:
    tickets = await _tickets()
    numbers = [t["number"] for t in tickets]
    assert len(set(numbers)) == COUNT
    for ticket in tickets:
        match = _NUMBER.fullmatch(ticket["number"])
        assert match is not None, ticket["number"]
        local = ticket["received_at"].astimezone(CITY_TIMEZONE)
        assert match.group(1) == f"{local:%Y%m%d}"
    today = f"WH{instant.astimezone(CITY_TIMEZONE):%Y%m%d}"
    previous = clock.install(ManualClock(instant))
    try:
        grid = await Area.get(id=next(t["grid_id"] for t in tickets if t["grid_id"]))
        created = await create_ticket(
            TicketRequest(
                channel="HL-12345",
                kind=TicketKind.REQUEST,
                title="演示数据之后的新工单",
                content="检查编号接续。",
                lat=grid.centroid_lat,
                lng=grid.centroid_lng,
            ),
            actor=await principal("demo-agent"),
        )
    finally:
        clock.install(previous)
    assert created.number.startswith(today)
    assert created.number > max(numbers) and created.number not in numbers


async def test_timestamps_are_in_order(instant: datetime) -> None:
    for t in await _tickets():
        moments = [t["received_at"], t["dispatched_at"], t["signed_at"], t["resolved_at"]]
        if not t["reopen_count"] and not t["resolved_at_intake"]:
            moments += [t["revisited_at"], t["closed_at"]]
            for earlier, later in _chain(*moments):
                assert earlier <= later, t["number"]
        assert t["received_at"] <= t["updated_at"] <= instant, t["number"]
        if t["status"] is TicketStatus.CLOSED:
            assert t["closed_at"] is not None and t["resolved_at"] is not None


async def test_deadlines_are_the_slas_on_the_working_calendar(policy: SlaPolicy) -> None:
    calendar = await working_calendar()
    categories = {c.id: c for c in await Category.filter(level=3)}
    checked = 0
    for t in await _tickets():
        if t["resolved_at"] is not None and not t["resolved_on_site"]:
            assert t["revisit_deadline"] == revisit_deadline(t["resolved_at"], calendar, policy)
        if t["dispatched_at"] is None or t["reopen_count"]:
            continue
        category = categories[t["category_id"]]
        due = deadlines(
            dispatched_at=t["dispatched_at"],
            received_at=t["received_at"],
            kind=t["kind"],
            urgency=t["urgency"],
            calendar=calendar,
            policy=policy,
            category_reply_days=category.reply_days,
            category_complete_days=category.complete_days,
        )
        assert (t["reply_deadline"], t["complete_deadline"]) == (due.reply, due.complete)
        if t["status"] is not TicketStatus.RETURNED:
            assert t["sign_deadline"] == due.sign, t["number"]
        checked += 1
    assert checked > 0.8 * COUNT


async def test_running_deadlines_are_what_the_sweep_leaves_at_the_instant(
    instant: datetime, policy: SlaPolicy
) -> None:
    red_supervised = 0
    for t in await _tickets():
        record = _record(t)
        began, due = running_deadline(record, record.status, {}, instant)
        running = watch(began, due, instant, policy)
        assert (t["due_at"], t["warning"], t["check_at"]) == (
            running.due_at,
            running.warning,
            running.check_at,
        ), t["number"]
        red_supervised += running.warning == "RED" and t["supervised"]
    assert red_supervised > 0


async def test_histories_follow_the_lifecycle(instant: datetime) -> None:
    tickets = await _tickets()
    histories = await _histories([t["id"] for t in tickets])
    roles = dict(await Account.all().values_list("id", "role"))
    for t in tickets:
        history = histories[t["id"]]
        first, last = history[0], history[-1]
        assert (first["action"], first["from_status"]) == (Action.RECEIVE, None), t["number"]
        assert first["actor_id"] == t["created_by_id"] and first["occurred_at"] == t["received_at"]
        assert last["to_status"] is t["status"] and t["updated_at"] >= last["occurred_at"]
        for before, event in pairwise(history):
            assert event["from_status"] is before["to_status"], t["number"]
            _allowed(event, roles)
        actions = Counter(e["action"] for e in history)
        assert actions[Action.URGE] == t["urge_count"]
        assert actions[Action.RETURN] == t["return_count"]
        assert actions[Action.SUPERVISE] == int(t["supervised"])
        answers = [e["to_status"] for e in history if e["action"] is Action.REVISIT]
        assert answers.count(TicketStatus.REOPENED) == t["reopen_count"]


def _allowed(event: dict[str, Any], roles: dict[int, Role]) -> None:
    """The step is one the lifecycle allows its actor (the platform acts as ADMIN)."""
    source, target = event["from_status"], event["to_status"]
    if source is TicketStatus.MERGED:  # closing with the master (merging.close_followers)
        assert target is TicketStatus.MERGED and event["note"].startswith("随主工单")
        return
    if event["action"] is Action.MERGE and source is target:  # the master of a merge
        assert event["note"].startswith("并入工单") and source is not TicketStatus.CLOSED
        return
    transition = TRANSITIONS[event["action"]]
    if not transition.roles:  # the platform's step: a linked order moved, by its provider
        assert event["actor_id"] is None or roles[event["actor_id"]] is Role.MERCHANT, event
        assert source in transition.sources, event
        assert target is (transition.target or source), event
        return
    role = roles[event["actor_id"]] if event["actor_id"] else Role.ADMIN
    if event["actor_id"] is None:
        assert event["action"] in (Action.DISPATCH, Action.SUPERVISE)
        if event["action"] is Action.SUPERVISE:
            assert event["note"] == AUTO_SUPERVISION_NOTE
    allowed = check(event["action"], source, role)
    if event["action"] is Action.REVISIT:
        assert target in (TicketStatus.CLOSED, TicketStatus.REOPENED)
    else:
        assert target is allowed, event


async def test_revisits_find_nearly_everyone_satisfied(instant: datetime) -> None:
    tickets = await _tickets()
    revisits = await TicketEvent.filter(
        ticket_id__in=[t["id"] for t in tickets],
        action=Action.REVISIT,
        from_status=TicketStatus.RESOLVED,
    ).values("to_status")
    answers = Counter(r["to_status"] for r in revisits)
    satisfied = answers[TicketStatus.CLOSED] / sum(answers.values())
    assert 0.9894 - 0.01 < satisfied < 0.9894 + 0.01
    for t in tickets:
        if t["status"] is TicketStatus.CLOSED and not t["resolved_on_site"]:
            assert t["satisfaction"] in (Satisfaction.SATISFIED, Satisfaction.BASICALLY_SATISFIED)
    consultations = [t for t in tickets if t["kind"] is TicketKind.CONSULTATION]
    at_intake = sum(t["resolved_at_intake"] for t in consultations) / len(consultations)
    assert 0.2 < at_intake < 0.4


async def test_merged_tickets_follow_an_earlier_call_of_the_same_caller(instant: datetime) -> None:
    tickets = await _tickets()
    by_id = {t["id"]: t for t in tickets}
    merged = [t for t in tickets if t["status"] is TicketStatus.MERGED]
    assert merged
    for follower in merged:
        master = by_id[follower["merged_into_id"]]
        same = ("citizen_phone", "category_id", "grid_id")
        assert [follower[k] for k in same] == [master[k] for k in same], follower["number"]
        assert master["received_at"] < follower["received_at"]
        assert master["status"] is not TicketStatus.MERGED
        assert follower["likely_duplicate_of_id"] is not None
        if master["status"] is TicketStatus.CLOSED:
            assert follower["closed_at"] == master["closed_at"]
            assert follower["satisfaction"] == master["satisfaction"]


async def test_places_departments_and_people_are_the_cities(instant: datetime) -> None:
    tickets = await _tickets()
    categories = {c.id: c for c in await Category.filter(level=3)}
    paths = dict(await Area.filter(level="GRID").values_list("id", "path"))
    workers = dict(await GridWorker.all().values_list("account_id", "grid_id"))
    channels = dict(await _channel_kinds())
    for t in tickets[::15]:
        if t["grid_id"] is not None:
            grid = await area_at(t["lat"], t["lng"])
            assert grid is not None and grid.id == t["grid_id"] and grid.path == t["area_path"]
        if t["status"] in (TicketStatus.IN_PROGRESS, TicketStatus.RESOLVED) and t["dispatched_at"]:
            key = categories[t["category_id"]].department_key
            department = await responsible_department(key, t["area_path"])
            assert department is not None and department.id == t["department_id"]
    for t in tickets:
        assert t["area_path"] == (paths[t["grid_id"]] if t["grid_id"] else "")
        if channels[t["channel_id"]] is ChannelKind.GRID:
            assert workers[t["created_by_id"]] == t["grid_id"] and t["photos"]
            assert all(_PHOTO.fullmatch(url) for url in t["photos"])
        else:
            assert not t["photos"]
    agents = [f"{demo.AGENT_PREFIX}{n:02d}" for n in range(1, demo.AGENT_COUNT + 1)]
    rows = await Account.filter(username__in=agents).values("role", "password_hash")
    assert rows == [{"role": Role.AGENT, "password_hash": None}] * demo.AGENT_COUNT


async def test_department_steps_are_taken_by_the_departments_staff(instant: datetime) -> None:
    tickets = await _tickets()
    steps = await TicketEvent.filter(
        ticket_id__in=[t["id"] for t in tickets],
        action__in=[Action.SIGN, Action.RETURN, Action.RESOLVE],
    ).values("actor_id", "department_id")
    members = dict(await DepartmentMember.all().values_list("account_id", "department_id"))
    roles = dict(await Account.all().values_list("id", "role"))
    assert steps
    for step in steps:
        assert roles[step["actor_id"]] is Role.DEPARTMENT
        assert members[step["actor_id"]] == step["department_id"]
    demo_department = await Account.get(username="demo-department")
    assert demo_department.id in {step["actor_id"] for step in steps}


def test_the_cli_loads_tickets_once_and_none_with_zero(tmp_path: Path, database_url: str) -> None:
    if not database_url.startswith("sqlite://"):
        pytest.skip("the command line is tried on a SQLite copy of the test database")
    assert cli.DEMO_TICKETS == DEMO_TICKETS
    copy = tmp_path / "demo.sqlite3"
    with (
        closing(sqlite3.connect(database_url.removeprefix("sqlite://"))) as source,
        closing(sqlite3.connect(copy)) as target,
    ):
        source.backup(target)
        for table in ("ticket_event", "ticket_extension", "ticket"):
            target.execute(f"DELETE FROM {table}")
        target.commit()
    runner = CliRunner()
    args = ["seed", "--demo", "--merchants", "0", "--database-url", f"sqlite://{copy}"]
    skipped = runner.invoke(cli.app, [*args, "--tickets", "0"])
    assert skipped.exit_code == 0, skipped.output
    assert "Demo tickets" not in skipped.output
    loaded = runner.invoke(cli.app, [*args, "--tickets", "200"])
    assert loaded.exit_code == 0, loaded.output
    assert "Demo tickets loaded: 200 tickets." in loaded.output
    again = runner.invoke(cli.app, [*args, "--tickets", "200"])
    assert "Demo tickets already loaded; nothing added." in again.output
    with closing(sqlite3.connect(copy)) as connection:
        assert connection.execute("SELECT COUNT(*) FROM ticket").fetchone()[0] == 200
    assert runner.invoke(cli.app, [*args, "--tickets", "-1"]).exit_code == 2
