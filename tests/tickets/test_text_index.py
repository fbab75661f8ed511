"""The bigram index behind a ticket list's ``text`` (tickets/text_index.py): it finds
exactly the tickets the substring finds, follows every change to a ticket's text, is
filled for the tickets already there, and is what the lists read."""

from __future__ import annotations

import importlib
from types import SimpleNamespace
from typing import Any

import pytest
from tortoise import connections
from tortoise.expressions import Q

from tests.tickets.desk import intake, principal
from tests.tickets.test_list_plans import _statements
from tickets import queries, text_index
from tickets.models import Ticket, TicketEvent
from tickets.queries import TicketFilter, list_tickets
from tickets.text_index import bigrams
from wuyou.errors import DomainError, ErrorCode

pytestmark = pytest.mark.usefixtures("connected")

_TEXTS = [
    ("厨房管道漏水严重", "楼上住户漏水，天花板发霉。", "幸福路 12 号"),
    ("Noise AT Night", "KTV 噪音扰民, till 2am; 50% louder", "Qingshan Rd."),
    ("引号\"和'单引号", "反斜杠 \\ 与下划线 _ 及百分号 %", ""),
    ("路灯不亮😀", "第3栋门口路灯坏了😀两周", "新华街"),
    ("油烟", "饭店油烟直排", "黄河路 88 号"),
]

_QUERIES = [
    "漏水",
    "管道漏水严重",
    "漏水，天",  # across punctuation
    "幸福路 12",  # across a space
    "noise at",  # whatever the case
    "ktv",
    "50%",
    "_",
    "下划线 _",
    '"和',
    "引号\"和'单",
    "\\ 与",
    "灯😀",
    "😀两",
    "油烟直排",
    "烟",  # one character: no bigram, every row checked
    "没有这样的工单",
    "漏 水",
]


def _substring(text: str) -> Q:
    return (
        Q(number__icontains=text)
        | Q(title__icontains=text)
        | Q(content__icontains=text)
        | Q(address__icontains=text)
    )


async def _listed(text: str, **criteria: Any) -> set[int]:
    """The ids of every ticket demo-agent lists for ``text`` (followers included)."""
    agent = await principal("demo-agent")
    ids: set[int] = set()
    after = None
    while True:
        page = await list_tickets(
            agent, TicketFilter(text=text, merged=True, **criteria), first=100, after=after
        )
        ids |= {t.id for t in page.items}
        if not page.has_next_page:
            return ids
        after = page.end_cursor


async def test_a_text_lists_exactly_the_tickets_holding_it() -> None:
    for title, content, address in _TEXTS:
        await intake(title, content=content, address=address)
    await _same_as_the_substring(_QUERIES)
    agent = await principal("demo-agent")
    for text in _QUERIES:
        page = await list_tickets(agent, TicketFilter(text=text, merged=True), first=1, after=None)
        assert await page.count() == await Ticket.filter(_substring(text)).count(), text
    assert await _listed("漏水严重") and await _listed("NOISE AT NIGHT")


