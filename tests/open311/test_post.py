"""POST requests.json: a ticket through the hotline's intake, keys, errors, retries."""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree

from starlette.testclient import TestClient

from accounts.client_keys import revoke_client_key
from api.open311.intake import EXTRA_MAX_LENGTH
from grids.catalogue import channel_of_account
from tests.graphql import in_app
from tests.open311.conftest import BASE, SERVICE, App, post
from tickets.history import history_of
from tickets.lifecycle import Action, TicketStatus
from tickets.models import Ticket
from tickets.records import TicketRecord, get_ticket


def _ticket(client: TestClient, number: str) -> TicketRecord:
    found = in_app(client, lambda: get_ticket(number))
    assert found is not None
    return found


def _count(client: TestClient) -> int:
    return in_app(client, Ticket.all().count)


def test_a_post_creates_a_ticket_through_the_intake(client: TestClient, app_key: App) -> None:
    attributes: dict[str, Any] = {
        "attribute[kind]": "COMPLAINT",
        "attribute[occurred_at]": "2020-11-27T20:30:00+08:00",
        "attribute[people_affected]": "12",
        "attribute[reply_by][]": ["PHONE", "SMS"],
        "attribute[expectation]": "责令安装油烟净化器",
    }
    response = post(
        client,
        app_key.key,
        description="楼下饭店油烟直排，窗户都不敢开。\n晚上尤其严重。",
        first_name="十",
        last_name="吴",
        phone="13612345678",
        email="wushi@example.com",
        device_id="device-1",
        account_id="fms-42",
        media_url="https://example.com/photo.jpg",
        address_string="新华街道 滨河小区 3 号楼",
        **attributes,
    )
    assert response.status_code == 200, response.text
    (created,) = response.json()
    assert created["account_id"] == "fms-42" and "工作日内办结" in created["service_notice"]
    ticket = _ticket(client, created["service_request_id"])
    assert ticket.status is TicketStatus.RECEIVED and ticket.kind.value == "COMPLAINT"
    assert ticket.title == "楼下饭店油烟直排，窗户都不敢开。"
    assert ticket.citizen_name == "吴十" and ticket.citizen_phone == "13612345678"
    assert ticket.grid_id is not None and ticket.lat == 39.67
    assert ticket.address == "新华街道 滨河小区 3 号楼"
    assert ticket.photos == ["https://example.com/photo.jpg"]
    for line in ("发生时间：2020-11-27 20:30", "涉及人数：12", "答复方式：电话、短信"):
        assert line in ticket.content
    assert "诉求目的：责令安装油烟净化器" in ticket.content
    assert "联系邮箱：wushi@example.com" in ticket.content
    assert ticket.created_by_id == app_key.issued.record.account_id
    channel = in_app(client, lambda: channel_of_account(ticket.created_by_id))
    assert channel is not None and channel.id == ticket.channel_id and channel.code == "OL-OPEN311"
    (step,) = in_app(client, lambda: history_of([ticket.id]))[ticket.id]
    assert step.action is Action.RECEIVE and step.actor_id == ticket.created_by_id


def test_xml_post_with_an_address_id_only(client: TestClient, app_key: App) -> None:
    response = client.post(
        f"{BASE}/requests.xml",
        data={"api_key": app_key.key, "service_code": SERVICE, "address_id": "150302001001-G01"},
    )
    assert response.status_code == 200, response.text
    root = ElementTree.fromstring(response.content)
    assert root.tag == "service_requests"
    number = root.findtext("request/service_request_id")
    assert number and root.find("request/account_id") is not None
    ticket = _ticket(client, number)
    assert ticket.content == ticket.title  # no description: the service's name
    assert ticket.grid_id is not None and ticket.address


def test_keys_missing_wrong_or_revoked_get_403(client: TestClient, app_key: App) -> None:
    before = _count(client)
    for key in (None, "wy_not-a-key", "something-else"):
        response = post(client, key, description="x")
        assert response.status_code == 403, response.text
        assert response.json()[0]["code"] == 403
    assert post(client, app_key.key, description="有效的密钥").status_code == 200
    in_app(client, lambda: revoke_client_key(app_key.issued.record.prefix, actor=None))
    response = post(client, app_key.key, fmt="xml", description="已吊销的密钥")
    assert response.status_code == 403
    assert ElementTree.fromstring(response.content).findtext("error/code") == "403"
    assert _count(client) == before + 1


