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
import unicodedata

from pypika_tortoise.context import SqlContext
from pypika_tortoise.terms import Term, ValueWrapper

from tickets.models import Ticket

#: SQLite's FTS5 table of bigrams.
SQLITE_TABLE = "ticket_text"
#: PostgreSQL's function cutting a text into its distinct bigrams.
POSTGRES_FUNCTION = "ticket_bigrams"
#: The indexed text, in SQL, of the row ``{row}`` ("NEW", "ticket"...): the four columns.
INDEXED_TEXT = "{row}.number || ' ' || {row}.title || ' ' || {row}.content || ' ' || {row}.address"


def _splits(character: str) -> bool:
    """Whether the SQLite tokenizer splits tokens at ``character``."""
    return unicodedata.category(character)[0] == "Z" or unicodedata.category(character) == "Cc"


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


class _Candidates(Term):
    """``(SELECT … )``: the ids of the tickets holding every bigram of a text, for
    ``id IN``, with the text as a parameter."""

    def __init__(self, text: str, dialect: str) -> None:
        super().__init__()
        self.text = text
        self.dialect = dialect

    def get_sql(self, ctx: SqlContext) -> str:
        if self.dialect == "sqlite":
            value = ValueWrapper(_sqlite_match(self.text)).get_sql(ctx)
            return f"(SELECT rowid FROM {SQLITE_TABLE} WHERE {SQLITE_TABLE} MATCH {value})"
        value = ValueWrapper(self.text).get_sql(ctx)
        text = INDEXED_TEXT.format(row="s")
        return (
            f'(SELECT s.id FROM "ticket" s WHERE {POSTGRES_FUNCTION}(upper({text}))'
            f" @> {POSTGRES_FUNCTION}(upper({value})))"
        )


def holding(text: str) -> Term | None:
    """For ``id__in``: the tickets whose indexed text holds every bigram of ``text``, a
    superset of those holding ``text``; None when ``text`` has no bigram to look up
    (every ticket is then a candidate)."""
    dialect = Ticket._meta.db.capabilities.dialect
    if dialect not in ("sqlite", "postgres"):
        raise NotImplementedError(f"The tickets' text index is not written for {dialect}.")
    if not bigrams(text):
        return None
    return _Candidates(text, dialect)


async def holding_more_than(text: str, size: int) -> bool:
    """Whether more than ``size`` tickets hold every bigram of ``text`` (at most
    ``size + 1`` counted): on SQLite, whether a list of the text is long enough to be
    walked newest first rather than found through the index and sorted. Only SQLite's
    lists ask; a text without bigrams is held by every ticket."""
    if not bigrams(text):
        return True
    _, rows = await Ticket._meta.db.execute_query(
        f"SELECT COUNT(*) FROM (SELECT rowid FROM {SQLITE_TABLE} WHERE {SQLITE_TABLE} MATCH ?"
        " LIMIT ?)",
        [_sqlite_match(text), size + 1],
    )
    return int(rows[0][0]) > size
