"""Articles and their revisions as plain records, and who may read or maintain which.

==============  ======================================  =================================
role            maintains                               reads
==============  ======================================  =================================
ADMIN, AGENT    every article                           every article, every revision
DEPARTMENT      its own department's articles           those, and what anyone reads
anyone else     nothing                                 PUBLISHED articles in effect
(anonymous too)                                         (effective_from ≤ today ≤ expires_on)
==============  ======================================  =================================
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from tortoise.expressions import Q

from accounts.models import Role
from accounts.service import Principal
from grids.catalogue import departments_of
from tickets.models import Article, ArticleAudience, ArticleRevision, ArticleStatus
from wuyou import clock
from wuyou.clock import CITY_TIMEZONE

#: Roles that maintain every article.
EDITORS = frozenset({Role.ADMIN, Role.AGENT})
#: Roles that maintain their own department's articles.
DEPARTMENT_EDITORS = frozenset({Role.DEPARTMENT})
_NOTHING = Q(id__in=[])


@dataclass(frozen=True, slots=True)
class ArticleRecord:
    """A knowledge-base article as stored (its search tokens aside)."""

    id: int
    title: str
    body: str
    category_id: int | None
    department_id: int | None
    tags: list[str]
    audience: ArticleAudience
    effective_from: date | None
    expires_on: date | None
    status: ArticleStatus
    version: int
    created_by_id: int
    updated_by_id: int
    is_demo: bool
    created_at: datetime
    updated_at: datetime
    published_at: datetime | None


ARTICLE_COLUMNS = tuple(ArticleRecord.__dataclass_fields__)


@dataclass(frozen=True, slots=True)
class RevisionRecord:
    """One saved version of an article, or a change of its status."""

    id: int
    article_id: int
    version: int
    status: ArticleStatus
    snapshot: dict[str, Any]
    actor_id: int
    note: str
    occurred_at: datetime


REVISION_COLUMNS = tuple(RevisionRecord.__dataclass_fields__)


def today() -> date:
    """The city's date now."""
    return clock.now().astimezone(CITY_TIMEZONE).date()


def in_effect(on: date) -> Q:
    """Articles PUBLISHED and in effect on ``on``."""
    return (
        Q(status=ArticleStatus.PUBLISHED)
        & (Q(effective_from__isnull=True) | Q(effective_from__lte=on))
        & (Q(expires_on__isnull=True) | Q(expires_on__gte=on))
    )


async def own_department_id(principal: Principal | None) -> int | None:
    """The department a DEPARTMENT account works for (None for any other)."""
    if principal is None or principal.role not in DEPARTMENT_EDITORS:
        return None
    department = (await departments_of([principal.account_id])).get(principal.account_id)
    return department.id if department else None


def maintained_by(principal: Principal | None, department_id: int | None) -> Q:
    """The articles ``principal`` (of department ``department_id``, if any) maintains (a
    filter on Article)."""
    if principal is None:
        return _NOTHING
    if principal.role in EDITORS:
        return Q()
    return Q(department_id=department_id) if department_id is not None else _NOTHING


def readable_by(principal: Principal | None, department_id: int | None) -> Q:
    """The articles ``principal`` (of department ``department_id``, if any) may read:
    those in effect, and those they maintain (a filter on Article)."""
    if principal is not None and principal.role in EDITORS:
        return Q()
    return in_effect(today()) | maintained_by(principal, department_id)


async def maintained(principal: Principal | None) -> Q:
    """The articles ``principal`` maintains (a filter on Article)."""
    return maintained_by(principal, await own_department_id(principal))


async def readable(principal: Principal | None) -> Q:
    """The articles ``principal`` may read: those in effect, and those they maintain."""
    return readable_by(principal, await own_department_id(principal))


def may_maintain(
    principal: Principal | None, article: ArticleRecord, department_id: int | None
) -> bool:
    """Whether ``principal`` (of department ``department_id``, if any) maintains
    ``article``."""
    if principal is None:
        return False
    if principal.role in EDITORS:
        return True
    return department_id is not None and article.department_id == department_id


async def get_articles_by_id(ids: Iterable[int]) -> dict[int, ArticleRecord]:
    """Articles by id; unknown ids are absent."""
    wanted = list(set(ids))
    if not wanted:
        return {}
    rows = await Article.filter(id__in=wanted).values(*ARTICLE_COLUMNS)
    return {r["id"]: ArticleRecord(**r) for r in rows}


async def revisions_of(article_ids: Iterable[int]) -> dict[int, list[RevisionRecord]]:
    """Each article's revisions, oldest first."""
    wanted = list(set(article_ids))
    if not wanted:
        return {}
    rows = (
        await ArticleRevision.filter(article_id__in=wanted)
        .order_by("article_id", "version", "id")
        .values(*REVISION_COLUMNS)
    )
    found: dict[int, list[RevisionRecord]] = defaultdict(list)
    for row in rows:
        found[row["article_id"]].append(RevisionRecord(**row))
    return dict(found)


async def is_published(article_id: int) -> bool:
    """Whether article ``article_id`` exists, is PUBLISHED and in effect today (what an
    answer may cite)."""
    return await Article.filter(in_effect(today()), id=article_id).exists()
