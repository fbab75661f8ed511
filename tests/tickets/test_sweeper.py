"""The deadline sweep: YELLOW at 80% of the running deadline, RED once it has passed,
supervised once, on the working calendar, across a restart and with several workers.

Each test runs on a ManualClock in a week of its own, years ahead, and first sweeps
everything already due at the end of that week, so the tickets it makes are the only
ones a sweep can find due.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest

from api import db
from api import sweeper as platform_sweeper
from tests.tickets.desk import new_ticket, principal, staff_of
from tickets import oversight, workflow
from tickets.lifecycle import Action, TicketStatus
from tickets.models import Ticket, TicketEvent
from tickets.records import TicketRecord, get_ticket
from tickets.sla import SlaWarning
from tickets.sweeper import AUTO_SUPERVISION_NOTE, TicketSweepReport, sweep_tickets
from wuyou import clock
from wuyou.clock import CITY_TIMEZONE, ManualClock

pytestmark = pytest.mark.usefixtures("connected")


def local(text: str) -> datetime:
    """A moment in the city's time: ``2031-03-10 10:00``."""
    return datetime.fromisoformat(text).replace(tzinfo=CITY_TIMEZONE)


@pytest.fixture
def manual() -> Iterator[ManualClock]:
    moving = ManualClock(local("2031-01-01 00:00"))
    previous = clock.install(moving)
    try:
        yield moving
    finally:
        clock.install(previous)


async def drain(moving: ManualClock, until: datetime) -> None:
    """Sweep at ``until`` until nothing more turns or is supervised: whatever other tests
    left due."""
    moving.set(until)
    while (report := await sweep_tickets()).yellow or report.red or report.supervised:
        pass


async def dispatched(moving: ManualClock, at: datetime) -> TicketRecord:
    """A fresh complaint dispatched to the city's urban management at ``at``."""
    moving.set(at)
    ticket = await new_ticket()
    return await workflow.dispatch(
        number=ticket.number, department_code="150300-CG", actor=await principal("demo-agent")
    )


async def supervisions(ticket: TicketRecord) -> list[tuple[int | None, str]]:
    """(actor id, note) of the ticket's SUPERVISE events."""
    return [
        (actor_id, note)
        for actor_id, note in await TicketEvent.filter(
            ticket_id=ticket.id, action=Action.SUPERVISE
        ).values_list("actor_id", "note")
    ]


async def state(ticket: TicketRecord) -> tuple[SlaWarning, bool, datetime | None]:
    row = await Ticket.get(id=ticket.id)
    return row.warning, row.supervised, row.check_at


async def test_yellow_at_four_fifths_red_at_the_deadline_and_supervised_once(
    manual: ManualClock,
) -> None:
    await drain(manual, local("2031-03-13 00:00"))
    ticket = await dispatched(manual, local("2031-03-10 10:00"))  # a Monday
    assert ticket.sign_deadline == local("2031-03-12 00:00")  # the end of Tuesday
    assert ticket.due_at == ticket.sign_deadline and ticket.warning is SlaWarning.NONE
    yellow_point = local("2031-03-11 16:24")  # 80% of the 38 hours

    manual.set(yellow_point - timedelta(minutes=1))
    assert await sweep_tickets() == TicketSweepReport(yellow=0, red=0, supervised=0)
    assert await state(ticket) == (SlaWarning.NONE, False, yellow_point)

    manual.set(yellow_point)
    assert await sweep_tickets() == TicketSweepReport(yellow=1, red=0, supervised=0)
    assert await state(ticket) == (SlaWarning.YELLOW, False, ticket.sign_deadline)

    manual.set(local("2031-03-12 00:00"))
    assert await sweep_tickets() == TicketSweepReport(yellow=0, red=1, supervised=1)
    assert await state(ticket) == (SlaWarning.RED, True, None)
    assert await supervisions(ticket) == [(None, AUTO_SUPERVISION_NOTE)]

    manual.advance(timedelta(days=1))
    assert await sweep_tickets() == TicketSweepReport(yellow=0, red=0, supervised=0)
    assert len(await supervisions(ticket)) == 1
    overdue = await get_ticket(ticket.number)
    assert overdue is not None and overdue.status is TicketStatus.DISPATCHED
    assert overdue.warning is SlaWarning.RED and overdue.supervised
    red = Ticket.filter(warning=SlaWarning.RED, status=TicketStatus.DISPATCHED)
    assert ticket.id in await red.values_list("id", flat=True)


async def test_a_ticket_already_supervised_turns_red_without_a_second_supervision(
    manual: ManualClock,
) -> None:
    await drain(manual, local("2031-05-15 00:00"))
    ticket = await dispatched(manual, local("2031-05-13 09:00"))  # a Tuesday
    agent = await principal("demo-agent")
    await oversight.supervise(number=ticket.number, note="提前督办", actor=agent)
    manual.set(local("2031-05-15 00:00"))
    assert await sweep_tickets() == TicketSweepReport(yellow=0, red=1, supervised=0)
    assert [note for _, note in await supervisions(ticket)] == ["提前督办"]


