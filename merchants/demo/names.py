"""Words the demo providers are named from: business names per service type, the industry
mediation committees, counselling studios and law firms, roads, and who issues each
qualification document.

Plain data, no randomness: :mod:`merchants.demo.plan` draws from it with a fixed seed.
"""

from __future__ import annotations

from collections.abc import Mapping

#: The city's prefix for names and addresses.
CITY_PREFIX = "乌海市"

#: Shares of the commercial merchants by their main service type (out of about 1,270).
#: Types a plugin adds later get :data:`DEFAULT_WEIGHT`.
COMMERCIAL_WEIGHTS: Mapping[str, int] = {
    "housekeeping": 150,
    "home_repair": 130,
    "water_delivery": 130,
    "appliance_repair": 80,
    "errand": 80,
    "pipe_dredging": 70,
    "moving": 60,
    "recycling": 60,
    "road_rescue": 60,
    "designated_driving": 60,
    "appliance_cleaning": 60,
    "elderly_care": 60,
    "car_moving": 50,
    "unlocking": 50,
    "childcare": 50,
    "medical_escort": 40,
    "pest_control": 35,
    "vehicle_inspection": 35,
    "heating_repair": 9,
}
DEFAULT_WEIGHT = 40
#: Served only by the heating companies, each covering its district, and by nobody else.
HEATING = "heating_repair"

#: What else a merchant whose main service is the key tends to offer.
RELATED: Mapping[str, tuple[str, ...]] = {
    "housekeeping": ("appliance_cleaning", "elderly_care", "childcare", "pest_control"),
    "home_repair": ("pipe_dredging", "appliance_repair", "unlocking"),
    "water_delivery": ("errand",),
    "appliance_repair": ("appliance_cleaning", "home_repair"),
    "errand": ("water_delivery", "medical_escort", "car_moving"),
    "pipe_dredging": ("home_repair", "unlocking"),
    "moving": ("recycling", "housekeeping"),
    "recycling": ("moving", "errand"),
    "road_rescue": ("car_moving", "designated_driving"),
    "designated_driving": ("vehicle_inspection", "car_moving"),
    "appliance_cleaning": ("appliance_repair", "housekeeping", "pest_control"),
    "elderly_care": ("medical_escort", "housekeeping"),
    "car_moving": ("road_rescue", "vehicle_inspection"),
    "unlocking": ("home_repair", "pipe_dredging"),
    "childcare": ("housekeeping",),
    "medical_escort": ("elderly_care", "errand"),
    "pest_control": ("appliance_cleaning", "housekeeping"),
    "vehicle_inspection": ("designated_driving", "car_moving"),
    HEATING: (),
}

#: How a business name ends (industry + legal form) for each main service type. A name
#: ending in 公司 is a company (credit code 91…), the others individual businesses (92…).
NAME_TAILS: Mapping[str, tuple[str, ...]] = {
    "housekeeping": ("家政服务有限公司", "家政服务部", "保洁服务有限公司", "家政服务中心"),
    "home_repair": ("水电维修服务部", "家庭维修服务有限公司", "水电安装维修部", "物业维修服务部"),
    "water_delivery": ("桶装水配送部", "饮用水经营部", "纯净水配送中心", "饮品商贸有限公司"),
    "appliance_repair": ("家电维修服务部", "电器维修中心", "家电售后服务有限公司"),
    "errand": ("跑腿服务部", "同城配送服务有限公司", "便民跑腿服务中心"),
    "pipe_dredging": ("管道疏通服务部", "管道工程有限公司", "疏通清洗服务部"),
    "moving": ("搬家服务有限公司", "搬家运输服务部", "物流搬运有限公司"),
    "recycling": ("再生资源回收有限公司", "废旧物资回收站", "再生资源回收经营部"),
    "road_rescue": ("道路救援服务部", "汽车救援服务有限公司", "清障救援服务有限公司"),
    "designated_driving": ("代驾服务有限公司", "汽车代驾服务部", "代驾服务中心"),
    "appliance_cleaning": ("家电清洗服务部", "家电清洁服务有限公司", "清洗服务中心"),
    "elderly_care": ("居家养老服务中心", "养老服务有限公司", "助老服务部"),
    "car_moving": ("停车管理有限公司", "交通协管服务部", "停车服务有限公司"),
    "unlocking": ("开锁服务部", "锁业服务部", "开锁换锁中心"),
    "childcare": ("母婴护理服务有限公司", "月嫂服务中心", "育婴服务部"),
    "medical_escort": ("陪诊服务部", "健康管理有限公司", "陪护服务中心"),
    "pest_control": ("有害生物防制有限公司", "消杀服务部", "卫生消杀服务有限公司"),
    "vehicle_inspection": ("车务代办服务部", "机动车检测代办有限公司", "车务服务中心"),
    HEATING: ("热力有限责任公司", "供热有限公司", "热电有限公司", "供热服务有限公司"),
}
#: For a type without tails of its own: its Chinese name + one of these.
GENERIC_TAILS = ("服务部", "服务有限公司", "服务中心")

