"""Signing in, tokens, and who may see what."""

from __future__ import annotations

from datetime import timedelta

import pytest
from starlette.testclient import TestClient

from accounts.models import Account
from api.settings import Settings
from grids.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from tests.conftest import unique
from tests.graphql import data, error_codes, gql, in_app, login
from wuyou import clock

LOGIN = """
mutation($u: String!, $p: String!) {
  login(input: {username: $u, password: $p}) {
    token expiresAt account { username role } errors { field code message }
  }
}"""
ME = "{ me { id username displayName role department { code } grid { code level } } }"


def test_each_demo_account_signs_in_with_its_role(client: TestClient) -> None:
    for username, role in DEMO_ACCOUNTS.items():
        result = data(client, LOGIN, {"u": username, "p": DEMO_PASSWORD})["login"]
        assert result["errors"] == []
        assert result["account"] == {"username": username, "role": role.value}
        me = data(client, ME, token=result["token"])["me"]
        assert me["username"] == username and me["role"] == role.value


def test_department_and_grid_accounts_know_their_place(client: TestClient) -> None:
    department = data(client, ME, token=login(client, "demo-department"))["me"]
    assert department["department"]["code"]
    grid = data(client, ME, token=login(client, "demo-grid"))["me"]
    assert grid["grid"]["level"] == "GRID"


def test_anonymous_me_is_null(client: TestClient) -> None:
    assert data(client, "{ me { username } }") == {"me": None}


def test_wrong_password_and_unknown_user_look_the_same(client: TestClient) -> None:
    wrong = data(client, LOGIN, {"u": "demo-agent", "p": "nope"})["login"]
    unknown = data(client, LOGIN, {"u": "nobody-here", "p": "nope"})["login"]
    for result in (wrong, unknown):
        assert result["token"] is None and result["account"] is None
        assert result["errors"] == [
            {
                "field": "password",
                "code": "INVALID_CREDENTIALS",
                "message": "The username or password is wrong.",
            }
        ]


def test_invalid_or_expired_token_is_unauthenticated(client: TestClient) -> None:
    body = gql(client, "{ me { username } }", token="not-a-jwt")
    assert error_codes(body) == ["UNAUTHENTICATED"]
    token = login(client, "demo-citizen")
    previous = clock.install(clock.ManualClock(clock.now() + timedelta(days=2)))
    try:
        assert error_codes(gql(client, "{ me { username } }", token=token)) == ["UNAUTHENTICATED"]
    finally:
        clock.install(previous)


def test_token_signed_with_another_secret_is_refused(
    client: TestClient, settings: Settings
) -> None:
    from accounts.models import Role
    from accounts.tokens import TokenIssuer

    forged = TokenIssuer("another-secret-entirely-but-long-enough", timedelta(hours=1)).issue(
        account_id=1, username="demo-admin", role=Role.ADMIN, token_version=0
    )
    assert error_codes(gql(client, "{ me { username } }", token=forged.token)) == [
        "UNAUTHENTICATED"
    ]


def _create(client: TestClient, token: str, **fields: object) -> dict:
    return data(
        client,
        """
        mutation($input: CreateAccountInput!) {
          createAccount(input: $input) {
            account { username role department { code } grid { code } }
            errors { field code message }
          }
        }""",
        {"input": fields},
        token=token,
    )["createAccount"]


def _new_account(client: TestClient, admin: str, prefix: str, role: str, password: str) -> str:
    """A fresh account made by ``admin``; returns its username."""
    username = unique(prefix)
    result = _create(
        client, admin, username=username, role=role, displayName="测试账号", password=password
    )
    assert result["errors"] == [], result["errors"]
    return username


def test_admin_creates_accounts_that_can_sign_in(client: TestClient) -> None:
    admin = login(client, "demo-admin")
    username = unique("agent")
    result = _create(
        client,
        admin,
        username=username,
        role="AGENT",
        displayName="话务员 小王",
        password="correct horse battery",
    )
    assert result["errors"] == []
    assert result["account"]["username"] == username
    assert login(client, username, "correct horse battery")


def test_create_account_reports_every_bad_field(client: TestClient) -> None:
    admin = login(client, "demo-admin")
    result = _create(
        client,
        admin,
        username="A!",
        role="DEPARTMENT",
        displayName=" ",
        password="short",
        phone="123",
    )
    assert result["account"] is None
    assert {(e["field"], e["code"]) for e in result["errors"]} == {
        ("username", "INVALID"),
        ("password", "TOO_SHORT"),
        ("displayName", "REQUIRED"),
        ("phone", "INVALID"),
        ("departmentCode", "REQUIRED"),
    }


def test_duplicate_username_is_refused_and_nothing_is_half_written(client: TestClient) -> None:
    admin = login(client, "demo-admin")
    result = _create(
        client,
        admin,
        username="demo-agent",
        role="AGENT",
        displayName="x",
        password="long enough password",
    )
    assert [e["code"] for e in result["errors"]] == ["ALREADY_EXISTS"]
    username = unique("grid")
    bad_grid = _create(
        client,
        admin,
        username=username,
        role="GRID_WORKER",
        displayName="网格员",
        password="long enough password",
        gridCode="150300",
    )
    assert [e["code"] for e in bad_grid["errors"]] == ["WRONG_LEVEL"]
    assert (
        data(client, LOGIN, {"u": username, "p": "long enough password"})["login"]["token"] is None
    )


