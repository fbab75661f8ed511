"""A GeoReport POST as a hotline ticket request.

The arguments are read as the specification sends them (form-encoded, with
``attribute[code]=value`` and ``attribute[code][]=value`` pairs), checked all at once,
and turned into the :class:`~tickets.intake.TicketRequest` that ``createTicket`` takes
too, on the client application's channel (``OL-OPEN311`` for those made by
``wuyou open311 key create``). What a ticket has no column for (the attributes past kind
and title, the e-mail address) is written into its content, for the agents to read; so
are, within bounds and unchecked, attributes the definition does not have, which clients
such as FixMyStreet send for their own bookkeeping.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from api.open311.formats import Open311Error
from api.open311.services import ATTRIBUTES, DEFAULT_KIND, NOTICE_CODE
from grids.areas import get_area
from plugins.forms import FieldType, clean_form
from tickets.categories import LEAF_LEVEL, get_category
from tickets.intake import TicketRequest
from tickets.sla import TicketKind
from wuyou.clock import CITY_TIMEZONE
from wuyou.errors import DomainError

#: The channel of the client applications ``wuyou open311 key create`` makes.
CHANNEL_CODE = "OL-OPEN311"
CHANNEL_NAME = "Open311 GeoReport v2 接口"
DESCRIPTION_MAX_LENGTH = 4000
#: What a ticket's content may hold (:func:`tickets.intake.create_ticket` checks it).
CONTENT_MAX_LENGTH = 5000
#: The room in the content for attributes the definition does not have (FixMyStreet's
#: ``attribute[fixmystreet_id]``, ``attribute[report_url]`` ...), and for each value.
EXTRA_MAX_LENGTH = 600
_EXTRA_VALUE_MAX = 200
_EXTRA_HEADING = "\n\n【Open311 附加信息】\n"
_ATTRIBUTE = re.compile(r"attribute\[([^\]]+)\](\[\])?")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_CJK = re.compile(r"[\u3400-\u9fff]")
_SHORT_MAX = 64
#: The GeoReport argument each field of the intake's problems stands for.
_ARGUMENTS = {
    "title": "attribute[title]",
    "content": "description",
    "citizenName": "first_name/last_name",
    "citizenPhone": "phone",
    "location": "lat/long",
    "address": "address_string",
    "idempotencyKey": "Idempotency-Key",
    "category": "service_code",
    "channel": "api_key",
}


@dataclass(frozen=True, slots=True)
class Submission:
    """What a POST asks for: the ticket request, and the client's own account id."""

    request: TicketRequest
    account_id: str | None


def argument_of(field: str | None) -> str:
    """The GeoReport argument a domain problem's ``field`` stands for."""
    if field is None:
        return "request"
    if field.startswith("form."):
        return f"attribute[{field.removeprefix('form.')}]"
    return _ARGUMENTS.get(field, field)


def problems_of(error: DomainError) -> Open311Error:
    """A 400 describing every problem of ``error`` by the argument it concerns."""
    return Open311Error(
        400, *(f"{argument_of(p.field)}: {p.message} ({p.code.value})" for p in error.problems)
    )


def split_attributes(pairs: Iterable[tuple[str, str]]) -> tuple[dict[str, str], dict[str, Any]]:
    """The plain arguments (the first value of each) and the attributes by code (a list
    for ``attribute[code][]`` or a repeated code)."""
    plain: dict[str, str] = {}
    attributes: dict[str, Any] = {}
    for key, value in pairs:
        match = _ATTRIBUTE.fullmatch(key)
        if match is None:
            plain.setdefault(key, value)
            continue
        code, listed = match.group(1), match.group(2)
        if listed or code in attributes:
            previous = attributes.get(code, [])
            listed_before = previous if isinstance(previous, list) else [previous]
            attributes[code] = [*listed_before, value]
        else:
            attributes[code] = value
    return plain, attributes


