"""The /graphql endpoint: Strawberry's ASGI view with wuyou's context, authentication,
GraphQL over HTTP as its specification describes it, and automatic persisted queries.

GraphQL over HTTP (the graphql-over-http draft):

- The response's media type follows ``Accept``: ``application/graphql-response+json``
  when the client names it (or sends no ``Accept``), ``application/json`` when it names
  only that or ``*/*``, ``406`` when it accepts neither. Under
  ``application/graphql-response+json`` a request that cannot run (unparseable, invalid,
  variables that do not coerce) is answered ``400`` without ``data``; under
  ``application/json`` it is ``200`` with ``data: null``, as legacy clients expect.
- A POST carries ``Content-Type: application/json`` (or
  ``application/graphql-response+json``), charset UTF-8 if any; anything else is ``415``.
  Browsers cannot send those types across origins without a CORS preflight, so a form or
  ``text/plain`` POST from another site never reaches a resolver (CSRF).
- GET serves queries only; a mutation is ``405`` with ``Allow: POST`` and never runs.
  ``variables`` and ``extensions`` are JSON-encoded URL parameters.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import logging
import time
from collections.abc import AsyncGenerator, Mapping
from json import JSONDecodeError
from typing import Any

from cross_web import AsyncHTTPRequestAdapter, HTTPException, StarletteRequestAdapter
from graphql import GraphQLError
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import ASGIWebSocketAdapter, GraphQL
from strawberry.exceptions import ConnectionRejectionError, MissingQueryError
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.http.exceptions import NonJsonMessageReceived
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType
from strawberry.types.unset import UNSET, UnsetType

from api import metrics
from api.logs import request_id
from api.persisted import (
    PersistedQueries,
    PersistedQueryError,
    not_found,
    not_supported,
    requested,
)
from schema.compiled import CompiledReads
from schema.context import Context, Services
from schema.dataloaders import Loaders
from schema.errors import is_expected
from wuyou.errors import AccessError

log = logging.getLogger(__name__)

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
JSON = "application/json"
#: The media types a POST body may have; both are "non-simple" for browsers' CORS.
REQUEST_MEDIA_TYPES = frozenset({JSON, GRAPHQL_RESPONSE_JSON})

_CODES = {
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    406: "NOT_ACCEPTABLE",
    415: "UNSUPPORTED_MEDIA_TYPE",
}


def media_type(header: str | None) -> tuple[str, dict[str, str]]:
    """The lowercase media type of a ``Content-Type`` or ``Accept`` item, and its
    parameters (names lowercased, quotes removed)."""
    kind, *parameters = (header or "").split(";")
    params: dict[str, str] = {}
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        params[name.strip().lower()] = value.strip().strip('"')
    return kind.strip().lower(), params


@functools.lru_cache(maxsize=64)  # clients send the same few Accept headers again and again
def negotiate(accept: str | None) -> str | None:
    """The response's media type for an ``Accept`` header; None when it accepts neither.

    No ``Accept`` (or an empty one) gets ``application/graphql-response+json``, the
    specification's default since 2025. Otherwise the higher quality wins; at equal
    quality a type named outright beats one a wildcard matched, and
    ``application/graphql-response+json`` beats ``application/json`` when both are
    named; a wildcard alone (``*/*``) gets ``application/json``, as legacy clients expect.
    """
    if accept is None or not accept.strip():
        return GRAPHQL_RESPONSE_JSON
    ranges = [media_type(item) for item in accept.split(",")]
    ranked: list[tuple[float, int, int, str]] = []
    for preference, candidate in enumerate((JSON, GRAPHQL_RESPONSE_JSON)):
        matches = [
            (specificity, params)
            for kind, params in ranges
            if (specificity := _specificity(kind, candidate)) >= 0
        ]
        if not matches:
            continue
        specificity, params = max(matches, key=lambda match: match[0])
        try:
            quality = float(params.get("q", "1"))
        except ValueError:
            continue
        if quality > 0:
            named = specificity == 2
            ranked.append((quality, specificity, preference if named else -preference, candidate))
    return max(ranked)[3] if ranked else None


def _specificity(media_range: str, candidate: str) -> int:
    if media_range == candidate:
        return 2
    if media_range == "application/*":
        return 1
    return 0 if media_range == "*/*" else -1


def bearer_token(authorization: str | None) -> str | None:
    """The token in ``Bearer <token>`` (or a bare token); None when absent or blank.

    Anything else is returned whole, so the token check rejects it with a clear error
    rather than the request silently running as anonymous.
    """
    value = (authorization or "").strip()
    scheme, _, token = value.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return value or None


class _WebSocketAdapter(ASGIWebSocketAdapter):
    """Closes the socket (4400) on a message that is JSON but not an object, which
    Strawberry's protocol handler would otherwise crash on."""

    async def iter_json(
        self, *, ignore_parsing_errors: bool = False
    ) -> AsyncGenerator[object, None]:
        async for message in super().iter_json(ignore_parsing_errors=ignore_parsing_errors):
            if not isinstance(message, dict):
                raise NonJsonMessageReceived
            yield message


class _RequestAdapter(StarletteRequestAdapter):
    """Strawberry reads a JSON body only under a lowercase ``application/json``: one sent
    as ``Application/JSON`` or ``application/graphql-response+json`` (checked by
    :meth:`WuyouGraphQL.parse_http_body`) is JSON too."""

    @property
    def content_type(self) -> str | None:
        value = super().content_type
        return JSON if media_type(value)[0] in REQUEST_MEDIA_TYPES else value


@dataclasses.dataclass(slots=True)
class _Exchange:
    """What the view learns about one HTTP request while answering it."""

    media_type: str
    operation: str = metrics.UNKNOWN
    #: The status of a request that could not run (400, or 500 for a bug), else None.
    failed: int | None = None


class _Refused(Exception):
    """A request answered with an HTTP error and a GraphQL-shaped body.

    ``legacy_status`` is the status under ``application/json`` when it differs.
    """

    def __init__(
        self,
        status: int,
        message: str,
        code: str,
        *,
        legacy_status: int | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.legacy_status = status if legacy_status is None else legacy_status
        self.message = message
        self.code = code
        self.headers = dict(headers or {})


class _SubResponse(Response):
    """Strawberry's sub-response (headers and status a resolver may set), carrying the
    exchange it belongs to."""

    def __init__(self, exchange: _Exchange) -> None:
        super().__init__()
        self.status_code = None  # type: ignore[assignment]
        del self.headers["content-length"]
        self.exchange = exchange


class WuyouGraphQL(GraphQL[Context, None]):
    """GraphQL over HTTP (GET for queries, POST) and graphql-transport-ws."""

    websocket_adapter_class = _WebSocketAdapter
    request_adapter_class = _RequestAdapter

    def __init__(
        self,
        schema: Any,
        *,
        services: Services,
        graphiql: bool,
        allowed_origins: tuple[str, ...] = (),
        compiled: CompiledReads | None = None,
        persisted: PersistedQueries | None = None,
    ) -> None:
        super().__init__(
            schema,
            graphql_ide="graphiql" if graphiql else None,
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
            allowed_origins=allowed_origins,
        )
        self.services = services
        self.compiled = compiled
        self.persisted = persisted

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        started = time.perf_counter()
        request = Request(scope, receive)
        accepted = negotiate(request.headers.get("accept"))
        exchange = _Exchange(media_type=accepted or JSON)
        request.state.graphql = exchange
        try:
            if accepted is None and not self.should_render_graphql_ide(_RequestAdapter(request)):
                raise _Refused(
                    406,
                    f"This endpoint answers {GRAPHQL_RESPONSE_JSON} or {JSON}.",
                    "NOT_ACCEPTABLE",
                )
            response = await self.run(request)
        except HTTPException as error:
            headers = {"Allow": "GET, POST"} if error.status_code == 405 else None
            code = _CODES.get(error.status_code, "BAD_REQUEST")
            refusal = _Refused(error.status_code, error.reason, code, headers=headers)
            response = self._refusal(exchange, refusal)
        except PersistedQueryError as error:
            refusal = _Refused(
                error.status,
                error.message,
                error.code,
                legacy_status=error.legacy_status,
                # A CDN must not keep "not found" for a hash that is registered next.
                headers={"Cache-Control": "private, no-cache, must-revalidate"},
            )
            response = self._refusal(exchange, refusal)
        except _Refused as refused:
            response = self._refusal(exchange, refused)
        except Exception:
            # A bug outside any resolver: still a GraphQL-shaped answer, never a bare 500 page.
            log.exception("unexpected error handling %s %s", scope["method"], scope["path"])
            bug = _Refused(500, "Internal server error", "INTERNAL_SERVER_ERROR")
            response = self._refusal(exchange, bug, requestId=request_id.get())
        if "authorization" in request.headers:
            _keep_private(response)
        metrics.observe_request(
            exchange.operation, response.status_code, time.perf_counter() - started
        )
        await response(scope, receive, send)

    def _refusal(self, exchange: _Exchange, refusal: _Refused, **extensions: object) -> Response:
        metrics.observe_errors([refusal.code])
        legacy = exchange.media_type == JSON
        body = {
            "errors": [
                {"message": refusal.message, "extensions": {"code": refusal.code, **extensions}}
            ]
        }
        return self._response(
            body,
            exchange.media_type,
            refusal.legacy_status if legacy else refusal.status,
            refusal.headers,
        )

    def _response(
        self, body: object, media: str, status: int, headers: Mapping[str, str] | None = None
    ) -> Response:
        return Response(
            self.encode_json(body),
            status_code=status,
            headers={**(headers or {}), "Vary": "Accept"},
            media_type=f"{media}; charset=utf-8",
        )

    async def get_sub_response(self, request: Request | WebSocket) -> Response:
        return _SubResponse(_exchange(request))

    def create_response(
        self,
        response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse],
        sub_response: Response,
    ) -> Response:
        assert isinstance(sub_response, _SubResponse)
        exchange = sub_response.exchange
        status = 200
        if exchange.media_type == GRAPHQL_RESPONSE_JSON and exchange.failed is not None:
            status = exchange.failed  # no `data`: the spec wants 4xx or 5xx
        response = self._response(
            response_data, exchange.media_type, sub_response.status_code or status
        )
        response.headers.raw.extend(
            (name, value)
            for name, value in sub_response.headers.raw
            if name.lower() not in (b"content-type", b"vary")
        )
        if sub_response.background:
            response.background = sub_response.background
        return response

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        response = await super().process_result(request, result)
        if result.errors:
            metrics.observe_errors(error_code(e) for e in result.errors)
        if not _is_request_error(result):
            return response
        exchange = _exchange(request)
        exchange.failed = 400 if all(is_expected(e) for e in result.errors or []) else 500
        if exchange.media_type == GRAPHQL_RESPONSE_JSON:
            response.pop("data", None)
        return response

    async def parse_http_body(
        self, request: AsyncHTTPRequestAdapter
    ) -> GraphQLRequestData | list[GraphQLRequestData]:
        """Strawberry's parsing, behind the media-type check of a POST (415 for anything
        but JSON in UTF-8: forms and ``text/plain`` are what a cross-site page can send
        without a preflight) and with ``operationName`` checked to be a string."""
        if request.method == "POST":
            kind, params = media_type(request.headers.get("content-type"))
            charset = params.get("charset", "utf-8").lower()
            if kind not in REQUEST_MEDIA_TYPES or charset not in ("utf-8", "utf8"):
                raise HTTPException(415, f"POST a JSON body in UTF-8 with Content-Type: {JSON}.")
        data = await super().parse_http_body(request)
        if isinstance(data, GraphQLRequestData):
            if not isinstance(data.operation_name, (str, type(None))):
                raise HTTPException(
                    400, "The GraphQL operation's `operationName` must be a string or null."
                )
            # Spec: an empty operationName is the same as none.
            data.operation_name = data.operation_name or None
        return data

    async def get_context(self, request: Request | WebSocket, response: Any) -> Context:
        websocket = request.scope["type"] == "websocket"
        return Context(
            services=self.services,
            request=request,
            response=response,
            token=None if websocket else bearer_token(request.headers.get("authorization")),
            request_id=request_id.get(),
            loaders=Loaders(cache=not websocket),
        )

    async def on_ws_connect(self, context: Context) -> UnsetType:
        """Authenticate a websocket from its ``connection_init`` payload (optional)."""
        params = context.connection_params or {}
        raw = params.get("Authorization") or params.get("authorization") or params.get("token")
        if raw is not None and not isinstance(raw, str):
            raise ConnectionRejectionError({"message": "The token must be a string."})
        context.token = bearer_token(raw)
        try:
            await context.principal()
        except AccessError as error:
            raise ConnectionRejectionError({"message": str(error)}) from None
        return UNSET

    async def execute_single(
        self,
        request: Any,
        request_adapter: Any,
        sub_response: Any,
        context: Context,
        root_value: None,
        request_data: GraphQLRequestData,
    ) -> ExecutionResult:
        """Run one operation; GraphQL over HTTP serves queries (GET, POST) and mutations (POST).

        Subscriptions are served on the websocket only: over plain HTTP Strawberry would
        run them as queries and answer null. A query the compiled read path has a plan for
        is run by it (see :mod:`schema.compiled`). A persisted query's document is looked
        up by its hash first (the plan cache then knows it by its text, as any other), and
        a document sent with its hash is registered once it has been answered without a
        request error (it parsed, validated and its variables fitted). Only then does the
        operation's name become its metrics label (see :func:`api.metrics.operation_label`).
        """
        exchange = _exchange(request)
        exchange.operation = metrics.INVALID  # until the operation has run
        persisted = None
        if (request_data.extensions or {}).get("persistedQuery") is not None:
            if self.persisted is None:
                raise not_supported()
            persisted = requested(
                request_data.extensions,
                request_data.query,
                max_bytes=self.persisted.max_document_bytes,
            )
        if persisted is not None and persisted.query is None:
            found = await self.persisted.get(persisted.sha256) if self.persisted else None
            metrics.PERSISTED_QUERIES.labels("hit" if found else "miss").inc()
            if found is None:
                raise not_found()
            request_data = dataclasses.replace(request_data, query=found)
        result = await self._execute(request_adapter, context, root_value, request_data)
        if _is_request_error(result):
            return result
        exchange.operation = metrics.operation_label(request_data.operation_name)
        if persisted is not None and persisted.query is not None and self.persisted is not None:
            await self.persisted.put(persisted.sha256, persisted.query)
            metrics.PERSISTED_QUERIES.labels("registered").inc()
        return result

    async def _execute(
        self,
        request_adapter: Any,
        context: Context,
        root_value: None,
        request_data: GraphQLRequestData,
    ) -> ExecutionResult:
        query = request_data.query
        if self.compiled is not None and query is not None:
            plan = self.compiled.plan(query, request_data.operation_name)
            if plan is not None:
                data = await self.compiled.execute(plan, context, request_data.variables)
                if data is not None:
                    return ExecutionResult(data=data, errors=None)
        result = await self._execute_standard(request_adapter, context, root_value, request_data)
        if self.compiled is not None and query is not None and not result.errors:
            self.compiled.learn(query, request_data.operation_name)
        return result

    async def _execute_standard(
        self,
        request_adapter: Any,
        context: Context,
        root_value: None,
        request_data: GraphQLRequestData,
    ) -> ExecutionResult:
        method = request_adapter.method
        allowed = (
            {OperationType.QUERY}
            if method == "GET"
            else {OperationType.QUERY, OperationType.MUTATION}
        )
        try:
            return await self.schema.execute(
                request_data.query,
                root_value=root_value,
                variable_values=request_data.variables,
                context_value=context,
                operation_name=request_data.operation_name,
                allowed_operation_types=allowed,
                operation_extensions=request_data.extensions,
            )
        except InvalidOperationTypeError as error:
            if error.operation_type is OperationType.SUBSCRIPTION:
                raise HTTPException(
                    400, "Subscriptions are served over graphql-transport-ws on this URL."
                ) from None
            # Spec: a mutation over GET is 405 and is not executed.
            raise _Refused(
                405,
                error.as_http_error_reason(method),
                "METHOD_NOT_ALLOWED",
                headers={"Allow": "POST"},
            ) from None
        except CannotGetOperationTypeError as error:
            raise HTTPException(400, error.as_http_error_reason()) from None
        except MissingQueryError:
            raise HTTPException(400, "No GraphQL query found in the request.") from None

    def decode_json(self, data: str | bytes) -> object:
        """Strict JSON: UTF-8, no NaN or Infinity, an object (or a list, refused as a batch).

        Anything else raises JSONDecodeError, which the HTTP path answers with 400 and the
        websocket path with close code 4400.
        """
        try:
            text = data.decode("utf-8") if isinstance(data, bytes) else data
        except UnicodeDecodeError:
            raise JSONDecodeError("not UTF-8", "", 0) from None
        decoded = json.loads(text, parse_constant=_reject_constant)
        if not isinstance(decoded, (dict, list)):
            raise JSONDecodeError("not a JSON object", text, 0)
        return decoded

    def encode_json(self, data: object) -> str:
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _keep_private(response: Response) -> None:
    """Keep shared caches (a CDN, a proxy) from storing an answer given to a credential:
    ``Cache-Control: private``, added to what the response says already. Anonymous GETs
    stay cacheable."""
    given = response.headers.get("cache-control")
    if given is None:
        response.headers["Cache-Control"] = "private"
    elif not {"private", "no-store"} & {d.strip().lower() for d in given.split(",")}:
        response.headers["Cache-Control"] = f"private, {given}"


def _reject_constant(name: str) -> object:
    raise JSONDecodeError(f"{name} is not JSON", name, 0)


def _exchange(request: Request | WebSocket) -> _Exchange:
    exchange: _Exchange = request.state.graphql
    return exchange


def _is_request_error(result: ExecutionResult) -> bool:
    """True when the operation did not run: it did not parse or validate, or its variables
    did not coerce (no ``data``, and no error with a path into it)."""
    errors = result.errors or []
    return result.data is None and bool(errors) and all(error.path is None for error in errors)


def error_code(error: GraphQLError) -> str:
    """The code a top-level error is counted under: its ``extensions.code``, else what
    kind of error it is."""
    code = (error.extensions or {}).get("code")
    if isinstance(code, str):
        return code
    if not is_expected(error):
        return "INTERNAL_SERVER_ERROR"
    if error.path is None:
        syntax = error.message.startswith("Syntax Error")
        return "GRAPHQL_PARSE_FAILED" if syntax else "GRAPHQL_VALIDATION_FAILED"
    return "GRAPHQL_ERROR"