#: Trade names (字号) fitting one kind of business, tried before the general ones.
TRADE_NAMES: Mapping[str, tuple[str, ...]] = {
    "housekeeping": ("洁家", "家美", "好帮手", "巧手", "净馨", "美居", "勤嫂", "洁之家", "安馨"),
    "home_repair": ("匠心", "速修", "万家", "邻家", "巧匠", "安居", "顺达", "诚信"),
    "water_delivery": ("清泉", "甘泉", "山泉", "冰川", "雪域", "甘露", "源泉", "水之源"),
    "road_rescue": ("速达", "安途", "顺通", "路安", "捷通", "畅途", "途安", "大漠"),
    "designated_driving": ("安驾", "无忧", "畅行", "e路", "平安", "稳行", "夜归"),
    "car_moving": ("泊安", "畅行", "泊易", "停易", "顺泊"),
    "unlocking": ("金钥匙", "安心", "神锁", "快开", "放心", "鑫安"),
    "moving": ("蚂蚁", "大力", "顺风", "搬得快", "安迁", "乔迁"),
    "recycling": ("绿源", "再生", "环宇", "宝绿", "绿洲", "回收宝"),
    "elderly_care": ("夕阳红", "福寿", "颐和", "康乐", "孝亲", "乐龄", "松鹤"),
    "childcare": ("贝乐", "宝贝", "爱婴", "育婴宝", "亲亲", "童心"),
    "medical_escort": ("康伴", "安康", "伴医", "仁心", "暖心"),
    "pest_control": ("净安", "卫康", "绿卫", "安洁", "除害"),
    HEATING: ("城投", "恒源", "华源", "晨光", "蒙西", "安泰", "暖盛", "宏达", "德润", "热能"),
}
TRADE_NAMES_GENERAL = (
    "鑫源", "恒泰", "顺心", "宏达", "金鼎", "华盛", "瑞丰", "兴隆", "永盛", "福瑞",
    "乌海湖", "甘德尔", "黄河", "桌子山", "金沙", "大漠", "星河", "蒙辉", "北方", "阳光",
    "东方", "博远", "天诚", "众诚", "信达", "聚鑫", "百顺", "嘉诚", "正阳", "新锐",
    "利民", "便民", "惠民", "邻里", "万家", "美好", "佳和", "和美", "康达", "诚邦",
    "立信", "优品", "骏马", "草原", "驼铃", "葡萄园", "沙湖", "明珠", "海川", "盛世",
    "通达", "隆昌", "泰和", "汇通", "安邦", "金海", "银河", "长城", "昆仑", "贺兰",
    "雅居", "安心", "德信", "久安", "益民", "诚意", "满意", "优家", "瑞祥", "吉祥",
    "大成", "一诺", "君安", "中安", "金诺", "百福", "兴邦", "润泽", "同心", "广源",
)  # fmt: skip

