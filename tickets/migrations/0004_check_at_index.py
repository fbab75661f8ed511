from tortoise import migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [('tickets', '0003_desks_mediation_knowledge')]

    initial = False

    # 0002 added ``check_at`` with db_index=True, and Tortoise's SQLite editor adds such a
    # column without its index; the sweeper looks rows up by it. Elsewhere it exists.
    operations = [
        ops.RunSQL('CREATE INDEX IF NOT EXISTS "idx_ticket_check_a_2819e9" ON "ticket" ("check_at")'),
    ]
