"""Account and its history."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

USERNAME_MAX_LENGTH = 64


class Role(StrEnum):
    """What an account is for; decides what it may see and do."""

    ADMIN = "ADMIN"
    AGENT = "AGENT"
    DEPARTMENT = "DEPARTMENT"
    GRID_WORKER = "GRID_WORKER"
    MERCHANT = "MERCHANT"
    CITIZEN = "CITIZEN"
    # A channel integration's service account (a mini program's back end, a partner
    # platform): it submits tickets on its own channel and follows those it submitted.
    INTEGRATION = "INTEGRATION"
    # A policy specialist of a department (政策专家), invited onto desk tickets to answer.
    SPECIALIST = "SPECIALIST"


class AccountEventKind(StrEnum):
    CREATED = "CREATED"
    PASSWORD_CHANGED = "PASSWORD_CHANGED"
    LOCKED = "LOCKED"
    DEACTIVATED = "DEACTIVATED"
    REACTIVATED = "REACTIVATED"
    TOKEN_ISSUED = "TOKEN_ISSUED"


class Account(Model):
    """A person or integration that signs in."""

    id = fields.IntField(primary_key=True)
    username = fields.CharField(max_length=USERNAME_MAX_LENGTH, unique=True)
    display_name = fields.CharField(max_length=64)
    role = fields.CharEnumField(Role, max_length=16, db_index=True)
    phone = fields.CharField(max_length=20, null=True)
    # argon2 hash; ``None`` for accounts that cannot sign in with a password
    # (service accounts use tokens from ``wuyou token create``).
    password_hash = fields.CharField(max_length=255, null=True)
    is_active = fields.BooleanField(default=True)
    # Bumped to revoke every token issued before (password change, deactivation).
    token_version = fields.IntField(default=0)
    failed_logins = fields.IntField(default=0)
    locked_until = fields.DatetimeField(null=True)
    last_login_at = fields.DatetimeField(null=True)
    # Created by the demo seed (``demo-*`` accounts): never present unless asked for.
    is_demo = fields.BooleanField(default=False)
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()

    class Meta:
        table = "account"


class AccountEvent(Model):
    """One change to an account: what happened, who did it, when."""

    id = fields.BigIntField(primary_key=True)
    account: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "accounts.Account", related_name="events", on_delete=fields.RESTRICT
    )
    actor: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField(
        "accounts.Account", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    kind = fields.CharEnumField(AccountEventKind, max_length=24)
    note = fields.CharField(max_length=255, default="")
    occurred_at = fields.DatetimeField()

    class Meta:
        table = "account_event"
        indexes = (("account_id",),)


class ClientKey(Model):
    """An API key of a client application (an Open311 app, a partner's back end).

    The key itself is shown once, when it is created; only its SHA-256 digest is kept
    (the key is 256 random bits, so a slow hash adds nothing), with its first characters
    to tell keys apart in listings. The application acts as ``account``, an INTEGRATION
    service account. Revoking sets ``revoked_at``; nothing is deleted.
    """

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=64)
    prefix = fields.CharField(max_length=16, unique=True)
    digest = fields.CharField(max_length=64, unique=True)
    account: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "accounts.Account", related_name="client_keys", on_delete=fields.RESTRICT
    )
    created_by: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField(
        "accounts.Account", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    created_at = fields.DatetimeField()
    revoked_at = fields.DatetimeField(null=True)

    class Meta:
        table = "client_key"