async def submission(
    pairs: Iterable[tuple[str, str]], *, channel: str, idempotency_key: str | None
) -> Submission:
    """The ticket request a POST's arguments ask for, on ``channel`` (the client's). Raises
    :class:`Open311Error`: 404 for an unknown service code, 400 listing every other
    problem."""
    args, raw_attributes = split_attributes(pairs)
    code = args.get("service_code", "").strip()
    if not code:
        raise Open311Error(400, "service_code was not provided.")
    leaf = await get_category(code)
    if leaf is None or not leaf.is_active or leaf.level != LEAF_LEVEL:
        raise Open311Error(404, f"service_code {code!r} was not found.")
    problems: list[str] = []
    lat, lng = _location(args, problems)
    address = args.get("address_string", "").strip()
    address_id = args.get("address_id", "").strip()
    if lat is None and address_id:
        area = await get_area(address_id)
        if area is None:
            problems.append(f"address_id: no area {address_id!r} in the city.")
        else:
            lat, lng = area.centroid_lat, area.centroid_lng
            address = address or area.name
    if lat is None and not address and not problems:
        problems.append("lat/long, address_string or address_id: a location is required.")
    description = args.get("description", "").strip()
    if len(description) > DESCRIPTION_MAX_LENGTH:
        problems.append(f"description: at most {DESCRIPTION_MAX_LENGTH} characters.")
    email = args.get("email", "").strip()
    if email and (len(email) > 100 or not _EMAIL.fullmatch(email)):
        problems.append("email: not an e-mail address.")
    for short in ("device_id", "account_id", "first_name", "last_name"):
        if len(args.get(short, "")) > _SHORT_MAX:
            problems.append(f"{short}: at most {_SHORT_MAX} characters.")
    media_url = args.get("media_url", "").strip()
    if media_url and (len(media_url) > 500 or urlsplit(media_url).scheme not in ("http", "https")):
        problems.append("media_url: an http or https URL of at most 500 characters.")
    raw_attributes.pop(NOTICE_CODE, None)  # informational: nothing to answer
    defined = {f.code for f in ATTRIBUTES}
    extra = {c: v for c, v in raw_attributes.items() if c not in defined}
    attributes: dict[str, Any] = {}
    try:
        attributes = clean_form(
            ATTRIBUTES, _listed({c: v for c, v in raw_attributes.items() if c in defined})
        )
    except DomainError as error:
        problems += problems_of(error).descriptions
    if problems:
        raise Open311Error(400, *problems)
    title = attributes.get("title") or _first_line(description) or leaf.name
    request = TicketRequest(
        channel=channel,
        kind=TicketKind(attributes.get("kind", DEFAULT_KIND)),
        title=title,
        content=_content(description or leaf.name, attributes, email, extra),
        category=leaf.code,
        citizen_name=_full_name(args.get("first_name", ""), args.get("last_name", "")),
        citizen_phone=args.get("phone", "").strip(),
        lat=lat,
        lng=lng,
        address=address,
        photos=(media_url,) if media_url else (),
        idempotency_key=idempotency_key,
    )
    return Submission(request, args.get("account_id", "").strip() or None)


def _location(args: Mapping[str, str], problems: list[str]) -> tuple[float | None, float | None]:
    raw_lat, raw_lng = args.get("lat", "").strip(), args.get("long", "").strip()
    if not raw_lat and not raw_lng:
        return None, None
    try:
        lat, lng = float(raw_lat), float(raw_lng)
    except ValueError:
        problems.append("lat/long: both are needed, as decimal degrees (WGS84).")
        return None, None
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        problems.append("lat/long: out of range.")
        return None, None
    return lat, lng


def _listed(raw: Mapping[str, Any]) -> dict[str, Any]:
    """The attributes as the form's checks take them: multivaluelists as lists."""
    multi = {f.code for f in ATTRIBUTES if f.type is FieldType.MULTI_CHOICE}
    return {
        code: [value] if code in multi and isinstance(value, str) else value
        for code, value in raw.items()
    }


def _first_line(description: str) -> str:
    line = description.splitlines()[0].strip() if description else ""
    return line[:30] if len(line) >= 2 else ""


def _full_name(first: str, last: str) -> str:
    first, last = first.strip(), last.strip()
    if _CJK.search(first + last):
        return last + first  # 吴 + 十: the family name first
    return f"{first} {last}".strip()


def _content(
    description: str, attributes: Mapping[str, Any], email: str, extra: Mapping[str, Any]
) -> str:
    """The description, then the answers the ticket keeps no column for, then the
    attributes the definition does not have (as far as :data:`EXTRA_MAX_LENGTH` and the
    ticket's own limit on its content allow)."""
    lines = []
    for spec in ATTRIBUTES:
        if spec.code in ("kind", "title") or spec.code not in attributes:
            continue
        value = attributes[spec.code]
        if spec.type is FieldType.DATETIME:
            value = value.astimezone(CITY_TIMEZONE).strftime("%Y-%m-%d %H:%M")
        elif spec.type is FieldType.MULTI_CHOICE:
            value = "、".join(c.label for code in value if (c := spec.choice(code)))
        lines.append(f"{spec.label}：{value}")
    if email:
        lines.append(f"联系邮箱：{email}")
    used = len(description) + len(_EXTRA_HEADING) + sum(len(line) + 1 for line in lines)
    room = min(EXTRA_MAX_LENGTH, CONTENT_MAX_LENGTH - used)
    for code, value in extra.items():
        text = ", ".join(value) if isinstance(value, list) else value
        line = f"{code[:_SHORT_MAX]}：{_clipped(text.strip(), _EXTRA_VALUE_MAX)}"
        if len(line) + 1 > room:
            break
        lines.append(line)
        room -= len(line) + 1
    return description + (_EXTRA_HEADING + "\n".join(lines) if lines else "")


def _clipped(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
