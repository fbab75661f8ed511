from tortoise import migrations
from tortoise.migrations import operations as ops
from wuyou.migration_ops import AlterChoices
from grids.models import DepartmentLevel
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('accounts', '0001_initial'), ('grids', '0001_initial')]

    initial = False

    operations = [
        ops.AlterModelOptions(
            name='Department',
            options={'table': 'department', 'app': 'grids', 'pk_attr': 'id', 'table_description': 'A body that handles tickets: a department, a street office or a community committee.'},
        ),
        AlterChoices(
            model_name='Department',
            name='level',
            field=fields.CharEnumField(description='CITY: CITY\nDISTRICT: DISTRICT\nSTREET: STREET\nCOMMUNITY: COMMUNITY', enum_type=DepartmentLevel, max_length=16),
        ),
    ]
