"""Indexes on the foreign keys whose rows are read by their parent (a ticket's history,
an order's, a citizen's tickets, a master's merged followers, a grid's workers ...):
neither database indexes a foreign key by itself, and at a million tickets each such
read scanned its whole table."""

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('accounts', '0004_client_keys'), ('grids', '0004_safety_index_setting'), ('merchants', '0003_recount_active_orders')]

    initial = False

    operations = [
        ops.AddIndex(
            model_name='MerchantEvent',
            index=Index(fields=['merchant_id']),
        ),
        ops.AddIndex(
            model_name='MerchantStaff',
            index=Index(fields=['merchant_id']),
        ),
        ops.AddIndex(
            model_name='OrderEvent',
            index=Index(fields=['order_id']),
        ),
    ]
