"""Ids and cursors clients send: only ASCII digits within a BIGINT are row ids; anything
else is BAD_USER_INPUT (or no node), never a server error."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient
from strawberry import relay

from schema.ids import MAX_ROW_ID, row_id
from schema.pagination import encode_cursor
from tests.graphql import data, error_codes, gql, login


@pytest.mark.parametrize(
    ("text", "expected"),
    [("42", 42), (str(MAX_ROW_ID), MAX_ROW_ID), ("0", None), ("²", None), ("١٢", None),
     ("9" * 30, None), (str(MAX_ROW_ID + 1), None), ("-1", None), ("", None), ("4 2", None)],
)  # fmt: skip
def test_row_ids(text: str, expected: int | None) -> None:
    assert row_id(text) == expected


@pytest.mark.parametrize("node_id", ["²", "9" * 30])
def test_odd_ids_are_bad_input_or_no_node(client: TestClient, node_id: str) -> None:
    agent = login(client, "demo-agent")
    decide = gql(
        client,
        """mutation($id: ID!) { decideExtension(input: {extensionId: $id, approve: true}) {
             extension { status } errors { code } } }""",
        {"id": str(relay.GlobalID("Extension", node_id))},
        token=agent,
    )
    assert error_codes(decide) == ["BAD_USER_INPUT"]
    for type_name in ("Offer", "Extension", "Merchant"):
        node = data(
            client,
            "query($id: ID!) { node(id: $id) { id } }",
            {"id": str(relay.GlobalID(type_name, node_id))},
            token=agent,
        )
        assert node == {"node": None}
    for field, kind in (("orders", "Order"), ("merchants", "Merchant")):
        page = gql(
            client,
            f"query($after: String) {{ {field}(after: $after) {{ totalCount }} }}",
            {"after": encode_cursor(kind, node_id)},
            token=agent,
        )
        assert error_codes(page) == ["BAD_USER_INPUT"], page


def test_calendar_days_of_a_year_beyond_the_calendar_are_bad_input(client: TestClient) -> None:
    days = data(client, "{ calendarDays(year: 2026) { day kind name } }")["calendarDays"]
    assert {"day": "2026-10-01", "kind": "HOLIDAY", "name": "国庆节"} in days
    for year in (0, 10000):
        body = gql(client, "query($y: Int!) { calendarDays(year: $y) { day } }", {"y": year})
        assert error_codes(body) == ["BAD_USER_INPUT"]
