"""Who sees which tickets, and what of them: the one place these rules live.

Each role reaches a set of tickets (:data:`REACH`), expressed as a query filter by
:func:`scope`, so a list, a single read and any later read path apply the same rule:

============  ===================================================  =======  =============
role          tickets                                              phone    history
============  ===================================================  =======  =============
ADMIN, AGENT  every ticket                                         full     every step
DEPARTMENT    with its department now, or ever dispatched or       full     every step
              transferred to it (it keeps seeing tickets it        while it
              returned or passed on)                               handles
GRID_WORKER   located in a grid they serve now                     masked   every step
CITIZEN       their own (``citizen_id``)                           masked   public steps
INTEGRATION   those it submitted (a channel's service account)     masked   public steps
SPECIALIST    those it was invited to (a consultation, whatever    masked   every step
              came of it): the content and history it answers on
MERCHANT      those linked to an order its provider took or was    masked   public steps
              paired into (the mediation organisation, the
              counsellor and the community mediator beside them)
============  ===================================================  =======  =============

Citizens are told a plainer status (:class:`PublicStatus`) and see only the public steps
(:data:`PUBLIC_STEPS`): received, dispatched (with the department, which tells them who
handles it), resolved, answered at intake, settled on site, revisited. Internal notes,
returns, transfers, urging, supervision and extensions stay inside; so do who took each
step and every note but the reply.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from enum import StrEnum

from tortoise.expressions import Q, RawSQL, Subquery
from tortoise.queryset import QuerySet

from accounts.models import Role
from accounts.service import Principal, require_role
from grids.catalogue import departments_of
from grids.models import GridWorker
from merchants.models import Order
from merchants.providers import merchant_id_of_account
from tickets.history import TicketEventRecord
from tickets.lifecycle import Action, TicketStatus
from tickets.models import (
    Consultation,
    SafetyDimension,
    Specialist,
    Ticket,
    TicketEvent,
    TicketOrder,
)
from tickets.records import TicketRecord
from tickets.sla import TicketKind, Urgency


class Reach(StrEnum):
    """Which tickets a role sees."""

    ALL = "ALL"
    DEPARTMENT = "DEPARTMENT"
    GRID = "GRID"
    OWN = "OWN"
    SUBMITTED = "SUBMITTED"
    CONSULTED = "CONSULTED"
    LINKED_ORDERS = "LINKED_ORDERS"
    NONE = "NONE"


REACH: Mapping[Role, Reach] = {
    Role.ADMIN: Reach.ALL,
    Role.AGENT: Reach.ALL,
    Role.DEPARTMENT: Reach.DEPARTMENT,
    Role.GRID_WORKER: Reach.GRID,
    Role.CITIZEN: Reach.OWN,
    Role.INTEGRATION: Reach.SUBMITTED,
    Role.SPECIALIST: Reach.CONSULTED,
    Role.MERCHANT: Reach.LINKED_ORDERS,
}
#: The steps that bring a ticket to a department: it sees the ticket from then on.
HANDED_OVER = (Action.DISPATCH, Action.TRANSFER)
#: Roles that see the citizen's phone of every ticket they see.
PHONE_ALWAYS = frozenset({Role.ADMIN, Role.AGENT})
#: Roles that see it while their department handles the ticket.
PHONE_WHILE_HANDLING = frozenset({Role.DEPARTMENT})
#: Roles that see every step of a ticket's history; the others see :data:`PUBLIC_STEPS`.
FULL_HISTORY = frozenset(
    {Role.ADMIN, Role.AGENT, Role.DEPARTMENT, Role.GRID_WORKER, Role.SPECIALIST}
)
#: The steps a citizen is shown, and whether with their note (the reply, for these).
PUBLIC_STEPS: Mapping[Action, bool] = {
    Action.RECEIVE: False,
    Action.DISPATCH: False,
    Action.RESOLVE_AT_INTAKE: True,
    Action.RESOLVE: True,
    Action.RESOLVE_ON_SITE: True,
    Action.REVISIT: False,
    # Hotline to mediation: the referral, the organisation's progress and its outcome.
    Action.REFER_TO_MEDIATION: False,
    Action.ORDER_UPDATE: False,  # its notes may carry instructions for the agents
    Action.MEDIATION_OUTCOME: True,
    Action.MEDIATION_FAILED: False,
}
_NOTHING = Q(id__in=[])


class PublicStatus(StrEnum):
    """What a citizen is told of a ticket's status."""

    ACCEPTED = "ACCEPTED"  # 已受理
    IN_PROGRESS = "IN_PROGRESS"  # 办理中
    REPLIED = "REPLIED"  # 已答复
    CLOSED = "CLOSED"  # 已办结