#: Roads addresses are drawn from, by district.
ROADS: Mapping[str, tuple[str, ...]] = {
    "150302": (
        "人民路", "新华大街", "黄河街", "滨河大道", "海北大街", "团结路", "民主路", "建设路",
        "胜利街", "光明路", "育才路", "银河大街", "世纪大道", "长青路", "友谊路", "康乐街",
        "幸福路", "千里山路", "甘德尔街", "林荫路", "凤凰路", "卡布其街",
    ),
    "150303": (
        "拉僧庙路", "学府街", "新城路", "长城街", "西卓子山路", "文化路", "公乌素路", "赛汗路",
    ),
    "150304": (
        "巴音赛街", "五虎山路", "新达路", "矿山路", "铁路街", "湖滨路", "滨海街", "三道坎路",
        "苏海图路", "梁家沟街", "先锋路", "红星街",
    ),
}  # fmt: skip
#: Roads for a district without its own list.
ROADS_ELSEWHERE = ("人民路", "建设路", "团结路", "幸福路", "友谊路", "光明路")

#: Who issues each qualification document, and the prefix of its number.
ISSUERS: Mapping[str, tuple[str, str]] = {
    "housekeeping_licence": ("乌海市市场监督管理局", "JZ"),
    "health_certificate": ("乌海市疾病预防控制中心", "JK"),
    "parking_service": ("乌海市公安局交通管理支队", "TC"),
    "road_rescue_licence": ("乌海市交通运输局", "JY"),
    "tow_truck": ("乌海市公安局交通管理支队", "XS"),
    "designated_driving_licence": ("乌海市交通运输局", "DJ"),
    "driver_experience": ("乌海市公安局交通管理支队", "JS"),
    "inspection_agency_record": ("乌海市公安局交通管理支队车辆管理所", "DB"),
    "agent_driving_licence": ("乌海市公安局交通管理支队", "JS"),
    "police_registration": ("乌海市公安局", "GA"),
    "electrician_certificate": ("乌海市应急管理局", "T"),
    "heating_licence": ("乌海市住房和城乡建设局", "GR"),
    "pest_control_licence": ("内蒙古自治区有害生物防制协会", "YH"),
    "recycling_record": ("乌海市商务局", "HS"),
    "food_business_licence": ("乌海市市场监督管理局", "JY1"),
    "elderly_care_certificate": ("乌海市人力资源和社会保障局", "YL"),
    "medical_care_certificate": ("乌海市卫生健康委员会", "HL"),
    "maternal_infant_care_certificate": ("乌海市人力资源和社会保障局", "MY"),
    "lawyer_licence": ("内蒙古自治区司法厅", "31150000"),
    "counsellor_certificate": ("内蒙古自治区心理卫生协会", "XL"),
    "mediation_committee_record": ("乌海市司法局", "TJ"),
}
DEFAULT_ISSUER = ("乌海市市场监督管理局", "ZZ")

#: Why an administrator suspended a merchant.
SUSPENSION_NOTES = (
    "多次超时未接单，暂停接单整改。",
    "资质证件到期未更新，暂停服务。",
    "市民投诉服务质量问题，核查期间暂停接单。",
    "服务价格与公示不符，责令整改。",
)
APPROVAL_NOTE = "资质齐全，审核通过。"

