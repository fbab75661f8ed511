"""Reading a query's rows into plain values without the ORM's per-value conversion.

``QuerySet.values()`` turns every value of every row through its field's
``to_python_value``: a Python call per value, and for each stored time on SQLite a parse
with the pure-Python ``iso8601``. On a page of 50 tickets with 45 columns that is a fifth
of the request. :class:`RowReader` sends the same SQL (the ORM still builds it from the
query set, filters, joins and ordering included) and converts only what the driver does
not already hand over as the Python value: times through C's ``datetime.fromisoformat``,
enums, booleans and JSON by their field, everything else as it comes. The values are
equal to what ``values()`` returns, a test checks it on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import fields, make_dataclass
from datetime import datetime
from enum import Enum
from typing import Any, TypeVar, cast

from pypika_tortoise.context import SqlContext
from tortoise.fields import (
    BigIntField,
    BooleanField,
    CharField,
    DatetimeField,
    Field,
    FloatField,
    IntField,
    SmallIntField,
    TextField,
)
from tortoise.fields.data import CharEnumFieldInstance
from tortoise.models import Model
from tortoise.queryset import QuerySet
from tortoise.timezone import get_default_timezone, get_use_tz

#: Fields whose values both drivers (sqlite3, asyncpg) return as the Python value.
_NATIVE = (IntField, BigIntField, SmallIntField, CharField, TextField, FloatField)

Convert = Callable[[Any], Any] | None
R = TypeVar("R")


def _datetime(field: DatetimeField) -> Callable[[Any], Any]:
    """A stored time as ``field.to_python_value`` gives it (aware, in the ORM's time zone),
    parsed in C when it is an ISO-8601 text with an offset, as SQLite stores it."""
    slow = field.to_python_value
    if not get_use_tz():
        return slow
    zone = get_default_timezone()

    def convert(value: Any) -> Any:
        if isinstance(value, str):
            try:
                parsed = datetime.fromisoformat(value)
            except ValueError:
                return slow(value)
            if parsed.tzinfo is None:
                return slow(value)
            return parsed.astimezone(zone)
        if isinstance(value, datetime) and value.tzinfo is not None:
            return value.astimezone(zone)  # asyncpg's timestamptz
        return slow(value)

    return convert


class _Members(dict[Any, Any]):
    """An enum's members by value, which the enum itself finds for any other value (its
    ``_missing_``, or the ValueError it raises): what calling the enum gives, without
    calling it for the values of its members."""

    def __init__(self, enum: type[Enum]) -> None:
        super().__init__(enum._value2member_map_)
        self.enum = enum

    def __missing__(self, value: Any) -> Any:
        return self.enum(value)


def _converter(field: Field[Any]) -> Convert:
    """How a value of ``field`` read from the database becomes its Python value (None:
    as it is)."""
    if isinstance(field, DatetimeField):
        return _datetime(field)
    if isinstance(field, CharEnumFieldInstance):
        return _Members(field.enum_type).__getitem__
    if isinstance(field, BooleanField):
        return bool
    if type(field) in _NATIVE:
        return None
    return field.to_python_value


def _field(model: type[Model], column: str) -> Field[Any]:
    """The field a ``values()`` name stands for: ``name`` or ``relation__name``."""
    relation, _, rest = column.partition("__")
    if rest:
        related = model._meta.fields_map[relation].related_model  # type: ignore[attr-defined]
        return _field(related, rest)
    return model._meta.fields_map[column]


def record_builder(record: type[R]) -> Callable[..., R]:
    """How to build a frozen, slotted dataclass ``record`` from all its fields' values,
    in order: as ``record(*values)`` does, in a sixth of the time.

    A frozen dataclass's ``__init__`` sets each field through ``object.__setattr__``
    (7 µs for a ticket's 45); the builder makes an unfrozen twin with the same slots and
    makes it a ``record`` (``__class__`` assignment, which Python allows between classes
    of one layout). The result is a ``record`` like any other, frozen from then on. For a
    class this cannot express exactly (a ``__post_init__``, fields not all plain
    positional ones, a base class) the builder is ``record`` itself.
    """
    params = getattr(record, "__dataclass_params__", None)
    declared = getattr(record, "__dataclass_fields__", {})
    plain = fields(record) if params else ()  # type: ignore[arg-type]
    names = [f.name for f in plain if f.init and not f.kw_only]
    if (
        params is None
        or not (params.frozen and params.init)
        or "__slots__" not in record.__dict__
        or record.__bases__ != (object,)
        or hasattr(record, "__post_init__")
        or len(names) != len(declared)  # init=False, keyword-only, InitVar, ClassVar
    ):
        return record
    twin = make_dataclass(
        f"{record.__name__}Twin",
        [(name, Any) for name in names],
        slots=True,
        eq=False,
        repr=False,
        match_args=False,
    )
    try:
        twin(*[None] * len(names)).__class__ = record
    except TypeError:  # another layout after all
        return record

    def build(*values: Any) -> R:
        built = twin(*values)
        built.__class__ = record
        return cast(R, built)

    return build


def _rendered_once(
    render: Callable[[SqlContext], str], texts: dict[tuple[Any, ...], str]
) -> Callable[[SqlContext], str]:
    """``render`` of a part of a statement that is always the same (plain columns and
    joins, no parameters): rendered once for each way of rendering it (the dialect's
    quotes, names qualified or not), kept in ``texts``, then the same text."""

    def rendered(ctx: SqlContext) -> str:
        key = (
            ctx.dialect,
            ctx.quote_char,
            ctx.secondary_quote_char,
            ctx.alias_quote_char,
            ctx.as_keyword,
            ctx.subquery,
            ctx.with_alias,
            ctx.with_namespace,
            ctx.subcriterion,
        )
        text = texts.get(key)
        if text is None:
            text = texts[key] = render(ctx)
        return text

    return rendered


class RowReader:
    """Reads ``columns`` of ``model`` (field names, ``relation__field`` for a related
    model's) from a query set's rows, each row a tuple in the order of ``columns``."""

    def __init__(self, model: type[Model], columns: Sequence[str]) -> None:
        self.model = model
        self.columns = tuple(columns)
        self._converters: tuple[Convert, ...] | None = None
        self._selects: dict[str, tuple[list[Any], list[Any]]] = {}
        self._select_clauses: dict[tuple[Any, ...], str] = {}

    def converters(self) -> tuple[Convert, ...]:
        """Each column's conversion, worked out on first use: the ORM knows the fields of
        relations and its time zone once it is initialised."""
        if self._converters is None:
            self._converters = tuple(_converter(_field(self.model, c)) for c in self.columns)
        return self._converters

    def _select_list(self, dialect: str) -> tuple[list[Any], list[Any]]:
        """The select list of ``columns`` and the joins of the relations it reads, as the
        ORM builds them for ``dialect``: built once, for every query."""
        found = self._selects.get(dialect)
        if found is None:
            values = self.model.all().values(*self.columns)
            values._choose_db_if_not_chosen()
            values._make_query()
            joins = list(values.query._joins)
            for join in joins:
                join.get_sql = _rendered_once(join.get_sql, {})  # type: ignore[method-assign,assignment]
            found = (list(values.query._selects), joins)
            self._selects[dialect] = found
        return found

    def statement(self, query: QuerySet[Any]) -> tuple[Any, str, list[Any]]:
        """The connection ``query`` would use (the open transaction's, if any), and the
        SQL and parameters of ``query`` reading ``columns``.

        The ORM builds the statement selecting the first column alone (its filters, joins,
        ordering and limit), then the select list and joins of every column, built once,
        take the place of its select list: building the terms of 80 columns and their
        joins for each request costs more than running the statement. So does rendering
        them: the SELECT clause and those joins are rendered once for each way of
        rendering them.
        """
        values = query.values(self.columns[0])
        # What awaiting ``values`` does before running it: ``sql()`` would build the
        # statement but not hand over its parameters.
        values._choose_db_if_not_chosen()
        values._make_query()
        built = values.query
        selects, joins = self._select_list(values._db.capabilities.dialect)
        joined = [join.item for join in built._joins]
        built._selects = list(selects)
        built._joins = [*built._joins, *(j for j in joins if j.item not in joined)]
        if not built._distinct:
            built._select_sql = _rendered_once(built._select_sql, self._select_clauses)  # type: ignore[method-assign,assignment]
        sql, parameters = built.get_parameterized_sql()
        return values._db, sql, parameters

    async def read(self, query: QuerySet[Any]) -> list[tuple[Any, ...]]:
        """The rows of ``query`` (filters, joins, ordering and limit as given): one
        statement, on the connection ``query`` would use."""
        connection, sql, parameters = self.statement(query)
        _, rows = await connection.execute_query(sql, parameters)
        converting = tuple((i, c) for i, c in enumerate(self.converters()) if c is not None)
        found: list[tuple[Any, ...]] = []
        for row in rows:
            out = list(row)
            for i, convert in converting:
                value = out[i]
                if value is not None:
                    out[i] = convert(value)
            found.append(tuple(out))
        return found
