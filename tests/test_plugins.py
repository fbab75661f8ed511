"""The plugin manager: specs, loading, and the track_event hook."""

from __future__ import annotations

import inspect
from pathlib import Path

from starlette.testclient import TestClient

from plugins import hookspecs
from plugins.manager import create_plugin_manager, describe, plugin_manager
from tests.conftest import unique
from tests.graphql import data, login
from wuyou.events import Event


class Recorder:
    def __init__(self) -> None:
        self.events: list[Event] = []

    @hookspecs.hookimpl
    def track_event(self, event: Event) -> None:
        self.events.append(event)


class Broken:
    @hookspecs.hookimpl
    def track_event(self, event: Event) -> None:
        raise RuntimeError("plugin bug")


def test_track_event_sees_platform_events_and_a_broken_plugin_harms_nothing(
    client: TestClient,
) -> None:
    manager = plugin_manager()
    recorder, broken = Recorder(), Broken()
    manager.register(broken, name="broken")
    manager.register(recorder, name="recorder")
    try:
        admin = login(client, "demo-admin")
        username = unique("gw")
        data(
            client,
            """mutation($u: String!) { createAccount(input: {username: $u,
             role: GRID_WORKER, displayName: "网格员", gridCode: "150302001001-G01"}) {
             errors { code } } }""",
            {"u": username},
            token=admin,
        )
    finally:
        manager.unregister(name="broken")
        manager.unregister(name="recorder")
    kinds = {(e.kind, e.topic) for e in recorder.events if e.payload["username"] == username}
    assert ("GRID_WORKER_ASSIGNED", "area:150302001001-G01") in kinds
    assert ("GRID_WORKER_ASSIGNED", "area:150300") in kinds


def test_describe_lists_registered_plugins() -> None:
    manager = create_plugin_manager(load_entry_points=False)
    manager.register(Recorder(), name="recorder")
    infos = {info.name: info for info in describe(manager)}
    assert infos["recorder"].hooks == ("track_event",) and not infos["recorder"].builtin
    car_moving = infos["plugins.builtin.car_moving"]
    assert car_moving.builtin and car_moving.hooks == ("register_service_types",)


def test_every_hook_has_a_test_implementing_it() -> None:
    """The datasette habit: a hook nobody tests is a hook nobody knows works."""
    specs = [
        name
        for name, function in inspect.getmembers(hookspecs, inspect.isfunction)
        if hasattr(function, "wuyou_spec")
    ]
    assert {"register_service_types", "order_placed", "order_status_changed", "track_event"} <= set(
        specs
    )
    sources = "\n".join(p.read_text() for p in Path(__file__).parent.rglob("test_*.py"))
    untested = [name for name in specs if f"def {name}(" not in sources]
    assert untested == []
