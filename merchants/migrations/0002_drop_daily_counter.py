from tortoise import migrations
from tortoise.migrations import operations as ops

class Migration(migrations.Migration):
    dependencies = [('accounts', '0001_initial'), ('grids', '0001_initial'), ('merchants', '0001_initial')]

    initial = False

    operations = [
        ops.DeleteModel(name='DailyCounter'),
    ]
