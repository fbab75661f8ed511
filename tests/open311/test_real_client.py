"""A real Open311 client library against a live server: georeport (PyPI), the one
GeoReport v2 client for Python 3 there, reads services, definitions and requests in both
formats; it cannot post, so the POST goes out as any client sends it, with requests."""

from __future__ import annotations

import asyncio
from typing import Any

import requests
from georeport import GeoReport

from api import db
from api.open311.clients import create_client_key
from api.settings import Settings
from tests.conftest import unique
from tests.live_server import serving_in_thread
from tests.open311.conftest import LAT, LONG, SERVICE


def _key(settings: Settings) -> str:
    async def issue() -> str:
        await db.connect(settings.database_url, all_tasks=False)
        try:
            return (await create_client_key(name=unique("georeport"))).key
        finally:
            await db.disconnect()

    return asyncio.run(issue())


def test_georeport_reads_what_a_raw_post_created(settings: Settings) -> None:
    key = _key(settings)  # before the server opens the database in its own thread
    with serving_in_thread(settings) as server:
        created = requests.post(
            f"{server.base}/open311/v2/requests.json",
            data={
                "api_key": key,
                "service_code": SERVICE,
                "lat": LAT,
                "long": LONG,
                "description": "饭店油烟直排，影响居民开窗。",
                "attribute[kind]": "COMPLAINT",
            },
            timeout=10,
        )
        assert created.status_code == 200, created.text
        number = created.json()[0]["service_request_id"]
        for fmt in ("json", "xml"):
            client = GeoReport(f"{server.base}/open311/v2", api_key=key, output_format=fmt)
            services = client.get_service_list()
            assert SERVICE in {s["service_code"] for s in services}
            definition = client.get_service_definition(SERVICE)
            assert definition["service_code"] == SERVICE
            attributes = definition["attributes"]
            listed = attributes if fmt == "json" else attributes["attribute"]
            assert "kind" in {a["code"] for a in listed}
            request = client.get_service_request(number)
            assert request["service_request_id"] == number
            assert request["status"] == "open" and request["service_code"] == SERVICE
            found = _many(client.get_service_requests(service_request_id=number))
            assert [r["service_request_id"] for r in found] == [number]
            recent = _many(client.get_service_requests(service_code=SERVICE, status="open"))
            assert number in {r["service_request_id"] for r in recent}


def _many(requests: Any) -> list[Any]:
    """The requests of a list (xmltodict gives a lone element as a dict, not a list)."""
    return [requests] if isinstance(requests, dict) else list(requests)
