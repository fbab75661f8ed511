"""Account use cases: create, sign in, resolve a token's bearer, look accounts up."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from accounts.models import USERNAME_MAX_LENGTH, Account, AccountEvent, AccountEventKind, Role
from accounts.passwords import hash_password, needs_rehash, verify_password
from accounts.tokens import IssuedToken, TokenClaims, TokenIssuer
from wuyou import clock
from wuyou.errors import DomainError, ErrorCode, Forbidden, Problem, Unauthenticated

USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_.\-]{2,63}$")
PHONE_PATTERN = re.compile(r"^(\+?86)?1[3-9]\d{9}$|^0\d{2,3}-?\d{7,8}$|^\d{5,6}$")
MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 256


@dataclass(frozen=True, slots=True)
class AccountRecord:
    """An account as the rest of the platform sees it (no secrets)."""

    id: int
    username: str
    display_name: str
    role: Role
    phone: str | None
    is_active: bool
    created_at: datetime
    last_login_at: datetime | None

    @classmethod
    def of(cls, account: Account) -> AccountRecord:
        return cls(
            id=account.id,
            username=account.username,
            display_name=account.display_name,
            role=account.role,
            phone=account.phone,
            is_active=account.is_active,
            created_at=account.created_at,
            last_login_at=account.last_login_at,
        )


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is making a request: a verified, active account."""

    account_id: int
    username: str
    role: Role

    def require(self, *roles: Role) -> None:
        """Raise :class:`Forbidden` unless this principal has one of ``roles``."""
        if self.role not in roles:
            raise Forbidden(f"This needs one of the roles {', '.join(r.value for r in roles)}.")


@dataclass(frozen=True, slots=True)
class LoginPolicy:
    """How many wrong passwords lock an account, and for how long."""

    max_failures: int = 5
    lockout: timedelta = timedelta(minutes=15)


@dataclass(frozen=True, slots=True)
class LoginResult:
    account: AccountRecord
    token: IssuedToken


def _username_key(username: str) -> str | None:
    """The stored form of a username; None for strings no account can have."""
    key = username.strip().lower()
    return key if 0 < len(key) <= USERNAME_MAX_LENGTH else None


async def find_account(username: str) -> Account | None:
    """The account with this username (case-insensitive), or None."""
    key = _username_key(username)
    return await Account.get_or_none(username=key) if key else None


def require_role(principal: Principal | None, *roles: Role) -> Principal:
    """The principal, if signed in with one of ``roles``; else Unauthenticated / Forbidden."""
    if principal is None:
        raise Unauthenticated("Sign in to do this.")
    principal.require(*roles)
    return principal


def password_problems(
    password: str, *, field: str = "password", check_policy: bool = True
) -> list[Problem]:
    """What is wrong with a new password (empty when it will do)."""
    if check_policy and len(password) < MIN_PASSWORD_LENGTH:
        return [
            Problem(
                field,
                ErrorCode.TOO_SHORT,
                f"A password needs at least {MIN_PASSWORD_LENGTH} characters.",
            )
        ]
    if len(password) > MAX_PASSWORD_LENGTH:
        return [Problem(field, ErrorCode.TOO_LONG, f"At most {MAX_PASSWORD_LENGTH} characters.")]
    return []


def validate_new_account(
    username: str,
    password: str | None,
    display_name: str,
    phone: str | None,
    *,
    check_password_policy: bool = True,
) -> list[Problem]:
    """Every problem with the fields of a new account (empty when all is well)."""
    problems: list[Problem] = []
    if not USERNAME_PATTERN.match(username):
        problems.append(
            Problem(
                "username",
                ErrorCode.INVALID,
                "Use 3–64 lowercase letters, digits, '.', '_' or '-', "
                "starting with a letter or digit.",
            )
        )
    if password is not None:
        problems += password_problems(password, check_policy=check_password_policy)
    if not display_name.strip():
        problems.append(Problem("displayName", ErrorCode.REQUIRED, "A display name is required."))
    elif len(display_name) > 64:
        problems.append(Problem("displayName", ErrorCode.TOO_LONG, "At most 64 characters."))
    if phone is not None and not PHONE_PATTERN.match(phone):
        problems.append(Problem("phone", ErrorCode.INVALID, "Not a valid phone number."))
    return problems


