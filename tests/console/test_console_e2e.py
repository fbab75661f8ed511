"""The merchant console (/console/) end to end: a real headless Chromium, driven by
Playwright, against a real ``wuyou serve`` in a subprocess.

The server (``live_server``, one for the module) runs on the session's seeded SQLite
database, sweeping every 200 ms. Each test registers a provider of its own in a grid no
other test uses; its staff sign in on the page, and citizens place orders through the
GraphQL API. Time passing is played as elsewhere: an offer's ``expires_at`` is moved into
the past in the database, and the page's own clock is Playwright's fake one.

Skipped where Playwright or a Chromium is missing (``WUYOU_TEST_CHROMIUM`` names the
executable, else ``chromium`` on the PATH, as Debian's package installs it); Playwright's
own browser downloads are never used.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx2
import pytest
import pytest_asyncio

from api import db
from merchants.models import Merchant, Offer, OfferStatus, Order, OrderStatus
from tests.live_server import ServerProcess, data, login
from tests.merchants import market
from tests.merchants.live import car_moving_input
from tests.merchants.market import PASSWORD, Grid, Provider, citizen, fresh_grid, provider
from wuyou import clock

try:
    from playwright.async_api import (
        Browser,
        ConsoleMessage,
        Locator,
        Page,
        ViewportSize,
        WebSocketRoute,
        async_playwright,
        expect,
    )
except ImportError:
    pytest.skip("Playwright is not installed", allow_module_level=True)

CHROMIUM = os.environ.get("WUYOU_TEST_CHROMIUM") or shutil.which("chromium")
if not CHROMIUM:
    pytest.skip("no Chromium (install Debian's chromium package)", allow_module_level=True)

pytestmark = [
    # One server, on SQLite: the page is the subject here, not the database.
    pytest.mark.parametrize("database_url", ["sqlite"], indirect=True),
    pytest.mark.asyncio(loop_scope="module"),
]

#: Chromium as root in a container, with nothing reaching outside this machine.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE: ViewportSize = {"width": 390, "height": 844}
#: The page's keepalive (graphql.js): a ping after this long, an answer within the next,
#: and the first retry after a lost connection within the last (it is at most 0.5 s).
PING_EVERY_MS, PONG_TIMEOUT_MS, FIRST_RETRY_MS = 25_000, 10_000, 1_000
PLACE = """mutation($i: PlaceOrderInput!) { placeOrder(input: $i) {
    order { number } errors { field code message } } }"""
DISABLE = """mutation($u: String!) { setAccountActive(input: {username: $u, active: false}) {
    account { isActive } errors { code } } }"""


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def orm(database_url: str) -> AsyncIterator[None]:
    """The ORM on the server's database; the module's providers retire after it."""
    await db.connect(database_url)
    try:
        yield
    finally:
        await market.retire_registered()
        await db.disconnect()


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        await chromium.close()


@pytest_asyncio.fixture(loop_scope="module")
async def page(browser: Browser, live_server: ServerProcess) -> AsyncIterator[Page]:
    """A phone-sized page; fails the test on a script error or a refused resource (CSP)."""
    context = await browser.new_context(
        base_url=live_server.base, viewport=PHONE, is_mobile=True, has_touch=True, locale="zh-CN"
    )
    tab = await context.new_page()
    problems: list[str] = []

    def console(message: ConsoleMessage) -> None:
        # A GraphQL error answered with a 4xx status is the API speaking, not a problem.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            problems.append(message.text)

    tab.on("console", console)
    tab.on("pageerror", lambda error: problems.append(f"{error}"))
    yield tab
    await context.close()
    assert problems == []


@pytest_asyncio.fixture(loop_scope="module")
async def http(live_server: ServerProcess) -> AsyncIterator[httpx2.AsyncClient]:
    async with httpx2.AsyncClient(base_url=live_server.base, timeout=30) as client:
        yield client


@dataclass(frozen=True)
class Scene:
    """A test's own grid, an approved car-moving provider there (off duty), and a citizen
    signed in through the API."""

    grid: Grid
    shop: Provider
    name: str
    citizen: str

    async def place(self, http: httpx2.AsyncClient, plate: str) -> str:
        """The citizen's car-moving order in the grid, placed through the API; its number."""
        order_input = car_moving_input(self.grid, plate, "BLOCKING_EXIT")
        placed = (await data(http, PLACE, {"i": order_input}, self.citizen))["placeOrder"]
        assert placed["errors"] == []
        number: str = placed["order"]["number"]
        return number

    async def offer(self, number: str) -> Offer:
        """The provider's offer of the order ``number``, as stored."""
        order = await Order.get(number=number)
        return await Offer.get(order_id=order.id, merchant_id=self.shop.id)


