"""Keyset pages: what a domain list function returns to any caller."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


class Listing(Protocol[T_co]):
    """A page of an ordered list as any caller reads it: the items, whether more follow
    or precede, and the whole list's size, counted only when asked for (a list may count
    more than it shows)."""

    @property
    def items(self) -> Sequence[T_co]: ...

    @property
    def has_next_page(self) -> bool: ...

    @property
    def has_previous_page(self) -> bool: ...

    async def count(self) -> int:
        """How many items the whole list holds."""
        ...


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of an ordered list: the items, whether more follow, and the total size.

    Pages are keyed, not numbered: a page starts after the sort key of the last item
    seen, so rows inserted meanwhile never shift or repeat items across pages.
    """

    items: Sequence[T]
    total_count: int
    has_next_page: bool
    has_previous_page: bool

    async def count(self) -> int:
        """How many items the whole list holds (counted with the page)."""
        return self.total_count


def page_from_rows(
    rows: Sequence[T], limit: int, total_count: int, *, after_given: bool
) -> Page[T]:
    """A page from ``rows`` fetched with ``limit + 1``: the extra row says a next page exists."""
    return Page(
        items=list(rows[:limit]),
        total_count=total_count,
        has_next_page=len(rows) > limit,
        has_previous_page=after_given,
    )