def test_bad_input_is_400_or_404_and_writes_nothing(client: TestClient, app_key: App) -> None:
    before = _count(client)
    response = client.post(f"{BASE}/requests.json", data={"api_key": app_key.key, "lat": "39.67"})
    assert response.status_code == 400 and "service_code" in response.json()[0]["description"]
    response = post(client, app_key.key, service_code="NO.SUCH.SERVICE")
    assert response.status_code == 404
    response = post(client, app_key.key, service_code="ENVIRONMENT.AIR")  # not a leaf
    assert response.status_code == 404
    response = client.post(
        f"{BASE}/requests.json", data={"api_key": app_key.key, "service_code": SERVICE}
    )
    assert response.status_code == 400 and "location" in response.json()[0]["description"]
    response = post(
        client,
        app_key.key,
        lat="39.67",
        long="east",
        email="not-an-email",
        media_url="ftp://example.com/x",
        description="x" * 4001,
        **{
            "attribute[kind]": "GOSSIP",
            "attribute[people_affected]": "many",
            "attribute[occurred_at]": "2999-01-01T00:00:00+08:00",
            "attribute[colour]": "red",  # not in the definition: kept, not a problem
        },
    )
    assert response.status_code == 400
    described = " ".join(e["description"] for e in response.json())
    assert all(e["code"] == 400 for e in response.json())
    for argument in (
        "lat/long",
        "email",
        "media_url",
        "description",
        "attribute[kind]",
        "attribute[people_affected]",
        "attribute[occurred_at]",
    ):
        assert argument in described, argument
    assert "colour" not in described
    # The intake's own checks: outside the city, and a phone that is no phone.
    response = post(client, app_key.key, lat="0", long="0", phone="call me", description="远处")
    assert response.status_code == 400
    described = " ".join(e["description"] for e in response.json())
    assert "lat/long" in described and "OUTSIDE_SERVICE_AREA" in described
    assert "phone" in described
    response = client.post(
        f"{BASE}/requests.json",
        content=b'{"service_code": "x"}',
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 400
    assert _count(client) == before


def test_a_retry_with_the_same_idempotency_key_returns_the_first(
    client: TestClient, app_key: App
) -> None:
    before = _count(client)
    headers = {"Idempotency-Key": "fms-report-0001"}
    body = {"api_key": app_key.key, "service_code": SERVICE, "lat": 39.67, "long": 106.82}
    first = client.post(f"{BASE}/requests.json", data=body, headers=headers).json()
    again = client.post(f"{BASE}/requests.json", data=body, headers=headers).json()
    assert first[0]["service_request_id"] == again[0]["service_request_id"]
    assert _count(client) == before + 1
    changed = client.post(
        f"{BASE}/requests.json", data={**body, "description": "另一件事"}, headers=headers
    )
    assert changed.status_code == 400 and "IDEMPOTENCY_CONFLICT" in changed.text
    # The key is the client's token for the request.
    token = client.get(f"{BASE}/tokens/fms-report-0001.json", params={"api_key": app_key.key})
    assert token.json() == [
        {"service_request_id": first[0]["service_request_id"], "token": "fms-report-0001"}
    ]
    xml = client.get(f"{BASE}/tokens/fms-report-0001.xml", params={"api_key": app_key.key})
    assert ElementTree.fromstring(xml.content).findtext("request/token") == "fms-report-0001"
    assert client.get(f"{BASE}/tokens/fms-report-0001.json").status_code == 403
    missing = client.get(f"{BASE}/tokens/unknown-token.json", params={"api_key": app_key.key})
    assert missing.status_code == 404
    assert _count(client) == before + 1


def test_attributes_outside_the_definition_are_kept_not_refused(
    client: TestClient, app_key: App
) -> None:
    """FixMyStreet sends its own bookkeeping as attributes; they go into the content,
    bounded, and the defined ones are still checked."""
    fixmystreet: dict[str, Any] = {
        "attribute[fixmystreet_id]": "4242",
        "attribute[report_url]": "https://fixmystreet.example/report/4242",
        "attribute[easting]": "1234567",
        "attribute[title]": "井盖缺失",
        "attribute[notes][]": ["a", "b"],
        "attribute[detail]": "长" * 1000,
    }
    response = post(client, app_key.key, description="路口井盖缺失。", **fixmystreet)
    assert response.status_code == 200, response.text
    ticket = _ticket(client, response.json()[0]["service_request_id"])
    assert ticket.title == "井盖缺失"
    extra = ticket.content.split("【Open311 附加信息】\n")[1].splitlines()
    assert extra[:4] == [
        "fixmystreet_id：4242",
        "report_url：https://fixmystreet.example/report/4242",
        "easting：1234567",
        "notes：a, b",
    ]
    assert extra[4] == "detail：" + "长" * 199 + "…"
    many = {f"attribute[extra_{i}]": "x" * 150 for i in range(20)}
    response = post(client, app_key.key, description="另一处井盖缺失。", **many)
    assert response.status_code == 200, response.text
    ticket = _ticket(client, response.json()[0]["service_request_id"])
    block = ticket.content.split("【Open311 附加信息】\n")[1]
    assert 0 < len(block) <= EXTRA_MAX_LENGTH and block.startswith("extra_0：")
    before = _count(client)
    response = post(
        client, app_key.key, **{"attribute[kind]": "GOSSIP", "attribute[fixmystreet_id]": "1"}
    )
    assert response.status_code == 400
    assert [e["description"].split(":")[0] for e in response.json()] == ["attribute[kind]"]
    assert _count(client) == before


def test_a_multipart_post_with_a_photo_keeps_the_fields_and_drops_the_file(
    client: TestClient, app_key: App
) -> None:
    """As GeoReporter sends a request with a photo attached: multipart, the photo as
    ``media``; the text is taken, the binary is not stored, ``media_url`` still is."""
    before = _count(client)
    response = client.post(
        f"{BASE}/requests.json",
        data={
            "api_key": app_key.key,
            "service_code": SERVICE,
            "lat": "39.67",
            "long": "106.82",
            "description": "人行道上有个大坑。",
            "first_name": "十",
            "last_name": "吴",
            "media_url": "https://example.com/pothole.jpg",
            "attribute[reply_by][]": ["PHONE", "SMS"],
        },
        files={"media": ("pothole.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 2048, "image/jpeg")},
    )
    assert response.status_code == 200, response.text
    ticket = _ticket(client, response.json()[0]["service_request_id"])
    assert (
        ticket.content.startswith("人行道上有个大坑。") and "答复方式：电话、短信" in ticket.content
    )
    assert ticket.citizen_name == "吴十" and ticket.lat == 39.67
    assert ticket.photos == ["https://example.com/pothole.jpg"]
    broken = client.post(
        f"{BASE}/requests.xml",
        content=b"--x\r\nnot a part",
        headers={"content-type": "multipart/form-data"},  # no boundary
    )
    assert broken.status_code == 400
    assert ElementTree.fromstring(broken.content).findtext("error/code") == "400"
    assert _count(client) == before + 1
