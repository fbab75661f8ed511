"""Intake: numbered tickets, validation, urgency from the category, duplicates, retries."""

from __future__ import annotations

import dataclasses
import uuid

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


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        ("title", "标" * 101, ("title", ErrorCode.INVALID)),
        ("content", "内" * 5001, ("content", ErrorCode.TOO_LONG)),
        ("citizen_name", "名" * 33, ("citizenName", ErrorCode.TOO_LONG)),
        ("citizen_phone", "1" * 40, ("citizenPhone", ErrorCode.TOO_LONG)),
        ("citizen_phone", "0473-3123456-" + "1" * 8, ("citizenPhone", ErrorCode.TOO_LONG)),
        ("citizen_phone", "١٢٣٤٥٦٧", ("citizenPhone", ErrorCode.INVALID)),  # Arabic-Indic
        ("citizen_phone", "１３９１２３４５６７８", ("citizenPhone", ErrorCode.INVALID)),
        ("citizen_phone", "0473 312 3456", ("citizenPhone", ErrorCode.INVALID)),
        ("citizen_phone", "--", ("citizenPhone", ErrorCode.INVALID)),
        ("address", "址" * 201, ("address", ErrorCode.TOO_LONG)),
        (
            "category",
            "URBAN.CITYSCAPE.STREET_VENDING" + "X" * 67,
            ("category", ErrorCode.NOT_FOUND),
        ),
        ("channel", "HL-12345" + "X" * 25, ("channel", ErrorCode.NOT_FOUND)),
        ("idempotency_key", "k" * 65, ("idempotencyKey", ErrorCode.INVALID)),
    ],
)
async def test_every_text_is_checked_before_it_reaches_the_database(
    field: str, value: str, problem: tuple[str, ErrorCode]
) -> None:
    lat, lng = await _grid_centre(304)
    request = _request(lat, lng, **{field: value})
    with pytest.raises(DomainError) as refused:
        await create_ticket(request, actor=await _principal("demo-agent"))
    assert [(p.field, p.code) for p in refused.value.problems] == [problem]


async def test_phones_are_mobiles_or_ascii_digits_and_dashes_of_at_most_20() -> None:
    lat, lng = await _grid_centre(305)
    agent = await _principal("demo-agent")
    for phone, stored in [
        ("+86 139-1234-5678", "13912345678"),
        (" 0473-3123456 ", "0473-3123456"),
        ("12345", "12345"),
        ("1" * 20, "1" * 20),
    ]:
        ticket = await create_ticket(_request(lat, lng, citizen_phone=phone), actor=agent)
        assert ticket.citizen_phone == stored


async def test_an_over_long_key_is_refused_even_when_it_begins_with_a_used_one() -> None:
    lat, lng = await _grid_centre(306)
    agent = await _principal("demo-agent")
    key = uuid.uuid4().hex * 2  # 64 characters
    await create_ticket(_request(lat, lng, idempotency_key=key), actor=agent)
    with pytest.raises(DomainError) as refused:
        await create_ticket(_request(lat, lng, idempotency_key=key + "x"), actor=agent)
    assert [(p.field, p.code) for p in refused.value.problems] == [
        ("idempotencyKey", ErrorCode.INVALID)
    ]
