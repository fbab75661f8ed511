"""What keeps lists, figures and the safety index flat at a million tickets
(bench/scale.py): a long list is paged by walking it newest first and holds the same
tickets; on SQLite, counts and figures read covering indexes and the safety index
sorts nothing."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from tortoise import connections

from grids.safety.index import safety_index
from tests.tickets.desk import principal
from tests.tickets.test_queries import Desk, _names, desk
from tickets import queries
from tickets.lifecycle import TicketStatus
from tickets.queries import TicketFilter, list_tickets
from tickets.sla import SlaWarning
from tickets.stats import StatsFilter, hotline_stats
from wuyou import clock

pytestmark = pytest.mark.usefixtures("connected")

__all__ = ["desk"]  # the fixture, shared with test_queries

_FILTERS: list[dict[str, Any]] = [
    {},
    {"statuses": (TicketStatus.DISPATCHED, TicketStatus.RESOLVED)},
    {"statuses": (TicketStatus.MERGED,)},
    {"department": "150300-CG"},
    {"area_code": "150302"},
    {"area_code": "150304100202-G05"},
    {"category": "URBAN"},
    {"category": "URBAN.FACILITIES.STREETLIGHTS"},
    {"warning": SlaWarning.NONE},
    {"channel": "HL-12345", "category": "URBAN", "overdue": True},
]


async def test_a_long_list_walks_to_the_tickets_a_short_one_finds(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    found = [await _names(desk, **criteria) for criteria in _FILTERS]
    monkeypatch.setattr(queries, "_SORTED_AT_MOST", 0)  # every list is long
    walked = [await _names(desk, **criteria) for criteria in _FILTERS]
    assert walked == found
    assert all(found[1:4]) and found[4] == {"t1", "t3", "t6"}


@contextmanager
def _statements() -> Iterator[list[tuple[str, list[Any]]]]:
    """The statements Tortoise sends meanwhile, with their values (it logs each)."""
    seen: list[tuple[str, list[Any]]] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if isinstance(record.args, tuple) and len(record.args) == 2:
                sql, values = record.args
                seen.append((str(sql), list(values) if isinstance(values, list | tuple) else []))

    logger = logging.getLogger("tortoise.db_client")
    handler, level, propagate = Keep(logging.DEBUG), logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    try:
        yield seen
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        logger.propagate = propagate


async def _plans(statements: list[tuple[str, list[Any]]], *markers: str) -> list[str]:
    """SQLite's plan of each statement that contains every one of ``markers``."""
    connection = connections.get("default")
    plans = []
    for sql, values in statements:
        if all(marker in sql for marker in markers):
            _, rows = await connection.execute_query(f"EXPLAIN QUERY PLAN {sql}", values)
            plans.append("\n".join(str(row[3]) for row in rows))
    return plans


def _on_sqlite() -> None:
    if connections.get("default").capabilities.dialect != "sqlite":
        pytest.skip("the plans checked are SQLite's; PostgreSQL plans by its statistics")


async def test_counts_and_figures_read_covering_indexes_on_sqlite() -> None:
    _on_sqlite()
    agent = await principal("demo-agent")
    end = clock.now()
    with _statements() as seen:
        for ticket_filter in (
            TicketFilter(area_code="150302"),
            TicketFilter(category="HEATING", created_from=end - timedelta(days=30)),
        ):
            page = await list_tickets(agent, ticket_filter, first=50, after=None)
            await page.count()
        await hotline_stats(StatsFilter(end - timedelta(days=30), end), actor=agent)
    # The district's count is the tally's (tickets.tally), not the tickets'.
    counts = await _plans(seen, "COUNT(*)", 'FROM "ticket"')
    # The two passes over the period (the desks' and articles' few tickets aside).
    figures = [
        *await _plans(seen, "GROUP BY", '"category_id" IN (SELECT'),
        *await _plans(seen, "GROUP BY", '"category_id" IS NULL'),
    ]
    # Each list's length, up to the walk's threshold, and the category's totalCount.
    assert len(counts) == 3 and len(figures) == 4
    for plan in [*counts, *figures]:
        assert "USING COVERING INDEX" in plan, plan


async def test_the_safety_index_reads_its_categories_in_order_on_sqlite() -> None:
    _on_sqlite()
    agent = await principal("demo-agent")
    end = clock.now()
    with _statements() as seen:
        await safety_index("150300", end - timedelta(days=365), end, actor=agent)
    plans = await _plans(seen, "GROUP BY")
    assert len(plans) == 2  # this period and the one before
    for plan in plans:
        assert "USING COVERING INDEX" in plan and "TEMP B-TREE" not in plan, plan
