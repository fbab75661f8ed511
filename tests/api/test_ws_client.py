"""A real graphql-transport-ws client against a live ``wuyou serve``: gql (PyPI), the
GraphQL client for Python, with its websockets transport held to the graphql-transport-ws
subprotocol, as a merchant's app written in Python would connect.

The server is the module's ``live_server``, on the session's seeded SQLite database.
The client authenticates in ``connection_init`` as docs/api.md's Subscriptions section
says, hears of an order a citizen places over HTTP (and of its acceptance), gets its
pong, and is refused as documented: an anonymous subscriber with ``UNAUTHENTICATED``, a
bad token with close code 4403.

Skipped where gql is not installed.
"""

from __future__ import annotations

import asyncio

import httpx2
import pytest
from websockets.exceptions import ConnectionClosed

from tests.live_server import LiveServer, data, login
from tests.merchants.live import ACCEPT, PLACE, PROTOCOL, car_moving_input
from tests.merchants.market import PASSWORD, citizen, fresh_grid, provider

try:
    from gql import Client, gql
    from gql.transport.exceptions import TransportConnectionFailed, TransportQueryError
    from gql.transport.websockets import WebsocketsTransport
except ImportError:
    pytest.skip("gql is not installed", allow_module_level=True)

#: One server, on SQLite: the client is the subject here, not the database.
pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

OFFERS = gql("""subscription Offers { offers { kind offer {
    id status job { number contactPhone } } } }""")
#: How long a message may take to come; far more than it takes.
WAIT_SECONDS = 10


def transport(server: LiveServer, token: str | None = None) -> WebsocketsTransport:
    """gql's websockets transport speaking graphql-transport-ws only, with ``token`` in
    its ``connection_init`` payload."""
    assert WebsocketsTransport.GRAPHQLWS_SUBPROTOCOL == PROTOCOL
    return WebsocketsTransport(
        url=server.websocket,
        init_payload={"Authorization": f"Bearer {token}"} if token else {},
        subprotocols=[WebsocketsTransport.GRAPHQLWS_SUBPROTOCOL],
    )


async def test_a_merchant_on_duty_hears_of_an_order_a_citizen_places_over_http(
    live_server: LiveServer, retire_providers: None
) -> None:
    grid = await fresh_grid()
    shop = await provider(grid, ["car_moving"])  # approved and on duty
    who = await citizen()
    async with httpx2.AsyncClient(base_url=live_server.base, timeout=30) as http:
        merchant = await login(http, shop.staff.username, PASSWORD)
        placer = await login(http, who.username, PASSWORD)
        link = transport(live_server, merchant)
        async with Client(transport=link) as session:
            assert link.subprotocol == PROTOCOL
            offers = session.subscribe(OFFERS)
            first = asyncio.ensure_future(anext(offers))
            while not link.listeners:  # gql listens for the operation once it has sent it
                assert not first.done(), first
                await asyncio.sleep(0.01)
            # Keepalive: a ping is answered with a pong. The server reads a connection's
            # messages in order, so by the pong the subscription has started, before the
            # order below is placed.
            await link.send_ping()
            await asyncio.wait_for(link.pong_received.wait(), WAIT_SECONDS)

            order_input = car_moving_input(grid, "蒙L30001", "BLOCKING_EXIT")
            placed = (await data(http, PLACE, {"i": order_input}, placer))["placeOrder"]
            assert placed["errors"] == []
            offered = (await asyncio.wait_for(first, WAIT_SECONDS))["offers"]
            assert offered["kind"] == "OFFERED"
            assert offered["offer"]["status"] == "PENDING"
            number = placed["order"]["number"]
            assert offered["offer"]["job"] == {"number": number, "contactPhone": "138****5678"}

            # Accepted over HTTP: the same subscription tells of it.
            accept = {"i": {"offerId": offered["offer"]["id"]}}
            accepted = (await data(http, ACCEPT, accept, merchant))["acceptOffer"]
            assert accepted == {"order": {"status": "ACCEPTED"}, "errors": []}
            told = (await asyncio.wait_for(anext(offers), WAIT_SECONDS))["offers"]
            assert told["kind"] == "ACCEPTED"
            assert told["offer"]["id"] == offered["offer"]["id"]
            assert told["offer"]["status"] == "ACCEPTED"
            await offers.aclose()


async def test_an_anonymous_subscriber_is_told_to_sign_in(live_server: LiveServer) -> None:
    async with Client(transport=transport(live_server)) as session:  # acknowledged
        with pytest.raises(TransportQueryError) as refused:
            await asyncio.wait_for(anext(session.subscribe(OFFERS)), WAIT_SECONDS)
    assert refused.value.errors is not None
    assert [e["extensions"]["code"] for e in refused.value.errors] == ["UNAUTHENTICATED"]


async def test_a_bad_token_closes_the_connection_with_4403(live_server: LiveServer) -> None:
    with pytest.raises(TransportConnectionFailed) as refused:
        async with Client(transport=transport(live_server, "not-a-token")):
            pass
    closed = refused.value.__cause__  # what the websockets library raised
    assert isinstance(closed, ConnectionClosed), refused.value
    assert closed.rcvd is not None and closed.rcvd.code == 4403
