"""The demo city (``wuyou seed --demo``): Wuhai at real scale, with a synthetic map.

1 city, 3 districts, 20 streets and towns, 83 communities and villages, 646 grids
(640 + 6 dedicated), their departments and intake channels, a grid worker per grid and
six demo accounts whose password is ``demo``.
"""

from grids.demo.catalogue import HOTLINE_COUNT, ONLINE_COUNT
from grids.demo.people import DEMO_ACCOUNTS, DEMO_DEPARTMENT, DEMO_GRID, DEMO_PASSWORD
from grids.demo.places import CITY_BOUNDS, CITY_CODE, CITY_POPULATION, EXPECTED_COUNTS
from grids.demo.seed import QuietProgress, SeedProgress, SeedReport, seed_demo_city

__all__ = [
    "CITY_BOUNDS",
    "CITY_CODE",
    "CITY_POPULATION",
    "DEMO_ACCOUNTS",
    "DEMO_DEPARTMENT",
    "DEMO_GRID",
    "DEMO_PASSWORD",
    "EXPECTED_COUNTS",
    "HOTLINE_COUNT",
    "ONLINE_COUNT",
    "QuietProgress",
    "SeedProgress",
    "SeedReport",
    "seed_demo_city",
]
