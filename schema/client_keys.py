"""Client applications' API keys in GraphQL (ADMIN): issue one, revoke one, list them."""

from __future__ import annotations

from datetime import datetime

import strawberry

from accounts import client_keys
from accounts.client_keys import ClientKeyRecord
from accounts.models import Role
from schema.accounts import Account
from schema.context import Context
from schema.errors import UserError, user_errors
from wuyou.errors import DomainError

Info = strawberry.Info[Context, None]


@strawberry.type(
    description="An API key of a client application (an Open311 app, a partner platform), "
    "as listings show it: never the key itself."
)
class ClientKey:
    prefix: str = strawberry.field(description="The key's first characters, to tell keys apart.")
    name: str = strawberry.field(description="The client application.")
    created_at: datetime
    revoked_at: datetime | None
    record: strawberry.Private[ClientKeyRecord]

    @classmethod
    def of(cls, record: ClientKeyRecord) -> ClientKey:
        return cls(
            prefix=record.prefix,
            name=record.name,
            created_at=record.created_at,
            revoked_at=record.revoked_at,
            record=record,
        )

    @strawberry.field(description="The INTEGRATION account the application acts as.")
    async def account(self, info: Info) -> Account | None:
        found = await info.context.loaders.account_by_id.load(self.record.account_id)
        return Account.of(found) if found else None


@strawberry.input
class CreateClientKeyInput:
    username: str = strawberry.field(
        description="The application's INTEGRATION account; its tickets come in on the "
        "channel it is bound to."
    )
    name: str = strawberry.field(description="The client application, 1–64 characters.")


@strawberry.type
class CreateClientKeyPayload:
    key: str | None = strawberry.field(
        description="The new key: shown this once, stored only as a digest."
    )
    client_key: ClientKey | None
    errors: list[UserError]


@strawberry.input
class RevokeClientKeyInput:
    prefix: str


@strawberry.type
class RevokeClientKeyPayload:
    client_key: ClientKey | None
    errors: list[UserError]


@strawberry.type
class ClientKeyQueries:
    @strawberry.field(description="Every client application key, revoked ones too (ADMIN).")
    async def client_keys(self, info: Info) -> list[ClientKey]:
        await info.context.require(Role.ADMIN)
        return [ClientKey.of(record) for record in await client_keys.list_client_keys()]


@strawberry.type
class ClientKeyMutations:
    @strawberry.mutation(description="Issue an API key to a client application (ADMIN).")
    async def create_client_key(
        self, info: Info, input: CreateClientKeyInput
    ) -> CreateClientKeyPayload:
        actor = await info.context.require(Role.ADMIN)
        try:
            issued = await client_keys.issue_client_key_for(
                name=input.name, username=input.username, actor=actor
            )
        except DomainError as error:
            return CreateClientKeyPayload(key=None, client_key=None, errors=user_errors(error))
        return CreateClientKeyPayload(
            key=issued.key, client_key=ClientKey.of(issued.record), errors=[]
        )

    @strawberry.mutation(
        description="Revoke a client application's key (ADMIN): it is refused from now on."
    )
    async def revoke_client_key(
        self, info: Info, input: RevokeClientKeyInput
    ) -> RevokeClientKeyPayload:
        actor = await info.context.require(Role.ADMIN)
        try:
            record = await client_keys.revoke_client_key(input.prefix, actor=actor)
        except DomainError as error:
            return RevokeClientKeyPayload(client_key=None, errors=user_errors(error))
        return RevokeClientKeyPayload(client_key=ClientKey.of(record), errors=[])
