"""The policy knowledge base in GraphQL: articles, their revisions, search with
highlighted snippets, suggestions for a ticket, and maintaining articles."""

from __future__ import annotations

from collections.abc import Awaitable, Iterable
from datetime import date, datetime
from typing import Annotated, Any, TypeVar

import strawberry
from strawberry import relay

from schema.context import Context
from schema.errors import BadUserInput, UserError, user_errors
from schema.grids import Department
from schema.ids import cursor_row_id, row_id_of, row_ids
from schema.pagination import Connection, decode_cursor, page_size
from schema.tickets import TicketCategory
from tickets.admin import UNCHANGED
from tickets.knowledge import articles, search, suggest
from tickets.knowledge.records import EDITORS, ArticleRecord, RevisionRecord, may_maintain
from tickets.knowledge.search import SearchHit
from tickets.models import ArticleAudience, ArticleStatus
from wuyou.errors import DomainError

strawberry.enum(ArticleAudience, description="Whom an article is written for.")
strawberry.enum(
    ArticleStatus,
    description="DRAFT (maintainers only) → PUBLISHED (searchable while in effect) → "
    "ARCHIVED (kept, not searched).",
)

Info = strawberry.Info[Context, None]


@strawberry.type(description="One saved version of an article, or a change of its status.")
class ArticleRevision:
    version: int
    status: ArticleStatus
    note: str
    occurred_at: datetime
    title: str = strawberry.field(description="The title as saved in this version.")
    body: str
    tags: list[str]
    audience: ArticleAudience
    category_code: str | None
    department_code: str | None
    effective_from: date | None
    expires_on: date | None
    record: strawberry.Private[RevisionRecord]

    @classmethod
    def of(cls, record: RevisionRecord) -> ArticleRevision:
        snapshot: dict[str, Any] = record.snapshot

        def day(name: str) -> date | None:
            value = snapshot.get(name)
            return date.fromisoformat(value) if value else None

        return cls(
            version=record.version,
            status=record.status,
            note=record.note,
            occurred_at=record.occurred_at,
            title=snapshot.get("title", ""),
            body=snapshot.get("body", ""),
            tags=list(snapshot.get("tags", [])),
            audience=ArticleAudience(snapshot.get("audience", ArticleAudience.CITIZEN)),
            category_code=snapshot.get("category"),
            department_code=snapshot.get("department"),
            effective_from=day("effectiveFrom"),
            expires_on=day("expiresOn"),
            record=record,
        )

    @strawberry.field(description="Username of who saved it.")
    async def actor(self, info: Info) -> str | None:
        account = await info.context.loaders.account_by_id.load(self.record.actor_id)
        return account.username if account else None


@strawberry.type(
    description="A policy knowledge-base article (政策知识库). Anyone may read the PUBLISHED "
    "ones in effect; drafts, archived articles and revisions are for their maintainers "
    "(agents, administrators, and the department the article belongs to)."
)
class Article(relay.Node):
    title: str
    body: str = strawberry.field(description="Plain text; clients escape it when showing HTML.")
    tags: list[str]
    audience: ArticleAudience
    status: ArticleStatus
    version: int = strawberry.field(description="Name it when changing the article.")
    effective_from: date | None = strawberry.field(description="In effect from this day.")
    expires_on: date | None = strawberry.field(description="In effect up to this day.")
    created_at: datetime
    updated_at: datetime
    published_at: datetime | None
    record: strawberry.Private[ArticleRecord]

    @classmethod
    def resolve_id(cls, root: Article, *, info: Info) -> str:
        return str(root.record.id)

    @classmethod
    def of(cls, record: ArticleRecord) -> Article:
        return cls(
            title=record.title,
            body=record.body,
            tags=list(record.tags),
            audience=record.audience,
            status=record.status,
            version=record.version,
            effective_from=record.effective_from,
            expires_on=record.expires_on,
            created_at=record.created_at,
            updated_at=record.updated_at,
            published_at=record.published_at,
            record=record,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Article | None]:
        ids = row_ids(node_ids, "Article")
        seen = await info.context.article_readable().load_many(ids)
        found = await info.context.loaders.article_by_id.load_many(ids)
        return [cls.of(r) if r and ok else None for r, ok in zip(found, seen, strict=True)]

    @strawberry.field(description="The department that answers for it.")
    async def department(self, info: Info) -> Department | None:
        if self.record.department_id is None:
            return None
        record = await info.context.loaders.department_by_id.load(self.record.department_id)
        return Department.of(record) if record else None

    @strawberry.field(description="The ticket category it answers, if any.")
    async def category(self, info: Info) -> TicketCategory | None:
        if self.record.category_id is None:
            return None
        record = await info.context.loaders.category_by_id.load(self.record.category_id)
        return TicketCategory.of(record) if record else None

    @strawberry.field(
        description="Every saved version and change of status, oldest first; null for "
        "viewers who do not maintain the article."
    )
    async def revisions(self, info: Info) -> list[ArticleRevision] | None:
        principal = await info.context.principal()
        if not may_maintain(principal, self.record, await info.context.own_department_id()):
            return None
        records = await info.context.loaders.article_revisions.load(self.record.id)
        return [ArticleRevision.of(r) for r in records]


