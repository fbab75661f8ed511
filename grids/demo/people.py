"""The demo city's people: the demo accounts (one per role), and one grid worker per grid with a
plausible name and mobile number, the same on every run."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from accounts.models import Role

DEMO_PASSWORD = "demo"
#: The department demo-department works in, and the grid demo-grid serves.
DEMO_DEPARTMENT = "150300-CG"
DEMO_GRID = "150302001001-G01"
#: The channel demo-integration submits on (the hotline's WeChat mini program).
DEMO_CHANNEL = "OL-WECHAT-MP"
GRID_WORKER_TITLE = "专职网格员"
GRID_WORKER_PREFIX = "gw-"


@dataclass(frozen=True, slots=True)
class DemoAccountSpec:
    """An account anyone may sign in with on a demo server (password :data:`DEMO_PASSWORD`)."""

    username: str
    role: Role
    display_name: str


DEMO_ACCOUNT_SPECS: tuple[DemoAccountSpec, ...] = (
    DemoAccountSpec("demo-admin", Role.ADMIN, "演示管理员"),
    DemoAccountSpec("demo-agent", Role.AGENT, "演示话务员"),
    DemoAccountSpec("demo-department", Role.DEPARTMENT, "演示部门人员"),
    DemoAccountSpec("demo-grid", Role.GRID_WORKER, "演示网格员"),
    DemoAccountSpec("demo-merchant", Role.MERCHANT, "演示商户"),
    DemoAccountSpec("demo-citizen", Role.CITIZEN, "演示市民"),
    DemoAccountSpec("demo-integration", Role.INTEGRATION, "乌海12345 微信小程序"),
    DemoAccountSpec("demo-specialist", Role.SPECIALIST, "演示政策专家"),
)
DEMO_ACCOUNTS: Mapping[str, Role] = {spec.username: spec.role for spec in DEMO_ACCOUNT_SPECS}


@dataclass(frozen=True, slots=True)
class GridWorkerSpec:
    """The grid worker of one grid; signs in only once given a password."""

    username: str
    display_name: str
    phone: str
    grid_code: str


_RANDOM_SEED = 12345
_SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋"
    "蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙"
    "万段雷钱汤尹黎易常武乔贺赖龚文樊岳牛温"
)
_GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉力成志海鹏宇"
    "晓俊慧婷雪琳欣悦佳琪浩然子轩博凯丹蕾春梅秀云凤鑫旭东亮斌宏燕彬嘉瑞"
)
# About one in twenty-five people of Wuhai is Mongolian; their names have no Han surname.
_MONGOLIAN_NAMES = (
    "巴特尔",
    "其其格",
    "乌云",
    "苏日娜",
    "那仁",
    "额尔敦",
    "格日勒",
    "萨仁",
    "斯琴",
    "宝音",
    "阿拉坦",
    "乌日娜",
    "图雅",
    "朝鲁",
    "孟和",
    "哈斯",
    "娜仁花",
    "包玉梅",
)
_MOBILE_PREFIXES = (
    "139",
    "138",
    "135",
    "136",
    "150",
    "151",
    "152",
    "158",
    "159",
    "182",
    "183",
    "187",
    "133",
    "153",
    "177",
    "180",
    "189",
    "191",
    "155",
    "186",
)


def person_name(rng: random.Random) -> str:
    """A plausible name of a Wuhai resident (Han or Mongolian)."""
    if rng.random() < 0.04:
        return rng.choice(_MONGOLIAN_NAMES)
    given = "".join(rng.choice(_GIVEN) for _ in range(rng.choice((1, 2, 2))))
    return rng.choice(_SURNAMES) + given


def mobile_number(rng: random.Random, taken: set[str]) -> str:
    """A plausible mobile number not in ``taken`` (which it joins)."""
    phone = ""
    while not phone or phone in taken:
        phone = rng.choice(_MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"
    taken.add(phone)
    return phone


def grid_workers(grid_codes: Sequence[str]) -> list[GridWorkerSpec]:
    """One grid worker per grid, in the order given (names and phones depend on the order)."""
    rng = random.Random(_RANDOM_SEED)
    phones: set[str] = set()
    return [
        GridWorkerSpec(
            f"{GRID_WORKER_PREFIX}{code.lower()}",
            person_name(rng),
            mobile_number(rng, phones),
            code,
        )
        for code in grid_codes
    ]
