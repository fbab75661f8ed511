"""GET requests.json and requests/{id}.json: the lifecycle as open/closed, the
filters, the default window and cap, and what a public list masks."""

from __future__ import annotations

from datetime import datetime, timedelta
from xml.etree import ElementTree

import pytest
from starlette.testclient import TestClient

from api.open311 import endpoints
from api.open311.clients import create_client_key
from tests.api.test_sql_statements import counting_sql
from tests.conftest import unique
from tests.graphql import in_app
from tests.open311.conftest import BASE, SERVICE, App, post, principal
from tickets.merging import merge
from tickets.models import Ticket
from tickets.workflow import dispatch, resolve, sign
from wuyou import clock


def _create(client: TestClient, key: str, description: str, **fields: str) -> str:
    response = post(client, key, description=description, **fields)
    assert response.status_code == 200, response.text
    number: str = response.json()[0]["service_request_id"]
    return number


def _one(client: TestClient, number: str) -> dict[str, object]:
    (request,) = client.get(f"{BASE}/requests/{number}.json").json()
    assert isinstance(request, dict)
    return request


def _received(client: TestClient, number: str, when: datetime) -> None:
    in_app(client, lambda: Ticket.filter(number=number).update(received_at=when))


def test_the_lifecycle_as_open_and_closed(client: TestClient, app_key: App) -> None:
    number = _create(client, app_key.key, "路口饭店油烟很大。")
    request = _one(client, number)
    assert request["status"] == "open" and request["status_notes"] is None
    assert request["service_code"] == SERVICE and request["agency_responsible"] is None
    assert request["expected_datetime"] is None
    assert request["lat"] == 39.67 and request["long"] == 106.82
    assert str(request["address_id"]).startswith("150302")
    assert str(request["requested_datetime"]).endswith("+08:00")
    agent, staff = principal(client, "demo-agent"), principal(client, "demo-department")
    dispatched = in_app(
        client, lambda: dispatch(number=number, department_code="150300-CG", actor=agent)
    )
    request = _one(client, number)
    assert request["status"] == "open" and request["agency_responsible"]
    assert dispatched.complete_deadline is not None
    assert request["expected_datetime"] == dispatched.complete_deadline.astimezone(
        clock.CITY_TIMEZONE
    ).isoformat(timespec="seconds")
    in_app(client, lambda: sign(number=number, actor=staff))
    reply = "已责令饭店安装油烟净化设施，经复查已达标排放。"
    resolved = in_app(client, lambda: resolve(number=number, reply=reply, actor=staff))
    request = _one(client, number)
    assert request["status"] == "closed" and request["status_notes"] == reply
    assert resolved.resolved_at is not None
    assert request["updated_datetime"] == resolved.resolved_at.astimezone(
        clock.CITY_TIMEZONE
    ).isoformat(timespec="seconds")
    xml = ElementTree.fromstring(client.get(f"{BASE}/requests/{number}.xml").content)
    assert xml.findtext("request/status") == "closed"
    assert xml.findtext("request/status_notes") == reply
    assert xml.find("request/zipcode") is not None and xml.findtext("request/zipcode") == ""


def test_a_merged_duplicate_is_closed_with_its_master(client: TestClient, app_key: App) -> None:
    master = _create(client, app_key.key, "小区门口油烟扰民。")
    duplicate = _create(client, app_key.key, "小区门口油烟扰民，再报一次。")
    agent = principal(client, "demo-agent")
    in_app(
        client,
        lambda: merge(master_number=master, numbers=[duplicate], note="重复", actor=agent),
    )
    request = _one(client, duplicate)
    assert request["status"] == "closed" and master in str(request["status_notes"])


def test_a_public_list_masks_personal_data(client: TestClient, app_key: App) -> None:
    number = _create(
        client,
        app_key.key,
        "我是王小明，电话13912345678，身份证150302199001011231。",
        first_name="小明",
        last_name="王",
        phone="13912345678",
        email="xiaoming@example.com",
    )
    for path in (f"{BASE}/requests.json", f"{BASE}/requests/{number}.json", f"{BASE}/requests.xml"):
        text = client.get(path, params={"service_request_id": number}).text
        for secret in ("13912345678", "王小明", "150302199001011231", "xiaoming@example.com"):
            assert secret not in text, (path, secret)
        assert "139****5678" in text and "王**" in text
    assert "13912345678" in in_app(client, lambda: Ticket.get(number=number)).content


