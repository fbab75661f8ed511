"""The per-request context every resolver receives."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from accounts.models import Role
from accounts.service import LoginPolicy, Principal, principal_for, require_role
from accounts.tokens import TokenIssuer
from schema.dataloaders import Loaders
from wuyou.errors import Unauthenticated


@dataclass(frozen=True, slots=True)
class Services:
    """What the schema needs from the running app, fixed at start-up."""

    issuer: TokenIssuer
    login_policy: LoginPolicy


@dataclass
class Context:
    """Who is asking (lazily verified), the request's DataLoaders, and the app's services.

    ``token`` is the bearer token the request carried, if any: from the
    ``Authorization`` header on HTTP, from the ``connection_init`` payload on websockets.
    """

    services: Services
    request: Any = None
    response: Any = None
    token: str | None = None
    request_id: str | None = None
    loaders: Loaders = field(default_factory=Loaders)
    connection_params: dict[str, Any] | None = None
    _principal: Principal | None = field(default=None, init=False, repr=False)
    _checked: bool = field(default=False, init=False, repr=False)

    async def principal(self) -> Principal | None:
        """The signed-in principal, None when anonymous; an invalid token raises UNAUTHENTICATED."""
        if not self._checked:
            if self.token is not None:
                claims = self.services.issuer.decode(self.token)
                self._principal = await principal_for(claims)
            self._checked = True
        return self._principal

    async def require(self, *roles: Role) -> Principal:
        """The principal, if signed in with one of ``roles`` (all roles when none given)."""
        principal = await self.principal()
        if principal is None:
            raise Unauthenticated("Sign in to do this.")
        return require_role(principal, *(roles or tuple(Role)))
