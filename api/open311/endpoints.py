"""The GeoReport v2 endpoints under /open311/v2/, and service discovery.

Each endpoint answers in the format its URL ends in (``.json`` or ``.xml``); every
failure under /open311 is the specification's error list (XML when the path ends
``.xml``, else JSON) with the HTTP status: 404 for what does not exist (any path not
served included), 405 with ``Allow`` for a method a path does not take, 403 for a
missing or wrong ``api_key``, 500 for an unexpected failure (logged), 400 for anything
else. ``jurisdiction_id`` is accepted and ignored: one endpoint serves one city.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta
from urllib.parse import parse_qsl

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Match, Mount, Route, request_response

from accounts.client_keys import principal_for_key
from accounts.service import Principal
from api.open311 import intake
from api.open311.formats import Format, Open311Error, error_response, parse_format, render
from api.open311.requests import service_requests
from api.open311.services import changeset, definition, service, service_notice
from grids.catalogue import channel_of_account
from tickets.catalogue import sla_policy
from tickets.categories import get_categories_by_code, leaves_with_paths
from tickets.intake import create_ticket
from tickets.lifecycle import OPEN, TicketStatus
from tickets.records import (
    categorised_tickets,
    get_ticket,
    get_ticket_by_key,
    get_tickets_by_number,
)
from wuyou import clock
from wuyou.clock import CITY_TIMEZONE
from wuyou.errors import AccessError, DomainError

log = logging.getLogger(__name__)

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
#: The specification's default window and cap for GET requests.
WINDOW = timedelta(days=90)
MAX_REQUESTS = 1000
#: A multipart POST's bounds: files (GeoReporter's one ``media``) and fields.
MAX_FILES = 4
MAX_FIELDS = 200
_STATUSES = {"open": OPEN, "closed": frozenset(TicketStatus) - OPEN}

Handler = Callable[[Request, Format], Awaitable[Response]]


def _endpoint(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
    """``handler`` with the format read from the URL and its failures rendered in it; an
    unexpected exception is logged and answered 500 as an error list too."""

    async def endpoint(request: Request) -> Response:
        try:
            fmt = parse_format(request.path_params["format"])
        except Open311Error as error:
            return error_response(error, Format.JSON)
        try:
            return await handler(request, fmt)
        except Open311Error as error:
            return error_response(error, fmt)
        except Exception:
            log.exception("unexpected error handling %s %s", request.method, request.url.path)
            return error_response(Open311Error(500, "Internal server error."), fmt)

    return endpoint


def _unmatched(listed: Sequence[BaseRoute]) -> Callable[[Request], Awaitable[Response]]:
    """The answer to what none of ``listed`` takes: 405 (with ``Allow``) for a path one
    of them serves with other methods, else 404; as an error list, in XML when the path
    ends ``.xml``."""

    async def endpoint(request: Request) -> Response:
        fmt = Format.XML if request.url.path.endswith(".xml") else Format.JSON
        allowed = {
            method
            for route in listed
            if isinstance(route, Route) and route.matches(request.scope)[0] is Match.PARTIAL
            for method in route.methods or ()
        }
        if allowed:
            methods = ", ".join(sorted(allowed))
            error = Open311Error(405, f"{request.method} is not allowed here: use {methods}.")
            return error_response(error, fmt, headers={"Allow": methods})
        return error_response(Open311Error(404, f"{request.url.path} was not found."), fmt)

    return endpoint


async def _client(request: Request, body: Sequence[tuple[str, str]] = ()) -> Principal | None:
    """The client application the request's ``api_key`` (in the body or the query)
    names, None without one; 403 for a key that is wrong or revoked."""
    key = dict(body).get("api_key") or request.query_params.get("api_key")
    if not key:
        return None
    principal = await principal_for_key(key)
    if principal is None:
        raise Open311Error(403, "Invalid api_key received -- can't proceed.")
    return principal


def _listed(request: Request, name: str) -> list[str]:
    """A query argument that may be repeated and comma-delimited, as its values."""
    values = [v.strip() for raw in request.query_params.getlist(name) for v in raw.split(",")]
    return [v for v in values if v]


async def discovery(request: Request, fmt: Format) -> Response:
    """The service discovery document: this endpoint, its formats, where keys come from."""
    await _client(request)
    endpoint = f"{str(request.base_url).rstrip('/')}/open311/v2"
    current = await changeset(await leaves_with_paths(), await sla_policy())
    document = {
        "changeset": current,
        "contact": "The city's 12345 hotline (12345 政务服务便民热线) runs this endpoint.",
        "key_service": "API keys for client applications are issued by the platform's "
        "operators (wuyou open311 key create).",
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": endpoint,
                "changeset": current,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return render(document, "discovery", fmt)


async def services(request: Request, fmt: Format) -> Response:
    """GET Service List: every active leaf category."""
    await _client(request)
    listed = [service(leaf, path) for leaf, path in await leaves_with_paths()]
    return render(listed, "services", fmt)


async def service_definition(request: Request, fmt: Format) -> Response:
    """GET Service Definition of one service code."""
    await _client(request)
    code = request.path_params["service_code"]
    found = await leaves_with_paths([code])
    if not found:
        raise Open311Error(404, f"service_code {code!r} was not found.")
    return render(definition(found[0][0], await sla_policy()), "service_definition", fmt)


async def requests(request: Request, fmt: Format) -> Response:
    """GET Service Requests (the list) or POST Service Request (a new ticket)."""
    if request.method == "POST":
        return await _post(request, fmt)
    client = await _client(request)
    numbers = _listed(request, "service_request_id")
    if numbers:  # overrides every other argument
        tickets = await get_tickets_by_number(numbers[:MAX_REQUESTS])
    else:
        start, end = _window(request)
        codes = _listed(request, "service_code")
        category_ids = (
            [c.id for c in (await get_categories_by_code(codes)).values()] if codes else None
        )
        tickets = await categorised_tickets(
            received_from=start,
            received_to=end,
            category_ids=category_ids,
            statuses=_statuses(request),
            limit=MAX_REQUESTS,
        )
    return render(await service_requests(tickets, client=client), "service_requests", fmt)


async def one_request(request: Request, fmt: Format) -> Response:
    """GET Service Request: one ticket by its number."""
    client = await _client(request)
    number = request.path_params["service_request_id"]
    ticket = await get_ticket(number)
    if ticket is None:
        raise Open311Error(404, f"service_request_id {number!r} was not found.")
    return render(await service_requests([ticket], client=client), "service_requests", fmt)


async def token(request: Request, fmt: Format) -> Response:
    """GET service_request_id from a token. A token here is the ``Idempotency-Key`` the
    client sent with its POST, so it is the client's own: the ``api_key`` is required."""
    client = await _client(request)
    if client is None:
        raise Open311Error(403, "api_key was not provided: tokens belong to a client.")
    value = request.path_params["token"]
    ticket = await get_ticket_by_key(client.account_id, value)
    if ticket is None:
        raise Open311Error(404, f"token {value!r} was not found.")
    return render([{"service_request_id": ticket.number, "token": value}], "service_requests", fmt)


