"""A provider's whole journey through the ASGI app, with live offers over a real websocket:
register, be approved, go on duty, receive an offer, accept, serve, complete, be rated."""

from __future__ import annotations

from starlette.testclient import TestClient
from strawberry.relay import to_base64

from merchants.live import merchant_topic, order_topic
from tests.conftest import unique
from tests.graphql import data, gql, in_app, login
from tests.merchants.live import (
    ON_DUTY,
    PROTOCOL,
    REVIEW,
    approve_and_go_on_duty,
    car_moving_input,
    example,
    merchant_db_id,
    next_message,
    register,
    subscribe,
    wait_for_subscriber,
)
from tests.merchants.market import fresh_grid

PLACE = """mutation($input: PlaceOrderInput!) { placeOrder(input: $input) {
    order { number status quote { amount } grid { code } contactPhone }
    errors { field code message } } }"""
OFFERS = """subscription { offers { kind offer { id status secondsLeft distanceKm
    job { number form contactName contactPhone serviceType { code } grid { code } }
    order { number } } } }"""
ORDER_UPDATED = """subscription($n: String!) { orderUpdated(number: $n) { previous status
    order { status merchant { name } } } }"""
ORDER = """query($n: String!) { order(number: $n) { number status contactPhone
    history { fromStatus toStatus actor } } }"""


def test_a_vendor_registers_is_approved_and_serves_an_order_live(client: TestClient) -> None:
    grid = in_app(client, fresh_grid)
    merchant_id, username = register(client, grid.code, ["car_moving", "unlocking"])
    token = approve_and_go_on_duty(client, merchant_id, username)
    citizen = login(client, "demo-citizen")

    with client.websocket_connect("/graphql", subprotocols=[PROTOCOL]) as ws:
        subscribe(ws, token, OFFERS)
        wait_for_subscriber(client, merchant_topic(merchant_db_id(merchant_id)))
        placed = data(
            client,
            PLACE,
            {
                "input": {
                    "serviceType": "unlocking",
                    "form": example(client, "unlocking"),
                    "location": {"lat": grid.lat, "lng": grid.lng},
                    "address": "测试小区 3 号楼 2 单元 501",
                    "contactName": "钱七",
                    "contactPhone": "13812345678",
                    "idempotencyKey": unique("order"),
                }
            },
            citizen,
        )["placeOrder"]
        assert placed["errors"] == []
        order = placed["order"]
        assert order["status"] == "DISPATCHING" and order["grid"] == {"code": grid.code}

        offered = next_message(ws)["offers"]
        assert offered["kind"] == "OFFERED"
        offer = offered["offer"]
        job = offer["job"]
        assert job["number"] == order["number"] and job["grid"] == {"code": grid.code}
        assert job["contactPhone"] == "138****5678" and job["contactName"] == "钱*"
        assert "*" in job["form"]["idNumber"]  # the resident ID is masked before acceptance
        assert offer["order"] is None and 0 < offer["secondsLeft"] <= 60

        # Before accepting, the order itself is not the merchant's to see.
        assert data(client, ORDER, {"n": order["number"]}, token)["order"] is None

        with client.websocket_connect("/graphql", subprotocols=[PROTOCOL]) as follower:
            subscribe(follower, citizen, ORDER_UPDATED, {"n": order["number"]})
            wait_for_subscriber(client, order_topic(order["number"]))

            accepted = data(
                client,
                "mutation($id: ID!) { acceptOffer(input: {offerId: $id}) { order { status "
                "contactPhone form } errors { code } } }",
                {"id": offer["id"]},
                token,
            )["acceptOffer"]
            assert accepted["errors"] == []
            assert accepted["order"]["status"] == "ACCEPTED"
            assert accepted["order"]["contactPhone"] == "13812345678"
            assert "*" not in accepted["order"]["form"]["idNumber"]
            assert next_message(ws)["offers"]["kind"] == "ACCEPTED"
            update = next_message(follower)["orderUpdated"]
            assert update["previous"] == "DISPATCHING"
            assert update["order"]["status"] == "ACCEPTED"
            assert update["order"]["merchant"]["name"].startswith("乌海测试服务")

            for mutation, arguments in (
                ("startService", "{orderNumber: $n}"),
                ("completeOrder", '{orderNumber: $n, finalPrice: "120.00"}'),
            ):
                result = data(
                    client,
                    f"mutation($n: String!) {{ {mutation}(input: {arguments}) "
                    "{ order { status } errors { field code message } } }",
                    {"n": order["number"]},
                    token,
                )[mutation]
                assert result["errors"] == [], result
            # Each message says the status its change made; the order itself is read
            # when the message goes out, perhaps after the next change.
            assert [next_message(follower)["orderUpdated"]["status"] for _ in range(2)] == [
                "IN_SERVICE",
                "COMPLETED",
            ]
            follower.send_json({"id": "1", "type": "complete"})
        ws.send_json({"id": "1", "type": "complete"})

    rated = data(
        client,
        'mutation($n: String!) { rateOrder(input: {orderNumber: $n, stars: 4, comment: "快"}) '
        "{ order { stars merchant { rating ratingCount activeOrders } } errors { code } } }",
        {"n": order["number"]},
        citizen,
    )["rateOrder"]
    assert rated["order"] == {
        "stars": 4,
        "merchant": {"rating": 4.0, "ratingCount": 1, "activeOrders": 0},
    }
    history = data(client, ORDER, {"n": order["number"]}, citizen)["order"]["history"]
    assert [(h["fromStatus"], h["toStatus"]) for h in history] == [
        (None, "PLACED"),
        ("PLACED", "DISPATCHING"),
        ("DISPATCHING", "ACCEPTED"),
        ("ACCEPTED", "IN_SERVICE"),
        ("IN_SERVICE", "COMPLETED"),
    ]
    assert history[2]["actor"] == username and history[1]["actor"] is None


