"""The demo city's departments and intake channels.

City departments (area = the city) come first, then for each district the departments
that exist at district level, then the bodies of the grassroots: each street's office
(街道办事处) or town's government (镇人民政府), key ``JD``, and each community's residents'
committee (社区居民委员会) or village's villagers' committee (村民委员会), key ``SQ``.

Channels: the 41 hotlines merged into 12345, its 22 online channels, the grid workers'
app and the walk-in counters, each hotline tied to the department whose line it was.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

from grids.demo.places import CITY_CODE, DISTRICTS
from grids.demo.plan import AreaPlan, plan_city
from grids.models import AreaLevel, ChannelKind, DepartmentLevel

#: What the merged lines and online channels add up to (Wuhai's published figures).
HOTLINE_COUNT = 41
ONLINE_COUNT = 22

# The first digit of a landline after 0473- in each area (city offices sit in 海勃湾区).
_EXCHANGE = {CITY_CODE: "3", "150302": "3", "150303": "4", "150304": "2"}


@dataclass(frozen=True, slots=True)
class DepartmentSpec:
    """A department or enterprise that takes tickets."""

    code: str
    name: str
    short_name: str
    level: DepartmentLevel
    area_code: str
    sort_order: int

    @property
    def duty_phone(self) -> str:
        """A stable, plausible Wuhai landline."""
        digits = zlib.crc32(self.code.encode()) % 1_000_000
        return f"0473-{_EXCHANGE[self.area_code[:6]]}{digits:06d}"


@dataclass(frozen=True, slots=True)
class ChannelSpec:
    """A way requests come in; ``department`` is the code of the department whose line it was."""

    code: str
    name: str
    kind: ChannelKind
    number: str = ""
    department: str | None = None


# (key, full name, short name) of the city's departments and enterprises.
_CITY_DEPARTMENTS: tuple[tuple[str, str, str], ...] = (
    ("RX", "乌海市12345政务服务便民热线中心", "12345热线中心"),
    ("ZSJ", "乌海市政务服务与数据管理局", "市政数局"),
    ("ZFW", "中共乌海市委政法委员会", "市委政法委"),
    ("MZ", "乌海市民政局", "市民政局"),
    ("CG", "乌海市城市管理综合执法局", "市城管执法局"),
    ("XF", "乌海市信访局", "市信访局"),
    ("SCJG", "乌海市市场监督管理局", "市市场监管局"),
    ("WJ", "乌海市卫生健康委员会", "市卫健委"),
    ("YJ", "乌海市应急管理局", "市应急管理局"),
    ("GA", "乌海市公安局", "市公安局"),
    ("ZJ", "乌海市住房和城乡建设局", "市住建局"),
    ("JT", "乌海市交通运输局", "市交通运输局"),
    ("HJ", "乌海市生态环境局", "市生态环境局"),
    ("RS", "乌海市人力资源和社会保障局", "市人社局"),
    ("ZR", "乌海市自然资源局", "市自然资源局"),
    ("JY", "乌海市教育局", "市教育局"),
    ("YB", "乌海市医疗保障局", "市医保局"),
    ("NM", "乌海市农牧局", "市农牧局"),
    ("SL", "乌海市水务局", "市水务局"),
    ("SF", "乌海市司法局", "市司法局"),
    ("SWJ", "国家税务总局乌海市税务局", "市税务局"),
    ("GJJ", "乌海市住房公积金中心", "市公积金中心"),
    ("TY", "乌海市退役军人事务局", "市退役军人局"),
    ("WL", "乌海市文化旅游体育局", "市文旅体育局"),
    ("FG", "乌海市发展和改革委员会", "市发改委"),
    ("GX", "乌海市工业和信息化局", "市工信局"),
    ("SW", "乌海市商务局", "市商务局"),
    ("CZ", "乌海市财政局", "市财政局"),
    ("SJ", "乌海市审计局", "市审计局"),
    ("TJ", "乌海市统计局", "市统计局"),
    ("LC", "乌海市林业和草原局", "市林草局"),
    ("QX", "乌海市气象局", "市气象局"),
    ("XFZD", "乌海市消防救援支队", "市消防救援支队"),
    ("ZGH", "乌海市总工会", "市总工会"),
    ("FL", "乌海市妇女联合会", "市妇联"),
    ("TSW", "共青团乌海市委员会", "团市委"),
    ("CL", "乌海市残疾人联合会", "市残联"),
    ("RL", "乌海市热力有限责任公司", "市热力公司"),
    ("GS", "乌海市供水有限责任公司", "市供水公司"),
    ("RQ", "乌海市燃气有限责任公司", "市燃气公司"),
    ("GD", "内蒙古电力(集团)有限责任公司乌海供电分公司", "乌海供电公司"),
    ("GJ", "乌海市公共交通有限责任公司", "市公交公司"),
)

# (key, full name, short name) of each district's departments; {d} is the district's name.
_DISTRICT_DEPARTMENTS: tuple[tuple[str, str, str], ...] = (
    ("ZSJ", "{d}政务服务与数据管理局", "{d}政数局"),
    ("ZFW", "中共{d}委政法委员会", "{d}委政法委"),
    ("GA", "乌海市公安局{d}分局", "{d}公安分局"),
    ("CG", "{d}城市管理综合执法局", "{d}城管执法局"),
    ("MZ", "{d}民政局", "{d}民政局"),
    ("XF", "{d}信访局", "{d}信访局"),
    ("SCJG", "乌海市市场监督管理局{d}分局", "{d}市场监管局"),
    ("WJ", "{d}卫生健康委员会", "{d}卫健委"),
    ("YJ", "{d}应急管理局", "{d}应急管理局"),
    ("ZJ", "{d}住房和城乡建设局", "{d}住建局"),
    ("HJ", "乌海市生态环境局{d}分局", "{d}生态环境分局"),
    ("RS", "{d}人力资源和社会保障局", "{d}人社局"),
    ("JY", "{d}教育局", "{d}教育局"),
    ("SF", "{d}司法局", "{d}司法局"),
    ("NM", "{d}农牧局", "{d}农牧局"),
)


#: The keys of the grassroots bodies: a street's or town's, a community's or village's.
STREET_KEY = "JD"
COMMUNITY_KEY = "SQ"


def _city(key: str) -> str:
    return f"{CITY_CODE}-{key}"


def _grassroots(area: AreaPlan, order: int) -> DepartmentSpec:
    """The body of a street or town, or of a community or village."""
    if area.level is AreaLevel.STREET:
        town = area.name.endswith("镇")
        name, short = (
            (f"{area.name}人民政府", f"{area.name}政府")
            if town
            else (f"{area.name}办事处", f"{area.name}办")
        )
        return DepartmentSpec(
            f"{area.code}-{STREET_KEY}", name, short, DepartmentLevel.STREET, area.code, order
        )
    name, short = (
        (f"{area.name}村民委员会", f"{area.name}委会")
        if area.is_village
        else (f"{area.name}居民委员会", f"{area.name}居委会")
    )
    return DepartmentSpec(
        f"{area.code}-{COMMUNITY_KEY}", name, short, DepartmentLevel.COMMUNITY, area.code, order
    )


def departments() -> list[DepartmentSpec]:
    """Every demo department: the city's, each district's, then each street's and each
    community's body, in display order."""
    specs = [
        DepartmentSpec(_city(key), name, short, DepartmentLevel.CITY, CITY_CODE, order)
        for order, (key, name, short) in enumerate(_CITY_DEPARTMENTS, start=1)
    ]
    for district in DISTRICTS:
        specs += [
            DepartmentSpec(
                f"{district.code}-{key}",
                name.format(d=district.name),
                short.format(d=district.name),
                DepartmentLevel.DISTRICT,
                district.code,
                order,
            )
            for order, (key, name, short) in enumerate(_DISTRICT_DEPARTMENTS, start=1)
        ]
    plan = plan_city()
    for level in (AreaLevel.STREET, AreaLevel.COMMUNITY):
        specs += [
            _grassroots(area, order) for order, area in enumerate(plan.by_level(level), start=1)
        ]
    return specs


