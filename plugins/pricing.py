"""Pricing: how a service type quotes an order before it is dispatched.

Money is :class:`~decimal.Decimal` yuan, rounded to the fen. A quote with no amount
means the merchant prices the job on site (``QUOTE``); a negative amount means the
merchant pays the citizen (recycling). A plugin may subclass :class:`Pricing` for a
rule of its own (see ``elderly_care``, free for people aged 80 and over).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

from plugins.forms import Location

_FEN = Decimal("0.01")


class PricingKind(StrEnum):
    FREE = "FREE"
    FIXED = "FIXED"
    PER_UNIT = "PER_UNIT"
    DISTANCE = "DISTANCE"
    QUOTE = "QUOTE"
    RECYCLING = "RECYCLING"


def yuan(value: Decimal | int | float | str) -> Decimal:
    """``value`` as yuan rounded to the fen."""
    return Decimal(str(value)).quantize(_FEN, rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class QuoteLine:
    """One line of a quote's breakdown."""

    label: str
    amount: Decimal


@dataclass(frozen=True, slots=True)
class Quote:
    """What the citizen is told before ordering: an amount (None: priced on site) and why."""

    amount: Decimal | None
    lines: tuple[QuoteLine, ...] = ()
    note: str = ""
    currency: str = "CNY"


@dataclass(frozen=True, slots=True)
class QuoteRequest:
    """What a quote may depend on: the cleaned form and where the service is wanted."""

    form: Mapping[str, Any]
    location: Location


@dataclass(frozen=True)
class Pricing:
    """A pricing rule. Subclasses set ``kind`` and implement :meth:`quote`."""

    description: str

    kind = PricingKind.QUOTE

    def quote(self, request: QuoteRequest) -> Quote:
        """The price of the order described by ``request``."""
        raise NotImplementedError


@dataclass(frozen=True)
class Free(Pricing):
    """No charge (public services, utilities, mutual aid)."""

    description: str = "免费"
    kind = PricingKind.FREE

    def quote(self, request: QuoteRequest) -> Quote:
        return Quote(amount=yuan(0), note=self.description)


@dataclass(frozen=True)
class Fixed(Pricing):
    """One price, plus a surcharge for each BOOLEAN field the citizen set to true."""

    amount: Decimal = Decimal(0)
    surcharges: Mapping[str, tuple[str, Decimal]] = field(default_factory=dict)
    kind = PricingKind.FIXED

    def quote(self, request: QuoteRequest) -> Quote:
        lines = [QuoteLine(self.description, yuan(self.amount))]
        for code, (label, amount) in self.surcharges.items():
            if request.form.get(code) is True:
                lines.append(QuoteLine(label, yuan(amount)))
        return Quote(amount=yuan(sum(line.amount for line in lines)), lines=tuple(lines))


@dataclass(frozen=True)
class PerUnit(Pricing):
    """A unit price times a quantity.

    The quantity is the NUMBER field ``quantity_field`` (hours, buckets), or the number
    of items picked in a MULTI_CHOICE field; ``per_choice`` prices each picked item
    on its own (appliance cleaning: a range hood costs more than a washer), and ``labels``
    names the items in the quote's lines.
    """

    unit_price: Decimal = Decimal(0)
    unit: str = ""
    quantity_field: str = ""
    per_choice: Mapping[str, Decimal] = field(default_factory=dict)
    labels: Mapping[str, str] = field(default_factory=dict)
    kind = PricingKind.PER_UNIT

    def quote(self, request: QuoteRequest) -> Quote:
        quantity = request.form.get(self.quantity_field, 0)
        if isinstance(quantity, tuple):
            lines = tuple(
                QuoteLine(
                    self.labels.get(item, item), yuan(self.per_choice.get(item, self.unit_price))
                )
                for item in quantity
            )
            return Quote(amount=yuan(sum(line.amount for line in lines)), lines=lines)
        amount = yuan(Decimal(str(quantity)) * self.unit_price)
        label = f"{self.unit_price} 元/{self.unit} × {quantity:g}"
        return Quote(amount=amount, lines=(QuoteLine(label, amount),))


@dataclass(frozen=True)
class Distance(Pricing):
    """A base fare covering ``included_km``, then ``per_km`` for each further kilometre.

    The trip runs from ``from_field`` (default: the order's location) to ``to_field``;
    without a destination (a jump start on the spot) only the base fare applies.
    """

    base: Decimal = Decimal(0)
    per_km: Decimal = Decimal(0)
    included_km: Decimal = Decimal(0)
    from_field: str = ""
    to_field: str = ""
    kind = PricingKind.DISTANCE

    def quote(self, request: QuoteRequest) -> Quote:
        start = request.form.get(self.from_field) if self.from_field else request.location
        end = request.form.get(self.to_field)
        lines = [QuoteLine("起步价", yuan(self.base))]
        if isinstance(start, Location) and isinstance(end, Location):
            km = Decimal(str(round(start.distance_km(end), 1)))
            extra = max(Decimal(0), km - self.included_km)
            if extra:
                lines.append(
                    QuoteLine(f"里程 {extra} 公里 × {self.per_km} 元", extra * self.per_km)
                )
        return Quote(amount=yuan(sum(line.amount for line in lines)), lines=tuple(lines))


@dataclass(frozen=True)
class OnSiteQuote(Pricing):
    """The merchant prices the job after seeing it; an optional call-out fee is shown."""

    callout_fee: Decimal | None = None
    kind = PricingKind.QUOTE

    def quote(self, request: QuoteRequest) -> Quote:
        lines = () if self.callout_fee is None else (QuoteLine("上门费", yuan(self.callout_fee)),)
        return Quote(amount=None, lines=lines, note=self.description)


@dataclass(frozen=True)
class Recycling(Pricing):
    """The merchant pays the citizen by weight: a negative amount."""

    per_kg: Decimal = Decimal(0)
    weight_field: str = ""
    kind = PricingKind.RECYCLING

    def quote(self, request: QuoteRequest) -> Quote:
        weight = Decimal(str(request.form.get(self.weight_field, 0)))
        amount = -yuan(weight * self.per_kg)
        label = f"回收 {weight} 公斤 × {self.per_kg} 元"
        return Quote(amount=amount, lines=(QuoteLine(label, amount),), note=self.description)
