"""Open311 client applications: each an INTEGRATION account on the Open311 channel,
with API keys an operator issues and revokes."""

from __future__ import annotations

import re
import secrets

from tortoise.transactions import in_transaction

from accounts.client_keys import IssuedClientKey, issue_client_key, issue_client_key_for
from accounts.models import Role
from accounts.service import Principal, create_account
from api.open311.intake import CHANNEL_CODE, CHANNEL_NAME
from grids.catalogue import bind_channel, ensure_channel
from grids.models import ChannelKind

_NOT_SLUG = re.compile(r"[^a-z0-9]+")


async def create_client_key(
    *, name: str, account: str | None = None, actor: Principal | None = None
) -> IssuedClientKey:
    """A new API key for the Open311 client application ``name``.

    Without ``account`` the application gets an INTEGRATION account of its own
    (``open311-<name>-<random>``) bound to the Open311 channel (created if missing); with
    it, the key is one more for that INTEGRATION account (to rotate keys), whose tickets
    come in on the channel it is bound to. All of it or none is written.
    """
    async with in_transaction():
        await ensure_channel(CHANNEL_CODE, CHANNEL_NAME, ChannelKind.ONLINE)
        if account is None:
            slug = _NOT_SLUG.sub("-", name.lower()).strip("-")[:40]
            username = "-".join(p for p in ("open311", slug, secrets.token_hex(3)) if p)
            record = await create_account(
                username=username, role=Role.INTEGRATION, display_name=name[:64] or username
            )
            await bind_channel(record.id, CHANNEL_CODE)
            return await issue_client_key(name=name, account_id=record.id, actor=actor)
        return await issue_client_key_for(name=name, username=account, actor=actor)
