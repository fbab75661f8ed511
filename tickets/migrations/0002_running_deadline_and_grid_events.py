from tortoise import migrations
from tortoise.migrations import operations as ops
from wuyou.migration_ops import AlterChoices
import functools
from json import dumps, loads
from tickets.lifecycle import Action
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('accounts', '0001_initial'), ('grids', '0002_street_and_community_bodies'), ('tickets', '0001_initial')]

    initial = False

    operations = [
        ops.CreateModel(
            name='SlaSetting',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('settings', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('version', fields.IntField()),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('updated_by', fields.ForeignKeyField('accounts.Account', source_field='updated_by_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
            ],
            options={'table': 'sla_setting', 'app': 'tickets', 'pk_attr': 'id', 'table_description': 'The SLA policy as administrators configured it (no row: the defaults).'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Ticket',
            name='check_at',
            field=fields.DatetimeField(null=True, db_index=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Ticket',
            name='due_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Ticket',
            name='photos',
            field=fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads),
        ),
        ops.AddField(
            model_name='Ticket',
            name='resolved_on_site',
            field=fields.BooleanField(default=False),
        ),
        ops.AddField(
            model_name='Ticket',
            name='urge_count',
            field=fields.SmallIntField(default=0),
        ),
        ops.AddIndex(
            model_name='Ticket',
            index=Index(fields=['status', 'due_at']),
        ),
        ops.AddIndex(
            model_name='Ticket',
            index=Index(fields=['received_at', 'id']),
        ),
        AlterChoices(
            model_name='TicketEvent',
            name='action',
            field=fields.CharEnumField(description='RECEIVE: RECEIVE\nRESOLVE_AT_INTAKE: RESOLVE_AT_INTAKE\nRESOLVE_ON_SITE: RESOLVE_ON_SITE\nDISPATCH: DISPATCH\nSIGN: SIGN\nRETURN: RETURN\nRESOLVE: RESOLVE\nREVISIT: REVISIT\nTRANSFER: TRANSFER\nURGE: URGE\nSUPERVISE: SUPERVISE\nREQUEST_EXTENSION: REQUEST_EXTENSION\nDECIDE_EXTENSION: DECIDE_EXTENSION\nMERGE: MERGE\nADD_NOTE: ADD_NOTE\nWARN: WARN', enum_type=Action, max_length=24),
        ),
        ops.AddIndex(
            model_name='TicketEvent',
            index=Index(fields=['department_id', 'action']),
        ),
    ]
