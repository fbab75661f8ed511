from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from merchants.models import MerchantStatus, OfferStatus, OrderStatus
from plugins.service_types import ProviderKind
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('accounts', '0001_initial'), ('grids', '0001_initial')]

    initial = True

    operations = [
        ops.CreateModel(
            name='DailyCounter',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('prefix', fields.CharField(max_length=8)),
                ('day', fields.DateField()),
                ('value', fields.IntField(default=0)),
            ],
            options={'table': 'daily_counter', 'app': 'merchants', 'unique_together': (('prefix', 'day'),), 'pk_attr': 'id', 'table_description': 'The last number handed out for a prefix on a day (order numbers restart daily).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Merchant',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(max_length=100)),
                ('kind', fields.CharEnumField(description='COMMERCIAL: COMMERCIAL\nMEDIATION_ORG: MEDIATION_ORG\nCOUNSELLOR: COUNSELLOR\nLAW_FIRM: LAW_FIRM', enum_type=ProviderKind, max_length=16)),
                ('credit_code', fields.CharField(unique=True, max_length=18)),
                ('contact_name', fields.CharField(max_length=32)),
                ('contact_phone', fields.CharField(max_length=20)),
                ('address', fields.CharField(default='', max_length=200)),
                ('base_lat', fields.FloatField()),
                ('base_lng', fields.FloatField()),
                ('base_grid', fields.ForeignKeyField('grids.Area', source_field='base_grid_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('description', fields.CharField(default='', max_length=500)),
                ('specialties', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('capacity', fields.IntField()),
                ('active_orders', fields.IntField(default=0)),
                ('status', fields.CharEnumField(default=MerchantStatus.PENDING, description='PENDING: PENDING\nAPPROVED: APPROVED\nREJECTED: REJECTED\nSUSPENDED: SUSPENDED', enum_type=MerchantStatus, max_length=16)),
                ('on_duty', fields.BooleanField(default=False)),
                ('rating_sum', fields.IntField(default=0)),
                ('rating_count', fields.IntField(default=0)),
                ('review_note', fields.CharField(default='', max_length=255)),
                ('is_demo', fields.BooleanField(default=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('reviewed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'merchant', 'app': 'merchants', 'indexes': [Index(fields=['status', 'on_duty', 'kind'])], 'pk_attr': 'id', 'table_description': 'A provider registered on the marketplace, its review status and its live load.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='MerchantArea',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('merchant', fields.ForeignKeyField('merchants.Merchant', source_field='merchant_id', db_constraint=True, to_field='id', related_name='areas', on_delete=OnDelete.RESTRICT)),
                ('area', fields.ForeignKeyField('grids.Area', source_field='area_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('area_path', fields.CharField(db_index=True, max_length=255)),
            ],
            options={'table': 'merchant_area', 'app': 'merchants', 'unique_together': (('merchant', 'area'),), 'pk_attr': 'id', 'table_description': 'An area a provider serves: it covers every grid beneath that area.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='MerchantEvent',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('merchant', fields.ForeignKeyField('merchants.Merchant', source_field='merchant_id', db_constraint=True, to_field='id', related_name='events', on_delete=OnDelete.RESTRICT)),
                ('kind', fields.CharField(max_length=24)),
                ('from_status', fields.CharEnumField(null=True, description='PENDING: PENDING\nAPPROVED: APPROVED\nREJECTED: REJECTED\nSUSPENDED: SUSPENDED', enum_type=MerchantStatus, max_length=16)),
                ('to_status', fields.CharEnumField(description='PENDING: PENDING\nAPPROVED: APPROVED\nREJECTED: REJECTED\nSUSPENDED: SUSPENDED', enum_type=MerchantStatus, max_length=16)),
                ('actor', fields.ForeignKeyField('accounts.Account', source_field='actor_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('note', fields.CharField(default='', max_length=255)),
                ('occurred_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'merchant_event', 'app': 'merchants', 'pk_attr': 'id', 'table_description': 'One change to a provider: registered, reviewed, on or off duty.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='MerchantService',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('merchant', fields.ForeignKeyField('merchants.Merchant', source_field='merchant_id', db_constraint=True, to_field='id', related_name='services', on_delete=OnDelete.RESTRICT)),
                ('service_type', fields.CharField(db_index=True, max_length=64)),
                ('documents', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
            ],
            options={'table': 'merchant_service', 'app': 'merchants', 'unique_together': (('merchant', 'service_type'),), 'pk_attr': 'id', 'table_description': 'A service type a provider offers, with the qualification documents it registered.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='MerchantStaff',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('account', fields.OneToOneField('accounts.Account', source_field='account_id', db_constraint=True, to_field='id', related_name='merchant_staff', on_delete=OnDelete.RESTRICT)),
                ('merchant', fields.ForeignKeyField('merchants.Merchant', source_field='merchant_id', db_constraint=True, to_field='id', related_name='staff', on_delete=OnDelete.RESTRICT)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'merchant_staff', 'app': 'merchants', 'pk_attr': 'id', 'table_description': 'A MERCHANT account working for one provider.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Order',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('number', fields.CharField(unique=True, max_length=20)),
                ('service_type', fields.CharField(db_index=True, max_length=64)),
                ('form', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('lat', fields.FloatField()),
                ('lng', fields.FloatField()),
                ('address', fields.CharField(max_length=200)),
                ('grid', fields.ForeignKeyField('grids.Area', source_field='grid_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('grid_path', fields.CharField(db_index=True, max_length=255)),
                ('contact_name', fields.CharField(max_length=32)),
                ('contact_phone', fields.CharField(max_length=20)),
                ('citizen', fields.ForeignKeyField('accounts.Account', source_field='citizen_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('placed_by', fields.ForeignKeyField('accounts.Account', source_field='placed_by_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('idempotency_key', fields.CharField(null=True, max_length=64)),
                ('request_digest', fields.CharField(max_length=64)),
                ('status', fields.CharEnumField(description='PLACED: PLACED\nDISPATCHING: DISPATCHING\nACCEPTED: ACCEPTED\nIN_SERVICE: IN_SERVICE\nCOMPLETED: COMPLETED\nCANCELLED: CANCELLED\nNO_PROVIDER: NO_PROVIDER', enum_type=OrderStatus, max_length=16)),
                ('urgent', fields.BooleanField(default=False)),
                ('quoted_amount', fields.DecimalField(null=True, max_digits=12, decimal_places=2)),
                ('quote', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('final_amount', fields.DecimalField(null=True, max_digits=12, decimal_places=2)),
                ('outcome', fields.CharField(null=True, max_length=32)),
                ('outcome_note', fields.TextField(default='', unique=False)),
                ('merchant', fields.ForeignKeyField('merchants.Merchant', source_field='merchant_id', null=True, db_constraint=True, to_field='id', related_name='orders', on_delete=OnDelete.RESTRICT)),
                ('companion', fields.ForeignKeyField('merchants.Merchant', source_field='companion_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('dispatch_round', fields.IntField(default=0)),
                ('status_reason', fields.CharField(default='', max_length=255)),
                ('stars', fields.SmallIntField(null=True)),
                ('rating_comment', fields.CharField(default='', max_length=500)),
                ('placed_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('accepted_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('started_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('finished_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'service_order', 'app': 'merchants', 'unique_together': (('placed_by', 'idempotency_key'),), 'indexes': [Index(fields=['status', 'placed_at']), Index(fields=['merchant_id', 'status']), Index(fields=['citizen_id', 'placed_at'])], 'pk_attr': 'id', 'table_description': "A citizen's order for a service, from placing to completion."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Offer',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('order', fields.ForeignKeyField('merchants.Order', source_field='order_id', db_constraint=True, to_field='id', related_name='offers', on_delete=OnDelete.RESTRICT)),
                ('merchant', fields.ForeignKeyField('merchants.Merchant', source_field='merchant_id', db_constraint=True, to_field='id', related_name='offers', on_delete=OnDelete.RESTRICT)),
                ('round', fields.IntField()),
                ('rank', fields.IntField()),
                ('distance_km', fields.FloatField()),
                ('status', fields.CharEnumField(description='PENDING: PENDING\nACCEPTED: ACCEPTED\nDECLINED: DECLINED\nEXPIRED: EXPIRED\nWITHDRAWN: WITHDRAWN', enum_type=OfferStatus, max_length=16)),
                ('offered_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('responded_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('decline_reason', fields.CharField(default='', max_length=200)),
            ],
            options={'table': 'offer', 'app': 'merchants', 'unique_together': (('order', 'merchant'),), 'indexes': [Index(fields=['status', 'expires_at']), Index(fields=['merchant_id', 'status'])], 'pk_attr': 'id', 'table_description': 'An order offered to one provider, which may accept it until ``expires_at``.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='OrderEvent',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('order', fields.ForeignKeyField('merchants.Order', source_field='order_id', db_constraint=True, to_field='id', related_name='history', on_delete=OnDelete.RESTRICT)),
                ('from_status', fields.CharEnumField(null=True, description='PLACED: PLACED\nDISPATCHING: DISPATCHING\nACCEPTED: ACCEPTED\nIN_SERVICE: IN_SERVICE\nCOMPLETED: COMPLETED\nCANCELLED: CANCELLED\nNO_PROVIDER: NO_PROVIDER', enum_type=OrderStatus, max_length=16)),
                ('to_status', fields.CharEnumField(description='PLACED: PLACED\nDISPATCHING: DISPATCHING\nACCEPTED: ACCEPTED\nIN_SERVICE: IN_SERVICE\nCOMPLETED: COMPLETED\nCANCELLED: CANCELLED\nNO_PROVIDER: NO_PROVIDER', enum_type=OrderStatus, max_length=16)),
                ('actor', fields.ForeignKeyField('accounts.Account', source_field='actor_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('merchant', fields.ForeignKeyField('merchants.Merchant', source_field='merchant_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('note', fields.CharField(default='', max_length=255)),
                ('occurred_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'order_event', 'app': 'merchants', 'pk_attr': 'id', 'table_description': 'One transition of an order: from, to, who, when and why.'},
            bases=['Model'],
        ),
    ]
