"""The /graphql endpoint: Strawberry's ASGI view with wuyou's context, authentication
and GraphQL-shaped errors for malformed requests."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncGenerator
from json import JSONDecodeError
from typing import Any

from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import ASGIWebSocketAdapter, GraphQL
from strawberry.exceptions import ConnectionRejectionError, MissingQueryError
from strawberry.http import GraphQLRequestData
from strawberry.http.exceptions import NonJsonMessageReceived
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType
from strawberry.types.unset import UNSET, UnsetType

from api.errors import error_response
from api.logs import request_id
from schema.compiled import CompiledReads
from schema.context import Context, Services
from schema.dataloaders import Loaders
from wuyou.errors import AccessError

log = logging.getLogger(__name__)


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


class WuyouGraphQL(GraphQL[Context, None]):
    """GraphQL over HTTP (GET for queries, POST) and graphql-transport-ws."""

    websocket_adapter_class = _WebSocketAdapter

    def __init__(
        self,
        schema: Any,
        *,
        services: Services,
        graphiql: bool,
        allowed_origins: tuple[str, ...] = (),
        compiled: CompiledReads | None = None,
    ) -> None:
        super().__init__(
            schema,
            graphql_ide="graphiql" if graphiql else None,
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
            allowed_origins=allowed_origins,
        )
        self.services = services
        self.compiled = compiled

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        try:
            response = await self.run(Request(scope, receive))
        except HTTPException as error:
            response = _error_response(error.status_code, error.reason)
        except Exception:
            # A bug outside any resolver: still a GraphQL-shaped answer, never a bare 500 page.
            log.exception("unexpected error handling %s %s", scope["method"], scope["path"])
            response = error_response(
                500, "Internal server error", "INTERNAL_SERVER_ERROR", requestId=request_id.get()
            )
        await response(scope, receive, send)

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
        is run by it (see :mod:`schema.compiled`).
        """
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
            raise HTTPException(405, error.as_http_error_reason(method)) from None
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


def _reject_constant(name: str) -> object:
    raise JSONDecodeError(f"{name} is not JSON", name, 0)


def _error_response(status_code: int, reason: str) -> Response:
    code = {405: "METHOD_NOT_ALLOWED", 404: "NOT_FOUND", 415: "UNSUPPORTED_MEDIA_TYPE"}.get(
        status_code, "BAD_REQUEST"
    )
    headers = {"Allow": "GET, POST"} if status_code == 405 else None
    return error_response(status_code, reason, code, headers=headers)
