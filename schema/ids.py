"""Database ids inside what clients send: global ids and cursors.

A client may send anything: only ASCII digits naming a row id the type's primary-key
column can hold are ids (``"²".isdigit()`` is true, 30 nines overflow a BIGINT, and
3000000000 an INT: PostgreSQL refuses such a parameter instead of finding no row).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from strawberry import relay
from tortoise import fields
from tortoise.models import Model

from merchants.models import Merchant, Offer, Order
from schema.errors import BadUserInput
from tickets.models import Article, Consultation, ExtensionRequest, Specialist

#: The largest id a BIGINT column holds.
MAX_ROW_ID = 2**63 - 1
#: The largest value of each integer column type.
_COLUMN_MAX: Mapping[type[fields.Field[int]], int] = {
    fields.SmallIntField: 2**15 - 1,
    fields.IntField: 2**31 - 1,
    fields.BigIntField: MAX_ROW_ID,
}
#: The model behind each type whose global ids (or cursors) carry its row id.
_MODELS: Mapping[str, type[Model]] = {
    "Article": Article,
    "Consultation": Consultation,
    "Extension": ExtensionRequest,
    "Merchant": Merchant,
    "Offer": Offer,
    "Order": Order,
    "Specialist": Specialist,
}


def max_row_id(type_name: str | None) -> int:
    """The largest row id of ``type_name``: what its model's primary key holds (a BIGINT's
    when the type is not known)."""
    model = _MODELS.get(type_name or "")
    if model is None:
        return MAX_ROW_ID
    return _COLUMN_MAX.get(type(model._meta.pk), MAX_ROW_ID)


def row_id(text: str, type_name: str | None = None) -> int | None:
    """The row id of a ``type_name`` that ``text`` spells, or None when it spells none."""
    maximum = max_row_id(type_name)
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(maximum)):
        return None
    value = int(text)
    return value if 0 < value <= maximum else None


def row_ids(node_ids: Iterable[str], type_name: str) -> list[int]:
    """The row ids of ``type_name`` that ``node_ids`` spell, 0 (no row) for any other."""
    return [row_id(text, type_name) or 0 for text in node_ids]


def row_id_of(global_id: relay.GlobalID, type_name: str, argument: str) -> int:
    """The row id inside a global id of ``type_name``; BAD_USER_INPUT on ``argument``
    otherwise."""
    value = row_id(global_id.node_id, type_name) if global_id.type_name == type_name else None
    if value is None:
        raise BadUserInput(argument, f"Not the id of a {type_name}.")
    return value


def cursor_row_id(cursor: str | None, type_name: str | None = None) -> int | None:
    """The row id of a ``type_name`` a decoded keyset cursor holds (None for no cursor);
    BAD_USER_INPUT on ``after`` for a malformed one."""
    if cursor is None:
        return None
    value = row_id(cursor, type_name)
    if value is None:
        raise BadUserInput("after", "The cursor is malformed.")
    return value
