"""Migration operations the generated ones need beside them.

Tortoise's SQLite schema editor carries out any ``AlterField`` by rebuilding the table,
and the rebuilt table loses its indexes and its composite unique constraints (an
idempotency key's, for one). A change to an enum field's choices changes only the
field's description: the column stays a VARCHAR of the same length. Such a change is
written as :class:`AlterChoices`, which records it in the migration state and leaves
the database alone. ``tests/test_migrations.py`` checks that a migrated database has
every index a freshly generated schema has.
"""

from __future__ import annotations

from tortoise.migrations.operations import AlterField
from tortoise.migrations.schema_editor.base import BaseSchemaEditor
from tortoise.migrations.schema_generator.state import State


class AlterChoices(AlterField):
    """A new set of choices for an enum field: the state changes, the column does not."""

    def describe(self) -> str:
        return f"Alter the choices of {self.name} on {self.model_name}"

    async def database_forward(
        self,
        app_label: str,
        old_state: State,
        new_state: State,
        state_editor: BaseSchemaEditor | None = None,
    ) -> None:
        return None

    async def database_backward(
        self,
        app_label: str,
        old_state: State,
        new_state: State,
        state_editor: BaseSchemaEditor | None = None,
    ) -> None:
        return None
