"""The demo knowledge base: a few hundred published articles written from the policy
topics of :mod:`tickets.knowledge.demo_topics` (an overview, who qualifies, what to
bring, the steps, fees and time limits, where to go, each district's service centre, and
frequent questions), each by the city department that answers for it.

Idempotent: a database that holds demo articles gets none added.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from tortoise.transactions import in_transaction

from accounts.models import Account
from grids.models import Department
from tickets.knowledge import segment
from tickets.knowledge.demo_topics import CITY_HALL, DISTRICT_HALLS, TOPICS, Topic
from tickets.models import Article, ArticleAudience, ArticleRevision, ArticleStatus
from wuyou import clock

#: Who the demo articles are written by.
DEMO_AUTHOR = "demo-admin"
CITY_CODE = "150300"
#: When the demo articles without a date of their own took effect.
DEFAULT_EFFECTIVE = date(2024, 1, 1)
HOTLINE = "如有疑问，可拨打 12345 政务服务便民热线咨询。"


@dataclass(frozen=True, slots=True)
class DemoArticle:
    """One article to write: its topic and text."""

    topic: Topic
    title: str
    body: str
    tags: tuple[str, ...]


def _numbered(items: tuple[str, ...]) -> str:
    return "\n".join(f"{n}. {item}" for n, item in enumerate(items, start=1))


def articles_of(topic: Topic, department: str) -> Iterator[DemoArticle]:
    """The articles written from ``topic``; ``department`` is the answering body's name."""

    def article(title: str, body: str, *extra: str, all_tags: bool = False) -> DemoArticle:
        # The topic's colloquial tags go on its overview, guide and questions; the
        # articles on one aspect carry the topic's name and the aspect.
        tags = topic.tags if all_tags else (topic.name,)
        return DemoArticle(topic, title, f"{body}\n{HOTLINE}", (*tags, *extra))

    yield article(
        f"{topic.name}政策解读",
        f"{topic.summary}\n政策依据：{topic.basis}。\n主管部门：{department}。",
        "政策解读",
        all_tags=True,
    )
    yield article(
        f"{topic.name}办理指南",
        f"{topic.summary}\n申请条件：{topic.eligible}\n所需材料：{'；'.join(topic.materials)}。\n"
        f"办理流程：{'；'.join(topic.steps)}。\n收费：{topic.fees}\n时限：{topic.time_limit}",
        "办事指南",
        all_tags=True,
    )
    yield article(
        f"{topic.act}需要符合什么条件",
        f"申请条件：{topic.eligible}\n{topic.summary.split('。')[0]}。",
        "申请条件",
    )
    yield article(
        f"{topic.act}需要准备哪些材料",
        f"{topic.act}一般需要准备以下材料：\n{_numbered(topic.materials)}\n"
        f"材料可在{topic.online.rstrip('。')}上传电子版，已在政务数据共享平台共享的证照免于提交。",
        "申请材料",
    )
    yield article(
        f"{topic.act}的办理流程",
        f"{topic.act}的办理流程如下：\n{_numbered(topic.steps)}\n办理时限：{topic.time_limit}",
        "办理流程",
    )
    yield article(
        f"{topic.name}收费标准与办理时限",
        f"收费标准：{topic.fees}\n办理时限：{topic.time_limit}\n政策依据：{topic.basis}。",
        "收费标准",
        "办理时限",
    )
    yield article(
        f"{topic.act}的办理地点和线上渠道",
        f"线上渠道：{topic.online}\n线下窗口：{CITY_HALL}{department}窗口，"
        "以及各区政务服务中心。工作日 9:00—17:00（夏季 9:00—17:30），周六上午延时服务。",
        "办理地点",
        "网上办理",
    )
    for district, hall in DISTRICT_HALLS:
        yield article(
            f"{district}{topic.act}指南",
            f"{district}居民和企业{topic.act}，可以到{hall}综合受理窗口办理，实行“一窗受理、"
            f"集成服务”。\n{topic.summary.split('。')[0]}。\n需要材料：{'；'.join(topic.materials)}。\n"
            f"也可以通过{topic.online.rstrip('。')}在线办理。",
            district,
            "办理地点",
        )
    for question, answer in topic.faqs:
        yield article(
            question,
            f"{answer}\n相关政策：{topic.name}（{topic.basis}）。",
            "常见问题",
            all_tags=True,
        )


async def seed_demo_articles() -> int:
    """Load the demo articles (published, by demo-admin, each with its revision) into the
    connected database, which holds the demo city; return how many were added (0 when
    demo articles are there already)."""
    if await Article.exists(is_demo=True):
        return 0
    author = await Account.get(username=DEMO_AUTHOR)
    departments = {
        code: (dept_id, name)
        for code, dept_id, name in await Department.filter(
            code__in=[f"{CITY_CODE}-{t.department}" for t in TOPICS]
        ).values_list("code", "id", "name")
    }
    drafts = [
        (draft, departments.get(f"{CITY_CODE}-{topic.department}"))
        for topic in TOPICS
        for draft in articles_of(
            topic, (departments.get(f"{CITY_CODE}-{topic.department}") or (0, "主管部门"))[1]
        )
    ]
    tokens = await asyncio.to_thread(
        lambda: [segment.article_tokens(d.title, d.tags, d.body) for d, _ in drafts]
    )
    now = clock.now()
    async with in_transaction():
        revisions = []
        for (draft, department), words in zip(drafts, tokens, strict=True):
            topic = draft.topic
            article = await Article.create(
                title=draft.title,
                body=draft.body,
                department_id=department[0] if department else None,
                tags=list(dict.fromkeys(draft.tags)),
                audience=ArticleAudience(topic.audience),
                effective_from=topic.effective_from or DEFAULT_EFFECTIVE,
                expires_on=topic.expires_on,
                status=ArticleStatus.PUBLISHED,
                version=1,
                search_tokens=words,
                created_by_id=author.id,
                updated_by_id=author.id,
                is_demo=True,
                created_at=now,
                updated_at=now,
                published_at=now,
            )
            revisions.append(
                ArticleRevision(
                    article_id=article.id,
                    version=1,
                    status=ArticleStatus.PUBLISHED,
                    snapshot={
                        "title": article.title,
                        "body": article.body,
                        "audience": article.audience.value,
                        "category": None,
                        "department": f"{CITY_CODE}-{topic.department}" if department else None,
                        "tags": article.tags,
                        "effectiveFrom": article.effective_from.isoformat()
                        if article.effective_from
                        else None,
                        "expiresOn": article.expires_on.isoformat() if article.expires_on else None,
                    },
                    actor_id=author.id,
                    note="演示数据导入",
                    occurred_at=now,
                )
            )
        await ArticleRevision.bulk_create(revisions)
    return len(drafts)
