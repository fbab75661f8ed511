"""Intake (受理): a request arrives from a channel and becomes a numbered ticket.

An agent records a call, a channel integration submits with its service account, or a
citizen writes through an online channel. The location resolves to a grid, the category
may raise the urgency, the same idempotency key returns the first ticket, and a repeat
from the same phone about the same category and grid within 72 hours is flagged as a
likely duplicate of the earlier ticket.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from accounts.models import Role
from accounts.service import Principal, require_role
from grids.areas import AreaRecord, area_at
from grids.catalogue import channel_of_account, get_channel
from grids.models import ChannelKind
from plugins.identifiers import is_mobile, normalise_mobile
from tickets.desks import desk_note
from tickets.lifecycle import Action, TicketStatus
from tickets.live import ticket_event
from tickets.models import CATEGORY_CODE_MAX_LENGTH, Category, Desk, Ticket, TicketEvent
from tickets.records import TICKET_COLUMNS, TicketRecord, get_tickets_by_id
from tickets.sla import TicketKind, Urgency
from wuyou import clock, events
from wuyou.errors import DomainError, ErrorCode, Problem
from wuyou.numbers import next_number

NUMBER_PREFIX = "WH"
PHONE_MAX_LENGTH = 20
#: A phone number that is not a mobile one: ASCII digits and dashes (0473-3123456, 12345).
_PHONE = re.compile(r"[0-9-]*[0-9][0-9-]*")
#: How far back a repeat from the same phone, category and grid counts as a duplicate.
DUPLICATE_WINDOW = timedelta(hours=72)
_URGENCY_RANK = {Urgency.NORMAL: 0, Urgency.URGENT: 1, Urgency.CRITICAL: 2}
#: Who may mark a ticket for a desk as it is received.
DESK_SETTERS = frozenset({Role.AGENT, Role.ADMIN, Role.INTEGRATION})


@dataclass(frozen=True, slots=True)
class TicketRequest:
    """What ``createTicket`` carries."""

    channel: str
    kind: TicketKind
    title: str
    content: str
    category: str | None = None
    urgency: Urgency = Urgency.NORMAL
    citizen_name: str = ""
    citizen_phone: str = ""
    lat: float | None = None
    lng: float | None = None
    address: str = ""
    photos: tuple[str, ...] = ()
    idempotency_key: str | None = None
    #: The desk it is for (企业服务专席 for an enterprise caller ...): agents and channel
    #: integrations say so explicitly; nothing guesses it.
    desk: Desk | None = None

    def digest(self) -> str:
        """A fingerprint of the request, to tell a retry from a different ticket."""
        body = json.dumps(asdict(self), sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(body.encode()).hexdigest()


async def create_ticket(request: TicketRequest, *, actor: Principal | None) -> TicketRecord:
    """Record a ticket as RECEIVED. Raises :class:`DomainError` listing every problem."""
    actor = require_role(
        actor, Role.AGENT, Role.ADMIN, Role.CITIZEN, Role.GRID_WORKER, Role.INTEGRATION
    )
    digest = request.digest()
    key = request.idempotency_key
    if key is not None and _valid_key(key):  # an invalid key is reported below
        earlier = await _by_key(actor, key, digest)
        if earlier is not None:
            return earlier
    problems = _text_problems(request)
    channel = await get_channel(request.channel)
    if channel is None:
        problems.append(Problem("channel", ErrorCode.NOT_FOUND, "没有这个受理渠道。"))
    elif actor.role is Role.CITIZEN and channel.kind is not ChannelKind.ONLINE:
        problems.append(Problem("channel", ErrorCode.INVALID, "市民只能通过网上渠道提交诉求。"))
    elif actor.role is Role.GRID_WORKER and channel.kind is not ChannelKind.GRID:
        problems.append(Problem("channel", ErrorCode.INVALID, "网格员只能通过网格渠道上报。"))
    elif actor.role is Role.INTEGRATION:
        own = await channel_of_account(actor.account_id)
        if own is None or own.id != channel.id:
            problems.append(
                Problem("channel", ErrorCode.INVALID, "该接入账号只能在其渠道提交诉求。")
            )
    if request.desk is not None and actor.role not in DESK_SETTERS:
        problems.append(Problem("desk", ErrorCode.INVALID, "只有话务员和渠道接入可指定专席。"))
    category = None
    if request.category is not None:
        if len(request.category) <= CATEGORY_CODE_MAX_LENGTH:
            category = await Category.get_or_none(code=request.category, is_active=True)
        if category is None:
            problems.append(Problem("category", ErrorCode.NOT_FOUND, "没有这个诉求分类。"))
        elif category.level != 3:
            problems.append(Problem("category", ErrorCode.WRONG_LEVEL, "请选择第三级分类。"))
    grid = await _grid(request, problems)
    if problems:
        raise DomainError.of(problems)
    assert channel is not None
    urgency = request.urgency
    hint = category.urgency_hint if category is not None else None
    if hint is not None and _URGENCY_RANK[hint] > _URGENCY_RANK[urgency]:
        urgency = hint  # a gas leak is critical whatever the caller said
    phone = (
        normalise_mobile(request.citizen_phone)
        if is_mobile(request.citizen_phone)
        else (request.citizen_phone.strip())
    )
    now = clock.now()
    try:
        async with events.after_commit(), in_transaction():
            duplicate = await _likely_duplicate(phone, category, grid, now)
            ticket = await Ticket.create(
                number=await next_number(NUMBER_PREFIX, now, issued_on=_tickets_numbered_on),
                channel_id=channel.id,
                kind=request.kind,
                category=category,
                urgency=urgency,
                status=TicketStatus.RECEIVED,
                title=request.title.strip(),
                content=request.content.strip(),
                citizen_name=request.citizen_name.strip(),
                citizen_phone=phone,
                citizen_id=actor.account_id if actor.role is Role.CITIZEN else None,
                lat=request.lat,
                lng=request.lng,
                address=request.address.strip(),
                photos=list(request.photos),
                grid_id=grid.id if grid else None,
                area_path=grid.path if grid else "",
                created_by_id=actor.account_id,
                idempotency_key=request.idempotency_key or None,
                request_digest=digest,
                likely_duplicate_of_id=duplicate,
                desk=request.desk,
                received_at=now,
                updated_at=now,
            )
            await TicketEvent.create(
                ticket=ticket,
                action=Action.RECEIVE,
                to_status=TicketStatus.RECEIVED,
                actor_id=actor.account_id,
                note=_receipt_note(duplicate, request.desk),
                occurred_at=now,
            )
            created = (await get_tickets_by_id([ticket.id]))[ticket.id]
            await ticket_event(created, Action.RECEIVE, None)
    except IntegrityError:
        if request.idempotency_key:  # the same key, submitted concurrently: the first wins
            earlier = await _by_key(actor, request.idempotency_key, digest)
            if earlier is not None:
                return earlier
        raise
    return created


def _receipt_note(duplicate: int | None, desk: Desk | None) -> str:
    """The note of the RECEIVE step: a likely duplicate, the desk it was marked for."""
    notes = (f"疑似重复：{duplicate}" if duplicate else "", desk_note(desk, None))
    return "；".join(n for n in notes if n)


def _text_problems(request: TicketRequest) -> list[Problem]:
    problems: list[Problem] = []
    title, content = request.title.strip(), request.content.strip()
    if len(title) < 2 or len(title) > 100:
        problems.append(Problem("title", ErrorCode.INVALID, "标题应为 2–100 个字。"))
    if not content:
        problems.append(Problem("content", ErrorCode.REQUIRED, "请填写诉求内容。"))
    elif len(content) > 5000:
        problems.append(Problem("content", ErrorCode.TOO_LONG, "诉求内容最多 5000 个字。"))
    if len(request.citizen_name.strip()) > 32:
        problems.append(Problem("citizenName", ErrorCode.TOO_LONG, "姓名最多 32 个字。"))
    phone = request.citizen_phone.strip()
    if phone and not is_mobile(phone):
        if len(phone) > PHONE_MAX_LENGTH:
            problems.append(
                Problem("citizenPhone", ErrorCode.TOO_LONG, f"电话号码最多 {PHONE_MAX_LENGTH} 位。")
            )
        elif not _PHONE.fullmatch(phone):
            problems.append(Problem("citizenPhone", ErrorCode.INVALID, "不是有效的电话号码。"))
    if len(request.address) > 200:
        problems.append(Problem("address", ErrorCode.TOO_LONG, "地址最多 200 个字。"))
    problems += _nul_problems(
        title=request.title,
        content=request.content,
        address=request.address,
        citizenName=request.citizen_name,
    )
    key = request.idempotency_key
    if key is not None and not _valid_key(key):
        problems.append(Problem("idempotencyKey", ErrorCode.INVALID, "幂等键应为 8–64 个字符。"))
    return problems


def _nul_problems(**texts: str) -> list[Problem]:
    """INVALID for each of ``texts`` (by field name) holding a NUL character: PostgreSQL's
    text cannot store one, and SQLite's string functions (its text index's among them)
    stop at it."""
    return [
        Problem(name, ErrorCode.INVALID, "不能含有空字符（U+0000）。")
        for name, text in texts.items()
        if "\x00" in text
    ]


def _valid_key(key: str) -> bool:
    """Whether ``key`` is an idempotency key: 8 to 64 characters."""
    return 8 <= len(key) <= 64


async def _grid(request: TicketRequest, problems: list[Problem]) -> AreaRecord | None:
    if (request.lat is None) != (request.lng is None):
        problems.append(Problem("location", ErrorCode.INVALID, "经纬度需同时提供。"))
        return None
    if request.lat is None or request.lng is None:
        return None
    grid = await area_at(request.lat, request.lng)
    if grid is None:
        problems.append(
            Problem("location", ErrorCode.OUTSIDE_SERVICE_AREA, "该位置不在本市任何网格内。")
        )
    return grid


async def _likely_duplicate(
    phone: str, category: Category | None, grid: AreaRecord | None, now: datetime
) -> int | None:
    if not phone or category is None or grid is None:
        return None
    rows = await (
        Ticket.filter(
            citizen_phone=phone,
            category_id=category.id,
            grid_id=grid.id,
            received_at__gte=now - DUPLICATE_WINDOW,
        )
        .order_by("-received_at")
        .limit(1)
        .values("id")
    )
    return rows[0]["id"] if rows else None


async def _by_key(actor: Principal, key: str, digest: str) -> TicketRecord | None:
    rows = await Ticket.filter(created_by_id=actor.account_id, idempotency_key=key).values(
        *TICKET_COLUMNS, "request_digest"
    )
    if not rows:
        return None
    if rows[0].pop("request_digest") != digest:
        raise DomainError(
            ErrorCode.IDEMPOTENCY_CONFLICT, "该幂等键已用于另一张工单。", "idempotencyKey"
        )
    return TicketRecord(**rows[0])


async def _tickets_numbered_on(day: date) -> int:
    return await Ticket.filter(number__startswith=f"{NUMBER_PREFIX}{day:%Y%m%d}").count()
