"""Policy specialists and the three-way call (三方通话): an agent on a desk ticket brings a
specialist of a department onto the line, who joins, answers, or declines.

* An administrator registers a specialist profile for an account of the SPECIALIST role:
  its department, title, topics and the desks it serves.
* Agents invite a specialist onto an open (or resolved) ticket. The specialist must be
  active and qualified for the ticket: it serves the ticket's desk, or one of its topics
  is the ticket's category or an ancestor of it (``ENTERPRISE`` covers
  ``ENTERPRISE.POLICIES.TAX_RELIEF``); NOT_QUALIFIED otherwise. A specialist has at most
  one pending (INVITED or JOINED) consultation per ticket.
* Only the invited specialist joins (INVITED → JOINED), answers (INVITED or JOINED →
  ANSWERED; answering without joining first joins at the same moment) or declines
  (INVITED or JOINED → DECLINED, the reason kept as the consultation's answer); anyone
  else is Forbidden.

Each step is a conditional update on the consultation's status (two racing calls: one
wins, the other gets INVALID_STATE) inside the transaction of a ticket step
(:func:`tickets.workflow.move`, status unchanged), so every step is in the ticket's
history with its actor and a note: the agents' INVITE_SPECIALIST, and the
specialist's JOIN_CONSULTATION, ANSWER_CONSULTATION and DECLINE_CONSULTATION. The
specialist hears of invitations and of their consultations' changes on
:func:`specialist_topic`; the ticket's subscribers hear of every step as of any other.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from accounts.models import Account, Role
from accounts.service import Principal, find_account, require_role
from grids.catalogue import get_department, get_departments_by_id
from tickets.categories import get_categories_by_id
from tickets.lifecycle import Action, check
from tickets.models import Consultation, ConsultationStatus, Desk, Specialist
from tickets.records import TicketRecord, get_tickets_by_id
from tickets.workflow import existing_ticket, move, note_text
from wuyou import clock, events
from wuyou.errors import DomainError, ErrorCode, Forbidden, Problem
from wuyou.pagination import Page, page_from_rows

QUESTION_MAX_LENGTH = 1000
ANSWER_MAX_LENGTH = 5000
REASON_MAX_LENGTH = 500
TITLE_MAX_LENGTH = 64
MAX_TOPICS = 20
#: A topic: a category code (any level) or a free policy topic (TAX, LICENCE ...).
_TOPIC = re.compile(r"[A-Z][A-Z0-9_]*(\.[A-Z][A-Z0-9_]*)*")
_TOPIC_MAX_LENGTH = 96
#: A consultation the specialist has not finished with.
PENDING = (ConsultationStatus.INVITED, ConsultationStatus.JOINED)
CONSULTATION_UPDATED = "CONSULTATION_UPDATED"


def specialist_topic(account_id: int) -> str:
    """The topic a specialist's account hears its invitations and consultations on."""
    return f"specialist:{account_id}"


@dataclass(frozen=True, slots=True)
class SpecialistRecord:
    """A specialist profile: the account, its department, title, topics and desks."""

    id: int
    account_id: int
    department_id: int
    title: str
    topics: list[str]
    desks: list[Desk]
    is_active: bool
    created_at: datetime

    def serves(self, ticket: TicketRecord, category_code: str | None) -> bool:
        """Whether the specialist may be invited onto ``ticket`` (of ``category_code``)."""
        if ticket.desk is not None and ticket.desk in self.desks:
            return True
        return category_code is not None and covers(self.topics, category_code)


@dataclass(frozen=True, slots=True)
class ConsultationRecord:
    """A specialist brought onto a ticket: who asked what, who joined when, the answer."""

    id: int
    ticket_id: int
    specialist_id: int
    invited_by_id: int
    question: str
    status: ConsultationStatus
    invited_at: datetime
    joined_at: datetime | None
    answered_at: datetime | None
    answer: str


@dataclass(frozen=True, slots=True)
class SpecialistFilter:
    """Which specialists to list; every criterion given must hold. ``topic`` matches a
    specialist with that topic or a broader one (an ancestor category code)."""

    desk: Desk | None = None
    topic: str | None = None
    department: str | None = None
    active: bool | None = True


def covers(topics: Iterable[str], code: str) -> bool:
    """Whether one of ``topics`` is ``code`` or an ancestor of it (dotted codes)."""
    return any(code == topic or code.startswith(f"{topic}.") for topic in topics)


#: The largest id the profiles' INT column holds (a client may name any BIGINT).
_INT_MAX = 2**31 - 1
_SPECIALIST_COLUMNS = tuple(SpecialistRecord.__dataclass_fields__)
_CONSULTATION_COLUMNS = tuple(ConsultationRecord.__dataclass_fields__)


