"""Automatic persisted queries (Apollo's APQ protocol) for the /graphql endpoint.

A client sends ``extensions.persistedQuery = {"version": 1, "sha256Hash": <hex>}``
without the query; the server answers ``PersistedQueryNotFound`` when it does not know
the hash, and the client sends the query again with the hash, which registers it once
the server has checked that the hash is the query's and the query is valid.

Documents are kept in each worker's memory (an LRU bounded in entries and in bytes) and,
when Redis is configured, in Redis too (with a time to live), so that a document
registered on one worker is found by all. A document is named by its own hash, so a copy
never goes stale. A document over the size limit is never registered: its registration
is refused with ``PERSISTED_QUERY_TOO_LARGE`` (and does not run); sent without the
extension it runs as any query does.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Protocol

import redis.asyncio as redis

log = logging.getLogger(__name__)

_SHA256 = re.compile(r"^[0-9a-f]{64}$")

#: Bytes of documents (UTF-8) each worker keeps in memory at most.
MEMORY_BYTES = 16 * 1024 * 1024


class PersistedQueryError(Exception):
    """A request whose ``persistedQuery`` extension cannot be honoured.

    ``status`` is the HTTP status under ``application/graphql-response+json``;
    ``legacy_status`` under ``application/json``, where Apollo's servers answer 200 so
    that clients read the error and send the query.
    """

    def __init__(
        self, message: str, code: str, status: int, legacy_status: int | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status
        self.legacy_status = status if legacy_status is None else legacy_status


def not_found() -> PersistedQueryError:
    return PersistedQueryError("PersistedQueryNotFound", "PERSISTED_QUERY_NOT_FOUND", 404, 200)


def not_supported() -> PersistedQueryError:
    return PersistedQueryError(
        "PersistedQueryNotSupported", "PERSISTED_QUERY_NOT_SUPPORTED", 400, 200
    )


def too_large(max_bytes: int) -> PersistedQueryError:
    return PersistedQueryError(
        f"Persisted queries are limited to {max_bytes} bytes: "
        "send this query without extensions.persistedQuery",
        "PERSISTED_QUERY_TOO_LARGE",
        400,
    )


def _bad(message: str) -> PersistedQueryError:
    return PersistedQueryError(message, "BAD_REQUEST", 400)


def query_hash(query: str) -> str:
    """The APQ hash of a document: SHA-256 of its UTF-8 text, in lowercase hex."""
    return hashlib.sha256(query.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class PersistedRequest:
    """What a request's ``persistedQuery`` extension asks for."""

    sha256: str
    #: The query sent with the hash (a registration), None when only the hash came.
    query: str | None


def requested(
    extensions: dict[str, Any] | None, query: str | None, *, max_bytes: int
) -> PersistedRequest | None:
    """The persisted query a request names; None when it names none.

    Raises :class:`PersistedQueryError` for an unknown protocol version, a malformed
    hash, a query over ``max_bytes`` (UTF-8), or a query whose hash is not the one given.
    """
    extension = (extensions or {}).get("persistedQuery")
    if extension is None:
        return None
    if not isinstance(extension, dict) or extension.get("version") != 1:
        raise _bad("Unsupported persisted query version")
    sha = extension.get("sha256Hash")
    if not isinstance(sha, str) or not _SHA256.match(sha.lower()):
        raise _bad("persistedQuery.sha256Hash must be a SHA-256 hash in hex")
    sha = sha.lower()
    if query is not None and len(query.encode("utf-8")) > max_bytes:
        raise too_large(max_bytes)
    if query is not None and query_hash(query) != sha:
        raise _bad("provided sha does not match query")
    return PersistedRequest(sha256=sha, query=query)


class PersistedQueries(Protocol):
    """Where registered documents are kept, by their hash."""

    @property
    def max_document_bytes(self) -> int:
        """The largest document (in UTF-8 bytes) a client may register."""
        ...

    async def get(self, sha256: str) -> str | None: ...

    async def put(self, sha256: str, query: str) -> None: ...

    async def close(self) -> None: ...


