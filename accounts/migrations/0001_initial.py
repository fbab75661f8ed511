from tortoise import migrations
from tortoise.migrations import operations as ops
from accounts.models import AccountEventKind, Role
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name='Account',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('username', fields.CharField(unique=True, max_length=64)),
                ('display_name', fields.CharField(max_length=64)),
                ('role', fields.CharEnumField(db_index=True, description='ADMIN: ADMIN\nAGENT: AGENT\nDEPARTMENT: DEPARTMENT\nGRID_WORKER: GRID_WORKER\nMERCHANT: MERCHANT\nCITIZEN: CITIZEN', enum_type=Role, max_length=16)),
                ('phone', fields.CharField(null=True, max_length=20)),
                ('password_hash', fields.CharField(null=True, max_length=255)),
                ('is_active', fields.BooleanField(default=True)),
                ('token_version', fields.IntField(default=0)),
                ('failed_logins', fields.IntField(default=0)),
                ('locked_until', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('last_login_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('is_demo', fields.BooleanField(default=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'account', 'app': 'accounts', 'pk_attr': 'id', 'table_description': 'A person or integration that signs in.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='AccountEvent',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('account', fields.ForeignKeyField('accounts.Account', source_field='account_id', db_constraint=True, to_field='id', related_name='events', on_delete=OnDelete.RESTRICT)),
                ('actor', fields.ForeignKeyField('accounts.Account', source_field='actor_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('kind', fields.CharEnumField(description='CREATED: CREATED\nPASSWORD_CHANGED: PASSWORD_CHANGED\nLOCKED: LOCKED\nDEACTIVATED: DEACTIVATED\nREACTIVATED: REACTIVATED\nTOKEN_ISSUED: TOKEN_ISSUED', enum_type=AccountEventKind, max_length=24)),
                ('note', fields.CharField(default='', max_length=255)),
                ('occurred_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'account_event', 'app': 'accounts', 'pk_attr': 'id', 'table_description': 'One change to an account: what happened, who did it, when.'},
            bases=['Model'],
        ),
    ]
