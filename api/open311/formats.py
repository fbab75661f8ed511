"""GeoReport v2's two formats: JSON, and the XML it is the Spark-convention mapping of.

A response is built once as plain data (dicts, lists, strings, numbers, booleans,
None) and rendered in the format the URL ends in. Lists become an element per item,
named as the specification names them (``services`` holds ``service`` elements ...).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import Any
from xml.etree import ElementTree

from starlette.responses import Response


class Format(StrEnum):
    """A format the URL's extension asks for."""

    JSON = "json"
    XML = "xml"


MEDIA_TYPES = {Format.JSON: "application/json", Format.XML: "text/xml"}
#: The element each item of a list is written as, by the list's element name.
ITEM_TAGS = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}
#: What XML 1.0's ``Char`` production leaves out.
_NOT_XML_CHAR = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class Open311Error(Exception):
    """A failure the client is told of: an HTTP status and the errors of the body."""

    def __init__(self, status: int, *descriptions: str) -> None:
        super().__init__("; ".join(descriptions))
        self.status = status
        self.descriptions = descriptions


def parse_format(extension: str) -> Format:
    """The format ``extension`` names; 404 for any other (no such resource)."""
    try:
        return Format(extension)
    except ValueError:
        raise Open311Error(404, f"Unknown format {extension!r}: use .json or .xml.") from None


def render(data: Any, root: str, fmt: Format, status: int = 200) -> Response:
    """``data`` as a response in ``fmt``; ``root`` names the XML document element."""
    if fmt is Format.JSON:
        body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    else:
        element = ElementTree.Element(root)
        _fill(element, data)
        body = b'<?xml version="1.0" encoding="utf-8"?>\n' + ElementTree.tostring(
            element, encoding="unicode"
        ).encode("utf-8")
    return Response(body, status, media_type=f"{MEDIA_TYPES[fmt]}; charset=utf-8")


def error_response(
    error: Open311Error, fmt: Format, headers: Mapping[str, str] | None = None
) -> Response:
    """The specification's error array: each error's code (the HTTP status) and text."""
    errors = [{"code": error.status, "description": text} for text in error.descriptions]
    response = render(errors, "errors", fmt, error.status)
    response.headers.update(headers or {})
    return response


def _fill(element: ElementTree.Element, value: Any) -> None:
    if isinstance(value, Mapping):
        for key, item in value.items():
            _fill(ElementTree.SubElement(element, key), item)
    elif isinstance(value, Sequence) and not isinstance(value, str):
        tag = ITEM_TAGS[element.tag]
        for item in value:
            _fill(ElementTree.SubElement(element, tag), item)
    elif value is not None:
        element.text = _text(value)


def _text(value: Any) -> str:
    """``value`` as element text, without the characters XML 1.0 forbids (control
    characters but tab and line breaks, surrogates, U+FFFE and U+FFFF): one ticket's
    stray ``\x0b`` must not make a whole list unreadable."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return _NOT_XML_CHAR.sub("", str(value))
