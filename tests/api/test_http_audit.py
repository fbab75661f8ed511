"""Real JavaScript clients against a real ``wuyou serve``: graphql-http's
GraphQL-over-HTTP audit (the compliance suite of the specification's reference
implementation), and Apollo Client's persisted-query link.

Needs Node.js and npm, and the npm registry once to install the pinned packages
(tests/api/http_audit/package-lock.json) into a directory of the run's own; skipped when
either is missing. Every audit must pass: the MUSTs, and the SHOULDs and MAYs as well.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.live_server import serving

AUDIT = Path(__file__).with_name("http_audit")


@pytest.fixture(scope="module")
def audit_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The client scripts with their pinned npm packages installed."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("Node.js and npm are not installed")
    directory = tmp_path_factory.mktemp("http-audit")
    for name in ("package.json", "package-lock.json", "audit.mjs", "apq.mjs"):
        shutil.copy(AUDIT / name, directory / name)
    try:
        subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=directory,
            check=True,
            capture_output=True,
            timeout=180,
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
        pytest.skip(f"cannot install graphql-http from npm: {error}")
    return directory


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``wuyou serve`` on a database of its own; its /graphql URL."""
    directory = tmp_path_factory.mktemp("http-audit-db")
    settings = {
        "WUYOU_DATABASE_URL": f"sqlite://{directory / 'audit.sqlite3'}",
        "WUYOU_LOG_LEVEL": "WARNING",
    }
    with serving(directory / "server.log", settings) as live:
        yield live.graphql


def test_every_graphql_over_http_audit_passes(audit_dir: Path, server: str) -> None:
    completed = subprocess.run(
        ["node", "audit.mjs", server],
        cwd=audit_dir,
        check=True,
        capture_output=True,
        timeout=120,
    )
    results = json.loads(completed.stdout)
    levels = {r["name"].split(" ")[0] for r in results}
    assert {"MUST", "SHOULD", "MAY"} <= levels, "the audit list changed shape"
    failed = [f"{r['id']} {r['name']}: {r['reason']}" for r in results if r["status"] != "ok"]
    assert not failed, "\n".join(failed)


def test_apollo_clients_persisted_queries_work_over_post_and_get(
    audit_dir: Path, server: str
) -> None:
    """Apollo Client 4 asks for application/graphql-response+json first, so an unknown
    hash reaches it as a 404 whose body it reads."""
    completed = subprocess.run(
        ["node", "apq.mjs", server, "Probe"],
        cwd=audit_dir,
        check=True,
        capture_output=True,
        timeout=120,
    )
    for run in json.loads(completed.stdout):
        hashed = "GET" if run["useGETForHashedQueries"] else "POST"
        # The hash alone, PersistedQueryNotFound; the query with its hash; the hash alone.
        assert run["requests"] == [
            {"method": hashed, "status": 404, "withQuery": False},
            {"method": "POST", "status": 200, "withQuery": True},
            {"method": hashed, "status": 200, "withQuery": False},
        ], run
        first, second = run["answers"]
        assert first["error"] is None and second == first
        assert "car_moving" in {t["code"] for t in first["data"]["serviceTypes"]}