async def _post(request: Request, fmt: Format) -> Response:
    body = await _form(request)
    client = await _client(request, body)
    if client is None:
        raise Open311Error(403, "api_key was not provided -- can't proceed with create_request.")
    channel = await channel_of_account(client.account_id)
    if channel is None:
        raise Open311Error(403, "This api_key's application has no channel to submit on.")
    pairs = [*request.query_params.multi_items(), *body]
    asked = await intake.submission(
        pairs, channel=channel.code, idempotency_key=request.headers.get("idempotency-key")
    )
    try:
        ticket = await create_ticket(asked.request, actor=client)
    except DomainError as error:
        raise intake.problems_of(error) from None
    except AccessError as error:
        raise Open311Error(403, str(error)) from None
    category = (await get_categories_by_code([asked.request.category or ""])).get(
        asked.request.category or ""
    )
    notice = service_notice(category, ticket.kind, await sla_policy()) if category else None
    created = [
        {
            "service_request_id": ticket.number,
            "service_notice": notice,
            "account_id": asked.account_id,
        }
    ]
    return render(created, "service_requests", fmt)


async def _form(request: Request) -> list[tuple[str, str]]:
    """The pairs of the body, repeated keys (the attributes') included: form-encoded, or
    multipart (as GeoReporter sends a request with a photo), whose file parts (``media``)
    are read past and not kept."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media == "multipart/form-data":
        return await _multipart(request)
    raw = await request.body()
    if raw and media != "application/x-www-form-urlencoded":
        raise Open311Error(
            400, "Send the request as application/x-www-form-urlencoded or multipart/form-data."
        )
    try:
        return parse_qsl(raw.decode("utf-8"), keep_blank_values=True)
    except UnicodeDecodeError:
        raise Open311Error(400, "The request body is not UTF-8.") from None


async def _multipart(request: Request) -> list[tuple[str, str]]:
    """The text fields of a multipart body; its files are dropped (and their temporary
    copies closed)."""
    try:
        async with request.form(max_files=MAX_FILES, max_fields=MAX_FIELDS) as form:
            return [(name, value) for name, value in form.multi_items() if isinstance(value, str)]
    except HTTPException as error:  # the parser's: malformed, too many parts ...
        raise Open311Error(400, f"The multipart body cannot be read: {error.detail}") from None


def _window(request: Request) -> tuple[datetime, datetime]:
    """The [start, end] of received times: the most recent 90 days unless given, and
    never more than 90 days."""
    start = _moment(request, "start_date")
    end = _moment(request, "end_date")
    if start is None and end is None:
        end = clock.now()
    if start is None:
        assert end is not None
        start = end - WINDOW
    if end is None:
        end = start + WINDOW
    if end < start:
        raise Open311Error(400, "end_date is before start_date.")
    if end - start > WINDOW:
        raise Open311Error(400, "start_date and end_date may not span more than 90 days.")
    return start, end


def _moment(request: Request, name: str) -> datetime | None:
    text = request.query_params.get(name, "").strip()
    if not text:
        return None
    # An offset's unencoded "+" arrives as a space: 2010-01-01T00:00:00 08:00.
    text = text.replace(" ", "+") if "T" in text else text
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise Open311Error(
            400, f"{name}: not a W3C date-time, such as 2010-01-01T00:00:00Z."
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=CITY_TIMEZONE)


def _statuses(request: Request) -> frozenset[TicketStatus] | None:
    asked = _listed(request, "status")
    if not asked:
        return None
    unknown = [s for s in asked if s not in _STATUSES]
    if unknown:
        raise Open311Error(400, f"status: {', '.join(unknown)} is not open or closed.")
    return frozenset().union(*(_STATUSES[s] for s in asked))


def routes() -> list[BaseRoute]:
    """The routes to mount at /open311; anything else under it gets the error list."""
    served: list[BaseRoute] = [
        Route("/discovery.{format}", _endpoint(discovery), methods=["GET"]),
        Route("/v2/discovery.{format}", _endpoint(discovery), methods=["GET"]),
        Route("/v2/services.{format}", _endpoint(services), methods=["GET"]),
        Route(
            "/v2/services/{service_code}.{format}",
            _endpoint(service_definition),
            methods=["GET"],
        ),
        Route("/v2/requests.{format}", _endpoint(requests), methods=["GET", "POST"]),
        Route(
            "/v2/requests/{service_request_id}.{format}", _endpoint(one_request), methods=["GET"]
        ),
        Route("/v2/tokens/{token}.{format}", _endpoint(token), methods=["GET"]),
    ]
    # A mount, not a route: it takes every method, even those no route names.
    return [*served, Mount("", app=request_response(_unmatched(served)))]
