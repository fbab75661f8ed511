"""The knowledge base's full-text index, per database.

SQLite: an FTS5 table ``knowledge_article_fts(title, tags, body)`` whose rowid is the
article's id, kept in step with ``knowledge_article.search_tokens`` (three lines: the
title's, the tags' and the body's words) by triggers, so every write path keeps it.
PostgreSQL: a GIN index on ``to_tsvector('simple', search_tokens)``.
"""

from tortoise import migrations
from tortoise.migrations import operations as ops

# The three lines of search_tokens, in SQL: the title's words, the tags', the body's.
_REST = "substr({row}.search_tokens, instr({row}.search_tokens, char(10)) + 1)"
_TITLE = "substr({row}.search_tokens, 1, instr({row}.search_tokens, char(10)) - 1)"
_TAGS = f"substr({_REST}, 1, instr({_REST}, char(10)) - 1)"
_BODY = f"substr({_REST}, instr({_REST}, char(10)) + 1)"


def _insert(row: str) -> str:
    columns = ", ".join(part.format(row=row) for part in (_TITLE, _TAGS, _BODY))
    return (
        "INSERT INTO knowledge_article_fts (rowid, title, tags, body)"
        f" VALUES ({row}.id, {columns});"
    )


SQLITE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS knowledge_article_fts USING fts5(title, tags, body)",
    "CREATE TRIGGER IF NOT EXISTS knowledge_article_fts_insert AFTER INSERT ON knowledge_article"
    f" BEGIN {_insert('new')} END",
    "CREATE TRIGGER IF NOT EXISTS knowledge_article_fts_update"
    " AFTER UPDATE OF search_tokens ON knowledge_article BEGIN"
    " DELETE FROM knowledge_article_fts WHERE rowid = old.id;"
    f" {_insert('new')} END",
    "CREATE TRIGGER IF NOT EXISTS knowledge_article_fts_delete AFTER DELETE ON knowledge_article"
    " BEGIN DELETE FROM knowledge_article_fts WHERE rowid = old.id; END",
    # Articles written before the index existed.
    "INSERT INTO knowledge_article_fts (rowid, title, tags, body)"
    " SELECT id, "
    + ", ".join(part.format(row="knowledge_article") for part in (_TITLE, _TAGS, _BODY))
    + " FROM knowledge_article WHERE id NOT IN (SELECT rowid FROM knowledge_article_fts)",
]
POSTGRES = [
    "CREATE INDEX IF NOT EXISTS idx_knowledge_article_search ON knowledge_article"
    " USING GIN (to_tsvector('simple', search_tokens))",
]


async def create_search_index(apps, schema_editor) -> None:
    client = schema_editor.client
    dialect = client.capabilities.dialect
    statements = {"sqlite": SQLITE, "postgres": POSTGRES}.get(dialect)
    if statements is None:
        raise NotImplementedError(f"The knowledge base's search is not written for {dialect}.")
    for statement in statements:
        await client.execute_script(statement)


async def drop_search_index(apps, schema_editor) -> None:
    client = schema_editor.client
    if client.capabilities.dialect == "sqlite":
        for name in ("insert", "update", "delete"):
            await client.execute_script(f"DROP TRIGGER IF EXISTS knowledge_article_fts_{name}")
        await client.execute_script("DROP TABLE IF EXISTS knowledge_article_fts")
    else:
        await client.execute_script("DROP INDEX IF EXISTS idx_knowledge_article_search")


class Migration(migrations.Migration):
    dependencies = [("tickets", "0004_check_at_index")]

    initial = False

    operations = [
        ops.RunPython(create_search_index, drop_search_index),
    ]