#: The industry (行业性专业性) mediation committees: name (after a district or the
#: city) and the dispute types they take (``dispute_mediation``'s dispute-type codes).
#: ``{d}`` is filled with each district's name, giving one committee per district.
INDUSTRY_COMMITTEES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("乌海市医疗纠纷人民调解委员会", ("MEDICAL",)),
    ("{d}医疗纠纷人民调解委员会", ("MEDICAL",)),
    ("乌海市医疗保险纠纷调解委员会", ("MEDICAL", "CONSUMER")),
    ("乌海市劳动争议人民调解委员会", ("LABOUR",)),
    ("{d}劳动争议人民调解委员会", ("LABOUR",)),
    ("乌海市总工会劳动争议调解委员会", ("LABOUR",)),
    ("乌海市工商业联合会劳动争议调解委员会", ("LABOUR",)),
    ("乌海市煤炭行业劳动争议调解委员会", ("LABOUR",)),
    ("乌海市建筑业农民工工资纠纷调解委员会", ("LABOUR",)),
    ("乌海经济开发区劳动争议调解委员会", ("LABOUR",)),
    ("乌海市道路交通事故损害赔偿人民调解委员会", ("TRAFFIC",)),
    ("{d}道路交通事故纠纷人民调解委员会", ("TRAFFIC",)),
    ("乌海市保险行业纠纷人民调解委员会", ("TRAFFIC", "CONSUMER")),
    ("乌海市道路运输纠纷调解委员会", ("TRAFFIC",)),
    ("乌海市物业纠纷人民调解委员会", ("PROPERTY_MANAGEMENT",)),
    ("{d}物业纠纷人民调解委员会", ("PROPERTY_MANAGEMENT",)),
    ("乌海市房地产行业纠纷人民调解委员会", ("PROPERTY_MANAGEMENT", "CONSUMER")),
    ("乌海市物业管理协会纠纷调解委员会", ("PROPERTY_MANAGEMENT",)),
    ("乌海市供热供水纠纷调解委员会", ("PROPERTY_MANAGEMENT", "CONSUMER")),
    ("乌海市住房租赁纠纷人民调解委员会", ("PROPERTY_MANAGEMENT",)),
    ("乌海市消费者协会消费纠纷调解委员会", ("CONSUMER",)),
    ("{d}消费纠纷人民调解委员会", ("CONSUMER",)),
    ("乌达综合批发市场商户纠纷人民调解委员会", ("CONSUMER",)),
    ("乌海市电子商务纠纷人民调解委员会", ("CONSUMER",)),
    ("乌海市旅游纠纷人民调解委员会", ("CONSUMER",)),
    ("乌海市金融消费纠纷人民调解委员会", ("CONSUMER",)),
    ("乌海市商事纠纷人民调解委员会", ("CONSUMER",)),
    ("乌海市婚姻家庭纠纷人民调解委员会", ("FAMILY",)),
    ("{d}婚姻家庭纠纷人民调解委员会", ("FAMILY",)),
    ("乌海市老年人权益保障纠纷人民调解委员会", ("FAMILY",)),
    ("乌海市妇女儿童权益纠纷调解委员会", ("FAMILY",)),
    ("乌海市继承和赡养纠纷人民调解委员会", ("FAMILY",)),
    ("乌海市未成年人权益保护纠纷调解委员会", ("FAMILY",)),
)
#: Where a city-level committee sits when not in the city centre (the first district).
COMMITTEE_SEATS: Mapping[str, str] = {
    "乌达综合批发市场商户纠纷人民调解委员会": "150304",
    "乌海经济开发区劳动争议调解委员会": "150303",
}
#: Used when a committee's own dispute types are not offered by the installed plugin.
FALLBACK_SPECIALTY = "OTHER"

#: Counselling studios (心理咨询工作室) and volunteer teams of the aid line.
COUNSELLING_STUDIO_NAMES = (
    "心语", "向阳花", "暖阳", "心晴", "知心", "阳光心苑", "心桥", "心源", "启明", "安心",
    "馨语", "和煦", "心悦", "静心", "明心", "心航", "春风", "彩虹", "心灵港湾", "绿洲",
    "星光", "悦己", "解忧", "聆听", "向日葵", "晨曦", "微光", "舒心", "同行", "心安",
    "蒲公英", "橄榄枝",
)  # fmt: skip
VOLUNTEER_TEAMS = (
    "乌海市12345心理援助热线志愿者团队",
    "乌海市青少年心理援助热线志愿者团队",
    "乌海职业技术学院心理援助热线志愿者团队",
    "乌海市妇联心理援助热线志愿者团队",
    "海勃湾区心理援助热线志愿者团队",
    "海南区心理援助热线志愿者团队",
    "乌达区心理援助热线志愿者团队",
    "乌海市卫健系统心理援助热线志愿者团队",
)

#: Law firms: name and the district they serve (None: the whole city).
LAW_FIRMS: tuple[tuple[str, str | None], ...] = (
    ("内蒙古乌海湖律师事务所", None),
    ("内蒙古甘德尔律师事务所", None),
    ("内蒙古正和律师事务所", None),
    ("内蒙古明德律师事务所", None),
    ("内蒙古海勃律师事务所", "150302"),
    ("内蒙古黄河明珠律师事务所", "150302"),
    ("内蒙古拉僧律师事务所", "150303"),
    ("内蒙古五虎山律师事务所", "150304"),
)