def test_department_account_joins_its_department(client: TestClient) -> None:
    admin = login(client, "demo-admin")
    code = data(client, "{ departments { code } }")["departments"][0]["code"]
    result = _create(
        client,
        admin,
        username=unique("dept"),
        role="DEPARTMENT",
        displayName="科员",
        password="long enough password",
        departmentCode=code,
    )
    assert result["account"]["department"] == {"code": code}


@pytest.mark.parametrize("username", ["demo-agent", "demo-citizen", "demo-merchant"])
def test_only_admins_create_accounts(client: TestClient, username: str) -> None:
    body = gql(
        client,
        """mutation { createAccount(input: {username: "x-y-z", role: ADMIN,
               displayName: "x", password: "long enough password"}) { account { username } } }""",
        token=login(client, username),
    )
    assert error_codes(body) == ["FORBIDDEN"]
    assert error_codes(
        gql(
            client,
            """mutation { createAccount(input: {username: "x-y-z",
        role: ADMIN, displayName: "x"}) { account { username } } }""",
        )
    ) == ["UNAUTHENTICATED"]


def test_repeated_wrong_passwords_lock_the_account(client: TestClient) -> None:
    admin = login(client, "demo-admin")
    username = _new_account(client, admin, "victim", "CITIZEN", "the right password")
    for _ in range(5):
        assert data(client, LOGIN, {"u": username, "p": "guess"})["login"]["token"] is None
    locked = data(client, LOGIN, {"u": username, "p": "the right password"})["login"]
    assert [e["code"] for e in locked["errors"]] == ["ACCOUNT_LOCKED"]
    previous = clock.install(clock.ManualClock(clock.now() + timedelta(minutes=16)))
    try:
        assert login(client, username, "the right password")
    finally:
        clock.install(previous)


def test_revoked_token_is_refused(client: TestClient) -> None:
    admin = login(client, "demo-admin")
    username = _new_account(client, admin, "revoked", "AGENT", "long enough password")
    token = login(client, username, "long enough password")
    assert data(client, "{ me { username } }", token=token)["me"]["username"] == username
    in_app(client, lambda: Account.filter(username=username).update(token_version=1))
    assert error_codes(gql(client, "{ me { username } }", token=token)) == ["UNAUTHENTICATED"]


def test_changing_the_password_revokes_earlier_tokens(client: TestClient) -> None:
    admin = login(client, "demo-admin")
    username = _new_account(client, admin, "changer", "CITIZEN", "first password")
    old = login(client, username, "first password")
    change = """mutation($input: ChangePasswordInput!) { changePassword(input: $input) {
                token account { username } errors { field code } } }"""
    wrong = data(
        client,
        change,
        {"input": {"currentPassword": "nope", "newPassword": "second password"}},
        token=old,
    )
    assert wrong["changePassword"]["errors"] == [
        {"field": "currentPassword", "code": "INVALID_CREDENTIALS"}
    ]
    short = data(
        client,
        change,
        {"input": {"currentPassword": "first password", "newPassword": "2short"}},
        token=old,
    )
    assert short["changePassword"]["errors"] == [{"field": "newPassword", "code": "TOO_SHORT"}]
    done = data(
        client,
        change,
        {"input": {"currentPassword": "first password", "newPassword": "second password"}},
        token=old,
    )
    fresh = done["changePassword"]["token"]
    assert done["changePassword"]["errors"] == [] and fresh
    assert error_codes(gql(client, "{ me { username } }", token=old)) == ["UNAUTHENTICATED"]
    assert data(client, "{ me { username } }", token=fresh)["me"]["username"] == username
    assert login(client, username, "second password")


def test_disabling_an_account_stops_it_at_once(client: TestClient) -> None:
    admin = login(client, "demo-admin")
    username = _new_account(client, admin, "leaver", "AGENT", "long enough password")
    token = login(client, username, "long enough password")
    toggle = """mutation($u: String!, $a: Boolean!) { setAccountActive(input:
                {username: $u, active: $a}) { account { isActive } errors { field code } } }"""
    off = data(client, toggle, {"u": username, "a": False}, token=admin)["setAccountActive"]
    assert off == {"account": {"isActive": False}, "errors": []}
    assert error_codes(gql(client, "{ me { username } }", token=token)) == ["UNAUTHENTICATED"]
    refused = data(client, LOGIN, {"u": username, "p": "long enough password"})["login"]
    assert [e["code"] for e in refused["errors"]] == ["ACCOUNT_DISABLED"]
    on = data(client, toggle, {"u": username, "a": True}, token=admin)["setAccountActive"]
    assert on["account"] == {"isActive": True}
    assert login(client, username, "long enough password")
    self_off = data(client, toggle, {"u": "demo-admin", "a": False}, token=admin)
    assert self_off["setAccountActive"]["errors"] == [{"field": "username", "code": "INVALID"}]
    assert error_codes(
        gql(client, toggle, {"u": username, "a": False}, token=login(client, "demo-agent"))
    ) == ["FORBIDDEN"]
