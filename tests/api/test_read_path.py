"""What keeps the read path fast outside the executor: service types built once, the
start-up's objects left out of the garbage collector's passes."""

from __future__ import annotations

import gc

from starlette.testclient import TestClient

from api.app import create_app, freeze_heap
from api.settings import Settings
from schema.services import service_type_of


def test_a_service_type_is_built_once() -> None:
    first = service_type_of("unlocking")
    assert first is not None and first.code == "unlocking"
    assert service_type_of("unlocking") is first
    assert service_type_of("no_such_service") is None


def test_the_app_freezes_what_its_start_up_leaves(settings: Settings) -> None:
    gc.unfreeze()
    freeze_heap.cache_clear()
    assert gc.get_freeze_count() == 0
    with TestClient(create_app(settings)):
        assert gc.get_freeze_count() > 0
