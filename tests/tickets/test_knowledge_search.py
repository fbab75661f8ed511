"""Search quality on the demo knowledge base: natural questions, each with the article
that must rank in the top 3 (on SQLite and on PostgreSQL), and the snippets."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tickets.knowledge import search
from tickets.knowledge.demo import seed_demo_articles
from tickets.knowledge.search import highlight, snippet
from tickets.knowledge.suggest import ticket_terms
from tickets.models import Article, ArticleAudience

#: A question as a citizen or an enterprise would ask it, and the article that answers it.
QUALITY_SET: tuple[tuple[str, str], ...] = (
    ("小微企业有什么税收优惠", "享受小微企业税收优惠的办理流程"),
    ("小型微利企业所得税优惠政策", "小型微利企业税收优惠政策解读"),
    ("公积金怎么提取", "公积金怎么提取出来？"),
    ("暖气费在哪交", "暖气费交到哪里？"),
    ("开小卖部需要办营业执照吗", "开小卖部要不要办营业执照？"),
    ("营业执照丢了怎么办", "个体户营业执照丢了怎么补办？"),
    ("失业以后有哪些补贴可以领", "失业了能领什么补贴？"),
    ("开公司要多久", "企业开办政策解读"),
    ("去外地看病怎么用医保", "去外地看病医保能报销吗？"),
    ("新生儿上户口需要什么材料", "新生儿怎么上户口？"),
    ("身份证丢了去哪补办", "身份证丢了怎么补办？"),
    ("买二手房要交多少税", "买二手房要交哪些税？"),
    ("家里暖气不热打什么电话", "暖气不热找谁？"),
    ("公司拖欠工资不给怎么办", "老板拖欠工资怎么办？"),
    ("怎么申请低保", "最低生活保障（低保）政策解读"),
    ("家里停电找谁报修", "停电了怎么报修？"),
    ("辞职以后公积金能取出来吗", "离职了公积金能取出来吗？"),
    ("开饭店需要办哪些许可", "开饭店需要办哪些证？"),
    ("80岁老人有什么补贴", "老人满 80 岁有什么补贴？"),
    ("自由职业怎么缴纳养老保险", "自由职业者怎么交社保？"),
    ("闻到煤气味怎么办", "闻到燃气味怎么办？"),
    ("孩子上小学怎么报名", "孩子上小学怎么报名？"),
    ("上下班路上受伤算工伤吗", "上下班路上出车祸算工伤吗？"),
    ("小规模纳税人免征增值税的标准", "增值税小规模纳税人减免政策解读"),
    ("公积金贷款最多能贷多少", "公积金贷款能贷多少？"),
    ("企业招聘应届毕业生有补贴吗", "招应届毕业生企业有什么补贴？"),
    ("空房子暖气费怎么收", "家里没人住能不交暖气费吗？"),
)


@pytest.fixture
async def demo_articles(connected: str) -> AsyncIterator[None]:
    await seed_demo_articles()
    yield


pytestmark = pytest.mark.usefixtures("demo_articles")


async def test_the_demo_knowledge_base_holds_a_few_hundred_articles_once() -> None:
    count = await Article.filter(is_demo=True).count()
    assert 300 <= count <= 600
    assert await seed_demo_articles() == 0
    assert await Article.filter(is_demo=True).count() == count


@pytest.mark.parametrize(("query", "answer"), QUALITY_SET, ids=[q for q, _ in QUALITY_SET])
async def test_each_question_finds_its_answer_in_the_top_three(query: str, answer: str) -> None:
    hits = await search.search(query, first=3)
    titles = [h.article.title for h in hits]
    assert answer in titles, f"{query!r} → {titles}"
    assert [h.rank for h in hits] == list(range(1, len(hits) + 1))
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


async def test_the_audience_narrows_a_search() -> None:
    enterprise = await search.search("补贴", audience=ArticleAudience.ENTERPRISE, first=20)
    citizen = await search.search("补贴", audience=ArticleAudience.CITIZEN, first=20)
    assert enterprise and citizen
    assert {h.article.audience for h in enterprise} == {ArticleAudience.ENTERPRISE}
    assert {h.article.audience for h in citizen} == {ArticleAudience.CITIZEN}


async def test_a_hit_carries_a_snippet_with_the_matched_words_marked() -> None:
    hits = await search.search("公积金怎么提取", first=1)
    hit = hits[0]
    assert "公积金</em>" in hit.snippet and "提取" in hit.snippet
    assert "公积金</em>" in hit.title_highlight
    assert {"公积金", "提取"} <= set(hit.matched_terms)


def test_a_snippet_is_a_window_around_the_best_matches_with_the_body_escaped() -> None:
    body = "无关的开头。" * 30 + "缴纳<供暖费>可以用微信，供暖费发票在线开具。" + "结尾。" * 30
    text = snippet(body, ["供暖费", "发票"], length=40)
    assert text.startswith("…") and text.endswith("…")
    assert "&lt;<em>供暖费</em>&gt;" in text and "<em>供暖费发票</em>" in text
    assert "<供暖费>" not in text
    assert snippet("没有匹配的正文。", ["公积金"]) == "没有匹配的正文。"
    # A longer word wins over the words inside it.
    assert highlight("小型微利企业", ["小型微利企业", "企业"]) == "<em>小型微利企业</em>"


def test_a_ticket_is_searched_by_its_title_first_then_its_most_frequent_words() -> None:
    terms = ticket_terms(
        "暖气不热", "家里暖气一直不热，室温只有十几度，暖气片冰凉，供暖费已经交了。"
    )
    assert terms[:2] == ["暖气", "供暖"]  # the title's word, then its synonym
    assert "供暖费" in terms and "室温" in terms
