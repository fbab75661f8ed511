"""Maintaining articles: create, update, publish, archive; reading and listing them.

Every change saves a revision (:class:`~tickets.models.ArticleRevision`: the version,
the status, a snapshot of the editable fields, who and when) and raises the article's
``version``. A change names the version it was made on and applies only if the article
is still at it (a conditional update), so two editors never overwrite each other
silently: the second gets INVALID_STATE on ``version``. The article's search tokens are
cut (off the event loop) whenever its title, tags or body are saved.

Lifecycle: DRAFT → PUBLISHED → ARCHIVED (a draft may be archived too); an archived
article is kept, not edited.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from accounts.service import Principal, require_role
from grids.catalogue import get_department, get_departments_by_id
from tickets.admin import UNCHANGED, Unchanged
from tickets.categories import get_category
from tickets.knowledge import segment
from tickets.knowledge.records import (
    ARTICLE_COLUMNS,
    DEPARTMENT_EDITORS,
    EDITORS,
    ArticleRecord,
    get_articles_by_id,
    maintained,
    may_maintain,
    own_department_id,
    readable,
)
from tickets.models import Article, ArticleAudience, ArticleRevision, ArticleStatus
from wuyou import clock
from wuyou.errors import DomainError, ErrorCode, Forbidden, Problem
from wuyou.pagination import Page, page_from_rows

TITLE_MAX_LENGTH = 200
BODY_MAX_LENGTH = 20_000
MAX_TAGS = 20
TAG_MAX_LENGTH = 20
NOTE_MAX_LENGTH = 255
TEXT_FILTER_MAX_LENGTH = 100
MAINTAINERS = (*EDITORS, *DEPARTMENT_EDITORS)
#: The steps of the lifecycle: the status each may start from, and where it leads.
_STEPS: Mapping[ArticleStatus, tuple[ArticleStatus, ...]] = {
    ArticleStatus.PUBLISHED: (ArticleStatus.DRAFT,),
    ArticleStatus.ARCHIVED: (ArticleStatus.DRAFT, ArticleStatus.PUBLISHED),
}


@dataclass(frozen=True, slots=True)
class ArticleDraft:
    """An article's editable fields: codes name the category (any level) and the
    department."""

    title: str
    body: str
    audience: ArticleAudience
    category: str | None = None
    department: str | None = None
    tags: Sequence[str] = ()
    effective_from: date | None = None
    expires_on: date | None = None


@dataclass(frozen=True, slots=True)
class ArticleChanges:
    """What an update changes: fields left :data:`~tickets.admin.UNCHANGED` stay, None
    clears an optional one."""

    title: str | Unchanged = UNCHANGED
    body: str | Unchanged = UNCHANGED
    audience: ArticleAudience | Unchanged = UNCHANGED
    category: str | Unchanged | None = UNCHANGED
    department: str | Unchanged | None = UNCHANGED
    tags: Sequence[str] | Unchanged = UNCHANGED
    effective_from: date | Unchanged | None = UNCHANGED
    expires_on: date | Unchanged | None = UNCHANGED


@dataclass(frozen=True, slots=True)
class ArticleFilter:
    """Which articles a maintainer lists; every criterion given must hold."""

    statuses: tuple[ArticleStatus, ...] | None = None
    audience: ArticleAudience | None = None
    department: str | None = None
    category: str | None = None
    text: str | None = None


@dataclass(frozen=True, slots=True)
class _Fields:
    """Checked editable fields, as columns."""

    title: str
    body: str
    audience: ArticleAudience
    category_id: int | None
    category_code: str | None
    department_id: int | None
    department_code: str | None
    tags: list[str]
    effective_from: date | None
    expires_on: date | None

    def snapshot(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "body": self.body,
            "audience": self.audience.value,
            "category": self.category_code,
            "department": self.department_code,
            "tags": self.tags,
            "effectiveFrom": self.effective_from.isoformat() if self.effective_from else None,
            "expiresOn": self.expires_on.isoformat() if self.expires_on else None,
        }

    def columns(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "body": self.body,
            "audience": self.audience,
            "category_id": self.category_id,
            "department_id": self.department_id,
            "tags": self.tags,
            "effective_from": self.effective_from,
            "expires_on": self.expires_on,
        }


def _tags(tags: Sequence[str]) -> tuple[list[str], list[Problem]]:
    cleaned = list(dict.fromkeys(t.strip() for t in tags if t.strip()))
    problems = []
    if len(cleaned) > MAX_TAGS:
        problems.append(Problem("tags", ErrorCode.TOO_LONG, f"最多 {MAX_TAGS} 个标签。"))
    if any(len(t) > TAG_MAX_LENGTH for t in cleaned):
        problems.append(
            Problem("tags", ErrorCode.TOO_LONG, f"每个标签最多 {TAG_MAX_LENGTH} 个字。")
        )
    return cleaned, problems


async def _checked(draft: ArticleDraft, actor: Principal) -> _Fields:
    """``draft``'s fields checked (every problem at once); a department's staff write
    for their own department (Forbidden for another; none named is theirs)."""
    title, body = draft.title.strip(), draft.body.strip()
    problems: list[Problem] = []
    if len(title) < 2:
        problems.append(Problem("title", ErrorCode.TOO_SHORT, "标题至少 2 个字。"))
    elif len(title) > TITLE_MAX_LENGTH:
        problems.append(Problem("title", ErrorCode.TOO_LONG, f"标题最多 {TITLE_MAX_LENGTH} 个字。"))
    if not body:
        problems.append(Problem("body", ErrorCode.REQUIRED, "请填写正文。"))
    elif len(body) > BODY_MAX_LENGTH:
        problems.append(Problem("body", ErrorCode.TOO_LONG, f"正文最多 {BODY_MAX_LENGTH} 个字。"))
    tags, tag_problems = _tags(draft.tags)
    problems += tag_problems
    category = await get_category(draft.category) if draft.category else None
    if draft.category and category is None:
        problems.append(Problem("category", ErrorCode.NOT_FOUND, "没有这个诉求分类。"))
    department_id = await own_department_id(actor)
    department_code = draft.department
    if actor.role in DEPARTMENT_EDITORS:
        if department_id is None:
            raise Forbidden("This account does not work for a department.")
        own = (await get_departments_by_id([department_id]))[department_id]
        if department_code not in (None, own.code):
            raise Forbidden("A department writes its own articles only.")
        department_code = own.code
    elif department_code:
        department = await get_department(department_code)
        if department is None:
            problems.append(Problem("department", ErrorCode.NOT_FOUND, "没有这个部门。"))
        department_id = department.id if department else None
    else:
        department_id = None
    if draft.effective_from and draft.expires_on and draft.expires_on < draft.effective_from:
        problems.append(Problem("expiresOn", ErrorCode.INVALID, "失效日期不能早于生效日期。"))
    if problems:
        raise DomainError.of(problems)
    return _Fields(
        title=title,
        body=body,
        audience=draft.audience,
        category_id=category.id if category else None,
        category_code=category.code if category else None,
        department_id=department_id,
        department_code=department_code if department_id else None,
        tags=tags,
        effective_from=draft.effective_from,
        expires_on=draft.expires_on,
    )


async def search_tokens(title: str, tags: Sequence[str], body: str) -> str:
    """The article's search tokens, cut off the event loop (the first cut loads jieba)."""
    return await asyncio.to_thread(segment.article_tokens, title, tags, body)


