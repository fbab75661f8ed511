"""The 12345 hotline's category tree as plain data: 一级 › 二级 › 三级.

Every node has a stable dotted code (``URBAN``, ``URBAN.CITYSCAPE``,
``URBAN.CITYSCAPE.STREET_VENDING``). Leaves carry what routing and the SLA clock need:
the key of the responsible department (see :mod:`grids.demo.catalogue`; routing takes
the body with that key nearest the ticket's place, see :mod:`tickets.routing`),
the safety-index dimension the ticket counts towards, optional deadline overrides in
working days, an urgency hint and the keywords agents type.

The data below is an outline, one row per node: a root (一级), then each of its groups
(二级) followed by their leaves (三级). A leaf takes its group's department and dimension
unless it names its own; the few deadline overrides and urgency hints follow in a table,
and so do the leaves the grassroots bodies handle: the community's or village's committee
(``SQ``) and the street office or town government (``JD``) of the ticket's own place.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

# The eight dimensions of the safety index (平安指数).
_ORDER = "PUBLIC_ORDER"  # 社会治安
_DISPUTES = "DISPUTES"  # 矛盾纠纷
_WORK_SAFETY = "PRODUCTION_SAFETY"  # 生产安全
_ECOLOGY = "ECOLOGY"  # 生态环境
_POLITICAL = "POLITICAL_SECURITY"  # 政治安全
_FOOD_DRUG = "FOOD_DRUG_SAFETY"  # 食药安全
_ECONOMY = "ECONOMIC_SECURITY"  # 经济安全
_SERVICES = "SOCIAL_SERVICES"  # 社会服务

SAFETY_DIMENSIONS: tuple[str, ...] = (
    _ORDER,
    _DISPUTES,
    _WORK_SAFETY,
    _ECOLOGY,
    _POLITICAL,
    _FOOD_DRUG,
    _ECONOMY,
    _SERVICES,
)

_URGENT = "URGENT"
_CRITICAL = "CRITICAL"


@dataclass(frozen=True, slots=True)
class CategorySpec:
    """A node of the category tree; only leaves have a department and keywords."""

    code: str
    name: str
    name_en: str
    parent: str | None
    department: str | None = None
    dimension: str | None = None
    reply_days: int | None = None
    complete_days: int | None = None
    urgency_hint: str | None = None
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _Root:
    key: str
    name: str
    name_en: str


@dataclass(frozen=True, slots=True)
class _Group:
    key: str
    name: str
    name_en: str
    dept: str
    dim: str | None


@dataclass(frozen=True, slots=True)
class _Leaf:
    key: str
    name: str
    name_en: str
    keywords: str  # space-separated
    dept: str | None = None  # None: the group's
    dim: str | None = None  # None: the group's


_ROWS: tuple[_Root | _Group | _Leaf, ...] = (
    _Root("HEATING", "供热", "Heating"),
    _Group("QUALITY", "供热质量", "Heating quality", "RL", _SERVICES),
    _Leaf("ROOM_COLD", "暖气不热", "Radiators not warm", "暖气不热 室温低 不达标"),
    _Leaf("OUTAGE", "停暖", "No heating", "停暖 停止供热 没有暖气"),
    _Leaf("PIPE_LEAK", "供热管道漏水", "Heating pipe leak", "暖气漏水 管道漏水 跑水"),
    _Leaf("EQUIPMENT", "暖气片及阀门故障", "Radiator and valve faults", "暖气片 阀门 放气 排气阀"),
    _Group("FEES", "供热收费", "Heating charges", "RL", _SERVICES),
    _Leaf("CHARGES", "收费标准及缴费", "Rates and payment", "取暖费 供热费 收费标准 缴费"),
    _Leaf("SUSPENSION", "报停与恢复供热", "Suspend or resume supply", "报停 停供 恢复供热 开栓"),
    _Leaf("REFUND", "供热退费", "Heating refunds", "退费 退取暖费 不热退费"),
    _Group("SERVICE", "供热服务", "Heating service", "RL", _SERVICES),
    _Leaf("NEW_ESTATES", "新建小区未供热", "New estates not connected", "入网 并网 新小区 未通暖"),
    _Leaf("REPAIRS", "报修服务", "Repair service", "报修 维修不及时 上门 服务态度"),
    _Leaf("NETWORK_WORKS", "供热管网施工", "Heating network works", "管网改造 开挖 施工 恢复路面"),
    _Root("UTILITIES", "公用事业", "Public utilities"),
    _Group("WATER", "供水", "Water supply", "GS", _SERVICES),
    _Leaf("OUTAGE", "停水", "Water outage", "停水 没水 断水"),
    _Leaf("LOW_PRESSURE", "水压低", "Low water pressure", "水压低 水小 高层没水"),
    _Leaf("QUALITY", "水质异常", "Water quality", "水质 水黄 浑浊 异味"),
    _Leaf("PIPE_BURST", "供水管道破裂", "Burst water main", "爆管 管道破裂 跑水"),
    _Leaf("BILLING", "水费及水表", "Water bills and meters", "水费 水表 抄表 预付费"),
    _Group("DRAINAGE", "排水", "Drainage", "CG", _SERVICES),
    _Leaf("SEWAGE_OVERFLOW", "污水外溢", "Sewage overflow", "污水外溢 返水 化粪池", dim=_ECOLOGY),
    _Leaf("BLOCKED", "排水管网堵塞", "Blocked drains", "下水道堵塞 雨水井 疏通"),
    _Leaf("WATERLOGGING", "道路积水", "Waterlogged roads", "积水 内涝 排水不畅"),
    _Group("GAS_SAFETY", "燃气安全", "Gas safety", "RQ", _WORK_SAFETY),
    _Leaf("LEAK", "燃气泄漏", "Gas leak", "燃气泄漏 煤气味 漏气 天然气味"),
    _Leaf("HAZARD", "燃气安全隐患", "Gas safety hazards", "燃气隐患 软管老化 私改燃气管道"),
    _Leaf("BOTTLED", "瓶装液化气", "Bottled gas", "液化气 煤气罐 非法充装", dept="ZJ"),
    _Group("GAS_SERVICE", "燃气服务", "Gas service", "RQ", _SERVICES),
    _Leaf("OUTAGE", "停气", "Gas outage", "停气 没气 燃气停供"),
    _Leaf("CONNECTION", "燃气开户及通气", "Accounts and connection", "开户 通气 点火 安装"),
    _Leaf("BILLING", "燃气费及燃气表", "Gas bills and meters", "燃气费 气表 充值 IC卡"),
    _Group("POWER", "供电", "Power supply", "GD", _SERVICES),
    _Leaf("OUTAGE", "停电", "Power outage", "停电 没电 断电"),
    _Leaf("VOLTAGE", "电压不稳", "Unstable voltage", "电压低 电压不稳 忽明忽暗"),
    _Leaf("HAZARD", "电力设施隐患", "Power line hazards", "电线裸露 电线杆倾斜", dim=_WORK_SAFETY),
    _Leaf("BILLING", "电费及电表", "Electricity bills and meters", "电费 电表 阶梯电价"),
    _Leaf("CONNECTION", "用电报装", "New connections", "报装 增容 充电桩 过户"),
    _Root("PROPERTY", "物业管理", "Property management"),
    _Group("SERVICE", "物业服务", "Property services", "ZJ", _SERVICES),
    _Leaf("QUALITY", "物业服务质量", "Service quality", "物业不作为 保洁 保安 服务差"),
    _Leaf("FEES", "物业收费", "Property fees", "物业费 乱收费 公摊 收费标准", dim=_DISPUTES),
    _Leaf("SHARED_FACILITIES", "共用设施维修", "Shared repairs", "楼道 单元门 屋顶漏水 维修"),
    _Leaf("ABANDONED", "弃管小区", "Abandoned estates", "物业撤场 弃管 无物业", dim=_DISPUTES),
    _Group("FUND", "维修基金", "Maintenance fund", "ZJ", _SERVICES),
    _Leaf("USE", "维修基金使用", "Use of the fund", "维修基金 使用 申请 电梯更换"),
    _Leaf("DEPOSITS", "维修基金缴存及退还", "Deposits and refunds", "维修基金 缴存 退还 查询"),
    _Group("OWNERS_COMMITTEE", "业委会", "Owners' committee", "ZJ", _DISPUTES),
    _Leaf("ELECTION", "业委会成立及换届", "Formation and elections", "业委会 成立 换届 业主大会"),
    _Leaf("CONDUCT", "业委会履职", "Committee conduct", "业委会 公共收益 账目 公示"),
    _Group("PARKING", "小区停车", "Estate parking", "ZJ", _DISPUTES),
    _Leaf("SPACES", "车位销售及租赁", "Sale and rental of spaces", "车位 只租不售 车位价格"),
    _Leaf("FEES", "小区停车收费", "Estate parking fees", "停车费 小区停车 收费"),
    _Leaf("LOCKS", "私装地锁及占用车位", "Parking locks and occupied spaces", "地锁 占车位 僵尸车"),
    _Root("HOUSING", "住房城乡建设", "Housing and construction"),
    _Group("QUALITY", "房屋质量", "Building quality", "ZJ", _DISPUTES),
    _Leaf("DEFECTS", "房屋质量问题", "Construction defects", "漏水 墙体开裂 渗水 质量问题"),
    _Leaf("WARRANTY", "保修期内维修", "Repairs under warranty", "保修 开发商不维修 保修期"),
    _Group("SAFETY", "房屋安全", "Building safety", "ZJ", _WORK_SAFETY),
    _Leaf("DANGEROUS", "危房隐患", "Unsafe buildings", "危房 裂缝 倾斜"),
    _Leaf("STRUCTURE", "破坏房屋承重结构", "Damage to load-bearing walls", "承重墙 拆墙 破坏结构"),
    _Leaf("FACADES", "外墙及附属物脱落", "Falling facades", "外墙脱落 保温层 墙皮 高空坠物"),
    _Group("CERTIFICATES", "房产办证", "Property certificates", "ZJ", _DISPUTES),
    _Leaf("OVERDUE", "逾期未办证", "Certificates overdue", "办不了证 房产证 不动产证 逾期"),
    _Leaf("REGISTRATION", "不动产登记", "Land registry", "过户 抵押", dept="ZR", dim=_SERVICES),
    _Group("MARKET", "房地产市场", "Property market", "ZJ", _DISPUTES),
    _Leaf("LATE_DELIVERY", "延期交房", "Late delivery", "延期交房 烂尾 停工 交房"),
    _Leaf("SALES", "商品房销售", "Home sales", "虚假宣传 捆绑销售 定金 捂盘", dim=_ECONOMY),
    _Leaf("RENTAL", "房屋租赁", "Rentals", "租房 押金 中介 租赁纠纷"),
    _Group("DEMOLITION", "征收拆迁", "Expropriation and demolition", "ZJ", _DISPUTES),
    _Leaf("COMPENSATION", "征收补偿", "Compensation", "拆迁补偿 征收 补偿标准 棚改"),
    _Leaf("RESETTLEMENT", "回迁安置", "Resettlement", "回迁 安置房 过渡费"),
    _Group("SUPPORT", "住房保障", "Housing support", "ZJ", _SERVICES),
    _Leaf("PUBLIC_RENTAL", "公租房", "Public rental housing", "公租房 廉租房 申请 配租"),
    _Leaf("RENOVATION", "老旧小区改造", "Old estate renovation", "老旧小区改造 加装电梯 外墙保温"),
    _Group("PROVIDENT_FUND", "住房公积金", "Housing provident fund", "GJJ", _SERVICES),
    _Leaf("WITHDRAWAL", "公积金提取", "Withdrawals", "公积金提取 租房提取 销户"),
    _Leaf("LOANS", "公积金贷款", "Loans", "公积金贷款 额度 还款"),
    _Leaf("CONTRIBUTIONS", "公积金缴存", "Contributions", "单位未缴 补缴", dim=_DISPUTES),
    _Root("LABOUR", "劳动和社会保障", "Labour and social security"),
    _Group("WAGES", "拖欠工资", "Wage arrears", "RS", _DISPUTES),
    _Leaf("MIGRANT_WORKERS", "拖欠农民工工资", "Migrant workers' pay", "农民工 讨薪 工地 包工头"),
    _Leaf("EMPLOYEES", "企业拖欠工资", "Unpaid wages", "拖欠工资 欠薪 不发工资"),
    _Leaf("DEDUCTIONS", "克扣工资及最低工资", "Deductions and minimum wage", "克扣工资 最低工资"),
    _Group("RELATIONS", "劳动关系", "Employment relations", "RS", _DISPUTES),
    _Leaf("CONTRACTS", "劳动合同", "Employment contracts", "劳动合同 未签合同 试用期"),
    _Leaf("DISMISSAL", "解除劳动合同", "Dismissal", "辞退 开除 经济补偿 违法解除"),
    _Leaf("HOURS", "工时及休息休假", "Working hours and leave", "加班 加班费 年休假 产假"),
    _Leaf("ARBITRATION", "劳动仲裁", "Labour arbitration", "劳动仲裁 仲裁 立案"),
    _Group("SOCIAL_INSURANCE", "社会保险", "Social insurance", "RS", _SERVICES),
    _Leaf("CONTRIBUTIONS", "社保缴纳", "Contributions", "社保 未缴社保 断缴 补缴"),
    _Leaf("TRANSFER", "社保转移接续", "Transfers", "社保转移 异地 接续"),
    _Leaf("WORK_INJURY", "工伤认定及待遇", "Work injury", "工伤 工伤认定 伤残鉴定"),
    _Leaf("UNEMPLOYMENT", "失业保险", "Unemployment insurance", "失业金 失业保险 领取"),
    _Group("PENSIONS", "养老保险", "Pensions", "RS", _SERVICES),
    _Leaf("PAYMENT", "养老金发放", "Pension payments", "养老金 退休金 调整 没到账"),
    _Leaf("RETIREMENT", "退休审批", "Retirement approval", "办理退休 工龄 档案"),
    _Leaf("RESIDENTS", "城乡居民养老保险", "Residents' pension scheme", "城乡居民养老 缴费档次"),
    _Group("MEDICAL_INSURANCE", "医疗保障", "Medical insurance", "YB", _SERVICES),
    _Leaf("ENROLMENT", "医保参保缴费", "Enrolment and contributions", "医保缴费 参保 居民医保"),
    _Leaf("REIMBURSEMENT", "医保报销", "Reimbursement", "报销 异地就医 门诊统筹 慢病"),
    _Leaf("CARD", "医保卡及医保码", "Insurance card and code", "医保卡 医保码 电子凭证"),
    _Leaf("FRAUD", "骗取医保基金", "Insurance fraud", "骗保 套刷 虚假住院", dim=_ECONOMY),
    _Group("EMPLOYMENT", "就业创业", "Employment", "RS", _SERVICES),
    _Leaf("JOB_SERVICES", "就业服务", "Job services", "找工作 招聘会 就业登记 灵活就业"),
    _Leaf("TRAINING", "职业技能培训", "Vocational training", "技能培训 培训补贴 证书"),
    _Leaf("STARTUPS", "创业扶持", "Start-up support", "创业 创业担保贷款 补贴"),
    _Root("NOISE", "噪音扰民", "Noise"),
    _Group("CONSTRUCTION", "施工噪音", "Construction noise", "CG", _ECOLOGY),
    _Leaf("NIGHT_WORK", "夜间施工噪音", "Night-time works", "夜间施工 施工噪音 扰民 打桩"),
    _Leaf("SITES", "建筑工地噪音", "Building site noise", "工地 噪音 机械 切割"),
    _Group("SOCIAL", "社会生活噪音", "Neighbourhood noise", "GA", _ORDER),
    _Leaf("NEIGHBOURS", "邻里噪音", "Neighbours", "楼上噪音 邻居 吵闹", dim=_DISPUTES),
    _Leaf("SQUARE_DANCE", "广场舞噪音", "Square dancing", "广场舞 音响 晨练"),
    _Leaf("RENOVATION", "装修噪音", "Home renovation", "装修 电钻 砸墙 午休"),
    _Group("COMMERCIAL", "商业噪音", "Commercial noise", "CG", _ECOLOGY),
    _Leaf("LOUDSPEAKERS", "商铺高音喇叭", "Shop loudspeakers", "喇叭 叫卖 音响 促销"),
    _Leaf("VENUES", "娱乐场所噪音", "Bars and KTV", "KTV 酒吧 烧烤 夜市", dept="GA", dim=_ORDER),
    _Leaf("EQUIPMENT", "商用设备噪音", "Commercial equipment", "空调外机 冷却塔 风机", dept="HJ"),
    _Group("TRAFFIC_INDUSTRY", "交通及工业噪音", "Traffic and industrial noise", "HJ", _ECOLOGY),
    _Leaf("STREET_RACING", "改装车炸街", "Loud cars", "炸街 改装车 鸣笛", dept="GA", dim=_ORDER),
    _Leaf("INDUSTRIAL", "工业噪音", "Industrial noise", "工厂噪音 厂区 机器"),
    _Root("MARKET", "市场监管", "Market supervision"),
    _Group("FOOD", "食品安全", "Food safety", "SCJG", _FOOD_DRUG),
    _Leaf("CATERING", "餐饮卫生", "Restaurant hygiene", "餐馆 卫生差 后厨 苍蝇"),
    _Leaf("POISONING", "食物中毒", "Food poisoning", "食物中毒 腹泻 呕吐 吃坏肚子"),
    _Leaf("EXPIRED", "过期变质食品", "Expired or spoiled food", "过期 变质 发霉 保质期"),
    _Leaf("WORKSHOPS", "无证食品生产经营", "Unlicensed food production", "小作坊 黑作坊 地沟油"),
    _Leaf("DELIVERY", "网络订餐", "Online food delivery", "外卖 网络订餐 平台"),
    _Group("DRUGS", "药品医疗器械化妆品", "Drugs, devices and cosmetics", "SCJG", _FOOD_DRUG),
    _Leaf("QUALITY", "药品质量", "Drug quality", "假药 劣药 药品质量"),
    _Leaf("PHARMACIES", "药店经营", "Pharmacies", "药店 处方药 药价"),
    _Leaf("DEVICES_COSMETICS", "医疗器械及化妆品", "Devices and cosmetics", "医疗器械 化妆品 过敏"),
    _Group("PRICES", "价格监管", "Prices", "SCJG", _ECONOMY),
    _Leaf("GOUGING", "哄抬物价", "Price gouging", "涨价 哄抬 高价"),
    _Leaf("LABELLING", "明码标价", "Price labelling", "明码标价 价签 价格欺诈"),
    _Leaf("FEES", "违规收费", "Improper charges", "乱收费 强制收费 收费不合理"),
    _Group("CONSUMER", "消费维权", "Consumer rights", "SCJG", _DISPUTES),
    _Leaf("GOODS", "商品质量纠纷", "Faulty goods", "质量问题 退货 换货 三包"),
    _Leaf("SERVICES", "服务消费纠纷", "Service disputes", "服务纠纷 维修 美容美发 婚庆"),
    _Leaf("PREPAID_CARDS", "预付卡退费", "Prepaid card refunds", "预付卡 办卡 退费 健身房 跑路"),
    _Leaf("ONLINE", "网络购物纠纷", "Online shopping", "网购 电商 直播带货 七天无理由"),
    _Group("ORDER", "市场秩序", "Market order", "SCJG", _ECONOMY),
    _Leaf("FALSE_ADVERTISING", "虚假广告", "False advertising", "虚假广告 夸大宣传 保健品"),
    _Leaf("COUNTERFEITS", "假冒伪劣", "Counterfeits", "假货 假冒 商标 伪劣"),
    _Leaf("UNLICENSED", "无照经营", "Unlicensed business", "无照 营业执照 无证经营"),
    _Leaf("PYRAMID_SELLING", "传销", "Pyramid selling", "传销 拉人头 非法直销"),
    _Leaf("MEASURES", "计量", "Weights and measures", "缺斤短两 计量 加油机 秤"),
    _Group("SPECIAL_EQUIPMENT", "特种设备", "Special equipment", "SCJG", _WORK_SAFETY),
    _Leaf("ELEVATOR_TRAPPED", "电梯困人", "People trapped in a lift", "电梯困人 被困 关在电梯"),
    _Leaf("ELEVATOR_FAULTS", "电梯故障", "Lift faults", "电梯故障 电梯停运 年检 异响"),
    _Leaf("BOILERS", "锅炉及压力容器", "Boilers and pressure vessels", "锅炉 压力容器 气瓶"),
    _Leaf("RIDES", "游乐设施", "Amusement rides", "游乐设施 游乐场 滑梯"),
    _Root("TRANSPORT", "交通运输", "Transport"),
    _Group("BUS", "公共交通", "Buses", "GJ", _SERVICES),
    _Leaf("ROUTES", "线路站点", "Routes and stops", "公交线路 站点 增设 调整"),
    _Leaf("SERVICE", "公交服务", "Bus service", "司机态度 甩站 拒载 开车猛"),
    _Leaf("TIMETABLE", "发车班次", "Timetables", "班次 间隔 末班车 等车"),
    _Group("TAXI", "出租车及网约车", "Taxis and ride-hailing", "JT", _SERVICES),
    _Leaf("REFUSAL", "拒载议价", "Refusals and haggling", "拒载 议价 拼车 不打表"),
    _Leaf("OVERCHARGING", "绕路多收费", "Detours and overcharging", "绕路 多收费 发票 计价器"),
    _Leaf("UNLICENSED", "非法营运", "Unlicensed cabs", "黑车 非法营运 无证", dim=_ORDER),
    _Leaf("LOST_PROPERTY", "乘车遗失物品", "Lost property", "丢东西 落车上 失物"),
    _Group("ROADS", "道路设施", "Roads", "ZJ", _WORK_SAFETY),
    _Leaf("DAMAGE", "道路破损", "Damaged roads", "坑洼 破损 路面"),
    _Leaf("COLLAPSE", "路面塌陷", "Road collapse", "塌陷 下沉 大坑"),
    _Leaf("WORKS", "道路施工", "Road works", "占道施工 开挖 围挡 未恢复"),
    _Leaf("HIGHWAYS", "公路养护", "Highway maintenance", "国道 省道 公路 养护", dept="JT"),
    _Group("TRAFFIC", "交通管理", "Traffic control", "GA", _ORDER),
    _Leaf("SIGNALS", "交通信号灯", "Traffic lights", "红绿灯 信号灯 故障 配时"),
    _Leaf("MARKINGS", "交通标志标线", "Signs and markings", "标志 标线 斑马线 减速带"),
    _Leaf("CONGESTION", "交通拥堵", "Congestion", "堵车 拥堵 学校门口"),
    _Group("PARKING", "停车管理", "Parking", "CG", _SERVICES),
    _Leaf("ILLEGAL", "违章停车", "Illegal parking", "乱停车 违停 堵门", dept="GA", dim=_ORDER),
    _Leaf("CHARGES", "停车收费", "Parking charges", "停车费 道路停车 停车场"),
    _Leaf("SHORTAGE", "停车位不足", "Too few spaces", "停车难 停车位 规划"),
    _Leaf("ABANDONED", "僵尸车", "Abandoned vehicles", "僵尸车 废弃车辆 长期停放", dim=_ORDER),
    _Group("FREIGHT", "道路货运", "Freight", "JT", _WORK_SAFETY),
    _Leaf("OVERLOADING", "超限超载", "Overloaded trucks", "超载 超限 大货车 拉煤车"),
    _Leaf("DANGEROUS_GOODS", "危险货物运输", "Dangerous goods transport", "危化品运输 槽罐车"),
    _Root("ENVIRONMENT", "生态环境", "Environment"),
    _Group("AIR", "大气污染", "Air pollution", "HJ", _ECOLOGY),
    _Leaf("EMISSIONS", "企业废气排放", "Industrial emissions", "废气 冒黑烟 烟囱 焦化"),
    _Leaf("ODOUR", "异味", "Odours", "异味 臭味 刺鼻"),
    _Leaf("CATERING_FUMES", "餐饮油烟", "Cooking fumes", "油烟 烧烤 饭店", dept="CG"),
    _Leaf("OPEN_BURNING", "露天焚烧", "Open burning", "焚烧 烧垃圾 烧秸秆 冒烟", dept="CG"),
    _Group("WATER", "水污染", "Water pollution", "HJ", _ECOLOGY),
    _Leaf("DISCHARGE", "企业偷排", "Illegal discharge", "偷排 排污 废水 暗管"),
    _Leaf("WATER_BODIES", "河湖水体污染", "Rivers and lakes", "黄河 乌海湖 黑臭水体"),
    _Group("DUST", "扬尘污染", "Dust", "CG", _ECOLOGY),
    _Leaf("SITES", "工地扬尘", "Construction site dust", "工地扬尘 未苫盖 裸土", dept="ZJ"),
    _Leaf("ROADS", "道路扬尘及渣土撒漏", "Road dust and spilt muck", "渣土车 撒漏 道路扬尘 洒水"),
    _Leaf("STOCKPILES", "煤场料场扬尘", "Coal and stock yards", "煤场 堆场 料场 煤灰", dept="HJ"),
    _Group("WASTE", "垃圾处理", "Waste", "CG", _ECOLOGY),
    _Leaf("COLLECTION", "生活垃圾清运", "Refuse collection", "垃圾 清运不及时 垃圾桶 满溢"),
    _Leaf("SORTING", "垃圾分类", "Waste sorting", "垃圾分类 混装 分类收集"),
    _Leaf("CONSTRUCTION_WASTE", "建筑垃圾乱倒", "Dumped building waste", "建筑垃圾 乱倒 偷倒"),
    _Leaf("HAZARDOUS", "危险废物", "Hazardous waste", "危废 工业固废 废渣 医疗废物", dept="HJ"),
    _Group("NATURE", "生态保护", "Nature protection", "ZR", _ECOLOGY),
    _Leaf("MINING", "非法采矿采砂", "Illegal mining and sand digging", "盗采 采砂 挖沙 私挖滥采"),
    _Leaf("LAND", "违法占地", "Illegal land use", "占用耕地 违法用地 乱占"),
    _Leaf("GRASSLAND", "毁林毁草", "Forest and grassland", "毁草 毁林 砍树 开荒", dept="LC"),
    _Leaf("WILDLIFE", "野生动物保护", "Wildlife", "野生动物 捕猎 贩卖", dept="LC"),
    _Root("URBAN", "城市管理", "Urban management"),
    _Group("CITYSCAPE", "市容环境", "Cityscape", "CG", _ORDER),
    _Leaf("STREET_VENDING", "占道经营", "Street vending", "占道经营 摆摊 流动摊贩 早市"),
    _Leaf("OUTSIDE_SHOPS", "店外经营", "Trading outside shops", "出店经营 店外 乱堆乱放"),
    _Leaf("SIGNBOARDS", "户外广告招牌", "Billboards and signs", "广告牌 招牌 条幅 脱落"),
    _Leaf("FLYERS", "乱贴乱画", "Flyposting and graffiti", "小广告 乱贴 乱画 喷涂"),
    _Group("ILLEGAL_BUILDING", "违章搭建", "Unauthorised building", "CG", _ORDER),
    _Leaf("STRUCTURES", "私搭乱建", "Unauthorised structures", "违建 彩钢房 阳光房 加盖"),
    _Leaf("PUBLIC_LAND", "圈占公共用地", "Enclosed public land", "圈地 占用绿地 围墙 种菜"),
    _Group("SANITATION", "环境卫生", "Sanitation", "CG", _SERVICES),
    _Leaf("CLEANING", "道路保洁", "Street cleaning", "保洁 清扫 卫生差"),
    _Leaf("TOILETS", "公共厕所", "Public toilets", "公厕 厕所 脏 未开放"),
    _Leaf("SNOW", "清雪除冰", "Snow and ice", "积雪 结冰 清雪 路滑", dim=_WORK_SAFETY),
    _Group("GREENING", "园林绿化", "Greening", "CG", _ECOLOGY),
    _Leaf("DAMAGE", "毁绿占绿", "Damage to green space", "破坏绿地 占绿 踩踏"),
    _Leaf("TREES", "树木修剪及倒伏", "Trees", "树枝 修剪 倒伏 枯树"),
    _Leaf("PARKS", "公园广场", "Parks and squares", "公园 广场 健身器材", dim=_SERVICES),
    _Leaf("PESTS", "园林病虫害", "Plant pests", "病虫害 虫子 喷药 杨絮"),
    _Group("FACILITIES", "市政设施", "Municipal facilities", "CG", _WORK_SAFETY),
    _Leaf("STREETLIGHTS", "路灯不亮", "Streetlights", "路灯不亮 路灯 景观灯", dim=_SERVICES),
    _Leaf("MANHOLES", "井盖缺失破损", "Manhole covers", "井盖 丢失 破损 松动"),
    _Leaf("FURNITURE", "公共设施损坏", "Damaged street furniture", "护栏 座椅 盲道 设施损坏"),
    _Group("ANIMALS", "犬只管理", "Dogs and stray animals", "GA", _ORDER),
    _Leaf("DOGS", "不文明养犬", "Dog owners", "遛狗不拴绳 狗咬人 犬只 扰民"),
    _Leaf("STRAYS", "流浪动物", "Stray animals", "流浪狗 流浪猫 伤人", dept="CG"),
    _Root("SECURITY", "公共安全", "Public security"),
    _Group("ORDER", "社会治安", "Public order", "GA", _ORDER),
    _Leaf("HAZARDS", "治安隐患", "Public order concerns", "治安 打架 醉酒 可疑人员"),
    _Leaf("GAMBLING_VICE", "涉赌涉黄线索", "Gambling and vice", "赌博 涉黄 棋牌室"),
    _Leaf("GANGS", "涉黑涉恶线索", "Organised crime", "黑恶 恶势力 强迫交易 高利贷", dept="ZFW"),
    _Leaf("DRUGS", "涉毒线索", "Illegal drugs", "吸毒 贩毒 毒品"),
    _Group("FRAUD", "诈骗", "Fraud", "GA", _ECONOMY),
    _Leaf("TELECOM", "电信网络诈骗", "Phone and online fraud", "诈骗 电话诈骗 刷单 冒充"),
    _Leaf("FUNDRAISING", "非法集资", "Illegal fundraising", "非法集资 高息 理财 投资跑路"),
    _Leaf("ELDERLY", "养老诈骗", "Fraud against the elderly", "养老诈骗 保健品 老年人"),
    _Group("FIRE", "消防安全", "Fire safety", "XFZD", _WORK_SAFETY),
    _Leaf("ESCAPE_ROUTES", "消防通道堵塞", "Blocked fire lanes", "消防通道 堵塞 安全出口"),
    _Leaf("HAZARDS", "火灾隐患", "Fire hazards", "火灾隐患 灭火器 消火栓"),
    _Leaf("EBIKE_CHARGING", "电动车违规充电", "E-bike charging", "飞线充电 电动车 楼道充电"),
    _Group("STABILITY", "社会稳定", "Social stability", "GA", _POLITICAL),
    _Leaf("CULTS", "邪教及非法宗教活动", "Cults and illegal religion", "邪教 非法宗教 传教"),
    _Leaf("GATHERINGS", "群体性事件苗头", "Signs of mass incidents", "聚集 集体上访", dept="ZFW"),
    _Leaf("RUMOURS", "网络谣言及有害信息", "Rumours and harmful content", "谣言 有害信息 反动"),
    _Root("DISPUTES", "矛盾纠纷", "Disputes"),
    _Group("CIVIL", "民间纠纷", "Civil disputes", "SF", _DISPUTES),
    _Leaf("NEIGHBOURS", "邻里纠纷", "Neighbours", "邻里纠纷 邻居 采光 漏水"),
    _Leaf("FAMILY", "婚姻家庭纠纷", "Marriage and family", "家庭矛盾 赡养 抚养 继承"),
    _Leaf("DEBTS", "债务合同纠纷", "Debts and contracts", "借钱不还 欠款 合同"),
    _Group("RIGHTS", "权益保障", "Rights protection", "FL", _DISPUTES),
    _Leaf("DOMESTIC_VIOLENCE", "家庭暴力", "Domestic violence", "家暴 殴打 家庭暴力", dim=_ORDER),
    _Leaf("WOMEN", "妇女权益", "Women's rights", "妇女权益 性别歧视 孕期"),
    _Leaf("MINORS", "未成年人保护", "Minors", "未成年人 虐待 校园欺凌", dept="TSW"),
    _Leaf("LEGAL_AID", "法律援助", "Legal aid", "法律援助 律师 打官司", dept="SF", dim=_SERVICES),
    _Root("EDUCATION", "教育", "Education"),
    _Group("ENROLMENT", "招生入学", "Enrolment", "JY", _SERVICES),
    _Leaf("SCHOOL_PLACES", "义务教育入学", "School places", "入学 划片 学区 报名"),
    _Leaf("KINDERGARTEN", "幼儿园入园", "Kindergarten places", "幼儿园 入园 普惠"),
    _Leaf("TRANSFERS", "转学及学籍", "Transfers and records", "转学 学籍 借读"),
    _Group("FEES", "教育收费与资助", "Fees and student aid", "JY", _SERVICES),
    _Leaf("SCHOOL_FEES", "学校乱收费", "Improper school fees", "乱收费 资料费 校服", dim=_ECONOMY),
    _Leaf("TUTORING", "校外培训", "Private tutoring", "培训机构 退费 补课", dim=_DISPUTES),
    _Leaf("STUDENT_AID", "学生资助", "Student aid", "助学金 资助 困难学生"),
    _Group("SCHOOLS", "学校管理", "School management", "JY", _SERVICES),
    _Leaf("TEACHERS", "师德师风", "Teachers' conduct", "体罚 师德 有偿补课 收礼"),
    _Leaf("SAFETY", "校园安全", "School safety", "校园安全 欺凌 校门口", dim=_ORDER),
    _Leaf("CANTEENS", "学校食堂", "School canteens", "食堂 营养餐", dept="SCJG", dim=_FOOD_DRUG),
    _Leaf("WORKLOAD", "作息及课业负担", "Hours and homework", "作业多 作息 放学时间 课后服务"),
    _Root("HEALTH", "医疗卫生", "Health"),
    _Group("HOSPITALS", "医院服务", "Hospital services", "WJ", _SERVICES),
    _Leaf("ATTITUDE", "医务人员服务态度", "Staff attitude", "态度差 医生 护士 推诿"),
    _Leaf("APPOINTMENTS", "挂号就诊", "Appointments", "挂号 排队 预约 看病难"),
    _Leaf("CHARGES", "医疗收费", "Medical charges", "医疗收费 检查费 药费", dept="YB"),
    _Group("DISPUTES", "医疗纠纷", "Medical disputes", "WJ", _DISPUTES),
    _Leaf("MALPRACTICE", "医疗事故", "Malpractice", "医疗事故 误诊 手术"),
    _Leaf("ILLEGAL_PRACTICE", "非法行医", "Unlicensed practice", "非法行医 黑诊所", dim=_ORDER),
    _Group("PUBLIC_HEALTH", "公共卫生", "Public health", "WJ", _SERVICES),
    _Leaf("INFECTIOUS", "传染病防控", "Infectious diseases", "传染病 发热 疫情"),
    _Leaf("HYGIENE", "公共场所卫生", "Hygiene in public places", "浴池 理发店 游泳馆 卫生"),
    _Leaf("BIRTHS", "生育服务", "Births", "生育 出生医学证明 育儿补贴"),
    _Group("VACCINES", "疫苗接种", "Vaccines", "WJ", _FOOD_DRUG),
    _Leaf("APPOINTMENTS", "接种预约", "Appointments", "疫苗预约 接种 狂犬疫苗", dim=_SERVICES),
    _Leaf("REACTIONS", "疑似预防接种异常反应", "Adverse reactions", "接种反应 打疫苗后"),
    _Leaf("SUPPLY", "疫苗质量及供应", "Quality and supply", "疫苗质量 缺苗 过期疫苗"),
    _Group("MENTAL", "心理健康", "Mental health", "WJ", _SERVICES),
    _Leaf("COUNSELLING", "心理咨询", "Counselling", "心理咨询 焦虑 抑郁 失眠"),
    _Leaf("CRISIS", "心理危机干预", "Crisis intervention", "轻生 自杀 想不开"),
    _Root("CIVIL_AFFAIRS", "民政服务", "Civil affairs"),
    _Group("ASSISTANCE", "社会救助", "Social assistance", "MZ", _SERVICES),
    _Leaf("SUBSISTENCE", "低保", "Minimum living allowance", "低保 最低生活保障 申请"),
    _Leaf("EXTREME_POVERTY", "特困供养", "Support for the destitute", "特困 五保 供养"),
    _Leaf("TEMPORARY", "临时救助", "Temporary assistance", "临时救助 困难 急难"),
    _Leaf("HOMELESS", "流浪乞讨救助", "Homeless people", "流浪 乞讨 救助站"),
    _Group("ELDERLY", "养老服务", "Elderly care", "MZ", _SERVICES),
    _Leaf("INSTITUTIONS", "养老机构", "Care homes", "养老院 敬老院 护理"),
    _Leaf("HOME_CARE", "居家社区养老", "Home and community care", "助餐 老年食堂 日间照料"),
    _Leaf("ALLOWANCES", "高龄津贴", "Old-age allowances", "高龄津贴 老年补贴"),
    _Group("REGISTRY", "民政事务", "Civil registry", "MZ", _SERVICES),
    _Leaf("FUNERALS", "殡葬", "Funerals", "殡葬 火化 墓地 丧葬费"),
    _Leaf("MARRIAGE", "婚姻登记", "Marriage registration", "结婚登记 离婚登记 婚姻登记"),
    _Leaf("CHILDREN", "儿童福利", "Child welfare", "孤儿 留守儿童 困境儿童"),
    _Group("SPECIAL_GROUPS", "残疾人及退役军人", "Disabled people and veterans", "CL", _SERVICES),
    _Leaf("DISABILITY", "残疾人服务", "Disabled people", "残疾证 残疾人补贴 无障碍"),
    _Leaf("VETERANS", "退役军人服务", "Veterans", "退役军人 优抚 安置", dept="TY"),
    _Root("AGRICULTURE", "农牧林水", "Agriculture and pastoral"),
    _Group("FARMING", "农牧业生产", "Farming and herding", "NM", _ECONOMY),
    _Leaf("INPUTS", "农资质量", "Farm inputs", "假种子 化肥 农药 农资"),
    _Leaf("SUBSIDIES", "惠农补贴", "Farm subsidies", "惠农补贴 耕地地力 补助", dim=_SERVICES),
    _Leaf("ANIMAL_HEALTH", "动物防疫", "Animal health", "病死畜禽 动物防疫 检疫", dim=_FOOD_DRUG),
    _Leaf("LIVESTOCK", "畜牧养殖", "Livestock", "养殖 牛羊 禁牧 养殖场"),
    _Group("RURAL", "农村事务", "Rural affairs", "NM", _DISPUTES),
    _Leaf("LAND_CONTRACTS", "土地承包经营", "Land contracts", "土地承包 流转 确权"),
    _Leaf("COLLECTIVE_ASSETS", "农村集体资产", "Collective assets", "集体资产 村务 分红"),
    _Leaf("RELAPSE", "防止返贫监测", "Poverty relapse", "返贫 帮扶 脱贫户", dim=_SERVICES),
    _Group("WATER_FORESTRY", "水利林草", "Water and forestry", "SL", _WORK_SAFETY),
    _Leaf("IRRIGATION", "农田灌溉", "Irrigation", "灌溉 浇地 水渠", dim=_SERVICES),
    _Leaf("FLOODS", "防汛", "Flood control", "防汛 山洪 河道 堤坝"),
    _Leaf("FIRES", "森林草原防火", "Forest and grassland fires", "山火 烧荒 防火", dept="LC"),
    _Root("EMERGENCY", "应急管理", "Emergencies and production safety"),
    _Group("PRODUCTION", "安全生产", "Production safety", "YJ", _WORK_SAFETY),
    _Leaf("ENTERPRISES", "企业安全隐患", "Unsafe workplaces", "安全隐患 违规作业 无防护"),
    _Leaf("CHEMICALS", "危险化学品", "Hazardous chemicals", "危化品 储存 化工"),
    _Leaf("MINES", "矿山安全", "Mine safety", "煤矿 矿山 瓦斯 非法开采"),
    _Leaf("BUILDING_SITES", "建筑施工安全", "Site safety", "脚手架 塔吊 高空作业", dept="ZJ"),
    _Leaf("FIREWORKS", "烟花爆竹", "Fireworks", "烟花爆竹 非法储存 非法经营"),
    _Group("INCIDENTS", "突发事件", "Emergencies", "YJ", _WORK_SAFETY),
    _Leaf("HAZMAT_LEAK", "危化品泄漏", "Chemical leak", "泄漏 刺鼻 罐车 有毒"),
    _Leaf("ACCIDENTS", "生产安全事故", "Workplace accidents", "事故 受伤 伤亡"),
    _Leaf("DISASTERS", "自然灾害险情", "Natural hazards", "暴雨 沙尘暴 地震 滑坡 险情"),
    _Leaf("WEATHER", "气象预警", "Weather warnings", "大风 寒潮 预警 天气", dept="QX"),
    _Root("ENTERPRISE", "企业服务", "Enterprise services"),
    _Group("BUSINESS_ENVIRONMENT", "营商环境", "Business environment", "ZSJ", _ECONOMY),
    _Leaf("COMPLAINTS", "营商环境投诉", "Complaints", "营商环境 刁难 吃拿卡要 不作为"),
    _Leaf("APPROVALS", "项目审批", "Project approvals", "审批 手续 项目 立项"),
    _Leaf("REGISTRATION", "企业开办及注销", "Start-up and closure", "开办 注销 执照", dept="SCJG"),
    _Group("POLICIES", "惠企政策", "Support policies", "GX", None),
    _Leaf("ENQUIRIES", "惠企政策咨询", "Policy enquiries", "惠企政策 申报 扶持资金"),
    _Leaf("FULFILMENT", "政策兑现", "Payment of support", "兑现 奖补 未到位 拨付", dim=_ECONOMY),
    _Leaf("TAX_RELIEF", "减税降费", "Tax and fee relief", "减税 降费 退税 留抵", dept="SWJ"),
    _Leaf("FINANCING", "融资服务", "Financing", "贷款 融资难 担保", dept="CZ", dim=_ECONOMY),
    _Group("INTEGRITY", "政务诚信", "Government integrity", "GX", _ECONOMY),
    _Leaf("PAYMENT_ARREARS", "拖欠企业账款", "Unpaid bills to firms", "拖欠账款 工程款 机关拖欠"),
    _Leaf("PROMISES", "招商承诺不兑现", "Unkept promises", "招商 承诺 合同 不兑现", dept="SW"),
    _Leaf("CHARGES", "涉企乱收费", "Improper charges on firms", "乱收费 乱罚款 摊派", dept="FG"),
    _Root("GOVERNMENT", "政务服务", "Government services"),
    _Group("EFFICIENCY", "办事效率", "Efficiency", "ZSJ", _SERVICES),
    _Leaf("DELAYS", "办事拖延", "Delays", "拖延 不办 超时 推诿"),
    _Leaf("RUNAROUND", "多次跑腿", "Repeated visits", "跑多次 材料 反复 证明"),
    _Leaf("ONLINE", "网上办事", "Online services", "网上办 蒙速办 系统 打不开"),
    _Group("CONDUCT", "工作作风", "Conduct of officials", "XF", _SERVICES),
    _Leaf("ATTITUDE", "窗口服务态度", "Counter staff attitude", "态度差 窗口 工作人员", dept="ZSJ"),
    _Leaf("OFFICIALS", "干部作风", "Officials' conduct", "不作为 乱作为 作风 公职人员"),
    _Leaf("ENFORCEMENT", "执法不规范", "Improper law enforcement", "粗暴执法 乱罚款", dept="SF"),
    _Group("PETITIONS", "信访", "Petitions", "XF", _DISPUTES),
    _Leaf("PETITIONS", "信访事项", "Petitions", "信访 上访 多次反映"),
    _Leaf("REPEATS", "重复诉求", "Repeat requests", "未解决 催办 重复", dept="RX", dim=_SERVICES),
    _Root("CULTURE", "文化旅游", "Culture and tourism"),
    _Group("TOURISM", "旅游", "Tourism", "WL", _SERVICES),
    _Leaf("COMPLAINTS", "旅游投诉", "Tourism complaints", "旅行社 导游 强制购物", dim=_DISPUTES),
    _Leaf("SCENIC_AREAS", "景区服务", "Scenic areas", "景区 门票 乌海湖 甘德尔山"),
    _Group("CULTURE", "文化体育", "Culture and sport", "WL", _SERVICES),
    _Leaf("INTERNET_CAFES", "网吧", "Internet cafés", "网吧 未成年人 上网", dim=_ORDER),
    _Leaf("VENUES", "演出娱乐场所", "Entertainment venues", "KTV 演出 娱乐场所", dim=_ORDER),
    _Leaf("SPORTS", "体育健身", "Sport and fitness", "体育馆 全民健身 场馆开放"),
    _Leaf("PUBLIC_CULTURE", "公共文化服务", "Libraries and museums", "图书馆 博物馆 文化馆"),
    _Root("CONSULTATION", "政策咨询", "Policy consultation"),
    _Group("PERMITS", "户籍证照", "IDs and permits", "GA", None),
    _Leaf("HUKOU", "户口迁移及落户", "Household registration", "户口 落户 迁移 户籍"),
    _Leaf("ID_CARDS", "居民身份证", "Identity cards", "身份证 补办 换证"),
    _Leaf("EXIT_ENTRY", "出入境证件", "Travel documents", "护照 港澳通行证 出入境"),
    _Leaf("VEHICLES", "车驾管业务", "Vehicles and driving licences", "驾驶证 年检 上牌 违章"),
    _Group("POLICIES", "政策法规", "Policies", "RS", None),
    _Leaf("SOCIAL_SECURITY", "社保政策", "Social security", "社保政策 缴费基数 待遇"),
    _Leaf("TALENT", "人才政策", "Talent policy", "人才引进 安家费 补贴"),
    _Leaf("TAX", "税收政策", "Tax policy", "个税 税收 发票 汇算", dept="SWJ"),
    _Leaf("HOUSING", "住房政策", "Housing policy", "购房补贴 契税 落户购房", dept="ZJ"),
    _Group("GUIDANCE", "办事指南", "Service guides", "ZSJ", None),
    _Leaf("PROCEDURES", "办事流程及材料", "Procedures", "需要什么材料 流程 在哪办"),
    _Leaf("CONTACTS", "部门联系方式", "Contacts and hours", "电话 地址 上班时间"),
    _Root("FEEDBACK", "表扬建议", "Praise and suggestions"),
    _Group("PRAISE", "表扬", "Praise", "RX", None),
    _Leaf("STAFF", "表扬工作人员", "Praise for staff", "表扬 感谢 锦旗 好人好事"),
    _Leaf("HOTLINE", "表扬热线服务", "Praise for the hotline", "热线 感谢 办得好 满意"),
    _Group("SUGGESTIONS", "建议", "Suggestions", "RX", None),
    _Leaf("CITY", "城市建设建议", "City development", "建议 规划 建设"),
    _Leaf("SERVICES", "公共服务建议", "Public services", "建议 服务 便民"),
    _Leaf("POLICIES", "政策建议", "Policies", "建议 政策 完善"),
)

#: Deadline overrides (working days to reply, to complete; None: the kind's default) and
#: urgency hints, by leaf code.
_DEADLINES: dict[str, tuple[int | None, int | None, str | None]] = {
    "HEATING.QUALITY.ROOM_COLD": (1, 2, None),
    "HEATING.QUALITY.OUTAGE": (1, 1, _URGENT),
    "HEATING.QUALITY.PIPE_LEAK": (1, 1, _URGENT),
    "UTILITIES.WATER.OUTAGE": (1, 1, _URGENT),
    "UTILITIES.WATER.PIPE_BURST": (1, 1, _URGENT),
    "UTILITIES.DRAINAGE.WATERLOGGING": (None, None, _URGENT),
    "UTILITIES.GAS_SAFETY.LEAK": (1, 1, _CRITICAL),
    "UTILITIES.GAS_SERVICE.OUTAGE": (1, 1, _URGENT),
    "UTILITIES.POWER.OUTAGE": (1, 1, _URGENT),
    "UTILITIES.POWER.HAZARD": (None, None, _URGENT),
    "HOUSING.SAFETY.DANGEROUS": (None, None, _URGENT),
    "HOUSING.SAFETY.FACADES": (None, None, _URGENT),
    "LABOUR.WAGES.MIGRANT_WORKERS": (1, 5, None),
    "LABOUR.WAGES.EMPLOYEES": (None, 5, None),
    "MARKET.FOOD.POISONING": (1, 1, _CRITICAL),
    "MARKET.SPECIAL_EQUIPMENT.ELEVATOR_TRAPPED": (1, 1, _CRITICAL),
    "TRANSPORT.ROADS.COLLAPSE": (1, 1, _URGENT),
    "TRANSPORT.TRAFFIC.SIGNALS": (None, None, _URGENT),
    "URBAN.FACILITIES.MANHOLES": (1, 1, _URGENT),
    "SECURITY.FIRE.HAZARDS": (None, None, _URGENT),
    "SECURITY.STABILITY.GATHERINGS": (1, None, _URGENT),
    "DISPUTES.RIGHTS.DOMESTIC_VIOLENCE": (1, None, _URGENT),
    "HEALTH.VACCINES.REACTIONS": (1, None, _URGENT),
    "HEALTH.MENTAL.CRISIS": (1, 1, _CRITICAL),
    "AGRICULTURE.WATER_FORESTRY.FLOODS": (None, None, _URGENT),
    "AGRICULTURE.WATER_FORESTRY.FIRES": (None, None, _URGENT),
    "EMERGENCY.INCIDENTS.HAZMAT_LEAK": (1, 1, _CRITICAL),
    "EMERGENCY.INCIDENTS.ACCIDENTS": (1, None, _URGENT),
    "EMERGENCY.INCIDENTS.DISASTERS": (None, None, _URGENT),
}

_COMMUNITY = "SQ"  # the community's residents' committee or the village's committee
_STREET = "JD"  # the street office or the town government

#: Leaves handled at the grassroots, by leaf code: neighbourhood matters settled by the
#: community, and what the street or town is in charge of.
_GRASSROOTS: dict[str, str] = {
    "DISPUTES.CIVIL.NEIGHBOURS": _COMMUNITY,
    "DISPUTES.CIVIL.FAMILY": _COMMUNITY,
    "NOISE.SOCIAL.NEIGHBOURS": _COMMUNITY,
    "NOISE.SOCIAL.SQUARE_DANCE": _COMMUNITY,
    "URBAN.ANIMALS.DOGS": _COMMUNITY,
    "SECURITY.FIRE.EBIKE_CHARGING": _COMMUNITY,
    "PROPERTY.SERVICE.ABANDONED": _COMMUNITY,
    "PROPERTY.PARKING.LOCKS": _COMMUNITY,
    "ENVIRONMENT.WASTE.SORTING": _COMMUNITY,
    "CIVIL_AFFAIRS.ELDERLY.HOME_CARE": _COMMUNITY,
    "CIVIL_AFFAIRS.REGISTRY.CHILDREN": _COMMUNITY,
    "AGRICULTURE.RURAL.RELAPSE": _COMMUNITY,
    "URBAN.CITYSCAPE.STREET_VENDING": _STREET,
    "URBAN.CITYSCAPE.OUTSIDE_SHOPS": _STREET,
    "URBAN.CITYSCAPE.FLYERS": _STREET,
    "URBAN.ILLEGAL_BUILDING.PUBLIC_LAND": _STREET,
    "URBAN.SANITATION.CLEANING": _STREET,
    "URBAN.SANITATION.SNOW": _STREET,
    "PROPERTY.OWNERS_COMMITTEE.ELECTION": _STREET,
    "PROPERTY.OWNERS_COMMITTEE.CONDUCT": _STREET,
    "CIVIL_AFFAIRS.ASSISTANCE.SUBSISTENCE": _STREET,
    "CIVIL_AFFAIRS.ASSISTANCE.TEMPORARY": _STREET,
    "CIVIL_AFFAIRS.ELDERLY.ALLOWANCES": _STREET,
    "AGRICULTURE.RURAL.LAND_CONTRACTS": _STREET,
    "AGRICULTURE.RURAL.COLLECTIVE_ASSETS": _STREET,
}


def _specs() -> Iterator[CategorySpec]:
    root_code = group_code = ""
    group: _Group | None = None
    for row in _ROWS:
        if isinstance(row, _Root):
            root_code, group = row.key, None
            yield CategorySpec(root_code, row.name, row.name_en, None)
        elif isinstance(row, _Group):
            group, group_code = row, f"{root_code}.{row.key}"
            yield CategorySpec(group_code, row.name, row.name_en, root_code)
        else:
            assert group is not None, f"leaf {row.key} comes before any group"
            code = f"{group_code}.{row.key}"
            reply, complete, urgency = _DEADLINES.get(code, (None, None, None))
            yield CategorySpec(
                code,
                row.name,
                row.name_en,
                group_code,
                department=_GRASSROOTS.get(code) or row.dept or group.dept,
                dimension=row.dim or group.dim,
                reply_days=reply,
                complete_days=complete,
                urgency_hint=urgency,
                keywords=tuple(row.keywords.split()),
            )


_CATEGORIES = tuple(_specs())
if _stray := (_DEADLINES.keys() | _GRASSROOTS.keys()) - {spec.code for spec in _CATEGORIES}:
    raise ValueError(f"overrides for unknown categories: {sorted(_stray)}")

#: How many leaf (三级) categories the tree has.
LEAF_COUNT = sum(isinstance(row, _Leaf) for row in _ROWS)


def category_tree() -> tuple[CategorySpec, ...]:
    """Every category, parents before their children, in display order."""
    return _CATEGORIES