def _specialist(row: Mapping[str, Any]) -> SpecialistRecord:
    values = dict(row)
    values["desks"] = [Desk(d) for d in values["desks"]]
    values["topics"] = list(values["topics"])
    return SpecialistRecord(**values)


async def get_specialists(ids: Iterable[int]) -> dict[int, SpecialistRecord]:
    """Specialist profiles by id (one query); unknown ids (beyond the INT column's range
    too) are absent."""
    wanted = [i for i in set(ids) if 0 < i <= _INT_MAX]
    if not wanted:
        return {}
    rows = await Specialist.filter(id__in=wanted).values(*_SPECIALIST_COLUMNS)
    return {r["id"]: _specialist(r) for r in rows}


async def specialist_of(account_id: int) -> SpecialistRecord | None:
    """The specialist profile of an account, if it has one."""
    rows = await Specialist.filter(account_id=account_id).values(*_SPECIALIST_COLUMNS)
    return _specialist(rows[0]) if rows else None


async def get_consultations(ids: Iterable[int]) -> dict[int, ConsultationRecord]:
    """Consultations by id (one query); unknown ids are absent."""
    wanted = list(set(ids))
    if not wanted:
        return {}
    rows = await Consultation.filter(id__in=wanted).values(*_CONSULTATION_COLUMNS)
    return {r["id"]: ConsultationRecord(**r) for r in rows}


async def consultations_of(ticket_ids: Iterable[int]) -> dict[int, list[ConsultationRecord]]:
    """Each ticket's consultations, oldest first (one query); every id asked for is a key."""
    wanted = list(set(ticket_ids))
    result: dict[int, list[ConsultationRecord]] = {tid: [] for tid in wanted}
    if wanted:
        rows = await (
            Consultation.filter(ticket_id__in=wanted)
            .order_by("invited_at", "id")
            .values(*_CONSULTATION_COLUMNS)
        )
        for row in rows:
            result[row["ticket_id"]].append(ConsultationRecord(**row))
    return result


def _topics(topics: Sequence[str]) -> tuple[list[str], list[Problem]]:
    cleaned = list(dict.fromkeys(t.strip().upper() for t in topics if t.strip()))
    problems: list[Problem] = []
    if not cleaned:
        problems.append(Problem("topics", ErrorCode.REQUIRED, "请至少填写一个专业领域。"))
    elif len(cleaned) > MAX_TOPICS:
        problems.append(Problem("topics", ErrorCode.TOO_LONG, f"专业领域最多 {MAX_TOPICS} 个。"))
    bad = [t for t in cleaned if len(t) > _TOPIC_MAX_LENGTH or not _TOPIC.fullmatch(t)]
    if bad:
        problems.append(
            Problem(
                "topics",
                ErrorCode.INVALID,
                f"专业领域应为分类代码或大写英文主题（如 TAX）：{'、'.join(bad[:3])}",
            )
        )
    return cleaned, problems


async def register_specialist(
    *,
    username: str,
    department_code: str,
    title: str,
    topics: Sequence[str],
    desks: Sequence[Desk],
    actor: Principal | None,
) -> SpecialistRecord:
    """Give an existing SPECIALIST account its profile (administrators): the department
    it works for, its title, topics (category codes or policy topics such as TAX) and
    the desks it serves. One profile per account: ALREADY_EXISTS on ``username``."""
    actor = require_role(actor, Role.ADMIN)
    problems: list[Problem] = []
    account = await find_account(username)
    if account is None:
        problems.append(Problem("username", ErrorCode.NOT_FOUND, f"没有账号 {username!r}。"))
    elif account.role is not Role.SPECIALIST:
        problems.append(
            Problem("username", ErrorCode.WRONG_ROLE, "只有 SPECIALIST 角色的账号可登记为专家。")
        )
    department = await get_department(department_code)
    if department is None:
        problems.append(Problem("departmentCode", ErrorCode.NOT_FOUND, "没有这个部门。"))
    title = title.strip()
    if len(title) > TITLE_MAX_LENGTH:
        problems.append(Problem("title", ErrorCode.TOO_LONG, f"职务最多 {TITLE_MAX_LENGTH} 个字。"))
    cleaned, topic_problems = _topics(topics)
    problems += topic_problems
    if problems:
        raise DomainError.of(problems)
    assert account is not None and department is not None
    try:
        async with in_transaction():
            created = await Specialist.create(
                account_id=account.id,
                department_id=department.id,
                title=title,
                topics=cleaned,
                desks=[d.value for d in dict.fromkeys(desks)],
                is_active=True,
                created_at=clock.now(),
            )
    except IntegrityError:
        raise DomainError(ErrorCode.ALREADY_EXISTS, "该账号已登记为专家。", "username") from None
    return (await get_specialists([created.id]))[created.id]


