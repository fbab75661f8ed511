"""The index behind a ticket list's ``text`` filter: the tickets' bigrams.

The filter keeps its meaning: the text is a substring, case aside, of the ticket's
number, title, content or address (:func:`tickets.queries.list_tickets`). A ticket that
holds the text holds each of its bigrams (its pairs of neighbouring characters), so an
index of every ticket's bigrams finds a small superset of the matches at once, and the
substring is then checked on those tickets alone rather than on every row. Bigrams, not
words: Chinese is written without spaces, and "漏水" must find "厨房管道漏水" whatever a
segmenter makes of it. A text of one character has no bigram and is checked row by row.

* SQLite: the contentless FTS5 table ``ticket_text`` (no positions, ``detail=none``)
  whose rowid is the ticket's id and whose one column holds the ticket's bigrams,
  space-separated; triggers on ``ticket`` keep it, so every write path does. Its
  tokenizer splits on spaces and control characters alone, so each bigram is one
  token, folded to lower case; the query's bigrams are taken alike (:func:`bigrams`).
* PostgreSQL: a GIN index on ``ticket_bigrams(upper(<the four columns>))``, a SQL
  function that both the index and the query apply, so they cut text the same way.

Both are created by tickets migration 0009, which indexes the tickets already there.
"""

from __future__ import annotations

import itertools
import json
import unicodedata
from dataclasses import dataclass
from typing import Any

from pypika_tortoise import Table
from pypika_tortoise.context import SqlContext
from pypika_tortoise.terms import Criterion, ValueWrapper
from tortoise.expressions import Q, ResolveContext
from tortoise.query_utils import QueryModifier

from tickets.models import Ticket

#: SQLite's FTS5 table of bigrams.
SQLITE_TABLE = "ticket_text"
#: PostgreSQL's function cutting a text into its distinct bigrams.
POSTGRES_FUNCTION = "ticket_bigrams"
#: The indexed columns, joined by spaces (PostgreSQL's index is on that expression).
INDEXED_COLUMNS = ("number", "title", "content", "address")


#: Separators to SQLite's Unicode tables (Zs) but not to Python's: U+180E, the Mongolian
#: vowel separator, a Cf since Unicode 6.3 (every code point compared).
_SQLITE_SEPARATORS = frozenset("\u180e")


def _splits(character: str) -> bool:
    """Whether the SQLite tokenizer splits tokens at ``character``."""
    category = unicodedata.category(character)
    return category[0] == "Z" or category == "Cc" or character in _SQLITE_SEPARATORS


def bigrams(text: str) -> list[str]:
    """The distinct bigrams of ``text`` that SQLite's index holds as tokens, in order of
    first appearance: those with a space or a control character are left out (the
    index holds them cut short, and the others narrow the search enough)."""
    seen: dict[str, None] = {}
    for first, second in itertools.pairwise(text):
        if not (_splits(first) or _splits(second)):
            seen.setdefault(first + second, None)
    return list(seen)


def _sqlite_match(text: str) -> str:
    """The FTS5 query for the tickets holding every bigram of ``text``."""
    return " ".join('"' + b.replace('"', '""') + '"' for b in bigrams(text))


class _Holds(Criterion):
    """Whether the row of ``table`` holds every bigram of ``text`` (a parameter)."""

    def __init__(self, table: Table, text: str, dialect: str) -> None:
        super().__init__()
        self.table = table
        self.text = text
        self.dialect = dialect

    def get_sql(self, ctx: SqlContext) -> str:
        if self.dialect == "sqlite":
            value = ValueWrapper(_sqlite_match(self.text)).get_sql(ctx)
            return (
                f"{self.table.id.get_sql(ctx)} IN"
                f" (SELECT rowid FROM {SQLITE_TABLE} WHERE {SQLITE_TABLE} MATCH {value})"
            )
        # The expression of the index, on the row itself: PostgreSQL then chooses between
        # the index and the list's order by its statistics, and checks the (costly)
        # bigrams of a walked row only once its (cheap) substring has matched.
        columns = [self.table[c].get_sql(ctx) for c in INDEXED_COLUMNS]
        return _postgres_holds(columns, ValueWrapper(self.text).get_sql(ctx))


