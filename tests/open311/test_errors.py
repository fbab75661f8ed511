"""Whatever goes wrong under /open311 is answered with the specification's error list:
paths not served, methods a path does not take, unexpected failures."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest
from starlette.testclient import TestClient

from api.open311 import endpoints
from tests.open311.conftest import BASE


def test_unserved_paths_are_404_in_the_format_the_path_ends_in(client: TestClient) -> None:
    for path in (f"{BASE}/requests/WH20261128000001", f"{BASE}/nothing", "/open311/v3/x.json"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.headers["content-type"].startswith("application/json")
        assert response.json() == [{"code": 404, "description": f"{path} was not found."}]
    response = client.get(f"{BASE}/nothing/here.xml")
    assert response.status_code == 404
    assert ElementTree.fromstring(response.content).findtext("error/code") == "404"


def test_other_methods_are_405_with_allow(client: TestClient) -> None:
    response = client.post(f"{BASE}/services.json", data={"service_code": "x"})
    assert response.status_code == 405 and response.headers["allow"] == "GET, HEAD"
    assert response.json()[0]["code"] == 405
    response = client.delete(f"{BASE}/requests.xml")
    assert response.status_code == 405 and response.headers["allow"] == "GET, HEAD, POST"
    assert ElementTree.fromstring(response.content).findtext("error/code") == "405"


def test_an_unexpected_failure_is_a_500_error_list(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    async def broken(*args: object) -> None:
        raise RuntimeError("the catalogue is gone")

    monkeypatch.setattr(endpoints, "leaves_with_paths", broken)
    response = client.get(f"{BASE}/services.xml")
    assert response.status_code == 500
    root = ElementTree.fromstring(response.content)
    assert root.findtext("error/code") == "500" and "catalogue" not in response.text
    assert "the catalogue is gone" in caplog.text
    assert client.get(f"{BASE}/services.json").json()[0]["code"] == 500
    response = client.request("PROPFIND", f"{BASE}/requests/WH20261128000001.json")
    assert response.status_code == 405 and response.headers["allow"] == "GET, HEAD"
