"""The knowledge base's articles: lifecycle, revisions, versions, who maintains and who
reads them, citing one when answering at intake, and first-contact resolutions per
article."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest

from accounts.models import Role
from accounts.service import Principal
from tests.tickets.desk import new_citizen, new_ticket, principal, staff_of
from tickets import workflow
from tickets.knowledge import articles, search
from tickets.knowledge.articles import ArticleChanges, ArticleDraft
from tickets.knowledge.records import ArticleRecord, revisions_of, today
from tickets.models import Article, ArticleAudience, ArticleStatus
from tickets.stats import StatsFilter, hotline_stats
from wuyou import clock
from wuyou.errors import DomainError, ErrorCode, Forbidden, Unauthenticated

pytestmark = pytest.mark.usefixtures("connected")

#: A topic no demo article touches, so searches for it find only these tests' articles.
_TOPIC = "沙棘苗木种植补贴"


def _draft(title: str = f"{_TOPIC}申领说明", **changes: Any) -> ArticleDraft:
    fields: dict[str, object] = {
        "title": title,
        "body": f"种植{_TOPIC}满 50 亩的农户，可以向区农牧局申请补贴。<b>按亩</b>发放。",
        "audience": ArticleAudience.CITIZEN,
        "department": "150300-NM",
        "tags": ["沙棘", "种植补贴"],
        **changes,
    }
    return ArticleDraft(**fields)  # type: ignore[arg-type]


async def _published(actor: Principal, **changes: Any) -> ArticleRecord:
    draft = await articles.create_article(_draft(**changes), actor=actor)
    return await articles.publish_article(draft.id, actor=actor)


async def test_an_article_goes_from_draft_to_published_to_archived_with_a_revision_each() -> None:
    agent = await principal("demo-agent")
    draft = await articles.create_article(_draft(), actor=agent, note="初稿")
    assert draft.status is ArticleStatus.DRAFT and draft.version == 1
    stored = await Article.get(id=draft.id)
    assert "沙棘" in stored.search_tokens.split("\n")[0].split()  # the title's line
    assert "种植" in stored.search_tokens.split("\n")[2].split()  # the body's line
    published = await articles.publish_article(draft.id, actor=agent)
    assert published.status is ArticleStatus.PUBLISHED and published.version == 2
    assert published.published_at is not None
    edited = await articles.update_article(
        draft.id, version=2, changes=ArticleChanges(title=f"{_TOPIC}怎么申请"), actor=agent
    )
    assert edited.status is ArticleStatus.PUBLISHED and edited.version == 3
    archived = await articles.archive_article(draft.id, actor=agent, note="政策到期")
    assert archived.status is ArticleStatus.ARCHIVED and archived.version == 4
    revisions = (await revisions_of([draft.id]))[draft.id]
    assert [(r.version, r.status, r.note) for r in revisions] == [
        (1, ArticleStatus.DRAFT, "初稿"),
        (2, ArticleStatus.PUBLISHED, "发布"),
        (3, ArticleStatus.PUBLISHED, "修改"),
        (4, ArticleStatus.ARCHIVED, "政策到期"),
    ]
    assert revisions[0].snapshot["title"] == f"{_TOPIC}申领说明"
    assert revisions[2].snapshot["title"] == f"{_TOPIC}怎么申请"
    assert revisions[2].snapshot["department"] == "150300-NM"
    with pytest.raises(DomainError) as refused:
        await articles.update_article(
            draft.id, version=4, changes=ArticleChanges(body="新正文"), actor=agent
        )
    assert refused.value.code is ErrorCode.INVALID_STATE
    with pytest.raises(DomainError) as again:
        await articles.publish_article(draft.id, actor=agent)
    assert again.value.code is ErrorCode.INVALID_STATE


async def test_an_edit_on_an_old_version_is_refused_and_only_one_of_two_racing_edits_wins() -> None:
    agent, admin = await principal("demo-agent"), await principal("demo-admin")
    draft = await articles.create_article(_draft(), actor=agent)
    await articles.update_article(
        draft.id, version=1, changes=ArticleChanges(body="第一次修改的正文。"), actor=agent
    )
    with pytest.raises(DomainError) as stale:
        await articles.update_article(
            draft.id, version=1, changes=ArticleChanges(body="过时的修改。"), actor=admin
        )
    assert (stale.value.code, stale.value.field) == (ErrorCode.INVALID_STATE, "version")
    results = await asyncio.gather(
        *(
            articles.update_article(
                draft.id, version=2, changes=ArticleChanges(body=f"并发修改 {n}。"), actor=who
            )
            for n, who in enumerate((agent, admin))
        ),
        return_exceptions=True,
    )
    won = [r for r in results if isinstance(r, ArticleRecord)]
    lost = [r for r in results if isinstance(r, DomainError)]
    assert len(won) == 1 and len(lost) == 1, results
    assert lost[0].code is ErrorCode.INVALID_STATE
    stored = await Article.get(id=draft.id)
    assert stored.version == 3 and stored.body == won[0].body
    assert len((await revisions_of([draft.id]))[draft.id]) == 3


async def test_the_fields_are_checked_all_at_once() -> None:
    agent = await principal("demo-agent")
    with pytest.raises(DomainError) as refused:
        await articles.create_article(
            _draft(
                title="x",
                body="  ",
                department="150300-NOPE",
                category="NO.SUCH.CATEGORY",
                tags=["太长的标签" * 5],
                effective_from=today(),
                expires_on=today() - timedelta(days=1),
            ),
            actor=agent,
        )
    assert {(p.field, p.code) for p in refused.value.problems} == {
        ("title", ErrorCode.TOO_SHORT),
        ("body", ErrorCode.REQUIRED),
        ("department", ErrorCode.NOT_FOUND),
        ("category", ErrorCode.NOT_FOUND),
        ("tags", ErrorCode.TOO_LONG),
        ("expiresOn", ErrorCode.INVALID),
    }


async def test_a_department_maintains_its_own_articles_only() -> None:
    farming, urban = await staff_of("150300-NM"), await staff_of("150300-CG")
    own = await articles.create_article(_draft(department=None), actor=farming)
    assert own.department_id is not None
    with pytest.raises(Forbidden):
        await articles.create_article(_draft(department="150300-NM"), actor=urban)
    with pytest.raises(DomainError) as unseen:  # another body's draft: not even seen
        await articles.publish_article(own.id, actor=urban)
    assert (unseen.value.field, unseen.value.code) == ("id", ErrorCode.NOT_FOUND)
    published = await articles.publish_article(own.id, actor=farming)
    assert published.status is ArticleStatus.PUBLISHED
    with pytest.raises(Forbidden):  # published: seen, still not theirs to change
        await articles.archive_article(own.id, actor=urban)
    for outsider in (await new_citizen(), await principal("demo-grid")):
        with pytest.raises(Forbidden):
            await articles.create_article(_draft(), actor=outsider)
    with pytest.raises(Unauthenticated):
        await articles.create_article(_draft(), actor=None)
    assert await articles.may_read_revisions(farming, published)
    assert not await articles.may_read_revisions(urban, published)
    assert await articles.may_read_revisions(await principal("demo-admin"), published)


async def test_drafts_archived_and_out_of_date_articles_are_read_by_maintainers_only() -> None:
    agent, farming = await principal("demo-agent"), await staff_of("150300-NM")
    citizen = await new_citizen()
    draft = await articles.create_article(_draft(title=f"{_TOPIC}草稿"), actor=farming)
    live = await _published(agent, title=f"{_TOPIC}现行政策")
    future = await _published(agent, effective_from=today() + timedelta(days=3))
    expired = await _published(
        agent,
        effective_from=today() - timedelta(days=30),
        expires_on=today() - timedelta(days=1),
    )
    archived = await articles.archive_article(
        (await _published(agent, title=f"{_TOPIC}旧政策")).id, actor=agent
    )
    hidden = {draft.id, future.id, expired.id, archived.id}
    for reader in (None, citizen, await principal("demo-grid")):
        assert await articles.readable_ids(reader, [live.id, *hidden]) == {live.id}
        assert await articles.get_readable_article(reader, draft.id) is None
    assert await articles.readable_ids(agent, [live.id, *hidden]) == {live.id, *hidden}
    assert draft.id in await articles.readable_ids(farming, [draft.id])
    found = {h.article.id for h in await search.search(_TOPIC, first=50)}
    assert live.id in found and not found & hidden


async def test_an_answer_at_intake_cites_only_an_article_in_effect_today() -> None:
    agent = await principal("demo-agent")
    future = await _published(agent, effective_from=today() + timedelta(days=1))
    expired = await _published(agent, expires_on=today() - timedelta(days=1))
    ticket = await new_ticket()
    for article in (future, expired):
        with pytest.raises(DomainError) as refused:
            await workflow.resolve_at_intake(
                number=ticket.number, reply="已答复。", actor=agent, article_id=article.id
            )
        assert (refused.value.field, refused.value.code) == ("articleId", ErrorCode.NOT_FOUND)
    last_day = await _published(agent, effective_from=today(), expires_on=today())
    resolved = await workflow.resolve_at_intake(
        number=ticket.number, reply="已答复。", actor=agent, article_id=last_day.id
    )
    assert resolved.cited_article_id == last_day.id


async def test_searching_is_open_to_anyone_and_refuses_bad_queries() -> None:
    agent = await principal("demo-agent")
    live = await _published(
        agent, title="乌达区葡萄酒庄园开放日预约", body="每周六葡萄酒庄园开放参观，需提前预约。"
    )
    hits = await search.search("葡萄酒庄园怎么预约参观")
    assert hits[0].article.id == live.id and hits[0].rank == 1
    assert set(hits[0].matched_terms) >= {"葡萄酒", "庄园", "预约"}
    for query, code in (("   ", ErrorCode.REQUIRED), ("问" * 101, ErrorCode.TOO_LONG)):
        with pytest.raises(DomainError) as refused:
            await search.search(query)
        assert (refused.value.field, refused.value.code) == ("query", code)
    with pytest.raises(DomainError) as too_many:
        await search.search("葡萄酒", first=51)
    assert too_many.value.field == "first"
    assert await search.search("的了吗？！") == []  # nothing left to search with


async def test_a_query_finds_articles_matching_some_of_its_words_best_first() -> None:
    agent = await principal("demo-agent")
    both = await _published(
        agent,
        title="骆驼奶合作社收购价格",
        body="骆驼奶合作社按质论价收购牧户的骆驼奶。",
        tags=["骆驼奶"],
    )
    one = await _published(
        agent, title="牧户草场围栏维修", body="牧户草场围栏损坏的，可申请维修补助。", tags=[]
    )
    hits = await search.search("牧户骆驼奶收购价格和草场围栏维修补助")
    ranks = {h.article.id: h.rank for h in hits}
    assert both.id in ranks and one.id in ranks
    assert hits[0].score >= hits[-1].score


async def test_citing_an_article_at_intake_counts_first_contact_resolutions_per_article() -> None:
    agent = await principal("demo-agent")
    article = await _published(agent, title=f"{_TOPIC}答复口径")
    draft = await articles.create_article(_draft(), actor=agent)
    started = clock.now()
    first, second, third = await new_ticket(), await new_ticket(), await new_ticket()
    with pytest.raises(DomainError) as unpublished:
        await workflow.resolve_at_intake(
            number=first.number, reply="已答复。", actor=agent, article_id=draft.id
        )
    assert (unpublished.value.field, unpublished.value.code) == ("articleId", ErrorCode.NOT_FOUND)
    with pytest.raises(DomainError):
        await workflow.resolve_at_intake(
            number=first.number, reply="已答复。", actor=agent, article_id=2**31 - 1
        )
    for ticket in (first, second):
        resolved = await workflow.resolve_at_intake(
            number=ticket.number, reply="按政策答复。", actor=agent, article_id=article.id
        )
        assert resolved.cited_article_id == article.id and resolved.resolved_at_intake
    plain = await workflow.resolve_at_intake(number=third.number, reply="已答复。", actor=agent)
    assert plain.cited_article_id is None
    stats = await hotline_stats(
        StatsFilter(received_from=started - timedelta(seconds=1), received_to=clock.now()),
        actor=agent,
    )
    rows = {row.key: row for row in stats.by_article}
    assert rows[str(article.id)].name == f"{_TOPIC}答复口径"
    figures = rows[str(article.id)].figures
    assert (figures.received, figures.resolved_at_intake) == (2, 2)
    assert sum(row.figures.received for row in stats.by_article) <= stats.total.received


async def test_editing_an_article_recuts_its_search_tokens() -> None:
    agent = await principal("demo-agent")
    live = await _published(agent, title=f"{_TOPIC}旧标题")
    assert live.id not in {h.article.id for h in await search.search("枸杞烘干补助")}
    await articles.update_article(
        live.id,
        version=live.version,
        changes=ArticleChanges(title="枸杞烘干补助申请", body="枸杞烘干设备购置可申请补助。"),
        actor=agent,
    )
    hits = await search.search("枸杞烘干补助")
    assert hits and hits[0].article.id == live.id


def test_the_roles_that_maintain_articles() -> None:
    assert set(articles.MAINTAINERS) == {Role.ADMIN, Role.AGENT, Role.DEPARTMENT}
