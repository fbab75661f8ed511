"""The service types the loaded plugins registered, by code."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from functools import cache

import pluggy

from plugins import guard
from plugins.manager import plugin_manager
from plugins.service_types import ServiceType

log = logging.getLogger(__name__)


class ServiceRegistry:
    """Every registered service type and the plugin that registered it, in load order."""

    def __init__(self) -> None:
        self._types: dict[str, ServiceType] = {}
        self._plugins: dict[str, str] = {}

    @classmethod
    def load(cls, manager: pluggy.PluginManager) -> ServiceRegistry:
        """Ask every plugin's ``register_service_types`` for its types, each isolated."""
        registry = cls()
        implementations = manager.hook.register_service_types.get_hookimpls()
        # Registration order (built-ins in catalogue order, then entry points).
        for impl in implementations:
            contributed: list[ServiceType] = []

            def contribute(
                function: Callable[..., object] = impl.function,
                register: Callable[[ServiceType], None] = contributed.append,
            ) -> bool:
                function(register=register)
                return True

            if guard.call_sync(
                impl.plugin_name, "register_service_types", contribute, default=False
            ):
                for service_type in contributed:
                    registry._add(service_type, impl.plugin_name)
        return registry

    def _add(self, service_type: object, plugin: str) -> None:
        if not isinstance(service_type, ServiceType):
            guard.failures[(plugin, "register_service_types")] += 1
            log.error("plugin %s registered %r, which is not a ServiceType", plugin, service_type)
            return
        if service_type.code in self._types:
            guard.failures[(plugin, "register_service_types")] += 1
            log.error(
                "plugin %s registered service type %r, already registered by %s; ignored",
                plugin,
                service_type.code,
                self._plugins[service_type.code],
            )
            return
        self._types[service_type.code] = service_type
        self._plugins[service_type.code] = plugin

    def get(self, code: str) -> ServiceType | None:
        """The service type with ``code``."""
        return self._types.get(code)

    def plugin_of(self, code: str) -> str:
        """The name of the plugin that registered ``code``."""
        return self._plugins[code]

    def registered_by(self, plugin: str) -> list[ServiceType]:
        """The service types ``plugin`` registered."""
        return [self._types[code] for code, name in self._plugins.items() if name == plugin]

    def __iter__(self) -> Iterator[ServiceType]:
        return iter(self._types.values())

    def __len__(self) -> int:
        return len(self._types)


@cache
def service_registry() -> ServiceRegistry:
    """The service types of the process's plugins, loaded once on first use."""
    return ServiceRegistry.load(plugin_manager())
