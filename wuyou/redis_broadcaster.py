"""Fan-out across workers through Redis pub/sub (``WUYOU_REDIS_URL``).

Each worker keeps one Redis connection subscribed to the topics its own clients listen
on, and hands what arrives to an in-process broadcaster that fans it out to them. A
publish goes to Redis only, so every worker, the publishing one included, hears it once.
Redis keeps nothing: an event published while a worker is cut off is lost to it, and its
clients re-read the truth from the database (``myOffers``, ``order``) when they reconnect.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from datetime import datetime
from typing import Any

import redis.asyncio as redis
from redis.asyncio.client import PubSub

from wuyou.events import Event, InProcessBroadcaster

log = logging.getLogger(__name__)

#: The channel every worker listens on, so its connection is never idle-unsubscribed.
_HELLO = "__hello__"


class RedisBroadcaster:
    """The :class:`~wuyou.events.Broadcaster` for several workers (and several hosts)."""

    def __init__(self, url: str, *, prefix: str = "wuyou:", retry_seconds: float = 1.0) -> None:
        self._redis = redis.from_url(url)
        self._prefix = prefix
        self._retry_seconds = retry_seconds
        self._local = InProcessBroadcaster()
        self._topics: Counter[str] = Counter()
        self._pubsub: PubSub | None = None
        self._reader: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()

    async def publish(self, event: Event) -> None:
        message = json.dumps(
            {
                "topic": event.topic,
                "kind": event.kind,
                "payload": event.payload,
                "occurred_at": event.occurred_at.isoformat(),
            },
            ensure_ascii=False,
        )
        await self._redis.publish(self._prefix + event.topic, message)

    @asynccontextmanager
    async def subscribe(self, *topics: str) -> AsyncIterator[AsyncIterator[Event]]:
        await self._listen(topics)  # Redis first: once counted here, nothing is missed
        try:
            async with self._local.subscribe(*topics) as stream:
                yield stream
        finally:
            await self._forget(topics)

    async def _listen(self, topics: tuple[str, ...]) -> None:
        async with self._lock:
            if self._reader is None:
                self._pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
                await self._pubsub.subscribe(self._prefix + _HELLO)
                self._reader = asyncio.create_task(self._read(), name="wuyou-redis-reader")
            new = [t for t in topics if not self._topics[t]]
            self._topics.update(topics)
            if new and self._pubsub is not None:
                await self._pubsub.subscribe(*(self._prefix + t for t in new))

    async def _forget(self, topics: tuple[str, ...]) -> None:
        async with self._lock:
            self._topics.subtract(topics)
            gone = [t for t in topics if self._topics[t] <= 0]
            for topic in gone:
                del self._topics[topic]
            if gone and self._pubsub is not None:
                try:
                    await self._pubsub.unsubscribe(*(self._prefix + t for t in gone))
                except redis.RedisError:
                    log.warning("unsubscribing from %s failed", gone, exc_info=True)

    async def _read(self) -> None:
        """Hand every message to local subscribers; reconnect and resubscribe on failure."""
        while True:
            pubsub = self._pubsub
            assert pubsub is not None
            try:
                async for message in pubsub.listen():
                    if message.get("type") == "message":
                        await self._local.publish(self._decode(message["data"]))
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("lost Redis; resubscribing in %.1f s", self._retry_seconds)
                await asyncio.sleep(self._retry_seconds)
                await self._resubscribe()

    async def _resubscribe(self) -> None:
        async with self._lock:
            if self._pubsub is not None:
                with suppress(redis.RedisError):
                    await self._pubsub.aclose()
            self._pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
            try:
                await self._pubsub.subscribe(
                    self._prefix + _HELLO, *(self._prefix + t for t in self._topics)
                )
            except redis.RedisError:
                log.warning("Redis still unavailable", exc_info=True)

    @staticmethod
    def _decode(data: bytes | str) -> Event:
        raw: dict[str, Any] = json.loads(data)
        return Event(
            topic=raw["topic"],
            kind=raw["kind"],
            payload=raw["payload"],
            occurred_at=datetime.fromisoformat(raw["occurred_at"]),
        )

    def subscriber_count(self, topic: str) -> int:
        """How many subscriptions in this worker listen on ``topic``."""
        return self._local.subscriber_count(topic)

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            with suppress(asyncio.CancelledError):
                await self._reader
        if self._pubsub is not None:
            await self._pubsub.aclose()
        await self._local.close()
        await self._redis.aclose()
