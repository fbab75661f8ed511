"""Database ids inside what clients send: global ids and cursors.

A client may send anything: only ASCII digits naming a row id a BIGINT column can hold
are ids (``"²".isdigit()`` is true, and 30 nines overflow the column).
"""

from __future__ import annotations

from strawberry import relay

from schema.errors import BadUserInput

#: The largest id a BIGINT column holds.
MAX_ROW_ID = 2**63 - 1


def row_id(text: str) -> int | None:
    """The row id ``text`` spells, or None when it spells none."""
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_ROW_ID)):
        return None
    value = int(text)
    return value if 0 < value <= MAX_ROW_ID else None


def row_id_of(global_id: relay.GlobalID, type_name: str, argument: str) -> int:
    """The row id inside a global id of ``type_name``; BAD_USER_INPUT on ``argument``
    otherwise."""
    value = row_id(global_id.node_id) if global_id.type_name == type_name else None
    if value is None:
        raise BadUserInput(argument, f"Not the id of a {type_name}.")
    return value


def cursor_row_id(cursor: str | None) -> int | None:
    """The row id a decoded keyset cursor holds (None for no cursor); BAD_USER_INPUT on
    ``after`` for a malformed one."""
    if cursor is None:
        return None
    value = row_id(cursor)
    if value is None:
        raise BadUserInput("after", "The cursor is malformed.")
    return value