@pytest_asyncio.fixture(loop_scope="module")
async def scene(orm: None, http: httpx2.AsyncClient) -> Scene:
    grid = await fresh_grid()
    shop = await provider(grid, ["car_moving"], on_duty=False)
    name = (await Merchant.get(id=shop.id)).name
    return Scene(grid, shop, name, await login(http, (await citizen()).username, PASSWORD))


async def sign_in(page: Page, scene: Scene) -> None:
    """Sign the provider's staff in on the page and go on duty, with the live link up."""
    await page.goto("/console/")
    await page.get_by_label("用户名").fill(scene.shop.staff.username)
    await page.get_by_label("密码").fill(PASSWORD)
    await page.get_by_role("button", name="登录").click()
    await expect(page.get_by_role("heading", name=scene.name)).to_be_visible()
    await expect(page.locator("#duty-state")).to_have_text("休息中")
    await expect(page.locator("#live-state")).to_have_text("实时连接：已连接")
    await page.get_by_role("button", name="上岗接单").click()
    await expect(page.locator("#duty-state")).to_have_text("接单中")
    await expect(page.get_by_role("button", name="下岗休息")).to_be_visible()


async def signed_out(page: Page, notice: str) -> None:
    """The page is back at the login form, saying ``notice``, with no session kept."""
    await expect(page.get_by_role("heading", name="员工登录")).to_be_visible()
    await expect(page.locator("#notice")).to_have_text(notice)
    assert await page.evaluate("sessionStorage.length") == 0


def offer_card(page: Page, number: str) -> Locator:
    return page.locator("#offers > li").filter(has_text=number)


def seconds(text: str) -> int:
    minutes, secs = text.split(":")
    return int(minutes) * 60 + int(secs)


async def until(messages: list[str], part: str) -> None:
    """Wait (10 s at most) for a message containing ``part``."""
    deadline = time.monotonic() + 10
    while not any(part in message for message in messages):
        assert time.monotonic() < deadline, f"no message with {part}"
        await asyncio.sleep(0.02)


def error_message(operation_id: str, code: str, message: str) -> str:
    """A graphql-transport-ws ``error`` ending the operation ``operation_id``."""
    payload = [{"message": message, "extensions": {"code": code}}]
    return json.dumps({"id": operation_id, "type": "error", "payload": payload})


async def test_an_order_placed_by_api_is_offered_live_accepted_by_a_click_and_served(
    page: Page, http: httpx2.AsyncClient, scene: Scene
) -> None:
    await page.clock.install()
    await sign_in(page, scene)

    number = await scene.place(http, "蒙L20001")
    card = offer_card(page, number)
    await expect(card).to_be_visible()
    await expect(card).to_contain_text("挪车")
    await expect(card).to_contain_text("堵住出口")  # the form, in words
    await expect(card).to_contain_text("钱* 138****5678")  # masked before acceptance
    await expect(page.locator("#announcer")).to_contain_text(re.compile(f"新订单：挪车.*{number}"))
    await expect(page.locator("#offer-count")).to_have_text("1")

    # The countdown runs on the page's clock, toward the offer's expiry (60 s for car moving).
    timer = card.get_by_role("timer")
    now_ms = await page.evaluate("Date.now()")
    await page.clock.pause_at((now_ms + 1000) / 1000)
    before = seconds(await timer.inner_text())
    assert 0 < before <= 60
    await page.clock.run_for(10_000)
    after = seconds(await timer.inner_text())
    assert before - 11 <= after <= before - 9, (before, after)
    await page.clock.resume()

    await card.get_by_role("button", name="接单").click()
    await expect(card).to_have_count(0)
    order = page.locator("#orders > li").filter(has_text=number)
    await expect(order).to_contain_text("已接单")
    await expect(order).to_contain_text("钱七 13812345678")  # revealed once accepted
    await expect(order.get_by_role("link", name="13812345678")).to_have_attribute(
        "href", "tel:13812345678"
    )
    await expect(page.locator("#announcer")).to_contain_text(f"已接单：订单 {number}")

    # A reload keeps the session, and the orders are read back.
    await page.reload()
    await expect(order).to_contain_text("已接单")
    await order.get_by_role("button", name="开始服务").click()
    await expect(order).to_contain_text("服务中")
    await expect(order.get_by_label("实际价格（元）")).to_have_value(re.compile(r"^0(\.0+)?$"))
    await order.get_by_role("button", name="完成订单").click()
    ended = page.locator("#ended > li").filter(has_text=number)
    await expect(ended).to_contain_text("已完成")
    await expect(page.locator("#orders > li")).to_have_count(0)

    served = await Order.filter(number=number).values_list("status", "merchant_id")
    assert served == [(OrderStatus.COMPLETED, scene.shop.id)]

    await page.get_by_role("button", name="退出登录").click()
    await signed_out(page, "")
    await page.reload()
    await signed_out(page, "")


