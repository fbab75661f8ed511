"""docs/plugins.md is true: its Python samples run, and its worked example is a plugin
that loads, serves its type and passes its own tests.

The samples run in order in one namespace, as the guide tells its reader to. The worked
example's files (the blocks whose first line is ``# file: <path>``) are written into a
project directory and "installed" the way pip would (a ``dist-info`` with the entry point
from its ``pyproject.toml``, beside its sources on ``sys.path``); the platform's caches
are cleared before and after, so every other test sees the 22 built-in types only.
"""

from __future__ import annotations

import importlib.util
import inspect
import sys
import tomllib
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from plugins.manager import create_plugin_manager, describe, plugin_manager
from plugins.registry import ServiceRegistry, service_registry
from tests.docs.guides import DOCS, code_blocks
from tests.graphql import data

GUIDE = DOCS / "plugins.md"
FILE_MARKER = "# file: "
PACKAGE = "wuyou_bike_repair"


def _files() -> dict[str, str]:
    """The worked example's files: path → content, from the guide's marked blocks."""
    files = {}
    for language in ("python", "toml"):
        for block in code_blocks(GUIDE, language):
            first, _, rest = block.partition("\n")
            if first.startswith(FILE_MARKER):
                files[first.removeprefix(FILE_MARKER)] = rest
    return files


def _samples() -> list[str]:
    """The Python samples a reader runs in order (the worked example's files aside)."""
    return [b for b in code_blocks(GUIDE, "python") if not b.startswith(FILE_MARKER)]


def _forget_plugins() -> None:
    plugin_manager.cache_clear()
    service_registry.cache_clear()
    for name in [m for m in sys.modules if m.split(".")[0] in (PACKAGE, "test_bike_repair")]:
        del sys.modules[name]


def _install(project: Path, site: Path) -> dict[str, Any]:
    """Write what ``pip install -e`` leaves behind for ``project`` into ``site``; the
    project's metadata."""
    meta: dict[str, Any] = tomllib.loads((project / "pyproject.toml").read_text("utf-8"))
    info = meta["project"]
    dist_info = site / f"{info['name'].replace('-', '_')}-{info['version']}.dist-info"
    dist_info.mkdir(parents=True)
    (dist_info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {info['name']}\nVersion: {info['version']}\n",
        encoding="utf-8",
    )
    lines = [f"{n} = {target}" for n, target in info["entry-points"]["wuyou"].items()]
    (dist_info / "entry_points.txt").write_text("[wuyou]\n" + "\n".join(lines) + "\n", "utf-8")
    return meta


@pytest.fixture
def worked_example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The worked example's project, installed as pip would; undone afterwards."""
    project = tmp_path / "wuyou-bike-repair"
    for path, content in _files().items():
        target = project / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
    _install(project, tmp_path / "site")
    monkeypatch.syspath_prepend(str(project / "src"))
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    _forget_plugins()
    try:
        yield project
    finally:
        monkeypatch.undo()
        _forget_plugins()


def test_every_python_sample_compiles() -> None:
    blocks = code_blocks(GUIDE, "python")
    assert len(blocks) > 10
    for number, block in enumerate(blocks):
        compile(block, f"plugins.md, python block {number}", "exec")


def test_the_samples_run_in_order_in_one_interpreter(monkeypatch: pytest.MonkeyPatch) -> None:
    reader = types.ModuleType("plugins_guide")  # a module, as dataclasses need one
    monkeypatch.setitem(sys.modules, reader.__name__, reader)
    for number, block in enumerate(_samples()):
        exec(compile(block, f"plugins.md, sample {number}", "exec"), vars(reader))
    assert vars(reader)["BIKE_REPAIR"].code == "bike_repair"


def test_the_worked_example_is_a_complete_project() -> None:
    assert set(_files()) == {
        "pyproject.toml",
        f"src/{PACKAGE}/__init__.py",
        f"src/{PACKAGE}/plugin.py",
        "tests/test_bike_repair.py",
    }


def test_the_worked_example_loads_through_its_entry_point(worked_example: Path) -> None:
    manager = create_plugin_manager()
    registry = ServiceRegistry.load(manager)
    assert len(registry) == 23 and registry.plugin_of("bike_repair") == "bike_repair"
    bike = registry.get("bike_repair")
    assert bike is not None and [f.code for f in bike.fields] == ["fault", "electric", "visitAt"]
    (info,) = [i for i in describe(manager) if i.name == "bike_repair"]
    assert info.version == "0.1.0" and not info.builtin


def test_the_worked_example_passes_its_own_tests(
    worked_example: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = worked_example / "tests" / "test_bike_repair.py"
    spec = importlib.util.spec_from_file_location("test_bike_repair", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    tests = [f for name, f in vars(module).items() if name.startswith("test_")]
    assert len(tests) == 5
    for test in tests:
        caplog.clear()
        fixtures = {"caplog": caplog}
        test(**{name: fixtures[name] for name in inspect.signature(test).parameters})


def test_clients_see_the_worked_example_type(worked_example: Path, client: TestClient) -> None:
    found = data(
        client,
        """{ serviceType(code: "bike_repair") { name plugin pricing { kind }
             dispatch { mode k } fields { code type } exampleForm } }""",
    )["serviceType"]
    assert found["name"] == "自行车维修" and found["plugin"] == "bike_repair"
    assert found["pricing"] == {"kind": "FIXED"}
    assert found["dispatch"] == {"mode": "BROADCAST", "k": 3}
    assert [f["type"] for f in found["fields"]] == ["SINGLE_CHOICE", "BOOLEAN", "DATETIME"]
    assert found["exampleForm"]["fault"] == "FLAT_TYRE"


def test_a_plugin_with_a_misspelt_hook_is_skipped_and_the_others_load(
    worked_example: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """What the guide says of a @hookimpl whose name is no hook."""
    plugin = worked_example / "src" / PACKAGE / "plugin.py"
    source = plugin.read_text(encoding="utf-8")
    plugin.write_text(
        source + "\n\n@hookimpl\ndef order_placd(order: OrderInfo) -> None:\n    pass\n"
    )
    manager = create_plugin_manager()
    assert manager.get_plugin("bike_repair") is None
    assert len(ServiceRegistry.load(manager)) == 22
    assert "plugin bike_repair failed to load; skipped" in caplog.messages
    assert "order_placd" in caplog.text
