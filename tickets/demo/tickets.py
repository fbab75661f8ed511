"""A year of demo tickets (``wuyou seed --demo``): what a city's hotline holds after a year.

Tickets are drawn with a fixed random seed over the 365 days that end at the clock's
time: mostly calls to 12345, then online messages, grid workers' reports and walk-ins;
categories weighted by volume and season (heating in winter, flooding in summer, wage
arrears before the Spring Festival); places weighted by the grids' populations. Each
ticket then lives through the steps the real workflow takes (dispatch, sign, return,
resolve, revisit, reopen, merge, supervision of the overdue) up to now, and is stored
with every column and history row those steps would have written. Old tickets are
closed; the last weeks hold the work still under way.

About 1.06% of the revisits of resolved tickets find the citizen unsatisfied, so that
the share of revisits closing a ticket (the satisfaction rate) lands near Wuhai's
published 98.94%.

Idempotent: demo tickets carry the idempotency key ``demo-<n>``; when any is present,
nothing is added. Rows go in with bulk inserts in one transaction.
"""

from __future__ import annotations

import gc
import math
import random
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import Enum
from typing import Any, TypeVar

import shapely
from shapely.geometry.base import BaseGeometry
from tortoise.fields import Field, JSONField
from tortoise.fields.data import CharEnumFieldInstance
from tortoise.models import Model
from tortoise.transactions import in_transaction

from accounts.models import Account, AccountEvent, AccountEventKind, Role
from grids.catalogue import DepartmentRecord
from grids.demo import QuietProgress, SeedProgress
from grids.demo.people import DEMO_DEPARTMENT, mobile_number, person_name
from grids.geometry import parse_boundary
from grids.models import (
    Area,
    AreaLevel,
    Channel,
    ChannelKind,
    Department,
    DepartmentMember,
    GridType,
)
from grids.workers import workers_in_grids
from tickets.calendar import WorkingCalendar
from tickets.catalogue import sla_policy, working_calendar
from tickets.demo import texts
from tickets.intake import DUPLICATE_WINDOW, NUMBER_PREFIX, TicketRequest
from tickets.lifecycle import WITH_DEPARTMENT, Action, Satisfaction, TicketStatus
from tickets.models import CalendarDay, Category, Ticket, TicketEvent
from tickets.records import TICKET_COLUMNS, TicketRecord
from tickets.routing import responsible_department
from tickets.sla import (
    Deadlines,
    SlaPolicy,
    SlaWarning,
    TicketKind,
    Urgency,
    deadlines,
    return_deadline,
    revisit_deadline,
    watch,
)
from tickets.sweeper import AUTO_SUPERVISION_NOTE
from tickets.workflow import running_deadline
from wuyou import clock
from wuyou.clock import CITY_TIMEZONE
from wuyou.models import NumberSequence

#: Tickets ``seed --demo`` loads unless told otherwise.
DEMO_TICKETS = 50_000
#: The idempotency keys of demo tickets start with this.
KEY_PREFIX = "demo-"
#: The hotline agents who take calls and do the agents' steps (with demo-agent).
AGENT_PREFIX = "agent-"
AGENT_COUNT = 12
#: Department staff who sign, return and resolve: one per department that gets tickets.
STAFF_PREFIX = "staff-"
PHOTO_URL = "https://img.wuhai.example/grid/{n}.jpg"
#: The share of revisits of resolved tickets that find the citizen unsatisfied.
UNSATISFIED_SHARE = 0.0106

_SEED = 20231231
_DAYS = 365
_BATCH = 1000
_NOTE = "演示数据"
_DEMO_AGENT = "demo-agent"
_DEMO_CITIZEN = "demo-citizen"
_DEMO_CITIZEN_PHONE = "13904730000"
T = TypeVar("T")

