from tortoise import migrations
from tortoise.migrations import operations as ops
from wuyou.migration_ops import AlterChoices
import functools
from json import dumps, loads
from tickets.lifecycle import Action, TicketStatus
from tickets.models import ArticleAudience, ArticleStatus, ConsultationStatus, Desk, OrderLinkPurpose
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('accounts', '0002_integration_role'), ('grids', '0003_channel_accounts'), ('merchants', '0002_drop_daily_counter'), ('tickets', '0002_running_deadline_and_grid_events')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Article',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('title', fields.CharField(max_length=200)),
                ('body', fields.TextField(unique=False)),
                ('category', fields.ForeignKeyField('tickets.Category', source_field='category_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('department', fields.ForeignKeyField('grids.Department', source_field='department_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('tags', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('audience', fields.CharEnumField(description='CITIZEN: CITIZEN\nENTERPRISE: ENTERPRISE', enum_type=ArticleAudience, max_length=16)),
                ('effective_from', fields.DateField(null=True)),
                ('expires_on', fields.DateField(null=True)),
                ('status', fields.CharEnumField(default=ArticleStatus.DRAFT, description='DRAFT: DRAFT\nPUBLISHED: PUBLISHED\nARCHIVED: ARCHIVED', enum_type=ArticleStatus, max_length=16)),
                ('version', fields.IntField(default=1)),
                ('search_tokens', fields.TextField(default='', unique=False)),
                ('created_by', fields.ForeignKeyField('accounts.Account', source_field='created_by_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('updated_by', fields.ForeignKeyField('accounts.Account', source_field='updated_by_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('is_demo', fields.BooleanField(default=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('published_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'knowledge_article', 'app': 'tickets', 'indexes': [Index(fields=['status', 'audience'])], 'pk_attr': 'id', 'table_description': 'A policy knowledge-base article (政策知识库), maintained by departments and agents.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ArticleRevision',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('article', fields.ForeignKeyField('tickets.Article', source_field='article_id', db_constraint=True, to_field='id', related_name='revisions', on_delete=OnDelete.RESTRICT)),
                ('version', fields.IntField()),
                ('status', fields.CharEnumField(description='DRAFT: DRAFT\nPUBLISHED: PUBLISHED\nARCHIVED: ARCHIVED', enum_type=ArticleStatus, max_length=16)),
                ('snapshot', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('actor', fields.ForeignKeyField('accounts.Account', source_field='actor_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('note', fields.CharField(default='', max_length=255)),
                ('occurred_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'knowledge_article_revision', 'app': 'tickets', 'pk_attr': 'id', 'table_description': 'One saved version of an article or a change of its status: who, when, what.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Specialist',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('account', fields.OneToOneField('accounts.Account', source_field='account_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('department', fields.ForeignKeyField('grids.Department', source_field='department_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('title', fields.CharField(default='', max_length=64)),
                ('topics', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('desks', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('is_active', fields.BooleanField(default=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'ticket_specialist', 'app': 'tickets', 'pk_attr': 'id', 'table_description': 'A policy specialist: an account of the SPECIALIST role, its department and topics.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Consultation',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('ticket', fields.ForeignKeyField('tickets.Ticket', source_field='ticket_id', db_constraint=True, to_field='id', related_name='consultations', on_delete=OnDelete.RESTRICT)),
                ('specialist', fields.ForeignKeyField('tickets.Specialist', source_field='specialist_id', db_constraint=True, to_field='id', related_name='consultations', on_delete=OnDelete.RESTRICT)),
                ('invited_by', fields.ForeignKeyField('accounts.Account', source_field='invited_by_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('question', fields.TextField(default='', unique=False)),
                ('status', fields.CharEnumField(description='INVITED: INVITED\nJOINED: JOINED\nANSWERED: ANSWERED\nDECLINED: DECLINED', enum_type=ConsultationStatus, max_length=16)),
                ('invited_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('joined_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('answered_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('answer', fields.TextField(default='', unique=False)),
            ],
            options={'table': 'ticket_consultation', 'app': 'tickets', 'indexes': [Index(fields=['specialist_id', 'status'])], 'pk_attr': 'id', 'table_description': 'A specialist brought onto a ticket (the three-way call): who, when, and the answer.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='TicketOrder',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('ticket', fields.ForeignKeyField('tickets.Ticket', source_field='ticket_id', db_constraint=True, to_field='id', related_name='orders', on_delete=OnDelete.RESTRICT)),
                ('order', fields.OneToOneField('merchants.Order', source_field='order_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('purpose', fields.CharEnumField(description='MEDIATION: MEDIATION\nCRISIS: CRISIS', enum_type=OrderLinkPurpose, max_length=16)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'ticket_order', 'app': 'tickets', 'pk_attr': 'id', 'table_description': 'An order of the marketplace linked to a ticket, and why.'},
            bases=['Model'],
        ),
        AlterChoices(
            model_name='Ticket',
            name='status',
            field=fields.CharEnumField(description='RECEIVED: RECEIVED\nDISPATCHED: DISPATCHED\nIN_PROGRESS: IN_PROGRESS\nRETURNED: RETURNED\nRESOLVED: RESOLVED\nREOPENED: REOPENED\nCLOSED: CLOSED\nMERGED: MERGED\nIN_MEDIATION: IN_MEDIATION', enum_type=TicketStatus, max_length=16),
        ),
        ops.AddField(
            model_name='Ticket',
            name='cited_article',
            field=fields.ForeignKeyField('tickets.Article', source_field='cited_article_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT),
        ),
        ops.AddField(
            model_name='Ticket',
            name='desk',
            field=fields.CharEnumField(null=True, description='ENTERPRISE: ENTERPRISE\nINTEGRITY: INTEGRITY', enum_type=Desk, max_length=16),
        ),
        ops.AddIndex(
            model_name='Ticket',
            index=Index(fields=['desk', 'status']),
        ),
        AlterChoices(
            model_name='TicketEvent',
            name='action',
            field=fields.CharEnumField(description='RECEIVE: RECEIVE\nRESOLVE_AT_INTAKE: RESOLVE_AT_INTAKE\nRESOLVE_ON_SITE: RESOLVE_ON_SITE\nDISPATCH: DISPATCH\nSIGN: SIGN\nRETURN: RETURN\nRESOLVE: RESOLVE\nREVISIT: REVISIT\nTRANSFER: TRANSFER\nURGE: URGE\nSUPERVISE: SUPERVISE\nREQUEST_EXTENSION: REQUEST_EXTENSION\nDECIDE_EXTENSION: DECIDE_EXTENSION\nMERGE: MERGE\nADD_NOTE: ADD_NOTE\nWARN: WARN\nSET_DESK: SET_DESK\nINVITE_SPECIALIST: INVITE_SPECIALIST\nJOIN_CONSULTATION: JOIN_CONSULTATION\nANSWER_CONSULTATION: ANSWER_CONSULTATION\nDECLINE_CONSULTATION: DECLINE_CONSULTATION\nREFER_TO_MEDIATION: REFER_TO_MEDIATION\nORDER_UPDATE: ORDER_UPDATE\nMEDIATION_OUTCOME: MEDIATION_OUTCOME\nMEDIATION_FAILED: MEDIATION_FAILED', enum_type=Action, max_length=24),
        ),
        AlterChoices(
            model_name='TicketEvent',
            name='from_status',
            field=fields.CharEnumField(null=True, description='RECEIVED: RECEIVED\nDISPATCHED: DISPATCHED\nIN_PROGRESS: IN_PROGRESS\nRETURNED: RETURNED\nRESOLVED: RESOLVED\nREOPENED: REOPENED\nCLOSED: CLOSED\nMERGED: MERGED\nIN_MEDIATION: IN_MEDIATION', enum_type=TicketStatus, max_length=16),
        ),
        AlterChoices(
            model_name='TicketEvent',
            name='to_status',
            field=fields.CharEnumField(description='RECEIVED: RECEIVED\nDISPATCHED: DISPATCHED\nIN_PROGRESS: IN_PROGRESS\nRETURNED: RETURNED\nRESOLVED: RESOLVED\nREOPENED: REOPENED\nCLOSED: CLOSED\nMERGED: MERGED\nIN_MEDIATION: IN_MEDIATION', enum_type=TicketStatus, max_length=16),
        ),
    ]
