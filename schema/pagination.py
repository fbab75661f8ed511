"""Relay connections over keyset pages, with a capped page size."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

import strawberry
from strawberry import relay
from strawberry.relay.types import NodeType

from schema.errors import BadUserInput
from wuyou.pagination import Listing

R = TypeVar("R")

PAGE_SIZE_CAP = 100
DEFAULT_PAGE_SIZE = 20


def encode_cursor(kind: str, key: str) -> str:
    """An opaque cursor for the item with sort key ``key`` in a list of ``kind``."""
    return base64.urlsafe_b64encode(f"{kind}:{key}".encode()).decode()


def decode_cursor(kind: str, cursor: str | None) -> str | None:
    """The sort key inside a cursor made by :func:`encode_cursor`; BAD_USER_INPUT otherwise."""
    if cursor is None:
        return None
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise BadUserInput("after", "The cursor is malformed.") from None
    prefix, _, key = text.partition(":")
    if prefix != kind or not key:
        raise BadUserInput("after", "The cursor belongs to another list.")
    return key


def page_size(first: int | None) -> int:
    """``first`` checked against the cap (default :data:`DEFAULT_PAGE_SIZE`)."""
    if first is None:
        return DEFAULT_PAGE_SIZE
    if first < 0:
        raise BadUserInput("first", "first cannot be negative.")
    if first > PAGE_SIZE_CAP:
        raise BadUserInput("first", f"first is capped at {PAGE_SIZE_CAP}; page with after.")
    return first


@strawberry.type(description="A page of a list, in Relay's connection form, with the total.")
class Connection(relay.Connection[NodeType]):
    #: Counts the whole list; called only when ``totalCount`` is selected.
    counter: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="How many items the whole list holds.")
    async def total_count(self) -> int:
        return await self.counter()

    @classmethod
    def of(
        cls,
        page: Listing[R],
        *,
        kind: str,
        key: Callable[[R], str],
        node: Callable[[R], NodeType],
    ) -> Connection[NodeType]:
        """Wrap a domain page: ``key`` gives each item's sort key, ``node`` its GraphQL type."""
        items: Sequence[R] = page.items
        edges = [
            relay.Edge(node=node(item), cursor=encode_cursor(kind, key(item))) for item in items
        ]
        return cls(
            edges=edges,
            page_info=relay.PageInfo(
                has_next_page=page.has_next_page,
                has_previous_page=page.has_previous_page,
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=edges[-1].cursor if edges else None,
            ),
            counter=page.count,
        )
