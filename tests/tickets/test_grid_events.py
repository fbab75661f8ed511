"""Grid events: a worker reports in their grid, and the event is settled on the spot or
routed at once to the nearest body that handles its category."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from accounts.service import Principal
from grids.catalogue import get_department
from grids.models import Area, Channel, ChannelKind
from tests.conftest import unique
from tests.tickets.desk import grid_worker, new_ticket, principal, staff_of
from tickets import grid_events, intake, workflow
from tickets.grid_events import GridEventRequest, report_grid_event, resolve_on_site
from tickets.intake import TicketRequest, create_ticket
from tickets.lifecycle import TicketStatus
from tickets.models import Ticket, TicketEvent
from tickets.records import TicketRecord
from tickets.sla import TicketKind
from wuyou.errors import DomainError, ErrorCode, Forbidden

pytestmark = pytest.mark.usefixtures("connected")

#: A grid of 三道坎社区, 三道坎街道, 乌达区, and its neighbour in the same community.
GRID = "150304001001-G01"
NEIGHBOUR_GRID = "150304001001-G02"
PHOTO = "https://img.wuhai.example/grid/2026/1127/0001.jpg"


async def event(category: str, grid_code: str = GRID, **fields: object) -> GridEventRequest:
    """A report at the centre of the grid with ``grid_code``."""
    grid = await Area.get(code=grid_code)
    values: dict[str, object] = {
        "kind": TicketKind.REPORT,
        "category": category,
        "title": unique("网格巡查发现"),
        "content": "巡查时发现，已拍照取证。",
        "lat": grid.centroid_lat,
        "lng": grid.centroid_lng,
        "address": "三道坎社区",
        "photos": (PHOTO,),
    } | fields
    return GridEventRequest(**values)  # type: ignore[arg-type]


async def history(ticket: TicketRecord) -> list[tuple[str, int | None, str]]:
    """(action, actor id, note) of each step, in order."""
    rows = (
        await TicketEvent.filter(ticket_id=ticket.id)
        .order_by("id")
        .values_list("action", "actor_id", "note")
    )
    return [(str(action), actor, note) for action, actor, note in rows]


@pytest.mark.parametrize(
    ("category", "body", "name"),
    [
        ("DISPUTES.CIVIL.NEIGHBOURS", "150304001001-SQ", "三道坎社区居民委员会"),
        ("URBAN.CITYSCAPE.STREET_VENDING", "150304001-JD", "三道坎街道办事处"),
        ("ENVIRONMENT.AIR.CATERING_FUMES", "150304-CG", "乌达区城市管理综合执法局"),
        ("HEATING.QUALITY.ROOM_COLD", "150300-RL", "乌海市热力有限责任公司"),
    ],
)
async def test_a_report_goes_at_once_to_the_nearest_body_for_its_category(
    category: str, body: str, name: str
) -> None:
    worker = await grid_worker(GRID)
    ticket = await report_grid_event(await event(category), actor=worker)
    department = await get_department(body)
    assert department is not None and department.name == name
    assert ticket.status is TicketStatus.DISPATCHED and ticket.department_id == department.id
    assert ticket.sign_deadline and ticket.complete_deadline and ticket.due_at
    assert ticket.photos == [PHOTO] and ticket.created_by_id == worker.account_id
    channel = await Channel.get(id=ticket.channel_id)
    assert channel.kind is ChannelKind.GRID
    assert await history(ticket) == [
        ("RECEIVE", worker.account_id, ""),
        ("DISPATCH", None, f"网格上报，自动分流至{name}"),
    ]


async def test_settled_on_the_spot_the_event_closes_at_once() -> None:
    worker = await grid_worker(GRID)
    note = "已当场劝导双方，达成谅解。"
    ticket = await report_grid_event(
        await event("DISPUTES.CIVIL.NEIGHBOURS", resolved_on_site=f" {note} "), actor=worker
    )
    assert ticket.status is TicketStatus.CLOSED and ticket.resolved_on_site
    assert ticket.reply == note and ticket.department_id is None
    assert ticket.resolved_at == ticket.closed_at is not None and ticket.due_at is None
    assert await history(ticket) == [
        ("RECEIVE", worker.account_id, ""),
        ("RESOLVE_ON_SITE", worker.account_id, note),
    ]


async def test_a_retry_with_the_same_key_returns_the_routed_event() -> None:
    worker = await grid_worker(GRID)
    request = await event("URBAN.CITYSCAPE.STREET_VENDING", idempotency_key=unique("key"))
    first = await report_grid_event(request, actor=worker)
    again = await report_grid_event(request, actor=worker)
    assert again == first
    assert [action for action, _, _ in await history(first)] == ["RECEIVE", "DISPATCH"]


async def test_a_retry_must_settle_the_event_as_the_first_report_did() -> None:
    worker = await grid_worker(GRID)
    note = "已当场劝导双方，达成谅解。"
    settled = await event(
        "DISPUTES.CIVIL.NEIGHBOURS", resolved_on_site=note, idempotency_key=unique("key")
    )
    first = await report_grid_event(settled, actor=worker)
    assert await report_grid_event(settled, actor=worker) == first
    routed = await event("URBAN.CITYSCAPE.STREET_VENDING", idempotency_key=unique("key"))
    dispatched = await report_grid_event(routed, actor=worker)
    for retry in (
        dataclasses.replace(settled, resolved_on_site=None),
        dataclasses.replace(settled, resolved_on_site="双方已和解。"),
        dataclasses.replace(routed, resolved_on_site=note),
    ):
        with pytest.raises(DomainError) as conflict:
            await report_grid_event(retry, actor=worker)
        assert (conflict.value.field, conflict.value.code) == (
            "idempotencyKey",
            ErrorCode.IDEMPOTENCY_CONFLICT,
        )
    assert [action for action, _, _ in await history(first)] == ["RECEIVE", "RESOLVE_ON_SITE"]
    assert [action for action, _, _ in await history(dispatched)] == ["RECEIVE", "DISPATCH"]


async def test_a_report_that_fails_while_routing_leaves_no_ticket(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def broken(department_key: str | None, area_path: str) -> None:
        raise RuntimeError("routing is down")

    monkeypatch.setattr(grid_events, "responsible_department", broken)
    request = await event("URBAN.CITYSCAPE.STREET_VENDING")
    with pytest.raises(RuntimeError):
        await report_grid_event(request, actor=await grid_worker(GRID))
    assert not await Ticket.filter(title=request.title).exists()


async def test_a_concurrent_retry_inside_the_reports_transaction_returns_the_first(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    worker = await grid_worker(GRID)
    request = await event("URBAN.CITYSCAPE.STREET_VENDING", idempotency_key=unique("key"))
    first = await report_grid_event(request, actor=worker)
    by_key = intake._by_key
    looks: list[str] = []

    async def not_yet_committed(actor: Principal, key: str, digest: str) -> TicketRecord | None:
        looks.append(key)  # the first look misses a report another worker has not committed
        return None if len(looks) == 1 else await by_key(actor, key, digest)

    monkeypatch.setattr(intake, "_by_key", not_yet_committed)
    assert await report_grid_event(request, actor=worker) == first
    assert len(looks) == 2  # the insert failed on the key, and the second look found it
    assert await Ticket.filter(title=request.title).count() == 1


async def test_a_worker_reports_only_in_their_own_grid() -> None:
    worker = await grid_worker(GRID)
    for request in (
        await event("DISPUTES.CIVIL.NEIGHBOURS", grid_code=NEIGHBOUR_GRID),
        await event("DISPUTES.CIVIL.NEIGHBOURS", lat=30.0, lng=120.0),  # not in the city
    ):
        with pytest.raises(DomainError) as refused:
            await report_grid_event(request, actor=worker)
        assert (refused.value.field, refused.value.code) == (
            "location",
            ErrorCode.OUTSIDE_SERVICE_AREA,
        )
        assert not await Ticket.filter(title=request.title).exists()
    with pytest.raises(Forbidden):
        await report_grid_event(
            await event("DISPUTES.CIVIL.NEIGHBOURS"), actor=await principal("demo-agent")
        )


async def test_every_problem_of_a_report_is_listed_photos_by_index() -> None:
    worker = await grid_worker(GRID)
    photos = (PHOTO, "ftp://img.wuhai.example/2.jpg", "照片", "https://x.example/" + "a" * 490)
    with pytest.raises(DomainError) as bad:
        await report_grid_event(await event("", photos=photos, resolved_on_site="  "), actor=worker)
    assert {(p.field, p.code) for p in bad.value.problems} == {
        ("photos.1", ErrorCode.INVALID),
        ("photos.2", ErrorCode.INVALID),
        ("photos.3", ErrorCode.INVALID),
        ("category", ErrorCode.REQUIRED),
        ("resolvedOnSite", ErrorCode.REQUIRED),
    }
    with pytest.raises(DomainError) as too_many:
        await report_grid_event(
            await event("DISPUTES.CIVIL.NEIGHBOURS", photos=(PHOTO,) * 10), actor=worker
        )
    assert (too_many.value.field, too_many.value.code) == ("photos", ErrorCode.TOO_LONG)
    with pytest.raises(DomainError) as not_a_leaf:
        await report_grid_event(await event("DISPUTES.CIVIL"), actor=worker)
    assert (not_a_leaf.value.field, not_a_leaf.value.code) == ("category", ErrorCode.WRONG_LEVEL)


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"title": "标" * 101}, ("title", ErrorCode.INVALID)),
        ({"content": "内" * 5001}, ("content", ErrorCode.TOO_LONG)),
        ({"citizen_name": "名" * 33}, ("citizenName", ErrorCode.TOO_LONG)),
        ({"citizen_phone": "1" * 40}, ("citizenPhone", ErrorCode.TOO_LONG)),
        ({"citizen_phone": "٠٤٧٣٣١٢٣٤٥٦"}, ("citizenPhone", ErrorCode.INVALID)),
        ({"address": "址" * 201}, ("address", ErrorCode.TOO_LONG)),
        ({"category": "DISPUTES.CIVIL.NEIGHBOURS" + "X" * 72}, ("category", ErrorCode.NOT_FOUND)),
        ({"idempotency_key": "k" * 65}, ("idempotencyKey", ErrorCode.INVALID)),
        ({"resolved_on_site": "说" * 5001}, ("resolvedOnSite", ErrorCode.TOO_LONG)),
    ],
)
async def test_every_text_of_a_report_is_checked_before_it_reaches_the_database(
    fields: dict[str, Any], problem: tuple[str, ErrorCode]
) -> None:
    request = dataclasses.replace(await event("DISPUTES.CIVIL.NEIGHBOURS"), **fields)
    with pytest.raises(DomainError) as refused:
        await report_grid_event(request, actor=await grid_worker(GRID))
    assert [(p.field, p.code) for p in refused.value.problems] == [problem]


async def test_resolving_on_the_spot_is_for_the_grids_worker_before_the_body_signs() -> None:
    worker, stranger = await grid_worker(GRID), await grid_worker(NEIGHBOUR_GRID)
    signed = await report_grid_event(await event("ENVIRONMENT.AIR.CATERING_FUMES"), actor=worker)
    with pytest.raises(Forbidden):
        await resolve_on_site(number=signed.number, note="已处理", actor=stranger)
    await workflow.sign(number=signed.number, actor=await staff_of("150304-CG"))
    with pytest.raises(DomainError) as too_late:
        await resolve_on_site(number=signed.number, note="已处理", actor=worker)
    assert too_late.value.code is ErrorCode.INVALID_STATE

    waiting = await report_grid_event(await event("ENVIRONMENT.AIR.CATERING_FUMES"), actor=worker)
    with pytest.raises(DomainError) as no_note:
        await resolve_on_site(number=waiting.number, note=" ", actor=worker)
    assert (no_note.value.field, no_note.value.code) == ("note", ErrorCode.REQUIRED)
    closed = await resolve_on_site(number=waiting.number, note="店主已整改油烟", actor=worker)
    assert closed.status is TicketStatus.CLOSED and closed.resolved_on_site
    assert closed.reply == "店主已整改油烟" and closed.closed_at is not None
    assert [action for action, _, _ in await history(closed)] == [
        "RECEIVE",
        "DISPATCH",
        "RESOLVE_ON_SITE",
    ]


async def test_only_grid_events_are_resolved_on_the_spot() -> None:
    hotline = await new_ticket()  # taken by an agent in the last grid of the city
    grid = await Area.get(id=hotline.grid_id)
    with pytest.raises(DomainError) as refused:
        await resolve_on_site(
            number=hotline.number, note="已处理", actor=await grid_worker(grid.code)
        )
    assert refused.value.code is ErrorCode.INVALID


async def test_a_grid_worker_files_tickets_only_on_the_grid_channel() -> None:
    request = await event("DISPUTES.CIVIL.NEIGHBOURS")
    with pytest.raises(DomainError) as refused:
        await create_ticket(
            TicketRequest(
                channel="HL-12345",
                kind=request.kind,
                title=request.title,
                content=request.content,
                category=request.category,
                lat=request.lat,
                lng=request.lng,
            ),
            actor=await grid_worker(GRID),
        )
    assert (refused.value.field, refused.value.code) == ("channel", ErrorCode.INVALID)
