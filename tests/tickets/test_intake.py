"""Intake: numbered tickets, validation, urgency from the category, duplicates, retries."""

from __future__ import annotations

import dataclasses

import pytest

from accounts.models import Account, Role
from accounts.service import Principal
from grids.models import Area, AreaLevel
from tickets.intake import TicketRequest, create_ticket
from tickets.lifecycle import TicketStatus
from tickets.models import TicketEvent
from tickets.sla import TicketKind, Urgency
from wuyou.errors import DomainError, ErrorCode

pytestmark = pytest.mark.usefixtures("connected")


async def _principal(username: str) -> Principal:
    account = await Account.get(username=username)
    return Principal(account.id, account.username, account.role)


async def _grid_centre(index: int) -> tuple[float, float]:
    grids = (
        await Area.filter(level=AreaLevel.GRID)
        .order_by("code")
        .values("centroid_lat", "centroid_lng")
    )
    row = grids[index]
    return row["centroid_lat"], row["centroid_lng"]


def _request(lat: float, lng: float, **changes: object) -> TicketRequest:
    request = TicketRequest(
        channel="HL-12345",
        kind=TicketKind.COMPLAINT,
        title="小区门口占道经营",
        content="每天傍晚有摊贩在小区门口占道经营，影响通行。",
        category="URBAN.CITYSCAPE.STREET_VENDING",
        citizen_name="周九",
        citizen_phone="13912345678",
        lat=lat,
        lng=lng,
        address="海勃湾区某小区北门",
    )
    return dataclasses.replace(request, **changes)  # type: ignore[arg-type]


async def test_an_agent_records_a_call_as_a_numbered_received_ticket() -> None:
    lat, lng = await _grid_centre(300)
    ticket = await create_ticket(_request(lat, lng), actor=await _principal("demo-agent"))
    assert ticket.status is TicketStatus.RECEIVED and ticket.number.startswith("WH")
    assert len(ticket.number) == 16 and ticket.area_path.endswith("/")
    [event] = await TicketEvent.filter(ticket_id=ticket.id).values("action", "to_status")
    assert event == {"action": "RECEIVE", "to_status": TicketStatus.RECEIVED}


async def test_a_repeat_within_72_hours_is_flagged_as_a_likely_duplicate() -> None:
    lat, lng = await _grid_centre(301)
    agent = await _principal("demo-agent")
    first = await create_ticket(_request(lat, lng), actor=agent)
    again = await create_ticket(_request(lat, lng, title="又来占道经营了"), actor=agent)
    assert again.likely_duplicate_of_id == first.id
    other = await create_ticket(_request(lat, lng, citizen_phone="13700000001"), actor=agent)
    assert other.likely_duplicate_of_id is None


async def test_the_category_can_raise_the_urgency() -> None:
    lat, lng = await _grid_centre(302)
    leak = await create_ticket(
        _request(lat, lng, category="UTILITIES.GAS_SAFETY.LEAK", title="闻到燃气味"),
        actor=await _principal("demo-agent"),
    )
    assert leak.urgency is Urgency.CRITICAL


async def test_bad_input_is_refused_with_every_problem() -> None:
    with pytest.raises(DomainError) as refused:
        await create_ticket(
            _request(10.0, 10.0, channel="HL-00000", category="URBAN", title="x", content=" "),
            actor=await _principal("demo-agent"),
        )
    assert {(p.field, p.code) for p in refused.value.problems} == {
        ("channel", ErrorCode.NOT_FOUND),
        ("category", ErrorCode.WRONG_LEVEL),
        ("title", ErrorCode.INVALID),
        ("content", ErrorCode.REQUIRED),
        ("location", ErrorCode.OUTSIDE_SERVICE_AREA),
    }


async def test_a_retry_returns_the_first_ticket_and_citizens_use_online_channels() -> None:
    lat, lng = await _grid_centre(303)
    agent = await _principal("demo-agent")
    request = _request(lat, lng, idempotency_key="call-20261127-0001")
    first = await create_ticket(request, actor=agent)
    assert (await create_ticket(request, actor=agent)).id == first.id
    with pytest.raises(DomainError) as conflict:
        await create_ticket(dataclasses.replace(request, title="另一件事"), actor=agent)
    assert conflict.value.code is ErrorCode.IDEMPOTENCY_CONFLICT
    citizen = await _principal("demo-citizen")
    with pytest.raises(DomainError) as hotline:
        await create_ticket(_request(lat, lng), actor=citizen)
    assert hotline.value.field == "channel"
    online = await create_ticket(_request(lat, lng, channel="OL-PORTAL"), actor=citizen)
    assert online.citizen_id == citizen.account_id
    assert citizen.role is Role.CITIZEN
