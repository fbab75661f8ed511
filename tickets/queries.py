"""Reading tickets: filtered, ordered, keyset-paged lists of what the viewer may see, a
department's working queue, and one ticket by number.

Every list is keyed, not numbered: a page starts after the sort key of the last ticket
seen (``after``, from :meth:`TicketPage.cursor_of`), with the ticket's id breaking ties,
so tickets received meanwhile never shift or repeat others across pages.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum, StrEnum
from typing import Any

from tortoise.expressions import Case, Q, Subquery, When
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from accounts.models import Role
from accounts.service import Principal, require_role
from grids.areas import get_area
from grids.catalogue import departments_of, get_channel, get_department
from tickets import tally, text_index
from tickets.intake import NUMBER_PREFIX
from tickets.lifecycle import OPEN, WITH_DEPARTMENT, TicketStatus
from tickets.models import CATEGORY_CODE_MAX_LENGTH, Category, Desk, Ticket
from tickets.records import (
    TicketRecord,
    TicketRelations,
    read_tickets,
    read_tickets_with_relations,
)
from tickets.sla import SlaWarning, TicketKind, Urgency
from tickets.visibility import REACH, Reach, scopes, visible_tickets
from wuyou import clock
from wuyou.clock import as_utc
from wuyou.errors import DomainError, ErrorCode, Forbidden, Problem

#: Statuses in which a running deadline can be overdue: open, or awaiting the revisit.
PENDING = OPEN | {TicketStatus.RESOLVED}
TEXT_MAX_LENGTH = 100
_NUMBER = re.compile(rf"{NUMBER_PREFIX}\d{{14}}")
_NOTHING = Q(id__in=[])


class TicketOrder(StrEnum):
    """How a ticket list is ordered; the ticket id breaks ties."""

    RECEIVED_DESC = "RECEIVED_DESC"
    RECEIVED_ASC = "RECEIVED_ASC"
    #: The running deadline, nearest first; tickets without one last.
    DUE_ASC = "DUE_ASC"
    #: CRITICAL first, then URGENT, then NORMAL; newest first within each.
    URGENCY_DESC = "URGENCY_DESC"
    UPDATED_DESC = "UPDATED_DESC"


@dataclass(frozen=True, slots=True)
class TicketFilter:
    """Which tickets a list holds; every criterion given must hold. Codes name catalogue
    entries (channel, department, area, category); an area or a category stands for its
    whole subtree. ``created_from``/``created_to`` bound the receipt time, [from, to).
    MERGED followers are left out unless ``merged`` is set or ``statuses`` asks for them."""

    statuses: tuple[TicketStatus, ...] | None = None
    kinds: tuple[TicketKind, ...] | None = None
    channel: str | None = None
    department: str | None = None
    area_code: str | None = None
    category: str | None = None
    urgencies: tuple[Urgency, ...] | None = None
    #: True: the running deadline has passed (open or resolved tickets); False: it has not.
    overdue: bool | None = None
    warning: SlaWarning | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None
    #: In the number, title, content or address (case-insensitive); a whole ticket
    #: number matches that ticket only.
    text: str | None = None
    merged: bool = False
    #: Marked for this desk (企业服务专席, 政务诚信受理专席).
    desk: Desk | None = None


@dataclass(frozen=True, slots=True)
class TicketPage:
    """A page of tickets that knows each ticket's cursor in its order, and counts the
    whole list only when asked (:meth:`count`): an exact count of half a million tickets
    costs more than their page."""

    items: Sequence[TicketRecord]
    has_next_page: bool
    has_previous_page: bool
    counter: Callable[[], Awaitable[int]] = field(repr=False, compare=False)
    order: TicketOrder = TicketOrder.RECEIVED_DESC
    #: The catalogue records the page's tickets point at, read with them.
    relations: TicketRelations | None = None

    async def count(self) -> int:
        """How many tickets the whole list holds, counted now."""
        return await self.counter()

    def cursor_of(self, ticket: TicketRecord) -> str:
        """The sort key of ``ticket``: pass it as ``after`` to continue after it."""
        return sort_key(ticket, self.order)

    @property
    def end_cursor(self) -> str | None:
        """The cursor of the page's last ticket (None for an empty page)."""
        return self.cursor_of(self.items[-1]) if self.items else None