# Volume: each root's share of the year's tickets (percent), and leaves that are more (or
# less) common than their siblings.
_ROOT_SHARES = {
    "HEATING": 8, "UTILITIES": 9, "PROPERTY": 8, "HOUSING": 6, "LABOUR": 8, "NOISE": 5,
    "MARKET": 7, "TRANSPORT": 6, "ENVIRONMENT": 5, "URBAN": 8, "SECURITY": 3,
    "DISPUTES": 3, "EDUCATION": 3, "HEALTH": 4, "CIVIL_AFFAIRS": 3, "AGRICULTURE": 1.5,
    "EMERGENCY": 1, "ENTERPRISE": 2, "GOVERNMENT": 2.5, "CULTURE": 1.5,
    "CONSULTATION": 6, "FEEDBACK": 2.5,
}  # fmt: skip
_LEAF_WEIGHTS = {
    "HEATING.QUALITY.ROOM_COLD": 5, "HEATING.QUALITY.OUTAGE": 2, "UTILITIES.WATER.OUTAGE": 2.5,
    "PROPERTY.SERVICE.QUALITY": 3, "PROPERTY.SERVICE.SHARED_FACILITIES": 2,
    "LABOUR.WAGES.MIGRANT_WORKERS": 3, "LABOUR.WAGES.EMPLOYEES": 2,
    "URBAN.CITYSCAPE.STREET_VENDING": 1.5, "TRANSPORT.PARKING.ILLEGAL": 2,
    "NOISE.SOCIAL.NEIGHBOURS": 1.5, "MARKET.CONSUMER.PREPAID_CARDS": 1.5,
    "UTILITIES.GAS_SAFETY.LEAK": 0.4, "MARKET.FOOD.POISONING": 0.3,
    "MARKET.SPECIAL_EQUIPMENT.ELEVATOR_TRAPPED": 0.5, "HEALTH.MENTAL.CRISIS": 0.3,
    "EMERGENCY.INCIDENTS.HAZMAT_LEAK": 0.2, "SECURITY.STABILITY": 0.3,
    "CONSULTATION.GUIDANCE.PROCEDURES": 2, "CONSULTATION.POLICIES.SOCIAL_SECURITY": 1.5,
    "FEEDBACK.PRAISE": 2,
}  # fmt: skip
# Seasons: a multiplier per month (January first) by code prefix, the longest one wins.
_SEASONS = {
    "HEATING": (3.0, 2.6, 2.0, 1.0, 0.2, 0.1, 0.1, 0.1, 0.4, 1.8, 3.2, 3.4),
    "HEATING.FEES": (1.5, 1.0, 0.8, 0.6, 0.4, 0.4, 0.4, 0.5, 1.5, 2.5, 2.0, 1.5),
    "HEATING.SERVICE.NETWORK_WORKS": (0.2, 0.2, 0.3, 0.8, 1.5, 2, 2, 2, 1.8, 1, 0.3, 0.2),
    "UTILITIES.WATER": (0.8, 0.8, 0.9, 1, 1.1, 1.4, 1.6, 1.5, 1.1, 0.9, 0.8, 0.9),
    "UTILITIES.WATER.PIPE_BURST": (2, 1.8, 1.2, 0.8, 0.6, 0.6, 0.7, 0.7, 0.7, 0.9, 1.3, 2),
    "UTILITIES.DRAINAGE.WATERLOGGING": (0, 0, 0.1, 0.3, 0.8, 2, 4, 3.5, 1, 0.3, 0.1, 0),
    "UTILITIES.POWER.OUTAGE": (1, 0.9, 0.8, 0.8, 1, 1.5, 2, 1.8, 1, 0.8, 0.9, 1.1),
    "AGRICULTURE.WATER_FORESTRY.FLOODS": (0, 0, 0.1, 0.3, 0.8, 2, 4, 3.5, 1, 0.3, 0.1, 0),
    "AGRICULTURE.WATER_FORESTRY.IRRIGATION": (0.1, 0.1, 0.5, 1.8, 2, 2, 1.8, 1.5, 1, 0.6, 0.2, 0.1),
    "AGRICULTURE.WATER_FORESTRY.FIRES": (0.8, 1, 2, 2.5, 1.2, 0.5, 0.4, 0.4, 0.8, 1.6, 1.6, 1),
    "EMERGENCY.INCIDENTS.DISASTERS": (0.5, 0.6, 1.5, 2, 1.5, 1.5, 2, 2, 0.8, 0.5, 0.5, 0.6),
    "URBAN.SANITATION.SNOW": (3, 2.5, 0.8, 0.1, 0, 0, 0, 0, 0, 0.1, 1, 3),
    "URBAN.GREENING.PESTS": (0.1, 0.1, 0.3, 1, 3, 2.5, 1.5, 1, 0.6, 0.3, 0.1, 0.1),
    "URBAN.GREENING.TREES": (0.6, 0.6, 0.9, 1.2, 1.4, 1.4, 1.4, 1.4, 1.1, 1, 0.8, 0.6),
    "NOISE.SOCIAL.SQUARE_DANCE": (0.2, 0.2, 0.5, 1, 1.6, 2, 2.2, 2, 1.5, 0.8, 0.3, 0.2),
    "NOISE.CONSTRUCTION": (0.2, 0.2, 0.6, 1.2, 1.6, 1.6, 1.6, 1.6, 1.5, 1.2, 0.5, 0.2),
    "NOISE.COMMERCIAL.VENUES": (0.5, 0.5, 0.7, 1, 1.3, 1.6, 1.8, 1.8, 1.2, 0.9, 0.6, 0.5),
    "ENVIRONMENT.DUST": (0.6, 0.8, 1.6, 2, 1.6, 1.2, 1, 1, 1, 1, 0.8, 0.6),
    "ENVIRONMENT.AIR.CATERING_FUMES": (0.6, 0.6, 0.8, 1, 1.4, 1.6, 1.8, 1.7, 1.2, 0.9, 0.7, 0.6),
    "ENVIRONMENT.AIR.OPEN_BURNING": (1, 1, 1.2, 1.5, 0.8, 0.6, 0.6, 0.6, 0.8, 1.5, 1.5, 1.2),
    "MARKET.FOOD.POISONING": (0.5, 0.5, 0.6, 0.8, 1.2, 1.6, 2, 2, 1.2, 0.8, 0.6, 0.5),
    "EDUCATION.ENROLMENT": (0.5, 0.6, 0.8, 1, 1.5, 2.5, 2.8, 2.5, 1.5, 0.5, 0.4, 0.4),
    "HEALTH.PUBLIC_HEALTH.INFECTIOUS": (2, 1.8, 1.3, 1, 0.7, 0.6, 0.7, 0.8, 0.8, 1, 1.3, 1.8),
    "CONSULTATION.POLICIES.TAX": (0.8, 0.8, 2.2, 2.2, 2, 1.8, 0.7, 0.6, 0.6, 0.6, 0.6, 0.8),
    "LABOUR.MEDICAL_INSURANCE.ENROLMENT": (1.5, 1, 0.6, 0.5, 0.5, 0.5, 0.5, 0.6, 1.4, 2, 2.4, 2.2),
    "LABOUR.PENSIONS.RESIDENTS": (1.5, 1, 0.6, 0.5, 0.5, 0.5, 0.5, 0.6, 1.4, 2, 2.4, 2.2),
    "LABOUR.WAGES": (1.6, 1.2, 0.8, 0.7, 0.7, 0.7, 0.8, 0.8, 0.9, 1, 1.2, 1.6),
    "CULTURE.TOURISM": (0.5, 0.8, 0.6, 0.9, 1.4, 1.4, 2, 2, 1.2, 1.8, 0.5, 0.4),
    "SECURITY.FIRE.EBIKE_CHARGING": (1.5, 1.4, 1.1, 0.9, 0.8, 0.8, 0.8, 0.8, 0.9, 1, 1.2, 1.5),
    "PROPERTY.SERVICE.SHARED_FACILITIES": (0.8, 0.8, 0.9, 1, 1, 1.3, 1.6, 1.5, 1, 0.9, 0.8, 0.8),
}  # fmt: skip
#: Wage arrears pile up in the weeks before the Spring Festival.
_FESTIVAL_RUSH = ("LABOUR.WAGES", timedelta(days=45), 3.0)
# Calls per local hour (0 to 23) by channel kind.
_HOURS = {
    ChannelKind.HOTLINE: (
        1, 0.6, 0.4, 0.3, 0.3, 0.5, 1.2, 3, 6, 8, 8.5, 7.5,
        5, 5, 7, 7.5, 7, 6, 4.5, 4, 3.5, 3, 2, 1.5,
    ),
    ChannelKind.ONLINE: (
        2, 1.2, 0.8, 0.5, 0.4, 0.5, 1, 2, 3.5, 4.5, 5, 5,
        4.5, 4.5, 5, 5, 5, 5, 5, 5.5, 6, 6, 5, 3.5,
    ),
    ChannelKind.GRID: (0, 0, 0, 0, 0, 0, 0, 0.5, 5, 8, 8, 6, 2, 2, 6, 8, 7, 5, 1, 0, 0, 0, 0, 0),
    ChannelKind.WALK_IN: (0, 0, 0, 0, 0, 0, 0, 0, 0, 6, 8, 7, 0, 0, 0, 6, 7, 5, 0, 0, 0, 0, 0, 0),
}  # fmt: skip
_ONLINE_WEIGHTS = {
    "OL-WECHAT-MP": 25, "OL-WECHAT-OA": 15, "OL-MENGSUBAN": 12, "OL-CHATBOT": 6,
    "OL-ALIPAY-MP": 6, "OL-PORTAL": 6, "OL-MAYOR-MAILBOX": 5, "OL-SMS": 5,
    "OL-PEOPLE-BOARD": 4, "OL-DOUYIN": 3, "OL-WEIBO": 3, "OL-GOV-SUPERVISION": 2,
}  # fmt: skip
_MAIN_HOTLINE = "12345"
#: Who a ticket says came forward, by channel.
_WHO = {
    ChannelKind.HOTLINE: "市民来电",
    ChannelKind.ONLINE: "网友留言",
    ChannelKind.WALK_IN: "群众来访",
    ChannelKind.GRID: "网格员",
}
# Categories grid workers find on their rounds, and those they may settle on the spot.
_GRID_FINDS = (
    "URBAN", "ENVIRONMENT.AIR.CATERING_FUMES", "ENVIRONMENT.AIR.OPEN_BURNING",
    "ENVIRONMENT.DUST", "ENVIRONMENT.WASTE", "UTILITIES.DRAINAGE", "HOUSING.SAFETY",
    "SECURITY.FIRE", "SECURITY.ORDER.HAZARDS", "DISPUTES.CIVIL.NEIGHBOURS",
    "DISPUTES.CIVIL.FAMILY", "TRANSPORT.ROADS.DAMAGE", "TRANSPORT.ROADS.COLLAPSE",
    "TRANSPORT.PARKING.ILLEGAL", "TRANSPORT.PARKING.ABANDONED", "EMERGENCY.PRODUCTION",
    "PROPERTY.PARKING.LOCKS", "NOISE.SOCIAL", "AGRICULTURE.WATER_FORESTRY.FIRES",
    "AGRICULTURE.FARMING.ANIMAL_HEALTH", "CIVIL_AFFAIRS.ASSISTANCE.HOMELESS",
    "MARKET.FOOD.WORKSHOPS", "UTILITIES.POWER.HAZARD", "UTILITIES.GAS_SAFETY.HAZARD",
)  # fmt: skip
_ON_SITE = (
    "URBAN.CITYSCAPE", "URBAN.ANIMALS.DOGS", "URBAN.SANITATION.CLEANING",
    "SECURITY.FIRE.ESCAPE_ROUTES", "SECURITY.FIRE.EBIKE_CHARGING", "DISPUTES.CIVIL",
    "NOISE.SOCIAL", "PROPERTY.PARKING.LOCKS", "ENVIRONMENT.WASTE.COLLECTION",
    "ENVIRONMENT.WASTE.SORTING", "TRANSPORT.PARKING.ILLEGAL", "ENVIRONMENT.AIR.OPEN_BURNING",
)  # fmt: skip
#: Where an agent sends a ticket by mistake, by the key of the body it belongs to.
_CONFUSED_WITH = {
    "CG": "ZJ", "ZJ": "CG", "HJ": "CG", "GA": "CG", "SQ": "JD", "JD": "CG", "RL": "ZJ",
    "GS": "CG", "SCJG": "CG", "RS": "MZ", "MZ": "RS", "WJ": "YB", "YB": "WJ", "JT": "GA",
    "XFZD": "YJ", "YJ": "ZJ", "ZR": "HJ", "LC": "ZR", "NM": "ZR", "JY": "RS", "GJ": "JT",
}  # fmt: skip
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
#: The columns of a ticket record after its id, in order.
_STORED = TICKET_COLUMNS[1:]