async def create_account(
    *,
    username: str,
    role: Role,
    display_name: str,
    password: str | None = None,
    phone: str | None = None,
    actor: Principal | None = None,
    is_demo: bool = False,
    check_password_policy: bool = True,
) -> AccountRecord:
    """Create an account. ``password=None`` makes an account that signs in only by token.

    Raises :class:`DomainError` (``INVALID``, ``TOO_SHORT``, ``ALREADY_EXISTS`` ...).
    """
    username = username.strip().lower()
    problems = validate_new_account(
        username, password, display_name, phone, check_password_policy=check_password_policy
    )
    if problems:
        raise DomainError.of(problems)
    now = clock.now()
    password_hash = await hash_password(password) if password is not None else None
    try:
        async with in_transaction():
            account = await Account.create(
                username=username,
                display_name=display_name.strip(),
                role=role,
                phone=phone,
                password_hash=password_hash,
                is_demo=is_demo,
                created_at=now,
                updated_at=now,
            )
            await AccountEvent.create(
                account=account,
                actor_id=actor.account_id if actor else None,
                kind=AccountEventKind.CREATED,
                note=f"role {role.value}",
                occurred_at=now,
            )
    except IntegrityError:
        raise DomainError(
            ErrorCode.ALREADY_EXISTS, f"The username {username!r} is taken.", "username"
        ) from None
    return AccountRecord.of(account)


async def authenticate(
    username: str, password: str, *, issuer: TokenIssuer, policy: LoginPolicy
) -> LoginResult:
    """Check a username and password and issue a token.

    Wrong credentials never say which part was wrong. ``policy.max_failures`` wrong
    passwords in a row lock the account for ``policy.lockout``.
    """
    now = clock.now()
    account = await find_account(username)
    if account is None or account.password_hash is None:
        await verify_password(None, password)
        raise DomainError(
            ErrorCode.INVALID_CREDENTIALS, "The username or password is wrong.", "password"
        )
    if account.locked_until is not None and account.locked_until > now:
        raise DomainError(
            ErrorCode.ACCOUNT_LOCKED,
            "Too many wrong passwords: this account is locked for a while.",
            "username",
        )
    if not await verify_password(account.password_hash, password):
        await _record_failure(account, now, policy)
        raise DomainError(
            ErrorCode.INVALID_CREDENTIALS, "The username or password is wrong.", "password"
        )
    if not account.is_active:
        raise DomainError(ErrorCode.ACCOUNT_DISABLED, "This account is disabled.", "username")
    changes: dict[str, object] = {"failed_logins": 0, "locked_until": None, "last_login_at": now}
    if needs_rehash(account.password_hash):
        changes["password_hash"] = await hash_password(password)
    await Account.filter(id=account.id).update(**changes)
    account.last_login_at = now
    return LoginResult(account=AccountRecord.of(account), token=_issue(issuer, account))


async def change_password(
    principal: Principal, *, current_password: str, new_password: str, issuer: TokenIssuer
) -> LoginResult:
    """Change the principal's own password; every earlier token stops working.

    Returns a fresh token for the session that made the change.
    """
    account = await Account.get(id=principal.account_id)
    if not await verify_password(account.password_hash, current_password):
        raise DomainError(
            ErrorCode.INVALID_CREDENTIALS, "The current password is wrong.", "currentPassword"
        )
    if problems := password_problems(new_password, field="newPassword"):
        raise DomainError.of(problems)
    now = clock.now()
    password_hash = await hash_password(new_password)
    async with in_transaction():
        await Account.filter(id=account.id).update(
            password_hash=password_hash,
            token_version=F("token_version") + 1,
            updated_at=now,
        )
        await AccountEvent.create(
            account=account,
            actor_id=account.id,
            kind=AccountEventKind.PASSWORD_CHANGED,
            occurred_at=now,
        )
    await account.refresh_from_db(fields=["token_version"])
    return LoginResult(account=AccountRecord.of(account), token=_issue(issuer, account))


