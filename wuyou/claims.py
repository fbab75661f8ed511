"""Claiming due rows, so that the workers sweeping at once share the work.

A sweep hands its due rows to a handler one at a time, each inside a transaction of the
row's own that begins by locking it (``SELECT … FOR NO KEY UPDATE SKIP LOCKED`` on
PostgreSQL): a row one worker holds is passed over by the others, which take the next
ones, and a worker that dies mid-row loses the lock with its connection, its transaction
rolls back and the row is due again for the next sweep of any worker. Locks are taken
row by row, not for a whole batch, so that each row's events go out as soon as it
commits (:func:`wuyou.events.after_commit`) and no row stays locked while others are
worked on.

SQLite has no row locks (Tortoise drops the clause) and one writer at a time: there, as
everywhere, the handler's conditional update is what makes each row processed once.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, TypeVar

from tortoise.expressions import Q
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from wuyou import events

T = TypeVar("T")
Row = dict[str, Any]


async def sweep(
    due: QuerySet[Any],
    columns: Sequence[str],
    handle: Callable[[Row], Awaitable[T]],
    *,
    order: Sequence[str],
    limit: int,
    skip: tuple[type[Exception], ...] = (),
) -> list[T]:
    """Claim up to ``limit`` rows of ``due``, one at a time in ``order`` (columns ending
    with a unique one), and hand each as a dict of ``columns`` to ``handle``, inside the
    row's transaction and an :func:`~wuyou.events.after_commit` block.

    Rows other transactions hold are passed over, and no row is handed over twice in one
    sweep. An exception of a ``skip`` type rolls its row back and the sweep goes on; any
    other ends the sweep. Returns what ``handle`` returned for each row, in order.
    """
    wanted = list(dict.fromkeys([*columns, *order]))
    claim = (
        due.order_by(*order).select_for_update(skip_locked=True, no_key=True).limit(1).only(*wanted)
    )
    # Without row locks the claim reads first: an SQLite transaction that reads before it
    # writes fails if another process writes in between.
    locks = claim.capabilities.support_for_update
    handled: list[T] = []
    after: Q | None = None
    for _ in range(limit):
        query = claim if after is None else claim.filter(after)
        row = None if locks else await _first(query, wanted)
        if row is None and not locks:
            break
        try:
            async with events.after_commit(), in_transaction():
                if locks:
                    row = await _first(query, wanted)
                if row is None:
                    break
                after = _after(order, row)
                handled.append(await handle({c: row[c] for c in columns}))
        except skip:
            continue
    return handled


async def _first(query: QuerySet[Any], columns: Sequence[str]) -> Row | None:
    found = await query.all()  # a copy: a query remembers the connection it first ran on
    return {c: getattr(found[0], c) for c in columns} if found else None


def _after(order: Sequence[str], row: Mapping[str, Any]) -> Q:
    """The rows after ``row`` in ``order``: the keyset a sweep moves along."""
    return Q(
        *(
            Q(**{c: row[c] for c in order[:i]}, **{f"{column}__gt": row[column]})
            for i, column in enumerate(order)
        ),
        join_type="OR",
    )
