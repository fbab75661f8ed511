"""Live each drawn ticket up to now through the steps the real workflow takes.

Dispatch (a few to the wrong body first, which returns them), sign, resolve, revisit,
reopen, merge repeat calls, and the sweep's supervision of the overdue, at the times
desks keep: departments in office hours, revisits at a decent hour, a few late. A share
of revisits (:data:`UNSATISFIED_SHARE`) finds the citizen unsatisfied and reopens the
ticket. Old tickets end closed; the last weeks hold the work still under way.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from contextlib import suppress
from datetime import UTC, datetime, time, timedelta
from typing import Any

from grids.catalogue import DepartmentRecord
from grids.demo import SeedProgress
from grids.models import ChannelKind
from tickets.demo import texts
from tickets.demo.city import City
from tickets.demo.draw import PROGRESS_STEP, Draft, Stall
from tickets.demo.life import FutureStep, Life, Step
from tickets.demo.routes import Router, wrong_keys
from tickets.desks import desk_note
from tickets.intake import DUPLICATE_WINDOW, TicketRequest
from tickets.lifecycle import Action, Satisfaction, TicketStatus
from tickets.models import Desk
from tickets.sla import (
    Deadlines,
    SlaWarning,
    TicketKind,
    Urgency,
    deadlines,
    return_deadline,
    revisit_deadline,
)
from wuyou.clock import CITY_TIMEZONE

#: The idempotency keys of demo tickets start with this.
KEY_PREFIX = "demo-"
#: The share of revisits of resolved tickets that find the citizen unsatisfied.
UNSATISFIED_SHARE = 0.0106
# Kinds of the unsatisfied: complaints more often, praise never.
_DISCONTENT = {
    TicketKind.COMPLAINT: 1.6, TicketKind.REQUEST: 1.0, TicketKind.REPORT: 1.0,
    TicketKind.CONSULTATION: 0.5, TicketKind.SUGGESTION: 0.8, TicketKind.PRAISE: 0.0,
}  # fmt: skip
#: How often a revisit after a reopening still finds the citizen unsatisfied.
_STILL_UNSATISFIED = 0.1
_OFFICE_OPENS, _OFFICE_CLOSES = time(8, 30), time(18, 0)
_CALLS_FROM, _CALLS_UNTIL = time(9, 0), time(20, 30)
_MINUTE = timedelta(minutes=1)
#: The stalls before a department's signature.
_UNSIGNED = frozenset({Stall.DISPATCHED, Stall.REOPENED})


def demo_desk(category_code: str) -> Desk | None:
    """The desk an agent marks a demo ticket of ``category_code`` for: enterprise
    services go to the enterprise desk, complaints of the government's integrity towards
    firms (unpaid bills, unkept promises, improper charges) to the integrity desk."""
    if category_code.startswith("ENTERPRISE.INTEGRITY."):
        return Desk.INTEGRITY
    if category_code.startswith("ENTERPRISE."):
        return Desk.ENTERPRISE
    return None


class Lives:
    """Takes each drawn ticket through the workflow's steps up to now."""

    def __init__(
        self,
        city: City,
        router: Router,
        staff: dict[int, int],
        now: datetime,
        rng: random.Random,
    ) -> None:
        self.city, self.route, self.staff, self.now, self.rng = city, router, staff, now, rng
        self.calendar, self.policy = city.calendar, city.policy
        self.discontent: dict[TicketKind, float] = {}

    def live(self, drafts: Sequence[Draft], progress: SeedProgress) -> list[Life]:
        """Each draft's life, in the order received."""
        mean = sum(_DISCONTENT[d.kind] for d in drafts) / max(len(drafts), 1)
        # A first revisit finds this share unsatisfied, so that with the revisits after
        # a reopening the share of all revisits is UNSATISFIED_SHARE.
        first = UNSATISFIED_SHARE / ((1 + _STILL_UNSATISFIED) * (1 - UNSATISFIED_SHARE))
        self.discontent = {k: first * w / (mean or 1) for k, w in _DISCONTENT.items()}
        lives: list[Life] = []
        earlier: dict[tuple[str, int, int], tuple[datetime, int]] = {}
        for draft in drafts:
            life = Life(row=self._row(draft), now=self.now, policy=self.policy)
            life.duplicate_of = self._duplicate(draft, earlier)
            with suppress(FutureStep):  # the ticket's life goes on after now
                self._live(draft, life, lives)
            lives.append(life)
            if len(lives) % PROGRESS_STEP == 0:
                progress.advance(PROGRESS_STEP)
        for life in lives:
            life.finish()
        progress.advance(len(lives) % PROGRESS_STEP)
        return lives

    def _duplicate(
        self, draft: Draft, earlier: dict[tuple[str, int, int], tuple[datetime, int]]
    ) -> int | None:
        """The earlier ticket intake flags: same phone, category and grid within 72 hours."""
        if not draft.phone or draft.grid is None:
            return None
        key = (draft.phone, draft.leaf.id, draft.grid.id)
        last = earlier.get(key)
        earlier[key] = (draft.received_at, draft.index)
        if last is not None and draft.received_at - last[0] <= DUPLICATE_WINDOW:
            return last[1]
        return None

    def _row(self, d: Draft) -> dict[str, Any]:
        desk = demo_desk(d.leaf.code) if d.channel.kind is not ChannelKind.GRID else None
        request = TicketRequest(
            channel=d.channel.code,
            kind=d.kind,
            title=d.title,
            content=d.content,
            category=d.leaf.code,
            urgency=d.requested,
            citizen_name=d.name,
            citizen_phone=d.phone,
            lat=d.lat,
            lng=d.lng,
            address=d.address,
            photos=d.photos,
            idempotency_key=f"{KEY_PREFIX}{d.index + 1:06d}",
            desk=desk,
        )
        return {
            "number": d.number,
            "channel_id": d.channel.id,
            "kind": d.kind,
            "category_id": d.leaf.id,
            "urgency": d.urgency,
            "status": TicketStatus.RECEIVED,
            "title": d.title,
            "content": d.content,
            "citizen_name": d.name,
            "citizen_phone": d.phone,
            "citizen_id": d.citizen_id,
            "lat": d.lat,
            "lng": d.lng,
            "address": d.address,
            "grid_id": d.grid.id if d.grid else None,
            "area_path": d.grid.path if d.grid else "",
            "department_id": None,
            "created_by_id": d.creator_id,
            "idempotency_key": request.idempotency_key,
            "request_digest": request.digest(),
            "likely_duplicate_of_id": None,
            "merged_into_id": None,
            "resolved_at_intake": False,
            "cited_article_id": None,
            "desk": desk,
            "resolved_on_site": False,
            "photos": list(d.photos),
            "urge_count": 0,
            "return_count": 0,
            "reopen_count": 0,
            "supervised": False,
            "reply": "",
            "satisfaction": None,
            "received_at": d.received_at,
            "dispatched_at": None,
            "signed_at": None,
            "resolved_at": None,
            "revisited_at": None,
            "closed_at": None,
            "sign_deadline": None,
            "reply_deadline": None,
            "complete_deadline": None,
            "revisit_deadline": None,
            "due_at": None,
            "check_at": None,
            "warning": SlaWarning.NONE,
            "updated_at": d.received_at,
        }

    # The paths -------------------------------------------------------------------

    def _live(self, d: Draft, life: Life, lives: Sequence[Life]) -> None:
        note = desk_note(life.row["desk"], None)
        life.step(d.received_at, Action.RECEIVE, d.creator_id, TicketStatus.RECEIVED, note=note)
        if d.master is not None and self._merge(d, life, lives[d.master.index]):
            return
        if d.stall is Stall.RECEIVED:
            return
        department = self.route(d.leaf.key, life.row["area_path"])
        if d.channel.kind is ChannelKind.GRID:
            self._grid_event(d, life, department)
        elif department is None or self._answered_at_intake(d):
            self._resolve_at_intake(d, life, department)
        else:
            at = self._after(d.received_at, self._dispatch_delay(d))
            self._department(d, life, department, at, self._taker(d))

    def _answered_at_intake(self, d: Draft) -> bool:
        share = {TicketKind.CONSULTATION: 0.3, TicketKind.PRAISE: 0.4}.get(d.kind, 0.0)
        return self.rng.random() < share

    def _resolve_at_intake(self, d: Draft, life: Life, department: DepartmentRecord | None) -> None:
        """The agent answers at once (一次办结); a reopening goes to the department."""
        online = d.channel.kind is ChannelKind.ONLINE
        at = self._after(
            d.received_at, self.rng.uniform(15, 480) if online else self.rng.uniform(3, 15)
        )
        desk = "窗口工作人员" if d.channel.kind is ChannelKind.WALK_IN else "话务员"
        text = texts.intake_reply(d.kind, d.text, desk, self.rng)
        life.step(
            at,
            Action.RESOLVE_AT_INTAKE,
            self._taker(d),
            TicketStatus.RESOLVED,
            {
                "reply": text,
                "resolved_at": at,
                "resolved_at_intake": True,
                "revisit_deadline": revisit_deadline(at, self.calendar, self.policy),
            },
            note=text,
        )
        if self._revisit(d, life, at, can_reopen=department is not None):
            assert department is not None
            again = self._after(life.row["revisited_at"], self.rng.uniform(10, 120))
            self._department(d, life, department, again, self._agent())

    def _grid_event(self, d: Draft, life: Life, department: DepartmentRecord | None) -> None:
        """Settled on the spot, or routed at once by the platform (tickets.grid_events);
        with no body to route it to, the agents answer it."""
        if department is None:
            self._resolve_at_intake(d, life, None)
            return
        if d.on_site:
            self._close_on_site(life, d.received_at, d.creator_id)
            return
        note = f"网格上报，自动分流至{department.name}"
        self._dispatch(d, life, department, d.received_at, None, note=note)
        if self.rng.random() < 0.08:  # the worker settles it before the body signs
            later = self._after(d.received_at, self.rng.uniform(20, 240))
            if later < (life.row["sign_deadline"] or later):
                self._close_on_site(life, later, d.creator_id)
                return
        self._work(d, life, department)

    def _close_on_site(self, life: Life, at: datetime, worker: int) -> None:
        note = self.rng.choice(texts.ON_SITE_NOTES)
        life.step(
            at,
            Action.RESOLVE_ON_SITE,
            worker,
            TicketStatus.CLOSED,
            {"resolved_on_site": True, "reply": note, "resolved_at": at, "closed_at": at},
            note=note,
            department_id=life.row["department_id"],
        )

    def _department(
        self, d: Draft, life: Life, department: DepartmentRecord, at: datetime, agent: int
    ) -> None:
        """``agent`` dispatches (a misrouted ticket first to a body that returns it), then
        the department works up to the revisit."""
        wrong = self._wrong(d, department, life.row["area_path"]) if d.misrouted else None
        if wrong is not None:
            d.misrouted = False  # once: a reopened ticket goes straight to its body
            self._dispatch(d, life, wrong, at, agent)
            limit = return_deadline(at, self.calendar, self.policy)
            back = min(
                self._office(self._after(at, self.rng.uniform(30, 1200))),
                limit - timedelta(minutes=self.rng.uniform(5, 120)),
            )
            life.step(
                back,
                Action.RETURN,
                self.staff[wrong.id],
                TicketStatus.RETURNED,
                {
                    "department_id": None,
                    "return_count": life.row["return_count"] + 1,
                    "sign_deadline": None,
                    "signed_at": None,
                },
                note=texts.return_reason(department.name),
                department_id=wrong.id,
            )
            if d.stall is Stall.RETURNED:
                return
            at = self._after(back, self.rng.uniform(10, 180))
        self._dispatch(d, life, department, at, self._agent())
        self._work(d, life, department)

    def _wrong(self, d: Draft, department: DepartmentRecord, path: str) -> DepartmentRecord | None:
        """The body an agent mistakes the right one for."""
        for key in wrong_keys(d.leaf.key):
            wrong = self.route(key, path)
            if wrong is not None and wrong.id != department.id:
                return wrong
        return None

    def _dispatch(
        self,
        d: Draft,
        life: Life,
        department: DepartmentRecord,
        at: datetime,
        actor: int | None,
        *,
        note: str = "",
    ) -> None:
        """As :func:`tickets.workflow.dispatch`: signing runs from now, the rest from receipt."""
        due = self._deadlines(d, life.row["received_at"], at)
        life.step(
            at,
            Action.DISPATCH,
            actor,
            TicketStatus.DISPATCHED,
            {
                "department_id": department.id,
                "dispatched_at": at,
                "signed_at": None,
                "sign_deadline": due.sign,
                "reply_deadline": due.reply,
                "complete_deadline": due.complete,
            },
            note=note,
            department_id=department.id,
        )

    def _work(self, d: Draft, life: Life, department: DepartmentRecord) -> None:
        """Sign, resolve and revisit, again after each reopening."""
        staff = self.staff[department.id]
        while True:
            if d.stall in _UNSIGNED and d.stall is not None and d.stall.value == life.status:
                return  # the department has not signed (again)
            row = life.row
            signed = self._sign_at(d, row["dispatched_at"], row["sign_deadline"])
            life.step(
                signed,
                Action.SIGN,
                staff,
                TicketStatus.IN_PROGRESS,
                {"signed_at": signed},
                department_id=department.id,
            )
            if d.stall is Stall.IN_PROGRESS:
                return
            resolved = self._resolve_at(d, signed, row["complete_deadline"])
            self._urge(life, department, signed, resolved)
            text = texts.reply(d.leaf.code, d.kind, d.text, department.short_name, self.rng)
            life.step(
                resolved,
                Action.RESOLVE,
                staff,
                TicketStatus.RESOLVED,
                {
                    "reply": text,
                    "resolved_at": resolved,
                    "revisit_deadline": revisit_deadline(resolved, self.calendar, self.policy),
                },
                note=text,
                department_id=department.id,
            )
            if not self._revisit(d, life, resolved, can_reopen=True):
                return

    def _urge(
        self, life: Life, department: DepartmentRecord, signed: datetime, resolved: datetime
    ) -> None:
        """Now and then the citizen chases a ticket under way; more often a late one."""
        late = resolved > life.row["complete_deadline"]
        if self.rng.random() >= (0.4 if late else 0.04):
            return
        life.step(
            signed + (resolved - signed) * self.rng.uniform(0.4, 0.9),
            Action.URGE,
            self._agent(),
            TicketStatus.IN_PROGRESS,
            {"urge_count": life.row["urge_count"] + 1},
            note=self.rng.choice(texts.URGE_NOTES),
            department_id=department.id,
        )

    def _revisit(self, d: Draft, life: Life, resolved: datetime, *, can_reopen: bool) -> bool:
        """Ring the citizen back (回访): CLOSED, or REOPENED (True) as
        :func:`tickets.workflow.revisit` does."""
        row = life.row
        first = not row["reopen_count"]
        if d.stall is Stall.RESOLVED and first:
            raise FutureStep  # the citizen could not be reached yet
        late = self.rng.random() < 0.02 and d.stall is None
        at = self._revisit_at(resolved, row["revisit_deadline"], late=late)
        share = self.discontent[d.kind] if first else _STILL_UNSATISFIED
        unsatisfied = (d.stall is Stall.REOPENED and first) or self.rng.random() < share
        unsatisfied = unsatisfied and can_reopen and row["reopen_count"] < 2
        answer = Satisfaction.UNSATISFIED
        if not unsatisfied:
            answer = (
                Satisfaction.SATISFIED
                if self.rng.random() < 0.86
                else Satisfaction.BASICALLY_SATISFIED
            )
        changes: dict[str, Any] = {"satisfaction": answer, "revisited_at": at}
        if not unsatisfied:
            changes["closed_at"] = at
        elif row["department_id"] is None:  # answered at intake: the agents dispatch it
            changes["reopen_count"] = row["reopen_count"] + 1
        else:
            due = self._deadlines(d, at, at)
            changes.update(
                reopen_count=row["reopen_count"] + 1,
                dispatched_at=at,
                signed_at=None,
                resolved_at=None,
                sign_deadline=due.sign,
                reply_deadline=due.reply,
                complete_deadline=due.complete,
            )
        life.step(
            at,
            Action.REVISIT,
            self._agent(),
            TicketStatus.REOPENED if unsatisfied else TicketStatus.CLOSED,
            changes,
            note=self.rng.choice(texts.REVISIT_NOTES[answer.value]),
            department_id=row["department_id"],
        )
        return unsatisfied

    def _merge(self, d: Draft, life: Life, master: Life) -> bool:
        """Merge a repeat call into the ticket it repeats while that one is open, as
        :func:`tickets.merging.merge` does; it then closes with it. False when the
        repeat must be handled on its own."""
        assert d.master is not None
        at = self._after(d.received_at, self.rng.uniform(3, 40))
        state = master.state_at(at)
        if state is None or state[0] in (TicketStatus.MERGED, TicketStatus.CLOSED):
            return False
        if at > self.now:
            raise FutureStep
        agent = self._agent()
        status, department = state
        note = f"并入工单：{d.number}。"
        master.merges.append(Step(Action.MERGE, status, status, agent, department, note, at))
        note = f"并入主工单 {d.master.number}。"
        life.step(at, Action.MERGE, agent, TicketStatus.MERGED, {}, note=note)
        life.master = d.master.index
        if master.status is TicketStatus.CLOSED:  # closes its followers (close_followers)
            closing = master.steps[-1]
            life.step(
                closing.at,
                closing.action,
                closing.actor_id,
                TicketStatus.MERGED,
                {
                    "closed_at": closing.at,
                    "reply": master.row["reply"],
                    "satisfaction": master.row["satisfaction"],
                },
                note=f"随主工单 {d.master.number} 办结。",
            )
        return True

    # Times -------------------------------------------------------------------------

    def _deadlines(self, d: Draft, received_at: datetime, dispatched_at: datetime) -> Deadlines:
        """As :func:`tickets.workflow._deadlines`: the city's policy, the category's overrides."""
        return deadlines(
            dispatched_at=dispatched_at,
            received_at=received_at,
            kind=d.kind,
            urgency=d.urgency,
            calendar=self.calendar,
            policy=self.policy,
            category_reply_days=d.leaf.reply_days,
            category_complete_days=d.leaf.complete_days,
        )

    def _dispatch_delay(self, d: Draft) -> float:
        """Minutes from receipt to dispatch."""
        if d.urgency is Urgency.CRITICAL:
            return self.rng.uniform(2, 8)
        if d.urgency is Urgency.URGENT:
            return self.rng.uniform(5, 30)
        return min(self.rng.lognormvariate(math.log(35), 0.8), 600)

    def _sign_at(self, d: Draft, dispatched: datetime, deadline: datetime) -> datetime:
        rng = self.rng
        if d.urgency is Urgency.CRITICAL:
            return self._after(dispatched, rng.uniform(4, 25))
        if d.urgency is Urgency.URGENT:
            soon = min(self._after(dispatched, rng.uniform(10, 100)), deadline - _MINUTE)
            return max(soon, self._after(dispatched, 1))
        if rng.random() < 0.025 and d.stall is None:  # signed late
            return self._office(deadline + timedelta(hours=rng.uniform(1, 20)))
        signed = self._office(self._after(dispatched, rng.lognormvariate(math.log(70), 0.9)))
        if signed >= deadline:
            signed = max(
                self._after(dispatched, 1), deadline - timedelta(minutes=rng.uniform(10, 120))
            )
        return signed

    def _resolve_at(self, d: Draft, signed: datetime, deadline: datetime) -> datetime:
        rng = self.rng
        if d.urgency is Urgency.CRITICAL:
            return self._after(signed, rng.uniform(15, 75))
        if signed >= deadline:  # signed too late to finish in time
            return self._office(self._after(signed, rng.uniform(60, 2880)))
        if rng.random() < 0.035 and d.stall is None:  # resolved late
            return self._office(deadline + timedelta(hours=rng.uniform(2, 60)))
        if d.urgency is Urgency.URGENT:
            soon = self._after(signed, rng.uniform(30, 300))
            return max(min(soon, deadline - 5 * _MINUTE), self._after(signed, 5))
        share = rng.betavariate(1.5, 2.5) if rng.random() < 0.7 else rng.uniform(0.6, 0.98)
        resolved = self._office(signed + (deadline - signed) * share)
        if resolved >= deadline:
            resolved = deadline - timedelta(minutes=rng.uniform(10, 180))
            if resolved <= signed:
                resolved = signed + (deadline - signed) / 2
        return resolved

    def _revisit_at(self, resolved: datetime, deadline: datetime, *, late: bool) -> datetime:
        rng = self.rng
        if late:
            return self._calling_hours(deadline + timedelta(hours=rng.uniform(2, 30)))
        at = self._calling_hours(self._after(resolved, rng.uniform(30, 1080)))
        if at >= deadline:
            at = max(self._after(resolved, 10), deadline - timedelta(minutes=rng.uniform(30, 180)))
        return at

    def _after(self, at: datetime, minutes: float) -> datetime:
        return at + timedelta(minutes=minutes)

    def _office(self, at: datetime) -> datetime:
        """``at`` if a department is at work then, else soon after it opens next."""
        local = at.astimezone(CITY_TIMEZONE)
        day, moment = local.date(), local.time()
        working = self.calendar.is_working_day(day)
        if working and _OFFICE_OPENS <= moment < _OFFICE_CLOSES:
            return at
        if not (working and moment < _OFFICE_OPENS):
            day = self.calendar.next_working_day(day)
        opening = datetime.combine(day, _OFFICE_OPENS, tzinfo=CITY_TIMEZONE)
        return (opening + timedelta(minutes=self.rng.uniform(0, 90))).astimezone(UTC)

    def _calling_hours(self, at: datetime) -> datetime:
        """``at`` if it is a decent hour to ring a citizen, else the next morning."""
        local = at.astimezone(CITY_TIMEZONE)
        if _CALLS_FROM <= local.time() < _CALLS_UNTIL:
            return at
        day = local.date() + timedelta(days=1 if local.time() >= _CALLS_UNTIL else 0)
        morning = datetime.combine(day, _CALLS_FROM, tzinfo=CITY_TIMEZONE)
        return (morning + timedelta(minutes=self.rng.uniform(0, 150))).astimezone(UTC)

    def _agent(self) -> int:
        return self.rng.choice(self.city.agents)

    def _taker(self, d: Draft) -> int:
        """The agent who took the call or registered the message, else any agent."""
        recorded = d.citizen_id is None and d.channel.kind is not ChannelKind.GRID
        return d.creator_id if recorded else self._agent()
