"""Execution plans: a query's selection set worked out once into the reads and the
response shape of each field.

A plan is built from a validated document and the schema alone, never from a request, so
one plan serves every request with the same query text. It holds, per object type on the
selection, the fields in response order, each with how its value is read (an attribute, the
field's own resolver called directly, or, for fields with arguments or field extensions,
the resolver Strawberry gives graphql-core) and how it is completed (a leaf's output
coercion, a column at a time: :mod:`schema.compiled.leaves`; a nested plan; a list).
Running it (:mod:`schema.compiled.run`) goes breadth first: every object of one level is
read together, so the DataLoaders behind a level's relations send one batch each, and no
field costs graphql-core's per-field completion.

Whatever a plan cannot express is refused at build time (:class:`NotCompilable`), and the
operation is served by the standard executor: mutations and subscriptions, interfaces and
unions, directives (``@skip``, ``@include``, ``@defer``), introspection.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLLeafType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    GraphQLString,
    InlineFragmentNode,
    NamedTypeNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    get_operation_ast,
)
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.field import StrawberryField

from schema.compiled.leaves import Column, column_of


class NotCompilable(Exception):
    """The operation uses something a plan does not express."""


@dataclass(frozen=True, slots=True, eq=False)
class Leaf:
    """A scalar or enum, coerced for output as graphql-core does (a column at a time)."""

    column: Column
    non_null: bool


@dataclass(frozen=True, slots=True, eq=False)
class Nested:
    """An object, read with its own plan."""

    plan: ObjectPlan
    non_null: bool


@dataclass(frozen=True, slots=True, eq=False)
class ListOf:
    """A list of ``item``."""

    item: Completion
    non_null: bool


Completion = Leaf | Nested | ListOf


@dataclass(frozen=True, slots=True, eq=False)
class CallShape:
    """How to call a field's resolver as Strawberry would, for fields without arguments."""

    function: Callable[..., Any]
    pass_self: bool
    source_keywords: tuple[str, ...]
    info_keyword: str | None


@dataclass(frozen=True, slots=True, eq=False)
class FieldPlan:
    """One response key of an object: how its value is read and completed.

    Exactly one of ``constant``, ``attribute``, ``call`` and ``resolve`` says how the value
    is read; ``call`` and ``resolve`` need the field's resolve info, built per request.
    """

    key: str
    name: str
    parent_type: GraphQLObjectType
    definition: GraphQLField | None
    nodes: tuple[FieldNode, ...]
    completion: Completion
    constant: str | None = None
    attribute: Callable[[Any], Any] | None = None
    call: CallShape | None = None
    resolve: Callable[..., Any] | None = None
    strawberry_field: StrawberryField | None = None


@dataclass(frozen=True, slots=True, eq=False)
class ObjectPlan:
    """The fields selected on one object type, in response order."""

    type: GraphQLObjectType
    fields: tuple[FieldPlan, ...]


@dataclass(frozen=True, slots=True, eq=False)
class OperationPlan:
    """A query operation, planned."""

    operation: OperationDefinitionNode
    fragments: dict[str, FragmentDefinitionNode]
    root: ObjectPlan


def plan_operation(
    schema: GraphQLSchema, document: DocumentNode, operation_name: str | None
) -> OperationPlan:
    """The plan of the named query operation of a validated ``document``."""
    operation = get_operation_ast(document, operation_name)
    if operation is None or operation.operation is not OperationType.QUERY:
        raise NotCompilable("not a query operation")
    if operation.directives:
        raise NotCompilable("directives on the operation")
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    query_type = schema.query_type
    assert query_type is not None
    builder = _Builder(schema, fragments)
    root = builder.object_plan(query_type, [operation.selection_set])
    return OperationPlan(operation=operation, fragments=fragments, root=root)


