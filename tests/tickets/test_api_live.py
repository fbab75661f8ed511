"""ticketUpdated over graphql-transport-ws: a body's queue, the agents' board, one ticket."""

from __future__ import annotations

from starlette.testclient import TestClient

from tests.graphql import data, in_app, login
from tests.merchants.live import PROTOCOL, next_message, subscribe, wait_for_subscriber
from tests.tickets.test_api_journey import complaint, ok, step
from tickets.live import ALL_TICKETS_TOPIC, department_topic, ticket_topic
from tickets.records import get_ticket

UPDATES = """subscription($filter: TicketUpdatedFilter) { ticketUpdated(filter: $filter) {
    action previous ticket { number status publicStatus department { code } citizenPhone } } }"""


def _department_id(client: TestClient, number: str) -> int:
    async def lookup() -> int:
        ticket = await get_ticket(number)
        assert ticket is not None and ticket.department_id is not None
        return ticket.department_id

    return in_app(client, lookup)


def test_a_body_hears_of_tickets_arriving_in_and_leaving_its_queue(client: TestClient) -> None:
    agent, staff = login(client, "demo-agent"), login(client, "demo-department")
    number = complaint(client, agent)["number"]
    with client.websocket_connect("/graphql", subprotocols=[PROTOCOL]) as ws:
        subscribe(ws, staff, UPDATES)
        first = step(client, "dispatchTicket", agent, number=number, departmentCode="150300-CG")
        wait_for_subscriber(client, department_topic(_department_id(client, number)))
        ok(first)
        # The dispatch may have been published before the subscription was live: act again.
        ok(step(client, "urgeTicket", agent, number=number, note="请尽快处理"))
        update = next_message(ws)["ticketUpdated"]
        while update["action"] != "URGE":
            update = next_message(ws)["ticketUpdated"]
        assert update["ticket"]["number"] == number
        assert update["ticket"]["citizenPhone"] == "13612345678"
        ok(step(client, "returnTicket", staff, number=number, reason="非本部门职责"))
        gone = next_message(ws)["ticketUpdated"]
        assert gone["action"] == "RETURN" and gone["previous"] == "DISPATCHED"
        assert gone["ticket"]["status"] == "RETURNED" and gone["ticket"]["department"] is None
        ws.send_json({"id": "1", "type": "complete"})


def test_agents_hear_of_every_ticket_and_citizens_follow_their_own(client: TestClient) -> None:
    agent, citizen = login(client, "demo-agent"), login(client, "demo-citizen")
    with client.websocket_connect("/graphql", subprotocols=[PROTOCOL]) as ws:
        subscribe(ws, agent, UPDATES)
        wait_for_subscriber(client, ALL_TICKETS_TOPIC)
        number = complaint(client, agent)["number"]
        created = next_message(ws)["ticketUpdated"]
        while created["ticket"]["number"] != number:
            created = next_message(ws)["ticketUpdated"]
        assert created["action"] == "RECEIVE" and created["previous"] is None
        ws.send_json({"id": "1", "type": "complete"})

    own = ok(
        data(
            client,
            """mutation($input: CreateTicketInput!) { createTicket(input: $input) {
               ticket { number } errors { field code message } } }""",
            {
                "input": {
                    "channel": "OL-WECHAT-MP",
                    "kind": "REQUEST",
                    "title": "路灯不亮",
                    "content": "小区门口路灯坏了一周。",
                }
            },
            token=citizen,
        )["createTicket"]
    )["number"]
    staff = login(client, "demo-department")
    with client.websocket_connect("/graphql", subprotocols=[PROTOCOL]) as ws:
        subscribe(ws, citizen, UPDATES, {"filter": {"number": own}})
        wait_for_subscriber(client, ticket_topic(own))
        # Internal steps (a return, a note, urging) are not the citizen's to hear of.
        ok(step(client, "dispatchTicket", agent, number=own, departmentCode="150300-CG"))
        ok(step(client, "urgeTicket", agent, number=own))
        ok(step(client, "returnTicket", staff, number=own, reason="非本部门职责"))
        ok(step(client, "dispatchTicket", agent, number=own, departmentCode="150302-CG"))
        ok(step(client, "superviseTicket", agent, number=own))
        ok(step(client, "transferTicket", agent, number=own, departmentCode="150300-CG"))
        ok(step(client, "signTicket", staff, number=own))
        ok(step(client, "resolveTicket", staff, number=own, reply="已通知路灯所维修。"))
        heard = [next_message(ws)["ticketUpdated"] for _ in range(3)]
        assert [u["action"] for u in heard] == ["DISPATCH", "DISPATCH", "RESOLVE"]
        assert all(u["previous"] is None and u["ticket"]["status"] is None for u in heard)
        assert heard[-1]["ticket"]["publicStatus"] == "REPLIED"
        ws.send_json({"id": "1", "type": "complete"})


def test_a_citizen_cannot_follow_someone_elses_ticket_or_the_board(client: TestClient) -> None:
    agent, citizen = login(client, "demo-agent"), login(client, "demo-citizen")
    number = complaint(client, agent)["number"]
    for variables in ({"filter": {"number": number}}, {}):
        with client.websocket_connect("/graphql", subprotocols=[PROTOCOL]) as ws:
            subscribe(ws, citizen, UPDATES, variables)
            message = ws.receive_json()
            assert message["type"] == "next" and message["payload"]["data"] is None, message
            [error] = message["payload"]["errors"]
            assert error["extensions"] == {"code": "BAD_USER_INPUT", "argument": "filter.number"}
