"""Observers of orders' status changes, called inside the transaction of each change.

Another package that must change with an order (the hotline's tickets linked to it)
registers an observer here; the marketplace calls every registered observer at each
status change (placement, dispatch giving up with NO_PROVIDER, acceptance, start,
completion, cancellation) inside the transaction that makes the change. What an
observer writes therefore commits or rolls back with the order: an observer that
raises undoes the change, and the caller of the step gets its exception. Nothing is
left half-written, and nothing waits in memory for a restart to lose.

Dependencies keep pointing one way: the marketplace knows only this registry, never
who observes it. Observers are not plugins: a plugin's failure is isolated
(:mod:`plugins.guard`), an observer's is the step's.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from merchants.models import OrderStatus
from merchants.records import OrderRecord

#: ``(order as it now is, the status it left (None: just placed), who acted (None: the
#: platform itself, e.g. dispatch giving up))``.
OrderObserver = Callable[[OrderRecord, OrderStatus | None, int | None], Awaitable[None]]

_observers: list[OrderObserver] = []


def register(observer: OrderObserver) -> None:
    """Call ``observer`` at every order status change from now on; registering the same
    observer again changes nothing."""
    if observer not in _observers:
        _observers.append(observer)


def unregister(observer: OrderObserver) -> None:
    """Stop calling ``observer`` (no error if it was not registered)."""
    if observer in _observers:
        _observers.remove(observer)


def registered() -> tuple[OrderObserver, ...]:
    """The observers called at each change, in the order they were registered."""
    return tuple(_observers)


async def order_changed(
    order: OrderRecord, previous: OrderStatus | None, actor_id: int | None
) -> None:
    """Tell every observer that ``order`` left ``previous``. Call it inside the change's
    transaction; an observer's exception propagates (and rolls the change back)."""
    for observer in tuple(_observers):
        await observer(order, previous, actor_id)
