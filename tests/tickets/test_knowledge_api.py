"""The knowledge base through GraphQL: search for anyone, maintaining articles, versions,
revisions, suggestions for a ticket, citing an article at intake, and byArticle."""

from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient

from tests.graphql import data, error_codes, gql, login
from tests.tickets.test_api_journey import complaint, ok, step

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