def test_other_merchants_see_nothing_of_an_order_and_cannot_take_it(client: TestClient) -> None:
    grid = in_app(client, fresh_grid)
    mine, my_user = register(client, grid.code, ["car_moving"])
    my_token = approve_and_go_on_duty(client, mine, my_user)
    other_grid = in_app(client, fresh_grid)
    theirs, their_user = register(client, other_grid.code, ["car_moving"])
    their_token = approve_and_go_on_duty(client, theirs, their_user)
    order = data(
        client,
        PLACE,
        {"input": car_moving_input(grid, "蒙L66666", "MY_SPACE")},
        login(client, "demo-citizen"),
    )["placeOrder"]["order"]
    [offer] = data(client, "{ myOffers { id status } }", token=my_token)["myOffers"]
    assert data(client, "{ myOffers { id } }", token=their_token)["myOffers"] == []
    taken = data(
        client,
        "mutation($id: ID!) { acceptOffer(input: {offerId: $id}) { order { number } "
        "errors { field code } } }",
        {"id": offer["id"]},
        their_token,
    )["acceptOffer"]
    assert taken == {"order": None, "errors": [{"field": "offerId", "code": "NOT_FOUND"}]}
    assert (
        data(client, "query($id: ID!) { node(id: $id) { id } }", {"id": offer["id"]}, their_token)[
            "node"
        ]
        is None
    )
    assert data(client, ORDER, {"n": order["number"]}, their_token)["order"] is None
    listed = data(client, "{ orders { totalCount } }", token=their_token)["orders"]
    assert listed == {"totalCount": 0}


