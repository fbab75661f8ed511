from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('accounts', '0001_initial'), ('grids', '0001_initial'), ('grids', '0002_street_and_community_bodies')]

    initial = False

    operations = [
        ops.CreateModel(
            name='ChannelAccount',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('account', fields.OneToOneField('accounts.Account', source_field='account_id', db_constraint=True, to_field='id', related_name='channel_binding', on_delete=OnDelete.RESTRICT)),
                ('channel', fields.ForeignKeyField('grids.Channel', source_field='channel_id', db_constraint=True, to_field='id', related_name='accounts', on_delete=OnDelete.RESTRICT)),
            ],
            options={'table': 'channel_account', 'app': 'grids', 'pk_attr': 'id', 'table_description': "A channel integration's service account and the one channel it submits on."},
            bases=['Model'],
        ),
    ]
