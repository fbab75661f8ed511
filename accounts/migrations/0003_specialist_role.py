from tortoise import migrations
from tortoise.migrations import operations as ops
from wuyou.migration_ops import AlterChoices
from accounts.models import Role
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('accounts', '0002_integration_role')]

    initial = False

    operations = [
        AlterChoices(
            model_name='Account',
            name='role',
            field=fields.CharEnumField(db_index=True, description='ADMIN: ADMIN\nAGENT: AGENT\nDEPARTMENT: DEPARTMENT\nGRID_WORKER: GRID_WORKER\nMERCHANT: MERCHANT\nCITIZEN: CITIZEN\nINTEGRATION: INTEGRATION\nSPECIALIST: SPECIALIST', enum_type=Role, max_length=16),
        ),
        # A database migrated by 0002 as it was first written lost this index on SQLite
        # (see wuyou.migration_ops); everywhere else it exists and this does nothing.
        ops.RunSQL('CREATE INDEX IF NOT EXISTS "idx_account_role_05f2c0" ON "account" ("role")'),
    ]
