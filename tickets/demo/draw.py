"""Draw the tickets of a year: when, what, where, who and by which channel.

Days are weighted by weekday, holidays and volume; categories by volume and season
(heating in winter, flooding in summer, wage arrears before the Spring Festival); places
by the grids' populations; hours by channel. Now and then a caller rings again about the
same thing, and some tickets of the last weeks are left waiting at each stall.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import Enum
from typing import Any

import shapely

from grids.catalogue import ChannelRecord
from grids.demo import SeedProgress
from grids.demo.people import mobile_number, person_name
from grids.models import ChannelKind, GridType
from tickets.demo import texts
from tickets.demo.city import City, Grid, Leaf
from tickets.sla import TicketKind, Urgency
from wuyou.clock import CITY_TIMEZONE

#: Where grid workers' photos are, numbered from 1.
PHOTO_URL = "https://img.wuhai.example/grid/{n}.jpg"
#: Tickets drawn (or lived) between two reports of progress.
PROGRESS_STEP = 1000

_DAYS = 365
_DEMO_CITIZEN_PHONE = "13904730000"

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


class Stall(Enum):
    """Where a ticket of the last weeks is still waiting now."""

    RECEIVED = "RECEIVED"  # not dispatched yet
    DISPATCHED = "DISPATCHED"  # not signed for
    IN_PROGRESS = "IN_PROGRESS"  # not resolved
    RETURNED = "RETURNED"  # the agents have not dispatched it again
    RESOLVED = "RESOLVED"  # the citizen has not been reached for the revisit
    REOPENED = "REOPENED"  # the department has not signed again


#: How many of the last month's tickets wait at each stall (at least one of each).
_STALL_SHARE = 0.003
#: Where a stall may be: the fewest working days and the most days since receipt (a
#: stalled ticket is never late before its stall, so it surely got there).
_STALLS = {
    Stall.RECEIVED: (0, 2),
    Stall.DISPATCHED: (2, 7),
    Stall.RETURNED: (3, 7),
    Stall.IN_PROGRESS: (3, 14),
    Stall.RESOLVED: (8, 30),
    Stall.REOPENED: (8, 30),
}


@dataclass(slots=True)
class Draft:
    """A ticket as drawn, before it lives its life."""

    received_at: datetime
    leaf: Leaf
    kind: TicketKind
    requested: Urgency
    urgency: Urgency
    channel: ChannelRecord
    creator_id: int
    citizen_id: int | None
    name: str
    phone: str
    grid: Grid | None
    lat: float | None
    lng: float | None
    address: str
    text: str
    title: str
    content: str
    photos: tuple[str, ...] = ()
    on_site: bool = False
    misrouted: bool = False
    master: Draft | None = None
    stall: Stall | None = None
    number: str = ""  # given when the drafts are numbered
    index: int = 0  # the position in the order received


class Draw:
    """Draws the tickets of the year: when, what, where, who, by which channel."""

    def __init__(
        self, city: City, now: datetime, rng: random.Random, progress: SeedProgress
    ) -> None:
        self.city, self.now, self.rng, self.progress = city, now, rng, progress
        self.calendar = city.calendar
        today = now.astimezone(CITY_TIMEZONE).date()
        self.days = [today - timedelta(days=n) for n in range(_DAYS - 1, -1, -1)]
        self.grid_weights = list(_cumulative(g.population for g in city.grids))
        self.callers: dict[int, list[tuple[str, str]]] = defaultdict(list)
        self.phones: set[str] = {_DEMO_CITIZEN_PHONE}
        self.photos = 0
        self.by_kind: dict[ChannelKind, list[ChannelRecord]] = defaultdict(list)
        for channel in city.channels:
            self.by_kind[channel.kind].append(channel)
        self._leaf_tables: dict[tuple[int, bool], list[float]] = {}

    def tickets(self, count: int) -> list[Draft]:
        """``count`` tickets in the order received, repeat calls among them."""
        day_weights = list(_cumulative(self._day_weight(day) for day in self.days))
        drafts: list[Draft] = []
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
            if len(drafts) - reported >= PROGRESS_STEP:
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

    def _leaf_weight(self, leaf: Leaf, month: int, rush: bool) -> float:
        parts = leaf.code.split(".")
        siblings = sum(1 for other in self.city.leaves if other.code.startswith(f"{parts[0]}."))
        weight = _ROOT_SHARES.get(parts[0], 1.0) / siblings * _longest(_LEAF_WEIGHTS, parts, 1.0)
        season = _longest(_SEASONS, parts, None)
        if season is not None:
            weight *= season[month - 1]
        if rush and leaf.code.startswith(_FESTIVAL_RUSH[0]):
            weight *= _FESTIVAL_RUSH[2]
        return weight

    def _ticket(self, day: date) -> Draft:
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
        return Draft(
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

    def _repeat(self, draft: Draft) -> Draft | None:
        """Now and then the caller rings again about the same thing within three days."""
        if draft.channel.kind is ChannelKind.GRID or not draft.phone or draft.grid is None:
            return None
        if self.rng.random() >= 0.015:
            return None
        at = draft.received_at + timedelta(minutes=self.rng.uniform(30, 48 * 60))
        if at >= self.now:
            return None
        return Draft(
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

    def _channel(self, leaf: Leaf, day: date, grid_event: bool) -> ChannelRecord:
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

    def _grid(self) -> Grid:
        return self.rng.choices(self.city.grids, cum_weights=self.grid_weights)[0]

    def _point(self, grid: Grid) -> tuple[float, float]:
        """A point inside the grid."""
        min_lng, min_lat, max_lng, max_lat = grid.shape.bounds
        for _ in range(200):
            lat = round(self.rng.uniform(min_lat, max_lat), 6)
            lng = round(self.rng.uniform(min_lng, max_lng), 6)
            if shapely.contains_xy(grid.shape, lng, lat):
                return lat, lng
        point = grid.shape.representative_point()
        return point.y, point.x

    def _address(self, grid: Grid | None) -> tuple[str, str]:
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

    def _caller(self, grid: Grid | None, grid_event: bool) -> tuple[str, str]:
        """Who rang: often someone new, now and then a neighbour who rang before."""
        if grid_event and self.rng.random() < 0.6:
            return "", ""
        known = self.callers[grid.id if grid else 0]
        if known and self.rng.random() < 0.12:
            return self.rng.choice(known)
        caller = person_name(self.rng), mobile_number(self.rng, self.phones)
        known.append(caller)
        return caller

    def _creator(self, channel: ChannelRecord, grid: Grid | None) -> tuple[int, int | None]:
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

    def _stall(self, drafts: list[Draft]) -> None:
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
                draft.misrouted = stall is Stall.RETURNED


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