class _Kind(Enum):
    TIME = "TIME"
    URGENCY = "URGENCY"
    ID = "ID"


#: Urgencies, most urgent first.
_URGENCY_ORDER = (Urgency.CRITICAL, Urgency.URGENT, Urgency.NORMAL)
_URGENCY_RANK = "urgency_rank"


@dataclass(frozen=True, slots=True)
class _Key:
    """One column of a sort: how it orders, and what follows a value of it."""

    name: str
    kind: _Kind
    descending: bool = False
    #: Ascending with NULLs last (the same on SQLite and PostgreSQL).
    nullable: bool = False

    @property
    def missing(self) -> str:
        return f"{self.name}_missing"

    def annotations(self) -> dict[str, Any]:
        if self.kind is _Kind.URGENCY:
            ranks = [When(urgency=u, then=str(i)) for i, u in enumerate(_URGENCY_ORDER)]
            return {_URGENCY_RANK: Case(*ranks, default=str(len(_URGENCY_ORDER)))}
        if self.nullable:
            return {self.missing: Case(When(self.absent(), then="1"), default="0")}
        return {}

    def orderings(self) -> tuple[str, ...]:
        if self.kind is _Kind.URGENCY:
            return (_URGENCY_RANK,)
        if self.nullable:
            return (self.missing, self.name)
        return (f"-{self.name}" if self.descending else self.name,)

    def absent(self) -> Q:
        criterion: dict[str, Any] = {f"{self.name}__isnull": True}
        return Q(**criterion)

    def same(self, value: Any) -> Q:
        return self.absent() if value is None else Q(**{self.name: value})

    def beyond(self, value: Any) -> Q:
        """The rows that sort after ``value`` in this column alone."""
        if self.kind is _Kind.URGENCY:
            return Q(urgency__in=list(_URGENCY_ORDER[_URGENCY_ORDER.index(value) + 1 :]))
        if value is None:  # NULLs come last: nothing follows them
            return _NOTHING
        after = Q(**{f"{self.name}__{'lt' if self.descending else 'gt'}": value})
        return after | self.absent() if self.nullable else after

    def text(self, value: Any) -> str:
        if value is None:
            return ""
        return value.isoformat() if self.kind is _Kind.TIME else str(value)

    def parse(self, text: str) -> Any:
        """The value in a cursor; ValueError when it is not one."""
        if self.kind is _Kind.ID:
            number = int(text)
            if not 0 < number < _ID_LIMIT:
                raise ValueError(text)
            return number
        if self.kind is _Kind.URGENCY:
            return Urgency(text)
        if not text and self.nullable:
            return None
        moment = datetime.fromisoformat(text)
        if moment.tzinfo is None:
            raise ValueError("naive time")
        return as_utc(moment, "after")


_SORTS: Mapping[TicketOrder, tuple[_Key, ...]] = {
    TicketOrder.RECEIVED_DESC: (
        _Key("received_at", _Kind.TIME, descending=True),
        _Key("id", _Kind.ID, descending=True),
    ),
    TicketOrder.RECEIVED_ASC: (_Key("received_at", _Kind.TIME), _Key("id", _Kind.ID)),
    TicketOrder.DUE_ASC: (_Key("due_at", _Kind.TIME, nullable=True), _Key("id", _Kind.ID)),
    TicketOrder.URGENCY_DESC: (
        _Key("urgency", _Kind.URGENCY),
        _Key("received_at", _Kind.TIME, descending=True),
        _Key("id", _Kind.ID, descending=True),
    ),
    TicketOrder.UPDATED_DESC: (
        _Key("updated_at", _Kind.TIME, descending=True),
        _Key("id", _Kind.ID, descending=True),
    ),
}
#: On SQLite, a list longer than this is paged by walking it in its order (the index on
#: ``(received_at, id)``), a shorter one by finding it through its filters' indexes and
#: sorting it. A walk meets about 50 × all tickets / listed ones before its page is full.
#: Which it is, is found by counting what the filters' indexes find, up to one more.
#: PostgreSQL chooses between the two itself, by its statistics.
_SORTED_AT_MOST = 5_000
#: The orders an index walks.
_WALKED = frozenset({TicketOrder.RECEIVED_DESC, TicketOrder.RECEIVED_ASC})
#: PostgreSQL plans a list's statements for their values every time: after five runs it
#: may keep one plan for any values, and for a long list such a plan fetches and sorts
#: all its tickets.
_PLANNED_EACH_TIME = "plan_cache_mode = force_custom_plan"
#: Past this many tickets holding a text's bigrams, a list reads the tickets rather than
#: the bigram index: on PostgreSQL the bitmap of so many rows outgrows its 4 MB of work
#: memory, and each row of a page it then holds inexactly is cut into bigrams again (50 s
#: for "2026", 887,000 tickets, at a million, where matching the substring on every row
#: takes 1-2 s); on SQLite the list of their ids costs more than it saves.
_INDEXED_AT_MOST = 50_000
#: A text list's page alone: PostgreSQL, expecting few of the tickets it walks to hold
#: the text, starts parallel workers for a walk that is over in a few milliseconds
#: (25 ms of start-up at a million tickets).
_SERIAL = "max_parallel_workers_per_gather = 0"
#: Work memory for a text list's count: its bitmap of a million tickets' rows stays
#: exact in it, should an estimate fall short.
_BITMAP_MEMORY = "work_mem = '32MB'"
_SEPARATOR = "|"
_ID_LIMIT = 2**63  # BIGINT