async def list_specialists(
    principal: Principal | None,
    specialist_filter: SpecialistFilter,
    *,
    first: int,
    after: int | None,
) -> Page[SpecialistRecord]:
    """A page of specialists matching ``specialist_filter``, in the order they were
    registered, after the profile id ``after`` (agents, administrators and specialists).

    Desks and topics are JSON lists, matched here rather than in SQL (the same on
    SQLite and PostgreSQL): a city has tens of specialists, not thousands.
    Raises NOT_FOUND on ``filter.department`` for an unknown department.
    """
    require_role(principal, Role.AGENT, Role.ADMIN, Role.SPECIALIST)
    f = specialist_filter
    query = Specialist.all()
    if f.department is not None:
        department = await get_department(f.department)
        if department is None:
            raise DomainError(ErrorCode.NOT_FOUND, "没有这个部门。", "filter.department")
        query = query.filter(department_id=department.id)
    if f.active is not None:
        query = query.filter(is_active=f.active)
    rows = await query.order_by("id").values(*_SPECIALIST_COLUMNS)
    found = [_specialist(r) for r in rows]
    if f.desk is not None:
        found = [s for s in found if f.desk in s.desks]
    if f.topic:
        topic = f.topic.strip().upper()
        found = [s for s in found if covers(s.topics, topic)]
    following = [s for s in found if after is None or s.id > after]
    return page_from_rows(following[: first + 1], first, len(found), after_given=after is not None)


async def my_consultations(
    principal: Principal | None,
    *,
    statuses: Sequence[ConsultationStatus] | None,
    first: int,
    after: int | None,
) -> Page[ConsultationRecord]:
    """The signed-in specialist's consultations, newest first, after the id ``after``."""
    principal = require_role(principal, Role.SPECIALIST)
    own = await specialist_of(principal.account_id)
    if own is None:
        return Page(items=[], total_count=0, has_next_page=False, has_previous_page=False)
    query = Consultation.filter(specialist_id=own.id)
    if statuses:
        query = query.filter(status__in=list(statuses))
    total = await query.count()
    if after is not None:
        query = query.filter(id__lt=after)
    rows = await query.order_by("-id").limit(first + 1).values(*_CONSULTATION_COLUMNS)
    records = [ConsultationRecord(**r) for r in rows]
    return page_from_rows(records, first, total, after_given=after is not None)


async def _publish(specialist: SpecialistRecord, consultation: ConsultationRecord) -> None:
    await events.publish(
        specialist_topic(specialist.account_id),
        CONSULTATION_UPDATED,
        consultation_id=consultation.id,
        status=consultation.status.value,
    )


async def _specialist_label(specialist: SpecialistRecord) -> str:
    account = await Account.get(id=specialist.account_id)
    department = (await get_departments_by_id([specialist.department_id])).get(
        specialist.department_id
    )
    where = department.short_name if department else ""
    return f"{account.display_name}（{where}{specialist.title}）"


async def invite_specialist(
    *, number: str, specialist_id: int, question: str, actor: Principal | None
) -> ConsultationRecord:
    """Bring a specialist onto a ticket (agents): see the module docstring for who may be
    invited. The invitation is in the ticket's history with the question, and the
    specialist hears of it at once."""
    actor = require_role(actor, Role.AGENT, Role.ADMIN)
    ticket = await existing_ticket(number)
    target = check(Action.INVITE_SPECIALIST, ticket.status, actor.role)
    specialist = (await get_specialists([specialist_id])).get(specialist_id)
    if specialist is None:
        raise DomainError(ErrorCode.NOT_FOUND, "没有这位专家。", "specialistId")
    if not specialist.is_active:
        raise DomainError(ErrorCode.INVALID_STATE, "该专家已停用。", "specialistId")
    category_code = None
    if ticket.category_id is not None:
        category = (await get_categories_by_id([ticket.category_id])).get(ticket.category_id)
        category_code = category.code if category else None
    if not specialist.serves(ticket, category_code):
        raise DomainError(
            ErrorCode.NOT_QUALIFIED,
            "该专家不服务于本工单的专席，专业领域也不涵盖其诉求分类。",
            "specialistId",
        )
    text = note_text(
        question, field="question", label="咨询问题", limit=QUESTION_MAX_LENGTH, required=False
    )
    label = await _specialist_label(specialist)
    now = clock.now()
    async with events.after_commit(), in_transaction():
        # The step updates the ticket's row first: a concurrent invitation of the same
        # specialist waits for it, then finds this one pending.
        await move(
            ticket,
            Action.INVITE_SPECIALIST,
            actor,
            target,
            {},
            note=f"邀请专家 {label}：{text}" if text else f"邀请专家 {label}",
            department_id=specialist.department_id,
            now=now,
        )
        if await Consultation.filter(
            ticket_id=ticket.id, specialist_id=specialist.id, status__in=list(PENDING)
        ).exists():
            raise DomainError(
                ErrorCode.ALREADY_EXISTS, "已邀请该专家，尚待其答复。", "specialistId"
            )
        created = await Consultation.create(
            ticket_id=ticket.id,
            specialist_id=specialist.id,
            invited_by_id=actor.account_id,
            question=text,
            status=ConsultationStatus.INVITED,
            invited_at=now,
        )
        record = (await get_consultations([created.id]))[created.id]
        await _publish(specialist, record)
    return record