class DemoCatalogueMissing(RuntimeError):
    """Demo tickets need the demo city, its accounts and the hotline's catalogue first."""


class _Stall(Enum):
    """Where a ticket of the last weeks is still waiting now."""

    RECEIVED = "RECEIVED"  # not dispatched yet
    DISPATCHED = "DISPATCHED"  # not signed for
    IN_PROGRESS = "IN_PROGRESS"  # not resolved
    RETURNED = "RETURNED"  # the agents have not dispatched it again
    RESOLVED = "RESOLVED"  # the citizen has not been reached for the revisit
    REOPENED = "REOPENED"  # the department has not signed again


#: How many of the last month's tickets wait at each stall (at least one of each).
_STALL_SHARE = 0.003
#: The stalls before a department's signature.
_UNSIGNED = frozenset({_Stall.DISPATCHED, _Stall.REOPENED})
#: Where a stall may be: the fewest working days and the most days since receipt (a
#: stalled ticket is never late before its stall, so it surely got there).
_STALLS = {
    _Stall.RECEIVED: (0, 2),
    _Stall.DISPATCHED: (2, 7),
    _Stall.RETURNED: (3, 7),
    _Stall.IN_PROGRESS: (3, 14),
    _Stall.RESOLVED: (8, 30),
    _Stall.REOPENED: (8, 30),
}


@dataclass(frozen=True, slots=True)
class _Leaf:
    id: int
    code: str
    name: str
    key: str | None
    reply_days: int | None
    complete_days: int | None
    urgency_hint: Urgency | None
    kinds: tuple[TicketKind, ...]


@dataclass(frozen=True, slots=True)
class _Grid:
    id: int
    code: str
    name: str
    path: str
    population: int
    grid_type: GridType
    names: tuple[str, ...]  # district, street, community
    shape: BaseGeometry
    worker_id: int | None


@dataclass(frozen=True, slots=True)
class _Channel:
    id: int
    code: str
    kind: ChannelKind


@dataclass(slots=True)
class _Draft:
    """A ticket as drawn, before it lives its life."""

    received_at: datetime
    leaf: _Leaf
    kind: TicketKind
    requested: Urgency
    urgency: Urgency
    channel: _Channel
    creator_id: int
    citizen_id: int | None
    name: str
    phone: str
    grid: _Grid | None
    lat: float | None
    lng: float | None
    address: str
    text: str
    title: str
    content: str
    photos: tuple[str, ...] = ()
    on_site: bool = False
    misrouted: bool = False
    master: _Draft | None = None
    stall: _Stall | None = None
    number: str = ""
    index: int = 0


@dataclass(frozen=True, slots=True)
class _Step:
    action: Action
    from_status: TicketStatus | None
    to_status: TicketStatus
    actor_id: int | None
    department_id: int | None
    note: str
    at: datetime


class _Future(Exception):
    """The next step of a ticket's life lies after now: it ends here."""