def test_wrong_inputs_and_states_are_refused_with_codes(client: TestClient) -> None:
    grid = in_app(client, fresh_grid)
    citizen = login(client, "demo-citizen")
    bad = data(
        client,
        PLACE,
        {
            "input": {
                "serviceType": "road_rescue",
                "form": {"plate": "ABC", "vehicleType": "SPACESHIP", "extra": 1},
                "location": {"lat": 10.0, "lng": 10.0},
                "address": "",
                "contactName": "钱七",
                "contactPhone": "12345",
            }
        },
        citizen,
    )["placeOrder"]
    assert bad["order"] is None
    fields = {(e["field"], e["code"]) for e in bad["errors"]}
    assert {
        ("contactPhone", "INVALID"),
        ("address", "REQUIRED"),
        ("location", "OUTSIDE_SERVICE_AREA"),
        ("form.plate", "INVALID"),
        ("form.vehicleType", "INVALID_CHOICE"),
        ("form.extra", "UNKNOWN_FIELD"),
    } <= fields
    unknown = data(
        client,
        PLACE,
        {
            "input": {
                "serviceType": "teleport",
                "form": {},
                "location": {"lat": grid.lat, "lng": grid.lng},
                "address": "x",
                "contactName": "钱七",
                "contactPhone": "13812345678",
            }
        },
        citizen,
    )["placeOrder"]
    assert unknown["errors"] == [
        {"field": "serviceType", "code": "NOT_FOUND", "message": "没有这种服务类型。"}
    ]
    anonymous = gql(client, "mutation { setOnDuty(input: {onDuty: true}) { errors { code } } }")
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    as_citizen = gql(
        client, "mutation { setOnDuty(input: {onDuty: true}) { errors { code } } }", token=citizen
    )
    assert as_citizen["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    merchant_id, username = register(client, grid.code, ["car_moving"])
    pending = login(client, username, "vendor-password")
    refused = data(client, ON_DUTY, token=pending)["setOnDuty"]
    assert refused == {"merchant": None, "errors": [{"code": "MERCHANT_NOT_APPROVED"}]}
    rejected_without_note = data(
        client,
        REVIEW,
        {"input": {"merchantId": merchant_id, "decision": "REJECT"}},
        login(client, "demo-admin"),
    )["reviewMerchant"]
    assert rejected_without_note["errors"] == [{"field": "note", "code": "REQUIRED"}]


def test_a_form_is_checked_and_priced_before_ordering(client: TestClient) -> None:
    grid = in_app(client, fresh_grid)
    query = """query($input: OrderQuoteInput!) { orderQuote(input: $input) {
        quote { amount currency lines { label amount } } grid { code } errors { field code } } }"""
    form = example(client, "housekeeping") | {"hours": 3}
    location = {"lat": grid.lat, "lng": grid.lng}
    quoted = data(
        client,
        query,
        {"input": {"serviceType": "housekeeping", "form": form, "location": location}},
    )["orderQuote"]
    assert quoted["errors"] == [] and quoted["grid"] == {"code": grid.code}
    assert quoted["quote"]["amount"] == "135.00" and quoted["quote"]["currency"] == "CNY"
    refused = data(
        client,
        query,
        {
            "input": {
                "serviceType": "housekeeping",
                "form": form | {"hours": 12},
                "location": location,
            }
        },
    )["orderQuote"]
    assert refused == {
        "quote": None,
        "grid": None,
        "errors": [{"field": "form.hours", "code": "OUT_OF_RANGE"}],
    }


def test_when_one_provider_accepts_a_broadcast_the_others_hear_it_withdrawn(
    client: TestClient,
) -> None:
    grid = in_app(client, fresh_grid)
    vendors = [register(client, grid.code, ["car_moving"]) for _ in range(2)]
    tokens = [approve_and_go_on_duty(client, m, u) for m, u in vendors]
    query = "subscription { offers { kind offer { id status job { number } } } }"
    with (
        client.websocket_connect("/graphql", subprotocols=[PROTOCOL]) as first,
        client.websocket_connect("/graphql", subprotocols=[PROTOCOL]) as second,
    ):
        for ws, token, (merchant_id, _) in zip((first, second), tokens, vendors, strict=True):
            subscribe(ws, token, query)
            wait_for_subscriber(client, merchant_topic(merchant_db_id(merchant_id)))
        number = data(
            client,
            PLACE,
            {"input": car_moving_input(grid, "蒙L12345", "FIRE_LANE")},
            login(client, "demo-citizen"),
        )["placeOrder"]["order"]["number"]
        offered = [next_message(ws)["offers"] for ws in (first, second)]
        assert [o["kind"] for o in offered] == ["OFFERED", "OFFERED"]
        assert {o["offer"]["job"]["number"] for o in offered} == {number}
        accepted = data(
            client,
            "mutation($id: ID!) { acceptOffer(input: {offerId: $id}) { errors { code } } }",
            {"id": offered[0]["offer"]["id"]},
            tokens[0],
        )["acceptOffer"]
        assert accepted == {"errors": []}
        assert next_message(first)["offers"]["kind"] == "ACCEPTED"
        withdrawn = next_message(second)["offers"]
        assert withdrawn["kind"] == "WITHDRAWN" and withdrawn["offer"]["status"] == "WITHDRAWN"
        for ws in (first, second):
            ws.send_json({"id": "1", "type": "complete"})


def test_the_directory_shows_approved_providers_and_filters_them(client: TestClient) -> None:
    grid = in_app(client, fresh_grid)
    approved, username = register(client, grid.code, ["water_delivery"])
    approve_and_go_on_duty(client, approved, username)
    pending, _ = register(client, grid.code, ["water_delivery"])
    query = """query($f: MerchantFilter) { merchants(filter: $f, first: 100) { totalCount
        edges { node { id status services { code documents { code } } } } } }"""
    wanted = {"serviceType": "water_delivery", "areaCode": grid.code}
    public = data(client, query, {"f": wanted})["merchants"]
    ids = {e["node"]["id"] for e in public["edges"]}
    assert approved in ids and pending not in ids
    assert all(s["documents"] is None for e in public["edges"] for s in e["node"]["services"])
    staff = data(client, query, {"f": wanted | {"status": "PENDING"}}, login(client, "demo-agent"))
    assert [e["node"]["id"] for e in staff["merchants"]["edges"]] == [pending]
    documents = staff["merchants"]["edges"][0]["node"]["services"][0]["documents"]
    assert documents == [{"code": "food_business_licence"}]
    elsewhere = data(client, query, {"f": {"serviceType": "childcare", "areaCode": grid.code}})
    assert approved not in {e["node"]["id"] for e in elsewhere["merchants"]["edges"]}


def test_suspension_stops_a_provider_and_nodes_respect_who_asks(client: TestClient) -> None:
    grid = in_app(client, fresh_grid)
    merchant_id, username = register(client, grid.code, ["car_moving"])
    token = approve_and_go_on_duty(client, merchant_id, username)
    citizen, admin, agent = (login(client, u) for u in ("demo-citizen", "demo-admin", "demo-agent"))
    number = data(
        client,
        PLACE,
        {"input": car_moving_input(grid, "蒙L54321", "BLOCKING_ROAD")},
        citizen,
    )["placeOrder"]["order"]["number"]
    [offer] = data(client, "{ myOffers { id } }", token=token)["myOffers"]

    def review(decision: str, note: str = "") -> dict[str, object]:
        result: dict[str, object] = data(
            client,
            REVIEW,
            {"input": {"merchantId": merchant_id, "decision": decision, "note": note}},
            admin,
        )["reviewMerchant"]
        return result

    assert review("SUSPEND")["errors"] == [{"field": "note", "code": "REQUIRED"}]
    assert review("SUSPEND", "投诉核查中") == {"merchant": {"status": "SUSPENDED"}, "errors": []}
    accept = "mutation($id: ID!) { acceptOffer(input: {offerId: $id}) { errors { code } } }"
    refused = data(client, accept, {"id": offer["id"]}, token)["acceptOffer"]
    assert refused == {"errors": [{"code": "MERCHANT_NOT_APPROVED"}]}
    node = "query($id: ID!) { node(id: $id) { id ... on Merchant { status onDuty } } }"
    assert data(client, node, {"id": merchant_id})["node"] is None  # not public while suspended
    assert data(client, node, {"id": merchant_id}, agent)["node"] == {
        "id": merchant_id,
        "status": "SUSPENDED",
        "onDuty": False,
    }
    assert review("REINSTATE") == {"merchant": {"status": "APPROVED"}, "errors": []}
    assert data(client, accept, {"id": offer["id"]}, token)["acceptOffer"] == {"errors": []}

    order = "query($id: ID!) { node(id: $id) { ... on Order { status offers { status } } } }"
    order_id = to_base64("Order", number)
    assert data(client, order, {"id": order_id}, agent)["node"] == {
        "status": "ACCEPTED",
        "offers": [{"status": "ACCEPTED"}],
    }
    assert data(client, order, {"id": order_id}, citizen)["node"]["offers"] is None
    assert data(client, order, {"id": order_id}, login(client, "demo-grid"))["node"] is None
    cancelled = data(
        client,
        'mutation($n: String!) { cancelOrder(input: {orderNumber: $n, reason: "不需要了"}) '
        "{ order { status statusReason merchant { activeOrders } } errors { code } } }",
        {"n": number},
        citizen,
    )["cancelOrder"]
    assert cancelled == {
        "order": {
            "status": "CANCELLED",
            "statusReason": "不需要了",
            "merchant": {"activeOrders": 0},
        },
        "errors": [],
    }


def test_a_subscription_ends_once_its_token_is_revoked(client: TestClient) -> None:
    grid = in_app(client, fresh_grid)
    merchant_id, username = register(client, grid.code, ["car_moving"])
    token = approve_and_go_on_duty(client, merchant_id, username)
    with client.websocket_connect("/graphql", subprotocols=[PROTOCOL]) as ws:
        subscribe(ws, token, "subscription { offers { kind } }")
        wait_for_subscriber(client, merchant_topic(merchant_db_id(merchant_id)))
        changed = data(
            client,
            'mutation { changePassword(input: {currentPassword: "vendor-password", '
            'newPassword: "another-password"}) { errors { code } } }',
            token=token,
        )["changePassword"]
        assert changed == {"errors": []}
        data(
            client,
            PLACE,
            {"input": car_moving_input(grid, "蒙L12345", "FIRE_LANE")},
            login(client, "demo-citizen"),
        )
        message = ws.receive_json()
        assert message["type"] == "next"
        assert message["payload"]["data"] is None
        assert message["payload"]["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        assert ws.receive_json() == {"id": "1", "type": "complete"}
