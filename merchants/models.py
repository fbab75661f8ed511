"""Providers (merchants, mediation organisations, counsellors, law firms), the areas and
service types they serve, and the orders, offers and history of the marketplace."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from tortoise import fields
from tortoise.models import Model

from plugins.service_types import ProviderKind

NAME_MAX_LENGTH = 100
SERVICE_CODE_MAX_LENGTH = 64


class MerchantStatus(StrEnum):
    PENDING = "PENDING"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"
    SUSPENDED = "SUSPENDED"


class OrderStatus(StrEnum):
    PLACED = "PLACED"
    DISPATCHING = "DISPATCHING"
    ACCEPTED = "ACCEPTED"
    IN_SERVICE = "IN_SERVICE"
    COMPLETED = "COMPLETED"
    CANCELLED = "CANCELLED"
    NO_PROVIDER = "NO_PROVIDER"


class OfferStatus(StrEnum):
    PENDING = "PENDING"
    ACCEPTED = "ACCEPTED"
    DECLINED = "DECLINED"
    EXPIRED = "EXPIRED"
    WITHDRAWN = "WITHDRAWN"


class Merchant(Model):
    """A provider registered on the marketplace, its review status and its live load."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=NAME_MAX_LENGTH)
    kind = fields.CharEnumField(ProviderKind, max_length=16)
    # Unified social credit code (统一社会信用代码), 18 characters with a check character.
    credit_code = fields.CharField(max_length=18, unique=True)
    contact_name = fields.CharField(max_length=32)
    contact_phone = fields.CharField(max_length=20)
    address = fields.CharField(max_length=200, default="")
    base_lat = fields.FloatField()
    base_lng = fields.FloatField()
    base_grid: fields.ForeignKeyNullableRelation[Any] = fields.ForeignKeyField(
        "grids.Area", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    description = fields.CharField(max_length=500, default="")
    # Codes of what a provider specialises in, e.g. the dispute types of an industry
    # mediation committee ("MEDICAL", "LABOUR").
    specialties: fields.JSONField[list[str]] = fields.JSONField(default=list)
    capacity = fields.IntField()
    # Orders accepted and not yet completed or cancelled, kept beside capacity so that
    # taking one more is a single conditional update.
    active_orders = fields.IntField(default=0)
    status = fields.CharEnumField(MerchantStatus, max_length=16, default=MerchantStatus.PENDING)
    on_duty = fields.BooleanField(default=False)
    rating_sum = fields.IntField(default=0)
    rating_count = fields.IntField(default=0)
    review_note = fields.CharField(max_length=255, default="")
    is_demo = fields.BooleanField(default=False)
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()
    reviewed_at = fields.DatetimeField(null=True)

    class Meta:
        table = "merchant"
        indexes = (("status", "on_duty", "kind"),)


class MerchantService(Model):
    """A service type a provider offers, with the qualification documents it registered."""

    id = fields.IntField(primary_key=True)
    merchant: fields.ForeignKeyRelation[Merchant] = fields.ForeignKeyField(
        "merchants.Merchant", related_name="services", on_delete=fields.RESTRICT
    )
    service_type = fields.CharField(max_length=SERVICE_CODE_MAX_LENGTH, db_index=True)
    # [{"code", "number", "issuedBy", "validUntil"}], one per qualification document.
    documents: fields.JSONField[list[dict[str, Any]]] = fields.JSONField(default=list)

    class Meta:
        table = "merchant_service"
        unique_together = (("merchant", "service_type"),)


class MerchantArea(Model):
    """An area a provider serves: it covers every grid beneath that area."""

    id = fields.IntField(primary_key=True)
    merchant: fields.ForeignKeyRelation[Merchant] = fields.ForeignKeyField(
        "merchants.Merchant", related_name="areas", on_delete=fields.RESTRICT
    )
    area: fields.ForeignKeyRelation[Any] = fields.ForeignKeyField(
        "grids.Area", related_name=False, on_delete=fields.RESTRICT
    )
    # The area's path ("150300/150302/"): a grid is covered when one of its ancestors'
    # paths (its own included) is listed here, an indexed equality test.
    area_path = fields.CharField(max_length=255, db_index=True)

    class Meta:
        table = "merchant_area"
        unique_together = (("merchant", "area"),)


class MerchantStaff(Model):
    """A MERCHANT account working for one provider."""

    id = fields.IntField(primary_key=True)
    account: fields.OneToOneRelation[Any] = fields.OneToOneField(
        "accounts.Account", related_name="merchant_staff", on_delete=fields.RESTRICT
    )
    merchant: fields.ForeignKeyRelation[Merchant] = fields.ForeignKeyField(
        "merchants.Merchant", related_name="staff", on_delete=fields.RESTRICT
    )
    created_at = fields.DatetimeField()

    class Meta:
        table = "merchant_staff"
        indexes = (("merchant_id",),)


class MerchantEvent(Model):
    """One change to a provider: registered, reviewed, on or off duty."""

    id = fields.BigIntField(primary_key=True)
    merchant: fields.ForeignKeyRelation[Merchant] = fields.ForeignKeyField(
        "merchants.Merchant", related_name="events", on_delete=fields.RESTRICT
    )
    kind = fields.CharField(max_length=24)
    from_status = fields.CharEnumField(MerchantStatus, max_length=16, null=True)
    to_status = fields.CharEnumField(MerchantStatus, max_length=16)
    actor: fields.ForeignKeyNullableRelation[Any] = fields.ForeignKeyField(
        "accounts.Account", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    note = fields.CharField(max_length=255, default="")
    occurred_at = fields.DatetimeField()

    class Meta:
        table = "merchant_event"
        indexes = (("merchant_id",),)


class Order(Model):
    """A citizen's order for a service, from placing to completion."""

    id = fields.BigIntField(primary_key=True)
    # FW + date + a sequence of the day: FW20261127000123.
    number = fields.CharField(max_length=20, unique=True)
    service_type = fields.CharField(max_length=SERVICE_CODE_MAX_LENGTH, db_index=True)
    form: fields.JSONField[dict[str, Any]] = fields.JSONField()
    lat = fields.FloatField()
    lng = fields.FloatField()
    address = fields.CharField(max_length=200)
    grid: fields.ForeignKeyRelation[Any] = fields.ForeignKeyField(
        "grids.Area", related_name=False, on_delete=fields.RESTRICT
    )
    grid_path = fields.CharField(max_length=255, db_index=True)
    contact_name = fields.CharField(max_length=32)
    contact_phone = fields.CharField(max_length=20)
    # The citizen the order is for: the one who placed it, or the one an agent placed
    # it for (when that citizen has an account).
    citizen: fields.ForeignKeyNullableRelation[Any] = fields.ForeignKeyField(
        "accounts.Account", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    placed_by: fields.ForeignKeyRelation[Any] = fields.ForeignKeyField(
        "accounts.Account", related_name=False, on_delete=fields.RESTRICT
    )
    idempotency_key = fields.CharField(max_length=64, null=True)
    # A digest of the request, so a key reused for a different order is refused.
    request_digest = fields.CharField(max_length=64)
    status = fields.CharEnumField(OrderStatus, max_length=16)
    urgent = fields.BooleanField(default=False)
    quoted_amount = fields.DecimalField(max_digits=12, decimal_places=2, null=True)
    quote: fields.JSONField[dict[str, Any]] = fields.JSONField()
    final_amount = fields.DecimalField(max_digits=12, decimal_places=2, null=True)
    outcome = fields.CharField(max_length=32, null=True)
    outcome_note = fields.TextField(default="")
    merchant: fields.ForeignKeyNullableRelation[Merchant] = fields.ForeignKeyField(
        "merchants.Merchant", related_name="orders", null=True, on_delete=fields.RESTRICT
    )
    # A second provider paired in on acceptance (the community mediator beside a counsellor).
    companion: fields.ForeignKeyNullableRelation[Merchant] = fields.ForeignKeyField(
        "merchants.Merchant", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    # Incremented each time offers go out, and the conditional update on it makes one
    # worker, not two, send the next round.
    dispatch_round = fields.IntField(default=0)
    status_reason = fields.CharField(max_length=255, default="")
    stars = fields.SmallIntField(null=True)
    rating_comment = fields.CharField(max_length=500, default="")
    placed_at = fields.DatetimeField()
    accepted_at = fields.DatetimeField(null=True)
    started_at = fields.DatetimeField(null=True)
    finished_at = fields.DatetimeField(null=True)
    updated_at = fields.DatetimeField()

    class Meta:
        table = "service_order"
        unique_together = (("placed_by", "idempotency_key"),)
        indexes = (("status", "placed_at"), ("merchant_id", "status"), ("citizen_id", "placed_at"))


class Offer(Model):
    """An order offered to one provider, which may accept it until ``expires_at``."""

    id = fields.BigIntField(primary_key=True)
    order: fields.ForeignKeyRelation[Order] = fields.ForeignKeyField(
        "merchants.Order", related_name="offers", on_delete=fields.RESTRICT
    )
    merchant: fields.ForeignKeyRelation[Merchant] = fields.ForeignKeyField(
        "merchants.Merchant", related_name="offers", on_delete=fields.RESTRICT
    )
    round = fields.IntField()
    rank = fields.IntField()
    distance_km = fields.FloatField()
    status = fields.CharEnumField(OfferStatus, max_length=16)
    offered_at = fields.DatetimeField()
    expires_at = fields.DatetimeField()
    responded_at = fields.DatetimeField(null=True)
    decline_reason = fields.CharField(max_length=200, default="")

    class Meta:
        table = "offer"
        unique_together = (("order", "merchant"),)
        indexes = (("status", "expires_at"), ("merchant_id", "status"))


class OrderEvent(Model):
    """One transition of an order: from, to, who, when and why."""

    id = fields.BigIntField(primary_key=True)
    order: fields.ForeignKeyRelation[Order] = fields.ForeignKeyField(
        "merchants.Order", related_name="history", on_delete=fields.RESTRICT
    )
    from_status = fields.CharEnumField(OrderStatus, max_length=16, null=True)
    to_status = fields.CharEnumField(OrderStatus, max_length=16)
    actor: fields.ForeignKeyNullableRelation[Any] = fields.ForeignKeyField(
        "accounts.Account", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    merchant: fields.ForeignKeyNullableRelation[Merchant] = fields.ForeignKeyField(
        "merchants.Merchant", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    note = fields.CharField(max_length=255, default="")
    occurred_at = fields.DatetimeField()

    class Meta:
        table = "order_event"
        indexes = (("order_id",),)
