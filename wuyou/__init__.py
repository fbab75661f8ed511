"""wuyou (无忧): a GraphQL API for a city's public-service platform.

This package is the small public face of the platform: the clock, the error types
and the event broadcaster that every domain package shares, and what a plugin
author needs, so a plugin writes ``from wuyou import hookimpl, ServiceType``.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("wuyou")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from plugins.forms import Choice, FieldType, FormField, Location
    from plugins.hookspecs import OrderInfo, hookimpl
    from plugins.pricing import (
        Distance,
        Fixed,
        Free,
        OnSiteQuote,
        PerUnit,
        Pricing,
        PricingKind,
        Quote,
        QuoteLine,
        QuoteRequest,
        Recycling,
        yuan,
    )
    from plugins.service_types import (
        Candidate,
        Dispatch,
        DispatchMode,
        ProviderKind,
        Qualification,
        ServiceType,
        rank_by_rating,
        rank_closest_coverage,
        rank_default,
        rank_nearest,
        rank_specialists_first,
    )
    from wuyou.errors import ErrorCode, Problem

# The plugin contract, imported on first use: those modules import wuyou's own
# submodules (clock, errors, events), so importing them here eagerly would be circular.
_EXPORTS = {
    **dict.fromkeys(("Choice", "FieldType", "FormField", "Location"), "plugins.forms"),
    **dict.fromkeys(("OrderInfo", "hookimpl"), "plugins.hookspecs"),
    **dict.fromkeys(
        (
            "Distance",
            "Fixed",
            "Free",
            "OnSiteQuote",
            "PerUnit",
            "Pricing",
            "PricingKind",
            "Quote",
            "QuoteLine",
            "QuoteRequest",
            "Recycling",
            "yuan",
        ),
        "plugins.pricing",
    ),
    **dict.fromkeys(
        (
            "Candidate",
            "Dispatch",
            "DispatchMode",
            "ProviderKind",
            "Qualification",
            "ServiceType",
            "rank_by_rating",
            "rank_closest_coverage",
            "rank_default",
            "rank_nearest",
            "rank_specialists_first",
        ),
        "plugins.service_types",
    ),
    **dict.fromkeys(("ErrorCode", "Problem"), "wuyou.errors"),
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'wuyou' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)


__all__ = [
    "Candidate",
    "Choice",
    "Dispatch",
    "DispatchMode",
    "Distance",
    "ErrorCode",
    "FieldType",
    "Fixed",
    "FormField",
    "Free",
    "Location",
    "OnSiteQuote",
    "OrderInfo",
    "PerUnit",
    "Pricing",
    "PricingKind",
    "Problem",
    "ProviderKind",
    "Qualification",
    "Quote",
    "QuoteLine",
    "QuoteRequest",
    "Recycling",
    "ServiceType",
    "__version__",
    "hookimpl",
    "rank_by_rating",
    "rank_closest_coverage",
    "rank_default",
    "rank_nearest",
    "rank_specialists_first",
    "yuan",
]
