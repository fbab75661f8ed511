"""Resolving many awaitables together without a task for each.

graphql-core awaits every async field in a task or a gathered coroutine of its own; for a
page of 50 tickets with a dozen async fields that is hundreds of tasks, each costing more
than the field itself. :func:`resolve_all` steps the resolvers' coroutines by hand in one
loop instead, the way an asyncio task steps its one coroutine: each runs until it waits on
a future; once every one of them waits (so a DataLoader sends one batch for all of them),
the event loop runs until one of those futures is done, and whoever can go on goes on.
Resolvers that wait on nothing (most of them) finish on their first step.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Generator, Sequence
from typing import Any


class Unsupported(Exception):
    """An awaitable waited on something other than an asyncio future: not ours to step."""


async def resolve_all(awaitables: Sequence[Awaitable[Any]]) -> list[Any]:
    """The results of ``awaitables``, in order. The first exception raised is raised on,
    and the awaitables not finished by then are closed."""
    steps: list[Generator[Any, None, Any]] = [a.__await__() for a in awaitables]
    results: list[Any] = [None] * len(steps)
    ready = list(range(len(steps)))
    waiting: dict[int, asyncio.Future[Any] | None] = {}
    try:
        while ready or waiting:
            for i in ready:
                try:
                    yielded = steps[i].send(None)
                except StopIteration as done:
                    results[i] = done.value
                    continue
                if yielded is not None and not asyncio.isfuture(yielded):
                    raise Unsupported(f"awaited {type(yielded).__name__}")
                if yielded is not None:
                    yielded._asyncio_future_blocking = False  # as a task does when it waits
                waiting[i] = yielded  # None: a bare yield (asyncio.sleep(0))
            futures = {f for f in waiting.values() if f is not None}
            if None in waiting.values():
                await asyncio.sleep(0)
            elif futures:
                # Those waiting on a lock another one holds go on once it is released:
                # resume whoever can go on, never wait for all.
                await asyncio.wait(futures, return_when=asyncio.FIRST_COMPLETED)
            ready = [i for i, f in waiting.items() if f is None or f.done()]
            for i in ready:
                del waiting[i]
    finally:
        for step in steps:
            step.close()  # a no-op for those that finished
    return results