def sort_key(ticket: TicketRecord, order: TicketOrder) -> str:
    """The cursor of ``ticket`` in a list ordered by ``order``."""
    parts = [key.text(getattr(ticket, key.name)) for key in _SORTS[order]]
    return _SEPARATOR.join([order.value, *parts])


def _parse_cursor(after: str, order: TicketOrder) -> list[Any]:
    keys = _SORTS[order]
    prefix, *parts = after.split(_SEPARATOR)
    try:
        if prefix != order.value or len(parts) != len(keys):
            raise ValueError(after)
        return [key.parse(part) for key, part in zip(keys, parts, strict=True)]
    except ValueError:
        raise DomainError(
            ErrorCode.INVALID, "游标无效或不属于这种排序，请从第一页重新查询。", "after"
        ) from None


def _following(keys: Sequence[_Key], values: Sequence[Any]) -> Q:
    """The rows after the row with sort values ``values``: (k1, k2, …) compared in turn."""
    clauses: list[Q] = []
    for i, (key, value) in enumerate(zip(keys, values, strict=True)):
        same = [earlier.same(v) for earlier, v in zip(keys[:i], values[:i], strict=True)]
        clauses.append(Q(*same, key.beyond(value)))
    return Q(*clauses, join_type=Q.OR)


async def _page(
    query: QuerySet[Ticket],
    order: TicketOrder,
    *,
    first: int,
    after: str | None,
    count: Callable[[], Awaitable[int]] | None = None,
    walk: QuerySet[Ticket] | None = None,
) -> TicketPage:
    """A page of ``query`` in ``order`` after ``after``; ``count`` counts the whole list,
    when asked, if it knows a cheaper way than ``query.count()``, and ``walk``, if given,
    is the same list for the database to walk in order: the list is long (see
    :class:`_Selection`)."""
    keys = _SORTS[order]
    start = _parse_cursor(after, order) if after is not None else None
    counter = count or query.count
    if walk is not None:
        query = walk
    for key in keys:
        query = query.annotate(**key.annotations())
    if start is not None:
        query = query.filter(_following(keys, start))
    orderings = [o for key in keys for o in key.orderings()]
    page = query.order_by(*orderings).limit(first + 1)
    if Ticket._meta.db.capabilities.dialect == "sqlite":
        # The page's ids first, then their rows with their catalogue records: SQLite
        # joins every ticket a short list finds before sorting them all, and sorting ids
        # costs less than sorting joined rows (a department's own 3,500 tickets at a
        # million: 36 ms, not 47). PostgreSQL joins after the limit by itself; the
        # detour costs it 2-4 ms.
        page = Ticket.filter(id__in=Subquery(page.values("id")))
        for key in keys:
            page = page.annotate(**key.annotations())
        page = page.order_by(*orderings)
    found, relations = await read_tickets_with_relations(page)
    return TicketPage(
        items=found[:first],
        counter=counter,
        has_next_page=len(found) > first,
        has_previous_page=after is not None,
        order=order,
        relations=relations,
    )


