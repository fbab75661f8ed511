"""The index of the tickets' bigrams behind a ticket list's ``text`` filter (see
tickets/text_index.py), filled with the tickets already there.

SQLite: the contentless FTS5 table ``ticket_text`` (rowid = the ticket's id; one column,
the bigrams of number, title, content and address, space-separated) and the triggers on
``ticket`` that keep it. PostgreSQL: the function ``ticket_bigrams(text)`` and a GIN index
on it. At a million tickets this takes minutes (bench/README.md) and, on PostgreSQL,
holds writes to ``ticket`` meanwhile: run it at a quiet hour.
"""

from tortoise import migrations
from tortoise.migrations import operations as ops

# The bigrams of {row}'s text, space-separated, in SQLite (triggers take no WITH, but a
# subquery inside them may have one). SQLite's length() and substr() stop at a NUL, which
# intake refuses in a ticket's texts for that reason (and PostgreSQL's text cannot hold).
_TEXT = "{row}.number || ' ' || {row}.title || ' ' || {row}.content || ' ' || {row}.address"
_BIGRAMS = (
    f"(WITH RECURSIVE s(t) AS (SELECT {_TEXT}),"
    " i(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM i, s WHERE n < length(s.t) - 1)"
    " SELECT group_concat(substr(s.t, i.n, 2), ' ') FROM i, s)"
)


def _add(row: str) -> str:
    return f"INSERT INTO ticket_text (rowid, bigrams) VALUES ({row}.id, {_BIGRAMS.format(row=row)});"


def _remove(row: str) -> str:
    return (
        "INSERT INTO ticket_text (ticket_text, rowid, bigrams)"
        f" VALUES ('delete', {row}.id, {_BIGRAMS.format(row=row)});"
    )


_SQLITE = [
    # Tokens are runs of anything but spaces (Z*) and control characters (Cc): each
    # bigram is one token, case-folded.
    "CREATE VIRTUAL TABLE ticket_text USING fts5(bigrams, content='', detail=none,"
    " columnsize=0,"
    " tokenize=\"unicode61 remove_diacritics 0 categories 'L* M* N* P* S* Co Cn Cf Cs'\")",
    f"INSERT INTO ticket_text (rowid, bigrams) SELECT id, {_BIGRAMS.format(row='ticket')}"
    " FROM ticket",
    f"CREATE TRIGGER ticket_text_insert AFTER INSERT ON ticket BEGIN {_add('NEW')} END",
    f"CREATE TRIGGER ticket_text_delete AFTER DELETE ON ticket BEGIN {_remove('OLD')} END",
    "CREATE TRIGGER ticket_text_update AFTER UPDATE OF id, number, title, content, address"
    " ON ticket WHEN OLD.id IS NOT NEW.id OR OLD.number IS NOT NEW.number"
    " OR OLD.title IS NOT NEW.title OR OLD.content IS NOT NEW.content"
    " OR OLD.address IS NOT NEW.address"
    f" BEGIN {_remove('OLD')} {_add('NEW')} END",
]

_POSTGRES = [
    # COST: cutting a ticket into bigrams takes some 50 us; the planner is to prefer the
    # index to doing it row by row.
    """CREATE FUNCTION ticket_bigrams(t text) RETURNS text[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 1000 AS $$
        SELECT coalesce(array_agg(DISTINCT substr(t, i, 2)), '{}')
        FROM generate_series(1, char_length(t) - 1) AS i
    $$""",
    "CREATE INDEX idx_ticket_text_bigrams ON ticket USING GIN"
    " (ticket_bigrams(upper(number || ' ' || title || ' ' || content || ' ' || address)))",
]

_DROP = {
    "sqlite": [
        "DROP TRIGGER ticket_text_insert",
        "DROP TRIGGER ticket_text_delete",
        "DROP TRIGGER ticket_text_update",
        "DROP TABLE ticket_text",
    ],
    "postgres": ["DROP INDEX idx_ticket_text_bigrams", "DROP FUNCTION ticket_bigrams(text)"],
}


async def create_text_index(apps, schema_editor) -> None:
    client = schema_editor.client
    dialect = client.capabilities.dialect
    statements = {"sqlite": _SQLITE, "postgres": _POSTGRES}.get(dialect)
    if statements is None:
        raise NotImplementedError(f"The tickets' text index is not written for {dialect}.")
    for statement in statements:
        await client.execute_script(statement)


async def drop_text_index(apps, schema_editor) -> None:
    client = schema_editor.client
    for statement in _DROP[client.capabilities.dialect]:
        await client.execute_script(statement)


class Migration(migrations.Migration):
    dependencies = [("tickets", "0008_foreign_key_indexes")]

    initial = False

    operations = [ops.RunPython(create_text_index, drop_text_index)]
