"""The Strawberry schema: root types composed from one mixin per domain."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import strawberry
from graphql import ASTValidationRule, GraphQLError
from strawberry import relay
from strawberry.extensions import (
    AddValidationRules,
    DisableIntrospection,
    MaxTokensLimiter,
    ParserCache,
    SchemaExtension,
    ValidationCache,
)
from strawberry.extensions.max_aliases import create_validator as alias_rule
from strawberry.extensions.query_depth_limiter import create_validator as depth_rule
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

from schema.accounts import AccountMutations, AccountQueries
from schema.client_keys import ClientKeyMutations, ClientKeyQueries
from schema.dashboard import DashboardQueries, DashboardSubscriptions
from schema.desks import DeskMutations, DeskQueries, DeskSubscriptions
from schema.errors import MaskUnexpectedErrors, log_unexpected
from schema.grids import GridMutations, GridQueries, GridSubscriptions
from schema.hotline_stats import HotlineStatsQueries
from schema.knowledge import KnowledgeMutations, KnowledgeQueries
from schema.mediation import MediationMutations
from schema.merchants import MerchantMutations, MerchantQueries
from schema.orders import OrderMutations, OrderQueries, OrderSubscriptions
from schema.safety import SafetyMutations, SafetyQueries
from schema.services import ServiceQueries
from schema.ticket_admin import TicketCatalogueMutations, TicketCatalogueQueries
from schema.ticket_mutations import TicketMutations
from schema.tickets import TicketQueries, TicketSubscriptions

SDL_PATH = Path(__file__).with_name("schema.graphql")


@strawberry.type(description="Everything a client can read.")
class Query(
    AccountQueries,
    GridQueries,
    ServiceQueries,
    MerchantQueries,
    OrderQueries,
    TicketQueries,
    TicketCatalogueQueries,
    HotlineStatsQueries,
    SafetyQueries,
    KnowledgeQueries,
    DashboardQueries,
    DeskQueries,
    ClientKeyQueries,
):
    @strawberry.field(description="Any object by its global id; null when there is none.")
    async def node(self, info: strawberry.Info, id: relay.GlobalID) -> relay.Node | None:
        try:
            return await id.resolve_node(info, required=False)
        except (KeyError, ValueError):  # a well-formed id naming no type of ours
            return None


@strawberry.type(description="Everything a client can change.")
class Mutation(
    AccountMutations,
    GridMutations,
    MerchantMutations,
    OrderMutations,
    TicketMutations,
    TicketCatalogueMutations,
    SafetyMutations,
    KnowledgeMutations,
    DeskMutations,
    MediationMutations,
    ClientKeyMutations,
):
    pass


@strawberry.type(description="Live updates, over graphql-transport-ws on /graphql.")
class Subscription(
    GridSubscriptions,
    OrderSubscriptions,
    TicketSubscriptions,
    DeskSubscriptions,
    DashboardSubscriptions,
):
    pass


@dataclass(frozen=True, slots=True)
class Limits:
    """Guards against abusive queries, and what clients may learn when things go wrong."""

    max_depth: int = 12
    max_tokens: int = 2000
    max_aliases: int = 30
    introspection: bool = True
    mask_errors: bool = False


class WuyouSchema(strawberry.Schema):
    """The schema, logging only the errors that are bugs (validation and access are not)."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        log_unexpected(errors)


def build_schema(limits: Limits = Limits()) -> strawberry.Schema:
    """The schema with depth/token/alias limits, parser and validation caches, and masking."""
    # The limit rules are built once: the validation cache is keyed by the rule classes,
    # and QueryDepthLimiter/MaxAliasesLimiter would make new ones for every request.
    rules: list[type[ASTValidationRule]] = [
        depth_rule(limits.max_depth, None, None),
        alias_rule(limits.max_aliases),
    ]
    extensions: list[type[SchemaExtension] | object] = [
        lambda: AddValidationRules(rules),
        lambda: MaxTokensLimiter(max_token_count=limits.max_tokens),
        lambda: ParserCache(maxsize=1000),
        lambda: ValidationCache(maxsize=1000),
    ]
    if not limits.introspection:
        extensions.append(DisableIntrospection)
    if limits.mask_errors:
        extensions.append(MaskUnexpectedErrors)
    return WuyouSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        extensions=extensions,  # type: ignore[arg-type]
        config=StrawberryConfig(relay_max_results=100),
    )


def export_sdl() -> str:
    """The schema in SDL, as committed in schema/schema.graphql."""
    return build_schema().as_str() + "\n"
