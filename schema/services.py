"""The service-type catalogue in GraphQL: order forms, pricing, providers and dispatch."""

from __future__ import annotations

from typing import Any, cast

import strawberry
from strawberry.scalars import JSON

from plugins import forms, guard
from plugins.forms import FieldType
from plugins.pricing import PricingKind, Quote
from plugins.registry import service_registry
from plugins.service_types import DispatchMode, ProviderKind
from plugins.service_types import ServiceType as ServiceTypeSpec
from wuyou import clock

strawberry.enum(FieldType, description="What kind of value an order-form field holds.")
strawberry.enum(PricingKind, description="How a service type is priced.")
strawberry.enum(DispatchMode, description="How offers go out to providers.")
strawberry.enum(
    ProviderKind,
    description="Who provides a service: a commercial merchant, a mediation organisation, "
    "a counsellor or a law firm.",
)


@strawberry.type(description="One allowed value of a choice (or a completion outcome).")
class Choice:
    code: str
    label: str
    label_en: str

    @classmethod
    def of(cls, choice: forms.Choice) -> Choice:
        return cls(code=choice.code, label=choice.label, label_en=choice.label_en)


@strawberry.type(
    description="One field of an order form. `minimum`/`maximum` bound a NUMBER's value, "
    "a MULTI_CHOICE's number of picks, or a text's length."
)
class FormField:
    code: str = strawberry.field(description="The key of this field in `form` (camelCase).")
    label: str
    label_en: str
    type: FieldType
    required: bool
    help: str
    choices: list[Choice]
    minimum: float | None
    maximum: float | None
    integer: bool
    unit: str
    max_length: int | None
    future: bool = strawberry.field(description="A DATETIME that must lie in the future.")
    past: bool = strawberry.field(description="A DATETIME that must not lie in the future.")
    max_days_ahead: int | None

    @classmethod
    def of(cls, spec: forms.FormField) -> FormField:
        return cls(
            code=spec.code,
            label=spec.label,
            label_en=spec.label_en,
            type=spec.type,
            required=spec.required,
            help=spec.help,
            choices=[Choice.of(c) for c in spec.choices],
            minimum=spec.minimum,
            maximum=spec.maximum,
            integer=spec.integer,
            unit=spec.unit,
            max_length=spec.max_length,
            future=spec.future,
            past=spec.past,
            max_days_ahead=spec.max_days_ahead,
        )


@strawberry.type(description="A document a provider needs to serve a type.")
class Qualification:
    code: str
    name: str
    required: bool


@strawberry.type(description="How a type's offers go out.")
class DispatchRule:
    mode: DispatchMode
    k: int = strawberry.field(description="Providers offered at once (1 for SEQUENTIAL).")
    accept_timeout_seconds: int


@strawberry.type(description="How a type is priced.")
class Pricing:
    kind: PricingKind
    description: str


@strawberry.type(description="One line of a quote.")
class QuoteLine:
    label: str
    amount: str = strawberry.field(description="Yuan, as a decimal string.")


@strawberry.type(description="The price quoted before dispatch.")
class PriceQuote:
    amount: str | None = strawberry.field(
        description="Yuan as a decimal string; null when the provider prices on site; "
        "negative when the provider pays the citizen (recycling)."
    )
    currency: str
    note: str
    lines: list[QuoteLine]

    @classmethod
    def of(cls, quote: Quote) -> PriceQuote:
        return cls(
            amount=None if quote.amount is None else str(quote.amount),
            currency=quote.currency,
            note=quote.note,
            lines=[QuoteLine(label=line.label, amount=str(line.amount)) for line in quote.lines],
        )

    @classmethod
    def stored(cls, quote: dict[str, Any]) -> PriceQuote:
        return cls(
            amount=quote["amount"],
            currency=quote["currency"],
            note=quote["note"],
            lines=[
                QuoteLine(label=line["label"], amount=line["amount"]) for line in quote["lines"]
            ],
        )


@strawberry.type(description="A service citizens can order, contributed by a plugin.")
class ServiceType:
    code: str = strawberry.field(description="Stable identifier (snake_case).")
    name: str
    name_en: str
    brand: str
    description: str
    provider_kind: ProviderKind
    qualifications: list[Qualification]
    dispatch: DispatchRule
    pricing: Pricing
    fields: list[FormField] = strawberry.field(description="The order form, in display order.")
    outcomes: list[Choice] = strawberry.field(
        description="Results a provider records on completion (empty when none)."
    )
    plugin: str = strawberry.field(description="The plugin that registered this type.")
    spec: strawberry.Private[ServiceTypeSpec]

    @classmethod
    def of(cls, spec: ServiceTypeSpec) -> ServiceType:
        return cls(
            code=spec.code,
            name=spec.name,
            name_en=spec.name_en,
            brand=spec.brand,
            description=spec.description,
            provider_kind=spec.provider_kind,
            qualifications=[
                Qualification(code=q.code, name=q.name, required=q.required)
                for q in spec.qualifications
            ],
            dispatch=DispatchRule(
                mode=spec.dispatch.mode,
                k=spec.dispatch.k,
                accept_timeout_seconds=int(spec.dispatch.accept_timeout.total_seconds()),
            ),
            pricing=Pricing(kind=spec.pricing.kind, description=spec.pricing.description),
            fields=[FormField.of(f) for f in spec.fields],
            outcomes=[Choice.of(o) for o in spec.outcomes],
            plugin=service_registry().plugin_of(spec.code),
            spec=spec,
        )

    @strawberry.field(
        description="A valid form for an order placed now, as a client sends it; null when "
        "the plugin gives none (or fails to)."
    )
    async def example_form(self) -> JSON | None:
        if self.spec.example is None:
            return None
        example = await guard.call(
            self.plugin, "example", self.spec.example, clock.now(), default=None
        )
        return None if example is None else cast(JSON, dict(example))


#: Service types as GraphQL objects, built once per registered type (at most this many).
MAX_BUILT_TYPES = 256
_built: dict[str, ServiceType] = {}


def service_type_of(code: str) -> ServiceType | None:
    """The GraphQL type for a registered service type code: built once for the process
    (a page of 50 orders names a handful of types; building each one's form, pricing and
    qualifications anew cost a twentieth of the merchant app's desk)."""
    spec = service_registry().get(code)
    if spec is None:
        return None
    built = _built.get(code)
    if built is None or built.spec is not spec:  # a registry loaded anew (tests)
        if len(_built) >= MAX_BUILT_TYPES:
            _built.clear()
        built = _built[code] = ServiceType.of(spec)
    return built


@strawberry.type
class ServiceQueries:
    @strawberry.field(description="Every service type on offer, in catalogue order.")
    def service_types(self, provider_kind: ProviderKind | None = None) -> list[ServiceType]:
        return [
            built
            for spec in service_registry()
            if (provider_kind is None or spec.provider_kind is provider_kind)
            and (built := service_type_of(spec.code)) is not None
        ]

    @strawberry.field(description="The service type with this code.")
    def service_type(self, code: str) -> ServiceType | None:
        return service_type_of(code)
