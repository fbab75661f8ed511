"""The plugin contract: every hook a wuyou plugin may implement.

A plugin is a module or object with functions marked ``@hookimpl`` whose names
match the specs below. Built-in plugins are registered by module name; third-party
packages declare an entry point in the ``wuyou`` group::

    [project.entry-points.wuyou]
    my_plugin = "my_package.plugin"

The marketplace adds its hooks here (service-type registration, order lifecycle).
"""

from __future__ import annotations

import pluggy

from wuyou.events import Event

PROJECT = "wuyou"

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def track_event(event: Event) -> None:
    """Observe a platform event after it has been committed and broadcast.

    Called for every event the platform publishes (a grid worker assigned, and in
    later releases ticket and order lifecycle events), e.g. to forward them to a
    city data hub or an analytics system. Implementations must be quick: slow work
    belongs in a queue of the plugin's own. An exception is logged and ignored; it
    never affects the request that caused the event.

    :param event: the event: ``topic`` (e.g. ``"area:150302001001-G07"``), ``kind``
        (e.g. ``"GRID_WORKER_ASSIGNED"``), ``payload`` (a small JSON-able dict) and
        ``occurred_at``.
    """