@dataclass(frozen=True, slots=True)
class _Selection:
    """A list's criteria, written twice. ``indexed`` lets the database find the tickets
    through the indexes on the filtered columns: what counting takes, and paging a short
    list (found, then sorted). ``walking`` says the same through no index but the
    order's, so that a long list is paged by walking it in order until a page is full:
    SQLite, knowing no row counts, would otherwise find and sort half a city's tickets
    to show fifty."""

    indexed: Q
    walking: Q
    #: The area's path, when the criteria name one.
    area_path: str | None = None


async def catalogue_filter(
    *,
    channel: str | None = None,
    department: str | None = None,
    area_code: str | None = None,
    category: str | None = None,
) -> Q:
    """The tickets of a channel, a department (handling them now), an area's subtree and
    a category's subtree, by code. Raises NOT_FOUND on ``filter.<field>`` for every
    unknown code at once."""
    selection = await _catalogue(
        channel=channel, department=department, area_code=area_code, category=category
    )
    return selection.indexed


async def _catalogue(
    *,
    channel: str | None,
    department: str | None,
    area_code: str | None,
    category: str | None,
) -> _Selection:
    problems: list[Problem] = []
    both: list[Q] = []
    indexed: list[Q] = []
    walking: list[Q] = []
    if channel is not None:
        found_channel = await get_channel(channel)
        if found_channel is not None:
            both.append(Q(channel_id=found_channel.id))
        else:
            problems.append(Problem("filter.channel", ErrorCode.NOT_FOUND, "没有这个受理渠道。"))
    if department is not None:
        found = await get_department(department)
        if found is not None:
            both.append(Q(department_id=found.id))
        else:
            problems.append(Problem("filter.department", ErrorCode.NOT_FOUND, "没有这个部门。"))
    area_path: str | None = None
    if area_code is not None:
        area = await get_area(area_code)
        if area is not None:
            area_path = area.path
            indexed.append(within_path(area.path))
            walking.append(Q(area_path__startswith=area.path))
        else:
            problems.append(Problem("filter.areaCode", ErrorCode.NOT_FOUND, "没有这个区域。"))
    if category is not None:
        # A code longer than the column is no category (and the ORM would refuse it).
        subtree: dict[str, int] = {}
        if len(category) <= CATEGORY_CODE_MAX_LENGTH:
            found_subtree = Category.filter(Q(code=category) | Q(code__startswith=f"{category}."))
            subtree = dict(await found_subtree.values_list("code", "id"))
        if category in subtree:
            # The ids themselves, not a subquery: a plan PostgreSQL keeps for the
            # statement then still reads just their tickets.
            indexed.append(Q(category_id__in=sorted(subtree.values())))
            # Joined, the category is checked ticket by ticket as the walk meets it.
            walking.append(
                Q(category__code=category) | Q(category__code__startswith=f"{category}.")
            )
        else:
            problems.append(Problem("filter.category", ErrorCode.NOT_FOUND, "没有这个诉求分类。"))
    if problems:
        raise DomainError.of(problems)
    return _Selection(Q(*both, *indexed), Q(*both, *walking), area_path)


@asynccontextmanager
async def settings_on_postgres(*settings: str) -> AsyncIterator[None]:
    """Run the statements inside on PostgreSQL in one transaction (one snapshot) with
    ``settings`` ("jit = off" ...) set for it alone; anywhere else as they are, SQLite's
    one connection, which every request shares, not held between them."""
    if Ticket._meta.db.capabilities.dialect != "postgres":
        yield
        return
    async with in_transaction() as connection:
        await connection.execute_script("; ".join(f"SET LOCAL {s}" for s in settings))
        yield


def within_path(path: str) -> Q:
    """The tickets located in the area with ``path`` ("150300/150302/") or beneath it:
    their ``area_path`` starts with it. Written as the range [path, successor), which the
    indexes on ``area_path`` serve (a LIKE cannot: SQLite's is case-insensitive and the ORM
    casts the column). The range holds in byte order, which SQLite uses and PostgreSQL
    uses for this column (tickets migration 0006 gives it the C collation)."""
    if not path:
        raise ValueError("an area's path is never empty")
    return Q(area_path__gte=path, area_path__lt=path[:-1] + chr(ord(path[-1]) + 1))


def overdue(now: datetime) -> Q:
    """The tickets overdue at ``now``: their running deadline has passed, and they are
    open or resolved awaiting the revisit. The one definition lists, figures and each
    ticket's ``overdue`` share (see :func:`is_overdue`)."""
    return Q(due_at__lt=now, status__in=list(PENDING))


