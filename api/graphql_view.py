"""The /graphql endpoint: Strawberry's ASGI view with wuyou's context, authentication
and GraphQL-shaped errors for malformed requests."""

from __future__ import annotations

import json
from typing import Any

from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types.graphql import OperationType
from strawberry.types.unset import UNSET, UnsetType

from api.logs import request_id
from schema.context import Context, Services
from schema.dataloaders import Loaders
from wuyou.errors import AccessError


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


class WuyouGraphQL(GraphQL[Context, None]):
    """GraphQL over HTTP (GET for queries, POST) and graphql-transport-ws."""

    def __init__(
        self,
        schema: Any,
        *,
        services: Services,
        graphiql: bool,
        allowed_origins: tuple[str, ...] = (),
    ) -> None:
        super().__init__(
            schema,
            graphql_ide="graphiql" if graphiql else None,
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
            allowed_origins=allowed_origins,
        )
        self.services = services

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        try:
            response = await self.run(Request(scope, receive))
        except HTTPException as error:
            response = _error_response(error.status_code, error.reason)
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

    async def execute_single(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return await super().execute_single(*args, **kwargs)
        except HTTPException as error:
            # GraphQL over HTTP: a mutation sent with GET is "405 Method Not Allowed".
            cause = error.__cause__
            if (
                isinstance(cause, InvalidOperationTypeError)
                and cause.operation_type is OperationType.MUTATION
            ):
                raise HTTPException(405, error.reason) from None
            raise

    def decode_json(self, data: str | bytes) -> object:
        decoded = json.loads(data)
        if not isinstance(decoded, (dict, list)):
            raise HTTPException(400, "The request body must be a JSON object.")
        return decoded

    def encode_json(self, data: object) -> str:
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _error_response(status_code: int, reason: str) -> Response:
    code = {405: "METHOD_NOT_ALLOWED", 404: "NOT_FOUND", 415: "UNSUPPORTED_MEDIA_TYPE"}.get(
        status_code, "BAD_REQUEST"
    )
    headers = {"Allow": "GET, POST"} if status_code == 405 else None
    return JSONResponse(
        {"errors": [{"message": reason, "extensions": {"code": code}}]},
        status_code=status_code,
        headers=headers,
    )
