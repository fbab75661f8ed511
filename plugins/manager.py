"""Loading plugins: built-ins by module name, third parties by entry point."""

from __future__ import annotations

import asyncio
import importlib
import importlib.metadata
import logging
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache

import pluggy

from plugins import guard, hookspecs
from plugins.builtin import MODULES

log = logging.getLogger(__name__)

#: Built-in plugin modules, registered exactly like third-party plugins.
BUILTIN_PLUGINS: tuple[str, ...] = MODULES

ENTRY_POINT_GROUP = hookspecs.PROJECT


@dataclass(frozen=True, slots=True)
class PluginInfo:
    """What ``wuyou plugins`` shows about one loaded plugin."""

    name: str
    version: str | None
    builtin: bool
    hooks: tuple[str, ...]


def _allowed() -> set[str] | None:
    """Plugin names allowed by ``WUYOU_LOAD_PLUGINS`` (comma-separated); None allows all."""
    raw = os.environ.get("WUYOU_LOAD_PLUGINS")
    if raw is None:
        return None
    return {name.strip() for name in raw.split(",") if name.strip()}


def create_plugin_manager(*, load_entry_points: bool = True) -> pluggy.PluginManager:
    """A fresh manager with the hook specs, the built-ins and (optionally) entry points."""
    manager = pluggy.PluginManager(hookspecs.PROJECT)
    manager.add_hookspecs(hookspecs)
    allowed = _allowed()
    for module_name in BUILTIN_PLUGINS:
        if allowed is None or module_name in allowed:
            manager.register(importlib.import_module(module_name), name=module_name)
    if load_entry_points:
        for entry_point in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
            if allowed is not None and entry_point.name not in allowed:
                continue
            try:
                plugin = entry_point.load()
                manager.register(plugin, name=entry_point.name)
                _refuse_unknown_hooks(manager, plugin)
            except Exception:
                log.exception("plugin %s failed to load; skipped", entry_point.name)
                if manager.get_plugin(entry_point.name) is not None:
                    manager.unregister(name=entry_point.name)
    manager.check_pending()
    return manager


def _refuse_unknown_hooks(manager: pluggy.PluginManager, plugin: object) -> None:
    """Raise ``PluginValidationError`` if ``plugin`` implements a hook no spec declares
    (a misspelt name), as ``check_pending`` would, before it can fail the whole manager."""
    for caller in manager.get_hookcallers(plugin) or ():
        if caller.has_spec():
            continue
        for impl in caller.get_hookimpls():
            if impl.plugin is plugin and not impl.optionalhook:
                raise pluggy.PluginValidationError(plugin, f"unknown hook {caller.name!r}")


@cache
def plugin_manager() -> pluggy.PluginManager:
    """The process's plugin manager, loaded once on first use."""
    return create_plugin_manager()


def describe(manager: pluggy.PluginManager) -> list[PluginInfo]:
    """Name, version and implemented hooks of every registered plugin."""
    versions = {
        entry_point.name: entry_point.dist.version if entry_point.dist else None
        for entry_point in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)
    }
    infos = []
    for name, plugin in manager.list_name_plugin():
        if plugin is None:
            continue
        hooks = tuple(sorted(caller.name for caller in manager.get_hookcallers(plugin) or ()))
        infos.append(
            PluginInfo(
                name=name, version=versions.get(name), builtin=name in BUILTIN_PLUGINS, hooks=hooks
            )
        )
    return sorted(infos, key=lambda info: (not info.builtin, info.name))


async def notify(hook_name: str, **kwargs: object) -> None:
    """Call every implementation of a broadcast hook, each isolated from the others.

    A plugin that fails or overruns is logged, counted and skipped (``plugins.guard``);
    the rest still run, and the caller never sees the failure.
    """
    hook = getattr(plugin_manager().hook, hook_name)
    for impl in hook.get_hookimpls():
        arguments = [kwargs[name] for name in impl.argnames]
        await guard.call(impl.plugin_name, hook_name, impl.function, *arguments, default=None)


def _eager(function: Callable[..., object]) -> Callable[..., object]:
    """``function``, its answer read through on the plugin's thread if it is a lazy one
    (a generator), so that reading it is under the guard's time limit too."""

    def call(*args: object) -> object:
        answer = function(*args)
        return list(answer) if isinstance(answer, Iterator) else answer

    return call


async def collect(hook_name: str, **kwargs: object) -> list[tuple[str, object]]:
    """Call every implementation of a contribution hook at once, each isolated from the
    others; the (plugin name, answer) of those that answered something other than None.

    A plugin that fails or overruns is logged, counted and left out (``plugins.guard``):
    the call takes at most the plugin time limit, whatever the plugins do. A generator's
    items are read on the plugin's thread, under the limit.
    """
    hook = getattr(plugin_manager().hook, hook_name)
    impls = hook.get_hookimpls()
    answers = await asyncio.gather(
        *(
            guard.call(
                impl.plugin_name,
                hook_name,
                _eager(impl.function),
                *[kwargs[name] for name in impl.argnames],
                default=None,
            )
            for impl in impls
        )
    )
    return [
        (impl.plugin_name, answer)
        for impl, answer in zip(impls, answers, strict=True)
        if answer is not None
    ]