PUBLIC_STATUS: Mapping[TicketStatus, PublicStatus] = {
    TicketStatus.RECEIVED: PublicStatus.ACCEPTED,
    TicketStatus.DISPATCHED: PublicStatus.ACCEPTED,
    TicketStatus.RETURNED: PublicStatus.ACCEPTED,
    TicketStatus.IN_PROGRESS: PublicStatus.IN_PROGRESS,
    TicketStatus.REOPENED: PublicStatus.IN_PROGRESS,
    # Handled together with the ticket it was merged into (CLOSED once that closes).
    TicketStatus.MERGED: PublicStatus.IN_PROGRESS,
    TicketStatus.IN_MEDIATION: PublicStatus.IN_PROGRESS,
    TicketStatus.RESOLVED: PublicStatus.REPLIED,
    TicketStatus.CLOSED: PublicStatus.CLOSED,
}


async def scope(principal: Principal | None) -> Q:
    """The filter on :class:`~tickets.models.Ticket` selecting what ``principal`` sees.

    Raises Unauthenticated without a principal.
    """
    principal = require_role(principal, *REACH)
    reach = REACH[principal.role]
    if reach is Reach.ALL:
        return Q()
    if reach is Reach.DEPARTMENT:
        return (await _department_scopes(principal))[0]
    if reach is Reach.GRID:
        served = GridWorker.filter(account_id=principal.account_id, grid_id__isnull=False)
        return Q(grid_id__in=Subquery(served.values("grid_id")))
    if reach is Reach.OWN:
        return Q(citizen_id=principal.account_id)
    if reach is Reach.SUBMITTED:
        return Q(created_by_id=principal.account_id)
    if reach is Reach.CONSULTED:
        profile = Specialist.filter(account_id=principal.account_id).values("id")
        invited = Consultation.filter(specialist_id__in=Subquery(profile))
        return Q(id__in=Subquery(invited.values("ticket_id")))
    if reach is Reach.LINKED_ORDERS:
        merchant_id = await merchant_id_of_account(principal.account_id)
        if merchant_id is None:
            return _NOTHING
        taken = Order.filter(Q(merchant_id=merchant_id) | Q(companion_id=merchant_id))
        linked = TicketOrder.filter(order_id__in=Subquery(taken.values("id")))
        return Q(id__in=Subquery(linked.values("ticket_id")))
    return _NOTHING


async def scopes(principal: Principal | None) -> tuple[Q, Q]:
    """:func:`scope` written twice: as a list of it is paged fastest, and as it is
    counted fastest (they differ for a department on PostgreSQL; see
    :func:`_handed_over_to`)."""
    principal = require_role(principal, *REACH)
    if REACH[principal.role] is Reach.DEPARTMENT:
        return await _department_scopes(principal)
    seen = await scope(principal)
    return seen, seen


async def _department_scopes(principal: Principal) -> tuple[Q, Q]:
    """A department's tickets: with it now, or ever handed over to it; paged and counted."""
    department = (await departments_of([principal.account_id])).get(principal.account_id)
    if department is None:
        return _NOTHING, _NOTHING
    own = Q(department_id=department.id)
    return (
        own | _handed_over_to(department.id, counting=False),
        own | _handed_over_to(department.id, counting=True),
    )


def _handed_over_to(department_id: int, *, counting: bool) -> Q:
    """The tickets ever dispatched or transferred to the department, as ``id IN (SELECT
    …)``: walking a list newest first, PostgreSQL checks each ticket against the ids
    hashed. To count them it would read the whole table that way (OR'ed with the
    department's own tickets); ``counting``, it is given the ids as an array instead
    (``id = ANY(ARRAY(SELECT …))``), which it looks up through the primary key beside the
    department's own index (a BitmapOr), but which it would check one by one against
    each ticket of a walk. SQLite unions the two index look-ups either way."""
    handed = TicketEvent.filter(department_id=department_id, action__in=HANDED_OVER)
    ids = handed.values("ticket_id")
    if not counting or Ticket._meta.db.capabilities.dialect != "postgres":
        return Q(id__in=Subquery(ids))
    # Inlined values: an int and the two actions' names, no text from outside.
    return Q(id=RawSQL(f"ANY(ARRAY({ids.sql(params_inline=True)}))"))


