"""The compiled read path: query operations planned once and run without graphql-core's
per-field execution, with the same resolvers, so the same permission and masking rules.

An operation is planned the first time the standard executor has answered it without an
error (so it is known to be valid under every limit the schema enforces); from then on,
requests with the same query text and operation name are run by the plan. Whatever the
plan cannot answer exactly as the standard executor would falls back to it.
"""

from __future__ import annotations

import hashlib
import logging
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from graphql import GraphQLSyntaxError, parse
from strawberry import Schema

from schema.compiled.plan import NotCompilable, OperationPlan, plan_operation
from schema.compiled.run import Fallback, Run

log = logging.getLogger(__name__)

#: Plans kept (the least recently used is dropped first).
MAX_PLANS = 500


@dataclass(slots=True)
class CompiledStats:
    """What the compiled path did since start-up."""

    planned: int = 0
    refused: int = 0
    served: int = 0
    fell_back: int = 0


class CompiledReads:
    """The plans of one schema, by query hash, and running them."""

    def __init__(self, schema: Schema, max_plans: int = MAX_PLANS) -> None:
        self.schema = schema
        self._max_plans = max_plans
        self._plans: OrderedDict[str, OperationPlan | None] = OrderedDict()
        self.stats = CompiledStats()

    @staticmethod
    def _key(query: str, operation_name: str | None) -> str:
        return hashlib.sha256(f"{operation_name or ''}\0{query}".encode()).hexdigest()

    def plan(self, query: str, operation_name: str | None) -> OperationPlan | None:
        """The plan of an operation learnt earlier; None when there is none (yet)."""
        key = self._key(query, operation_name)
        plan = self._plans.get(key)
        if plan is not None:
            self._plans.move_to_end(key)
        return plan

    def learn(self, query: str, operation_name: str | None) -> None:
        """Plan an operation the standard executor has just answered without an error."""
        key = self._key(query, operation_name)
        if key in self._plans:
            return
        plan: OperationPlan | None
        try:
            plan = plan_operation(self.schema._schema, parse(query), operation_name)
            self.stats.planned += 1
        except (NotCompilable, GraphQLSyntaxError, KeyError) as reason:
            log.debug("not planned (%s): %.80s", reason, query)
            plan = None
            self.stats.refused += 1
        self._plans[key] = plan
        if len(self._plans) > self._max_plans:
            self._plans.popitem(last=False)

    async def execute(
        self, plan: OperationPlan, context: Any, variables: dict[str, Any] | None
    ) -> dict[str, Any] | None:
        """The ``data`` of the answer; None when the standard executor must answer."""
        try:
            data = await Run(
                self.schema._schema, plan, context, variables, self.schema.config.info_class
            ).execute()
        except Fallback as reason:
            log.debug("compiled read fell back: %s", reason)
            self.stats.fell_back += 1
            return None
        self.stats.served += 1
        return data