@strawberry.type(description="An article that matched a search, and where it matched.")
class KnowledgeHit:
    article: Article
    rank: int = strawberry.field(description="Its place, 1 for the best match.")
    score: float = strawberry.field(description="Its relevance (BM25); higher is better.")
    snippet: str = strawberry.field(
        description="HTML: the passage of the body with the most matched words, the body "
        "escaped and the matched words in <em>; … marks a cut."
    )
    title_highlight: str = strawberry.field(description="HTML: the title, matches in <em>.")
    matched_terms: list[str] = strawberry.field(
        description="The words of the query (as segmented) the article holds."
    )

    @classmethod
    def of(cls, hit: SearchHit) -> KnowledgeHit:
        return cls(
            article=Article.of(hit.article),
            rank=hit.rank,
            score=hit.score,
            snippet=hit.snippet,
            title_highlight=hit.title_highlight,
            matched_terms=list(hit.matched_terms),
        )


@strawberry.input(description="Which articles to list; every criterion given must hold.")
class ArticleFilter:
    status: list[ArticleStatus] | None = None
    audience: ArticleAudience | None = None
    department: str | None = strawberry.field(default=None, description="A department code.")
    category: str | None = strawberry.field(default=None, description="A category code.")
    text: str | None = strawberry.field(default=None, description="In the title or body.")

    def domain(self) -> articles.ArticleFilter:
        return articles.ArticleFilter(
            statuses=tuple(self.status) if self.status else None,
            audience=self.audience,
            department=self.department,
            category=self.category,
            text=self.text,
        )


def _article_id(value: relay.GlobalID) -> int:
    return row_id_of(value, "Article", "id")


@strawberry.type
class KnowledgeQueries:
    @strawberry.field(
        description="Search the published articles in effect (anyone, signed in or not): "
        "the query is cut into words (jieba) and an article matching any of them is found, "
        "ranked by relevance, the title weighing most. BAD_USER_INPUT on query when it is "
        "empty or longer than 100 characters."
    )
    async def knowledge_search(
        self,
        info: Info,
        query: str,
        audience: ArticleAudience | None = None,
        first: Annotated[int, strawberry.argument(description="1–50.")] = 10,
    ) -> list[KnowledgeHit]:
        try:
            hits = await search.search(query, audience=audience, first=first)
        except DomainError as error:
            raise BadUserInput.of(error, "query") from error
        return [KnowledgeHit.of(h) for h in hits]

    @strawberry.field(
        description="Articles that may answer a ticket, from its title and content (anyone "
        "who may see the ticket)."
    )
    async def suggest_articles(
        self,
        info: Info,
        ticket_number: str,
        first: Annotated[int, strawberry.argument(description="1–50.")] = 5,
    ) -> list[KnowledgeHit]:
        principal = await info.context.require()
        try:
            hits = await suggest.suggest_articles(ticket_number, actor=principal, first=first)
        except DomainError as error:
            raise BadUserInput.of(error, "ticketNumber") from error
        return [KnowledgeHit.of(h) for h in hits]

    @strawberry.field(description="An article you may read, by id; null otherwise.")
    async def article(self, info: Info, id: relay.GlobalID) -> Article | None:
        article_id = _article_id(id)
        record = await articles.get_readable_article(await info.context.principal(), article_id)
        return Article.of(record) if record else None

    @strawberry.field(
        description="The articles you maintain (agents and administrators: all; a "
        "department's staff: their department's), newest first."
    )
    async def articles(
        self,
        info: Info,
        filter: ArticleFilter | None = None,
        first: Annotated[int | None, strawberry.argument(description="At most 100.")] = None,
        after: str | None = None,
    ) -> Connection[Article]:
        principal = await info.context.require(*articles.MAINTAINERS)
        try:
            page = await articles.list_articles(
                principal,
                (filter or ArticleFilter()).domain(),
                first=page_size(first),
                after=cursor_row_id(decode_cursor("Article", after), "Article"),
            )
        except DomainError as error:
            raise BadUserInput.of(error) from error
        return Connection[Article].of(
            page, kind="Article", key=lambda r: str(r.id), node=Article.of
        )


@strawberry.input(description="A new article, written as a DRAFT.")
class CreateArticleInput:
    title: str = strawberry.field(description="2–200 characters.")
    body: str = strawberry.field(description="Plain text, up to 20,000 characters.")
    audience: ArticleAudience
    category: str | None = strawberry.field(default=None, description="A category code.")
    department: str | None = strawberry.field(
        default=None,
        description="The department code it belongs to (a department's staff: their own, "
        "the default).",
    )
    tags: list[str] = strawberry.field(
        default_factory=list, description="Up to 20, each up to 20 characters."
    )
    effective_from: date | None = None
    expires_on: date | None = None
    note: str = ""