async def test_an_offer_is_declined_with_a_reason_an_expired_one_disappears_and_the_login_ends(
    page: Page, http: httpx2.AsyncClient, scene: Scene
) -> None:
    await page.clock.install()
    await sign_in(page, scene)
    declined = await scene.place(http, "蒙L20002")
    expiring = await scene.place(http, "蒙L20003")
    first, second = offer_card(page, declined), offer_card(page, expiring)
    await expect(first).to_be_visible()
    await expect(second).to_be_visible()
    await expect(page.locator("#offer-count")).to_have_text("2")

    # Declining without a reason: the API's typed error, beside the reasons.
    await first.get_by_role("button", name="拒单").click()
    await first.get_by_role("button", name="确认拒单").click()
    problem = first.locator("[data-error-for=reason]")
    await expect(problem).to_contain_text("请说明拒单原因")
    await expect(problem).to_contain_text("REQUIRED · reason")
    await expect(first.get_by_role("radio", name="距离太远")).to_have_attribute(
        "aria-invalid", "true"
    )
    await first.get_by_role("radio", name="距离太远").check()
    await first.get_by_role("button", name="确认拒单").click()
    await expect(first).to_have_count(0)
    offer = await scene.offer(declined)
    assert (offer.status, offer.decline_reason) == (OfferStatus.DECLINED, "距离太远")

    # The offer's time runs out on the server: the sweeper's word removes it from the page,
    # whose own countdown still has most of a minute to go.
    await Offer.filter(id=(await scene.offer(expiring)).id).update(
        expires_at=clock.now() - timedelta(seconds=1)
    )
    await expect(second).to_have_count(0)
    await expect(page.locator("#announcer")).to_contain_text(f"订单 {expiring} 超时未接")
    assert (await scene.offer(expiring)).status is OfferStatus.EXPIRED
    await expect(page.locator("#offers-empty")).to_be_visible()

    # The login's time runs out on the page's clock: the page signs out by itself.
    left_ms = await page.evaluate(
        "Date.parse(JSON.parse(sessionStorage.getItem('wuyou.console.session')).expiresAt)"
        " - Date.now()"
    )
    await page.clock.fast_forward(int(left_ms) + 1000)
    await signed_out(page, "登录已过期，请重新登录。")


async def test_a_silent_connection_is_replaced_the_lost_offer_read_back_and_a_revoked_login_ends(
    page: Page, http: httpx2.AsyncClient, scene: Scene
) -> None:
    sockets: list[WebSocketRoute] = []
    dropped: list[str] = []
    delivered: list[str] = []
    silent = False

    async def through(socket: WebSocketRoute) -> None:
        """Pass the page's websocket to the server; the first one goes silent on demand."""
        upstream = socket.connect_to_server()
        first = not sockets

        def to_page(message: str | bytes) -> None:
            if first and silent:
                dropped.append(str(message))
            else:
                delivered.append(str(message))
                socket.send(message)

        upstream.on_message(to_page)
        sockets.append(socket)

    await page.clock.install()
    await page.route_web_socket(re.compile(r"/graphql$"), through)
    await sign_in(page, scene)

    # Nothing the server sends reaches the page any more, as on a phone whose network
    # died without closing anything: the offer is lost on the way.
    silent = True
    lost = await scene.place(http, "蒙L20004")
    await until(dropped, lost)
    await expect(offer_card(page, lost)).to_have_count(0)

    # The keepalive's ping goes unanswered: the page gives the connection up, opens
    # another, and reads its offers back.
    await page.clock.run_for(PING_EVERY_MS)
    await until(dropped, '"pong"')
    await expect(offer_card(page, lost)).to_have_count(0)
    await page.clock.run_for(PONG_TIMEOUT_MS + FIRST_RETRY_MS)
    await expect(offer_card(page, lost)).to_be_visible()
    await expect(page.locator("#live-state")).to_have_text("实时连接：已连接")
    assert len(sockets) == 2

    # A connection that answers its pings is kept.
    await page.clock.run_for(PING_EVERY_MS + FIRST_RETRY_MS)
    await until(delivered, '"pong"')
    await page.clock.run_for(PONG_TIMEOUT_MS + FIRST_RETRY_MS)
    await expect(page.locator("#live-state")).to_have_text("实时连接：已连接")
    assert len(sockets) == 2

    # The account is disabled: at the next event its token no longer works, and the page
    # signs out with the reason.
    admin = await login(http, "demo-admin", "demo")
    disabled = await data(http, DISABLE, {"u": scene.shop.staff.username}, admin)
    assert disabled["setAccountActive"] == {"account": {"isActive": False}, "errors": []}
    await scene.place(http, "蒙L20005")
    await signed_out(page, "登录已失效，请重新登录。")


