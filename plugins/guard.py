"""Calling plugin code without letting it take the platform down.

Every call into a plugin (validating a form, quoting, ranking, a broadcast hook) runs
on a small thread pool with a time limit. An exception or a timeout is logged and
counted, and the caller gets the default it supplied: the platform's own behaviour.
A plugin that hangs keeps its thread busy; when all threads hang, further calls time
out at once and the defaults apply everywhere until the process restarts.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextvars
import logging
import os
from collections.abc import Callable
from typing import Any, TypeVar

from wuyou import metrics

log = logging.getLogger(__name__)

T = TypeVar("T")

#: Seconds a plugin call may take (``WUYOU_PLUGIN_TIMEOUT_SECONDS``).
DEFAULT_TIMEOUT = float(os.environ.get("WUYOU_PLUGIN_TIMEOUT_SECONDS", "2"))

_executor = concurrent.futures.ThreadPoolExecutor(max_workers=8, thread_name_prefix="wuyou-plugin")

#: Failures so far, by (plugin, what was called): exceptions and timeouts alike. Each
#: increase is also reported to the metrics recorder (``wuyou_plugin_errors_total``).
failures = metrics.ReportedCounter(metrics.PLUGIN_FAILURE, ("plugin", "hook"))


def _submit(function: Callable[..., T], args: tuple[Any, ...]) -> concurrent.futures.Future[T]:
    context = contextvars.copy_context()
    return _executor.submit(context.run, function, *args)


def _failed(plugin: str, what: str, timeout: float, error: BaseException) -> None:
    failures[(plugin, what)] += 1
    if isinstance(error, TimeoutError):
        log.error("plugin %s took longer than %.1f s in %s; default used", plugin, timeout, what)
    else:
        log.error("plugin %s failed in %s; default used", plugin, what, exc_info=error)


async def call(
    plugin: str,
    what: str,
    function: Callable[..., T],
    *args: Any,
    default: T,
    seconds: float | None = None,
) -> T:
    """``function(*args)`` off the event loop, or ``default`` if it raises or overruns."""
    limit = DEFAULT_TIMEOUT if seconds is None else seconds
    try:
        return await asyncio.wait_for(asyncio.wrap_future(_submit(function, args)), limit)
    except Exception as error:
        _failed(plugin, what, limit, error)
        return default


def call_sync(
    plugin: str,
    what: str,
    function: Callable[..., T],
    *args: Any,
    default: T,
    seconds: float | None = None,
) -> T:
    """Like :func:`call`, for code that is not async (loading plugins at start-up)."""
    limit = DEFAULT_TIMEOUT if seconds is None else seconds
    try:
        return _submit(function, args).result(limit)
    except Exception as error:
        _failed(plugin, what, limit, error)
        return default
