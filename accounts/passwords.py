"""Password hashing with argon2 (argon2-cffi's recommended parameters).

A hash takes a fraction of a second of CPU and 64 MiB: it runs on a small thread pool of
its own, so the event loop serves other requests meanwhile and no more than
:data:`MAX_CONCURRENT_HASHES` hashes hold their memory at once.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
# Verified against when the username is unknown, so a miss costs as long as a hit.
_DUMMY_HASH = _hasher.hash("wuyou-timing-equaliser")
#: Hashes computed at once per process; more wait their turn.
MAX_CONCURRENT_HASHES = 2
_pool = ThreadPoolExecutor(max_workers=MAX_CONCURRENT_HASHES, thread_name_prefix="argon2")


async def hash_password(password: str) -> str:
    """An argon2id hash of ``password``, with its salt and parameters encoded in it."""
    return await asyncio.get_running_loop().run_in_executor(_pool, _hasher.hash, password)


async def verify_password(password_hash: str | None, password: str) -> bool:
    """True when ``password`` matches ``password_hash``; ``None`` never matches (in equal time)."""
    return await asyncio.get_running_loop().run_in_executor(_pool, _verify, password_hash, password)


def _verify(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with weaker parameters than today's."""
    return _hasher.check_needs_rehash(password_hash)
