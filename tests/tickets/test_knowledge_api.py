"""The knowledge base through GraphQL: search for anyone, maintaining articles, versions,
revisions, suggestions for a ticket, citing an article at intake, and byArticle."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient
from strawberry import relay

from api.app import create_app
from api.settings import Settings
from grids.demo import DEMO_DEPARTMENT, DEMO_GRID
from grids.models import Area
from schema.pagination import encode_cursor
from tests.api.test_sql_statements import counting_sql
from tests.conftest import unique
from tests.graphql import data, error_codes, gql, in_app, login
from tests.tickets.desk import principal
from tests.tickets.test_api_journey import complaint, ok, step
from tickets import workflow
from tickets.intake import TicketRequest, create_ticket
from tickets.knowledge import articles
from tickets.models import ArticleAudience
from tickets.sla import TicketKind

ARTICLE = (
    "id title status version audience tags department { code }"
    " revisions { version status note actor title }"
)
CREATE = f"""mutation($input: CreateArticleInput!) {{ createArticle(input: $input) {{
  article {{ {ARTICLE} }} errors {{ field code message }} }} }}"""
UPDATE = f"""mutation($input: UpdateArticleInput!) {{ updateArticle(input: $input) {{
  article {{ {ARTICLE} }} errors {{ field code message }} }} }}"""
PUBLISH = f"""mutation($input: PublishArticleInput!) {{ publishArticle(input: $input) {{
  article {{ {ARTICLE} }} errors {{ field code message }} }} }}"""
SEARCH = """query($q: String!, $a: ArticleAudience) {
  knowledgeSearch(query: $q, audience: $a, first: 5) {
  rank score snippet titleHighlight matchedTerms article { id title status } } }"""


def _article(client: TestClient, token: str, **fields: Any) -> dict[str, Any]:
    body = {
        "title": "海勃湾区沙漠公园年卡办理",
        "body": "市民可持身份证到沙漠公园游客中心办理年卡，<i>每张 100 元</i>。",
        "audience": "CITIZEN",
        "tags": ["沙漠公园", "年卡"],
        **fields,
    }
    payload = data(client, CREATE, {"input": body}, token)["createArticle"]
    assert payload["errors"] == [], payload["errors"]
    article: dict[str, Any] = payload["article"]
    return article


def test_agents_maintain_articles_and_anyone_searches_the_published_ones(
    client: TestClient,
) -> None:
    agent = login(client, "demo-agent")
    draft = _article(client, agent)
    assert (draft["status"], draft["version"]) == ("DRAFT", 1)
    assert data(client, SEARCH, {"q": "沙漠公园年卡"})["knowledgeSearch"] == []
    stale = data(
        client, UPDATE, {"input": {"id": draft["id"], "version": 2, "title": "改"}}, agent
    )["updateArticle"]
    assert stale["article"] is None
    assert [(e["field"], e["code"]) for e in stale["errors"]] == [("version", "INVALID_STATE")]
    updated = data(
        client,
        UPDATE,
        {"input": {"id": draft["id"], "version": 1, "title": "沙漠公园年卡怎么办理"}},
        agent,
    )["updateArticle"]["article"]
    assert (updated["title"], updated["version"]) == ("沙漠公园年卡怎么办理", 2)
    published = data(client, PUBLISH, {"input": {"id": draft["id"]}}, agent)["publishArticle"]
    assert published["errors"] == [] and published["article"]["status"] == "PUBLISHED"
    assert [(r["version"], r["status"], r["actor"]) for r in published["article"]["revisions"]] == [
        (1, "DRAFT", "demo-agent"),
        (2, "DRAFT", "demo-agent"),
        (3, "PUBLISHED", "demo-agent"),
    ]

    hits = data(client, SEARCH, {"q": "沙漠公园年卡在哪里办"})["knowledgeSearch"]  # anonymous
    assert hits[0]["article"]["id"] == draft["id"] and hits[0]["rank"] == 1
    assert "<em>年卡</em>" in hits[0]["snippet"]
    assert "&lt;i&gt;" in hits[0]["snippet"]  # the body's markup is escaped
    assert hits[0]["titleHighlight"] == "<em>沙漠公园年卡</em>怎么办理"
    citizen = login(client, "demo-citizen")
    seen = data(
        client,
        "query($id: ID!) { article(id: $id) { title revisions { version } } }",
        {"id": draft["id"]},
        citizen,
    )["article"]
    assert seen == {"title": "沙漠公园年卡怎么办理", "revisions": None}
    node = data(
        client,
        "query($id: ID!) { node(id: $id) { ... on Article { title } } }",
        {"id": draft["id"]},
    )["node"]
    assert node == {"title": "沙漠公园年卡怎么办理"}


def test_bad_queries_and_outsiders_are_refused(client: TestClient) -> None:
    for query in ("", "问" * 101):
        body = gql(client, SEARCH, {"q": query})
        assert error_codes(body) == ["BAD_USER_INPUT"]
        assert body["errors"][0]["extensions"]["argument"] == "query"
    citizen = login(client, "demo-citizen")
    body = gql(
        client, CREATE, {"input": {"title": "标题", "body": "正文", "audience": "CITIZEN"}}, citizen
    )
    assert error_codes(body) == ["FORBIDDEN"]
    body = gql(client, "{ articles { totalCount } }", token=citizen)
    assert error_codes(body) == ["FORBIDDEN"]
    assert error_codes(gql(client, "{ articles { totalCount } }")) == ["UNAUTHENTICATED"]


def test_a_department_lists_and_writes_its_own_articles(client: TestClient) -> None:
    staff, agent = login(client, "demo-department"), login(client, "demo-agent")
    own = _article(client, staff, title="城管执法局占道经营审批须知")
    assert own["department"]["code"] == "150300-CG"
    other = _article(client, agent, title="农牧局草原防火须知", department="150300-NM")
    listing = data(
        client,
        "{ articles(first: 100, filter: {status: [DRAFT]}) {"
        " totalCount edges { node { id department { code } } } } }",
        token=staff,
    )["articles"]
    ids = {e["node"]["id"] for e in listing["edges"]}
    assert own["id"] in ids and other["id"] not in ids
    assert {e["node"]["department"]["code"] for e in listing["edges"]} == {"150300-CG"}
    body = gql(
        client,
        CREATE,
        {
            "input": {
                "title": "越权文章",
                "body": "正文",
                "audience": "CITIZEN",
                "department": "150300-NM",
            }
        },
        staff,
    )
    assert error_codes(body) == ["FORBIDDEN"]


def test_an_answer_at_intake_cites_an_article_and_counts_for_it(client: TestClient) -> None:
    agent = login(client, "demo-agent")
    draft = _article(client, agent, title="餐饮油烟净化设施安装要求", tags=["油烟"])
    ticket = complaint(client, agent)
    refused = step(
        client,
        "resolveAtIntake",
        agent,
        number=ticket["number"],
        reply="已答复。",
        articleId=draft["id"],
    )
    assert [(e["field"], e["code"]) for e in refused["errors"]] == [("articleId", "NOT_FOUND")]
    data(client, PUBLISH, {"input": {"id": draft["id"]}}, agent)
    suggested = data(
        client,
        "query($n: String!) { suggestArticles(ticketNumber: $n) { article { id } } }",
        {"n": ticket["number"]},
        agent,
    )["suggestArticles"]
    assert draft["id"] in [s["article"]["id"] for s in suggested]
    resolved = ok(
        step(
            client,
            "resolveAtIntake",
            agent,
            number=ticket["number"],
            reply="请按要求安装油烟净化设施。",
            articleId=draft["id"],
        )
    )
    assert resolved["status"] == "RESOLVED"
    cited = data(
        client,
        "query($n: String!) { ticket(number: $n) { citedArticle { id title } } }",
        {"n": ticket["number"]},
        agent,
    )["ticket"]["citedArticle"]
    assert cited == {"id": draft["id"], "title": "餐饮油烟净化设施安装要求"}
    stats = data(
        client,
        """query($f: HotlineStatsFilter!) { hotlineStats(filter: $f) {
          byArticle { key name figures { received resolvedAtIntake } } } }""",
        {"f": {"from": "2000-01-01T00:00:00+08:00", "to": "2100-01-01T00:00:00+08:00"}},
        agent,
    )["hotlineStats"]["byArticle"]
    assert {
        "key": draft["id"],
        "name": "餐饮油烟净化设施安装要求",
        "figures": {"received": 1, "resolvedAtIntake": 1},
    } in stats


def test_suggestions_are_for_those_who_see_the_ticket(client: TestClient) -> None:
    agent, citizen = login(client, "demo-agent"), login(client, "demo-citizen")
    ticket = complaint(client, agent)
    query = "query($n: String!) { suggestArticles(ticketNumber: $n) { rank } }"
    body = gql(client, query, {"n": ticket["number"]}, citizen)
    assert error_codes(body) == ["BAD_USER_INPUT"]
    assert body["errors"][0]["extensions"]["argument"] == "ticketNumber"
    assert error_codes(gql(client, query, {"n": ticket["number"]})) == ["UNAUTHENTICATED"]


def test_article_ids_beyond_the_int_column_are_bad_input_or_not_found(
    client: TestClient,
) -> None:
    agent = login(client, "demo-agent")
    beyond = str(relay.GlobalID("Article", str(2**31)))  # an INT column's largest + 1
    for query in (
        "query($id: ID!) { article(id: $id) { id } }",
        'mutation($id: ID!) { updateArticle(input: {id: $id, version: 1, title: "标题"}) {'
        " errors { code } } }",
        "mutation($id: ID!) { publishArticle(input: {id: $id}) { errors { code } } }",
        "mutation($id: ID!) { archiveArticle(input: {id: $id}) { errors { code } } }",
    ):
        assert error_codes(gql(client, query, {"id": beyond}, agent)) == ["BAD_USER_INPUT"]
    node = "query($id: ID!) { node(id: $id) { id } }"
    assert data(client, node, {"id": beyond}, agent) == {"node": None}
    page = gql(
        client,
        "query($after: String) { articles(after: $after) { totalCount } }",
        {"after": encode_cursor("Article", str(2**31))},
        agent,
    )
    assert error_codes(page) == ["BAD_USER_INPUT"]
    ticket = complaint(client, agent)
    refused = step(
        client,
        "resolveAtIntake",
        agent,
        number=ticket["number"],
        reply="已答复。",
        articleId=beyond,
    )
    assert [(e["field"], e["code"]) for e in refused["errors"]] == [("articleId", "NOT_FOUND")]


@pytest.fixture
def quiet_client(settings: Settings) -> Iterator[TestClient]:
    """A client whose app runs no sweeps, so only the request's statements are counted."""
    with TestClient(create_app(dataclasses.replace(settings, sweep_interval_ms=0))) as client:
        yield client


