from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name='NumberSequence',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('prefix', fields.CharField(max_length=8)),
                ('day', fields.DateField()),
                ('value', fields.IntField(default=0)),
            ],
            options={'table': 'number_sequence', 'app': 'wuyou', 'unique_together': (('prefix', 'day'),), 'pk_attr': 'id', 'table_description': 'The last number handed out for a prefix on a civil day (numbers restart daily).'},
            bases=['Model'],
        ),
    ]
