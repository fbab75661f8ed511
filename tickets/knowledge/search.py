"""Searching the knowledge base: relevance-ranked, with highlighted snippets.

A query is cut into words like articles are (:mod:`tickets.knowledge.segment`), and an
article matches if it holds any of them (OR): a question of five words finds an article
that answers three. Articles are ranked by BM25, the title weighing most, then the tags,
then the body:

* SQLite: FTS5's ``bm25()`` over the columns title, tags, body (weights 10, 4, 1).
* PostgreSQL: the same formula over ``ts_rank_cd``: for each query word, its weighted
  count in the article (title 1.0, tags 0.4, body 0.1 by ``setweight``, read as body
  occurrences), saturated and normalised by the article's length as BM25 does
  (k1 = 1.2, b = 0.75), times the word's inverse document frequency among the
  searchable articles; the GIN index on ``to_tsvector('simple', search_tokens)`` finds
  the candidates.

Only PUBLISHED articles in effect today are searched, for everyone (maintainers list
drafts with ``articles``).
"""

from __future__ import annotations

import asyncio
import html
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tickets.knowledge import segment
from tickets.knowledge.records import ArticleRecord, get_articles_by_id, today
from tickets.models import Article, ArticleAudience, ArticleStatus
from wuyou.errors import DomainError, ErrorCode

QUERY_MAX_LENGTH = 100
MAX_RESULTS = 50
SNIPPET_LENGTH = 120
#: Column weights: title, tags, body.
TITLE_WEIGHT, TAGS_WEIGHT, BODY_WEIGHT = 10.0, 4.0, 1.0
K1, B = 1.2, 0.75
OPEN_MARK, CLOSE_MARK = "<em>", "</em>"


@dataclass(frozen=True, slots=True)
class SearchHit:
    """An article that matched, its place (1 = best) and score (higher is better), and
    its body's best passage and its title as HTML with the matched words in <em>."""

    article: ArticleRecord
    rank: int
    score: float
    snippet: str
    title_highlight: str
    matched_terms: list[str]


def _checked_query(query: str) -> str:
    text = query.strip()
    if not text:
        raise DomainError(ErrorCode.REQUIRED, "请输入要查询的内容。", "query")
    if len(text) > QUERY_MAX_LENGTH:
        raise DomainError(ErrorCode.TOO_LONG, f"查询最多 {QUERY_MAX_LENGTH} 个字。", "query")
    return text


def _checked_first(first: int) -> int:
    if not 1 <= first <= MAX_RESULTS:
        raise DomainError(ErrorCode.OUT_OF_RANGE, f"first 应为 1–{MAX_RESULTS}。", "first")
    return first


async def search(
    query: str, *, audience: ArticleAudience | None = None, first: int = 10
) -> list[SearchHit]:
    """The articles that best answer ``query``, best first (anyone may search).

    REQUIRED on ``query`` when empty, TOO_LONG past :data:`QUERY_MAX_LENGTH`
    characters, OUT_OF_RANGE on ``first`` outside 1..:data:`MAX_RESULTS`.
    """
    text = _checked_query(query)
    limit = _checked_first(first)
    terms = await asyncio.to_thread(segment.query_terms, text)
    return await ranked(terms, audience=audience, first=limit)


async def ranked(
    terms: Sequence[str], *, audience: ArticleAudience | None, first: int
) -> list[SearchHit]:
    """The searchable articles holding any of ``terms``, by relevance."""
    if not terms:
        return []
    dialect = Article._meta.db.capabilities.dialect
    if dialect == "sqlite":
        scored = await _sqlite(terms, audience, first)
    elif dialect == "postgres":
        scored = await _postgres(terms, audience, first)
    else:
        raise NotImplementedError(f"The knowledge base's search is not written for {dialect}.")
    articles = await get_articles_by_id(i for i, _ in scored)
    marks = segment.highlight_terms(terms)
    hits = []
    for place, (article_id, score) in enumerate(scored, start=1):
        article = articles[article_id]
        text = f"{article.title}\n{' '.join(article.tags)}\n{article.body}".lower()
        hits.append(
            SearchHit(
                article=article,
                rank=place,
                score=round(score, 6),
                snippet=snippet(article.body, marks),
                title_highlight=highlight(article.title, marks),
                matched_terms=[t for t in terms if t in text],
            )
        )
    return hits


def _searchable(audience: ArticleAudience | None) -> tuple[str, list[Any]]:
    """The WHERE clause for searchable articles of ``audience``, with ``{0}``, ``{1}`` ...
    for its values' placeholders, and the values."""
    day = today()
    clauses = [
        f"a.status = '{ArticleStatus.PUBLISHED.value}'",
        "(a.effective_from IS NULL OR a.effective_from <= {0})",
        "(a.expires_on IS NULL OR a.expires_on >= {1})",
    ]
    values: list[Any] = [day, day]
    if audience is not None:
        clauses.append("a.audience = {2}")
        values.append(audience.value)
    return " AND ".join(clauses), values


async def _sqlite(
    terms: Sequence[str], audience: ArticleAudience | None, first: int
) -> list[tuple[int, float]]:
    where, values = _searchable(audience)
    where = where.format(*(["?"] * len(values)))
    match = " OR ".join('"' + term.replace('"', '""') + '"' for term in terms)
    sql = (
        "SELECT a.id AS id,"
        f" bm25(knowledge_article_fts, {TITLE_WEIGHT}, {TAGS_WEIGHT}, {BODY_WEIGHT}) AS score"
        " FROM knowledge_article_fts JOIN knowledge_article a"
        " ON a.id = knowledge_article_fts.rowid"
        f" WHERE knowledge_article_fts MATCH ? AND {where}"
        " ORDER BY score, a.id LIMIT ?"
    )
    params = [match, *(v.isoformat() if hasattr(v, "isoformat") else v for v in values), first]
    rows = await Article._meta.db.execute_query_dict(sql, params)
    return [(row["id"], -float(row["score"])) for row in rows]