def is_overdue(ticket: TicketRecord, now: datetime) -> bool:
    """Whether ``ticket`` is among :func:`overdue` at ``now``."""
    return ticket.due_at is not None and ticket.due_at < now and ticket.status in PENDING


def _criteria(ticket_filter: TicketFilter, now: datetime) -> _Selection:
    """Every criterion of ``ticket_filter`` but the catalogue codes and the words (see
    :func:`_words`). Walking, a column with an index of its own is compared with the
    values it must not hold, which no index serves."""
    f = ticket_filter
    both: list[Q] = []
    indexed: list[Q] = []
    walking: list[Q] = []
    # A ticket is MERGED exactly while it follows another (merged_into set; nothing takes
    # a ticket out of MERGED), so statuses alone leave the followers out, and the status
    # column, which the indexes hold, can say it.
    if f.statuses:
        indexed.append(Q(status__in=list(f.statuses)))
        walking.append(~Q(status__in=[s for s in TicketStatus if s not in f.statuses]))
    elif not f.merged:
        both.append(~Q(status=TicketStatus.MERGED))
    if f.kinds:
        both.append(Q(kind__in=list(f.kinds)))
    if f.urgencies:
        both.append(Q(urgency__in=list(f.urgencies)))
    if f.overdue is True:
        both.append(overdue(now))
    elif f.overdue is False:  # NOT(overdue) would drop the rows without a deadline
        pending = list(PENDING)
        both.append(Q(due_at__isnull=True) | Q(due_at__gte=now) | ~Q(status__in=pending))
    if f.warning is not None:
        indexed.append(Q(warning=f.warning))
        walking.append(~Q(warning__in=[w for w in SlaWarning if w is not f.warning]))
    if f.desk is not None:
        indexed.append(Q(desk=f.desk))
        # NOT IN leaves out the tickets of no desk too (NULL is in no list).
        walking.append(~Q(desk__in=[d for d in Desk if d is not f.desk]) & Q(desk__isnull=False))
    if f.created_from is not None:
        both.append(Q(received_at__gte=as_utc(f.created_from, "filter.createdFrom")))
    if f.created_to is not None:
        both.append(Q(received_at__lt=as_utc(f.created_to, "filter.createdTo")))
    text = (f.text or "").strip()[:TEXT_MAX_LENGTH]
    if _NUMBER.fullmatch(text.upper()):
        both.append(Q(number=text.upper()))
    return _Selection(Q(*both, *indexed), Q(*both, *walking))


def _text(ticket_filter: TicketFilter) -> str | None:
    """The filter's words, unless none or a whole ticket number (one of :func:`_criteria`)."""
    text = (ticket_filter.text or "").strip()[:TEXT_MAX_LENGTH]
    if not text or _NUMBER.fullmatch(text.upper()):
        return None
    return text


@dataclass(frozen=True, slots=True)
class _Words:
    """A list's words (see :func:`_words`): ``indexed`` for counting and for paging a
    short list; ``walking`` for paging a long one, walked in order; ``many``: whether
    they leave more tickets than a page sorts (no words leave every ticket)."""

    indexed: Q
    walking: Q
    many: bool


async def _words(text: str | None) -> _Words:
    """``text`` as a substring of the number, title, content or address. Indexed, it is
    checked on the tickets the bigram index finds (:mod:`tickets.text_index`), unless it
    finds more than :data:`_INDEXED_AT_MOST`; walking, on each ticket walked (a common
    word is met soon)."""
    if text is None:
        return _Words(Q(), Q(), many=True)
    substring = (
        Q(number__icontains=text)
        | Q(title__icontains=text)
        | Q(content__icontains=text)
        | Q(address__icontains=text)
    )
    holding = text_index.holding(text)
    if holding is None:
        return _Words(substring, substring, many=True)
    found = await text_index.candidates(text, _INDEXED_AT_MOST)
    many = found.at_most > _SORTED_AT_MOST
    if found.likely > _INDEXED_AT_MOST:
        return _Words(substring, substring, many)
    return _Words(Q(holding, substring), substring, many)