class MemoryStore:
    """Documents in this process, the least recently used dropped beyond ``max_entries``
    documents or ``max_bytes`` bytes of them (UTF-8)."""

    def __init__(
        self, max_entries: int, *, max_bytes: int = MEMORY_BYTES, max_document_bytes: int
    ) -> None:
        self._max = max_entries
        self._max_bytes = max_bytes
        self.max_document_bytes = max_document_bytes
        #: Each document with its size in bytes.
        self._documents: OrderedDict[str, tuple[str, int]] = OrderedDict()
        self.bytes = 0

    async def get(self, sha256: str) -> str | None:
        kept = self._documents.get(sha256)
        if kept is None:
            return None
        self._documents.move_to_end(sha256)
        return kept[0]

    async def put(self, sha256: str, query: str) -> None:
        if sha256 in self._documents:
            self._documents.move_to_end(sha256)
            return
        size = len(query.encode("utf-8"))
        self._documents[sha256] = (query, size)
        self.bytes += size
        while len(self._documents) > self._max or self.bytes > self._max_bytes:
            self.bytes -= self._documents.popitem(last=False)[1][1]

    def __len__(self) -> int:
        return len(self._documents)

    async def close(self) -> None:
        self._documents.clear()
        self.bytes = 0


#: Registers a document (KEYS[1]) in the index of registrations (KEYS[2], a sorted set of
#: hashes by registration time) and drops the oldest beyond the count allowed.
#: ARGV: document, time to live (s), now (s), count allowed, documents' key prefix, hash.
_REGISTER = """
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[6])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', tonumber(ARGV[3]) - tonumber(ARGV[2]))
local over = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[4])
if over > 0 then
  local oldest = redis.call('ZPOPMIN', KEYS[2], over)
  for i = 1, #oldest, 2 do redis.call('DEL', ARGV[5] .. oldest[i]) end
end
redis.call('EXPIRE', KEYS[2], ARGV[2])
"""


class RedisStore:
    """Documents shared by every worker through Redis, in front of a :class:`MemoryStore`:
    each for ``ttl_seconds``, the earliest registered dropped beyond ``max_entries``.

    Redis being unreachable only makes a document unknown (the client sends it again);
    it never fails a request.
    """

    def __init__(
        self, url: str, *, prefix: str, ttl_seconds: int, max_entries: int, local: MemoryStore
    ) -> None:
        self._redis = redis.from_url(url)
        self._prefix = f"{prefix}apq:"
        self._index = f"{prefix}apq-index"
        self._ttl = ttl_seconds
        self._max = max_entries
        self._register = self._redis.register_script(_REGISTER)
        self.local = local

    @property
    def max_document_bytes(self) -> int:
        return self.local.max_document_bytes

    async def get(self, sha256: str) -> str | None:
        query = await self.local.get(sha256)
        if query is not None:
            return query
        try:
            stored = await self._redis.get(self._prefix + sha256)
        except redis.RedisError:
            log.warning("persisted query look-up in Redis failed", exc_info=True)
            return None
        if stored is None:
            return None
        query = stored.decode("utf-8") if isinstance(stored, bytes) else str(stored)
        if query_hash(query) != sha256:  # never serve a document under another's name
            return None
        await self.local.put(sha256, query)
        return query

    async def put(self, sha256: str, query: str) -> None:
        await self.local.put(sha256, query)
        try:
            await self._register(
                keys=[self._prefix + sha256, self._index],
                args=[
                    query.encode("utf-8"),
                    self._ttl,
                    time.time(),
                    self._max,
                    self._prefix,
                    sha256,
                ],
            )
        except redis.RedisError:
            log.warning("persisted query registration in Redis failed", exc_info=True)

    async def close(self) -> None:
        await self._redis.aclose()


def store(
    *,
    max_entries: int,
    max_document_bytes: int,
    redis_url: str | None,
    prefix: str,
    ttl_seconds: int,
) -> PersistedQueries:
    """The store for a worker: in memory, shared through Redis when ``redis_url`` is set
    (``max_entries`` in each); documents over ``max_document_bytes`` are never registered."""
    local = MemoryStore(max_entries, max_document_bytes=max_document_bytes)
    if redis_url is None:
        return local
    return RedisStore(
        redis_url, prefix=prefix, ttl_seconds=ttl_seconds, max_entries=max_entries, local=local
    )
