"""A tiny metrics interface for code that must not know how metrics are exported.

Domain and plugin code reports that something happened (``count(PLUGIN_FAILURE,
plugin=..., hook=...)``); the server installs a recorder that turns reports into
Prometheus metrics (:mod:`api.metrics`). With no recorder installed (the command line,
domain tests) a report costs a function call and goes nowhere.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Mapping

log = logging.getLogger(__name__)

#: A plugin call raised or overran (labels: ``plugin``, ``hook``).
PLUGIN_FAILURE = "plugin_failure"

#: ``(what happened, by how much, its labels)``.
Recorder = Callable[[str, float, Mapping[str, str]], None]

_recorder: Recorder | None = None


def install(recorder: Recorder | None) -> Recorder | None:
    """Send reports to ``recorder`` from now on (None: drop them); the previous one."""
    global _recorder
    previous, _recorder = _recorder, recorder
    return previous


def count(name: str, value: float = 1.0, **labels: str) -> None:
    """Report ``value`` more of ``name``; never raises."""
    recorder = _recorder
    if recorder is None:
        return
    try:
        recorder(name, value, labels)
    except Exception:
        log.exception("recording metric %s failed", name)


class ReportedCounter(Counter[tuple[str, ...]]):
    """A :class:`collections.Counter` keyed by label values that reports each increase
    as ``name`` with those labels (``failures[(plugin, hook)] += 1``)."""

    def __init__(self, name: str, label_names: tuple[str, ...]) -> None:
        super().__init__()
        self.name = name
        self.label_names = label_names

    def __setitem__(self, key: tuple[str, ...], value: int) -> None:
        increase = value - self.get(key, 0)
        super().__setitem__(key, value)
        if increase > 0:
            count(self.name, increase, **dict(zip(self.label_names, key, strict=True)))
