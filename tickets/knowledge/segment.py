"""Chinese word segmentation for the knowledge base (jieba), the same for articles and
queries, so both sides of a search cut text into the same words.

The tokenizer loads its dictionary once, lazily and under a lock (about a second and a
half: callers on the event loop go through :func:`asyncio.to_thread`), with a small user
dictionary of policy terms (社保, 公积金, 营业执照, 小微企业, 供暖费 ...) so they stay
whole. Text is cut in jieba's search mode (a long word and the shorter words inside it),
lower-cased, and stripped of punctuation and stop words (怎么, 什么, 的 ...).

An article's ``search_tokens`` is three lines: the words of its title, of its tags and
of its body; each line's words separated by spaces. SQLite's full-text table reads the
lines as three columns (so the title weighs more), PostgreSQL's text search reads the
whole (and each line for the weights).
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable, Sequence

import jieba

#: Policy terms jieba must keep whole (its own dictionary lacks them or splits them).
USER_WORDS: tuple[str, ...] = (
    "小微企业",
    "小型微利企业",
    "小规模纳税人",
    "一般纳税人",
    "六税两费",
    "个体工商户",
    "营业执照",
    "经营范围",
    "一网通办",
    "企业开办",
    "简易注销",
    "电子营业执照",
    "统一社会信用代码",
    "食品经营许可证",
    "增值税",
    "企业所得税",
    "个人所得税",
    "专项附加扣除",
    "研发费用加计扣除",
    "留抵退税",
    "社保",
    "社保卡",
    "社会保险",
    "养老保险",
    "医疗保险",
    "失业保险",
    "工伤保险",
    "生育保险",
    "失业保险金",
    "养老金",
    "基本养老金",
    "退休",
    "灵活就业",
    "一次性创业补贴",
    "创业担保贷款",
    "稳岗返还",
    "吸纳就业补贴",
    "技能提升补贴",
    "职业技能培训",
    "公积金",
    "住房公积金",
    "公积金贷款",
    "公积金提取",
    "供暖费",
    "暖气费",
    "取暖费",
    "采暖费",
    "供暖",
    "暖气",
    "报停",
    "医保",
    "医保卡",
    "异地就医",
    "门诊慢特病",
    "生育津贴",
    "居民医保",
    "职工医保",
    "户口",
    "户籍",
    "落户",
    "户口迁移",
    "居住证",
    "身份证",
    "不动产登记",
    "不动产权证",
    "房产证",
    "二手房",
    "过户",
    "商品房",
    "水费",
    "燃气费",
    "电费",
    "用电报装",
    "燃气开户",
    "低保",
    "最低生活保障",
    "高龄津贴",
    "工伤认定",
    "欠薪",
    "拖欠工资",
    "劳动仲裁",
    "法律援助",
    "残疾人两项补贴",
    "义务教育",
    "入学登记",
    "开公司",
    "注册公司",
    "开饭店",
    "失业金",
    "退休金",
    "12345",
    "乌海",
)
#: Colloquial words and the terms articles use for them: a query with one also asks
#: for the other.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "暖气费": ("供暖费",),
    "取暖费": ("供暖费",),
    "采暖费": ("供暖费",),
    "暖气": ("供暖",),
    "社保": ("社会保险",),
    "医保": ("医疗保险",),
    "低保": ("最低生活保障",),
    "房产证": ("不动产权证",),
    "执照": ("营业执照",),
    "退休金": ("养老金",),
    "失业金": ("失业保险金",),
    "欠薪": ("拖欠工资",),
    "小微": ("小型微利企业",),
    "小微企业": ("小型微利企业",),
    "开公司": ("企业开办",),
    "煤气": ("燃气",),
    "交": ("缴纳",),
    "空房子": ("空置",),
    "天然气": ("燃气",),
    "注册公司": ("企业开办",),
}
_STOP_TEXT = (
    "的 了 吗 呢 吧 啊 呀 么 和 与 及 或 是 在 有 没有 也 都 就 还 要 想 能 会 可 可以 能够 需要 "
    "应该 怎么 怎么样 怎样 如何 什么 哪里 哪儿 哪些 哪个 哪 多少 几 为什么 请问 请 问 一下 是否 "
    "我 我们 你 你们 他 她 它 他们 自己 这 那 这个 那个 这些 那些 之 等 对 把 被 给 让 从 到 "
    "向 以 于 上 下 中 里 个 啥 咋 咋办 怎么办 找谁 谁 知道 告诉 一个 一些 现在 已经 可不可以 "
    "能不能 有没有 要不要 行不行 不"
)
#: Words too common to tell articles apart, in questions above all.
STOP_WORDS = frozenset(_STOP_TEXT.split())
_WORD = re.compile(r"\w+")
_LOCK = threading.Lock()
_TOKENIZER: jieba.Tokenizer | None = None


def tokenizer() -> jieba.Tokenizer:
    """The process's tokenizer, loaded on first use (thread-safe)."""
    global _TOKENIZER
    if _TOKENIZER is None:
        with _LOCK:
            if _TOKENIZER is None:
                jieba.setLogLevel(logging.WARNING)
                loaded = jieba.Tokenizer()
                loaded.initialize()
                for word in USER_WORDS:
                    loaded.add_word(word, freq=2000)
                _TOKENIZER = loaded
    return _TOKENIZER


def words(text: str) -> list[str]:
    """``text`` cut into searchable words, in order, repeats kept."""
    cut = tokenizer().cut_for_search(text)
    found = []
    for piece in cut:
        word = piece.strip().lower()
        if word and word not in STOP_WORDS and _WORD.fullmatch(word):
            found.append(word)
    return found


def query_terms(text: str, *, limit: int = 24) -> list[str]:
    """The distinct words of a query, first seen first, with the synonyms of colloquial
    ones after them; at most ``limit``."""
    terms: dict[str, None] = {}
    for word in words(text):
        terms.setdefault(word)
        for synonym in SYNONYMS.get(word, ()):
            terms.setdefault(synonym)
    return list(terms)[:limit]


def article_tokens(title: str, tags: Sequence[str], body: str) -> str:
    """The ``search_tokens`` of an article: its title's, tags' and body's words, a line
    each."""
    return "\n".join(" ".join(words(part)) for part in (title, " ".join(tags), body))


def highlight_terms(terms: Iterable[str]) -> list[str]:
    """The terms to mark in text, longest first (a longer match wins over its parts);
    single characters are left unmarked (they mark halves of other words)."""
    return sorted({t for t in terms if len(t) > 1}, key=lambda t: (-len(t), t))
