"""The indicators plugins contribute to the safety index (hook ``safety_indicators``),
checked: a plugin that raises or overruns contributes nothing (``plugins.guard``), and
an indicator that is not well formed is logged and left out."""

from __future__ import annotations

import logging
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime

from grids.areas import AreaRecord
from grids.safety.formula import Indicator
from plugins.hookspecs import SafetyArea, SafetyIndicator
from plugins.manager import collect
from tickets.models import SafetyDimension

log = logging.getLogger(__name__)

HOOK = "safety_indicators"
#: Codes, names and units are cut to these lengths.
_CODE_LENGTH, _NAME_LENGTH, _UNIT_LENGTH = 64, 64, 16
_MAX_WEIGHT = 100.0

#: Indicators by area code and dimension.
Indicators = dict[str, dict[SafetyDimension, list[Indicator]]]


def _number(value: object) -> float | None:
    """``value`` as a finite float; None for anything else (an int too large too)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def _checked(item: object, source: str, codes: set[str]) -> tuple[str, Indicator] | None:
    """The area code and the indicator, if ``item`` is a well-formed indicator for one of
    ``codes``; None (logged) otherwise."""
    if not isinstance(item, SafetyIndicator):
        log.warning("plugin %s: %r is not a SafetyIndicator; ignored", source, item)
        return None
    score, weight = _number(item.score), _number(item.weight)
    value = None if item.value is None else _number(item.value)
    problem = (
        "an area not asked for"
        if not isinstance(item.area_code, str) or item.area_code not in codes
        else "an unknown dimension"
        if item.dimension not in tuple(SafetyDimension)
        else "no code"
        if not isinstance(item.code, str) or not item.code.strip()
        else "a score outside 0–100"
        if score is None or not 0 <= score <= 100
        else "a weight outside (0, 100]"
        if weight is None or not 0 < weight <= _MAX_WEIGHT
        else "a value that is not a number"
        if item.value is not None and value is None
        else None
    )
    if problem is not None:
        log.warning("plugin %s: indicator %r has %s; ignored", source, item, problem)
        return None
    assert score is not None and weight is not None
    code = item.code.strip()[:_CODE_LENGTH]
    return item.area_code, Indicator(
        dimension=SafetyDimension(item.dimension),
        code=code,
        name=(item.name if isinstance(item.name, str) and item.name else code)[:_NAME_LENGTH],
        score=score,
        weight=weight,
        value=value,
        unit=(item.unit if isinstance(item.unit, str) else "")[:_UNIT_LENGTH],
        source=source,
    )


def _hook_area(area: AreaRecord, population: int) -> SafetyArea:
    return SafetyArea(area.code, area.name, area.level.value, area.path, population)


async def plugin_indicators(
    areas: Sequence[tuple[AreaRecord, int]], start: datetime, end: datetime
) -> Indicators:
    """Every plugin's checked indicators for ``areas`` (each with its population) over
    [start, end), by area code and dimension, in the plugins' order. A second indicator
    of one plugin with the same area, dimension and code is left out."""
    asked = [_hook_area(area, population) for area, population in areas]
    codes = {area.code for area in asked}
    found: Indicators = defaultdict(lambda: defaultdict(list))
    for source, answer in await collect(HOOK, areas=asked, start=start, end=end):
        if not isinstance(answer, Iterable) or isinstance(answer, (str, bytes)):
            log.warning("plugin %s: %s returned %r, not indicators; ignored", source, HOOK, answer)
            continue
        seen: set[tuple[str, SafetyDimension, str]] = set()
        try:
            items = list(answer)
        except Exception:
            log.exception("plugin %s: %s answer could not be read; ignored", source, HOOK)
            continue
        for item in items:
            checked = _checked(item, source, codes)
            if checked is None:
                continue
            code, indicator = checked
            key = (code, indicator.dimension, indicator.code)
            if key in seen:
                log.warning("plugin %s: indicator %s repeated; ignored", source, key)
                continue
            seen.add(key)
            found[code][indicator.dimension].append(indicator)
    return found
