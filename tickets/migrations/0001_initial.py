from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tickets.lifecycle import Action, Satisfaction, TicketStatus
from tickets.models import CalendarDayKind, ExtensionStatus, SafetyDimension
from tickets.sla import SlaWarning, TicketKind, Urgency
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('accounts', '0001_initial'), ('grids', '0001_initial')]

    initial = True

    operations = [
        ops.CreateModel(
            name='CalendarDay',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('day', fields.DateField(unique=True)),
                ('kind', fields.CharEnumField(description='HOLIDAY: HOLIDAY\nWORKDAY: WORKDAY', enum_type=CalendarDayKind, max_length=8)),
                ('name', fields.CharField(default='', max_length=32)),
            ],
            options={'table': 'calendar_day', 'app': 'tickets', 'pk_attr': 'id', 'table_description': 'A public holiday, or a weekend day declared a working day (调休).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Category',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('code', fields.CharField(unique=True, max_length=96)),
                ('name', fields.CharField(max_length=64)),
                ('name_en', fields.CharField(default='', max_length=128)),
                ('parent', fields.ForeignKeyField('tickets.Category', source_field='parent_id', null=True, db_constraint=True, to_field='id', related_name='children', on_delete=OnDelete.RESTRICT)),
                ('level', fields.SmallIntField()),
                ('department_key', fields.CharField(null=True, max_length=16)),
                ('dimension', fields.CharEnumField(null=True, description='PUBLIC_ORDER: PUBLIC_ORDER\nDISPUTES: DISPUTES\nPRODUCTION_SAFETY: PRODUCTION_SAFETY\nECOLOGY: ECOLOGY\nPOLITICAL_SECURITY: POLITICAL_SECURITY\nFOOD_DRUG_SAFETY: FOOD_DRUG_SAFETY\nECONOMIC_SECURITY: ECONOMIC_SECURITY\nSOCIAL_SERVICES: SOCIAL_SERVICES', enum_type=SafetyDimension, max_length=24)),
                ('reply_days', fields.SmallIntField(null=True)),
                ('complete_days', fields.SmallIntField(null=True)),
                ('urgency_hint', fields.CharEnumField(null=True, description='NORMAL: NORMAL\nURGENT: URGENT\nCRITICAL: CRITICAL', enum_type=Urgency, max_length=16)),
                ('keywords', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('sort_order', fields.IntField(default=0)),
                ('is_active', fields.BooleanField(default=True)),
            ],
            options={'table': 'ticket_category', 'app': 'tickets', 'pk_attr': 'id', 'table_description': 'A node of the three-level category tree. Leaves route tickets and set deadlines.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Ticket',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('number', fields.CharField(unique=True, max_length=20)),
                ('channel', fields.ForeignKeyField('grids.Channel', source_field='channel_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('kind', fields.CharEnumField(description='CONSULTATION: CONSULTATION\nREQUEST: REQUEST\nCOMPLAINT: COMPLAINT\nREPORT: REPORT\nSUGGESTION: SUGGESTION\nPRAISE: PRAISE', enum_type=TicketKind, max_length=16)),
                ('category', fields.ForeignKeyField('tickets.Category', source_field='category_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('urgency', fields.CharEnumField(default=Urgency.NORMAL, description='NORMAL: NORMAL\nURGENT: URGENT\nCRITICAL: CRITICAL', enum_type=Urgency, max_length=16)),
                ('status', fields.CharEnumField(description='RECEIVED: RECEIVED\nDISPATCHED: DISPATCHED\nIN_PROGRESS: IN_PROGRESS\nRETURNED: RETURNED\nRESOLVED: RESOLVED\nREOPENED: REOPENED\nCLOSED: CLOSED\nMERGED: MERGED', enum_type=TicketStatus, max_length=16)),
                ('title', fields.CharField(max_length=100)),
                ('content', fields.TextField(unique=False)),
                ('citizen_name', fields.CharField(default='', max_length=32)),
                ('citizen_phone', fields.CharField(default='', max_length=20)),
                ('citizen', fields.ForeignKeyField('accounts.Account', source_field='citizen_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('lat', fields.FloatField(null=True)),
                ('lng', fields.FloatField(null=True)),
                ('address', fields.CharField(default='', max_length=200)),
                ('grid', fields.ForeignKeyField('grids.Area', source_field='grid_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('area_path', fields.CharField(default='', db_index=True, max_length=255)),
                ('department', fields.ForeignKeyField('grids.Department', source_field='department_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('created_by', fields.ForeignKeyField('accounts.Account', source_field='created_by_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('idempotency_key', fields.CharField(null=True, max_length=64)),
                ('request_digest', fields.CharField(max_length=64)),
                ('likely_duplicate_of', fields.ForeignKeyField('tickets.Ticket', source_field='likely_duplicate_of_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('merged_into', fields.ForeignKeyField('tickets.Ticket', source_field='merged_into_id', null=True, db_constraint=True, to_field='id', related_name='merged', on_delete=OnDelete.RESTRICT)),
                ('resolved_at_intake', fields.BooleanField(default=False)),
                ('return_count', fields.SmallIntField(default=0)),
                ('reopen_count', fields.SmallIntField(default=0)),
                ('supervised', fields.BooleanField(default=False)),
                ('reply', fields.TextField(default='', unique=False)),
                ('satisfaction', fields.CharEnumField(null=True, description='SATISFIED: SATISFIED\nBASICALLY_SATISFIED: BASICALLY_SATISFIED\nUNSATISFIED: UNSATISFIED', enum_type=Satisfaction, max_length=24)),
                ('received_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('dispatched_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('signed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('resolved_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('revisited_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('closed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('sign_deadline', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('reply_deadline', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('complete_deadline', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('revisit_deadline', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('warning', fields.CharEnumField(default=SlaWarning.NONE, description='NONE: NONE\nYELLOW: YELLOW\nRED: RED', enum_type=SlaWarning, max_length=8)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'ticket', 'app': 'tickets', 'unique_together': (('created_by', 'idempotency_key'),), 'indexes': [Index(fields=['status', 'received_at']), Index(fields=['department_id', 'status']), Index(fields=['citizen_phone', 'received_at']), Index(fields=['warning', 'status'])], 'pk_attr': 'id', 'table_description': "A citizen's request, complaint, report ... from intake to closing."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ExtensionRequest',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('ticket', fields.ForeignKeyField('tickets.Ticket', source_field='ticket_id', db_constraint=True, to_field='id', related_name='extensions', on_delete=OnDelete.RESTRICT)),
                ('requested_by', fields.ForeignKeyField('accounts.Account', source_field='requested_by_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('working_days', fields.SmallIntField()),
                ('reason', fields.CharField(max_length=500)),
                ('status', fields.CharEnumField(description='PENDING: PENDING\nAPPROVED: APPROVED\nREJECTED: REJECTED', enum_type=ExtensionStatus, max_length=16)),
                ('decided_by', fields.ForeignKeyField('accounts.Account', source_field='decided_by_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('decision_note', fields.CharField(default='', max_length=500)),
                ('requested_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('decided_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'ticket_extension', 'app': 'tickets', 'pk_attr': 'id', 'table_description': 'A department asks for more time (延期). The deadline moves only when approved.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='TicketEvent',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('ticket', fields.ForeignKeyField('tickets.Ticket', source_field='ticket_id', db_constraint=True, to_field='id', related_name='history', on_delete=OnDelete.RESTRICT)),
                ('action', fields.CharEnumField(description='RECEIVE: RECEIVE\nRESOLVE_AT_INTAKE: RESOLVE_AT_INTAKE\nDISPATCH: DISPATCH\nSIGN: SIGN\nRETURN: RETURN\nRESOLVE: RESOLVE\nREVISIT: REVISIT\nTRANSFER: TRANSFER\nURGE: URGE\nSUPERVISE: SUPERVISE\nREQUEST_EXTENSION: REQUEST_EXTENSION\nDECIDE_EXTENSION: DECIDE_EXTENSION\nMERGE: MERGE\nADD_NOTE: ADD_NOTE', enum_type=Action, max_length=24)),
                ('from_status', fields.CharEnumField(null=True, description='RECEIVED: RECEIVED\nDISPATCHED: DISPATCHED\nIN_PROGRESS: IN_PROGRESS\nRETURNED: RETURNED\nRESOLVED: RESOLVED\nREOPENED: REOPENED\nCLOSED: CLOSED\nMERGED: MERGED', enum_type=TicketStatus, max_length=16)),
                ('to_status', fields.CharEnumField(description='RECEIVED: RECEIVED\nDISPATCHED: DISPATCHED\nIN_PROGRESS: IN_PROGRESS\nRETURNED: RETURNED\nRESOLVED: RESOLVED\nREOPENED: REOPENED\nCLOSED: CLOSED\nMERGED: MERGED', enum_type=TicketStatus, max_length=16)),
                ('actor', fields.ForeignKeyField('accounts.Account', source_field='actor_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('department', fields.ForeignKeyField('grids.Department', source_field='department_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('note', fields.TextField(default='', unique=False)),
                ('occurred_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'ticket_event', 'app': 'tickets', 'pk_attr': 'id', 'table_description': 'One thing done to a ticket: the action, from and to, who, which department, a note.'},
            bases=['Model'],
        ),
    ]
