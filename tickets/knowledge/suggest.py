"""Articles that may answer a ticket, found from its title and content."""

from __future__ import annotations

import asyncio
from collections import Counter

from accounts.service import Principal
from tickets.knowledge import segment
from tickets.knowledge.search import MAX_RESULTS, SearchHit, ranked
from tickets.queries import get_visible_ticket
from wuyou.errors import DomainError, ErrorCode

#: The most words of a ticket a suggestion searches with.
MAX_TERMS = 24


def ticket_terms(title: str, content: str, *, limit: int = MAX_TERMS) -> list[str]:
    """The words to search with for a ticket: its title's first, then its content's most
    frequent (longer first on ties), with their synonyms."""
    chosen = list(segment.query_terms(title, limit=limit))
    counted = Counter(segment.words(content))
    for word, _ in sorted(counted.items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0])):
        if len(chosen) >= limit:
            break
        for term in segment.query_terms(word):
            if term not in chosen:
                chosen.append(term)
    return chosen[:limit]


async def suggest_articles(
    number: str, *, actor: Principal | None, first: int = 5
) -> list[SearchHit]:
    """The searchable articles that best match ticket ``number``'s text, for anyone who
    may see the ticket (NOT_FOUND on ``ticketNumber`` otherwise, so nobody learns of a
    ticket they may not see)."""
    if not 1 <= first <= MAX_RESULTS:
        raise DomainError(ErrorCode.OUT_OF_RANGE, f"first 应为 1–{MAX_RESULTS}。", "first")
    ticket = await get_visible_ticket(actor, number.strip())
    if ticket is None:
        raise DomainError(ErrorCode.NOT_FOUND, f"没有您可查看的工单 {number!r}。", "ticketNumber")
    terms = await asyncio.to_thread(ticket_terms, ticket.title, ticket.content)
    return await ranked(terms, audience=None, first=first)