_H, _O = ChannelKind.HOTLINE, ChannelKind.ONLINE

CHANNELS: tuple[ChannelSpec, ...] = (
    ChannelSpec("HL-12345", "12345 政务服务便民热线", _H, "12345", _city("RX")),
    ChannelSpec("HL-12315", "12315 市场监管投诉举报热线", _H, "12315", _city("SCJG")),
    ChannelSpec("HL-12365", "12365 产品质量投诉举报热线", _H, "12365", _city("SCJG")),
    ChannelSpec("HL-12331", "12331 食品药品投诉举报热线", _H, "12331", _city("SCJG")),
    ChannelSpec("HL-12358", "12358 价格监督举报热线", _H, "12358", _city("SCJG")),
    ChannelSpec("HL-12330", "12330 知识产权保护热线", _H, "12330", _city("SCJG")),
    ChannelSpec("HL-12369", "12369 生态环境投诉举报热线", _H, "12369", _city("HJ")),
    ChannelSpec("HL-12333", "12333 人力资源和社会保障热线", _H, "12333", _city("RS")),
    ChannelSpec("HL-12320", "12320 卫生健康热线", _H, "12320", _city("WJ")),
    ChannelSpec("HL-12356", "12356 心理援助热线", _H, "12356", _city("WJ")),
    ChannelSpec("HL-12319", "12319 城市管理服务热线", _H, "12319", _city("CG")),
    ChannelSpec("HL-12328", "12328 交通运输服务监督热线", _H, "12328", _city("JT")),
    ChannelSpec("HL-12338", "12338 妇女维权公益服务热线", _H, "12338", _city("FL")),
    ChannelSpec("HL-12348", "12348 公共法律服务热线", _H, "12348", _city("SF")),
    ChannelSpec("HL-12351", "12351 职工维权服务热线", _H, "12351", _city("ZGH")),
    ChannelSpec("HL-12336", "12336 自然资源违法举报热线", _H, "12336", _city("ZR")),
    ChannelSpec("HL-12350", "12350 安全生产举报热线", _H, "12350", _city("YJ")),
    ChannelSpec("HL-12329", "12329 住房公积金服务热线", _H, "12329", _city("GJJ")),
    ChannelSpec("HL-12355", "12355 青少年服务热线", _H, "12355", _city("TSW")),
    ChannelSpec("HL-12349", "12349 民政养老服务热线", _H, "12349", _city("MZ")),
    ChannelSpec("HL-12316", "12316 三农服务热线", _H, "12316", _city("NM")),
    ChannelSpec("HL-12317", "12317 防止返贫监测帮扶热线", _H, "12317", _city("NM")),
    ChannelSpec("HL-12314", "12314 水利监督举报热线", _H, "12314", _city("SL")),
    ChannelSpec("HL-12301", "12301 旅游服务热线", _H, "12301", _city("WL")),
    ChannelSpec("HL-12318", "12318 文化市场举报热线", _H, "12318", _city("WL")),
    ChannelSpec("HL-12312", "12312 商务举报投诉热线", _H, "12312", _city("SW")),
    ChannelSpec("HL-12366", "12366 纳税缴费服务热线", _H, "12366", _city("SWJ")),
    ChannelSpec("HL-12393", "12393 医疗保障服务热线", _H, "12393", _city("YB")),
    ChannelSpec("HL-12385", "12385 残疾人服务热线", _H, "12385", _city("CL")),
    ChannelSpec("HL-12337", "12337 政法干警违纪违法举报热线", _H, "12337", _city("ZFW")),
    ChannelSpec("HL-12398", "12398 能源监管投诉举报热线", _H, "12398", _city("FG")),
    ChannelSpec("HL-12340", "12340 统计调查咨询热线", _H, "12340", _city("TJ")),
    ChannelSpec("HL-12389", "12389 公安机关警务监督热线", _H, "12389", _city("GA")),
    ChannelSpec("HL-12119", "12119 森林草原防火举报热线", _H, "12119", _city("LC")),
    ChannelSpec("HL-PETITION", "信访投诉热线", _H, "0473-3961234", _city("XF")),
    ChannelSpec("HL-VETERANS", "退役军人服务热线", _H, "0473-3968890", _city("TY")),
    ChannelSpec("HL-HEATING", "供热服务热线", _H, "0473-3116655", _city("RL")),
    ChannelSpec("HL-WATER", "供水服务热线", _H, "0473-3126543", _city("GS")),
    ChannelSpec("HL-GAS", "燃气服务热线", _H, "0473-3137788", _city("RQ")),
    ChannelSpec("HL-POWER", "95598 供电服务热线", _H, "95598", _city("GD")),
    ChannelSpec("HL-BUS", "公交服务热线", _H, "0473-3145566", _city("GJ")),
    ChannelSpec("OL-PORTAL", "12345 政务服务便民热线网站", _O),
    ChannelSpec("OL-WECHAT-OA", "乌海12345 微信公众号", _O),
    ChannelSpec("OL-WECHAT-MP", "乌海12345 微信小程序", _O),
    ChannelSpec("OL-ALIPAY-MP", "乌海12345 支付宝小程序", _O),
    ChannelSpec("OL-MENGSUBAN", "蒙速办 App", _O),
    ChannelSpec("OL-MENGQITONG", "蒙企通 企业诉求平台", _O),
    ChannelSpec("OL-NMG-PORTAL", "内蒙古政务服务网", _O),
    ChannelSpec("OL-GOV-PORTAL", "国家政务服务平台", _O),
    ChannelSpec("OL-PEOPLE-BOARD", "人民网领导留言板", _O),
    ChannelSpec("OL-GOV-SUPERVISION", "国务院“互联网+督查”平台", _O),
    ChannelSpec("OL-PETITION", "网上信访", _O, department=_city("XF")),
    ChannelSpec("OL-MAYOR-MAILBOX", "市长信箱", _O),
    ChannelSpec("OL-EMAIL", "电子邮件", _O),
    ChannelSpec("OL-SMS", "12345 短信", _O, "12345"),
    ChannelSpec("OL-CHATBOT", "在线智能客服", _O),
    ChannelSpec("OL-VIDEO", "视频客服（手语、适老化）", _O),
    ChannelSpec("OL-WUHAI-FABU", "乌海发布 政务新媒体", _O),
    ChannelSpec("OL-WEIBO", "微博 @乌海12345", _O),
    ChannelSpec("OL-DOUYIN", "抖音 乌海12345", _O),
    ChannelSpec("OL-KUAISHOU", "快手 乌海12345", _O),
    ChannelSpec("OL-TOUTIAO", "今日头条 乌海12345", _O),
    ChannelSpec("OL-MEDIA", "网络问政（乌海新闻网）", _O),
    ChannelSpec("GRID-APP", "网格员采集（网格通 App）", ChannelKind.GRID),
    ChannelSpec(
        "WALKIN-CENTER", "市政务服务中心窗口", ChannelKind.WALK_IN, department=_city("ZSJ")
    ),
    ChannelSpec("WALKIN-12345", "12345 接待窗口", ChannelKind.WALK_IN, department=_city("RX")),
    ChannelSpec(
        "WALKIN-MEDIATION", "矛盾纠纷调处化解中心窗口", ChannelKind.WALK_IN, department=_city("ZFW")
    ),
)
