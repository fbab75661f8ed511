"""Per-request DataLoaders: every related object is fetched in batches, never one by one."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable, Mapping, Sequence
from typing import Any, TypeAlias, TypeVar

from strawberry.dataloader import DataLoader

from accounts.service import AccountRecord, get_accounts
from grids.areas import AreaRecord, children_of, get_areas_by_code, get_areas_by_id, get_boundaries
from grids.catalogue import (
    ChannelRecord,
    DepartmentRecord,
    departments_of,
    get_channels_by_id,
    get_departments_by_id,
)
from grids.workers import GridWorkerRecord, grid_of_workers, workers_in_grids, workers_within
from merchants.providers import (
    MerchantRecord,
    OfferingRecord,
    area_ids_of,
    get_merchants,
    offerings_of,
)
from merchants.records import (
    OfferRecord,
    OrderEventRecord,
    OrderRecord,
    get_orders_by_id,
    history_of,
    offers_of_orders,
)
from tickets.categories import (
    CategoryRecord,
    get_categories_by_code,
    get_categories_by_id,
)
from tickets.categories import (
    children_of as category_children_of,
)
from tickets.extensions import ExtensionRecord, extensions_of, get_extensions_by_id
from tickets.history import TicketEventRecord
from tickets.history import history_of as ticket_history_of
from tickets.knowledge.records import (
    ArticleRecord,
    RevisionRecord,
    get_articles_by_id,
    revisions_of,
)
from tickets.merging import merged_into
from tickets.order_links import TicketOrderRecord, links_of_tickets
from tickets.records import TicketRecord, get_tickets_by_id
from tickets.specialists import (
    ConsultationRecord,
    SpecialistRecord,
    consultations_of,
    get_specialists,
)

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
R = TypeVar("R")

#: What a resolver returns that has its value at once when the request holds it already.
AwaitableOrValue: TypeAlias = V | Awaitable[V]


def loaded(loader: DataLoader[K, V], key: K) -> V | asyncio.Future[V]:
    """``loader``'s value for ``key``: at once when the request holds it (primed from a
    statement that read it along, or loaded earlier), else the future of its batch.

    A resolver that returns the value at once costs graphql-core no coroutine and no task.
    """
    future: asyncio.Future[V] = loader.load(key)  # type: ignore[assignment]  # it is one
    if future.done() and not future.cancelled() and future.exception() is None:
        return future.result()
    return future


def then(
    found: V | asyncio.Future[V | None] | None, make: Callable[[V], R]
) -> AwaitableOrValue[R | None]:
    """``make`` of what :func:`loaded` found (None for None): at once when it is there,
    else once its future is done."""
    if isinstance(found, asyncio.Future):
        return _then(found, make)
    return None if found is None else make(found)


async def _then(future: asyncio.Future[V | None], make: Callable[[V], R]) -> R | None:
    found = await future
    return None if found is None else make(found)


def _by_key(
    fetch: Callable[[Sequence[K]], Awaitable[Mapping[K, V]]], *, cache: bool
) -> DataLoader[K, V | None]:
    async def load(keys: list[K]) -> list[V | None]:
        found = await fetch(keys)
        return [found.get(key) for key in keys]

    return DataLoader(load_fn=load, cache=cache)


def _lists(
    fetch: Callable[[Sequence[K]], Awaitable[Mapping[K, list[V]]]], *, cache: bool
) -> DataLoader[K, list[V]]:
    async def load(keys: list[K]) -> list[list[V]]:
        found = await fetch(keys)
        return [found.get(key, []) for key in keys]

    return DataLoader(load_fn=load, cache=cache)


class Loaders:
    """The DataLoaders of one request (or, uncached, of one websocket connection)."""

    def __init__(self, *, cache: bool = True) -> None:
        self.area_by_id: DataLoader[int, AreaRecord | None] = _by_key(get_areas_by_id, cache=cache)
        self.area_by_code: DataLoader[str, AreaRecord | None] = _by_key(
            get_areas_by_code, cache=cache
        )
        self.children: DataLoader[int, list[AreaRecord]] = _lists(children_of, cache=cache)
        self.boundary: DataLoader[int, dict[str, Any] | None] = _by_key(get_boundaries, cache=cache)
        self.workers_in_grid: DataLoader[int, list[GridWorkerRecord]] = _lists(
            workers_in_grids, cache=cache
        )
        self.workers_within: DataLoader[str, list[GridWorkerRecord]] = _lists(
            workers_within, cache=cache
        )
        self.grid_of_worker: DataLoader[int, int | None] = _by_key(grid_of_workers, cache=cache)
        self.department_by_id: DataLoader[int, DepartmentRecord | None] = _by_key(
            get_departments_by_id, cache=cache
        )
        self.department_of_account: DataLoader[int, DepartmentRecord | None] = _by_key(
            departments_of, cache=cache
        )
        self.account_by_id: DataLoader[int, AccountRecord | None] = _by_key(
            get_accounts, cache=cache
        )
        self.merchant_by_id: DataLoader[int, MerchantRecord | None] = _by_key(
            get_merchants, cache=cache
        )
        self.offerings: DataLoader[int, list[OfferingRecord]] = _lists(offerings_of, cache=cache)
        self.merchant_area_ids: DataLoader[int, list[int]] = _lists(area_ids_of, cache=cache)
        self.order_by_id: DataLoader[int, OrderRecord | None] = _by_key(
            get_orders_by_id, cache=cache
        )
        self.order_history: DataLoader[int, list[OrderEventRecord]] = _lists(
            history_of, cache=cache
        )
        self.order_offers: DataLoader[int, list[OfferRecord]] = _lists(
            offers_of_orders, cache=cache
        )
        self.channel_by_id: DataLoader[int, ChannelRecord | None] = _by_key(
            get_channels_by_id, cache=cache
        )
        self.ticket_by_id: DataLoader[int, TicketRecord | None] = _by_key(
            get_tickets_by_id, cache=cache
        )
        self.ticket_history: DataLoader[int, list[TicketEventRecord]] = _lists(
            ticket_history_of, cache=cache
        )
        self.merged_tickets: DataLoader[int, list[TicketRecord]] = _lists(merged_into, cache=cache)
        self.ticket_extensions: DataLoader[int, list[ExtensionRecord]] = _lists(
            extensions_of, cache=cache
        )
        self.extension_by_id: DataLoader[int, ExtensionRecord | None] = _by_key(
            get_extensions_by_id, cache=cache
        )
        self.category_by_id: DataLoader[int, CategoryRecord | None] = _by_key(
            get_categories_by_id, cache=cache
        )
        self.category_by_code: DataLoader[str, CategoryRecord | None] = _by_key(
            get_categories_by_code, cache=cache
        )
        self.category_children: DataLoader[int, list[CategoryRecord]] = _lists(
            category_children_of, cache=cache
        )
        self.ticket_orders: DataLoader[int, list[TicketOrderRecord]] = _lists(
            links_of_tickets, cache=cache
        )
        self.specialist_by_id: DataLoader[int, SpecialistRecord | None] = _by_key(
            get_specialists, cache=cache
        )
        self.ticket_consultations: DataLoader[int, list[ConsultationRecord]] = _lists(
            consultations_of, cache=cache
        )
        self.article_by_id: DataLoader[int, ArticleRecord | None] = _by_key(
            get_articles_by_id, cache=cache
        )
        self.article_revisions: DataLoader[int, list[RevisionRecord]] = _lists(
            revisions_of, cache=cache
        )