def test_filters_window_and_cap(
    client: TestClient, app_key: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = clock.now()
    recent = _create(client, app_key.key, "近期的诉求。")
    old = _create(client, app_key.key, "半年前的诉求。")
    _received(client, old, now - timedelta(days=180))
    other = _create(client, app_key.key, "路灯不亮。", service_code="URBAN.FACILITIES.STREETLIGHTS")

    def listed(**params: str) -> list[str]:
        response = client.get(f"{BASE}/requests.json", params=params)
        assert response.status_code == 200, response.text
        return [r["service_request_id"] for r in response.json()]

    default = listed()
    assert recent in default and other in default and old not in default  # the last 90 days
    assert default.index(other) < default.index(recent)  # newest first
    window = {
        "start_date": (now - timedelta(days=200)).isoformat(),
        "end_date": (now - timedelta(days=150)).isoformat(),
    }
    assert old in listed(**window) and recent not in listed(**window)
    assert listed(start_date=(now - timedelta(days=181)).strftime("%Y-%m-%dT%H:%M:%SZ")) == [old]
    assert other not in listed(service_code=SERVICE) and recent in listed(service_code=SERVICE)
    both = listed(service_code=f"{SERVICE},URBAN.FACILITIES.STREETLIGHTS")
    assert {recent, other} <= set(both)
    assert listed(service_code="NO.SUCH.CODE") == []
    assert recent in listed(status="open") and recent not in listed(status="closed")
    assert recent in listed(status="open,closed")
    # service_request_id overrides every other argument.
    assert set(listed(service_request_id=f"{old},{recent}", status="closed")) == {old, recent}
    monkeypatch.setattr(endpoints, "MAX_REQUESTS", 2)
    assert len(listed()) == 2
    for params in (
        {"start_date": "yesterday"},
        {"start_date": now.isoformat(), "end_date": (now - timedelta(days=1)).isoformat()},
        {"start_date": (now - timedelta(days=91)).isoformat(), "end_date": now.isoformat()},
        {"status": "pending"},
    ):
        response = client.get(f"{BASE}/requests.xml", params=params)
        assert response.status_code == 400, params
        assert ElementTree.fromstring(response.content).findtext("error/code") == "400"
    assert client.get(f"{BASE}/requests/WH20990101000001.json").status_code == 404
    assert client.get(f"{BASE}/requests.json", params={"api_key": "wy_bad"}).status_code == 403


def test_a_report_is_withheld_from_all_but_its_client(client: TestClient, app_key: App) -> None:
    number = _create(
        client, app_key.key, "某厂夜间偷排废水，我是厂里工人。", **{"attribute[kind]": "REPORT"}
    )
    other = in_app(client, lambda: create_client_key(name=unique("other-app"))).key
    for key in (None, other):
        params = {"api_key": key} if key else {}
        (public,) = client.get(f"{BASE}/requests/{number}.json", params=params).json()
        assert public["status"] == "open" and public["service_code"] == SERVICE
        withheld = ("description", "address_id", "lat", "long", "address", "media_url")
        assert all(public[field] is None for field in withheld)
        by_id = {**params, "service_request_id": number}
        listed = client.get(f"{BASE}/requests.json", params=by_id)
        assert "偷排" not in listed.text
    (own,) = client.get(f"{BASE}/requests/{number}.json", params={"api_key": app_key.key}).json()
    assert "偷排废水" in own["description"] and own["lat"] == 39.67


def test_a_list_costs_the_same_statements_for_one_or_many(client: TestClient, app_key: App) -> None:
    numbers = [_create(client, app_key.key, f"第 {i} 条油烟诉求。") for i in range(4)]
    agent = principal(client, "demo-agent")
    in_app(client, lambda: dispatch(number=numbers[0], department_code="150300-CG", actor=agent))
    counts = []
    for wanted in (numbers[:1], numbers):
        with counting_sql() as counter:
            listed = client.get(
                f"{BASE}/requests.json", params={"service_request_id": ",".join(wanted)}
            ).json()
        assert len(listed) == len(wanted)
        counts.append(counter.statements)
    assert 0 < counts[0] == counts[1], counts


def test_characters_xml_forbids_are_left_out_of_xml(client: TestClient, app_key: App) -> None:
    number = _create(client, app_key.key, "井盖\x0b松动\x01，\ufffe有异响。")
    assert "\x0b" in str(_one(client, number)["description"])  # JSON escapes it
    for path in (f"requests/{number}.xml", "requests.xml"):
        root = ElementTree.fromstring(client.get(f"{BASE}/{path}").content)
        (request,) = [r for r in root if r.findtext("service_request_id") == number]
        assert request.findtext("description") == "井盖松动，有异响。"
