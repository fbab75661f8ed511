"""Discovery, the service list and service definitions, in JSON and XML."""

from __future__ import annotations

import functools
from datetime import datetime, timedelta
from xml.etree import ElementTree

from starlette.testclient import TestClient

from api.open311.services import ATTRIBUTES, DEFINITION_CHANGED
from tests.graphql import in_app
from tests.open311.conftest import BASE, SERVICE, principal
from tickets.admin import update_category
from tickets.categories import get_category, leaves_with_paths
from tickets.policy import SlaPolicyChanges, update_sla_policy
from wuyou import clock


def test_discovery_names_this_endpoint_in_both_formats(client: TestClient) -> None:
    for path in ("/open311/discovery.json", f"{BASE}/discovery.json"):
        document = client.get(path).json()
        (endpoint,) = document["endpoints"]
        assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
        assert endpoint["url"] == "http://testserver/open311/v2"
        assert endpoint["formats"] == ["text/xml", "application/json"]
        assert {"changeset", "contact", "key_service"} <= set(document)
    response = client.get(f"{BASE}/discovery.xml")
    assert response.headers["content-type"] == "text/xml; charset=utf-8"
    assert response.text.startswith('<?xml version="1.0" encoding="utf-8"?>')
    root = ElementTree.fromstring(response.content)
    assert root.tag == "discovery"
    assert [f.text for f in root.iterfind("endpoints/endpoint/formats/format")] == [
        "text/xml",
        "application/json",
    ]


def test_services_are_the_active_leaf_categories(client: TestClient) -> None:
    leaves = in_app(client, leaves_with_paths)
    response = client.get(f"{BASE}/services.json")
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    listed = response.json()
    assert [s["service_code"] for s in listed] == [leaf.code for leaf, _ in leaves]
    fumes = next(s for s in listed if s["service_code"] == SERVICE)
    leaf, path = next((leaf, path) for leaf, path in leaves if leaf.code == SERVICE)
    assert fumes["service_name"] == leaf.name
    assert fumes["group"] == path[0].name
    assert fumes["keywords"] == ", ".join(leaf.keywords) and leaf.keywords
    assert fumes["metadata"] is True and fumes["type"] == "realtime"
    root = ElementTree.fromstring(client.get(f"{BASE}/services.xml").content)
    assert root.tag == "services"
    services = root.findall("service")
    assert len(services) == len(listed)
    xml_fumes = next(s for s in services if s.findtext("service_code") == SERVICE)
    assert xml_fumes.findtext("metadata") == "true"
    assert xml_fumes.findtext("group") == fumes["group"]


def test_service_definition_types_every_attribute(client: TestClient) -> None:
    definition = client.get(f"{BASE}/services/{SERVICE}.json").json()
    assert definition["service_code"] == SERVICE
    attributes = definition["attributes"]
    assert [a["order"] for a in attributes] == list(range(1, len(ATTRIBUTES) + 2))
    notice, *variable = attributes
    assert notice["variable"] is False and "工作日内办结" in notice["description"]
    assert all(a["variable"] is True for a in variable)
    assert {a["datatype"] for a in attributes} == {
        "string",
        "number",
        "datetime",
        "text",
        "singlevaluelist",
        "multivaluelist",
    }
    kind = next(a for a in attributes if a["code"] == "kind")
    assert {v["key"] for v in kind["values"]} >= {"COMPLAINT", "REQUEST", "CONSULTATION"}
    assert all(a["values"] == [] for a in attributes if not a["datatype"].endswith("list"))
    root = ElementTree.fromstring(client.get(f"{BASE}/services/{SERVICE}.xml").content)
    assert root.tag == "service_definition"
    attributes = root.iterfind("attributes/attribute")
    xml_kind = next(a for a in attributes if a.findtext("code") == "kind")
    assert xml_kind.findtext("datatype") == "singlevaluelist"
    assert xml_kind.findtext("required") == "false"
    assert len(xml_kind.findall("values/value")) == len(kind["values"])


def test_unknown_services_and_formats_are_404_in_the_spec_error_format(client: TestClient) -> None:
    for code in ("NO.SUCH.SERVICE", "ENVIRONMENT.AIR", "ENVIRONMENT"):  # unknown, not leaves
        response = client.get(f"{BASE}/services/{code}.json")
        assert response.status_code == 404
        (error,) = response.json()
        assert error["code"] == 404 and code in error["description"]
    response = client.get(f"{BASE}/services/NOPE.xml")
    assert response.status_code == 404
    root = ElementTree.fromstring(response.content)
    assert root.tag == "errors" and root.findtext("error/code") == "404"
    response = client.get(f"{BASE}/services.csv")
    assert response.status_code == 404 and response.json()[0]["code"] == 404


def test_the_changeset_changes_with_the_services(client: TestClient) -> None:
    """Its time is the SLA policy's last change (the definition's release before any);
    a category's change, which records no time, changes its digest."""

    def current() -> tuple[datetime, str]:
        document = client.get(f"{BASE}/discovery.json").json()
        assert document["endpoints"][0]["changeset"] == document["changeset"]
        moment, _, digest = document["changeset"].partition("#")
        return datetime.fromisoformat(moment), digest

    admin = principal(client, "demo-admin")
    first, digest = current()
    assert first >= DEFINITION_CHANGED and len(digest) == 12
    later = max(first, clock.now()).replace(microsecond=0) + timedelta(days=1)
    previous = clock.install(clock.ManualClock(later))
    try:
        in_app(client, lambda: update_sla_policy(actor=admin, changes=SlaPolicyChanges()))
    finally:
        clock.install(previous)
    assert current() == (later, digest)
    leaf = in_app(client, lambda: get_category(SERVICE))
    assert leaf is not None
    days = leaf.complete_days
    for new in (days + 1 if days else 9, days):
        in_app(
            client, functools.partial(update_category, code=SERVICE, complete_days=new, actor=admin)
        )
        moment, changed = current()
        assert moment == later and (changed != digest) is (new != days)