def _note(note: str) -> str:
    value = note.strip()
    if len(value) > NOTE_MAX_LENGTH:
        raise DomainError(ErrorCode.TOO_LONG, f"说明最多 {NOTE_MAX_LENGTH} 个字。", "note")
    return value


async def create_article(
    draft: ArticleDraft, *, actor: Principal | None, note: str = "", is_demo: bool = False
) -> ArticleRecord:
    """Write a new article, a DRAFT at version 1 (maintainers: agents, administrators,
    a department's staff for their own department)."""
    actor = require_role(actor, *MAINTAINERS)
    fields = await _checked(draft, actor)
    text = _note(note)
    tokens = await search_tokens(fields.title, fields.tags, fields.body)
    now = clock.now()
    async with in_transaction():
        article = await Article.create(
            **fields.columns(),
            status=ArticleStatus.DRAFT,
            version=1,
            search_tokens=tokens,
            created_by_id=actor.account_id,
            updated_by_id=actor.account_id,
            is_demo=is_demo,
            created_at=now,
            updated_at=now,
        )
        await ArticleRevision.create(
            article_id=article.id,
            version=1,
            status=ArticleStatus.DRAFT,
            snapshot=fields.snapshot(),
            actor_id=actor.account_id,
            note=text or "创建",
            occurred_at=now,
        )
    return (await get_articles_by_id([article.id]))[article.id]


