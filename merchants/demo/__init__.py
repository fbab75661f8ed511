"""The demo city's providers (``wuyou seed --demo``), at Wuhai's published scale.

1,300 commercial merchants by default serving the marketplace's commercial service types,
the 175 mediation organisations (a people's mediation committee in each of the 20 streets
and towns and 83 communities and villages, 45 industry committees, 27 mediation studios),
40 counsellors, 8 law firms, and the demo merchant that ``demo-merchant`` works for.
Needs the demo city (:func:`grids.demo.seed_demo_city`) loaded first.
"""

from collections.abc import Mapping

from merchants.demo.plan import (
    COUNSELLORS,
    DEFAULT_COMMERCIAL,
    DEMO_MERCHANT,
    DEMO_MERCHANT_ACCOUNT,
    DEMO_MERCHANT_CREDIT_CODE,
    DEMO_MERCHANT_SERVICES,
    INDUSTRY_COMMITTEES,
    LAW_FIRMS,
    MEDIATION_ORGS,
    MEDIATION_STUDIOS,
    PEOPLES_COMMITTEES,
    STAFF_PREFIX,
)
from merchants.demo.seed import DemoCityMissing, seed_demo_merchants
from plugins.service_types import ProviderKind

#: Providers of each kind a default run leaves (the demo merchant among the commercial).
EXPECTED_COUNTS: Mapping[ProviderKind, int] = {
    ProviderKind.COMMERCIAL: DEFAULT_COMMERCIAL + 1,
    ProviderKind.MEDIATION_ORG: MEDIATION_ORGS,
    ProviderKind.COUNSELLOR: COUNSELLORS,
    ProviderKind.LAW_FIRM: LAW_FIRMS,
}

__all__ = [
    "COUNSELLORS",
    "DEFAULT_COMMERCIAL",
    "DEMO_MERCHANT",
    "DEMO_MERCHANT_ACCOUNT",
    "DEMO_MERCHANT_CREDIT_CODE",
    "DEMO_MERCHANT_SERVICES",
    "EXPECTED_COUNTS",
    "INDUSTRY_COMMITTEES",
    "LAW_FIRMS",
    "MEDIATION_ORGS",
    "MEDIATION_STUDIOS",
    "PEOPLES_COMMITTEES",
    "STAFF_PREFIX",
    "DemoCityMissing",
    "seed_demo_merchants",
]
