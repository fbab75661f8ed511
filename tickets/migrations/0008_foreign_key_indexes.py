"""Indexes on the foreign keys whose rows are read by their parent (a ticket's history,
an order's, a citizen's tickets, a master's merged followers, a grid's workers ...):
neither database indexes a foreign key by itself, and at a million tickets each such
read scanned its whole table."""

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('accounts', '0004_client_keys'), ('grids', '0004_safety_index_setting'), ('merchants', '0003_recount_active_orders'), ('tickets', '0007_ticket_tally')]

    initial = False

    operations = [
        ops.AddIndex(
            model_name='ArticleRevision',
            index=Index(fields=['article_id']),
        ),
        ops.AddIndex(
            model_name='Consultation',
            index=Index(fields=['ticket_id']),
        ),
        ops.AddIndex(
            model_name='ExtensionRequest',
            index=Index(fields=['ticket_id']),
        ),
        ops.AddIndex(
            model_name='Ticket',
            index=Index(fields=['citizen_id', 'received_at']),
        ),
        ops.AddIndex(
            model_name='Ticket',
            index=Index(fields=['merged_into_id']),
        ),
        ops.AddIndex(
            model_name='TicketEvent',
            index=Index(fields=['ticket_id', 'occurred_at']),
        ),
        ops.AddIndex(
            model_name='TicketOrder',
            index=Index(fields=['ticket_id']),
        ),
    ]
