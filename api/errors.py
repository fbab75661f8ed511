"""Errors answered outside GraphQL execution, in the shape GraphQL clients read."""

from __future__ import annotations

from collections.abc import Mapping

from starlette.responses import JSONResponse


def error_response(
    status_code: int,
    message: str,
    code: str,
    *,
    headers: Mapping[str, str] | None = None,
    **extensions: object,
) -> JSONResponse:
    """``{"errors": [{"message", "extensions": {"code", ...}}]}`` with an HTTP status."""
    return JSONResponse(
        {"errors": [{"message": message, "extensions": {"code": code, **extensions}}]},
        status_code=status_code,
        headers=headers,
    )
