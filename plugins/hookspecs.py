"""The plugin contract: every hook a wuyou plugin may implement.

A plugin is a module or object with functions marked ``@hookimpl`` whose names
match the specs below. Built-in plugins (``plugins/builtin/``) are registered by
module name; third-party packages declare an entry point in the ``wuyou`` group::

    [project.entry-points.wuyou]
    my_plugin = "my_package.plugin"

Every call into a plugin is isolated (``plugins.guard``): an exception or a call
that takes longer than ``WUYOU_PLUGIN_TIMEOUT_SECONDS`` (default 2) is logged and
counted, the platform's default behaviour applies, and the request is still answered.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import pluggy

from wuyou.events import Event

if TYPE_CHECKING:
    from plugins.service_types import ServiceType

PROJECT = "wuyou"

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@dataclass(frozen=True, slots=True)
class OrderInfo:
    """What order hooks are told about an order: no name, phone or other personal data.

    ``form`` holds the cleaned form as JSON, with personal fields (phones, ID numbers)
    left out; ``merchant_id`` is set once a provider has accepted.
    """

    number: str
    service_type: str
    status: str
    grid_code: str
    form: dict[str, Any]
    quoted_amount: Decimal | None
    final_amount: Decimal | None
    merchant_id: int | None
    placed_at: datetime
    urgent: bool


@dataclass(frozen=True, slots=True)
class SafetyArea:
    """An area the safety index is computed for, as :func:`safety_indicators` is told.

    ``level`` is CITY, DISTRICT, STREET, COMMUNITY or GRID; ``path`` the codes from the
    city down to the area, each followed by "/" (``"150300/150302/"``); ``population``
    the residents the index divides by.
    """

    code: str
    name: str
    level: str
    path: str
    population: int


@dataclass(frozen=True, slots=True)
class SafetyIndicator:
    """One figure a plugin adds to an area's safety index on one dimension.

    ``score`` is already normalised: 0–100, 100 the safest. ``weight`` (above 0, at
    most 100) is on the same scale as the index's own parts (incidents 0.6, on time
    0.15, satisfaction 0.15, repeats 0.1 by default): an indicator of weight 0.2 counts
    a third as much as the incident rate. ``value`` and ``unit`` are the raw figure as
    shown to people (e.g. 92.5 "%" of inspected kitchens passing).
    """

    area_code: str
    dimension: str
    code: str
    name: str
    score: float
    weight: float
    value: float | None = None
    unit: str = ""


@hookspec
def register_service_types(register: Callable[[ServiceType], None]) -> None:
    """Contribute service types to the marketplace.

    Called once when the plugins are loaded. Call ``register(ServiceType(...))`` once
    for each type the plugin offers. A code already registered by another plugin is
    refused (logged) and the first registration stays. If the hook raises or overruns,
    none of the plugin's types are registered and the others load as usual.

    :param register: adds one :class:`~plugins.service_types.ServiceType`.
    """


@hookspec
def order_placed(order: OrderInfo) -> None:
    """An order was placed and committed; dispatch has started (or found no provider).

    A broadcast hook: every implementation is called, and nothing is returned. Use it
    to notify another system; slow work belongs in a queue of the plugin's own.

    :param order: the order as placed.
    """


@hookspec
def order_status_changed(order: OrderInfo, previous: str, actor: str | None) -> None:
    """An order moved from ``previous`` to ``order.status`` and the change is committed.

    Called for every transition after placing: DISPATCHING, ACCEPTED, IN_SERVICE,
    COMPLETED, CANCELLED and NO_PROVIDER. A broadcast hook, like :func:`order_placed`.

    :param order: the order after the change.
    :param previous: the status it left.
    :param actor: username of the account that caused the change; None for the
        platform itself (an offer expiring, dispatch running out of providers).
    """


@hookspec
def track_event(event: Event) -> None:
    """Observe a platform event after it has been committed and broadcast.

    Called for every event the platform publishes (a grid worker assigned, an offer
    made, an order accepted ...), e.g. to forward them to a city data hub or an
    analytics system. Implementations must be quick: slow work belongs in a queue of
    the plugin's own. An exception is logged and ignored; it never affects the request
    that caused the event.

    :param event: the event: ``topic`` (e.g. ``"area:150302001001-G07"``), ``kind``
        (e.g. ``"GRID_WORKER_ASSIGNED"``), ``payload`` (a small JSON-able dict) and
        ``occurred_at``.
    """


@hookspec
def safety_indicators(
    areas: Sequence[SafetyArea], start: datetime, end: datetime
) -> Iterable[SafetyIndicator] | None:
    """Contribute indicators to the safety index of ``areas`` over [``start``, ``end``).

    Called by every computation of the index (once for its period and once for the
    previous period of equal length) and of a ranking (once, with every area ranked), so
    answer from data at hand (a cache the plugin refreshes itself), not from a slow
    remote call. Every implementation is called; each returns the indicators it has
    (None or nothing when it has none), e.g. inspection results from another system.

    An indicator must name one of ``areas`` (``area_code``), one of the eight
    dimensions (PUBLIC_ORDER, DISPUTES, PRODUCTION_SAFETY, ECOLOGY, POLITICAL_SECURITY,
    FOOD_DRUG_SAFETY, ECONOMIC_SECURITY, SOCIAL_SERVICES), a score 0–100 and a weight
    above 0 up to 100; one that does not is logged and left out, as is a second one with
    the same area, dimension and code. The index records the plugin's name as the
    indicator's source. If the hook raises or overruns, the plugin's indicators are left
    out and the index is computed without them.

    :param areas: the areas whose index is computed.
    :param start: the period's start (aware, UTC), included.
    :param end: the period's end (aware, UTC), excluded.
    :return: the plugin's :class:`SafetyIndicator` objects for any of ``areas``.
    """
