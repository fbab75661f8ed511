"""Bearer tokens: signed JWTs naming an account, its role and its token version."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import jwt

from accounts.models import Role
from wuyou import clock
from wuyou.errors import Unauthenticated

_ALGORITHM = "HS256"
_ISSUER = "wuyou"


@dataclass(frozen=True, slots=True)
class TokenClaims:
    """What a valid token says about its bearer."""

    account_id: int
    username: str
    role: Role
    token_version: int
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """A signed token and the moment it stops working."""

    token: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class TokenIssuer:
    """Signs and checks tokens with one secret."""

    secret_key: str
    ttl: timedelta

    def issue(
        self,
        *,
        account_id: int,
        username: str,
        role: Role,
        token_version: int,
        ttl: timedelta | None = None,
    ) -> IssuedToken:
        """A token for the account, valid for ``ttl`` (default: the issuer's)."""
        issued_at = clock.now()
        expires_at = issued_at + (ttl or self.ttl)
        payload = {
            "iss": _ISSUER,
            "sub": str(account_id),
            "usr": username,
            "rol": role.value,
            "ver": token_version,
            "iat": int(issued_at.timestamp()),
            "exp": int(expires_at.timestamp()),
        }
        token = jwt.encode(payload, self.secret_key, algorithm=_ALGORITHM)
        return IssuedToken(token=token, expires_at=expires_at.replace(microsecond=0))

    def decode(self, token: str) -> TokenClaims:
        """The claims of a valid token; raises :class:`Unauthenticated` otherwise."""
        try:
            payload = jwt.decode(
                token,
                self.secret_key,
                algorithms=[_ALGORITHM],
                issuer=_ISSUER,
                # Times are checked against the platform clock below, not the OS clock.
                options={
                    "require": ["exp", "iat", "sub", "iss"],
                    "verify_exp": False,
                    "verify_iat": False,
                    "verify_nbf": False,
                },
            )
            claims = TokenClaims(
                account_id=int(payload["sub"]),
                username=str(payload["usr"]),
                role=Role(payload["rol"]),
                token_version=int(payload["ver"]),
                expires_at=datetime.fromtimestamp(int(payload["exp"]), tz=clock.now().tzinfo),
            )
        except (jwt.PyJWTError, KeyError, ValueError, TypeError):
            raise Unauthenticated("The token is invalid.") from None
        if claims.expires_at <= clock.now():
            raise Unauthenticated("The token has expired; sign in again.")
        return claims