class _Builder:
    def __init__(self, schema: GraphQLSchema, fragments: dict[str, FragmentDefinitionNode]):
        self.schema = schema
        self.fragments = fragments

    def object_plan(
        self, object_type: GraphQLObjectType, selection_sets: list[SelectionSetNode]
    ) -> ObjectPlan:
        grouped: dict[str, list[FieldNode]] = {}
        for selection_set in selection_sets:
            self._collect(object_type, selection_set, grouped)
        return ObjectPlan(
            type=object_type,
            fields=tuple(
                self._field_plan(object_type, key, nodes) for key, nodes in grouped.items()
            ),
        )

    def _collect(
        self,
        object_type: GraphQLObjectType,
        selection_set: SelectionSetNode,
        grouped: dict[str, list[FieldNode]],
    ) -> None:
        """Group the fields of ``selection_set`` by response key, fragments spread."""
        for selection in selection_set.selections:
            if selection.directives:
                raise NotCompilable("directives on a selection")
            if isinstance(selection, FieldNode):
                key = selection.alias.value if selection.alias else selection.name.value
                grouped.setdefault(key, []).append(selection)
                continue
            condition: NamedTypeNode | None
            if isinstance(selection, FragmentSpreadNode):
                fragment = self.fragments[selection.name.value]
                if fragment.directives:
                    raise NotCompilable("directives on a fragment")
                condition, inner = fragment.type_condition, fragment.selection_set
            else:
                assert isinstance(selection, InlineFragmentNode)
                condition, inner = selection.type_condition, selection.selection_set
            if condition is not None and condition.name.value != object_type.name:
                # A validated document only spreads a fragment of another type here when
                # that type is an interface or union this object may belong to.
                raise NotCompilable("a fragment on an abstract type")
            self._collect(object_type, inner, grouped)

    def _field_plan(self, parent: GraphQLObjectType, key: str, nodes: list[FieldNode]) -> FieldPlan:
        name = nodes[0].name.value
        if name == "__typename":
            return FieldPlan(
                key=key,
                name=name,
                parent_type=parent,
                definition=None,
                nodes=tuple(nodes),
                completion=Leaf(column=column_of(GraphQLString), non_null=True),
                constant=parent.name,
            )
        if name.startswith("__"):
            raise NotCompilable("introspection")
        definition = parent.fields[name]
        completion = self._completion(definition.type, nodes)
        field = definition.extensions.get(GraphQLCoreConverter.DEFINITION_BACKREF)
        if not isinstance(field, StrawberryField):
            raise NotCompilable(f"{parent.name}.{name} is not a Strawberry field")
        common: dict[str, Any] = {
            "key": key,
            "name": name,
            "parent_type": parent,
            "definition": definition,
            "nodes": tuple(nodes),
            "completion": completion,
            "strawberry_field": field,
        }
        if field.is_basic_field:
            return FieldPlan(**common, attribute=operator.attrgetter(field.python_name))
        if field.arguments or field.extensions or definition.resolve is None:
            return FieldPlan(**common, resolve=definition.resolve)
        resolver = field.base_resolver
        assert resolver is not None
        wrapped = resolver.wrapped_func  # what calling the resolver calls
        shape = CallShape(
            function=wrapped if callable(wrapped) else resolver,
            pass_self=resolver.self_parameter is not None,
            source_keywords=tuple(
                p.name for p in (resolver.parent_parameter, resolver.root_parameter) if p
            ),
            info_keyword=resolver.info_parameter.name if resolver.info_parameter else None,
        )
        return FieldPlan(**common, call=shape)

    def _completion(self, output: GraphQLOutputType, nodes: list[FieldNode]) -> Completion:
        non_null = isinstance(output, GraphQLNonNull)
        inner = output.of_type if isinstance(output, GraphQLNonNull) else output
        if isinstance(inner, GraphQLList):
            return ListOf(item=self._completion(inner.of_type, nodes), non_null=non_null)
        if isinstance(inner, GraphQLObjectType):
            selection_sets = [n.selection_set for n in nodes if n.selection_set]
            return Nested(plan=self.object_plan(inner, selection_sets), non_null=non_null)
        if isinstance(inner, GraphQLLeafType):
            return Leaf(column=column_of(inner), non_null=non_null)
        raise NotCompilable(f"abstract type {inner}")
