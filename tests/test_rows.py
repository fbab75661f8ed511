"""Rows read without the ORM's conversion (``wuyou.rows.RowReader``) are the records the
ORM's ``values()`` gives, value for value, type for type and time zone for time zone,
on SQLite and on PostgreSQL; a ticket page's catalogue records are the ones the
DataLoaders would fetch."""

from __future__ import annotations

import copy
from dataclasses import FrozenInstanceError, dataclass, field, fields, replace
from typing import Any

import pytest
from tortoise.expressions import Subquery
from tortoise.queryset import QuerySet

from grids.areas import AreaRecord, get_areas_by_id, read_areas
from grids.catalogue import get_channels_by_id, get_departments_by_id
from grids.demo import DEMO_DEPARTMENT
from grids.models import Area
from merchants.models import Order
from merchants.records import OfferRecord, OrderEventRecord, OrderRecord, read_orders
from tests.merchants import market
from tests.tickets.desk import new_ticket, principal
from tickets import workflow
from tickets.categories import get_categories_by_id
from tickets.lifecycle import TicketStatus
from tickets.models import Ticket
from tickets.records import (
    TICKET_COLUMNS,
    TicketRecord,
    read_tickets,
    read_tickets_with_relations,
)
from tickets.sla import Urgency
from wuyou.rows import RowReader, record_builder

pytestmark = pytest.mark.usefixtures("connected")


async def _as_the_orm_reads(query: QuerySet[Any], record: type[Any]) -> list[Any]:
    columns = [f.name for f in fields(record)]
    return [record(**row) for row in await query.values(*columns)]


def _same(expected: list[Any], found: list[Any]) -> None:
    assert found == expected
    for a, b in zip(expected, found, strict=True):
        for f in fields(a):
            x, y = getattr(a, f.name), getattr(b, f.name)
            assert type(x) is type(y) and repr(x) == repr(y), (f.name, x, y)


async def test_tickets_orders_and_areas_read_as_the_orm_reads_them() -> None:
    dispatched = await new_ticket()
    await workflow.dispatch(
        number=dispatched.number,
        department_code=DEMO_DEPARTMENT,
        actor=await principal("demo-agent"),
    )
    await new_ticket()  # received: no department, no deadlines
    await market.place(await market.fresh_grid(), "unlocking", await market.citizen())
    tickets = Ticket.all().order_by("-id").limit(200)
    _same(await _as_the_orm_reads(tickets, TicketRecord), await read_tickets(tickets))
    orders = Order.all().order_by("-id").limit(200)
    _same(await _as_the_orm_reads(orders, OrderRecord), await read_orders(orders))
    areas = Area.all().order_by("code")
    _same(await _as_the_orm_reads(areas, AreaRecord), await read_areas(areas))


async def test_a_page_reads_the_records_its_tickets_point_at() -> None:
    await new_ticket()
    # Filtered by a related column, the query joins the categories already.
    for query in (
        Ticket.all().order_by("-received_at", "-id").limit(100),
        Ticket.filter(category__code__startswith="ENVIRONMENT.").order_by("-id").limit(100),
    ):
        expected = [TicketRecord(**r) for r in await query.values(*TICKET_COLUMNS)]
        found, relations = await read_tickets_with_relations(query)
        assert found == expected and found
        assert relations.departments == await get_departments_by_id(
            t.department_id for t in found if t.department_id is not None
        )
        assert relations.grids == await get_areas_by_id(
            t.grid_id for t in found if t.grid_id is not None
        )
        assert relations.categories == await get_categories_by_id(
            t.category_id for t in found if t.category_id is not None
        )
        assert relations.channels == await get_channels_by_id(t.channel_id for t in found)


async def test_a_select_list_rendered_once_gives_the_statement_rendered_afresh() -> None:
    """Plain, joined and nested statements, in turns, through one reader and through a
    new one each time (which renders its select list for the first time)."""
    queries = [
        Ticket.all().order_by("-id").limit(5),
        Ticket.filter(category__code__startswith="NOISE.").order_by("-received_at").limit(5),
        Ticket.filter(
            id__in=Subquery(Ticket.filter(status=TicketStatus.RECEIVED).limit(9).values("id"))
        ).order_by("-id"),
        Ticket.filter(number="WH1", urgency=Urgency.URGENT).distinct(),
    ]
    for columns in (TICKET_COLUMNS, [*TICKET_COLUMNS, "category__code", "department__name"]):
        shared = RowReader(Ticket, columns)
        for _ in range(2):
            for query in queries:
                _, expected, parameters = RowReader(Ticket, columns).statement(query)
                _, sql, found = shared.statement(query)
                assert (sql, found) == (expected, parameters)
                assert await shared.read(query) == await RowReader(Ticket, columns).read(query)


@dataclass(frozen=True, slots=True)
class _Plain:
    a: int
    b: list[str]
    c: str | None = None


@dataclass(frozen=True, slots=True)
class _Checked:
    a: int

    def __post_init__(self) -> None:
        if self.a < 0:
            raise ValueError(self.a)


@dataclass(frozen=True, slots=True)
class _KeywordOnly:
    a: int
    b: int = field(kw_only=True)


@dataclass(frozen=True)
class _WithoutSlots:
    a: int


@pytest.mark.parametrize(
    "record", [_Plain, TicketRecord, AreaRecord, OrderRecord, OfferRecord, OrderEventRecord]
)
def test_a_record_built_fast_is_the_record_its_class_builds(record: type[Any]) -> None:
    build = record_builder(record)
    assert build is not record
    values = [object() if i % 3 else i for i in range(len(fields(record)))]
    built, expected = build(*values), record(*values)
    assert type(built) is record
    assert built == expected and hash(built) == hash(expected) and repr(built) == repr(expected)
    assert [getattr(built, f.name) for f in fields(record)] == values
    with pytest.raises(FrozenInstanceError):
        built.__setattr__(fields(record)[0].name, 1)
    assert copy.copy(built) == built == replace(built)
    with pytest.raises(TypeError):
        build(*values[:-1], *values[-1:], 0)  # a value too many, as the class refuses it


@pytest.mark.parametrize("record", [_Checked, _KeywordOnly, _WithoutSlots])
def test_a_record_the_builder_cannot_express_is_built_by_its_class(record: type[Any]) -> None:
    assert record_builder(record) is record
