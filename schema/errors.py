"""How errors reach clients.

* Business failures travel in a payload's ``errors: [UserError!]!`` (see :func:`user_errors`).
* Bad arguments to queries (a malformed cursor, a page too large) are top-level errors
  with ``extensions.code = BAD_USER_INPUT`` and the argument's name.
* Not signed in / not allowed: ``UNAUTHENTICATED`` / ``FORBIDDEN`` (wuyou.errors.AccessError).
* Anything else is a bug: logged with the request id and, outside development, replaced
  by "Internal server error" with ``extensions.code = INTERNAL_SERVER_ERROR``.
"""

from __future__ import annotations

import logging

import strawberry
from graphql import GraphQLError
from strawberry.extensions import MaskErrors

from wuyou.errors import AccessError, DomainError, ErrorCode

log = logging.getLogger("wuyou.graphql")

UserErrorCode = strawberry.enum(
    ErrorCode, name="UserErrorCode", description="Why a mutation's input was refused."
)


@strawberry.type(description="A problem with a mutation's input or with the state it acts on.")
class UserError:
    field: str | None = strawberry.field(
        description="The input field (camelCase) the problem concerns; null for the whole input."
    )
    code: ErrorCode = strawberry.field(description="Stable, machine-readable reason.")
    message: str = strawberry.field(description="Human-readable explanation.")


def user_errors(error: DomainError) -> list[UserError]:
    """The payload errors for a DomainError."""
    return [UserError(field=p.field, code=p.code, message=p.message) for p in error.problems]


class BadUserInput(Exception):
    """A query argument is unusable; reported as a top-level error naming the argument."""

    def __init__(self, argument: str, message: str) -> None:
        super().__init__(message)
        self.extensions = {"code": "BAD_USER_INPUT", "argument": argument}

    @classmethod
    def of(cls, error: DomainError, argument: str = "filter") -> BadUserInput:
        """A query's arguments refused by the domain: its first problem, naming its
        field (else ``argument``)."""
        problem = error.problems[0]
        return cls(problem.field or argument, problem.message)


def is_expected(error: GraphQLError) -> bool:
    """True for errors whose message is meant for clients (validation, access, bad input)."""
    original = error.original_error
    return original is None or isinstance(original, (AccessError, BadUserInput, GraphQLError))


def log_unexpected(errors: list[GraphQLError]) -> None:
    """Log the errors that are bugs, with their tracebacks (the request id is in the log line)."""
    for error in errors:
        if not is_expected(error):
            log.error(
                "unexpected error in %s",
                ".".join(map(str, error.path or [])),
                exc_info=error.original_error,
            )


class MaskUnexpectedErrors(MaskErrors):
    """Hide the message of unexpected errors; leave validation and access errors readable."""

    def __init__(self) -> None:
        super().__init__(
            should_mask_error=lambda e: not is_expected(e), error_message="Internal server error"
        )

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        masked = super().anonymise_error(error)
        request_id = getattr(self.execution_context.context, "request_id", None)
        masked.extensions = {"code": "INTERNAL_SERVER_ERROR", "requestId": request_id}
        return masked