@dataclass(slots=True)
class _Life:
    """A ticket's columns and history as the workflow writes them, step by step."""

    row: dict[str, Any]
    now: datetime
    policy: SlaPolicy
    steps: list[_Step] = field(default_factory=list)
    # (when, status, department) after each step: what a later merge finds.
    trail: list[tuple[datetime, TicketStatus, int | None]] = field(default_factory=list)
    # Repeat calls merged into this ticket: steps that change nothing but the history.
    merges: list[_Step] = field(default_factory=list)
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
        """Take one step at ``at``, as :func:`tickets.workflow.move` does; :class:`_Future`
        when ``at`` is after now. The sweep supervises what ran overdue before it."""
        if at > self.now:
            raise _Future
        self.sweep(at)
        self._record(action, actor_id, target, changes or {}, note, department_id, at)

    def sweep(self, until: datetime) -> None:
        """What the deadline sweep did up to ``until``: supervise (督办) a ticket with a
        department once its running deadline passes, unless already supervised."""
        if self.status not in WITH_DEPARTMENT or self.row["supervised"] or not self.steps:
            return
        last = self.steps[-1].at
        _, due = running_deadline(self.record(), self.status, {}, last)
        if due is not None and last < due <= until:
            self._record(
                Action.SUPERVISE,
                None,
                self.status,
                {"supervised": True},
                AUTO_SUPERVISION_NOTE,
                self.row["department_id"],
                due,
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
        self.steps.append(_Step(action, source, target, actor_id, department_id, note, at))
        self.row.update(changes)
        self.row["status"] = target
        self.trail.append((at, target, self.row["department_id"]))


class _Router:
    """:func:`~tickets.routing.responsible_department`, asked once per key and place.

    Routing walks up from a ticket's place to the nearest body with the category's key;
    where no body with a key sits below some level, the answer for that key depends only
    on the place's path down to that level, so it is asked once per such path.
    """

    def __init__(self, depths: dict[str, int]) -> None:
        self._depths = depths  # the deepest level (1: the city) a body with each key sits at
        self._found: dict[tuple[str, str], DepartmentRecord | None] = {}
        self._known: dict[tuple[str, str], DepartmentRecord | None] = {}  # by key and path

    def _scope(self, key: str, path: str) -> tuple[str, str]:
        codes = path.rstrip("/").split("/")[: self._depths.get(key, 1)] if path else []
        return key, "".join(f"{code}/" for code in codes)

    async def learn(self, wanted: Iterable[tuple[str | None, str]]) -> None:
        """Ask routing about every (key, place) not asked yet."""
        for key, path in wanted:
            if key and (scope := self._scope(key, path)) not in self._found:
                self._found[scope] = await responsible_department(*scope)

    def __call__(self, key: str | None, path: str) -> DepartmentRecord | None:
        if not key:
            return None
        if (key, path) not in self._known:
            self._known[key, path] = self._found.get(self._scope(key, path))
        return self._known[key, path]


@dataclass(frozen=True, slots=True)
class _City:
    """What the draw needs from the database."""

    leaves: tuple[_Leaf, ...]
    grids: tuple[_Grid, ...]
    channels: tuple[_Channel, ...]
    lines: dict[str, tuple[_Channel, ...]]  # merged hotlines by the key of their department
    agents: tuple[int, ...]
    citizen_id: int | None
    calendar: WorkingCalendar
    policy: SlaPolicy
    festivals: tuple[date, ...]


async def seed_demo_tickets(count: int = DEMO_TICKETS, progress: SeedProgress | None = None) -> int:
    """Load ``count`` demo tickets with their history into the connected database, which
    holds the demo city and the hotline's catalogue; return how many were added (0 when
    demo tickets are there already).

    Raises :class:`DemoCatalogueMissing` when the city or the catalogue is not loaded.
    """
    if count < 0:
        raise ValueError(f"count must be 0 or more, not {count}")
    progress = progress or QuietProgress()
    if not count or await Ticket.exists(
        idempotency_key__startswith=KEY_PREFIX, created_by__is_demo=True
    ):
        progress.stage("Demo tickets", 0)
        return 0
    now = clock.now()
    async with in_transaction():
        city = await _load_city(now)
        progress.stage("Drawing tickets", count)
        with _collector_paused():
            drafts = _Draw(city, now, random.Random(_SEED), progress).tickets(count)
        router = await _router()
        await router.learn(_routes(drafts))
        _number(drafts, await _issued(drafts))
        staff = await _staff_accounts(router, drafts, now)
        progress.stage("Working tickets", len(drafts))
        with _collector_paused():
            lives = _Lives(city, router, staff, now, random.Random(_SEED + 1)).live(
                drafts, progress
            )
        progress.stage("Tickets", len(lives))
        ids = await _insert_tickets(lives, progress)
        progress.stage("Ticket history", sum(len(life.steps) for life in lives))
        for start in range(0, len(lives), _BATCH):
            rows = [
                row
                for n in range(start, min(start + _BATCH, len(lives)))
                for row in _history(lives[n], n, ids)
            ]
            await _insert_rows(TicketEvent, rows, progress)
        await _advance_sequences(drafts)
    return len(lives)


# -- loading -------------------------------------------------------------------------


async def _load_city(now: datetime) -> _City:
    categories = await Category.filter(level=3, is_active=True).order_by("sort_order", "id")
    areas = {
        row["code"]: row
        for row in await Area.all().values(
            "id", "code", "name", "level", "path", "population", "grid_type", "boundary"
        )
    }
    accounts = dict(
        await Account.filter(
            username__in=[_DEMO_AGENT, _DEMO_CITIZEN, *_agent_names()]
        ).values_list("username", "id")
    )
    grid_rows = [a for a in areas.values() if a["level"] == AreaLevel.GRID and a["population"]]
    if not categories or not grid_rows or _DEMO_AGENT not in accounts:
        raise DemoCatalogueMissing(
            "Demo tickets need the demo city and the hotline's catalogue: run "
            "`wuyou seed --demo` (it loads them first)."
        )
    workers = await workers_in_grids(a["id"] for a in grid_rows)
    grids = tuple(
        _Grid(
            id=a["id"],
            code=a["code"],
            name=a["name"],
            path=a["path"],
            population=a["population"],
            grid_type=GridType(a["grid_type"]),
            names=tuple(areas[c]["name"] for c in a["path"].rstrip("/").split("/")[1:4]),
            shape=_prepared(parse_boundary(a["boundary"])),
            worker_id=_worker(workers[a["id"]]),
        )
        for a in sorted(grid_rows, key=lambda a: a["code"])
    )
    channels, lines = await _channels()
    agents = await _agent_accounts(accounts, now)
    return _City(
        leaves=tuple(
            _Leaf(
                id=c.id,
                code=c.code,
                name=c.name,
                key=c.department_key,
                reply_days=c.reply_days,
                complete_days=c.complete_days,
                urgency_hint=c.urgency_hint,
                kinds=texts.kinds_of(c.code),
            )
            for c in categories
        ),
        grids=grids,
        channels=channels,
        lines=lines,
        agents=(*agents, accounts[_DEMO_AGENT]),
        citizen_id=accounts.get(_DEMO_CITIZEN),
        calendar=await working_calendar(),
        policy=await sla_policy(),
        festivals=await _festivals(),
    )


def _prepared(shape: BaseGeometry) -> BaseGeometry:
    shapely.prepare(shape)
    return shape


def _worker(workers: Sequence[Any]) -> int | None:
    """The grid's worker who reports its events (demo-grid where it serves)."""
    ranked = sorted(workers, key=lambda w: (w.username != "demo-grid", w.username))
    return ranked[0].account_id if ranked else None


async def _channels() -> tuple[tuple[_Channel, ...], dict[str, tuple[_Channel, ...]]]:
    rows = (
        await Channel.filter(is_active=True)
        .order_by("sort_order", "code")
        .values("id", "code", "kind", "number", "department__code")
    )
    channels = tuple(_Channel(r["id"], r["code"], ChannelKind(r["kind"])) for r in rows)
    lines: dict[str, list[_Channel]] = defaultdict(list)
    for row, channel in zip(rows, channels, strict=True):
        merged = channel.kind is ChannelKind.HOTLINE and row["number"] != _MAIN_HOTLINE
        if merged and row["department__code"]:
            lines[row["department__code"].split("-", 1)[1]].append(channel)
    return channels, {key: tuple(found) for key, found in lines.items()}


async def _festivals() -> tuple[date, ...]:
    """The first days of the Spring Festival holidays the calendar knows."""
    days: set[date] = {r["day"] for r in await CalendarDay.filter(name="春节").values("day")}
    return tuple(sorted(d for d in days if d - timedelta(days=1) not in days))


def _agent_names() -> list[str]:
    return [f"{AGENT_PREFIX}{n:02d}" for n in range(1, AGENT_COUNT + 1)]


async def _agent_accounts(known: dict[str, int], now: datetime) -> list[int]:
    """The hotline agents' accounts (no password), created if missing."""
    rng = random.Random(_SEED)
    names = {username: person_name(rng) for username in _agent_names()}
    await _create_accounts({u: n for u, n in names.items() if u not in known}, Role.AGENT, {}, now)
    ids = dict(await Account.filter(username__in=list(names)).values_list("username", "id"))
    return [ids[username] for username in names]


async def _create_accounts(
    names: dict[str, str], role: Role, departments: dict[str, int], now: datetime
) -> None:
    """Password-less demo accounts ``username: display name`` with their CREATED event,
    and for staff their department (``username: department id``)."""
    if not names:
        return
    await Account.bulk_create(
        [
            Account(
                username=username,
                display_name=name,
                role=role,
                password_hash=None,
                is_demo=True,
                created_at=now,
                updated_at=now,
            )
            for username, name in names.items()
        ]
    )
    ids = dict(await Account.filter(username__in=list(names)).values_list("username", "id"))
    await AccountEvent.bulk_create(
        [
            AccountEvent(
                account_id=ids[username],
                kind=AccountEventKind.CREATED,
                note=f"role {role.value}; {_NOTE}",
                occurred_at=now,
            )
            for username in names
        ]
    )
    if departments:
        await DepartmentMember.bulk_create(
            [
                DepartmentMember(account_id=ids[username], department_id=departments[username])
                for username in names
            ]
        )


async def _router() -> _Router:
    depths: dict[str, int] = {}
    for row in await Department.filter(is_active=True).values("code", "area__path"):
        key = str(row["code"]).rsplit("-", 1)[-1]
        depth = len(str(row["area__path"]).rstrip("/").split("/"))
        depths[key] = max(depths.get(key, 1), depth)
    return _Router(depths)


def _routes(drafts: Iterable[_Draft]) -> Iterator[tuple[str | None, str]]:
    """Every (key, path) the drafts may be routed by, the wrong ones of the misrouted too."""
    for draft in drafts:
        path = draft.grid.path if draft.grid else ""
        yield draft.leaf.key, path
        if draft.misrouted:
            yield from ((key, path) for key in _wrong_keys(draft.leaf.key))


def _wrong_keys(key: str | None) -> list[str]:
    """The keys of the bodies an agent may mistake the one with ``key`` for."""
    confused = _CONFUSED_WITH.get(key or "")
    return [*([confused] if confused else []), "CG", "ZJ"]


async def _staff_accounts(
    router: _Router, drafts: Iterable[_Draft], now: datetime
) -> dict[int, int]:
    """The account acting for each department tickets go to: demo-department for its
    department, else the department's demo staff account (created if missing)."""
    departments: dict[int, str] = {}
    for key, path in _routes(drafts):
        department = router(key, path)
        if department is not None:
            departments[department.id] = department.code
    staff: dict[int, int] = {}
    demo = await Account.filter(
        username="demo-department", department_member__department__code=DEMO_DEPARTMENT
    ).first()
    for dept_id, code in departments.items():
        if demo is not None and code == DEMO_DEPARTMENT:
            staff[dept_id] = demo.id
    usernames = {
        dept_id: f"{STAFF_PREFIX}{code.lower()}"
        for dept_id, code in sorted(departments.items())
        if dept_id not in staff
    }
    known = dict(
        await Account.filter(username__in=list(usernames.values())).values_list("username", "id")
    )
    rng = random.Random(_SEED + 2)
    missing = {u: person_name(rng) for u in usernames.values() if u not in known}
    by_username = {username: dept_id for dept_id, username in usernames.items()}
    await _create_accounts(missing, Role.DEPARTMENT, {u: by_username[u] for u in missing}, now)
    ids = dict(
        await Account.filter(username__in=list(usernames.values())).values_list("username", "id")
    )
    return staff | {dept_id: ids[username] for dept_id, username in usernames.items()}


# -- drawing -------------------------------------------------------------------------


class _Draw:
    """Draws the tickets of the year: when, what, where, who, by which channel."""

    def __init__(
        self, city: _City, now: datetime, rng: random.Random, progress: SeedProgress
    ) -> None:
        self.city, self.now, self.rng, self.progress = city, now, rng, progress
        self.calendar = city.calendar
        today = now.astimezone(CITY_TIMEZONE).date()
        self.days = [today - timedelta(days=n) for n in range(_DAYS - 1, -1, -1)]
        self.grid_weights = list(_cumulative(g.population for g in city.grids))
        self.callers: dict[int, list[tuple[str, str]]] = defaultdict(list)
        self.phones: set[str] = {_DEMO_CITIZEN_PHONE}
        self.photos = 0
        self.by_kind: dict[ChannelKind, list[_Channel]] = defaultdict(list)
        for channel in city.channels:
            self.by_kind[channel.kind].append(channel)
        self._leaf_tables: dict[tuple[int, bool], list[float]] = {}

    def tickets(self, count: int) -> list[_Draft]:
        """``count`` tickets in the order received, repeat calls among them."""
        day_weights = list(_cumulative(self._day_weight(day) for day in self.days))
        drafts: list[_Draft] = []
        reported = 0
        # Days in the order drawn (not sorted), so that repeat calls, which take places,
        # leave no part of the year short.
        for day in self.rng.choices(self.days, cum_weights=day_weights, k=count):
            if len(drafts) >= count:
                break
            draft = self._ticket(day)
            drafts.append(draft)
            if (repeat := self._repeat(draft)) is not None and len(drafts) < count:
                drafts.append(repeat)
            if len(drafts) - reported >= _BATCH:
                self.progress.advance(len(drafts) - reported)
                reported = len(drafts)
        self.progress.advance(len(drafts) - reported)
        drafts.sort(key=lambda d: d.received_at)
        for position, draft in enumerate(drafts):
            draft.index = position
        self._stall(drafts)
        return drafts

    # When -----------------------------------------------------------------------

    def _day_weight(self, day: date) -> float:
        weekday = day.weekday()
        factor = (1.15, 1.05, 1.05, 1.05, 1.0, 0.72, 0.68)[weekday]
        if weekday < 5 and not self.calendar.is_working_day(day):
            factor = 0.5 if self._festival(day) else 0.6
        elif weekday >= 5 and self.calendar.is_working_day(day):
            factor = 1.0
        volume = self._leaf_table(day)[-1]
        if day == self.days[-1]:
            local = self.now.astimezone(CITY_TIMEZONE)
            factor *= (local.hour * 60 + local.minute) / 1440
        return factor * volume

    def _festival(self, day: date) -> bool:
        return any(0 <= (day - first).days < 9 for first in self.city.festivals)

    def _rush(self, day: date) -> bool:
        window = _FESTIVAL_RUSH[1]
        return any(first - window <= day < first for first in self.city.festivals)

    def _moment(self, day: date, kind: ChannelKind) -> datetime:
        for _ in range(20):
            hour = self.rng.choices(range(24), weights=_HOURS[kind])[0]
            local = datetime.combine(day, time(hour), tzinfo=CITY_TIMEZONE)
            moment = (local + timedelta(seconds=self.rng.randrange(3600))).astimezone(UTC)
            if moment < self.now:
                return moment
        return self.now - timedelta(seconds=self.rng.randrange(1, 600))

    # What -----------------------------------------------------------------------

    def _leaf_table(self, day: date) -> list[float]:
        rush = self._rush(day)
        table = self._leaf_tables.get((day.month, rush))
        if table is None:
            weights = [self._leaf_weight(leaf, day.month, rush) for leaf in self.city.leaves]
            table = self._leaf_tables[(day.month, rush)] = list(_cumulative(weights))
        return table

    def _leaf_weight(self, leaf: _Leaf, month: int, rush: bool) -> float:
        parts = leaf.code.split(".")
        siblings = sum(1 for other in self.city.leaves if other.code.startswith(f"{parts[0]}."))
        weight = _ROOT_SHARES.get(parts[0], 1.0) / siblings * _longest(_LEAF_WEIGHTS, parts, 1.0)
        season = _longest(_SEASONS, parts, None)
        if season is not None:
            weight *= season[month - 1]
        if rush and leaf.code.startswith(_FESTIVAL_RUSH[0]):
            weight *= _FESTIVAL_RUSH[2]
        return weight

    def _ticket(self, day: date) -> _Draft:
        rng = self.rng
        leaf = rng.choices(self.city.leaves, cum_weights=self._leaf_table(day))[0]
        kind = rng.choices(leaf.kinds, weights=(3, 2, 1)[: len(leaf.kinds)])[0]
        issue = kind in (TicketKind.REQUEST, TicketKind.COMPLAINT, TicketKind.REPORT)
        grid_event = issue and leaf.code.startswith(_GRID_FINDS) and rng.random() < 0.35
        channel = self._channel(leaf, day, grid_event)
        grid_event = channel.kind is ChannelKind.GRID
        if grid_event:
            kind = TicketKind.REPORT if kind is not TicketKind.REQUEST else kind
        requested = Urgency.URGENT if issue and rng.random() < 0.04 else Urgency.NORMAL
        hint = leaf.urgency_hint
        urgency = max(requested, hint or requested, key=list(Urgency).index)
        grid = self._grid() if issue or rng.random() < 0.5 else None
        received_at = self._moment(day, channel.kind)
        name, phone = self._caller(grid, grid_event)
        text = rng.choice(texts.texts_for(leaf.code, leaf.name, kind))
        lat, lng = self._point(grid) if grid else (None, None)
        address, place = self._address(grid)
        local = issue and (grid_event or leaf.code.startswith(texts.LOCAL))
        creator, citizen_id = self._creator(channel, grid)
        if citizen_id is not None:
            name, phone = "演示市民", _DEMO_CITIZEN_PHONE
        on_site = grid_event and rng.random() < (0.6 if leaf.code.startswith(_ON_SITE) else 0.1)
        photos: tuple[str, ...] = ()
        if grid_event:
            photos = tuple(self._photo() for _ in range(rng.randint(1, 4)))
        return _Draft(
            received_at=received_at,
            leaf=leaf,
            kind=kind,
            requested=requested,
            urgency=urgency,
            channel=channel,
            creator_id=creator,
            citizen_id=citizen_id,
            name=name,
            phone=phone,
            grid=grid,
            lat=lat,
            lng=lng,
            address=address,
            text=text,
            title=texts.title(kind, text, place if local else ""),
            content=texts.content(
                kind,
                text,
                who=_WHO[channel.kind],
                address=address if local else "",
                grid_event=grid_event,
                rng=rng,
            ),
            photos=photos,
            on_site=on_site,
            misrouted=not grid_event and rng.random() < 0.03,
        )

    def _repeat(self, draft: _Draft) -> _Draft | None:
        """Now and then the caller rings again about the same thing within three days."""
        if draft.channel.kind is ChannelKind.GRID or not draft.phone or draft.grid is None:
            return None
        if self.rng.random() >= 0.015:
            return None
        at = draft.received_at + timedelta(minutes=self.rng.uniform(30, 48 * 60))
        if at >= self.now:
            return None
        return _Draft(
            received_at=at,
            leaf=draft.leaf,
            kind=draft.kind,
            requested=draft.requested,
            urgency=draft.urgency,
            channel=self.by_kind[ChannelKind.HOTLINE][0],
            creator_id=self.rng.choice(self.city.agents),
            citizen_id=None,
            name=draft.name,
            phone=draft.phone,
            grid=draft.grid,
            lat=draft.lat,
            lng=draft.lng,
            address=draft.address,
            text=draft.text,
            title=draft.title,
            content=texts.content(
                draft.kind,
                draft.text,
                who="市民再次来电",
                address=draft.address if draft.leaf.code.startswith(texts.LOCAL) else "",
                grid_event=False,
                rng=self.rng,
            ),
            master=draft,
        )

    # Where and who --------------------------------------------------------------

    def _channel(self, leaf: _Leaf, day: date, grid_event: bool) -> _Channel:
        by_kind, rng = self.by_kind, self.rng
        if grid_event and by_kind[ChannelKind.GRID]:
            return by_kind[ChannelKind.GRID][0]
        draw = rng.random()
        if draw < 0.19 and by_kind[ChannelKind.ONLINE]:
            online = by_kind[ChannelKind.ONLINE]
            weights = [_ONLINE_WEIGHTS.get(c.code, 0.5) for c in online]
            return rng.choices(online, weights=weights)[0]
        if draw < 0.22 and by_kind[ChannelKind.WALK_IN] and self.calendar.is_working_day(day):
            return rng.choice(by_kind[ChannelKind.WALK_IN])
        lines = self.city.lines.get(leaf.key or "", ())
        if draw < 0.30 and lines:
            return rng.choice(lines)
        return by_kind[ChannelKind.HOTLINE][0]

    def _grid(self) -> _Grid:
        return self.rng.choices(self.city.grids, cum_weights=self.grid_weights)[0]

    def _point(self, grid: _Grid) -> tuple[float, float]:
        """A point inside the grid."""
        min_lng, min_lat, max_lng, max_lat = grid.shape.bounds
        for _ in range(200):
            lat = round(self.rng.uniform(min_lat, max_lat), 6)
            lng = round(self.rng.uniform(min_lng, max_lng), 6)
            if shapely.contains_xy(grid.shape, lng, lat):
                return lat, lng
        point = grid.shape.representative_point()
        return point.y, point.x

    def _address(self, grid: _Grid | None) -> tuple[str, str]:
        """The address written on the ticket, and the place its title names."""
        if grid is None:
            return "", ""
        prefix = "".join(grid.names)
        if grid.grid_type is GridType.DEDICATED:
            place = grid.name.removesuffix("专属网格")
            return f"{prefix}{place}", place
        if grid.grid_type is GridType.RURAL:
            return f"{prefix}{self.rng.randint(1, 9)}组", grid.names[-1]
        estate = texts.estate(grid.code, self.rng)
        return f"{prefix}{estate}{self.rng.randint(1, 30)}号楼", estate

    def _caller(self, grid: _Grid | None, grid_event: bool) -> tuple[str, str]:
        """Who rang: often someone new, now and then a neighbour who rang before."""
        if grid_event and self.rng.random() < 0.6:
            return "", ""
        known = self.callers[grid.id if grid else 0]
        if known and self.rng.random() < 0.12:
            return self.rng.choice(known)
        caller = person_name(self.rng), mobile_number(self.rng, self.phones)
        known.append(caller)
        return caller

    def _creator(self, channel: _Channel, grid: _Grid | None) -> tuple[int, int | None]:
        """Who recorded the ticket, and the citizen's account when they wrote it themselves."""
        if channel.kind is ChannelKind.GRID and grid is not None and grid.worker_id:
            return grid.worker_id, None
        citizen = self.city.citizen_id
        if channel.kind is ChannelKind.ONLINE and citizen and self.rng.random() < 1 / 300:
            return citizen, citizen
        return self.rng.choice(self.city.agents), None

    def _photo(self) -> str:
        self.photos += 1
        return PHOTO_URL.format(n=self.photos)

    def _stall(self, drafts: list[_Draft]) -> None:
        """Leave some tickets of the last weeks waiting somewhere now, each stall at least
        once, so that the desks have work of every kind."""
        month = self.now - timedelta(days=30)
        candidates = [
            d
            for d in drafts
            if d.received_at > month
            and d.master is None
            and d.channel.kind is not ChannelKind.GRID
            and d.kind in (TicketKind.REQUEST, TicketKind.COMPLAINT, TicketKind.REPORT)
            and d.urgency is Urgency.NORMAL
        ]
        per_stall = max(1, round(len(candidates) * _STALL_SHARE))
        for stall, (working_days, days) in _STALLS.items():
            ready = [
                d
                for d in candidates
                if d.stall is None
                and self.calendar.working_days_between(d.received_at, self.now) >= working_days
            ]
            recent = [d for d in ready if self.now - d.received_at < timedelta(days=days)]
            pool = recent or ready[-1:]  # a quiet fortnight: the latest ticket that will do
            for draft in self.rng.sample(pool, min(per_stall, len(pool))):
                draft.stall = stall
                draft.misrouted = stall is _Stall.RETURNED


# -- living --------------------------------------------------------------------------


class _Lives:
    """Takes each drawn ticket through the workflow's steps up to now."""

    def __init__(
        self,
        city: _City,
        router: _Router,
        staff: dict[int, int],
        now: datetime,
        rng: random.Random,
    ) -> None:
        self.city, self.route, self.staff, self.now, self.rng = city, router, staff, now, rng
        self.calendar, self.policy = city.calendar, city.policy
        self.discontent: dict[TicketKind, float] = {}

    def live(self, drafts: Sequence[_Draft], progress: SeedProgress) -> list[_Life]:
        """Each draft's life, in the order received."""
        mean = sum(_DISCONTENT[d.kind] for d in drafts) / max(len(drafts), 1)
        # A first revisit finds this share unsatisfied, so that with the revisits after
        # a reopening the share of all revisits is UNSATISFIED_SHARE.
        first = UNSATISFIED_SHARE / ((1 + _STILL_UNSATISFIED) * (1 - UNSATISFIED_SHARE))
        self.discontent = {k: first * w / (mean or 1) for k, w in _DISCONTENT.items()}
        lives: list[_Life] = []
        earlier: dict[tuple[str, int, int], tuple[datetime, int]] = {}
        for draft in drafts:
            life = _Life(row=self._row(draft), now=self.now, policy=self.policy)
            life.duplicate_of = self._duplicate(draft, earlier)
            with suppress(_Future):  # the ticket's life goes on after now
                self._live(draft, life, lives)
            lives.append(life)
            if len(lives) % _BATCH == 0:
                progress.advance(_BATCH)
        for life in lives:
            life.finish()
        progress.advance(len(lives) % _BATCH)
        return lives

    def _duplicate(
        self, draft: _Draft, earlier: dict[tuple[str, int, int], tuple[datetime, int]]
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

    def _row(self, d: _Draft) -> dict[str, Any]:
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

    def _live(self, d: _Draft, life: _Life, lives: Sequence[_Life]) -> None:
        life.step(d.received_at, Action.RECEIVE, d.creator_id, TicketStatus.RECEIVED)
        if d.master is not None and self._merge(d, life, lives[d.master.index]):
            return
        if d.stall is _Stall.RECEIVED:
            return
        department = self.route(d.leaf.key, life.row["area_path"])
        if d.channel.kind is ChannelKind.GRID:
            self._grid_event(d, life, department)
        elif department is None or self._answered_at_intake(d):
            self._resolve_at_intake(d, life, department)
        else:
            at = self._after(d.received_at, self._dispatch_delay(d))
            self._department(d, life, department, at, self._taker(d))

    def _answered_at_intake(self, d: _Draft) -> bool:
        share = {TicketKind.CONSULTATION: 0.3, TicketKind.PRAISE: 0.4}.get(d.kind, 0.0)
        return self.rng.random() < share

    def _resolve_at_intake(
        self, d: _Draft, life: _Life, department: DepartmentRecord | None
    ) -> None:
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

    def _grid_event(self, d: _Draft, life: _Life, department: DepartmentRecord | None) -> None:
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

    def _close_on_site(self, life: _Life, at: datetime, worker: int) -> None:
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
        self, d: _Draft, life: _Life, department: DepartmentRecord, at: datetime, agent: int
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
            if d.stall is _Stall.RETURNED:
                return
            at = self._after(back, self.rng.uniform(10, 180))
        self._dispatch(d, life, department, at, self._agent())
        self._work(d, life, department)

    def _wrong(self, d: _Draft, department: DepartmentRecord, path: str) -> DepartmentRecord | None:
        """The body an agent mistakes the right one for."""
        for key in _wrong_keys(d.leaf.key):
            wrong = self.route(key, path)
            if wrong is not None and wrong.id != department.id:
                return wrong
        return None

    def _dispatch(
        self,
        d: _Draft,
        life: _Life,
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

    def _work(self, d: _Draft, life: _Life, department: DepartmentRecord) -> None:
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
            if d.stall is _Stall.IN_PROGRESS:
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
        self, life: _Life, department: DepartmentRecord, signed: datetime, resolved: datetime
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

    def _revisit(self, d: _Draft, life: _Life, resolved: datetime, *, can_reopen: bool) -> bool:
        """Ring the citizen back (回访): CLOSED, or REOPENED (True) as
        :func:`tickets.workflow.revisit` does."""
        row = life.row
        first = not row["reopen_count"]
        if d.stall is _Stall.RESOLVED and first:
            raise _Future  # the citizen could not be reached yet
        late = self.rng.random() < 0.02 and d.stall is None
        at = self._revisit_at(resolved, row["revisit_deadline"], late=late)
        share = self.discontent[d.kind] if first else _STILL_UNSATISFIED
        unsatisfied = (d.stall is _Stall.REOPENED and first) or self.rng.random() < share
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

    def _merge(self, d: _Draft, life: _Life, master: _Life) -> bool:
        """Merge a repeat call into the ticket it repeats while that one is open, as
        :func:`tickets.merging.merge` does; it then closes with it. False when the
        repeat must be handled on its own."""
        assert d.master is not None
        at = self._after(d.received_at, self.rng.uniform(3, 40))
        state = master.state_at(at)
        if state is None or state[0] in (TicketStatus.MERGED, TicketStatus.CLOSED):
            return False
        if at > self.now:
            raise _Future
        agent = self._agent()
        status, department = state
        note = f"并入工单：{d.number}。"
        master.merges.append(_Step(Action.MERGE, status, status, agent, department, note, at))
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

    def _deadlines(self, d: _Draft, received_at: datetime, dispatched_at: datetime) -> Deadlines:
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

    def _dispatch_delay(self, d: _Draft) -> float:
        """Minutes from receipt to dispatch."""
        if d.urgency is Urgency.CRITICAL:
            return self.rng.uniform(2, 8)
        if d.urgency is Urgency.URGENT:
            return self.rng.uniform(5, 30)
        return min(self.rng.lognormvariate(math.log(35), 0.8), 600)

    def _sign_at(self, d: _Draft, dispatched: datetime, deadline: datetime) -> datetime:
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

    def _resolve_at(self, d: _Draft, signed: datetime, deadline: datetime) -> datetime:
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

    def _taker(self, d: _Draft) -> int:
        """The agent who took the call or registered the message, else any agent."""
        recorded = d.citizen_id is None and d.channel.kind is not ChannelKind.GRID
        return d.creator_id if recorded else self._agent()


# -- numbering and storing -----------------------------------------------------------


async def _issued(drafts: Sequence[_Draft]) -> dict[date, int]:
    """The last number already issued on each day the drafts fall on."""
    if not drafts:
        return {}
    days = {_local_day(d.received_at) for d in drafts}
    issued: dict[date, int] = dict(
        await NumberSequence.filter(prefix=NUMBER_PREFIX, day__in=list(days)).values_list(
            "day", "value"
        )
    )
    since = drafts[0].received_at - timedelta(days=2)
    for number in await Ticket.filter(received_at__gte=since).values_list("number", flat=True):
        text = str(number)
        if text.startswith(NUMBER_PREFIX) and len(text) == len(NUMBER_PREFIX) + 14:
            day = datetime.strptime(text[2:10], "%Y%m%d").date()
            issued[day] = max(issued.get(day, 0), int(text[10:]))
    return issued


def _number(drafts: Sequence[_Draft], issued: dict[date, int]) -> None:
    """Number the drafts (in the order received) after what each day has issued."""
    last = dict(issued)
    for draft in drafts:
        day = _local_day(draft.received_at)
        last[day] = last.get(day, 0) + 1
        draft.number = f"{NUMBER_PREFIX}{day:%Y%m%d}{last[day]:06d}"


async def _advance_sequences(drafts: Sequence[_Draft]) -> None:
    """Set each day's sequence to its last number, so intake continues after it."""
    last: dict[date, int] = {}
    for draft in drafts:
        last[_local_day(draft.received_at)] = int(draft.number[10:])
    rows = dict(
        await NumberSequence.filter(prefix=NUMBER_PREFIX, day__in=list(last)).values_list(
            "day", "id"
        )
    )
    for day, value in last.items():
        if day in rows:
            await NumberSequence.filter(id=rows[day], value__lt=value).update(value=value)
    await NumberSequence.bulk_create(
        [
            NumberSequence(prefix=NUMBER_PREFIX, day=day, value=value)
            for day, value in sorted(last.items())
            if day not in rows
        ]
    )


async def _insert_tickets(lives: Sequence[_Life], progress: SeedProgress) -> list[int]:
    """Store the tickets; their ids in order. Merges and duplicates point at ids, set last."""
    ids: list[int] = []
    for chunk in _chunks(lives, _BATCH):
        await _insert_rows(Ticket, [life.row for life in chunk], progress)
        found = dict(
            await Ticket.filter(number__in=[life.row["number"] for life in chunk]).values_list(
                "number", "id"
            )
        )
        ids.extend(found[life.row["number"]] for life in chunk)
    for n, life in enumerate(lives):
        links = {}
        if life.master is not None:
            links["merged_into_id"] = ids[life.master]
        if life.duplicate_of is not None:
            links["likely_duplicate_of_id"] = ids[life.duplicate_of]
        if links:
            await Ticket.filter(id=ids[n]).update(**links)
    return ids


def _history(life: _Life, position: int, ids: Sequence[int]) -> Iterator[dict[str, Any]]:
    """The ticket's history rows; intake noted the id of the ticket it likely repeats."""
    for step in life.steps:
        note = step.note
        if step.action is Action.RECEIVE and life.duplicate_of is not None:
            note = f"疑似重复：{ids[life.duplicate_of]}"
        yield {
            "ticket_id": ids[position],
            "action": step.action,
            "from_status": step.from_status,
            "to_status": step.to_status,
            "actor_id": step.actor_id,
            "department_id": step.department_id,
            "note": note,
            "occurred_at": step.at,
        }


async def _insert_rows(
    model: type[Model], rows: Sequence[dict[str, Any]], progress: SeedProgress
) -> None:
    """Insert rows (field name: value) in batches with the model's own INSERT statement,
    as ``bulk_create`` does but without a model instance per row: enums go in as their
    values and JSON through its field, everything else as it is."""
    db = model._meta.db
    executor = db.executor_class(model=model, db=db)
    fields = model._meta.fields_map
    converters = [(name, _converter(model, fields[name])) for name in executor.regular_columns]
    for chunk in _chunks(rows, _BATCH):
        values = [[convert(row[name]) for name, convert in converters] for row in chunk]
        await db.execute_many(executor.insert_query, values)
        progress.advance(len(chunk))


def _converter(model: type[Model], field: Field[Any]) -> Callable[[Any], Any]:
    if isinstance(field, CharEnumFieldInstance):
        return lambda value: None if value is None else value.value
    if isinstance(field, JSONField):
        return lambda value: field.to_db_value(value, model)
    return lambda value: value


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while tickets are planned: the planning makes
    millions of small, long-lived objects and no cycles, and each collection would
    rescan them all (a third of the planning's time)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _local_day(moment: datetime) -> date:
    return moment.astimezone(CITY_TIMEZONE).date()


def _longest(table: dict[str, Any], parts: list[str], default: Any) -> Any:
    for depth in range(len(parts), 0, -1):
        found = table.get(".".join(parts[:depth]))
        if found is not None:
            return found
    return default


def _cumulative(weights: Iterable[float]) -> Iterator[float]:
    total = 0.0
    for weight in weights:
        total += weight
        yield total


def _chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