_VECTOR = "to_tsvector('simple', a.search_tokens)"
_WEIGHTED = " || ".join(
    f"setweight(to_tsvector('simple', split_part(a.search_tokens, E'\\n', {n})), '{label}')"
    for n, label in ((1, "A"), (2, "B"), (3, "D"))
)
#: ts_rank_cd's weights, {D, C, B, A}: the body, (unused), the tags, the title.
_BODY_SHARE, _TAGS_SHARE = BODY_WEIGHT / TITLE_WEIGHT, TAGS_WEIGHT / TITLE_WEIGHT
_RANK_WEIGHTS = f"'{{{_BODY_SHARE}, {_BODY_SHARE}, {_TAGS_SHARE}, 1.0}}'"


async def _postgres(
    terms: Sequence[str], audience: ArticleAudience | None, first: int
) -> list[tuple[int, float]]:
    n = len(terms)
    where, values = _searchable(audience)
    where = where.format(*(f"${n + i}" for i in range(1, len(values) + 1)))
    queries = [f"plainto_tsquery('simple', ${i})" for i in range(1, n + 1)]
    # Each word's occurrences, weighted by field, in body occurrences (normalisation 0),
    # from each candidate's weighted vector, built once.
    counts = ", ".join(
        f"{TITLE_WEIGHT / BODY_WEIGHT} * ts_rank_cd({_RANK_WEIGHTS}, c.v, {q}, 0) AS tf{i}"
        for i, q in enumerate(queries)
    )
    frequencies = ", ".join(f"count(*) FILTER (WHERE tf{i} > 0) AS df{i}" for i in range(n))
    norm = f"{K1} * (1 - {B} + {B} * hits.dl / GREATEST(corpus.avgdl, 1))"
    score = " + ".join(
        f"ln(1 + (corpus.n - df.df{i} + 0.5) / (df.df{i} + 0.5))"
        f" * hits.tf{i} * {K1 + 1} / (hits.tf{i} + {norm})"
        for i in range(n)
    )
    sql = (
        "WITH candidates AS MATERIALIZED (SELECT a.id, length(a.search_tokens) AS dl,"
        f" {_WEIGHTED} AS v FROM knowledge_article a"
        f" WHERE {where} AND {_VECTOR} @@ ({' || '.join(queries)})),"
        f" hits AS MATERIALIZED (SELECT c.id, c.dl, {counts} FROM candidates c),"
        " corpus AS (SELECT count(*) AS n, avg(length(a.search_tokens)) AS avgdl"
        f" FROM knowledge_article a WHERE {where}),"
        f" df AS (SELECT {frequencies} FROM hits)"
        f" SELECT hits.id AS id, ({score}) AS score FROM hits, corpus, df"
        f" ORDER BY score DESC, hits.id LIMIT ${n + len(values) + 1}"
    )
    rows = await Article._meta.db.execute_query_dict(sql, [*terms, *values, first])
    return [(row["id"], float(row["score"])) for row in rows]


def _matches(text: str, marks: Sequence[str]) -> list[tuple[int, int, str]]:
    """Where ``marks`` (longest first) occur in ``text``, as (start, end, term), without
    overlaps: a longer match wins over the words inside it."""
    lowered = text.lower()
    taken = [False] * len(text)
    found = []
    for term in marks:
        start = lowered.find(term)
        while start >= 0:
            end = start + len(term)
            if not any(taken[start:end]):
                found.append((start, end, term))
                for i in range(start, end):
                    taken[i] = True
            start = lowered.find(term, end)
    return sorted(found)


def _spans(matches: Sequence[tuple[int, int, str]]) -> list[tuple[int, int]]:
    """The matches as spans, adjacent ones joined (沙漠 + 公园 marked as one)."""
    spans: list[tuple[int, int]] = []
    for begin, finish, _ in matches:
        if spans and spans[-1][1] == begin:
            spans[-1] = (spans[-1][0], finish)
        else:
            spans.append((begin, finish))
    return spans


def _marked(text: str, matches: Sequence[tuple[int, int, str]], start: int, end: int) -> str:
    """``text[start:end]`` as HTML, each match inside it in <em>."""
    parts, at = [], start
    for begin, finish in _spans(matches):
        if begin < start or finish > end:
            continue
        parts.append(html.escape(text[at:begin]))
        parts.append(OPEN_MARK + html.escape(text[begin:finish]) + CLOSE_MARK)
        at = finish
    parts.append(html.escape(text[at:end]))
    return "".join(parts)


def highlight(text: str, marks: Sequence[str]) -> str:
    """``text`` as HTML with every occurrence of ``marks`` in <em>."""
    return _marked(text, _matches(text, marks), 0, len(text))


def snippet(body: str, marks: Sequence[str], length: int = SNIPPET_LENGTH) -> str:
    """The passage of ``body`` (about ``length`` characters) holding the most distinct
    matched words (longer words count more), as HTML with them in <em>; "…" marks a cut.
    Without a match in the body, its beginning."""
    text = " ".join(body.split())
    matches = _matches(text, marks)
    best_start, best_score = 0, -1.0
    for begin, _, _ in matches:
        start = max(0, min(begin - length // 6, len(text) - length))
        inside = {t for b, e, t in matches if b >= start and e <= start + length}
        score = sum(math.log2(1 + len(t)) for t in inside)
        if score > best_score:
            best_start, best_score = start, score
    end = min(len(text), best_start + length)
    prefix = "…" if best_start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return prefix + _marked(text, matches, best_start, end) + suffix