async def set_account_active(
    *, username: str, active: bool, actor: Principal | None, note: str = ""
) -> AccountRecord:
    """Disable or re-enable an account (ADMIN). Disabling revokes its tokens at once."""
    actor = require_role(actor, Role.ADMIN)
    account = await find_account(username)
    if account is None:
        raise DomainError(ErrorCode.NOT_FOUND, f"No account {username!r}.", "username")
    if account.id == actor.account_id and not active:
        raise DomainError(ErrorCode.INVALID, "You cannot disable your own account.", "username")
    now = clock.now()
    changes: dict[str, object] = {"is_active": active, "updated_at": now}
    if not active:
        changes["token_version"] = F("token_version") + 1
    async with in_transaction():
        changed = await Account.filter(id=account.id, is_active=not active).update(**changes)
        if changed:
            await AccountEvent.create(
                account=account,
                actor_id=actor.account_id,
                note=note,
                occurred_at=now,
                kind=AccountEventKind.REACTIVATED if active else AccountEventKind.DEACTIVATED,
            )
    await account.refresh_from_db()
    return AccountRecord.of(account)


async def _record_failure(account: Account, now: datetime, policy: LoginPolicy) -> None:
    # Counted in the database, so concurrent attempts cannot undercount.
    await Account.filter(id=account.id).update(failed_logins=F("failed_logins") + 1)
    locked = await Account.filter(id=account.id, failed_logins__gte=policy.max_failures).update(
        failed_logins=0, locked_until=now + policy.lockout
    )
    if locked:
        await AccountEvent.create(
            account_id=account.id,
            kind=AccountEventKind.LOCKED,
            note=f"{policy.max_failures} wrong passwords",
            occurred_at=now,
        )


async def issue_service_token(
    *, username: str, role: Role, issuer: TokenIssuer, ttl: timedelta, display_name: str = ""
) -> IssuedToken:
    """A long-lived token for ``username`` (created without a password if missing).

    Used by operators (``wuyou token create``) for channel integrations and scripts.
    An existing account must already have ``role``.
    """
    account = await find_account(username)
    if account is None:
        record = await create_account(
            username=username, role=role, display_name=display_name or username
        )
        account = await Account.get(id=record.id)
    elif account.role is not role:
        raise DomainError(
            ErrorCode.WRONG_ROLE,
            f"{account.username} is a {account.role.value} account, not {role.value}.",
            "role",
        )
    if not account.is_active:
        raise DomainError(ErrorCode.ACCOUNT_DISABLED, "This account is disabled.", "username")
    await AccountEvent.create(
        account=account,
        kind=AccountEventKind.TOKEN_ISSUED,
        note=f"valid {ttl}",
        occurred_at=clock.now(),
    )
    return _issue(issuer, account, ttl)


def _issue(issuer: TokenIssuer, account: Account, ttl: timedelta | None = None) -> IssuedToken:
    return issuer.issue(
        account_id=account.id,
        username=account.username,
        role=account.role,
        token_version=account.token_version,
        ttl=ttl,
    )


async def principal_for(claims: TokenClaims) -> Principal:
    """The principal a token names, if its account is still active and the token not revoked."""
    row = await Account.filter(id=claims.account_id).values("role", "is_active", "token_version")
    if not row or not row[0]["is_active"] or row[0]["token_version"] != claims.token_version:
        raise Unauthenticated("The token is no longer valid; sign in again.")
    return Principal(account_id=claims.account_id, username=claims.username, role=row[0]["role"])


async def get_accounts(ids: Iterable[int]) -> dict[int, AccountRecord]:
    """Accounts by id (missing ids are absent from the result)."""
    wanted = set(ids)
    if not wanted:
        return {}
    return {a.id: AccountRecord.of(a) for a in await Account.filter(id__in=wanted)}


async def get_accounts_by_username(usernames: Iterable[str]) -> list[AccountRecord]:
    """Accounts with these usernames (unknown ones are skipped)."""
    wanted = list({key for u in usernames if (key := _username_key(u))})
    if not wanted:
        return []
    return [AccountRecord.of(a) for a in await Account.filter(username__in=wanted)]
