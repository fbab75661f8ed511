"""Leaf values coerced for output a column at a time, each exactly as its type's
``coerce_output_value`` would coerce it, and refused as graphql-core refuses it.

A page of 50 tickets has some 1,200 leaf values; calling the type's coercion on each is
most of what completing them costs. The values the hottest types hold are coerced here
without a call: a String's or an ID's ``str`` and a Boolean's ``bool`` are returned as
they are (as ``serialize_string``, ``serialize_id`` and ``serialize_boolean`` return
them), an Int's ``int`` and a Float's ``float`` too once in range (as
``serialize_int`` and ``serialize_float`` do), a ``datetime`` or ``date`` is its
``isoformat()`` (Strawberry's DateTime and Date), and an enum member has the name that
Strawberry's enum coercion gives it, looked up by identity. Every other value (a
subclass, another type, a value not a member) goes through the type's own coercion.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from math import isfinite
from typing import Any

from graphql import GraphQLLeafType, Undefined
from graphql.type.scalars import (
    GRAPHQL_MAX_INT,
    GRAPHQL_MIN_INT,
    serialize_boolean,
    serialize_float,
    serialize_id,
    serialize_int,
    serialize_string,
)
from strawberry.schema.schema_converter import CustomGraphQLEnumType
from strawberry.schema.types.base_scalars import isoformat

#: A column of values (None for null) to their coerced values, in order. Raises
#: ValueError for a value coerced to null, and whatever the coercion raises.
Column = Callable[[list[Any]], list[Any]]

#: The types whose ``isoformat()`` Strawberry's DateTime and Date give as they are.
_TIMES = frozenset({datetime, date})


def column_of(leaf: GraphQLLeafType) -> Column:
    """How a column of ``leaf`` values is coerced for output."""
    coerce = leaf.coerce_output_value
    slow = _checked(coerce)
    if coerce is serialize_string or coerce is serialize_id:
        return lambda values: [
            v if type(v) is str else (None if v is None else slow(v)) for v in values
        ]
    if coerce is serialize_boolean:
        return lambda values: [
            v if type(v) is bool else (None if v is None else slow(v)) for v in values
        ]
    if coerce is serialize_int:
        low, high = GRAPHQL_MIN_INT, GRAPHQL_MAX_INT
        return lambda values: [
            v if type(v) is int and low <= v <= high else (None if v is None else slow(v))
            for v in values
        ]
    if coerce is serialize_float:
        return lambda values: [
            v if type(v) is float and isfinite(v) else (None if v is None else slow(v))
            for v in values
        ]
    if coerce is isoformat:  # Strawberry's DateTime, Date and Time
        return lambda values: [
            v.isoformat() if type(v) in _TIMES else (None if v is None else slow(v)) for v in values
        ]
    if isinstance(leaf, CustomGraphQLEnumType):
        names = _member_names(leaf)
        return lambda values: [
            name if (name := names.get(id(v))) is not None else (None if v is None else slow(v))
            for v in values
        ]
    return lambda values: [None if v is None else slow(v) for v in values]


def _checked(coerce: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``coerce``, refusing a value it coerces to null (graphql-core raises for those)."""

    def checked(value: Any) -> Any:
        out = coerce(value)
        if out is None or out is Undefined:
            raise ValueError(f"{value!r} coerced to null")
        return out

    return checked


def _member_names(leaf: CustomGraphQLEnumType) -> dict[int, str]:
    """The name Strawberry's coercion gives each member of the enum, by the member's
    identity (members live as long as their class: no other object has their id)."""
    names: dict[int, str] = {}
    member: Any
    for member in leaf.wrapped_cls:
        try:
            name = leaf.coerce_output_value(member)
        except ValueError:  # not in the GraphQL enum: left to the coercion, which raises
            continue
        if isinstance(name, str):
            names[id(member)] = name
    return names
