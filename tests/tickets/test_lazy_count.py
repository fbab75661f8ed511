"""A ticket list counts its tickets only when ``totalCount`` is asked for, through the
standard executor and the compiled path alike, and the count is the list's length."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.graphql import data, login
from tests.tickets.test_list_plans import _statements

LIST = """query($filter: TicketFilter) {
  tickets(filter: $filter, first: 100) { %s edges { node { number } } } }"""


def _full_counts(statements: list[tuple[str, list[Any]]]) -> list[str]:
    """The statements counting a whole list (not the bounded count that picks its plan)."""
    return [sql for sql, _ in statements if "COUNT(" in sql and "LIMIT" not in sql]


@pytest.mark.parametrize("username", ["demo-agent", "demo-department"])
def test_total_count_is_counted_only_when_asked_for(client: TestClient, username: str) -> None:
    token = login(client, username)
    for variables in ({}, {"filter": {"areaCode": "150302"}}, {"filter": {"status": ["CLOSED"]}}):
        # Twice each: the second time the compiled path answers.
        for _ in range(2):
            with _statements() as plain:
                edges = data(client, LIST % "", variables, token)["tickets"]["edges"]
            with _statements() as counted:
                page = data(client, LIST % "totalCount", variables, token)["tickets"]
            assert not _full_counts(plain) and _full_counts(counted)
            assert page["edges"] == edges
            if len(edges) < 100:
                assert page["totalCount"] == len(edges), variables
            else:
                assert page["totalCount"] >= len(edges)