def _statements(
    client: TestClient, query: str, field: str, sizes: tuple[int, int], token: str, **extra: Any
) -> tuple[dict[int, int], list[dict[str, Any]]]:
    """The statements a page of each size costs, and the nodes of the last page."""
    counts, nodes = {}, []
    for size in sizes:
        with counting_sql() as counter:
            page = data(client, query, {"first": size, **extra}, token)[field]
        nodes = [e["node"] for e in page["edges"]]
        assert len(nodes) == size
        counts[size] = counter.statements
    return counts, nodes


def test_cited_articles_on_a_page_of_tickets_cost_the_same_for_any_page_size(
    quiet_client: TestClient,
) -> None:
    marker = unique("cited")

    async def cite() -> None:
        agent = await principal("demo-agent")
        draft = articles.ArticleDraft(
            title="社保卡补办指南",
            body="补办社保卡请携带身份证。",
            audience=ArticleAudience.CITIZEN,
        )
        article = await articles.create_article(draft, actor=agent)
        await articles.publish_article(article.id, actor=agent)
        grid = await Area.get(code=DEMO_GRID)
        for i in range(30):
            request = TicketRequest(
                channel="HL-12345",
                kind=TicketKind.CONSULTATION,
                title=f"社保卡补办 {i}",
                content=f"{marker} 社保卡丢了怎么补办",
                citizen_phone="13912345678",
                lat=grid.centroid_lat,
                lng=grid.centroid_lng,
            )
            ticket = await create_ticket(request, actor=agent)
            await workflow.resolve_at_intake(
                number=ticket.number, reply="请携带身份证补办。", actor=agent, article_id=article.id
            )

    in_app(quiet_client, cite)
    query = """query($text: String!, $first: Int!) { tickets(filter: {text: $text}, first: $first) {
      edges { node { citedArticle { title } } } } }"""
    grid_worker = login(quiet_client, "demo-grid")  # not an editor: their readable ones
    counts, nodes = _statements(quiet_client, query, "tickets", (5, 30), grid_worker, text=marker)
    assert all(n["citedArticle"] == {"title": "社保卡补办指南"} for n in nodes)
    assert abs(counts[30] - counts[5]) <= 2, counts  # an N+1 costs 25 more


def test_revisions_on_a_page_of_articles_cost_the_same_for_any_page_size(
    quiet_client: TestClient,
) -> None:
    async def write() -> None:
        agent = await principal("demo-agent")
        for i in range(30):
            draft = articles.ArticleDraft(
                title=f"城管政策 {i}",
                body="正文",
                audience=ArticleAudience.CITIZEN,
                department=DEMO_DEPARTMENT,
            )
            await articles.create_article(draft, actor=agent)

    in_app(quiet_client, write)
    query = """query($first: Int!) { articles(first: $first) {
      edges { node { revisions { version } } } } }"""
    staff = login(quiet_client, "demo-department")  # looks up their department once
    counts, nodes = _statements(quiet_client, query, "articles", (5, 30), staff)
    assert all(n["revisions"] == [{"version": 1}] for n in nodes)
    assert counts[30] == counts[5], counts  # an N+1 costs 75 more
