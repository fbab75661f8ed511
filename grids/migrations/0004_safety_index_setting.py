from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('accounts', '0002_integration_role'), ('grids', '0003_channel_accounts')]

    initial = False

    operations = [
        ops.CreateModel(
            name='SafetyIndexSetting',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('settings', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('version', fields.IntField()),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('updated_by', fields.ForeignKeyField('accounts.Account', source_field='updated_by_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
            ],
            options={'table': 'safety_index_setting', 'app': 'grids', 'pk_attr': 'id', 'table_description': "The safety index's weights and scales as administrators configured them."},
            bases=['Model'],
        ),
    ]