async def test_the_deadline_fires_from_the_database_across_a_restart(
    manual: ManualClock, connected: str
) -> None:
    await drain(manual, local("2031-03-19 00:00"))
    ticket = await dispatched(manual, local("2031-03-17 10:00"))
    manual.set(local("2031-03-18 20:00"))
    assert (await sweep_tickets()).yellow == 1

    await db.disconnect()  # the worker stops; its memory is gone
    await db.connect(connected)

    manual.set(local("2031-03-19 00:00"))
    assert await sweep_tickets() == TicketSweepReport(yellow=0, red=1, supervised=1)
    assert await state(ticket) == (SlaWarning.RED, True, None)


async def test_two_workers_sweeping_at_once_supervise_each_ticket_once(
    manual: ManualClock,
) -> None:
    await drain(manual, local("2031-03-26 00:00"))
    tickets = [await dispatched(manual, local("2031-03-24 10:00")) for _ in range(3)]
    manual.set(local("2031-03-26 00:00"))
    reports = await asyncio.gather(sweep_tickets(), sweep_tickets())
    assert sum(r.red for r in reports) == 3 and sum(r.supervised for r in reports) == 3
    for ticket in tickets:
        assert len(await supervisions(ticket)) == 1


async def test_a_friday_afternoon_dispatch_is_due_on_monday(manual: ManualClock) -> None:
    await drain(manual, local("2031-04-01 00:00"))
    ticket = await dispatched(manual, local("2031-03-28 15:00"))  # a Friday
    assert ticket.sign_deadline == local("2031-04-01 00:00")  # the end of Monday
    manual.set(local("2031-03-29 18:00"))  # Saturday
    assert await sweep_tickets() == TicketSweepReport(yellow=0, red=0, supervised=0)
    assert await state(ticket) == (SlaWarning.NONE, False, local("2031-03-31 07:48"))
    manual.set(local("2031-03-31 08:00"))  # Monday morning: 80% of the 81 hours
    assert (await sweep_tickets()).yellow == 1


async def test_the_platform_loop_sweeps_tickets_when_the_offer_sweep_fails(
    manual: ManualClock, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    await drain(manual, local("2031-05-22 00:00"))
    ticket = await dispatched(manual, local("2031-05-20 10:00"))
    manual.set(local("2031-05-22 00:00"))
    stop = asyncio.Event()

    async def broken() -> None:
        raise RuntimeError("offers are down")

    async def then_stop() -> TicketSweepReport:
        report = await sweep_tickets()
        stop.set()
        return report

    monkeypatch.setattr(platform_sweeper, "sweep_once", broken)
    monkeypatch.setattr(platform_sweeper, "sweep_tickets", then_stop)
    with caplog.at_level(logging.INFO, logger="api.sweeper"):
        await platform_sweeper.run(3600, stop)
    assert await state(ticket) == (SlaWarning.RED, True, None)
    messages = [r.getMessage() for r in caplog.records]
    assert any(m.startswith("_sweep_offers failed") for m in messages)
    assert "sweep: 0 tickets turned yellow, 1 red, 1 supervised" in messages


async def test_a_ticket_a_step_makes_overdue_is_supervised_by_the_next_sweep(
    manual: ManualClock,
) -> None:
    await drain(manual, local("2031-06-20 10:00"))
    agent = await principal("demo-agent")
    ticket = await dispatched(manual, local("2031-06-09 10:00"))  # a Monday
    await workflow.return_ticket(
        number=ticket.number, reason="不属本部门职责", actor=await staff_of("150300-CG")
    )
    manual.set(local("2031-06-20 10:00"))  # with the agents past its completion deadline
    assert ticket.complete_deadline is not None and ticket.complete_deadline < manual.now()
    again = await workflow.dispatch(number=ticket.number, department_code="150300-ZJ", actor=agent)
    assert again.warning is SlaWarning.RED and again.due_at == ticket.complete_deadline
    assert await state(ticket) == (SlaWarning.RED, False, ticket.complete_deadline)

    assert await sweep_tickets() == TicketSweepReport(yellow=0, red=0, supervised=1)
    assert await state(ticket) == (SlaWarning.RED, True, None)
    assert await supervisions(ticket) == [(None, AUTO_SUPERVISION_NOTE)]
    manual.advance(timedelta(days=3))
    assert await sweep_tickets() == TicketSweepReport(yellow=0, red=0, supervised=0)
    assert len(await supervisions(ticket)) == 1


async def test_a_step_on_a_ticket_already_red_asks_for_one_look_that_changes_nothing(
    manual: ManualClock,
) -> None:
    await drain(manual, local("2031-06-27 00:00"))
    ticket = await dispatched(manual, local("2031-06-24 10:00"))  # a Tuesday
    manual.set(local("2031-06-26 00:00"))
    assert await sweep_tickets() == TicketSweepReport(yellow=0, red=1, supervised=1)
    await oversight.urge(
        number=ticket.number, note="请尽快签收", actor=await principal("demo-agent")
    )
    assert await state(ticket) == (SlaWarning.RED, True, ticket.sign_deadline)
    assert await sweep_tickets() == TicketSweepReport(yellow=0, red=0, supervised=0)
    assert await state(ticket) == (SlaWarning.RED, True, None)
    assert len(await supervisions(ticket)) == 1
