"""Grid events (网格采集、分流转办、限期办结): a grid worker reports what they found in
their grid, with photos; it is settled on the spot (就地解决) or routed at once to the
body that handles its category nearest its place, whose deadlines start then.

A grid event is a ticket of the grid channel: intake numbers and records it, and from
then on it follows the same lifecycle as any other ticket.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from tortoise.transactions import in_transaction

from accounts.models import Role
from accounts.service import Principal, require_role
from grids.areas import area_at
from grids.catalogue import list_channels
from grids.models import Channel, ChannelKind
from grids.workers import grid_of_workers
from tickets.intake import TicketRequest, create_ticket
from tickets.lifecycle import Action, TicketStatus, check
from tickets.models import Category
from tickets.records import TicketRecord
from tickets.routing import responsible_department
from tickets.sla import TicketKind, Urgency
from tickets.workflow import REPLY_MAX_LENGTH, dispatch_changes, existing_ticket, move, note_text
from wuyou import clock, events
from wuyou.errors import DomainError, ErrorCode, Forbidden, Problem

#: Photos one report may carry, and how long each URL may be.
MAX_PHOTOS = 9
PHOTO_URL_MAX_LENGTH = 500


@dataclass(frozen=True, slots=True)
class GridEventRequest:
    """What a grid worker reports (``reportGridEvent``)."""

    kind: TicketKind
    category: str
    title: str
    content: str
    lat: float
    lng: float
    address: str = ""
    photos: tuple[str, ...] = ()
    citizen_name: str = ""
    citizen_phone: str = ""
    urgency: Urgency = Urgency.NORMAL
    #: The worker's note when they settled it on the spot: the ticket closes at once.
    resolved_on_site: str | None = None
    idempotency_key: str | None = None


async def report_grid_event(request: GridEventRequest, *, actor: Principal | None) -> TicketRecord:
    """Record a grid worker's report in a grid they serve: CLOSED at once when they
    settled it on the spot, else DISPATCHED by the platform to the body that handles its
    category nearest its place (left RECEIVED for the agents when no body has the key).

    Raises :class:`DomainError` listing every problem of the report, and
    OUTSIDE_SERVICE_AREA on ``location`` when it lies outside the worker's grid.
    """
    actor = require_role(actor, Role.GRID_WORKER)
    problems = photo_problems(request.photos)
    if not request.category.strip():
        problems.append(Problem("category", ErrorCode.REQUIRED, "请选择诉求分类。"))
    note = None
    if request.resolved_on_site is not None:
        try:
            note = _on_site_note(request.resolved_on_site, "resolvedOnSite")
        except DomainError as error:
            problems += error.problems
    grid_id = await _served_grid(actor)
    grid = await area_at(request.lat, request.lng)
    if grid is None or grid.id != grid_id:
        problems.append(
            Problem("location", ErrorCode.OUTSIDE_SERVICE_AREA, "该位置不在您负责的网格内。")
        )
    if problems:
        raise DomainError.of(problems)
    intake = TicketRequest(
        channel=await _grid_channel(),
        kind=request.kind,
        title=request.title,
        content=request.content,
        category=request.category,
        urgency=request.urgency,
        citizen_name=request.citizen_name,
        citizen_phone=request.citizen_phone,
        lat=request.lat,
        lng=request.lng,
        address=request.address,
        photos=request.photos,
        idempotency_key=request.idempotency_key,
    )
    # Recorded and settled or routed together: never a report left RECEIVED half-done.
    async with events.after_commit(), in_transaction():
        ticket = await create_ticket(intake, actor=actor)
        if ticket.status is not TicketStatus.RECEIVED:  # a retry of a report settled or routed
            _same_settlement(ticket, note)
            return ticket
        if note is not None:
            return await _close_on_site(ticket, note, actor)
        return await _route(ticket)


async def resolve_on_site(*, number: str, note: str, actor: Principal | None) -> TicketRecord:
    """A worker of the event's grid settles it on the spot (就地解决) with their note,
    before the body it went to has signed for it: the ticket closes at once.

    Forbidden for a worker of another grid; INVALID for a ticket that did not come from
    the grid channel; INVALID_STATE once the body has signed.
    """
    actor = require_role(actor, Role.GRID_WORKER)
    ticket = await existing_ticket(number)
    if ticket.grid_id is None or ticket.grid_id != await _served_grid(actor):
        raise Forbidden("The ticket is not in the grid this worker serves.")
    if not await Channel.exists(id=ticket.channel_id, kind=ChannelKind.GRID):
        raise DomainError(ErrorCode.INVALID, "只有网格上报的事件可以就地解决。", "number")
    return await _close_on_site(ticket, _on_site_note(note, "note"), actor)


def _same_settlement(ticket: TicketRecord, note: str | None) -> None:
    """Refuse (IDEMPOTENCY_CONFLICT) a retry of a report that settles the event otherwise
    than the first did: the first closed it on the spot at once (never dispatched) with
    its note, and the retry has another note or none, or the other way round."""
    settled_at_report = ticket.resolved_on_site and ticket.dispatched_at is None
    if settled_at_report != (note is not None) or (settled_at_report and ticket.reply != note):
        raise DomainError(
            ErrorCode.IDEMPOTENCY_CONFLICT, "该幂等键已用于另一次上报。", "idempotencyKey"
        )


def photo_problems(photos: tuple[str, ...]) -> list[Problem]:
    """What is wrong with a report's photos: too many, or one that is not an http(s) URL
    of at most :data:`PHOTO_URL_MAX_LENGTH` characters (``photos.<index>``)."""
    if len(photos) > MAX_PHOTOS:
        return [Problem("photos", ErrorCode.TOO_LONG, f"最多上传 {MAX_PHOTOS} 张照片。")]
    return [
        Problem(f"photos.{index}", ErrorCode.INVALID, "照片地址应为 http(s) 链接。")
        for index, url in enumerate(photos)
        if not _is_web_url(url)
    ]


def _is_web_url(url: str) -> bool:
    if len(url) > PHOTO_URL_MAX_LENGTH or any(c.isspace() for c in url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def _on_site_note(text: str, field: str) -> str:
    return note_text(text, field=field, label="就地解决情况", limit=REPLY_MAX_LENGTH, required=True)


async def _served_grid(actor: Principal) -> int:
    """The grid the worker serves now."""
    grid_id = (await grid_of_workers([actor.account_id])).get(actor.account_id)
    if grid_id is None:
        raise Forbidden("This grid worker serves no grid.")
    return grid_id


async def _grid_channel() -> str:
    """The code of the grid workers' channel."""
    channels = await list_channels(kind=ChannelKind.GRID)
    if not channels:
        raise DomainError(ErrorCode.NOT_FOUND, "没有网格上报渠道。", "channel")
    return channels[0].code


async def _close_on_site(ticket: TicketRecord, note: str, actor: Principal) -> TicketRecord:
    target = check(Action.RESOLVE_ON_SITE, ticket.status, actor.role)
    now = clock.now()
    changes = {"resolved_on_site": True, "reply": note, "resolved_at": now, "closed_at": now}
    return await move(
        ticket,
        Action.RESOLVE_ON_SITE,
        actor,
        target,
        changes,
        note=note,
        department_id=ticket.department_id,
        now=now,
    )


async def _route(ticket: TicketRecord) -> TicketRecord:
    """Dispatch a fresh grid event on the platform's behalf to its category's body."""
    # The platform routes as the agents would.
    target = check(Action.DISPATCH, ticket.status, Role.AGENT)
    category = await Category.get(id=ticket.category_id)
    department = await responsible_department(category.department_key, ticket.area_path)
    if department is None:
        return ticket  # the agents dispatch it by hand
    now = clock.now()
    return await move(
        ticket,
        Action.DISPATCH,
        None,
        target,
        await dispatch_changes(ticket, department.id, now),
        note=f"网格上报，自动分流至{department.name}",
        department_id=department.id,
        now=now,
    )
