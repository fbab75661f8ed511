"""Accounts in GraphQL: who am I, signing in, creating accounts."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import strawberry
from strawberry import relay

from accounts import service
from accounts.models import Role
from accounts.service import AccountRecord
from grids.staff import create_account_with_placement
from schema.context import Context
from schema.errors import UserError, user_errors
from schema.grids import Area, Department
from wuyou.errors import DomainError, Forbidden

strawberry.enum(Role, description="What an account is for; decides what it may see and do.")

Info = strawberry.Info[Context, None]


@strawberry.type(description="A person or integration that signs in.")
class Account(relay.Node):
    username: str
    display_name: str
    role: Role
    phone: str | None
    is_active: bool
    created_at: datetime
    last_login_at: datetime | None
    record: strawberry.Private[AccountRecord]

    @classmethod
    def resolve_id(cls, root: Account, *, info: Info) -> str:
        return root.username

    @classmethod
    def of(cls, record: AccountRecord) -> Account:
        return cls(
            username=record.username,
            display_name=record.display_name,
            role=record.role,
            phone=record.phone,
            is_active=record.is_active,
            created_at=record.created_at,
            last_login_at=record.last_login_at,
            record=record,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Account | None]:
        """Accounts are visible to themselves and to administrators only."""
        principal = await info.context.require()
        wanted = list(node_ids)
        if principal.role is not Role.ADMIN and any(u != principal.username for u in wanted):
            raise Forbidden("Only administrators see other accounts.")
        found = {r.username: r for r in await service.get_accounts_by_username(wanted)}
        return [cls.of(found[u]) if u in found else None for u in wanted]

    @strawberry.field(description="The department a DEPARTMENT account works for.")
    async def department(self, info: Info) -> Department | None:
        if self.role is not Role.DEPARTMENT:
            return None
        record = await info.context.loaders.department_of_account.load(self.record.id)
        return Department.of(record) if record else None

    @strawberry.field(description="The grid a GRID_WORKER account serves now.")
    async def grid(self, info: Info) -> Area | None:
        if self.role is not Role.GRID_WORKER:
            return None
        grid_id = await info.context.loaders.grid_of_worker.load(self.record.id)
        if grid_id is None:
            return None
        record = await info.context.loaders.area_by_id.load(grid_id)
        return Area.of(record) if record else None


@strawberry.input
class LoginInput:
    username: str
    password: str


@strawberry.type
class LoginPayload:
    token: str | None = strawberry.field(
        description="Send as `Authorization: Bearer <token>`, or as `Authorization` / `token` "
        "in the graphql-transport-ws connection_init payload."
    )
    expires_at: datetime | None
    account: Account | None
    errors: list[UserError]


@strawberry.input
class CreateAccountInput:
    username: str
    role: Role
    display_name: str
    password: str | None = strawberry.field(
        default=None, description="At least 8 characters; null for token-only service accounts."
    )
    phone: str | None = None
    department_code: str | None = strawberry.field(
        default=None, description="Required for DEPARTMENT accounts."
    )
    grid_code: str | None = strawberry.field(
        default=None, description="For GRID_WORKER accounts: the grid they serve."
    )
    channel_code: str | None = strawberry.field(
        default=None,
        description="Required for INTEGRATION accounts: the one channel they submit on.",
    )


@strawberry.type
class CreateAccountPayload:
    account: Account | None
    errors: list[UserError]


@strawberry.input
class ChangePasswordInput:
    current_password: str
    new_password: str = strawberry.field(description="At least 8 characters.")


@strawberry.type
class ChangePasswordPayload:
    token: str | None = strawberry.field(
        description="A fresh token: every token issued before the change stops working."
    )
    expires_at: datetime | None
    account: Account | None
    errors: list[UserError]


@strawberry.input
class SetAccountActiveInput:
    username: str
    active: bool
    note: str = ""


@strawberry.type
class SetAccountActivePayload:
    account: Account | None
    errors: list[UserError]


@strawberry.type
class AccountQueries:
    @strawberry.field(description="The signed-in account; null when anonymous.")
    async def me(self, info: Info) -> Account | None:
        principal = await info.context.principal()
        if principal is None:
            return None
        record = await info.context.loaders.account_by_id.load(principal.account_id)
        return Account.of(record) if record else None


@strawberry.type
class AccountMutations:
    @strawberry.mutation(description="Sign in with a username and password.")
    async def login(self, info: Info, input: LoginInput) -> LoginPayload:
        services = info.context.services
        try:
            result = await service.authenticate(
                input.username,
                input.password,
                issuer=services.issuer,
                policy=services.login_policy,
            )
        except DomainError as error:
            return LoginPayload(
                token=None, expires_at=None, account=None, errors=user_errors(error)
            )
        return LoginPayload(
            token=result.token.token,
            expires_at=result.token.expires_at,
            account=Account.of(result.account),
            errors=[],
        )

    @strawberry.mutation(description="Create an account (ADMIN).")
    async def create_account(self, info: Info, input: CreateAccountInput) -> CreateAccountPayload:
        actor = await info.context.require(Role.ADMIN)
        try:
            record = await create_account_with_placement(
                username=input.username,
                role=input.role,
                display_name=input.display_name,
                password=input.password,
                phone=input.phone,
                actor=actor,
                department_code=input.department_code,
                grid_code=input.grid_code,
                channel_code=input.channel_code,
            )
        except DomainError as error:
            return CreateAccountPayload(account=None, errors=user_errors(error))
        return CreateAccountPayload(account=Account.of(record), errors=[])

    @strawberry.mutation(description="Change your own password.")
    async def change_password(
        self, info: Info, input: ChangePasswordInput
    ) -> ChangePasswordPayload:
        principal = await info.context.require()
        try:
            result = await service.change_password(
                principal,
                current_password=input.current_password,
                new_password=input.new_password,
                issuer=info.context.services.issuer,
            )
        except DomainError as error:
            return ChangePasswordPayload(
                token=None, expires_at=None, account=None, errors=user_errors(error)
            )
        return ChangePasswordPayload(
            token=result.token.token,
            expires_at=result.token.expires_at,
            account=Account.of(result.account),
            errors=[],
        )

    @strawberry.mutation(description="Disable or re-enable an account (ADMIN).")
    async def set_account_active(
        self, info: Info, input: SetAccountActiveInput
    ) -> SetAccountActivePayload:
        actor = await info.context.require(Role.ADMIN)
        try:
            record = await service.set_account_active(
                username=input.username, active=input.active, actor=actor, note=input.note
            )
        except DomainError as error:
            return SetAccountActivePayload(account=None, errors=user_errors(error))
        return SetAccountActivePayload(account=Account.of(record), errors=[])