async def test_a_failed_offers_subscription_is_made_again_and_an_unwatchable_order_is_not(
    page: Page, http: httpx2.AsyncClient, scene: Scene
) -> None:
    sockets: list[WebSocketRoute] = []
    subscribes: list[dict[str, Any]] = []
    delivered: list[str] = []
    refused: set[str] = set()  # orders whose orderUpdated the "server" answers NOT_FOUND

    async def through(socket: WebSocketRoute) -> None:
        """Pass the page's websocket on, noting its subscriptions; refuse some."""
        upstream = socket.connect_to_server()

        def to_server(message: str | bytes) -> None:
            sent = json.loads(message)
            if sent.get("type") == "subscribe":
                subscribes.append(sent)
                if (sent["payload"].get("variables") or {}).get("number") in refused:
                    socket.send(error_message(sent["id"], "NOT_FOUND", "没有这个订单。"))
                    return
            upstream.send(message)

        def to_page(message: str | bytes) -> None:
            delivered.append(str(message))
            socket.send(message)

        socket.on_message(to_server)
        upstream.on_message(to_page)
        sockets.append(socket)

    def sent(operation: str, number: str | None = None) -> list[str]:
        """The ids of the page's subscriptions to ``operation`` (for the order ``number``)."""
        return [
            s["id"]
            for s in subscribes
            if operation in s["payload"]["query"]
            and (number is None or s["payload"]["variables"].get("number") == number)
        ]

    await page.clock.install()
    await page.route_web_socket(re.compile(r"/graphql$"), through)
    await sign_in(page, scene)
    [first] = sent("ConsoleOffers")
    # The page's clock stands still from here: no periodic re-read, no retry, unless run.
    now_ms = await page.evaluate("Date.now()")
    await page.clock.pause_at((now_ms + 1000) / 1000)

    # The server ends the offers subscription with an error: the page says so, and an
    # offer the server still sends under the ended operation's id is not taken.
    sockets[0].send(error_message(first, "INTERNAL_SERVER_ERROR", "服务器内部错误。"))
    await expect(page.locator("#notice")).to_contain_text("INTERNAL_SERVER_ERROR")
    missed = await scene.place(http, "蒙L20006")
    await until(delivered, missed)
    await expect(offer_card(page, missed)).to_have_count(0)

    # After its backoff the page subscribes again, under a new id, reads back the offer it
    # missed, and takes the next one live.
    await page.clock.run_for(FIRST_RETRY_MS)
    await expect(offer_card(page, missed)).to_be_visible()
    await expect(page.locator("#notice")).to_be_hidden()
    again = sent("ConsoleOffers")
    assert len(again) == 2 and again[0] == first and again[1] != first
    live = await scene.place(http, "蒙L20007")
    await expect(offer_card(page, live)).to_be_visible()
    assert len(sockets) == 1

    # An order the server will not follow (NOT_FOUND) is subscribed to once, not again and
    # again: it stays on the page, read back by query.
    refused.add(live)
    await offer_card(page, live).get_by_role("button", name="接单").click()
    order = page.locator("#orders > li").filter(has_text=live)
    await expect(order).to_contain_text("已接单")
    # Another order accepted after it is followed live, and by then the first one has had
    # all the time it needed to be subscribed again.
    other = await scene.place(http, "蒙L20008")
    await offer_card(page, other).get_by_role("button", name="接单").click()
    await expect(page.locator("#orders > li").filter(has_text=other)).to_contain_text("已接单")
    await until([json.dumps(s) for s in subscribes], other)
    await page.clock.run_for(FIRST_RETRY_MS * 4)
    assert len(sent("ConsoleOrderUpdated", live)) == 1
    assert len(sent("ConsoleOrderUpdated", other)) == 1
    await expect(order).to_contain_text("已接单")