async def list_tickets(
    principal: Principal | None,
    ticket_filter: TicketFilter,
    *,
    first: int,
    after: str | None,
    order: TicketOrder = TicketOrder.RECEIVED_DESC,
) -> TicketPage:
    """A page of the tickets ``principal`` may see (see :mod:`tickets.visibility`) that
    match ``ticket_filter``, in ``order``, after the cursor ``after``.

    Raises NOT_FOUND for unknown codes (all at once) and INVALID on ``after`` for a
    cursor of another order.
    """
    codes = await _catalogue(
        channel=ticket_filter.channel,
        department=ticket_filter.department,
        area_code=ticket_filter.area_code,
        category=ticket_filter.category,
    )
    criteria = _criteria(ticket_filter, clock.now())
    text = _text(ticket_filter)
    listed, counted = await scopes(principal)
    visible = Ticket.filter(listed)
    found = visible.filter(codes.indexed, criteria.indexed)
    f = ticket_filter
    sees_all = principal is not None and REACH[principal.role] is Reach.ALL
    everything = sees_all and f == TicketFilter()
    # A place and statuses alone: the tally counts them (tickets.tally).
    tallied = sees_all and f == TicketFilter(
        statuses=f.statuses, area_code=f.area_code, merged=f.merged
    )

    async with settings_on_postgres(_PLANNED_EACH_TIME, *([_SERIAL] if text else [])):
        words = await _words(text)  # PostgreSQL's estimates planned serially, here
        dialect = Ticket._meta.db.capabilities.dialect
        # On SQLite, whether the list is long: what the indexes find for the filters,
        # and what the bigram index finds for the words, each past the threshold. When
        # the filters find few tickets, the words are checked on those alone (the
        # bigram index would read every ticket of a common word's).
        if (
            words.many
            and dialect == "sqlite"
            and (order in _WALKED or text is not None)
            and not everything
            and not await _longer_than(found, _SORTED_AT_MOST)
        ):
            words = _Words(words.walking, words.walking, many=False)
        long = order in _WALKED and words.many and dialect == "sqlite"

        async def count() -> int:
            if tallied:
                statuses = f.statuses or None
                excluded = () if statuses or f.merged else (TicketStatus.MERGED,)
                return await tally.count(codes.area_path, statuses, excluded=excluded)
            async with settings_on_postgres(
                _PLANNED_EACH_TIME, *([_BITMAP_MEMORY] if text else [])
            ):
                return await Ticket.filter(
                    counted, codes.indexed, criteria.indexed, words.indexed
                ).count()

        # Walked, the words are checked on each ticket met. PostgreSQL, which plans by
        # its statistics, walks a long list unprompted, but takes the bigram index for a
        # common word (its estimate of the substring's share is far too low), so it is
        # given the words without the index then.
        return await _page(
            found.filter(words.walking if words.many and dialect == "postgres" else words.indexed),
            order,
            first=first,
            after=after,
            count=count,
            walk=visible.filter(codes.walking, criteria.walking, words.walking) if long else None,
        )


async def _longer_than(query: QuerySet[Ticket], size: int) -> bool:
    """Whether ``query`` holds more than ``size`` tickets: at most ``size + 1`` counted."""
    sample = query.limit(size + 1).values_list("id", flat=True)
    sample.sql()  # builds the statement
    sql, params = sample.query.get_parameterized_sql()
    _, rows = await Ticket._meta.db.execute_query(f"SELECT COUNT(*) FROM ({sql}) AS s", params)
    return int(rows[0][0]) > size


async def my_queue(principal: Principal | None, *, first: int, after: str | None) -> TicketPage:
    """A department's working queue: the tickets with its department that it must sign
    for or is handling (DISPATCHED, IN_PROGRESS, REOPENED), the nearest deadline first.
    Only DEPARTMENT accounts have one."""
    principal = require_role(principal, Role.DEPARTMENT)
    department = (await departments_of([principal.account_id])).get(principal.account_id)
    if department is None:
        raise Forbidden("This account does not work for a department.")
    query = Ticket.filter(department_id=department.id, status__in=list(WITH_DEPARTMENT))
    return await _page(query, TicketOrder.DUE_ASC, first=first, after=after)


async def get_visible_ticket(principal: Principal | None, number: str) -> TicketRecord | None:
    """The ticket with ``number`` if ``principal`` may see it; None otherwise, so that
    nobody learns of a ticket they may not see."""
    query = await visible_tickets(principal)
    found = await read_tickets(query.filter(number=number[:20]))
    return found[0] if found else None
