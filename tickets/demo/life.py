"""A demo ticket's life: its columns and history, written step by step.

Each step changes the row and records a history row as :func:`tickets.workflow.move`
does, after the deadline sweep has supervised what ran overdue before it; at the end the
running deadline is brought to now as the sweeper would have.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tickets.lifecycle import WITH_DEPARTMENT, Action, TicketStatus
from tickets.records import TICKET_COLUMNS, TicketRecord
from tickets.sla import SlaPolicy, watch
from tickets.sweeper import AUTO_SUPERVISION_NOTE
from tickets.workflow import running_deadline

#: The columns of a ticket record after its id, in order.
_STORED = TICKET_COLUMNS[1:]


@dataclass(frozen=True, slots=True)
class Step:
    """One step of a ticket's life: a history row to be."""

    action: Action
    from_status: TicketStatus | None
    to_status: TicketStatus
    actor_id: int | None
    department_id: int | None
    note: str
    at: datetime


class FutureStep(Exception):
    """The next step of a ticket's life lies after now: it ends here."""


@dataclass(slots=True)
class Life:
    """A ticket's columns and history as the workflow writes them, step by step."""

    row: dict[str, Any]
    now: datetime
    policy: SlaPolicy
    steps: list[Step] = field(default_factory=list)
    # (when, status, department) after each step: what a later merge finds.
    trail: list[tuple[datetime, TicketStatus, int | None]] = field(default_factory=list)
    # Repeat calls merged into this ticket: steps that change nothing but the history.
    merges: list[Step] = field(default_factory=list)
    master: int | None = None  # the position of the ticket this one is merged into
    duplicate_of: int | None = None  # the position of the ticket intake flags

    @property
    def status(self) -> TicketStatus:
        status: TicketStatus = self.row["status"]
        return status

    def step(
        self,
        at: datetime,
        action: Action,
        actor_id: int | None,
        target: TicketStatus,
        changes: dict[str, Any] | None = None,
        *,
        note: str = "",
        department_id: int | None = None,
    ) -> None:
        """Take one step at ``at``, as :func:`tickets.workflow.move` does; :class:`FutureStep`
        when ``at`` is after now. The sweep supervises what ran overdue before it."""
        if at > self.now:
            raise FutureStep
        self.sweep(at)
        self._record(action, actor_id, target, changes or {}, note, department_id, at)

    def sweep(self, until: datetime) -> None:
        """What the deadline sweep did up to ``until``: supervise (督办) a ticket with a
        department once its running deadline passes, unless already supervised."""
        if self.status not in WITH_DEPARTMENT or self.row["supervised"] or not self.steps:
            return
        last = self.steps[-1].at
        _, due = running_deadline(self.record(), self.status, {}, last)
        if due is not None and due <= until:  # a step may have left it overdue already
            self._record(
                Action.SUPERVISE,
                None,
                self.status,
                {"supervised": True},
                AUTO_SUPERVISION_NOTE,
                self.row["department_id"],
                max(due, last),
            )

    def record(self) -> TicketRecord:
        """The ticket as :class:`TicketRecord` (id 0: not stored yet)."""
        return TicketRecord(0, *[self.row[c] for c in _STORED])

    def finish(self) -> None:
        """Bring the running deadline to now as the sweep would have: due, warning, next
        look, and when the row last changed."""
        self.sweep(self.now)
        self.steps = sorted([*self.steps, *self.merges], key=lambda s: s.at)
        last = self.steps[-1].at
        record = self.record()
        began, due = running_deadline(record, record.status, {}, last)
        look = watch(began, due, last, self.policy).check_at
        updated = last
        while look is not None and look <= self.now:  # each look the sweep took
            updated = look
            look = watch(began, due, look, self.policy).check_at
        running = watch(began, due, self.now, self.policy)
        self.row.update(
            due_at=running.due_at,
            warning=running.warning,
            check_at=running.check_at,
            updated_at=updated,
        )

    def state_at(self, at: datetime) -> tuple[TicketStatus, int | None] | None:
        """The status and department the ticket had at ``at`` (None before it existed)."""
        found = None
        for when, status, department in self.trail:
            if when > at:
                break
            found = (status, department)
        return found

    def _record(
        self,
        action: Action,
        actor_id: int | None,
        target: TicketStatus,
        changes: dict[str, Any],
        note: str,
        department_id: int | None,
        at: datetime,
    ) -> None:
        source = self.status if self.steps else None
        self.steps.append(Step(action, source, target, actor_id, department_id, note, at))
        self.row.update(changes)
        self.row["status"] = target
        self.trail.append((at, target, self.row["department_id"]))