async def _maintainable(article_id: int, actor: Principal) -> ArticleRecord:
    """The article, if ``actor`` maintains it (NOT_FOUND on ``id`` for one they don't
    see, Forbidden for one they see but don't maintain)."""
    article = (await get_articles_by_id([article_id])).get(article_id)
    readable_now = (
        article is not None and await Article.filter(await readable(actor), id=article_id).exists()
    )
    if article is None or not readable_now:
        raise DomainError(ErrorCode.NOT_FOUND, "没有这篇文章。", "id")
    if not may_maintain(actor, article, await own_department_id(actor)):
        raise Forbidden("This article belongs to another department.")
    return article


def _draft_of(
    article: ArticleRecord, snapshot: Mapping[str, Any], changes: ArticleChanges
) -> ArticleDraft:
    def value(name: str, current: Any) -> Any:
        given = getattr(changes, name)
        return current if given is UNCHANGED else given

    return ArticleDraft(
        title=value("title", article.title),
        body=value("body", article.body),
        audience=value("audience", article.audience),
        category=value("category", snapshot.get("category")),
        department=value("department", snapshot.get("department")),
        tags=value("tags", article.tags),
        effective_from=value("effective_from", article.effective_from),
        expires_on=value("expires_on", article.expires_on),
    )


async def _latest_snapshot(article_id: int) -> dict[str, Any]:
    rows = (
        await ArticleRevision.filter(article_id=article_id)
        .order_by("-version", "-id")
        .limit(1)
        .values("snapshot")
    )
    return dict(rows[0]["snapshot"]) if rows else {}


async def _save(
    article: ArticleRecord,
    version: int,
    columns: Mapping[str, Any],
    *,
    status: ArticleStatus,
    snapshot: Mapping[str, Any],
    actor: Principal,
    note: str,
    from_statuses: Sequence[ArticleStatus],
) -> ArticleRecord:
    """Apply a change made on ``version`` if the article is still at it and in one of
    ``from_statuses``, and save its revision; INVALID_STATE otherwise."""
    now = clock.now()
    async with in_transaction():
        saved = await Article.filter(
            id=article.id, version=version, status__in=list(from_statuses)
        ).update(
            **columns,
            status=status,
            version=version + 1,
            updated_by_id=actor.account_id,
            updated_at=now,
        )
        if not saved:
            raise DomainError(
                ErrorCode.INVALID_STATE,
                "文章已被他人修改或状态已变，请刷新后重试。",
                "version",
            )
        await ArticleRevision.create(
            article_id=article.id,
            version=version + 1,
            status=status,
            snapshot=dict(snapshot),
            actor_id=actor.account_id,
            note=note,
            occurred_at=now,
        )
    return (await get_articles_by_id([article.id]))[article.id]


async def update_article(
    article_id: int,
    *,
    version: int,
    changes: ArticleChanges,
    actor: Principal | None,
    note: str = "",
) -> ArticleRecord:
    """Edit a DRAFT or PUBLISHED article made on ``version`` (it stays in its status).

    INVALID_STATE on ``version`` when someone changed it since, or it is archived.
    """
    actor = require_role(actor, *MAINTAINERS)
    article = await _maintainable(article_id, actor)
    if article.status is ArticleStatus.ARCHIVED:
        raise DomainError(ErrorCode.INVALID_STATE, "已归档的文章不能修改。", "id")
    if version != article.version:
        raise DomainError(ErrorCode.INVALID_STATE, "文章已被他人修改，请刷新后重试。", "version")
    snapshot = await _latest_snapshot(article.id)
    fields = await _checked(_draft_of(article, snapshot, changes), actor)
    text = _note(note)
    tokens = await search_tokens(fields.title, fields.tags, fields.body)
    return await _save(
        article,
        version,
        {**fields.columns(), "search_tokens": tokens},
        status=article.status,
        snapshot=fields.snapshot(),
        actor=actor,
        note=text or "修改",
        from_statuses=(ArticleStatus.DRAFT, ArticleStatus.PUBLISHED),
    )


