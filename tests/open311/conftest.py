"""Open311 tests run on a database of their own (per backend): they create tickets and
the Open311 channel, which the shared database's counts must not see."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from starlette.testclient import TestClient

from accounts.client_keys import IssuedClientKey
from accounts.service import Principal, find_account
from api.open311.clients import create_client_key
from tests.conftest import BACKENDS, demo_city_database, unique
from tests.graphql import in_app

BASE = "/open311/v2"
#: A point in 新华街道, 海勃湾区: inside the demo city's grids.
LAT, LONG = 39.67, 106.82
SERVICE = "ENVIRONMENT.AIR.CATERING_FUMES"


@pytest.fixture(scope="package", params=BACKENDS)
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A migrated database with the demo city and the hotline's catalogue, for this
    package alone (its channel and tickets stay out of the shared database's counts); the
    suite's ``settings`` and ``client`` fixtures use it here."""
    with demo_city_database(request.param, tmp_path_factory) as url:
        yield url


@dataclass(frozen=True)
class App:
    """A client application: its key and the account it acts as."""

    key: str
    issued: IssuedClientKey


@pytest.fixture
def app_key(client: TestClient) -> App:
    """A fresh client application with one key."""
    issued = in_app(client, lambda: create_client_key(name=unique("fixmystreet")))
    return App(issued.key, issued)


def principal(client: TestClient, username: str) -> Principal:
    """The principal of a demo account."""

    async def find() -> Principal:
        account = await find_account(username)
        assert account is not None
        return Principal(account.id, account.username, account.role)

    return in_app(client, find)


def post(client: TestClient, key: str | None, fmt: str = "json", **fields: Any) -> Any:
    """POST a service request as a client sends it (form-encoded)."""
    body = {"service_code": SERVICE, "lat": LAT, "long": LONG, **fields}
    if key is not None:
        body["api_key"] = key
    return client.post(f"{BASE}/requests.{fmt}", data=body)
