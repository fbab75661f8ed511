"""The compiled path coerces leaf columns exactly as each leaf type coerces a value."""

from __future__ import annotations

import json
import math
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal
from enum import Enum, StrEnum
from typing import Any

import pytest
from graphql import GraphQLEnumType, GraphQLLeafType, GraphQLScalarType, Undefined

from schema import build_schema
from schema.compiled.leaves import column_of
from tickets.lifecycle import TicketStatus
from tickets.sla import Urgency


class _Text(str):
    def __str__(self) -> str:
        return f"text:{super().__str__()}"


class _Number(int):
    pass


class _Moment(datetime):
    def isoformat(self, sep: str = "T", timespec: str = "auto") -> str:
        return "a moment"


class _Colour(Enum):
    RED = "RED"


class _Odd:
    """Equal to everything, None included."""

    def __eq__(self, other: object) -> bool:
        return True

    def __hash__(self) -> int:
        return 0

    def __str__(self) -> str:
        return "odd"


class _Mood(StrEnum):
    CALM = "CALM"


_VALUES: list[Any] = [
    "",
    "text",
    "海勃湾区",
    _Text("sub"),
    True,
    False,
    0,
    -1,
    2**31 - 1,
    2**31,
    -(2**31),
    -(2**31) - 1,
    _Number(7),
    0.0,
    -0.0,
    1.5,
    3.0,
    math.inf,
    -math.inf,
    math.nan,
    Decimal("1.10"),
    datetime(2026, 11, 28, 10, 0, tzinfo=timezone(timedelta(hours=8))),
    datetime(2026, 11, 28, 10, 0, 0, 123456, tzinfo=UTC),
    datetime(2026, 11, 28, 10, 0),
    _Moment(2026, 11, 28, tzinfo=UTC),
    date(2026, 11, 28),
    time(10, 30),
    [],
    {"a": 1},
    _Colour.RED,
    _Mood.CALM,
    _Odd(),
    object(),
    "RECEIVED",
    *TicketStatus,
    *Urgency,
]


def _leaf_types() -> list[GraphQLLeafType]:
    types = build_schema()._schema.type_map.values()
    leaves = [
        t
        for t in types
        if isinstance(t, GraphQLScalarType | GraphQLEnumType) and not t.name.startswith("__")
    ]
    return sorted(leaves, key=lambda t: t.name)


def _expected(leaf: GraphQLLeafType, value: Any) -> tuple[str, Any]:
    """What graphql-core makes of ``value``: ("ok", the coerced value) or ("error", None)."""
    try:
        out = leaf.coerce_output_value(value)
    except Exception:
        return "error", None
    if out is None or out is Undefined:
        return "error", None
    return "ok", out


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=repr)  # JSON passes objects on


@pytest.mark.parametrize("leaf", _leaf_types(), ids=lambda t: t.name)
def test_a_column_is_coerced_as_each_of_its_values_would_be(leaf: GraphQLLeafType) -> None:
    column = column_of(leaf)
    values = list(_VALUES)
    if isinstance(leaf, GraphQLEnumType):
        values += [v.value for v in leaf.values.values()]
        values += list(getattr(leaf, "wrapped_cls", []))
    for value in values:
        kind, expected = _expected(leaf, value)
        if kind == "error":
            with pytest.raises(Exception):  # noqa: B017  # whatever the coercion raises
                column([value])
            continue
        (found,) = column([value])
        assert type(found) is type(expected), (leaf.name, value)
        assert _json(found) == _json(expected), (leaf.name, value)


@pytest.mark.parametrize("leaf", _leaf_types(), ids=lambda t: t.name)
def test_nulls_stay_null_in_place(leaf: GraphQLLeafType) -> None:
    column = column_of(leaf)
    good = [v for v in _VALUES if _expected(leaf, v)[0] == "ok"][:3]
    values = [None, *good, None]
    assert column(values) == [None, *(leaf.coerce_output_value(v) for v in good), None]
