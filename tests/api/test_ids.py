"""Ids and cursors clients send: only ASCII digits within the type's key column (INT or
BIGINT) are row ids; anything else is BAD_USER_INPUT (or no node), never a server
error."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient
from strawberry import relay

from schema.errors import BadUserInput
from schema.ids import MAX_ROW_ID, cursor_row_id, max_row_id, row_id, row_id_of
from schema.pagination import encode_cursor
from tests.graphql import data, error_codes, gql, login


@pytest.mark.parametrize(
    ("text", "expected"),
    [("42", 42), (str(MAX_ROW_ID), MAX_ROW_ID), ("0", None), ("²", None), ("١٢", None),
     ("9" * 30, None), (str(MAX_ROW_ID + 1), None), ("-1", None), ("", None), ("4 2", None)],
)  # fmt: skip
def test_row_ids(text: str, expected: int | None) -> None:
    assert row_id(text) == expected


@pytest.mark.parametrize(
    ("type_name", "maximum"),
    [("Article", 2**31 - 1), ("Specialist", 2**31 - 1), ("Merchant", 2**31 - 1),
     ("Order", MAX_ROW_ID), ("Consultation", MAX_ROW_ID), (None, MAX_ROW_ID)],
)  # fmt: skip
def test_a_types_row_ids_fit_its_key_column(type_name: str | None, maximum: int) -> None:
    assert max_row_id(type_name) == maximum
    assert row_id(str(maximum), type_name) == maximum
    assert row_id(str(maximum + 1), type_name) is None
    with pytest.raises(BadUserInput):
        cursor_row_id(str(maximum + 1), type_name)
    if type_name:
        global_id = relay.GlobalID(type_name, str(maximum + 1))
        with pytest.raises(BadUserInput):
            row_id_of(global_id, type_name, "id")


# The last: beyond an INT key column (Merchant, Specialist), within a BIGINT one.
@pytest.mark.parametrize("node_id", ["²", "9" * 30, str(2**31)])
def test_odd_ids_are_bad_input_or_no_node(client: TestClient, node_id: str) -> None:
    agent = login(client, "demo-agent")
    decide = gql(
        client,
        """mutation($id: ID!) { decideExtension(input: {extensionId: $id, approve: true}) {
             extension { status } errors { code } } }""",
        {"id": str(relay.GlobalID("Extension", node_id))},
        token=agent,
    )
    # An Extension's key is a BIGINT: 2**31 is an id, of no extension.
    assert error_codes(decide) == ([] if node_id == str(2**31) else ["BAD_USER_INPUT"])
    for type_name in ("Offer", "Extension", "Merchant", "Specialist"):
        node = data(
            client,
            "query($id: ID!) { node(id: $id) { id } }",
            {"id": str(relay.GlobalID(type_name, node_id))},
            token=agent,
        )
        assert node == {"node": None}
    fields = [("merchants", "Merchant"), ("specialists", "Specialist")]
    if node_id != str(2**31):  # a BIGINT key holds it
        fields.append(("orders", "Order"))
    for field, kind in fields:
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
