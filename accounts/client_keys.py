"""API keys of client applications: issued once, kept as digests, revocable.

A client application (an Open311 app, a partner platform) acts as an INTEGRATION
service account; each of its keys names that account. A request bearing a key is
treated as that account's, as long as the key is not revoked and the account active.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from accounts.models import Account, ClientKey, Role
from accounts.service import Principal, find_account, require_role
from wuyou import clock
from wuyou.errors import DomainError, ErrorCode

#: Every key starts with this, so that a leaked one is recognisable in logs and scans.
KEY_PREFIX = "wy_"
#: How many characters of a key its listing shows (the prefix included).
SHOWN = 12
NAME_MAX_LENGTH = 64


@dataclass(frozen=True, slots=True)
class ClientKeyRecord:
    """A key as listings show it: never the key itself."""

    id: int
    name: str
    prefix: str
    account_id: int
    created_at: datetime
    revoked_at: datetime | None


@dataclass(frozen=True, slots=True)
class IssuedClientKey:
    """A new key: ``key`` is shown this once and stored nowhere."""

    key: str
    record: ClientKeyRecord


_COLUMNS = tuple(ClientKeyRecord.__dataclass_fields__)


def digest_of(key: str) -> str:
    """The stored form of ``key``."""
    return hashlib.sha256(key.encode()).hexdigest()


async def issue_client_key(
    *, name: str, account_id: int, actor: Principal | None, account_field: str = "account"
) -> IssuedClientKey:
    """A new key for the INTEGRATION account ``account_id`` (ADMIN; ``actor=None`` is the
    operator at the command line). Raises :class:`DomainError` for a bad name or account
    (on ``account_field``, the name the caller's input gives the account)."""
    if actor is not None:
        require_role(actor, Role.ADMIN)
    name = name.strip()
    if not name or len(name) > NAME_MAX_LENGTH:
        raise DomainError(ErrorCode.INVALID, "Name the application in 1–64 characters.", "name")
    account = await Account.get_or_none(id=account_id)
    if account is None or account.role is not Role.INTEGRATION:
        raise DomainError(
            ErrorCode.WRONG_ROLE, "Client keys belong to INTEGRATION accounts.", account_field
        )
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    row = await ClientKey.create(
        name=name,
        prefix=key[:SHOWN],
        digest=digest_of(key),
        account_id=account_id,
        created_by_id=actor.account_id if actor else None,
        created_at=clock.now(),
    )
    return IssuedClientKey(key, ClientKeyRecord(**{c: getattr(row, c) for c in _COLUMNS}))


async def issue_client_key_for(
    *, name: str, username: str, actor: Principal | None
) -> IssuedClientKey:
    """:func:`issue_client_key` for the account ``username`` (NOT_FOUND on ``username``
    when there is none)."""
    if actor is not None:
        require_role(actor, Role.ADMIN)
    account = await find_account(username)
    if account is None:
        raise DomainError(ErrorCode.NOT_FOUND, f"No account {username!r}.", "username")
    return await issue_client_key(
        name=name, account_id=account.id, actor=actor, account_field="username"
    )


async def revoke_client_key(prefix: str, *, actor: Principal | None) -> ClientKeyRecord:
    """Revoke the key whose listing shows ``prefix`` (ADMIN; None: the operator). Revoking
    a revoked key changes nothing. Raises NOT_FOUND for an unknown prefix."""
    if actor is not None:
        require_role(actor, Role.ADMIN)
    await ClientKey.filter(prefix=prefix, revoked_at=None).update(revoked_at=clock.now())
    rows = await ClientKey.filter(prefix=prefix).values(*_COLUMNS)
    if not rows:
        raise DomainError(ErrorCode.NOT_FOUND, f"No client key {prefix!r}.", "prefix")
    return ClientKeyRecord(**rows[0])


async def list_client_keys() -> list[ClientKeyRecord]:
    """Every key, revoked ones too, oldest first."""
    rows = await ClientKey.all().order_by("id").values(*_COLUMNS)
    return [ClientKeyRecord(**row) for row in rows]


async def principal_for_key(key: str) -> Principal | None:
    """Who a request bearing ``key`` acts as: None for an unknown or revoked key, or one
    whose account is disabled."""
    if not key.startswith(KEY_PREFIX) or len(key) > 128:
        return None
    rows = await ClientKey.filter(digest=digest_of(key), revoked_at=None).values(
        "account_id", "account__username", "account__role", "account__is_active"
    )
    if not rows or not rows[0]["account__is_active"]:
        return None
    row = rows[0]
    return Principal(
        account_id=row["account_id"], username=row["account__username"], role=row["account__role"]
    )
