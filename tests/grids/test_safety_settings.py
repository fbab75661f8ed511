"""The safety index's settings: the defaults, changes checked whole, saved against the
version they were made on, and only by administrators.

The database is shared by the whole session and other tests assume the defaults: every
test that changes the settings puts back the row it found.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from grids.models import SafetyIndexSetting
from grids.safety.settings import (
    DEFAULT_SETTINGS,
    SAFETY_SETTING_ID,
    Curve,
    ScorePart,
    load_safety_settings,
    named,
    stored_values,
    update_safety_settings,
)
from tests.graphql import data, error_codes, gql, in_app, login
from tests.tickets.desk import principal
from tickets.models import SafetyDimension
from tickets.sla import TicketKind, Urgency
from wuyou.errors import DomainError, ErrorCode, Forbidden


async def _snapshot() -> dict[str, Any] | None:
    rows = await SafetyIndexSetting.filter(id=SAFETY_SETTING_ID).values()
    return rows[0] if rows else None


async def _restore(snapshot: dict[str, Any] | None) -> None:
    await SafetyIndexSetting.filter(id=SAFETY_SETTING_ID).delete()
    if snapshot is not None:
        await SafetyIndexSetting.create(**snapshot)


@pytest.fixture
async def saved(connected: str) -> AsyncIterator[None]:
    """The settings' row (or its absence) as the test found it, put back afterwards."""
    snapshot = await _snapshot()
    await _restore(None)
    try:
        yield
    finally:
        await _restore(snapshot)


async def _problems(version: int, changes: dict[str, Any]) -> list[tuple[str | None, ErrorCode]]:
    with pytest.raises(DomainError) as refused:
        await update_safety_settings(
            actor=await principal("demo-admin"), version=version, changes=changes
        )
    return [(p.field, p.code) for p in refused.value.problems]


async def test_the_defaults_until_changed(saved: None) -> None:
    stored = await load_safety_settings()
    assert (stored.version, stored.updated_by) == (0, None)
    assert stored.settings == DEFAULT_SETTINGS
    assert sum(DEFAULT_SETTINGS.dimension_weights.values()) == pytest.approx(1.0)
    assert sum(DEFAULT_SETTINGS.part_weights.values()) == pytest.approx(1.0)


async def test_changes_are_saved_by_version(saved: None) -> None:
    admin = await principal("demo-admin")
    first = await update_safety_settings(
        actor=admin,
        version=0,
        changes={"weight.DISPUTES": 0.5, "curve.ECOLOGY": "LINEAR", "populationFloor": 800},
    )
    assert (first.version, first.updated_by) == (1, "demo-admin")
    assert first.settings.dimension_weights[SafetyDimension.DISPUTES] == 0.5
    assert first.settings.curves[SafetyDimension.ECOLOGY] is Curve.LINEAR
    assert first.settings.population_floor == 800
    assert await load_safety_settings() == first
    # A second administrator working from version 0 is refused, the first change stays.
    assert await _problems(0, {"weight.DISPUTES": 0.1}) == [("version", ErrorCode.INVALID_STATE)]
    second = await update_safety_settings(
        actor=admin, version=1, changes={"weight.DISPUTES": None, "kindWeight.PRAISE": 0.1}
    )
    assert second.version == 2
    assert second.settings.dimension_weights[SafetyDimension.DISPUTES] == 0.15  # the default
    assert second.settings.kind_weights[TicketKind.PRAISE] == 0.1
    assert second.settings.population_floor == 800
    with pytest.raises(Forbidden):
        await update_safety_settings(actor=await principal("demo-agent"), version=2, changes={})


async def test_every_problem_at_once(saved: None) -> None:
    assert await _problems(
        0,
        {
            "weight.DISPUTES": -1,
            "scale.ECOLOGY": 0,
            "curve.ECOLOGY": "SIGMOID",
            "kindWeight.COMPLAINT": 11,
            "urgencyWeight.URGENT": True,
            "populationFloor": 1.5,
            "weight.NOWHERE": 1,
        },
    ) == [
        ("weight.DISPUTES", ErrorCode.OUT_OF_RANGE),
        ("scale.ECOLOGY", ErrorCode.OUT_OF_RANGE),
        ("curve.ECOLOGY", ErrorCode.INVALID_CHOICE),
        ("kindWeight.COMPLAINT", ErrorCode.OUT_OF_RANGE),
        ("urgencyWeight.URGENT", ErrorCode.OUT_OF_RANGE),
        ("populationFloor", ErrorCode.OUT_OF_RANGE),
        ("weight.NOWHERE", ErrorCode.UNKNOWN_FIELD),
    ]
    nothing = dict.fromkeys((f"weight.{d}" for d in SafetyDimension), 0)
    assert await _problems(0, {**nothing, "partWeight.INCIDENTS": 0}) == [
        ("weight.PUBLIC_ORDER", ErrorCode.INVALID),
        ("partWeight.INCIDENTS", ErrorCode.INVALID),
    ]
    assert (await load_safety_settings()).version == 0


