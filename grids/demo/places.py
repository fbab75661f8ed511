"""The demo city's places: Wuhai's districts, streets and towns with their communities
and villages, the dedicated grids, and the published counts they must add up to.

Street and town names are Wuhai's own; community and village names are plausible
stand-ins. Populations add up to the 7th census figure (556,600). A street's ``seat``
is where its territory is grown from on the map and ``reach_km`` how far it reaches
beyond its neighbours (towns reach far; urban streets none), see :mod:`.tessellation`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from grids.models import AreaLevel

CITY_CODE = "150300"
CITY_NAME = "乌海市"
CITY_POPULATION = 556_600
#: The city's box (degrees): south, west, north, east.
CITY_BOUNDS = (39.25, 106.60, 39.95, 107.15)
#: Regular grids in the city (the dedicated grids come on top).
REGULAR_GRIDS = 640

#: Wuhai's published counts per level (640 grids + 6 dedicated grids).
EXPECTED_COUNTS: Mapping[AreaLevel, int] = {
    AreaLevel.CITY: 1,
    AreaLevel.DISTRICT: 3,
    AreaLevel.STREET: 20,
    AreaLevel.COMMUNITY: 83,
    AreaLevel.GRID: 646,
}


@dataclass(frozen=True, slots=True)
class StreetSpec:
    """A street (街道) or town (镇) and its communities (社区) and villages (村), in code order."""

    suffix: str
    name: str
    population: int
    seat: tuple[float, float]
    reach_km: float
    communities: tuple[str, ...]

    @property
    def is_town(self) -> bool:
        return self.name.endswith("镇")


@dataclass(frozen=True, slots=True)
class DistrictSpec:
    """A district (区) and its streets and towns."""

    code: str
    name: str
    streets: tuple[StreetSpec, ...]

    @property
    def population(self) -> int:
        return sum(street.population for street in self.streets)


@dataclass(frozen=True, slots=True)
class DedicatedGridSpec:
    """A dedicated grid (专属网格): one of the tiles of a community, serving one institution."""

    street_code: str
    community: str
    name: str
    description: str
    population: int


DISTRICTS: tuple[DistrictSpec, ...] = (
    DistrictSpec(
        "150302",
        "海勃湾区",
        (
            StreetSpec(
                "001",
                "新华街道",
                56_000,
                (39.725, 106.862),
                0.0,
                (
                    "新华社区",
                    "人民路社区",
                    "团结社区",
                    "光明社区",
                    "长青社区",
                    "民生社区",
                    "黄河社区",
                ),
            ),
            StreetSpec(
                "002",
                "新华西街道",
                50_000,
                (39.680, 106.812),
                0.0,
                ("青山社区", "友谊社区", "馨园社区", "康乐社区", "幸福社区", "西城社区"),
            ),
            StreetSpec(
                "003",
                "凤凰岭街道",
                54_000,
                (39.675, 106.865),
                0.0,
                (
                    "凤凰社区",
                    "岭南社区",
                    "兴泰社区",
                    "祥和社区",
                    "金桥社区",
                    "育才社区",
                    "春晖社区",
                ),
            ),
            StreetSpec(
                "004",
                "海北街道",
                62_000,
                (39.775, 106.830),
                0.0,
                (
                    "海北社区",
                    "北山社区",
                    "胜利社区",
                    "广厦社区",
                    "阳光社区",
                    "和谐社区",
                    "朝阳社区",
                    "桃园社区",
                ),
            ),
            StreetSpec(
                "005",
                "滨河街道",
                58_000,
                (39.730, 106.812),
                0.0,
                (
                    "滨河社区",
                    "滨湖社区",
                    "市府社区",
                    "银河社区",
                    "世纪社区",
                    "星海社区",
                    "湖畔社区",
                ),
            ),
            StreetSpec(
                "006",
                "卡布其街道",
                21_800,
                (39.630, 106.845),
                0.0,
                ("卡布其社区", "东山社区", "林荫社区", "绿洲社区"),
            ),
            StreetSpec(
                "100",
                "千里山镇",
                30_000,
                (39.780, 107.020),
                7.0,
                ("千里山社区", "钢城社区", "王元地村", "团结村", "新地村", "千里沟村", "葡萄园村"),
            ),
        ),
    ),
    DistrictSpec(
        "150303",
        "海南区",
        (
            StreetSpec(
                "001",
                "拉僧仲街道",
                30_000,
                (39.478, 106.822),
                0.0,
                ("拉僧仲社区", "新城社区", "学府社区"),
            ),
            StreetSpec(
                "002",
                "西卓子山街道",
                28_000,
                (39.438, 106.838),
                0.0,
                ("西卓社区", "长城社区", "文化社区"),
            ),
            StreetSpec(
                "100", "拉僧庙镇", 16_500, (39.545, 106.880), 5.0, ("拉僧庙社区", "赛汗乌素村")
            ),
            StreetSpec(
                "101",
                "巴音陶亥镇",
                15_000,
                (39.330, 106.690),
                4.0,
                ("巴音陶亥社区", "万亩滩村", "隆胜村"),
            ),
            StreetSpec("102", "公乌素镇", 10_000, (39.360, 106.960), 6.0, ("公乌素社区", "赛汗村")),
        ),
    ),
    DistrictSpec(
        "150304",
        "乌达区",
        (
            StreetSpec(
                "001",
                "三道坎街道",
                19_000,
                (39.480, 106.752),
                0.0,
                ("三道坎社区", "建设社区", "铁路社区"),
            ),
            StreetSpec(
                "002",
                "五虎山街道",
                15_500,
                (39.550, 106.712),
                0.0,
                ("五虎山社区", "矿山社区", "红星社区"),
            ),
            StreetSpec(
                "003",
                "梁家沟街道",
                16_000,
                (39.480, 106.712),
                0.0,
                ("梁家沟社区", "西山社区", "安康社区"),
            ),
            StreetSpec(
                "004",
                "新达街道",
                17_500,
                (39.550, 106.752),
                0.0,
                ("新达社区", "达康社区", "民主社区"),
            ),
            StreetSpec(
                "005",
                "巴音赛街道",
                22_000,
                (39.515, 106.732),
                0.0,
                ("先锋社区", "团结社区", "巴音赛社区", "园林社区"),
            ),
            StreetSpec(
                "006",
                "苏海图街道",
                13_800,
                (39.585, 106.735),
                0.0,
                ("苏海图社区", "煤城社区", "安居社区"),
            ),
            StreetSpec("007", "滨海街道", 14_500, (39.515, 106.768), 0.0, ("滨海社区", "湖滨社区")),
            StreetSpec(
                "100",
                "乌兰淖尔镇",
                7_000,
                (39.720, 106.700),
                6.0,
                ("乌兰淖尔社区", "乌兰淖尔村", "沙井子村"),
            ),
        ),
    ),
)

DEDICATED_GRIDS: tuple[DedicatedGridSpec, ...] = (
    DedicatedGridSpec(
        "150302001",
        "人民路社区",
        "乌海市人民医院专属网格",
        "乌海市人民医院院区：门急诊、住院部和职工宿舍；医患纠纷调解、院区安全与周边秩序。",
        320,
    ),
    DedicatedGridSpec(
        "150302005",
        "湖畔社区",
        "乌海职业技术学院专属网格",
        "乌海职业技术学院校园及学生公寓：校园安全、学生心理支持、周边食品安全。",
        1_600,
    ),
    DedicatedGridSpec(
        "150302004",
        "胜利社区",
        "乌海站专属网格",
        "乌海火车站站区及站前广场：旅客服务、出租车与网约车秩序、治安联防。",
        40,
    ),
    DedicatedGridSpec(
        "150304005",
        "先锋社区",
        "乌达综合批发市场专属网格",
        "乌达综合批发市场：商户经营、食品和计量监管、消防安全、交易纠纷调解。",
        60,
    ),
    DedicatedGridSpec(
        "150303100",
        "拉僧庙社区",
        "乌海经济开发区低碳产业园专属网格",
        "乌海经济开发区低碳产业园：入园企业服务、安全生产、危化品与环保监管。",
        150,
    ),
    DedicatedGridSpec(
        "150303102",
        "公乌素社区",
        "公乌素煤矿专属网格",
        "公乌素煤矿工业广场及职工宿舍区：煤矿安全生产、矿区治安、职工服务。",
        210,
    ),
)