async def visible_tickets(principal: Principal | None) -> QuerySet[Ticket]:
    """The tickets ``principal`` sees, as a query to filter further."""
    return Ticket.filter(await scope(principal))


async def can_see(principal: Principal | None, ticket: TicketRecord) -> bool:
    """Whether ``principal`` sees ``ticket`` (False without a principal)."""
    if principal is None:
        return False
    reach = REACH[principal.role]
    if reach in (Reach.ALL, Reach.NONE):
        return reach is Reach.ALL
    return await (await visible_tickets(principal)).filter(id=ticket.id).exists()


async def visible_ids(
    principal: Principal | None, ids: Iterable[int], *, within: Q | None = None
) -> set[int]:
    """Which of the tickets ``ids`` ``principal`` sees: no query for the roles that see
    all or nothing, else one (``within``: the principal's :func:`scope`, if the caller
    keeps it, saves looking it up again)."""
    wanted = list(set(ids))
    if principal is None or not wanted:
        return set()
    reach = REACH[principal.role]
    if reach in (Reach.ALL, Reach.NONE):
        return set(wanted) if reach is Reach.ALL else set()
    seen = Ticket.filter(within if within is not None else await scope(principal))
    rows = await seen.filter(id__in=wanted).values("id")
    return {row["id"] for row in rows}


def sees_phone(
    principal: Principal | None, ticket: TicketRecord, viewer_department_id: int | None
) -> bool:
    """Whether ``principal`` sees the citizen's name and phone unmasked (else
    :func:`wuyou.privacy.mask_phone`): agents and administrators, and the department
    handling the ticket now. ``viewer_department_id`` is the principal's department, if
    any (callers load it once per request)."""
    if principal is None:
        return False
    if principal.role in PHONE_ALWAYS:
        return True
    return (
        principal.role in PHONE_WHILE_HANDLING
        and viewer_department_id is not None
        and ticket.department_id == viewer_department_id
    )


def public_status(ticket: TicketRecord) -> PublicStatus:
    """What the citizen is told of ``ticket``'s status: a merged follower is CLOSED once
    its master has closed it."""
    if ticket.status is TicketStatus.MERGED and ticket.closed_at is not None:
        return PublicStatus.CLOSED
    return PUBLIC_STATUS[ticket.status]


def sees_internals(principal: Principal | None) -> bool:
    """Whether ``principal`` sees a ticket's internal workings: its internal status,
    deadlines and warnings, urging, supervision and returns, and every step of its
    history (staff do; a citizen reads the public status and steps)."""
    return principal is not None and principal.role in FULL_HISTORY


def visible_history(
    principal: Principal | None, events: Iterable[TicketEventRecord]
) -> list[TicketEventRecord]:
    """The steps of a ticket's history ``principal`` may see (of a ticket they can see).

    Staff see every step; anyone else sees the public steps, without who took them and
    without notes other than the reply.
    """
    if sees_internals(principal):
        return list(events)
    return [
        dataclasses.replace(
            event, actor_id=None, note=event.note if PUBLIC_STEPS[event.action] else ""
        )
        for event in events
        if event.action in PUBLIC_STEPS
    ]


async def latest_public_replies(ticket_ids: Iterable[int]) -> dict[int, str]:
    """The latest reply a citizen is shown on each ticket (the note of the last public
    step that shows its note: a resolution, an answer at intake, a mediation outcome), in
    one query; tickets without one are absent."""
    wanted = list(set(ticket_ids))
    if not wanted:
        return {}
    shown = [action for action, with_note in PUBLIC_STEPS.items() if with_note]
    rows = await (
        TicketEvent.filter(ticket_id__in=wanted, action__in=shown)
        .exclude(note="")
        .order_by("occurred_at", "id")
        .values("ticket_id", "note")
    )
    return {row["ticket_id"]: row["note"] for row in rows}  # the latest wins


def withheld_from_public(ticket: TicketRecord, dimension: SafetyDimension | None) -> bool:
    """Whether a public list (one anybody may read) must withhold what ``ticket`` says and
    where it is, beyond the masking every public text gets: a report of a violation (its
    informant is protected), a desk's case, a CRITICAL ticket (a psychological crisis
    among them), and whatever counts towards political security. ``dimension`` is its
    category's."""
    return (
        ticket.kind is TicketKind.REPORT
        or ticket.desk is not None
        or ticket.urgency is Urgency.CRITICAL
        or dimension is SafetyDimension.POLITICAL_SECURITY
    )
