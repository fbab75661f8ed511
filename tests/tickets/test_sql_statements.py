"""A page of tickets with their relations costs the same number of SQL statements for 5
tickets as for 100."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from tests.api.test_sql_statements import counting_sql
from tests.conftest import unique
from tests.graphql import data, in_app, login
from tests.tickets.desk import principal
from tickets import workflow
from tickets.intake import TicketRequest, create_ticket

PAGE = """query($text: String!, $first: Int!) {
  tickets(filter: {text: $text}, first: $first) { totalCount edges { cursor node {
    number status citizenPhone channel { code name } category { code name parent { code } }
    department { code name } grid { code name } deadlines { sign complete } dueAt overdue
    mergedInto { number } history { action actor department { code } }
    extensions { status } mergedTickets { number } } } } }"""


async def _hundred_tickets(marker: str) -> None:
    agent = await principal("demo-agent")
    for i in range(100):
        ticket = await create_ticket(
            TicketRequest(
                channel="HL-12345" if i % 2 else "OL-PORTAL",
                kind="COMPLAINT",  # type: ignore[arg-type]
                title=f"噪音扰民 {i}",
                content=f"{marker} 夜间施工噪音。",
                category="NOISE.CONSTRUCTION.NIGHT_WORK" if i % 3 else None,
                citizen_phone="13912345678",
            ),
            actor=agent,
        )
        if i % 4 == 0:
            department = "150300-CG" if i % 8 else "150302-CG"
            await workflow.dispatch(number=ticket.number, department_code=department, actor=agent)


@pytest.fixture
def quiet_client(settings: Settings) -> Iterator[TestClient]:
    """The app without its background sweeper, whose queries would be counted too."""
    with TestClient(create_app(dataclasses.replace(settings, sweep_interval_ms=0))) as client:
        yield client


def test_a_page_of_100_tickets_costs_what_a_page_of_5_does(quiet_client: TestClient) -> None:
    client = quiet_client
    marker = unique("sql")
    in_app(client, lambda: _hundred_tickets(marker))
    token = login(client, "demo-agent")
    counts = {}
    for size in (5, 100):
        with counting_sql() as counter:
            page = data(client, PAGE, {"text": marker, "first": size}, token=token)["tickets"]
        assert len(page["edges"]) == size and page["totalCount"] == 100
        counts[size] = counter.statements
    assert counts[5] == counts[100], counts
    assert counts[100] <= 16, counts