async def test_a_text_held_by_many_tickets_is_walked_to_the_same_tickets(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """On SQLite a text the index finds in more tickets than a page sorts is walked
    newest first, its substring checked on each ticket met."""
    for title, content, address in _TEXTS:
        await intake(title, content=content, address=address)
    monkeypatch.setattr(queries, "_SORTED_AT_MOST", 0)
    await _same_as_the_substring(_QUERIES)
    # PostgreSQL, expecting the index to find too many, counts without it.
    monkeypatch.setattr(queries, "_INDEXED_AT_MOST", 0)
    with _statements() as seen:
        await _same_as_the_substring(_QUERIES)
    assert not any("ticket_bigrams(" in sql and "LIKE" in sql for sql, _ in seen)


async def test_how_many_tickets_hold_a_texts_bigrams_is_told_without_reading_them() -> None:
    holding = set(await Ticket.filter(_substring("沙井盖")).values_list("id", flat=True))
    for _ in range(3 - len(holding)):
        await intake("沙井盖松动异响", content="车辆经过时沙井盖异响。")
    found = await text_index.candidates("沙井盖", 5_000)
    assert found.at_most >= found.likely
    if connections.get("default").capabilities.dialect == "sqlite":
        assert found.likely >= 3  # exact: every ticket holding 沙井 and 井盖
        assert (await text_index.candidates("沙井盖", 1)).likely == 2  # counted up to 2
    assert await text_index.candidates("x", 10) == text_index.Candidates(11, 11)


async def test_the_index_follows_a_ticket_whose_text_changes_or_goes() -> None:
    ticket = await intake("井盖丢失", content="人行道井盖丢失，夜里危险。", address="滨河路")
    assert ticket.id in await _listed("井盖丢失")
    await Ticket.filter(id=ticket.id).update(title="窨井盖缺损", content="已补报", address="")
    assert ticket.id not in await _listed("井盖丢失")
    assert ticket.id not in await _listed("滨河路")
    assert ticket.id in await _listed("窨井盖缺")
    # A write that leaves the text as it was keeps the ticket indexed.
    await Ticket.filter(id=ticket.id).update(title="窨井盖缺损")
    assert ticket.id in await _listed("窨井盖缺")
    # Gone (tickets are kept for good, but an operator may remove one): a contentless
    # index (SQLite's) must be told what to forget, or the id would still be found for
    # its old text once another ticket takes it.
    await TicketEvent.filter(ticket_id=ticket.id).delete()
    await Ticket.filter(id=ticket.id).delete()
    assert ticket.id not in await _listed("窨井盖缺")
    await _same_as_the_substring(["窨井盖缺", "井盖"])


async def _same_as_the_substring(texts: list[str]) -> None:
    for text in texts:
        expected = set(await Ticket.filter(_substring(text)).values_list("id", flat=True))
        assert await _listed(text) == expected, text


def _on(dialect: str) -> None:
    if connections.get("default").capabilities.dialect != dialect:
        pytest.skip(f"checks {dialect}'s plan")


async def _searched(marker: str) -> list[tuple[str, list[Any]]]:
    """The statements of a text list's page and count, told by ``marker``."""
    agent = await principal("demo-agent")
    with _statements() as seen:
        page = await list_tickets(agent, TicketFilter(text="漏水"), first=50, after=None)
        await page.count()
    searched = [
        (sql, values)
        for sql, values in seen
        if marker in sql and "LIKE" in sql and not sql.startswith("EXPLAIN")
    ]
    assert len(searched) == 2  # the page and its count
    return searched


async def test_sqlite_finds_a_text_through_its_bigram_index() -> None:
    _on("sqlite")
    connection = connections.get("default")
    for sql, values in await _searched("ticket_text MATCH"):
        _, rows = await connection.execute_query(f"EXPLAIN QUERY PLAN {sql}", values)
        assert any("VIRTUAL TABLE INDEX" in str(row[3]) for row in rows), rows


async def test_postgres_finds_a_text_through_its_bigram_index() -> None:
    _on("postgres")
    connection = connections.get("default")
    counted = [
        (sql, values) for sql, values in await _searched("ticket_bigrams(") if "COUNT(" in sql
    ]
    assert len(counted) == 1
    sql, values = counted[0]
    # The test database's few tickets are read faster whole (by any index); a million
    # are not, and PostgreSQL then takes the bigrams' (bench/scale.py).
    async with connection._in_transaction() as transaction:
        await transaction.execute_script(
            "SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off"
        )
        _, rows = await transaction.execute_query(f"EXPLAIN {sql}", values)
    plan = "\n".join(str(row[0]) for row in rows)
    assert "Bitmap Index Scan on idx_ticket_text_bigrams" in plan, plan


def test_bigrams_leave_out_what_the_sqlite_tokenizer_splits_at() -> None:
    assert bigrams("漏水严重") == ["漏水", "水严", "严重"]
    assert bigrams("a b\tc") == []
    assert bigrams("水水水") == ["水水"]
    assert bigrams('"和') == ['"和']
    assert bigrams("x") == []


async def test_the_migration_indexes_the_tickets_already_there() -> None:
    """Tickets written before tickets migration 0009 are found once it has run: its
    index is dropped and built again over the demo city's tickets."""
    migration = importlib.import_module("tickets.migrations.0009_ticket_text_index")
    editor = SimpleNamespace(client=connections.get("default"))
    await intake("化粪池满溢", content="小区化粪池满溢，污水横流。")
    await migration.drop_text_index(None, editor)
    try:
        await intake("化粪池又满了", content="污水横流")  # written without the index
    finally:
        await migration.create_text_index(None, editor)
    assert len(await _listed("化粪池")) >= 2
    await _same_as_the_substring(["化粪池", "污水横流", "漏水", "油烟", "路灯"])


async def test_postgres_estimates_come_from_one_plan() -> None:
    _on("postgres")
    estimates = await text_index._postgres_estimates(["漏水", "井盖", "x"])
    assert estimates is not None and len(estimates) == 3


def test_a_plan_of_another_shape_gives_no_estimates() -> None:
    def scan(rows: int) -> dict[str, Any]:
        return {"Node Type": "Bitmap Heap Scan", "Plan Rows": rows}

    append = {"Node Type": "Append", "Plan Rows": 30, "Plans": [scan(10), scan(20)]}
    assert text_index.plan_rows([{"Plan": append}], 2) == [10, 20]
    assert text_index.plan_rows([{"Plan": scan(7)}], 1) == [7]
    # With parallel workers the parts count rows per worker, under a Gather.
    gather = {"Node Type": "Gather", "Plan Rows": 30, "Plans": [dict(append)]}
    assert text_index.plan_rows([{"Plan": gather}], 2) is None
    assert text_index.plan_rows([{"Plan": append}], 3) is None


async def test_a_nul_which_sqlites_index_would_stop_at_is_refused_at_intake() -> None:
    with pytest.raises(DomainError) as refused:
        await intake("标题\x00尾", content="窨井\x00漏气", address="路\x00口")
    assert {(p.field, p.code) for p in refused.value.problems} == {
        ("title", ErrorCode.INVALID),
        ("content", ErrorCode.INVALID),
        ("address", ErrorCode.INVALID),
    }


async def test_separators_to_sqlite_alone_are_left_out_of_a_search() -> None:
    """U+180E is a separator to SQLite's Unicode tables, not to Python's."""
    ticket = await intake("蒙古文\u180e\u180e分隔", content="详见标题。")
    assert bigrams("\u180e\u180e") == []
    assert ticket.id in await _listed("\u180e\u180e")
    assert ticket.id in await _listed("文\u180e\u180e分")


async def test_a_ticket_given_another_id_is_found_by_it() -> None:
    ticket = await intake("更换编号的工单", content="详见标题。")
    await TicketEvent.filter(ticket_id=ticket.id).delete()
    connection = connections.get("default")
    moved = ticket.id + 1_000_000
    placeholder = "?" if connection.capabilities.dialect == "sqlite" else "$1"
    await connection.execute_query(
        f"UPDATE ticket SET id = {moved} WHERE id = {placeholder}", [ticket.id]
    )
    assert await _listed("更换编号") == {moved}


async def test_a_common_text_in_a_short_list_is_checked_on_that_list_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A department's few tickets with a text the index finds in many: the substring is
    checked on the department's, without reading every ticket the index finds."""
    _on("sqlite")
    many = text_index.Candidates(10_000, 10_000)

    async def common(text: str, cap: int) -> text_index.Candidates:
        return many

    monkeypatch.setattr(text_index, "candidates", common)
    agent = await principal("demo-agent")
    with _statements() as seen:
        page = await list_tickets(
            agent, TicketFilter(text="油烟", department="150300-HJ"), first=50, after=None
        )
        total = await page.count()
    assert not any("MATCH" in sql for sql, _ in seen)
    expected = await Ticket.filter(_substring("油烟"), department__code="150300-HJ").exclude(
        status="MERGED"
    )
    assert {t.id for t in page.items} == {t.id for t in expected} and total == len(expected)
