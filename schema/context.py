"""The per-request context every resolver receives."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from strawberry.dataloader import DataLoader
from tortoise.expressions import Q

from accounts.models import Role
from accounts.service import LoginPolicy, Principal, principal_for, require_role
from accounts.tokens import TokenIssuer
from merchants.providers import merchant_of
from schema.dataloaders import Loaders
from tickets.knowledge.articles import readable_ids
from tickets.knowledge.records import DEPARTMENT_EDITORS, readable_by
from tickets.visibility import scope, visible_ids
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
    _principal: asyncio.Future[Principal | None] | None = field(
        default=None, init=False, repr=False
    )
    _merchant_id: int | None = field(default=None, init=False, repr=False)
    _ticket_visible: DataLoader[int, bool] | None = field(default=None, init=False, repr=False)
    _ticket_scope: Q | None = field(default=None, init=False, repr=False)
    _article_readable: DataLoader[int, bool] | None = field(default=None, init=False, repr=False)

    async def principal(self) -> Principal | None:
        """The signed-in principal, None when anonymous; an invalid token raises UNAUTHENTICATED.

        Checked once per request: resolvers asking at the same time share one lookup.
        """
        if self._principal is None:
            self._principal = asyncio.ensure_future(self._verify())
        elif self._principal.done():  # as it is for all but the first resolvers
            return self._principal.result()
        return await asyncio.shield(self._principal)

    async def _verify(self) -> Principal | None:
        if self.token is None:
            return None
        return await principal_for(self.services.issuer.decode(self.token))

    async def require(self, *roles: Role) -> Principal:
        """The principal, if signed in with one of ``roles`` (all roles when none given)."""
        principal = await self.principal()
        if principal is None:
            raise Unauthenticated("Sign in to do this.")
        return require_role(principal, *(roles or tuple(Role)))

    async def reverify(self) -> Principal:
        """Check the token again, uncached: a subscription outlives requests, and its token
        may meanwhile expire or be revoked (password changed, account disabled)."""
        if self.token is None:
            raise Unauthenticated("Sign in to do this.")
        return await principal_for(self.services.issuer.decode(self.token))

    def ticket_visible(self) -> DataLoader[int, bool]:
        """Whether the signed-in principal sees each ticket id, batched per request: a
        page's linked tickets (duplicates, merged ones) cost one query, not one each."""
        if self._ticket_visible is None:

            async def load(ids: list[int]) -> list[bool]:
                principal = await self.principal()
                if self._ticket_scope is None and principal is not None:
                    self._ticket_scope = await scope(principal)
                seen = await visible_ids(principal, ids, within=self._ticket_scope)
                return [i in seen for i in ids]

            self._ticket_visible = DataLoader(load_fn=load)
        return self._ticket_visible

    async def own_department_id(self) -> int | None:
        """The department the signed-in DEPARTMENT account works for (None for anyone
        else), looked up once per request however many resolvers ask."""
        principal = await self.principal()
        if principal is None or principal.role not in DEPARTMENT_EDITORS:
            return None
        department = await self.loaders.department_of_account.load(principal.account_id)
        return department.id if department else None

    def article_readable(self) -> DataLoader[int, bool]:
        """Whether the signed-in principal may read each knowledge-base article id,
        batched per request: a page of tickets' cited articles costs one query."""
        if self._article_readable is None:

            async def load(ids: list[int]) -> list[bool]:
                principal = await self.principal()
                within = readable_by(principal, await self.own_department_id())
                seen = await readable_ids(principal, ids, within=within)
                return [i in seen for i in ids]

            self._article_readable = DataLoader(load_fn=load)
        return self._article_readable

    async def own_merchant(self) -> int:
        """The provider the signed-in MERCHANT account works for (FORBIDDEN otherwise)."""
        if self._merchant_id is None:
            self._merchant_id = await merchant_of(await self.principal())
        return self._merchant_id