def _postgres_holds(columns: list[str], value: str) -> str:
    """PostgreSQL's condition that the row's ``columns`` (SQL) hold every bigram of
    ``value`` (SQL): the index's expression, contains, the value's bigrams."""
    text = " || ' ' || ".join(columns)
    return f"{POSTGRES_FUNCTION}(upper({text})) @> {POSTGRES_FUNCTION}(upper({value}))"


class _Holding(Q):
    """A :class:`Q` for :class:`_Holds` on the queried table."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def resolve(self, resolve_context: ResolveContext) -> QueryModifier:
        dialect = resolve_context.model._meta.db.capabilities.dialect
        return QueryModifier(where_criterion=_Holds(resolve_context.table, self.text, dialect))


def holding(text: str) -> Q | None:
    """The tickets whose indexed text holds every bigram of ``text``: a superset of those
    holding ``text``, found through the index; None when ``text`` has no bigram to look
    up (every ticket is then a candidate)."""
    dialect = Ticket._meta.db.capabilities.dialect
    if dialect not in ("sqlite", "postgres"):
        raise NotImplementedError(f"The tickets' text index is not written for {dialect}.")
    if not bigrams(text):
        return None
    return _Holding(text)


@dataclass(frozen=True, slots=True)
class Candidates:
    """About how many tickets hold every bigram of a text: ``at_most`` (no fewer than
    the likely) and ``likely``."""

    at_most: int
    likely: int


async def candidates(text: str, cap: int) -> Candidates:
    """About how many tickets hold every bigram of ``text``. On SQLite exactly, counted
    up to ``cap + 1`` in the index alone. On PostgreSQL (in a transaction with
    ``max_parallel_workers_per_gather = 0``) by the planner's estimates from
    the index's statistics, reading no ticket: likely, its estimate for them all, which
    takes them for independent (a word's bigrams are not) and can come out far too
    low; at most, its estimate for the least frequent. Every ticket when ``text`` has no
    bigram."""
    pairs = bigrams(text)
    if not pairs:
        return Candidates(cap + 1, cap + 1)
    client = Ticket._meta.db
    if client.capabilities.dialect == "sqlite":
        _, rows = await client.execute_query(
            f"SELECT COUNT(*) FROM (SELECT rowid FROM {SQLITE_TABLE}"
            f" WHERE {SQLITE_TABLE} MATCH ? LIMIT ?)",
            [_sqlite_match(text), cap + 1],
        )
        return Candidates(int(rows[0][0]), int(rows[0][0]))
    estimates = await _postgres_estimates([text, *pairs[:_ESTIMATED_AT_MOST]])
    if estimates is None:  # a plan of another shape: taken for many
        return Candidates(cap + 1, cap + 1)
    likely, *each = estimates
    return Candidates(max(likely, min(each)) if len(pairs) > 1 else likely, likely)


#: How many of a text's bigrams PostgreSQL's estimate looks at.
_ESTIMATED_AT_MOST = 6


async def _postgres_estimates(texts: list[str]) -> list[int] | None:
    """The planner's estimates of the tickets holding the bigrams of each of ``texts``:
    one plan, of their queries put together with UNION ALL (planned without parallel
    workers, whose parts count rows per worker); None for a plan of another shape."""
    sql = " UNION ALL ".join(
        f'SELECT id FROM "ticket" WHERE {_postgres_holds(list(INDEXED_COLUMNS), f"${i}::text")}'
        for i in range(1, len(texts) + 1)
    )
    _, rows = await Ticket._meta.db.execute_query(f"EXPLAIN (FORMAT JSON) {sql}", texts)
    plan = rows[0][0]
    return plan_rows(json.loads(plan) if isinstance(plan, str) else plan, len(texts))


def plan_rows(plan: Any, parts: int) -> list[int] | None:
    """The estimated rows of each of the ``parts`` queries put together in PostgreSQL's
    JSON ``plan``: its Append's parts (or the plan itself, of one); None for a plan of
    another shape."""
    top = plan[0]["Plan"]
    nodes = top.get("Plans", []) if top["Node Type"] == "Append" else [top]
    if len(nodes) != parts or (parts > 1 and top["Node Type"] != "Append"):
        return None
    return [int(node["Plan Rows"]) for node in nodes]
