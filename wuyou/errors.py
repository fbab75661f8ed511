"""Errors the domain raises, and the codes clients see.

Two families, matching the API's conventions:

* :class:`DomainError`: an expected business outcome (invalid input, wrong state,
  limit reached). Mutations report it in their payload's ``errors`` list.
* :class:`AccessError` (:class:`Unauthenticated`, :class:`Forbidden`): the caller is
  not signed in or not allowed. It surfaces as a top-level GraphQL error whose
  ``extensions.code`` says which.

Anything else that escapes a resolver is a bug: logged with the request id and
masked outside development.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class ErrorCode(StrEnum):
    """Machine-readable reasons for a :class:`DomainError`; stable API identifiers."""

    INVALID = "INVALID"
    REQUIRED = "REQUIRED"
    TOO_SHORT = "TOO_SHORT"
    TOO_LONG = "TOO_LONG"
    OUT_OF_RANGE = "OUT_OF_RANGE"
    NOT_FOUND = "NOT_FOUND"
    ALREADY_EXISTS = "ALREADY_EXISTS"
    INVALID_CREDENTIALS = "INVALID_CREDENTIALS"
    ACCOUNT_DISABLED = "ACCOUNT_DISABLED"
    ACCOUNT_LOCKED = "ACCOUNT_LOCKED"
    WRONG_ROLE = "WRONG_ROLE"
    WRONG_LEVEL = "WRONG_LEVEL"
    INVALID_STATE = "INVALID_STATE"
    UNKNOWN_FIELD = "UNKNOWN_FIELD"
    INVALID_CHOICE = "INVALID_CHOICE"
    OUTSIDE_SERVICE_AREA = "OUTSIDE_SERVICE_AREA"
    NOT_QUALIFIED = "NOT_QUALIFIED"
    MERCHANT_NOT_APPROVED = "MERCHANT_NOT_APPROVED"
    OFFER_EXPIRED = "OFFER_EXPIRED"
    OFFER_WITHDRAWN = "OFFER_WITHDRAWN"
    ALREADY_TAKEN = "ALREADY_TAKEN"
    CAPACITY_FULL = "CAPACITY_FULL"
    IDEMPOTENCY_CONFLICT = "IDEMPOTENCY_CONFLICT"
    TOO_LATE = "TOO_LATE"
    SUPERVISOR_REQUIRED = "SUPERVISOR_REQUIRED"


class DomainError(Exception):
    """An expected business failure: one or more ``(field, code, message)`` problems."""

    def __init__(
        self,
        code: ErrorCode,
        message: str,
        field: str | None = None,
        *,
        problems: Iterable[Problem] = (),
    ) -> None:
        super().__init__(message)
        first = Problem(field=field, code=code, message=message)
        self.problems: list[Problem] = [first, *problems]

    @property
    def code(self) -> ErrorCode:
        return self.problems[0].code

    @property
    def field(self) -> str | None:
        return self.problems[0].field

    @classmethod
    def of(cls, problems: Iterable[Problem]) -> DomainError:
        """Build one error carrying several problems (at least one)."""
        first, *rest = problems
        return cls(first.code, first.message, first.field, problems=rest)


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a request: which input field, what code, a human message."""

    field: str | None
    code: ErrorCode
    message: str


class AccessError(Exception):
    """The caller may not do this. ``extensions`` is what GraphQL clients see."""

    code = "FORBIDDEN"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.extensions = {"code": self.code}


class Unauthenticated(AccessError):
    """The operation needs a signed-in account and the request has none (or a bad token)."""

    code = "UNAUTHENTICATED"


class Forbidden(AccessError):
    """The signed-in account is not allowed to do this."""

    code = "FORBIDDEN"
