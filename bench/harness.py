"""What every benchmark shares: timing calls at a fixed concurrency, percentiles, counting
SQL statements, and the line naming the machine a table was measured on."""

from __future__ import annotations

import asyncio
import logging
import os
import platform
import statistics
import time
from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class Timing:
    """Calls made, their rate, and their latency percentiles in milliseconds."""

    name: str
    calls: int
    per_second: float
    p50_ms: float
    p95_ms: float
    p99_ms: float

    @classmethod
    def of(cls, name: str, latencies: Sequence[float], elapsed: float) -> Timing:
        """The rate and percentiles of calls that took ``latencies`` seconds each and
        ``elapsed`` seconds in all."""
        ordered = sorted(latencies)
        return cls(
            name=name,
            calls=len(ordered),
            per_second=len(ordered) / elapsed,
            p50_ms=statistics.median(ordered) * 1000,
            p95_ms=percentile(ordered, 0.95) * 1000,
            p99_ms=percentile(ordered, 0.99) * 1000,
        )


def percentile(sorted_values: Sequence[float], share: float) -> float:
    """The value ``share`` (0–1) of the way up ``sorted_values`` (nearest rank)."""
    index = max(0, min(len(sorted_values) - 1, round(share * len(sorted_values)) - 1))
    return sorted_values[index]


async def latencies(
    call: Callable[[int], Awaitable[object]], calls: int, concurrency: int
) -> tuple[list[float], float]:
    """Make ``calls`` calls of ``call(i)`` from ``concurrency`` concurrent clients: each
    call's latency and the time they took in all, in seconds."""
    found: list[float] = []
    queue = list(range(calls))

    async def client() -> None:
        while queue:
            i = queue.pop()
            started = time.perf_counter()
            await call(i)
            found.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(concurrency)))
    return found, time.perf_counter() - started


async def measure(
    name: str, call: Callable[[int], Awaitable[object]], calls: int, concurrency: int
) -> Timing:
    """Make ``calls`` calls of ``call(i)`` from ``concurrency`` concurrent clients."""
    return Timing.of(name, *await latencies(call, calls, concurrency))


async def time_once(call: Callable[[], Awaitable[object]], repeat: int) -> list[float]:
    """``call()`` ``repeat`` times one after the other: the sorted timings in milliseconds."""
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        await call()
        timings.append((time.perf_counter() - started) * 1000)
    return sorted(timings)


class _StatementCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.statements = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.statements += 1


@contextmanager
def counting_statements() -> Iterator[_StatementCounter]:
    """Counts the SQL statements Tortoise sends meanwhile (it logs each at DEBUG)."""
    logger = logging.getLogger("tortoise.db_client")
    counter, level, propagate = _StatementCounter(), logger.level, logger.propagate
    logger.addHandler(counter)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False  # count them, don't print them
    try:
        yield counter
    finally:
        logger.removeHandler(counter)
        logger.setLevel(level)
        logger.propagate = propagate


def machine() -> str:
    """The date, CPU, core count and Python a table was measured with."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            cpu = next(
                (line.split(":", 1)[1].strip() for line in info if line.startswith("model name")),
                cpu,
            )
    except OSError:
        pass
    return f"{date.today()}, {cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"
