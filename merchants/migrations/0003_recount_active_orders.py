from tortoise import migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [('merchants', '0002_drop_daily_counter')]

    initial = False

    # Starting a service (ACCEPTED -> IN_SERVICE) used to free a place in the provider's
    # capacity as completing it does: providers took more orders than their capacity.
    # Count again the orders each provider holds.
    operations = [
        ops.RunSQL(
            'UPDATE "merchant" SET "active_orders" = ('
            'SELECT COUNT(*) FROM "service_order" WHERE "service_order"."merchant_id" = "merchant"."id"'
            " AND \"service_order\".\"status\" IN ('ACCEPTED', 'IN_SERVICE'))"
        ),
    ]
