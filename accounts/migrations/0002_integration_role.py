from tortoise import migrations
from tortoise.migrations import operations as ops
from wuyou.migration_ops import AlterChoices
from accounts.models import Role
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('accounts', '0001_initial')]

    initial = False

    operations = [
        AlterChoices(
            model_name='Account',
            name='role',
            field=fields.CharEnumField(db_index=True, description='ADMIN: ADMIN\nAGENT: AGENT\nDEPARTMENT: DEPARTMENT\nGRID_WORKER: GRID_WORKER\nMERCHANT: MERCHANT\nCITIZEN: CITIZEN\nINTEGRATION: INTEGRATION', enum_type=Role, max_length=16),
        ),
    ]
