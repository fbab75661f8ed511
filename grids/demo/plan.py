"""The demo city's area tree without its map: codes, names, levels, populations.

Cheap to compute (no geometry), so a rerun of the seed can tell what is missing at once.
Populations are split with a fixed random seed and the largest-remainder method, so every
area's population is exactly the sum of its children's and every run gives the same tree.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from grids.demo.places import (
    CITY_CODE,
    CITY_NAME,
    DEDICATED_GRIDS,
    DISTRICTS,
    REGULAR_GRIDS,
    StreetSpec,
)
from grids.models import AreaLevel, GridType

_RANDOM_SEED = 150300
# People per grid the grid counts aim at: urban grids are denser than village grids.
_PEOPLE_PER_COMMUNITY_GRID = 900
_PEOPLE_PER_RURAL_GRID = 380
_MIN_GRIDS_PER_COMMUNITY = 2
# A town's 社区 (its seat) is larger than one of its villages.
_TOWN_SEAT_WEIGHT = 2.5


@dataclass(frozen=True, slots=True)
class AreaPlan:
    """One area of the demo city, without its boundary."""

    code: str
    name: str
    level: AreaLevel
    parent_code: str | None
    path: str
    population: int
    grid_type: GridType | None = None
    description: str = ""
    #: Streets and towns only: where the territory is grown from (lat, lng), and its reach.
    seat: tuple[float, float] | None = None
    reach_km: float = 0.0

    @property
    def is_village(self) -> bool:
        return self.level is AreaLevel.COMMUNITY and self.name.endswith("村")


@dataclass(frozen=True, slots=True)
class CityPlan:
    """Every area in tree order (each parent before its children; siblings by code)."""

    areas: tuple[AreaPlan, ...]

    def by_level(self, level: AreaLevel) -> list[AreaPlan]:
        """The areas of one level, in tree order."""
        return [area for area in self.areas if area.level is level]

    def children(self, code: str) -> list[AreaPlan]:
        """The children of an area, by code."""
        return [area for area in self.areas if area.parent_code == code]


def apportion(total: int, weights: Sequence[float], minimum: int = 0) -> list[int]:
    """Integers adding up to ``total``, each at least ``minimum``, the rest shared in
    proportion to ``weights`` (largest remainder; ties go to the earlier entry)."""
    spare = total - minimum * len(weights)
    if spare < 0:
        raise ValueError(f"{total} cannot give {minimum} to each of {len(weights)}")
    quotas = [spare * weight / sum(weights) for weight in weights]
    shares = [int(quota) for quota in quotas]
    by_remainder = sorted(range(len(quotas)), key=lambda i: (shares[i] - quotas[i], i))
    for index in by_remainder[: spare - sum(shares)]:
        shares[index] += 1
    return [minimum + share for share in shares]


def chinese_number(n: int) -> str:
    """1 → 一, 12 → 十二, 40 → 四十, 47 → 四十七 (1 … 99)."""
    digits = "零一二三四五六七八九"
    if not 0 < n < 100:
        raise ValueError(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else digits[tens] + "十")
    return head + (digits[ones] if ones else "")


@cache
def plan_city() -> CityPlan:
    """The whole demo city's tree (computed once per process; it is immutable)."""
    rng = random.Random(_RANDOM_SEED)
    districts: list[AreaPlan] = []
    streets: list[AreaPlan] = []
    communities: list[AreaPlan] = []
    for district in DISTRICTS:
        district_path = f"{CITY_CODE}/{district.code}/"
        districts.append(
            AreaPlan(
                district.code,
                district.name,
                AreaLevel.DISTRICT,
                CITY_CODE,
                district_path,
                district.population,
            )
        )
        for spec in district.streets:
            street = AreaPlan(
                district.code + spec.suffix,
                spec.name,
                AreaLevel.STREET,
                district.code,
                f"{district_path}{district.code + spec.suffix}/",
                spec.population,
                seat=spec.seat,
                reach_km=spec.reach_km,
            )
            streets.append(street)
            named = _community_codes(spec)
            weights = [
                rng.uniform(0.75, 1.25)
                * (_TOWN_SEAT_WEIGHT if spec.is_town and not name.endswith("村") else 1.0)
                for _, name in named
            ]
            for (suffix, name), people in zip(
                named, apportion(spec.population, weights), strict=True
            ):
                code = street.code + suffix
                communities.append(
                    AreaPlan(
                        code,
                        name,
                        AreaLevel.COMMUNITY,
                        street.code,
                        f"{street.path}{code}/",
                        people,
                    )
                )
    city = AreaPlan(
        CITY_CODE,
        CITY_NAME,
        AreaLevel.CITY,
        None,
        f"{CITY_CODE}/",
        sum(d.population for d in districts),
    )
    everything = [city, *districts, *streets, *communities, *_plan_grids(communities, rng)]
    return CityPlan(tuple(sorted(everything, key=lambda area: area.path)))


def _plan_grids(communities: list[AreaPlan], rng: random.Random) -> list[AreaPlan]:
    """Each community's grids: as many regular grids as its people call for (640 in all),
    then its dedicated grids, if any."""
    specs = {(d.street_code, d.community): d for d in DEDICATED_GRIDS}
    dedicated = [
        [specs.pop(key)] if (key := (c.parent_code or "", c.name)) in specs else []
        for c in communities
    ]
    if specs:
        raise ValueError(f"dedicated grids in unknown communities: {sorted(specs)}")
    regular_people = [
        community.population - sum(spec.population for spec in own)
        for community, own in zip(communities, dedicated, strict=True)
    ]
    demand = [
        people / (_PEOPLE_PER_RURAL_GRID if community.is_village else _PEOPLE_PER_COMMUNITY_GRID)
        for community, people in zip(communities, regular_people, strict=True)
    ]
    counts = apportion(REGULAR_GRIDS, demand, _MIN_GRIDS_PER_COMMUNITY)
    grids: list[AreaPlan] = []
    for community, own, people, count in zip(
        communities, dedicated, regular_people, counts, strict=True
    ):
        grid_type = GridType.RURAL if community.is_village else GridType.COMMUNITY
        shares = apportion(people, [rng.uniform(0.6, 1.4) for _ in range(count)])
        for number, share in enumerate(shares, start=1):
            code = f"{community.code}-G{number:02d}"
            grids.append(
                AreaPlan(
                    code,
                    f"{community.name}第{chinese_number(number)}网格",
                    AreaLevel.GRID,
                    community.code,
                    f"{community.path}{code}/",
                    share,
                    grid_type,
                )
            )
        for number, spec in enumerate(own, start=1):
            code = f"{community.code}-D{number:02d}"
            grids.append(
                AreaPlan(
                    code,
                    spec.name,
                    AreaLevel.GRID,
                    community.code,
                    f"{community.path}{code}/",
                    spec.population,
                    GridType.DEDICATED,
                    spec.description,
                )
            )
    return grids


def _community_codes(street: StreetSpec) -> list[tuple[str, str]]:
    """(3-digit suffix, name) of a street's communities: 社区 from 001, villages from 201,
    as the national division codes number neighbourhood and village committees."""
    neighbourhoods = [name for name in street.communities if not name.endswith("村")]
    villages = [name for name in street.communities if name.endswith("村")]
    return [(f"{i:03d}", name) for i, name in enumerate(neighbourhoods, start=1)] + [
        (f"{200 + i:03d}", name) for i, name in enumerate(villages, start=1)
    ]