async def _own(
    consultation_id: int, actor: Principal | None
) -> tuple[Principal, ConsultationRecord, SpecialistRecord, TicketRecord]:
    """The consultation, if ``actor`` is the specialist invited to it (Forbidden for
    anyone else, NOT_FOUND for no consultation)."""
    actor = require_role(actor, Role.SPECIALIST)
    consultation = (await get_consultations([consultation_id])).get(consultation_id)
    if consultation is None:
        raise DomainError(ErrorCode.NOT_FOUND, "没有这个专家会商。", "consultationId")
    specialist = (await get_specialists([consultation.specialist_id]))[consultation.specialist_id]
    if specialist.account_id != actor.account_id:
        raise Forbidden("Only the invited specialist answers this consultation.")
    ticket = (await get_tickets_by_id([consultation.ticket_id]))[consultation.ticket_id]
    return actor, consultation, specialist, ticket


#: Stands for the moment of the step in :func:`_respond`'s changes.
_NOW = object()


async def _respond(
    consultation_id: int,
    actor: Principal | None,
    action: Action,
    *,
    sources: Sequence[ConsultationStatus],
    changes: Mapping[str, Any],
    note: str,
    refused: str,
) -> ConsultationRecord:
    """One step of the invited specialist: the consultation moves from one of
    ``sources`` with ``changes``, and the ticket's history records ``action`` with
    ``note``."""
    actor, consultation, specialist, ticket = await _own(consultation_id, actor)
    try:
        target = check(action, ticket.status, actor.role)
    except DomainError as error:
        raise DomainError(error.code, error.problems[0].message, "consultationId") from None
    now = clock.now()
    columns = {key: (now if value is _NOW else value) for key, value in changes.items()}
    async with events.after_commit(), in_transaction():
        moved = await Consultation.filter(id=consultation.id, status__in=list(sources)).update(
            **columns
        )
        if not moved:
            raise DomainError(ErrorCode.INVALID_STATE, refused, "consultationId")
        if "answered_at" in columns:  # answered without joining first: joined now
            await Consultation.filter(id=consultation.id, joined_at__isnull=True).update(
                joined_at=now
            )
        await move(
            ticket,
            action,
            actor,
            target,
            {},
            note=note,
            department_id=specialist.department_id,
            now=now,
        )
        record = (await get_consultations([consultation.id]))[consultation.id]
        await _publish(specialist, record)
    return record


async def join_consultation(*, consultation_id: int, actor: Principal | None) -> ConsultationRecord:
    """The invited specialist joins the call (INVITED → JOINED)."""
    return await _respond(
        consultation_id,
        actor,
        Action.JOIN_CONSULTATION,
        sources=(ConsultationStatus.INVITED,),
        changes={"status": ConsultationStatus.JOINED, "joined_at": _NOW},
        note="专家加入三方通话",
        refused="该会商已不在待加入状态。",
    )


async def answer_consultation(
    *, consultation_id: int, answer: str, actor: Principal | None
) -> ConsultationRecord:
    """The invited specialist gives the answer (INVITED or JOINED → ANSWERED); once only."""
    text = note_text(
        answer, field="answer", label="专家答复", limit=ANSWER_MAX_LENGTH, required=True
    )
    return await _respond(
        consultation_id,
        actor,
        Action.ANSWER_CONSULTATION,
        sources=PENDING,
        changes={"status": ConsultationStatus.ANSWERED, "answered_at": _NOW, "answer": text},
        note=f"专家答复：{text}",
        refused="该会商已答复或已婉拒。",
    )


async def decline_consultation(
    *, consultation_id: int, reason: str, actor: Principal | None
) -> ConsultationRecord:
    """The invited specialist declines (INVITED or JOINED → DECLINED), with a reason."""
    text = note_text(
        reason, field="reason", label="婉拒理由", limit=REASON_MAX_LENGTH, required=False
    )
    return await _respond(
        consultation_id,
        actor,
        Action.DECLINE_CONSULTATION,
        sources=PENDING,
        changes={"status": ConsultationStatus.DECLINED, "answer": text},
        note=f"专家婉拒：{text}" if text else "专家婉拒",
        refused="该会商已答复或已婉拒。",
    )