async def _step(
    article_id: int,
    target: ArticleStatus,
    *,
    version: int | None,
    actor: Principal | None,
    note: str,
    label: str,
) -> ArticleRecord:
    actor = require_role(actor, *MAINTAINERS)
    article = await _maintainable(article_id, actor)
    allowed = _STEPS[target]
    if article.status not in allowed:
        raise DomainError(
            ErrorCode.INVALID_STATE, f"文章当前为 {article.status.value}，不能{label}。", "id"
        )
    if version is not None and version != article.version:
        raise DomainError(ErrorCode.INVALID_STATE, "文章已被他人修改，请刷新后重试。", "version")
    columns: dict[str, Any] = {}
    if target is ArticleStatus.PUBLISHED:
        columns["published_at"] = clock.now()
    return await _save(
        article,
        article.version,
        columns,
        status=target,
        snapshot=await _latest_snapshot(article.id),
        actor=actor,
        note=_note(note) or label,
        from_statuses=allowed,
    )


async def publish_article(
    article_id: int, *, actor: Principal | None, version: int | None = None, note: str = ""
) -> ArticleRecord:
    """Publish a DRAFT: searchable from its effective date to its expiry."""
    return await _step(
        article_id, ArticleStatus.PUBLISHED, version=version, actor=actor, note=note, label="发布"
    )


async def archive_article(
    article_id: int, *, actor: Principal | None, version: int | None = None, note: str = ""
) -> ArticleRecord:
    """Archive a DRAFT or PUBLISHED article: kept, no longer searched or edited."""
    return await _step(
        article_id, ArticleStatus.ARCHIVED, version=version, actor=actor, note=note, label="归档"
    )


async def get_readable_article(
    principal: Principal | None, article_id: int
) -> ArticleRecord | None:
    """The article if ``principal`` may read it (see :mod:`tickets.knowledge.records`)."""
    rows = await Article.filter(await readable(principal), id=article_id).values(*ARTICLE_COLUMNS)
    return ArticleRecord(**rows[0]) if rows else None


async def readable_ids(
    principal: Principal | None, ids: Sequence[int], *, within: Q | None = None
) -> set[int]:
    """Which of the articles ``ids`` ``principal`` may read (one query; ``within``: the
    principal's :func:`~tickets.knowledge.records.readable` filter, if the caller keeps
    it, saves looking it up again)."""
    wanted = list(set(ids))
    if not wanted:
        return set()
    scope = within if within is not None else await readable(principal)
    rows = await Article.filter(scope, id__in=wanted).values("id")
    return {row["id"] for row in rows}


async def may_read_revisions(principal: Principal | None, article: ArticleRecord) -> bool:
    """Revisions are for the article's maintainers."""
    return may_maintain(principal, article, await own_department_id(principal))


async def list_articles(
    principal: Principal | None, article_filter: ArticleFilter, *, first: int, after: int | None
) -> Page[ArticleRecord]:
    """A page of the articles ``principal`` maintains, newest first (keyed by id).

    Raises NOT_FOUND for an unknown department or category code, TOO_LONG on
    ``filter.text``.
    """
    actor = require_role(principal, *MAINTAINERS)
    query = Article.filter(await maintained(actor))
    criteria = Q()
    problems: list[Problem] = []
    if article_filter.statuses:
        criteria &= Q(status__in=list(article_filter.statuses))
    if article_filter.audience:
        criteria &= Q(audience=article_filter.audience)
    if article_filter.department:
        department = await get_department(article_filter.department)
        if department is None:
            problems.append(Problem("filter.department", ErrorCode.NOT_FOUND, "没有这个部门。"))
        else:
            criteria &= Q(department_id=department.id)
    if article_filter.category:
        category = await get_category(article_filter.category)
        if category is None:
            problems.append(Problem("filter.category", ErrorCode.NOT_FOUND, "没有这个诉求分类。"))
        else:
            criteria &= Q(category_id=category.id)
    if article_filter.text:
        text = article_filter.text.strip()
        if len(text) > TEXT_FILTER_MAX_LENGTH:
            problems.append(
                Problem("filter.text", ErrorCode.TOO_LONG, f"最多 {TEXT_FILTER_MAX_LENGTH} 个字。")
            )
        criteria &= Q(title__icontains=text) | Q(body__icontains=text)
    if problems:
        raise DomainError.of(problems)
    query = query.filter(criteria)
    total = await query.count()
    if after is not None:
        query = query.filter(id__lt=after)
    rows = await query.order_by("-id").limit(first + 1).values(*ARTICLE_COLUMNS)
    return page_from_rows(
        [ArticleRecord(**r) for r in rows], first, total, after_given=after is not None
    )
