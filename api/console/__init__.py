"""The merchant console: a static page at ``/console/`` for a provider's staff.

It is plain HTML, CSS and ES modules (no build step) that use only the public GraphQL
API, over HTTP and graphql-transport-ws. This module serves them with a content security
policy that allows nothing but this origin: no inline script or style, no other host.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from starlette.datastructures import Headers
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

DIRECTORY = Path(__file__).parent

#: Scripts, styles and connections (fetch and the websocket) from this origin only;
#: ``{websocket}`` is this origin's websocket, named for browsers (Safari before 15.4)
#: whose ``'self'`` does not cover ws: and wss:.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'{websocket}; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)

#: A Host header fit to name in the policy: a DNS name or an IP address, and a port.
_HOST = re.compile(r"(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?")


def content_security_policy(scope: Scope) -> str:
    """The policy for a response to ``scope``: its connect-src names the request's own
    host under ws: (wss: behind TLS, as the proxy headers report it), nothing else.

    A Host that is not a plain host name and port adds nothing: it cannot widen the
    policy or add a directive."""
    host = Headers(scope=scope).get("host", "")
    if not _HOST.fullmatch(host):
        return CONTENT_SECURITY_POLICY.format(websocket="")
    scheme = "wss" if scope.get("scheme") in ("https", "wss") else "ws"
    return CONTENT_SECURITY_POLICY.format(websocket=f" {scheme}://{host}")


#: Explicit types with a charset: some platforms' MIME tables serve .js as text/plain,
#: which a browser refuses for a module script.
MEDIA_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
}


class ConsoleFiles(StaticFiles):
    """The console's files (``index.html`` for the directory), with security headers.

    Only the page's own files are served: this package's Python sources are not.
    """

    def __init__(self) -> None:
        super().__init__(directory=DIRECTORY, html=True)

    def lookup_path(self, path: str) -> tuple[str, os.stat_result | None]:
        if Path(path).suffix not in MEDIA_TYPES and Path(path).name != "":
            return "", None
        return super().lookup_path(path)

    def file_response(
        self,
        full_path: str | os.PathLike[str],
        stat_result: os.stat_result,
        scope: Scope,
        status_code: int = 200,
    ) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        media_type = MEDIA_TYPES.get(Path(full_path).suffix)
        if media_type is not None:
            response.headers["Content-Type"] = media_type
        response.headers["Content-Security-Policy"] = content_security_policy(scope)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cache-Control"] = "no-cache"
        return response
