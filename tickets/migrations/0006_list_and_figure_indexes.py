"""Indexes that keep ticket lists, their counts, the hotline's figures and the safety
index flat at a million tickets (bench/scale.py; figures in bench/README.md).

On PostgreSQL, ``area_path`` compares in the C collation (byte order, as SQLite's
BINARY): an area's tickets are the range [path, successor) of it (tickets.queries.
within_path), which its indexes serve, and which another collation would order apart.
"""

from tortoise import migrations
from tortoise.indexes import Index
from tortoise.migrations import operations as ops


async def area_path_in_byte_order(apps, schema_editor) -> None:
    client = schema_editor.client
    if client.capabilities.dialect == "postgres":
        await client.execute_script(
            'ALTER TABLE "ticket" ALTER COLUMN "area_path" TYPE VARCHAR(255) COLLATE "C"'
        )
        # A new type forgets the column's statistics; the planner needs them for areas.
        await client.execute_script('ANALYZE "ticket" ("area_path")')


async def area_path_in_default_order(apps, schema_editor) -> None:
    client = schema_editor.client
    if client.capabilities.dialect == "postgres":
        await client.execute_script(
            'ALTER TABLE "ticket" ALTER COLUMN "area_path" TYPE VARCHAR(255) COLLATE "default"'
        )


class Migration(migrations.Migration):
    dependencies = [("tickets", "0005_article_search")]

    initial = False

    operations = [
        ops.RunPython(area_path_in_byte_order, area_path_in_default_order),
        ops.RemoveIndex(model_name="Ticket", name=None, fields=["department_id", "status"]),
        ops.RemoveIndex(model_name="Ticket", name=None, fields=["desk", "status"]),
        ops.AddIndex(
            model_name="Ticket", index=Index(fields=["department_id", "received_at", "status"])
        ),
        ops.AddIndex(model_name="Ticket", index=Index(fields=["desk", "received_at", "status"])),
        ops.AddIndex(model_name="Ticket", index=Index(fields=["area_path", "status"])),
        ops.AddIndex(
            model_name="Ticket", index=Index(fields=["cited_article_id", "received_at", "status"])
        ),
        ops.AddIndex(
            model_name="Ticket",
            index=Index(
                fields=[
                    "category_id",
                    "received_at",
                    "status",
                    "area_path",
                    "channel_id",
                    "department_id",
                    "kind",
                    "urgency",
                    "resolved_at_intake",
                    "resolved_on_site",
                    "reopen_count",
                    "return_count",
                    "dispatched_at",
                    "signed_at",
                    "sign_deadline",
                    "resolved_at",
                    "complete_deadline",
                    "satisfaction",
                    "due_at",
                    "likely_duplicate_of_id",
                ]
            ),
        ),
    ]