@strawberry.input(description="Changes to an article; fields left out stay, null clears.")
class UpdateArticleInput:
    id: relay.GlobalID
    version: int = strawberry.field(
        description="The version the changes were made on (INVALID_STATE if it moved on)."
    )
    title: str | None = strawberry.UNSET
    body: str | None = strawberry.UNSET
    audience: ArticleAudience | None = strawberry.UNSET
    category: str | None = strawberry.UNSET
    department: str | None = strawberry.UNSET
    tags: list[str] | None = strawberry.UNSET
    effective_from: date | None = strawberry.UNSET
    expires_on: date | None = strawberry.UNSET
    note: str = ""


@strawberry.input(description="An article to publish or archive.")
class ArticleStepInput:
    id: relay.GlobalID
    version: int | None = strawberry.field(
        default=None, description="If given, the step applies only at this version."
    )
    note: str = ""


@strawberry.input(description="A DRAFT to publish.")
class PublishArticleInput(ArticleStepInput):
    pass


@strawberry.input(description="A DRAFT or PUBLISHED article to archive.")
class ArchiveArticleInput(ArticleStepInput):
    pass


@strawberry.type(description="The article after the change, or why it was refused.")
class ArticlePayload:
    article: Article | None
    errors: list[UserError]


P = TypeVar("P", bound=ArticlePayload)


@strawberry.type
class CreateArticlePayload(ArticlePayload):
    pass


@strawberry.type
class UpdateArticlePayload(ArticlePayload):
    pass


@strawberry.type
class PublishArticlePayload(ArticlePayload):
    pass


@strawberry.type
class ArchiveArticlePayload(ArticlePayload):
    pass


async def _saved(payload: type[P], call: Awaitable[ArticleRecord]) -> P:
    try:
        record = await call
    except DomainError as error:
        return payload(article=None, errors=user_errors(error))
    return payload(article=Article.of(record), errors=[])


def _given(value: Any, *, required: bool = False) -> Any:
    """UNCHANGED for a field left out (and for null on a field that cannot be cleared)."""
    if value is strawberry.UNSET or (required and value is None):
        return UNCHANGED
    return value


@strawberry.type
class KnowledgeMutations:
    @strawberry.mutation(
        description="Write an article as a DRAFT (agents, administrators, a department's "
        "staff for their department)."
    )
    async def create_article(self, info: Info, input: CreateArticleInput) -> CreateArticlePayload:
        actor = await info.context.require(*articles.MAINTAINERS)
        draft = articles.ArticleDraft(
            title=input.title,
            body=input.body,
            audience=input.audience,
            category=input.category,
            department=input.department,
            tags=tuple(input.tags),
            effective_from=input.effective_from,
            expires_on=input.expires_on,
        )
        return await _saved(
            CreateArticlePayload, articles.create_article(draft, actor=actor, note=input.note)
        )

    @strawberry.mutation(
        description="Change a DRAFT or PUBLISHED article made on `version`; a revision is "
        "saved (its maintainers)."
    )
    async def update_article(self, info: Info, input: UpdateArticleInput) -> UpdateArticlePayload:
        actor = await info.context.require(*articles.MAINTAINERS)
        changes = articles.ArticleChanges(
            title=_given(input.title, required=True),
            body=_given(input.body, required=True),
            audience=_given(input.audience, required=True),
            category=_given(input.category),
            department=_given(input.department),
            tags=_given(input.tags, required=True),
            effective_from=_given(input.effective_from),
            expires_on=_given(input.expires_on),
        )
        call = articles.update_article(
            _article_id(input.id),
            version=input.version,
            changes=changes,
            actor=actor,
            note=input.note,
        )
        return await _saved(UpdateArticlePayload, call)

    @strawberry.mutation(description="Publish a DRAFT (its maintainers).")
    async def publish_article(
        self, info: Info, input: PublishArticleInput
    ) -> PublishArticlePayload:
        actor = await info.context.require(*articles.MAINTAINERS)
        call = articles.publish_article(
            _article_id(input.id), actor=actor, version=input.version, note=input.note
        )
        return await _saved(PublishArticlePayload, call)

    @strawberry.mutation(description="Archive a DRAFT or PUBLISHED article (its maintainers).")
    async def archive_article(
        self, info: Info, input: ArchiveArticleInput
    ) -> ArchiveArticlePayload:
        actor = await info.context.require(*articles.MAINTAINERS)
        call = articles.archive_article(
            _article_id(input.id), actor=actor, version=input.version, note=input.note
        )
        return await _saved(ArchiveArticlePayload, call)


async def cited_article(info: Info, article_id: int | None) -> Article | None:
    """A ticket's cited article, if the viewer may read it (editors read all; anyone else
    what :func:`tickets.knowledge.articles.readable_ids` lets them, batched per request)."""
    if article_id is None:
        return None
    record = await info.context.loaders.article_by_id.load(article_id)
    if record is None:
        return None
    principal = await info.context.principal()
    editor = principal is not None and principal.role in EDITORS
    if not editor and not await info.context.article_readable().load(article_id):
        return None
    return Article.of(record)
