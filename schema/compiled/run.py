"""Running a plan: breadth first, every object of a level read together, the response
built as plain dicts in the order graphql-core would build it.

Anything that would make the standard executor answer with an error (a resolver raising,
a null where the schema promises a value, variables that do not coerce) raises
:class:`Fallback`: the caller then runs the operation the standard way, which gives the
error its usual shape. A plan's answers are byte for byte the standard executor's, which
a test checks over the contract operations.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable
from typing import Any, TypeGuard

from graphql import GraphQLSchema
from graphql.execution import get_argument_values, get_variable_values
from graphql.pyutils import Path
from graphql.type import GraphQLResolveInfo
from strawberry.execution.is_awaitable import optimized_is_awaitable
from strawberry.types import Info

from schema.compiled.drive import Unsupported, resolve_all
from schema.compiled.plan import (
    CallShape,
    Completion,
    FieldPlan,
    Leaf,
    ListOf,
    Nested,
    ObjectPlan,
    OperationPlan,
)


class Fallback(Exception):
    """This request is for the standard executor (the reason is the message)."""


def _is_awaitable(value: Any) -> TypeGuard[Awaitable[Any]]:
    return inspect.isawaitable(value)


def _close(values: list[Any]) -> None:
    """Close the coroutines among ``values`` that will not be awaited."""
    for value in values:
        if inspect.iscoroutine(value):
            value.close()


class Run:
    """One request's execution of a plan: its context and variables, and the resolve info
    of each field, made once per field however many objects it is read on."""

    def __init__(
        self,
        schema: GraphQLSchema,
        plan: OperationPlan,
        context: Any,
        variables: dict[str, Any] | None,
        info_class: type[Info[Any, Any]],
    ) -> None:
        coerced = get_variable_values(
            schema, plan.operation.variable_definitions or (), variables or {}
        )
        if isinstance(coerced, list):
            raise Fallback("variables do not coerce")
        self.schema = schema
        self.plan = plan
        self.context = context
        self.variables = coerced
        self.info_class = info_class
        self._infos: dict[int, tuple[GraphQLResolveInfo, Info[Any, Any]]] = {}

    def info(self, field: FieldPlan) -> tuple[GraphQLResolveInfo, Info[Any, Any]]:
        """graphql-core's and Strawberry's resolve info for ``field`` in this request."""
        made = self._infos.get(id(field))
        if made is None:
            assert field.definition is not None
            raw = GraphQLResolveInfo(
                field_name=field.name,
                field_nodes=list(field.nodes),
                return_type=field.definition.type,
                parent_type=field.parent_type,
                path=Path(None, field.key, field.parent_type.name),
                schema=self.schema,
                fragments=self.plan.fragments,
                root_value=None,
                operation=self.plan.operation,
                variable_values=self.variables,
                context=self.context,
                is_awaitable=_is_awaitable,
                abort_signal=None,
                async_helpers=None,  # type: ignore[arg-type]  # no resolver of ours asks
            )
            assert field.strawberry_field is not None
            made = (raw, self.info_class(_raw_info=raw, _field=field.strawberry_field))
            self._infos[id(field)] = made
        return made

    async def execute(self) -> dict[str, Any]:
        """The ``data`` of the response."""
        (data,) = await self.objects(self.plan.root, [None])
        return data

    async def objects(self, plan: ObjectPlan, sources: list[Any]) -> list[dict[str, Any]]:
        """Each of ``sources`` (objects of ``plan.type``) as its response dict."""
        columns: list[list[Any]] = []
        try:
            for field in plan.fields:
                columns.append(self._read(field, sources))
        except Fallback:
            for column in columns:
                _close(column)
            raise
        pending: list[Awaitable[Any]] = []
        where: list[tuple[list[Any], int]] = []
        for field, column in zip(plan.fields, columns, strict=True):
            if field.call is None and field.resolve is None:
                continue  # an attribute of the object or a constant: a value
            for i, value in enumerate(column):
                if optimized_is_awaitable(value):
                    pending.append(value)
                    where.append((column, i))
        if pending:
            try:
                resolved = await resolve_all(pending)
            except Unsupported as error:
                raise Fallback(str(error)) from error
            except Exception as error:  # the standard executor reports it as an error
                raise Fallback(f"a resolver raised {type(error).__name__}") from error
            for (column, i), value in zip(where, resolved, strict=True):
                column[i] = value
        completed = [
            await self._complete(field.completion, column)
            for field, column in zip(plan.fields, columns, strict=True)
        ]
        keys = [field.key for field in plan.fields]
        return [dict(zip(keys, row, strict=True)) for row in zip(*completed, strict=True)]

    def _read(self, field: FieldPlan, sources: list[Any]) -> list[Any]:
        if field.constant is not None:
            return [field.constant] * len(sources)
        if field.attribute is not None:
            return list(map(field.attribute, sources))
        values: list[Any] = []
        try:
            if field.call is not None:
                self._call(field, field.call, sources, values)
                return values
            assert field.resolve is not None and field.definition is not None
            raw, _ = self.info(field)
            arguments = get_argument_values(field.definition, field.nodes[0], self.variables)
            for source in sources:
                values.append(field.resolve(source, raw, **arguments))
            return values
        except Exception as error:  # the standard executor reports it as an error
            _close(values)
            raise Fallback(f"{field.parent_type.name}.{field.name} raised {error!r}") from error

    def _call(
        self, field: FieldPlan, shape: CallShape, sources: list[Any], values: list[Any]
    ) -> None:
        """Append the resolver's value for each of ``sources`` to ``values``."""
        function, append = shape.function, values.append
        if shape.info_keyword is None and not shape.source_keywords:
            if shape.pass_self:
                for source in sources:
                    append(function(source))
            else:
                for _ in sources:
                    append(function())
            return
        keywords = {shape.info_keyword: self.info(field)[1]} if shape.info_keyword else {}
        for source in sources:
            for name in shape.source_keywords:
                keywords[name] = source
            if shape.pass_self:
                append(function(source, **keywords))
            else:
                append(function(**keywords))

    async def _complete(self, completion: Completion, values: list[Any]) -> list[Any]:
        if isinstance(completion, Leaf):
            if completion.non_null and _has_null(values):
                raise Fallback("null for a non-null field")
            try:
                return completion.column(values)
            except Exception as error:
                raise Fallback(f"a value does not coerce: {error}") from error
        present = values
        if _has_null(values):
            if completion.non_null:
                raise Fallback("null for a non-null field")
            present = [value for value in values if value is not None]
        done: list[Any]
        if isinstance(completion, Nested):
            done = await self.objects(completion.plan, present)
        else:
            assert isinstance(completion, ListOf)
            lists = [list(value) for value in present]
            flat = iter(await self._complete(completion.item, [v for each in lists for v in each]))
            done = [[next(flat) for _ in each] for each in lists]
        if present is values:
            return done
        found = iter(done)
        return [None if value is None else next(found) for value in values]


def _has_null(values: list[Any]) -> bool:
    """Whether one of ``values`` is None (``in`` alone would also find a value equal to
    None: the values are the resolvers' data, compared by identity)."""
    return None in values and any(value is None for value in values)
