"""The safety index (平安指数): for an area and a period, a score 0–100 (100 safest) on
each of the eight dimensions and overall, from the platform's own tickets and grid
events and from the indicators plugins contribute. See docs/safety-index.md.

:mod:`~grids.safety.settings` holds the weights and scales administrators configure,
:mod:`~grids.safety.inputs` the SQL that counts tickets, :mod:`~grids.safety.indicators`
the plugins' indicators, :mod:`~grids.safety.formula` the arithmetic, and
:mod:`~grids.safety.index` the index and the ranking the API serves.
"""
