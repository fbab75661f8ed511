from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from grids.models import AreaLevel, ChannelKind, DepartmentLevel, GridType
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('accounts', '0001_initial')]

    initial = True

    operations = [
        ops.CreateModel(
            name='Area',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('code', fields.CharField(unique=True, max_length=32)),
                ('name', fields.CharField(max_length=64)),
                ('level', fields.CharEnumField(db_index=True, description='CITY: CITY\nDISTRICT: DISTRICT\nSTREET: STREET\nCOMMUNITY: COMMUNITY\nGRID: GRID', enum_type=AreaLevel, max_length=16)),
                ('grid_type', fields.CharEnumField(null=True, description='COMMUNITY: COMMUNITY\nRURAL: RURAL\nDEDICATED: DEDICATED', enum_type=GridType, max_length=16)),
                ('parent', fields.ForeignKeyField('grids.Area', source_field='parent_id', null=True, db_constraint=True, to_field='id', related_name='children', on_delete=OnDelete.RESTRICT)),
                ('path', fields.CharField(db_index=True, max_length=255)),
                ('population', fields.IntField(default=0)),
                ('description', fields.CharField(default='', max_length=255)),
                ('boundary', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('centroid_lat', fields.FloatField()),
                ('centroid_lng', fields.FloatField()),
                ('min_lat', fields.FloatField()),
                ('min_lng', fields.FloatField()),
                ('max_lat', fields.FloatField()),
                ('max_lng', fields.FloatField()),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'area', 'app': 'grids', 'pk_attr': 'id', 'table_description': 'One node of the hierarchy, with its GeoJSON boundary and bounding box.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Department',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('code', fields.CharField(unique=True, max_length=32)),
                ('name', fields.CharField(max_length=64)),
                ('short_name', fields.CharField(max_length=16)),
                ('level', fields.CharEnumField(description='CITY: CITY\nDISTRICT: DISTRICT', enum_type=DepartmentLevel, max_length=16)),
                ('area', fields.ForeignKeyField('grids.Area', source_field='area_id', db_constraint=True, to_field='id', related_name='departments', on_delete=OnDelete.RESTRICT)),
                ('duty_phone', fields.CharField(default='', max_length=20)),
                ('is_active', fields.BooleanField(default=True)),
                ('sort_order', fields.IntField(default=0)),
            ],
            options={'table': 'department', 'app': 'grids', 'pk_attr': 'id', 'table_description': 'A government department or enterprise that handles tickets, at city or district level.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Channel',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('code', fields.CharField(unique=True, max_length=32)),
                ('name', fields.CharField(max_length=64)),
                ('kind', fields.CharEnumField(db_index=True, description='HOTLINE: HOTLINE\nONLINE: ONLINE\nGRID: GRID\nWALK_IN: WALK_IN', enum_type=ChannelKind, max_length=16)),
                ('number', fields.CharField(default='', max_length=20)),
                ('department', fields.ForeignKeyField('grids.Department', source_field='department_id', null=True, db_constraint=True, to_field='id', related_name='channels', on_delete=OnDelete.RESTRICT)),
                ('is_active', fields.BooleanField(default=True)),
                ('sort_order', fields.IntField(default=0)),
            ],
            options={'table': 'channel', 'app': 'grids', 'pk_attr': 'id', 'table_description': 'A way a request reaches the platform: a merged hotline, an online channel, a grid'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='DepartmentMember',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('account', fields.OneToOneField('accounts.Account', source_field='account_id', db_constraint=True, to_field='id', related_name='department_member', on_delete=OnDelete.RESTRICT)),
                ('department', fields.ForeignKeyField('grids.Department', source_field='department_id', db_constraint=True, to_field='id', related_name='members', on_delete=OnDelete.RESTRICT)),
            ],
            options={'table': 'department_member', 'app': 'grids', 'pk_attr': 'id', 'table_description': 'A department-staff account and the department it works for.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='GridCell',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('cell', fields.BigIntField(db_index=True)),
                ('area', fields.ForeignKeyField('grids.Area', source_field='area_id', db_constraint=True, to_field='id', related_name='cells', on_delete=OnDelete.CASCADE)),
            ],
            options={'table': 'grid_cell', 'app': 'grids', 'unique_together': (('cell', 'area'),), 'pk_attr': 'id', 'table_description': "Spatial index: which grids' bounding boxes touch a lattice cell (see grids.geometry)."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='GridWorker',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('account', fields.OneToOneField('accounts.Account', source_field='account_id', db_constraint=True, to_field='id', related_name='grid_worker', on_delete=OnDelete.RESTRICT)),
                ('grid', fields.ForeignKeyField('grids.Area', source_field='grid_id', null=True, db_constraint=True, to_field='id', related_name='grid_workers', on_delete=OnDelete.RESTRICT)),
                ('title', fields.CharField(default='专职网格员', max_length=32)),
                ('assigned_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'grid_worker', 'app': 'grids', 'pk_attr': 'id', 'table_description': 'A grid-worker account and the grid it currently serves (none while unassigned).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='GridAssignmentEvent',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('worker', fields.ForeignKeyField('grids.GridWorker', source_field='worker_id', db_constraint=True, to_field='id', related_name='events', on_delete=OnDelete.RESTRICT)),
                ('from_grid', fields.ForeignKeyField('grids.Area', source_field='from_grid_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('to_grid', fields.ForeignKeyField('grids.Area', source_field='to_grid_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('actor', fields.ForeignKeyField('accounts.Account', source_field='actor_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('note', fields.CharField(default='', max_length=255)),
                ('occurred_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'grid_assignment_event', 'app': 'grids', 'pk_attr': 'id', 'table_description': 'History of grid-worker assignments: from which grid to which, by whom, when.'},
            bases=['Model'],
        ),
    ]
