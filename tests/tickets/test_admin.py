"""Administering the calendar and the categories, and reading the category tree."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date

import pytest

from grids.models import Area, AreaLevel
from tests.tickets.desk import principal
from tickets import admin, workflow
from tickets.admin import UNCHANGED
from tickets.catalogue import working_calendar
from tickets.categories import (
    CategoryRecord,
    categories,
    children_of,
    get_categories_by_id,
    get_category,
)
from tickets.intake import TicketRequest, create_ticket
from tickets.models import CalendarDayKind, Category
from tickets.records import TicketRecord, get_ticket
from tickets.sla import TicketKind, Urgency
from wuyou.errors import DomainError, ErrorCode, Forbidden, Unauthenticated

pytestmark = pytest.mark.usefixtures("connected")

#: A leaf no other test files tickets under; the tests put it back as they found it.
LEAF = "ENVIRONMENT.DUST.SITES"
#: A far-off Wednesday and Saturday no other test's calendar reaches.
WEDNESDAY, SATURDAY = date(2043, 6, 10), date(2043, 6, 13)
_EDITABLE = ("reply_days", "complete_days", "department_key", "urgency_hint", "is_active")


@pytest.fixture
async def leaf() -> AsyncIterator[CategoryRecord]:
    """:data:`LEAF`, restored after the test."""
    before = await get_category(LEAF)
    assert before is not None
    try:
        yield before
    finally:
        await Category.filter(id=before.id).update(**{f: getattr(before, f) for f in _EDITABLE})


async def _dispatched_in(category: str) -> TicketRecord:
    grid = await Area.filter(level=AreaLevel.GRID).order_by("code").first()
    assert grid is not None
    agent = await principal("demo-agent")
    ticket = await create_ticket(
        TicketRequest(
            channel="HL-12345",
            kind=TicketKind.COMPLAINT,
            title="工地扬尘",
            content="工地渣土未苫盖，风一吹满天灰。",
            category=category,
            lat=grid.centroid_lat,
            lng=grid.centroid_lng,
        ),
        actor=agent,
    )
    return await workflow.dispatch(number=ticket.number, department_code="150300-ZJ", actor=agent)


async def test_calendar_days_are_upserted_listed_and_removed() -> None:
    admin_ = await principal("demo-admin")
    try:
        first = await admin.set_calendar_day(
            day=WEDNESDAY, kind=CalendarDayKind.HOLIDAY, name=" 测试节 ", actor=admin_
        )
        assert (first.day, first.kind, first.name) == (WEDNESDAY, CalendarDayKind.HOLIDAY, "测试节")
        again = await admin.set_calendar_day(
            day=WEDNESDAY, kind=CalendarDayKind.HOLIDAY, name="改名节", actor=admin_
        )
        assert again.id == first.id and again.name == "改名节"
        await admin.set_calendar_day(
            day=SATURDAY, kind=CalendarDayKind.WORKDAY, name="调休", actor=admin_
        )
        assert [(d.day, d.kind) for d in await admin.calendar_days(2043)] == [
            (WEDNESDAY, CalendarDayKind.HOLIDAY),
            (SATURDAY, CalendarDayKind.WORKDAY),
        ]
        calendar = await working_calendar()
        assert not calendar.is_working_day(WEDNESDAY) and calendar.is_working_day(SATURDAY)
    finally:
        assert await admin.remove_calendar_day(day=WEDNESDAY, actor=admin_)
        assert await admin.remove_calendar_day(day=SATURDAY, actor=admin_)
    assert not await admin.remove_calendar_day(day=WEDNESDAY, actor=admin_)
    assert await admin.calendar_days(2043) == []
    assert (await working_calendar()).is_working_day(WEDNESDAY)


async def test_calendar_days_are_checked_and_for_administrators_only() -> None:
    admin_ = await principal("demo-admin")
    with pytest.raises(DomainError) as bad:
        await admin.set_calendar_day(
            day=WEDNESDAY, kind=CalendarDayKind.WORKDAY, name="节" * 33, actor=admin_
        )
    assert [(p.field, p.code) for p in bad.value.problems] == [
        ("name", ErrorCode.TOO_LONG),
        ("kind", ErrorCode.INVALID),
    ]
    with pytest.raises(Forbidden):
        await admin.set_calendar_day(
            day=WEDNESDAY,
            kind=CalendarDayKind.HOLIDAY,
            name="",
            actor=await principal("demo-agent"),
        )
    with pytest.raises(Unauthenticated):
        await admin.remove_calendar_day(day=WEDNESDAY, actor=None)
    assert await admin.calendar_days(2043) == []


async def test_a_category_change_applies_to_tickets_dispatched_after_it(
    leaf: CategoryRecord,
) -> None:
    admin_ = await principal("demo-admin")
    calendar = await working_calendar()
    before = await _dispatched_in(LEAF)
    assert before.complete_deadline == calendar.add_working_days(before.received_at, 5)
    changed = await admin.update_category(
        code=LEAF,
        actor=admin_,
        reply_days=3,
        complete_days=10,
        department_key=" hj ",
        urgency_hint=Urgency.URGENT,
    )
    assert (changed.reply_days, changed.complete_days) == (3, 10)
    assert (changed.department_key, changed.urgency_hint) == ("HJ", Urgency.URGENT)
    assert changed.name == leaf.name and changed.is_active
    unchanged = await get_ticket(before.number)
    assert unchanged is not None and unchanged.complete_deadline == before.complete_deadline
    await admin.update_category(code=LEAF, actor=admin_, urgency_hint=None)
    after = await _dispatched_in(LEAF)
    assert after.complete_deadline == calendar.add_working_days(after.received_at, 10)
    assert after.reply_deadline == calendar.add_working_days(after.received_at, 3)


async def test_unchanged_fields_stay_and_none_clears(leaf: CategoryRecord) -> None:
    admin_ = await principal("demo-admin")
    await admin.update_category(code=LEAF, actor=admin_, reply_days=2, complete_days=4)
    cleared = await admin.update_category(
        code=LEAF, actor=admin_, reply_days=None, complete_days=UNCHANGED, is_active=False
    )
    assert (cleared.reply_days, cleared.complete_days) == (None, 4)
    assert cleared.department_key == leaf.department_key and not cleared.is_active
    assert LEAF not in {c.code for c in await categories("ENVIRONMENT.DUST")}
    hidden = await categories("ENVIRONMENT.DUST", include_inactive=True)
    assert LEAF in {c.code for c in hidden}


async def test_category_changes_report_every_problem(leaf: CategoryRecord) -> None:
    admin_ = await principal("demo-admin")
    with pytest.raises(DomainError) as bad:
        await admin.update_category(
            code=LEAF, actor=admin_, reply_days=0, complete_days=61, department_key="NOPE"
        )
    assert [(p.field, p.code) for p in bad.value.problems] == [
        ("replyDays", ErrorCode.OUT_OF_RANGE),
        ("completeDays", ErrorCode.OUT_OF_RANGE),
        ("departmentKey", ErrorCode.NOT_FOUND),
    ]
    await admin.update_category(code=LEAF, actor=admin_, complete_days=5)
    with pytest.raises(DomainError) as late_reply:
        await admin.update_category(code=LEAF, actor=admin_, reply_days=6)
    assert (late_reply.value.field, late_reply.value.code) == ("replyDays", ErrorCode.INVALID)
    with pytest.raises(DomainError) as branch:
        await admin.update_category(
            code="ENVIRONMENT.DUST", actor=admin_, complete_days=5, department_key="CG"
        )
    assert [(p.field, p.code) for p in branch.value.problems] == [
        ("completeDays", ErrorCode.WRONG_LEVEL),
        ("departmentKey", ErrorCode.WRONG_LEVEL),
    ]
    with pytest.raises(DomainError) as unknown:
        await admin.update_category(code="NO.SUCH.LEAF", actor=admin_, reply_days=1)
    assert (unknown.value.field, unknown.value.code) == ("code", ErrorCode.NOT_FOUND)
    with pytest.raises(Forbidden):
        await admin.update_category(code=LEAF, actor=await principal("demo-agent"), reply_days=1)
    stored = await get_category(LEAF)
    assert stored is not None and stored.reply_days == leaf.reply_days


async def test_the_category_tree_reads() -> None:
    roots = await categories(None)
    assert roots and {c.level for c in roots} == {1} and {c.parent_id for c in roots} == {None}
    environment = next(c for c in roots if c.code == "ENVIRONMENT")
    groups = await categories("ENVIRONMENT")
    assert groups and all(c.parent_id == environment.id and c.level == 2 for c in groups)
    assert [c.sort_order for c in groups] == sorted(c.sort_order for c in groups)
    assert (await children_of([environment.id, 0])) == {environment.id: groups, 0: []}
    assert await categories("NO.SUCH") == []
    by_id = await get_categories_by_id([environment.id, groups[0].id, 0])
    assert by_id == {environment.id: environment, groups[0].id: groups[0]}
    assert await get_category("ENVIRONMENT") == environment
    assert await get_category("NO.SUCH") is None
