from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('accounts', '0001_initial'), ('grids', '0001_initial'), ('tickets', '0001_initial')]

    initial = False

    operations = [
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
    ]
