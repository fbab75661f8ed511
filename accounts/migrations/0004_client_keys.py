from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('accounts', '0003_specialist_role')]

    initial = False

    operations = [
        ops.CreateModel(
            name='ClientKey',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(max_length=64)),
                ('prefix', fields.CharField(unique=True, max_length=16)),
                ('digest', fields.CharField(unique=True, max_length=64)),
                ('account', fields.ForeignKeyField('accounts.Account', source_field='account_id', db_constraint=True, to_field='id', related_name='client_keys', on_delete=OnDelete.RESTRICT)),
                ('created_by', fields.ForeignKeyField('accounts.Account', source_field='created_by_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('revoked_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'client_key', 'app': 'accounts', 'pk_attr': 'id', 'table_description': "An API key of a client application (an Open311 app, a partner's back end)."},
            bases=['Model'],
        ),
    ]
