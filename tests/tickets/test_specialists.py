"""Policy specialists and the three-way call: registering, inviting, joining, answering,
declining; who may take each step; what an invited specialist sees; the API round trip."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from starlette.testclient import TestClient

from accounts.models import Account, Role
from accounts.service import Principal, create_account
from tests.conftest import unique
from tests.graphql import data, error_codes, gql, in_app, login
from tests.merchants.live import PROTOCOL, next_message, subscribe, wait_for_subscriber
from tests.tickets.desk import new_ticket, principal, staff_of
from tests.tickets.test_desks import desk_ticket
from tickets import specialists, visibility, workflow
from tickets.lifecycle import Action
from tickets.models import ConsultationStatus, Desk, Specialist, TicketEvent
from tickets.queries import TicketFilter, get_visible_ticket, list_tickets
from tickets.records import TicketRecord
from tickets.specialists import SpecialistFilter, specialist_topic
from wuyou.errors import DomainError, ErrorCode, Forbidden

TOPICS = ["ENTERPRISE.POLICIES", "TAX"]


async def new_specialist(
    desks: list[Desk] | None = None,
    *,
    topics: list[str] | None = None,
    department: str = "150300-SWJ",
) -> tuple[Principal, int]:
    """A new SPECIALIST account with its profile: (principal, profile id)."""
    account = await create_account(
        username=unique("spec"), role=Role.SPECIALIST, display_name="税务专家", password=None
    )
    profile = await specialists.register_specialist(
        username=account.username,
        department_code=department,
        title="纳税服务科",
        topics=TOPICS if topics is None else topics,
        desks=[Desk.ENTERPRISE] if desks is None else desks,
        actor=await principal("demo-admin"),
    )
    return Principal(account.id, account.username, Role.SPECIALIST), profile.id


async def _invited(ticket: TicketRecord, specialist_id: int, question: str = "请解答") -> int:
    consultation = await specialists.invite_specialist(
        number=ticket.number,
        specialist_id=specialist_id,
        question=question,
        actor=await principal("demo-agent"),
    )
    return consultation.id


async def _steps(ticket: TicketRecord, *actions: Action) -> list[tuple[Action, int | None, str]]:
    rows = await (
        TicketEvent.filter(ticket_id=ticket.id, action__in=list(actions))
        .order_by("id")
        .values_list("action", "actor_id", "note")
    )
    return [(Action(a), actor, note) for a, actor, note in rows]


@pytest.mark.usefixtures("connected")
async def test_administrators_register_specialists_of_the_specialist_role() -> None:
    admin = await principal("demo-admin")
    who, profile_id = await new_specialist(topics=[" enterprise.policies ", "TAX", "TAX"])
    profile = (await specialists.get_specialists([profile_id]))[profile_id]
    assert profile.topics == ["ENTERPRISE.POLICIES", "TAX"] and profile.desks == [Desk.ENTERPRISE]
    assert profile.account_id == who.account_id and profile.is_active

    async def refused(**changes: Any) -> list[tuple[str | None, ErrorCode]]:
        arguments: dict[str, Any] = {
            "username": who.username,
            "department_code": "150300-SWJ",
            "title": "",
            "topics": TOPICS,
            "desks": [],
            "actor": admin,
            **changes,
        }
        with pytest.raises(DomainError) as error:
            await specialists.register_specialist(**arguments)
        return [(p.field, p.code) for p in error.value.problems]

    assert await refused() == [("username", ErrorCode.ALREADY_EXISTS)]
    assert await refused(username="demo-agent") == [("username", ErrorCode.WRONG_ROLE)]
    assert await refused(username=unique("nobody"), department_code="NOPE", topics=[]) == [
        ("username", ErrorCode.NOT_FOUND),
        ("departmentCode", ErrorCode.NOT_FOUND),
        ("topics", ErrorCode.REQUIRED),
    ]
    assert await refused(topics=["税务"]) == [("topics", ErrorCode.INVALID)]
    with pytest.raises(Forbidden):
        await specialists.register_specialist(
            username=who.username,
            department_code="150300-SWJ",
            title="",
            topics=TOPICS,
            desks=[],
            actor=await principal("demo-agent"),
        )


@pytest.mark.usefixtures("connected")
async def test_specialists_are_listed_by_desk_topic_and_department() -> None:
    agent = await principal("demo-agent")
    department = "150300-TJ"  # 统计局: no demo specialists
    _, both = await new_specialist([Desk.ENTERPRISE, Desk.INTEGRITY], department=department)
    _, integrity = await new_specialist(
        [Desk.INTEGRITY], topics=["ENTERPRISE.INTEGRITY"], department=department
    )
    _, retired = await new_specialist([Desk.INTEGRITY], department=department)
    await Specialist.filter(id=retired).update(is_active=False)

    async def ids(**criteria: Any) -> list[int]:
        page = await specialists.list_specialists(
            agent, SpecialistFilter(department=department, **criteria), first=10, after=None
        )
        return [s.id for s in page.items]

    assert await ids() == [both, integrity]
    assert await ids(active=None) == [both, integrity, retired]
    assert await ids(desk=Desk.ENTERPRISE) == [both]
    assert await ids(topic="ENTERPRISE.INTEGRITY.PAYMENT_ARREARS") == [integrity]
    assert await ids(topic="tax") == [both]
    page = await specialists.list_specialists(
        agent, SpecialistFilter(department=department), first=1, after=None
    )
    assert page.has_next_page and await page.count() == 2
    rest = await specialists.list_specialists(
        agent, SpecialistFilter(department=department), first=1, after=page.items[0].id
    )
    assert [s.id for s in rest.items] == [integrity] and not rest.has_next_page
    with pytest.raises(Forbidden):
        await specialists.list_specialists(
            await staff_of("150300-CG"), SpecialistFilter(), first=1, after=None
        )
    demo = await specialists.list_specialists(
        agent, SpecialistFilter(department="150300-SCJG"), first=10, after=None
    )
    assert Desk.ENTERPRISE in demo.items[0].desks


@pytest.mark.usefixtures("connected")
async def test_agents_invite_qualified_active_specialists_once_at_a_time() -> None:
    who, profile_id = await new_specialist()
    ticket = await desk_ticket(Desk.ENTERPRISE)
    consultation_id = await _invited(ticket, profile_id, "  小微企业减税怎么享受？ ")
    invited = (await specialists.get_consultations([consultation_id]))[consultation_id]
    assert (
        invited.status is ConsultationStatus.INVITED
        and invited.question == "小微企业减税怎么享受？"
    )
    assert invited.invited_by_id == (await principal("demo-agent")).account_id
    assert [(a, n) for a, _, n in await _steps(ticket, Action.INVITE_SPECIALIST)] == [
        (
            Action.INVITE_SPECIALIST,
            "邀请专家 税务专家（市税务局纳税服务科）：小微企业减税怎么享受？",
        )
    ]
    with pytest.raises(DomainError) as twice:
        await _invited(ticket, profile_id)
    assert (twice.value.code, twice.value.field) == (ErrorCode.ALREADY_EXISTS, "specialistId")
    # Qualified by topic alone: no desk, a category its topics cover.
    plain = await desk_ticket(None)
    await _invited(plain, profile_id)
    # Neither the desk nor a topic: not qualified.
    fumes = await new_ticket()
    with pytest.raises(DomainError) as unqualified:
        await _invited(fumes, profile_id)
    assert unqualified.value.code is ErrorCode.NOT_QUALIFIED
    _, integrity_only = await new_specialist([Desk.INTEGRITY], topics=["LEGAL"])
    with pytest.raises(DomainError) as other_desk:
        await _invited(ticket, integrity_only)
    assert other_desk.value.code is ErrorCode.NOT_QUALIFIED
    await Specialist.filter(id=integrity_only).update(is_active=False)
    integrity = await desk_ticket(Desk.INTEGRITY)
    with pytest.raises(DomainError) as inactive:
        await _invited(integrity, integrity_only)
    assert (inactive.value.code, inactive.value.field) == (ErrorCode.INVALID_STATE, "specialistId")
    with pytest.raises(DomainError) as missing:
        await _invited(ticket, 2**31)
    assert missing.value.code is ErrorCode.NOT_FOUND
    for outsider in (who, await staff_of("150300-SWJ")):
        with pytest.raises(Forbidden):
            await specialists.invite_specialist(
                number=ticket.number, specialist_id=profile_id, question="", actor=outsider
            )


@pytest.mark.usefixtures("connected")
async def test_only_the_invited_specialist_joins_answers_or_declines() -> None:
    who, profile_id = await new_specialist()
    other, _ = await new_specialist()
    ticket = await desk_ticket(Desk.ENTERPRISE)
    consultation_id = await _invited(ticket, profile_id)
    for outsider in (other, await principal("demo-agent")):
        with pytest.raises(Forbidden):
            await specialists.join_consultation(consultation_id=consultation_id, actor=outsider)
        with pytest.raises(Forbidden):
            await specialists.answer_consultation(
                consultation_id=consultation_id, answer="越权答复", actor=outsider
            )
        with pytest.raises(Forbidden):
            await specialists.decline_consultation(
                consultation_id=consultation_id, reason="", actor=outsider
            )
    joined = await specialists.join_consultation(consultation_id=consultation_id, actor=who)
    assert joined.status is ConsultationStatus.JOINED and joined.joined_at is not None
    with pytest.raises(DomainError) as again:
        await specialists.join_consultation(consultation_id=consultation_id, actor=who)
    assert (again.value.code, again.value.field) == (ErrorCode.INVALID_STATE, "consultationId")
    with pytest.raises(DomainError) as empty:
        await specialists.answer_consultation(
            consultation_id=consultation_id, answer=" ", actor=who
        )
    assert (empty.value.code, empty.value.field) == (ErrorCode.REQUIRED, "answer")
    answered = await specialists.answer_consultation(
        consultation_id=consultation_id,
        answer="年应纳税所得额不超过 300 万元的部分减按 25%。",
        actor=who,
    )
    assert answered.status is ConsultationStatus.ANSWERED
    assert answered.answered_at is not None and answered.joined_at == joined.joined_at
    for late in (
        specialists.answer_consultation(consultation_id=consultation_id, answer="再答", actor=who),
        specialists.decline_consultation(consultation_id=consultation_id, reason="", actor=who),
    ):
        with pytest.raises(DomainError) as closed:
            await late
        assert closed.value.code is ErrorCode.INVALID_STATE
    assert await _steps(
        ticket, Action.JOIN_CONSULTATION, Action.ANSWER_CONSULTATION, Action.DECLINE_CONSULTATION
    ) == [
        (Action.JOIN_CONSULTATION, who.account_id, "专家加入三方通话"),
        (
            Action.ANSWER_CONSULTATION,
            who.account_id,
            "专家答复：年应纳税所得额不超过 300 万元的部分减按 25%。",
        ),
    ]
    # Answered: the agent may invite the specialist again.
    second = await _invited(ticket, profile_id)
    declined = await specialists.decline_consultation(
        consultation_id=second, reason="请咨询市场监管局", actor=who
    )
    assert (declined.status, declined.answer, declined.joined_at) == (
        ConsultationStatus.DECLINED,
        "请咨询市场监管局",
        None,
    )
    assert (await _steps(ticket, Action.DECLINE_CONSULTATION))[-1] == (
        Action.DECLINE_CONSULTATION,
        who.account_id,
        "专家婉拒：请咨询市场监管局",
    )
    # Answering without joining first joins at the same moment.
    third = await _invited(ticket, profile_id)
    direct = await specialists.answer_consultation(
        consultation_id=third, answer="可以。", actor=who
    )
    assert direct.joined_at == direct.answered_at
    mine = await specialists.my_consultations(who, statuses=None, first=10, after=None)
    assert [c.id for c in mine.items] == [third, second, consultation_id]
    pending = await specialists.my_consultations(
        who, statuses=[ConsultationStatus.DECLINED], first=10, after=None
    )
    assert [c.id for c in pending.items] == [second]


@pytest.mark.usefixtures("connected")
async def test_racing_answers_have_one_winner() -> None:
    who, profile_id = await new_specialist()
    ticket = await desk_ticket(Desk.ENTERPRISE)
    consultation_id = await _invited(ticket, profile_id)
    outcomes = await asyncio.gather(
        specialists.answer_consultation(consultation_id=consultation_id, answer="甲", actor=who),
        specialists.answer_consultation(consultation_id=consultation_id, answer="乙", actor=who),
        return_exceptions=True,
    )
    errors = [o for o in outcomes if isinstance(o, BaseException)]
    assert len(errors) == 1 and isinstance(errors[0], DomainError)
    assert errors[0].code is ErrorCode.INVALID_STATE
    assert len(await _steps(ticket, Action.ANSWER_CONSULTATION)) == 1


@pytest.mark.usefixtures("connected")
async def test_a_specialist_sees_the_tickets_it_was_invited_to_without_the_phone() -> None:
    who, profile_id = await new_specialist()
    ticket = await desk_ticket(Desk.ENTERPRISE)
    other = await desk_ticket(Desk.ENTERPRISE)
    assert not await visibility.can_see(who, ticket)
    await _invited(ticket, profile_id)
    assert await visibility.can_see(who, ticket) and not await visibility.can_see(who, other)
    assert await get_visible_ticket(who, other.number) is None
    listed = await list_tickets(who, TicketFilter(), first=10, after=None)
    assert [t.number for t in listed.items] == [ticket.number]
    assert not visibility.sees_phone(who, ticket, None)
    assert visibility.sees_internals(who)
    stranger, _ = await new_specialist()
    assert not await visibility.can_see(stranger, ticket)


CONSULTATION = (
    "consultation { id status question answer invitedBy joinedAt answeredAt "
    "specialist { username department { code } } ticket { number citizenPhone } }"
)


def _mutation(client: TestClient, name: str, token: str, **input: Any) -> dict[str, Any]:
    title = name[0].upper() + name[1:]
    query = f"""mutation($input: {title}Input!) {{ {name}(input: $input) {{
        {CONSULTATION} errors {{ field code }} }} }}"""
    payload: dict[str, Any] = data(client, query, {"input": input}, token=token)[name]
    return payload


def test_the_three_way_call_through_the_api(client: TestClient) -> None:
    agent, admin = login(client, "demo-agent"), login(client, "demo-admin")
    specialist = login(client, "demo-specialist")
    created = data(
        client,
        """mutation($input: CreateTicketInput!) { createTicket(input: $input) {
           ticket { number desk } errors { field code } } }""",
        {
            "input": {
                "channel": "HL-12345",
                "kind": "CONSULTATION",
                "title": "个体户怎么办营业执照",
                "content": "想开一家小饭馆，营业执照怎么办？",
                "category": "ENTERPRISE.BUSINESS_ENVIRONMENT.REGISTRATION",
                "citizenName": "孙八",
                "citizenPhone": "13812345678",
                "desk": "ENTERPRISE",
            }
        },
        token=agent,
    )["createTicket"]
    assert created["errors"] == [] and created["ticket"]["desk"] == "ENTERPRISE"
    number = created["ticket"]["number"]
    queue = data(
        client,
        "{ deskQueue(desk: ENTERPRISE, first: 100) { totalCount edges { node { number } } } }",
        token=agent,
    )["deskQueue"]
    assert number in {e["node"]["number"] for e in queue["edges"]}
    found = data(
        client,
        """{ specialists(filter: {desk: ENTERPRISE, topic: "ENTERPRISE.BUSINESS_ENVIRONMENT"})
           { edges { node { id username displayName title desks department { code } } } } }""",
        token=agent,
    )["specialists"]["edges"]
    demo = next(e["node"] for e in found if e["node"]["username"] == "demo-specialist")
    assert demo["department"]["code"] == "150300-SCJG"

    with client.websocket_connect("/graphql", subprotocols=[PROTOCOL]) as ws:
        subscribe(ws, specialist, "subscription { consultationUpdated { id status question } }")

        async def account_id() -> int:
            return (await principal("demo-specialist")).account_id

        wait_for_subscriber(client, specialist_topic(in_app(client, account_id)))
        invited = _mutation(
            client,
            "inviteSpecialist",
            agent,
            number=number,
            specialistId=demo["id"],
            question="个体工商户登记需要哪些材料？",
        )
        assert invited["errors"] == []
        consultation = invited["consultation"]
        assert consultation["status"] == "INVITED" and consultation["invitedBy"] == "demo-agent"
        heard = next_message(ws)["consultationUpdated"]
        assert heard == {
            "id": consultation["id"],
            "status": "INVITED",
            "question": "个体工商户登记需要哪些材料？",
        }
        ws.send_json({"id": "1", "type": "complete"})

    mine = data(
        client,
        "{ myConsultations(status: [INVITED]) { edges { node { id ticket { number } } } } }",
        token=specialist,
    )["myConsultations"]["edges"]
    assert consultation["id"] in {e["node"]["id"] for e in mine}
    joined = _mutation(client, "joinConsultation", specialist, consultationId=consultation["id"])
    assert joined["consultation"]["status"] == "JOINED"
    # The specialist sees the ticket, its history, but not the phone.
    assert joined["consultation"]["ticket"] == {"number": number, "citizenPhone": "138****5678"}
    body = gql(
        client,
        """mutation($input: AnswerConsultationInput!) { answerConsultation(input: $input) {
           errors { code } } }""",
        {"input": {"consultationId": consultation["id"], "answer": "越权"}},
        token=agent,
    )
    assert error_codes(body) == ["FORBIDDEN"]
    answer = "携带身份证和经营场所证明，可在政务服务网全程网办，1 个工作日内办结。"
    answered = _mutation(
        client, "answerConsultation", specialist, consultationId=consultation["id"], answer=answer
    )
    assert answered["errors"] == [] and answered["consultation"]["answer"] == answer
    again = _mutation(
        client, "answerConsultation", specialist, consultationId=consultation["id"], answer="再答"
    )
    assert again["errors"] == [{"field": "consultationId", "code": "INVALID_STATE"}]
    ticket = data(
        client,
        """query($n: String!) { ticket(number: $n) { desk citizenPhone
           consultations { status answer specialist { username } }
           history { action actor note } } }""",
        {"n": number},
        token=agent,
    )["ticket"]
    assert ticket["citizenPhone"] == "13812345678"
    assert ticket["consultations"] == [
        {"status": "ANSWERED", "answer": answer, "specialist": {"username": "demo-specialist"}}
    ]
    steps = [(s["action"], s["actor"]) for s in ticket["history"]]
    assert steps == [
        ("RECEIVE", "demo-agent"),
        ("INVITE_SPECIALIST", "demo-agent"),
        ("JOIN_CONSULTATION", "demo-specialist"),
        ("ANSWER_CONSULTATION", "demo-specialist"),
    ]
    moved = data(
        client,
        """mutation($n: String!) { setTicketDesk(input: {number: $n, desk: INTEGRITY}) {
           ticket { desk } errors { code } } }""",
        {"n": number},
        token=agent,
    )["setTicketDesk"]
    assert moved == {"ticket": {"desk": "INTEGRITY"}, "errors": []}
    unsaid = data(
        client,
        """mutation($n: String!) { setTicketDesk(input: {number: $n}) {
           ticket { desk } errors { field code } } }""",
        {"n": number},
        token=agent,
    )["setTicketDesk"]
    assert unsaid == {"ticket": None, "errors": [{"field": "desk", "code": "REQUIRED"}]}
    resolved = data(
        client,
        """mutation($input: ResolveAtIntakeInput!) { resolveAtIntake(input: $input) {
           ticket { status } errors { code } } }""",
        {"input": {"number": number, "reply": answer}},
        token=agent,
    )["resolveAtIntake"]
    assert resolved["ticket"] == {"status": "RESOLVED"}
    stats = data(
        client,
        """{ hotlineStats(filter: {from: "2000-01-01T00:00:00+08:00",
             to: "2100-01-01T00:00:00+08:00"}) { byDesk { desk received
             resolvedAtIntakeWithSpecialist consultationsAnswered } } }""",
        token=agent,
    )["hotlineStats"]["byDesk"]
    integrity = next(d for d in stats if d["desk"] == "INTEGRITY")
    assert integrity["resolvedAtIntakeWithSpecialist"] >= 1
    assert integrity["consultationsAnswered"] >= 1
    # Registering is for administrators.
    username = unique("spec")
    account = data(
        client,
        """mutation($u: String!) { createAccount(input: {username: $u, role: SPECIALIST,
           displayName: "医保专家"}) { errors { code } } }""",
        {"u": username},
        token=admin,
    )["createAccount"]
    assert account["errors"] == []
    register = """mutation($input: RegisterSpecialistInput!) {
        registerSpecialist(input: $input) {
          specialist { username title topics desks department { code } }
          errors { field code } } }"""
    request = {
        "username": username,
        "departmentCode": "150300-YB",
        "title": "待遇保障科",
        "topics": ["LABOUR.MEDICAL_INSURANCE"],
        "desks": [],
    }
    assert error_codes(gql(client, register, {"input": request}, token=agent)) == ["FORBIDDEN"]
    registered = data(client, register, {"input": request}, token=admin)["registerSpecialist"]
    assert registered == {
        "specialist": {
            "username": username,
            "title": "待遇保障科",
            "topics": ["LABOUR.MEDICAL_INSURANCE"],
            "desks": [],
            "department": {"code": "150300-YB"},
        },
        "errors": [],
    }


def test_only_agents_and_specialists_read_a_specialists_phone(client: TestClient) -> None:
    async def setup() -> tuple[TicketRecord, str]:
        ticket = await desk_ticket(Desk.ENTERPRISE)
        who, profile_id = await new_specialist()
        await Account.filter(id=who.account_id).update(phone="13900001111")
        agent = await principal("demo-agent")
        await specialists.invite_specialist(
            number=ticket.number, specialist_id=profile_id, question="请解答", actor=agent
        )
        await workflow.dispatch(number=ticket.number, department_code="150300-CG", actor=agent)
        return ticket, who.username

    ticket, specialist = in_app(client, setup)
    query = """query($n: String!) { ticket(number: $n) {
        consultations { specialist { username phone } } } }"""
    seen = {
        username: data(client, query, {"n": ticket.number}, login(client, username))["ticket"]
        for username in ("demo-agent", "demo-department")
    }
    assert seen["demo-agent"]["consultations"][0]["specialist"]["phone"] == "13900001111"
    assert seen["demo-department"]["consultations"][0]["specialist"] == {
        "username": specialist,
        "phone": None,
    }
