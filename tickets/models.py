"""Hotline tickets (工单): categories, the tickets themselves, their history, extension
requests, the calendar's public holidays, the SLA policy's settings, the desks' policy
specialists and their consultations, orders linked to tickets, and the policy knowledge
base."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from tortoise import fields
from tortoise.models import Model

from tickets.lifecycle import Action, Satisfaction, TicketStatus
from tickets.sla import SlaWarning, TicketKind, Urgency

CATEGORY_CODE_MAX_LENGTH = 96


class SafetyDimension(StrEnum):
    """The eight dimensions of the safety index (平安指数)."""

    PUBLIC_ORDER = "PUBLIC_ORDER"
    DISPUTES = "DISPUTES"
    PRODUCTION_SAFETY = "PRODUCTION_SAFETY"
    ECOLOGY = "ECOLOGY"
    POLITICAL_SECURITY = "POLITICAL_SECURITY"
    FOOD_DRUG_SAFETY = "FOOD_DRUG_SAFETY"
    ECONOMIC_SECURITY = "ECONOMIC_SECURITY"
    SOCIAL_SERVICES = "SOCIAL_SERVICES"


class CalendarDayKind(StrEnum):
    HOLIDAY = "HOLIDAY"
    WORKDAY = "WORKDAY"


class Desk(StrEnum):
    """A specialised hotline desk with its own queue."""

    ENTERPRISE = "ENTERPRISE"  # 企业服务专席
    INTEGRITY = "INTEGRITY"  # 政务诚信受理专席


class ConsultationStatus(StrEnum):
    INVITED = "INVITED"
    JOINED = "JOINED"
    ANSWERED = "ANSWERED"
    DECLINED = "DECLINED"


class OrderLinkPurpose(StrEnum):
    """Why an order and a ticket belong together."""

    # The hotline referred the ticket's dispute to mediation (referToMediation).
    MEDIATION = "MEDIATION"
    # A psychological-support order flagged as a crisis raised the ticket.
    CRISIS = "CRISIS"


class ArticleAudience(StrEnum):
    CITIZEN = "CITIZEN"
    ENTERPRISE = "ENTERPRISE"


class ArticleStatus(StrEnum):
    DRAFT = "DRAFT"
    PUBLISHED = "PUBLISHED"
    ARCHIVED = "ARCHIVED"


class ExtensionStatus(StrEnum):
    PENDING = "PENDING"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"


class Category(Model):
    """A node of the three-level category tree. Leaves route tickets and set deadlines."""

    id = fields.IntField(primary_key=True)
    # Dotted by level: URBAN, URBAN.CITYSCAPE, URBAN.CITYSCAPE.STREET_VENDING.
    code = fields.CharField(max_length=CATEGORY_CODE_MAX_LENGTH, unique=True)
    name = fields.CharField(max_length=64)
    name_en = fields.CharField(max_length=128, default="")
    parent: fields.ForeignKeyNullableRelation[Category] = fields.ForeignKeyField(
        "tickets.Category", related_name="children", null=True, on_delete=fields.RESTRICT
    )
    level = fields.SmallIntField()
    # The key of the responsible body (CG, ZJ, SQ ...): the body with that key nearest the
    # ticket's location along its area path (community, street, district, then city).
    department_key = fields.CharField(max_length=16, null=True)
    dimension = fields.CharEnumField(SafetyDimension, max_length=24, null=True)
    reply_days = fields.SmallIntField(null=True)
    complete_days = fields.SmallIntField(null=True)
    urgency_hint = fields.CharEnumField(Urgency, max_length=16, null=True)
    keywords: fields.JSONField[list[str]] = fields.JSONField(default=list)
    sort_order = fields.IntField(default=0)
    is_active = fields.BooleanField(default=True)

    class Meta:
        table = "ticket_category"


class Ticket(Model):
    """A citizen's request, complaint, report ... from intake to closing."""

    id = fields.BigIntField(primary_key=True)
    # WH + date + the day's sequence: WH20261127000123.
    number = fields.CharField(max_length=20, unique=True)
    channel: fields.ForeignKeyRelation[Any] = fields.ForeignKeyField(
        "grids.Channel", related_name=False, on_delete=fields.RESTRICT
    )
    kind = fields.CharEnumField(TicketKind, max_length=16)
    category: fields.ForeignKeyNullableRelation[Category] = fields.ForeignKeyField(
        "tickets.Category", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    urgency = fields.CharEnumField(Urgency, max_length=16, default=Urgency.NORMAL)
    status = fields.CharEnumField(TicketStatus, max_length=16)
    title = fields.CharField(max_length=100)
    content = fields.TextField()
    citizen_name = fields.CharField(max_length=32, default="")
    citizen_phone = fields.CharField(max_length=20, default="")
    citizen: fields.ForeignKeyNullableRelation[Any] = fields.ForeignKeyField(
        "accounts.Account", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    lat = fields.FloatField(null=True)
    lng = fields.FloatField(null=True)
    address = fields.CharField(max_length=200, default="")
    grid: fields.ForeignKeyNullableRelation[Any] = fields.ForeignKeyField(
        "grids.Area", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    # The grid's path ("150300/150302/…/"): an area's tickets are those whose path
    # starts with the area's.
    area_path = fields.CharField(max_length=255, default="", db_index=True)
    department: fields.ForeignKeyNullableRelation[Any] = fields.ForeignKeyField(
        "grids.Department", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    created_by: fields.ForeignKeyRelation[Any] = fields.ForeignKeyField(
        "accounts.Account", related_name=False, on_delete=fields.RESTRICT
    )
    idempotency_key = fields.CharField(max_length=64, null=True)
    request_digest = fields.CharField(max_length=64)
    # An earlier ticket from the same phone about the same category and grid (72 hours).
    likely_duplicate_of: fields.ForeignKeyNullableRelation[Ticket] = fields.ForeignKeyField(
        "tickets.Ticket", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    merged_into: fields.ForeignKeyNullableRelation[Ticket] = fields.ForeignKeyField(
        "tickets.Ticket", related_name="merged", null=True, on_delete=fields.RESTRICT
    )
    resolved_at_intake = fields.BooleanField(default=False)
    # The knowledge-base article the agent cited when answering at intake.
    cited_article: fields.ForeignKeyNullableRelation[Article] = fields.ForeignKeyField(
        "tickets.Article", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    desk = fields.CharEnumField(Desk, max_length=16, null=True)
    # A grid event the grid worker settled where it was found (就地解决).
    resolved_on_site = fields.BooleanField(default=False)
    # Photos a grid worker took, as URLs.
    photos: fields.JSONField[list[str]] = fields.JSONField(default=list)
    urge_count = fields.SmallIntField(default=0)
    return_count = fields.SmallIntField(default=0)
    reopen_count = fields.SmallIntField(default=0)
    supervised = fields.BooleanField(default=False)
    reply = fields.TextField(default="")
    satisfaction = fields.CharEnumField(Satisfaction, max_length=24, null=True)
    received_at = fields.DatetimeField()
    dispatched_at = fields.DatetimeField(null=True)
    signed_at = fields.DatetimeField(null=True)
    resolved_at = fields.DatetimeField(null=True)
    revisited_at = fields.DatetimeField(null=True)
    closed_at = fields.DatetimeField(null=True)
    sign_deadline = fields.DatetimeField(null=True)
    reply_deadline = fields.DatetimeField(null=True)
    complete_deadline = fields.DatetimeField(null=True)
    revisit_deadline = fields.DatetimeField(null=True)
    # The deadline that runs now (signing while dispatched, completion while in
    # progress, the revisit once resolved), and when the sweeper must next look at the
    # ticket: its yellow point, then the deadline itself. Both live in the row, so a
    # restart loses no deadline.
    due_at = fields.DatetimeField(null=True)
    check_at = fields.DatetimeField(null=True, db_index=True)
    # What the sweeper last found: how late the ticket runs against its deadlines.
    warning = fields.CharEnumField(SlaWarning, max_length=8, default=SlaWarning.NONE)
    updated_at = fields.DatetimeField()

    class Meta:
        table = "ticket"
        unique_together = (("created_by", "idempotency_key"),)
        indexes = (
            ("status", "received_at"),
            # A department's tickets newest first, whatever their statuses.
            ("department_id", "received_at", "status"),
            ("citizen_phone", "received_at"),
            # A citizen's own tickets, and a master's merged followers.
            ("citizen_id", "received_at"),
            ("merged_into_id",),
            ("warning", "status"),
            ("status", "due_at"),
            ("received_at", "id"),
            ("desk", "received_at", "status"),
            # Counting an area's tickets without reading them.
            ("area_path", "status"),
            ("cited_article_id", "received_at", "status"),
            # Every column the hotline's figures and the safety index count, by category
            # and time: they read it category after category, never the rows.
            (
                "category_id",
                "received_at",
                "status",
                "area_path",
                "channel_id",
                "department_id",
                "kind",
                "urgency",
                "resolved_at_intake",
                "resolved_on_site",
                "reopen_count",
                "return_count",
                "dispatched_at",
                "signed_at",
                "sign_deadline",
                "resolved_at",
                "complete_deadline",
                "satisfaction",
                "due_at",
                "likely_duplicate_of_id",
            ),
        )


class TicketEvent(Model):
    """One thing done to a ticket: the action, from and to, who, which department, a note."""

    id = fields.BigIntField(primary_key=True)
    ticket: fields.ForeignKeyRelation[Ticket] = fields.ForeignKeyField(
        "tickets.Ticket", related_name="history", on_delete=fields.RESTRICT
    )
    action = fields.CharEnumField(Action, max_length=24)
    from_status = fields.CharEnumField(TicketStatus, max_length=16, null=True)
    to_status = fields.CharEnumField(TicketStatus, max_length=16)
    actor: fields.ForeignKeyNullableRelation[Any] = fields.ForeignKeyField(
        "accounts.Account", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    department: fields.ForeignKeyNullableRelation[Any] = fields.ForeignKeyField(
        "grids.Department", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    note = fields.TextField(default="")
    occurred_at = fields.DatetimeField()

    class Meta:
        table = "ticket_event"
        indexes = (
            # A ticket's history.
            ("ticket_id", "occurred_at"),
            # A body sees the tickets ever dispatched or transferred to it.
            ("department_id", "action"),
        )


class ExtensionRequest(Model):
    """A department asks for more time (延期). The deadline moves only when approved."""

    id = fields.BigIntField(primary_key=True)
    ticket: fields.ForeignKeyRelation[Ticket] = fields.ForeignKeyField(
        "tickets.Ticket", related_name="extensions", on_delete=fields.RESTRICT
    )
    requested_by: fields.ForeignKeyRelation[Any] = fields.ForeignKeyField(
        "accounts.Account", related_name=False, on_delete=fields.RESTRICT
    )
    working_days = fields.SmallIntField()
    reason = fields.CharField(max_length=500)
    status = fields.CharEnumField(ExtensionStatus, max_length=16)
    decided_by: fields.ForeignKeyNullableRelation[Any] = fields.ForeignKeyField(
        "accounts.Account", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    decision_note = fields.CharField(max_length=500, default="")
    requested_at = fields.DatetimeField()
    decided_at = fields.DatetimeField(null=True)

    class Meta:
        table = "ticket_extension"
        indexes = (("ticket_id",),)


class CalendarDay(Model):
    """A public holiday, or a weekend day declared a working day (调休)."""

    id = fields.IntField(primary_key=True)
    day = fields.DateField(unique=True)
    kind = fields.CharEnumField(CalendarDayKind, max_length=8)
    name = fields.CharField(max_length=32, default="")

    class Meta:
        table = "calendar_day"


class SlaSetting(Model):
    """The SLA policy as administrators configured it (no row: the defaults).

    One row holds the numbers that differ from the built-in defaults, by name
    (``replyDays``, ``completeDays.COMPLAINT`` ...). The rules relate the numbers to each
    other, so a change is checked against the whole policy and saved whole, with a
    conditional update on ``version``.
    """

    id = fields.IntField(primary_key=True)
    settings: fields.JSONField[dict[str, Any]] = fields.JSONField(default=dict)
    version = fields.IntField()
    updated_at = fields.DatetimeField()
    updated_by: fields.ForeignKeyRelation[Any] = fields.ForeignKeyField(
        "accounts.Account", related_name=False, on_delete=fields.RESTRICT
    )

    class Meta:
        table = "sla_setting"


class Specialist(Model):
    """A policy specialist: an account of the SPECIALIST role, its department and topics."""

    id = fields.IntField(primary_key=True)
    account: fields.OneToOneRelation[Any] = fields.OneToOneField(
        "accounts.Account", related_name=False, on_delete=fields.RESTRICT
    )
    department: fields.ForeignKeyRelation[Any] = fields.ForeignKeyField(
        "grids.Department", related_name=False, on_delete=fields.RESTRICT
    )
    title = fields.CharField(max_length=64, default="")
    # Topic codes (level-1 or level-2 category codes, or free policy topics like TAX).
    topics: fields.JSONField[list[str]] = fields.JSONField(default=list)
    # The desks the specialist serves (ENTERPRISE, INTEGRITY).
    desks: fields.JSONField[list[str]] = fields.JSONField(default=list)
    is_active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "ticket_specialist"


class Consultation(Model):
    """A specialist brought onto a ticket (the three-way call): who, when, and the answer."""

    id = fields.BigIntField(primary_key=True)
    ticket: fields.ForeignKeyRelation[Ticket] = fields.ForeignKeyField(
        "tickets.Ticket", related_name="consultations", on_delete=fields.RESTRICT
    )
    specialist: fields.ForeignKeyRelation[Specialist] = fields.ForeignKeyField(
        "tickets.Specialist", related_name="consultations", on_delete=fields.RESTRICT
    )
    invited_by: fields.ForeignKeyRelation[Any] = fields.ForeignKeyField(
        "accounts.Account", related_name=False, on_delete=fields.RESTRICT
    )
    question = fields.TextField(default="")
    status = fields.CharEnumField(ConsultationStatus, max_length=16)
    invited_at = fields.DatetimeField()
    joined_at = fields.DatetimeField(null=True)
    answered_at = fields.DatetimeField(null=True)
    answer = fields.TextField(default="")

    class Meta:
        table = "ticket_consultation"
        indexes = (("specialist_id", "status"), ("ticket_id",))


class TicketOrder(Model):
    """An order of the marketplace linked to a ticket, and why."""

    id = fields.BigIntField(primary_key=True)
    ticket: fields.ForeignKeyRelation[Ticket] = fields.ForeignKeyField(
        "tickets.Ticket", related_name="orders", on_delete=fields.RESTRICT
    )
    order: fields.OneToOneRelation[Any] = fields.OneToOneField(
        "merchants.Order", related_name=False, on_delete=fields.RESTRICT
    )
    purpose = fields.CharEnumField(OrderLinkPurpose, max_length=16)
    created_at = fields.DatetimeField()

    class Meta:
        table = "ticket_order"
        indexes = (("ticket_id",),)


class Article(Model):
    """A policy knowledge-base article (政策知识库), maintained by departments and agents."""

    id = fields.IntField(primary_key=True)
    title = fields.CharField(max_length=200)
    body = fields.TextField()
    category: fields.ForeignKeyNullableRelation[Category] = fields.ForeignKeyField(
        "tickets.Category", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    department: fields.ForeignKeyNullableRelation[Any] = fields.ForeignKeyField(
        "grids.Department", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    tags: fields.JSONField[list[str]] = fields.JSONField(default=list)
    audience = fields.CharEnumField(ArticleAudience, max_length=16)
    effective_from = fields.DateField(null=True)
    expires_on = fields.DateField(null=True)
    status = fields.CharEnumField(ArticleStatus, max_length=16, default=ArticleStatus.DRAFT)
    version = fields.IntField(default=1)
    # The title, tags and body cut into words (jieba), space-separated: what the
    # full-text index reads on either database.
    search_tokens = fields.TextField(default="")
    created_by: fields.ForeignKeyRelation[Any] = fields.ForeignKeyField(
        "accounts.Account", related_name=False, on_delete=fields.RESTRICT
    )
    updated_by: fields.ForeignKeyRelation[Any] = fields.ForeignKeyField(
        "accounts.Account", related_name=False, on_delete=fields.RESTRICT
    )
    is_demo = fields.BooleanField(default=False)
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()
    published_at = fields.DatetimeField(null=True)

    class Meta:
        table = "knowledge_article"
        indexes = (("status", "audience"),)


class ArticleRevision(Model):
    """One saved version of an article or a change of its status: who, when, what."""

    id = fields.BigIntField(primary_key=True)
    article: fields.ForeignKeyRelation[Article] = fields.ForeignKeyField(
        "tickets.Article", related_name="revisions", on_delete=fields.RESTRICT
    )
    version = fields.IntField()
    status = fields.CharEnumField(ArticleStatus, max_length=16)
    # The editable fields as they were saved (title, body, tags, audience, dates ...).
    snapshot: fields.JSONField[dict[str, Any]] = fields.JSONField()
    actor: fields.ForeignKeyRelation[Any] = fields.ForeignKeyField(
        "accounts.Account", related_name=False, on_delete=fields.RESTRICT
    )
    note = fields.CharField(max_length=255, default="")
    occurred_at = fields.DatetimeField()

    class Meta:
        table = "knowledge_article_revision"
        indexes = (("article_id",),)