def test_a_stored_setting_out_of_range_is_left_out() -> None:
    assert stored_values({"weight.DISPUTES": 0.3, "scale.ECOLOGY": -5, "x": 1}) == {
        "weight.DISPUTES": 0.3
    }
    assert stored_values("nonsense") == {}
    assert set(named(DEFAULT_SETTINGS)) >= {"partWeight.REPEATS", "urgencyWeight.CRITICAL"}
    assert ScorePart.INCIDENTS in DEFAULT_SETTINGS.part_weights
    assert DEFAULT_SETTINGS.urgency_weights[Urgency.CRITICAL] == 4.0


READ = """{ safetyIndexSettings { version updatedBy populationFloor
  dimensions { dimension name weight scale curve } kindWeights { kind weight }
  urgencyWeights { urgency weight } partWeights { part weight } } }"""
UPDATE = """mutation($input: UpdateSafetyIndexSettingsInput!) {
  updateSafetyIndexSettings(input: $input) {
    safetyIndexSettings { version updatedBy populationFloor dimensions { dimension weight curve }
                          kindWeights { kind weight } partWeights { part weight } }
    errors { field code message } } }"""


def test_the_settings_through_the_api(client: TestClient) -> None:
    snapshot = in_app(client, _snapshot)
    in_app(client, lambda: _restore(None))
    try:
        admin = login(client, "demo-admin")
        settings = data(client, READ, token=admin)["safetyIndexSettings"]
        assert settings["version"] == 0 and settings["populationFloor"] == 500
        assert settings["dimensions"][0] == {
            "dimension": "PUBLIC_ORDER",
            "name": "社会治安",
            "weight": 0.2,
            "scale": 300.0,
            "curve": "EXPONENTIAL",
        }
        change = {
            "version": 0,
            "dimensions": [{"dimension": "ECOLOGY", "weight": 0.3, "curve": "LINEAR"}],
            "kindWeights": [{"kind": "PRAISE", "weight": 0.1}],
            "partWeights": [{"part": "REPEATS", "weight": 0.2}],
            "populationFloor": 1000,
        }
        payload = data(client, UPDATE, {"input": change}, token=admin)["updateSafetyIndexSettings"]
        assert payload["errors"] == []
        saved = payload["safetyIndexSettings"]
        assert (saved["version"], saved["updatedBy"], saved["populationFloor"]) == (
            1,
            "demo-admin",
            1000,
        )
        assert {"dimension": "ECOLOGY", "weight": 0.3, "curve": "LINEAR"} in saved["dimensions"]
        stale = data(client, UPDATE, {"input": change}, token=admin)["updateSafetyIndexSettings"]
        assert stale["safetyIndexSettings"] is None
        assert [(e["field"], e["code"]) for e in stale["errors"]] == [("version", "INVALID_STATE")]
        twice = {
            "version": 1,
            "kindWeights": [{"kind": "PRAISE", "weight": 0.1}, {"kind": "PRAISE", "weight": 0}],
        }
        refused = data(client, UPDATE, {"input": twice}, token=admin)["updateSafetyIndexSettings"]
        assert [(e["field"], e["code"]) for e in refused["errors"]] == [("kindWeights", "INVALID")]
        wrong = {"version": 1, "dimensions": [{"dimension": "ECOLOGY", "scale": 0}]}
        refused = data(client, UPDATE, {"input": wrong}, token=admin)["updateSafetyIndexSettings"]
        assert [(e["field"], e["code"]) for e in refused["errors"]] == [
            ("scale.ECOLOGY", "OUT_OF_RANGE")
        ]
        for username in ("demo-agent", "demo-grid"):
            token = login(client, username)
            read = data(client, READ, token=token)["safetyIndexSettings"]
            assert read["version"] == 1 and read["populationFloor"] == 1000
            body = gql(client, UPDATE, {"input": {"version": 1}}, token=token)
            assert error_codes(body) == ["FORBIDDEN"]
        for username in ("demo-citizen", "demo-merchant"):
            body = gql(client, READ, token=login(client, username))
            assert error_codes(body) == ["FORBIDDEN"]
        assert error_codes(gql(client, READ)) == ["UNAUTHENTICATED"]
    finally:
        in_app(client, lambda: _restore(snapshot))
