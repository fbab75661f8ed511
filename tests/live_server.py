"""Real servers for the tests that need a socket: ``wuyou serve`` in a process of its own,
or the app under uvicorn in a thread of this process, on a free port of 127.0.0.1; and
GraphQL over HTTP to them.

A ``wuyou serve`` is ready once /healthz answers 200 and, with several workers, once each
has logged its start-up. It starts with none of the caller's own ``WUYOU_*`` settings (a
production environment, a Redis URL ...), only those a test gives it, and writes its log
to a file of the test's, whose end a failure quotes. On the way out it is terminated, and
killed if it lingers.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx2
import uvicorn

from api.app import create_app
from api.settings import Settings

#: What uvicorn logs (at INFO) once a worker process has started.
STARTED = b"Application startup complete."
#: How much of a server's log a failure quotes.
TAIL_BYTES = 4000
#: How often a starting server is asked whether it is up.
POLL_SECONDS = 0.05
LOGIN = """mutation($u: String!, $p: String!) { login(input: {username: $u, password: $p}) {
    token errors { code } } }"""


def free_port() -> int:
    """A TCP port on 127.0.0.1 nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass(frozen=True)
class LiveServer:
    """A server listening on 127.0.0.1."""

    base: str

    @property
    def graphql(self) -> str:
        """The GraphQL endpoint's URL."""
        return f"{self.base}/graphql"

    @property
    def websocket(self) -> str:
        """The URL graphql-transport-ws clients connect to."""
        return "ws" + self.graphql.removeprefix("http")


@dataclass(frozen=True)
class ServerProcess(LiveServer):
    """A ``wuyou serve`` process: its address, the process and the file it logs to."""

    process: subprocess.Popen[bytes]
    log: Path
    workers: int = 1

    def tail(self) -> str:
        """The end of the server's log."""
        with self.log.open("rb") as logged:
            logged.seek(max(0, self.log.stat().st_size - TAIL_BYTES))
            return logged.read().decode(errors="replace")

    def ready(self, http: httpx2.Client) -> bool:
        """Whether it answers /healthz and each worker has logged its start-up (which
        takes ``WUYOU_LOG_LEVEL`` INFO with several workers); fails if it has exited."""
        code = self.process.poll()
        assert code is None, f"wuyou serve exited with {code}"
        try:
            healthy = http.get(f"{self.base}/healthz").status_code == 200
        except httpx2.TransportError:
            return False
        return healthy and (
            self.workers == 1 or self.log.read_bytes().count(STARTED) >= self.workers
        )

    def wait_until_ready(self, timeout: float = 90) -> None:
        """Block until :meth:`ready`; fail after ``timeout`` seconds."""
        # One client for all the polls: a client of its own each would cost the starting
        # server a fifth of a core in SSL set-up alone.
        with httpx2.Client(timeout=1) as http:
            _until(lambda: self.ready(http), timeout, "wuyou serve")

    def stop(self) -> None:
        """Terminate the server (unless it already ended), and kill it if it lingers."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


@contextlib.contextmanager
def started(
    log: Path, settings: Mapping[str, str], *args: str, workers: int = 1
) -> Iterator[ServerProcess]:
    """``python -m api serve`` on a free port with the ``WUYOU_*`` ``settings`` and the
    further command line ``args``, run in ``log``'s directory and logging to ``log``;
    not waited for (see :meth:`ServerProcess.wait_until_ready`), stopped at the end.

    A failure inside the block (the server not coming up included) is told the end of
    the server's log."""
    port = free_port()
    environ = {k: v for k, v in os.environ.items() if not k.startswith("WUYOU_")}
    command = [sys.executable, "-m", "api", "serve", "--port", str(port)]
    if workers > 1:
        command += ["--workers", str(workers)]
    with log.open("wb") as output:
        process = subprocess.Popen(
            [*command, *args],
            cwd=log.parent,
            env={**environ, **settings},
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    server = ServerProcess(f"http://127.0.0.1:{port}", process, log, workers)
    try:
        yield server
    except Exception as error:
        error.add_note(f"wuyou serve's log ({log}) ends:\n{server.tail()}")
        raise
    finally:
        server.stop()


@contextlib.contextmanager
def serving(
    log: Path, settings: Mapping[str, str], *args: str, workers: int = 1
) -> Iterator[ServerProcess]:
    """:func:`started`, ready."""
    with started(log, settings, *args, workers=workers) as server:
        server.wait_until_ready()
        yield server


@contextlib.contextmanager
def serving_in_thread(settings: Settings, timeout: float = 30) -> Iterator[LiveServer]:
    """The app for ``settings`` under uvicorn in a thread of this process: up in a fraction
    of the time a process takes, but sharing this process's ORM and logging, so the test
    must leave the ORM alone while it serves."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_config=None)
    )
    thread = threading.Thread(target=server.run, name="live-server")
    thread.start()
    try:

        def ready() -> bool:
            assert thread.is_alive(), "uvicorn stopped before it started"
            return server.started

        _until(ready, timeout, "uvicorn")
        yield LiveServer(f"http://127.0.0.1:{port}")
    finally:
        server.should_exit = True
        thread.join(30)


def _until(ready: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not ready():
        assert time.monotonic() < deadline, f"{what} was not up after {timeout:g} s"
        time.sleep(POLL_SECONDS)


async def data(
    http: httpx2.AsyncClient,
    query: str,
    variables: dict[str, Any] | None = None,
    token: str | None = None,
    *,
    url: str = "/graphql",
) -> dict[str, Any]:
    """The ``data`` of an operation that must succeed without top-level errors, posted to
    ``url`` (by default the client's own server's /graphql)."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = await http.post(
        url, json={"query": query, "variables": variables or {}}, headers=headers
    )
    body = response.json()
    assert response.status_code == 200 and "errors" not in body, body
    result: dict[str, Any] = body["data"]
    return result


async def login(
    http: httpx2.AsyncClient, username: str, password: str, *, url: str = "/graphql"
) -> str:
    """A bearer token for ``username``."""
    result = (await data(http, LOGIN, {"u": username, "p": password}, url=url))["login"]
    assert result["errors"] == [], result
    token: str = result["token"]
    return token
