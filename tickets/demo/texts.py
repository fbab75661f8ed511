"""What the demo tickets say: per category what callers report or ask, and per group what
the department did, with the sentences around them, as plain data and a few renderers.

A leaf's entry names the kinds its tickets are filed as (the first the most common) by
letter: R request, C complaint, P report (举报), Q consultation, S suggestion, T praise;
then its texts, ``|``-separated. A consultation's texts are what is asked; the others'
are what the caller reports, its first clause (up to the first "，") doubling as the
title. A leaf missing here is described from its name.
"""

from __future__ import annotations

import random
import zlib

from tickets.sla import TicketKind

KIND_LETTERS: dict[str, TicketKind] = {
    "R": TicketKind.REQUEST,
    "C": TicketKind.COMPLAINT,
    "P": TicketKind.REPORT,
    "Q": TicketKind.CONSULTATION,
    "S": TicketKind.SUGGESTION,
    "T": TicketKind.PRAISE,
}

LEAVES: dict[str, tuple[str, str]] = {
    # 供热
    "HEATING.QUALITY.ROOM_COLD": (
        "RC",
        "暖气不热，室温只有十四五度|暖气片上热下凉，屋里冷得穿棉袄|家中室温不达标，老人孩子受不了",
    ),
    "HEATING.QUALITY.OUTAGE": ("RC", "整栋楼突然停暖，暖气冰凉|单元暖气停了一天多，无人告知原因"),
    "HEATING.QUALITY.PIPE_LEAK": (
        "R",
        "楼道供热管道漏水，地面结冰|地下室暖气管道跑水，热气冒到一楼",
    ),
    "HEATING.QUALITY.EQUIPMENT": ("R", "暖气阀门关不严，一直滴水|暖气片排气阀坏了，需要更换"),
    "HEATING.FEES.CHARGES": (
        "Q",
        "今年取暖费的收费标准和缴费渠道|取暖费能否线上缴纳及缴费截止时间",
    ),
    "HEATING.FEES.SUSPENSION": ("Q", "房屋空置如何办理暖气报停|报停后恢复供热需要什么手续"),
    "HEATING.FEES.REFUND": ("CR", "供热不达标却不给退费|办理报停后已交的取暖费迟迟不退"),
    "HEATING.SERVICE.NEW_ESTATES": (
        "CR",
        "新交房小区至今未通暖，开发商和热力公司互相推诿|小区入网手续未办完，业主冬天没暖气",
    ),
    "HEATING.SERVICE.REPAIRS": (
        "C",
        "报修暖气三天没人上门|维修人员上门态度差，问题没修好就走了",
    ),
    "HEATING.SERVICE.NETWORK_WORKS": (
        "C",
        "供热管网改造开挖后路面一直未恢复|管网施工围挡占了半条路，出行不便",
    ),
    # 公用事业
    "UTILITIES.WATER.OUTAGE": ("RC", "突然停水，没有任何通知|全楼停水大半天，做饭洗漱都成问题"),
    "UTILITIES.WATER.LOW_PRESSURE": ("R", "水压太低，高层用不上水|早晚用水高峰时水流很小"),
    "UTILITIES.WATER.QUALITY": ("RC", "自来水发黄浑浊，有异味|水里有沉淀物，不敢饮用"),
    "UTILITIES.WATER.PIPE_BURST": (
        "R",
        "路边供水管道爆裂，水流到马路上|小区供水主管破裂，大量跑水",
    ),
    "UTILITIES.WATER.BILLING": ("Q", "水表读数异常时如何申请校验|预付费水表如何线上充值"),
    "UTILITIES.DRAINAGE.SEWAGE_OVERFLOW": (
        "RC",
        "化粪池满溢，污水流到楼门口|下水道返水，一楼卫生间冒污水",
    ),
    "UTILITIES.DRAINAGE.BLOCKED": ("R", "雨水井堵塞，垃圾淤积|小区排水管道堵了，污水排不出去"),
    "UTILITIES.DRAINAGE.WATERLOGGING": (
        "R",
        "下雨后路口积水很深，车辆行人无法通行|地下通道严重积水，排水不畅",
    ),
    "UTILITIES.GAS_SAFETY.LEAK": ("R", "楼道里有很浓的天然气味|邻居家疑似燃气泄漏，敲门无人应答"),
    "UTILITIES.GAS_SAFETY.HAZARD": ("RP", "燃气软管老化开裂|有住户私自改装燃气管道"),
    "UTILITIES.GAS_SAFETY.BOTTLED": ("P", "有人非法充装液化气罐|餐馆违规使用多个液化气罐"),
    "UTILITIES.GAS_SERVICE.OUTAGE": ("RC", "小区停气一天了，无法做饭|燃气突然停供，未提前通知"),
    "UTILITIES.GAS_SERVICE.CONNECTION": (
        "Q",
        "新房燃气开户通气的流程和费用|燃气过户需要准备哪些材料",
    ),
    "UTILITIES.GAS_SERVICE.BILLING": ("Q", "燃气IC卡充值后表里不显示怎么办|阶梯气价如何计算"),
    "UTILITIES.POWER.OUTAGE": ("RC", "片区突然停电，没有通知|频繁停电，家里电器受损"),
    "UTILITIES.POWER.VOLTAGE": ("R", "电压不稳，灯光忽明忽暗|晚上电压低，空调启动不了"),
    "UTILITIES.POWER.HAZARD": ("RP", "电线杆倾斜，随时可能倒塌|变压器旁电线裸露，小孩经常在附近玩"),
    "UTILITIES.POWER.BILLING": ("Q", "阶梯电价怎么计算|电费突然增加，如何申请核查电表"),
    "UTILITIES.POWER.CONNECTION": ("Q", "小区安装充电桩如何报装|商铺用电增容的办理流程"),
    # 物业管理
    "PROPERTY.SERVICE.QUALITY": (
        "C",
        "物业不作为，楼道卫生长期无人打扫|小区门禁坏了很久，物业一直不修|"
        "保安形同虚设，外来人员随意进出",
    ),
    "PROPERTY.SERVICE.FEES": (
        "CQ",
        "物业擅自上调物业费|物业费中的公摊电费收取不透明|？物业费收费标准由谁制定",
    ),
    "PROPERTY.SERVICE.SHARED_FACILITIES": (
        "RC",
        "顶楼屋面漏水，物业迟迟不维修|单元门损坏，物业推诿不修",
    ),
    "PROPERTY.SERVICE.ABANDONED": (
        "RC",
        "物业撤场后小区无人管理，垃圾成堆|弃管小区路灯、门禁都没人修",
    ),
    "PROPERTY.FUND.USE": ("Q", "更换电梯能否申请使用维修基金|维修基金使用的申请流程"),
    "PROPERTY.FUND.DEPOSITS": ("Q", "如何查询本人维修基金缴存情况|房屋拆迁后维修基金如何退还"),
    "PROPERTY.OWNERS_COMMITTEE.ELECTION": (
        "QR",
        "？小区如何成立业主委员会|业委会到期未换届，业主要求组织选举",
    ),
    "PROPERTY.OWNERS_COMMITTEE.CONDUCT": ("C", "业委会不公示公共收益账目|业委会擅自与物业续签合同"),
    "PROPERTY.PARKING.SPACES": (
        "CQ",
        "开发商车位只租不售|车位价格过高，业主买不起|？小区车位出租出售的相关规定",
    ),
    "PROPERTY.PARKING.FEES": ("C", "物业对业主车辆收取高额停车费|小区停车收费标准未经业主大会同意"),
    "PROPERTY.PARKING.LOCKS": ("RC", "有人在公共区域私装地锁|僵尸车长期占用小区车位"),
    # 住房城乡建设
    "HOUSING.QUALITY.DEFECTS": ("C", "新房墙体开裂渗水|卫生间楼板漏水到楼下"),
    "HOUSING.QUALITY.WARRANTY": (
        "C",
        "房屋在保修期内漏水，开发商不维修|交房不到两年外墙渗水，开发商推诿",
    ),
    "HOUSING.SAFETY.DANGEROUS": ("RP", "老楼墙体出现大裂缝，担心倒塌|平房屋顶塌陷，存在安全隐患"),
    "HOUSING.SAFETY.STRUCTURE": ("P", "楼上装修拆除承重墙|商铺装修破坏房屋主体结构"),
    "HOUSING.SAFETY.FACADES": ("R", "外墙保温层大面积脱落|楼体外墙瓷砖掉落，险些砸到行人"),
    "HOUSING.CERTIFICATES.OVERDUE": ("CR", "购房多年仍办不了房产证|开发商拖延办理不动产权证"),
    "HOUSING.CERTIFICATES.REGISTRATION": (
        "Q",
        "二手房过户需要准备哪些材料|办理抵押登记的流程和时限",
    ),
    "HOUSING.MARKET.LATE_DELIVERY": ("C", "楼盘超过约定日期仍未交房|项目停工一年多，业主担心烂尾"),
    "HOUSING.MARKET.SALES": ("CP", "售楼处虚假宣传学区房|购房时被捆绑销售车位"),
    "HOUSING.MARKET.RENTAL": ("C", "房东无故不退押金|中介隐瞒房屋问题，租房纠纷"),
    "HOUSING.DEMOLITION.COMPENSATION": (
        "CQ",
        "棚改征收补偿标准不合理|征收补偿款迟迟未发放|？棚户区改造征收补偿的标准",
    ),
    "HOUSING.DEMOLITION.RESETTLEMENT": ("C", "回迁安置房超期未交付|过渡费停发，回迁遥遥无期"),
    "HOUSING.SUPPORT.PUBLIC_RENTAL": ("Q", "申请公租房需要什么条件|公租房配租什么时候公布结果"),
    "HOUSING.SUPPORT.RENOVATION": (
        "QR",
        "？老旧小区改造的范围和时间安排|？老旧小区加装电梯如何申请|小区已列入改造计划但迟迟未开工",
    ),
    "HOUSING.PROVIDENT_FUND.WITHDRAWAL": (
        "Q",
        "租房提取公积金的条件和额度|离职后公积金如何销户提取",
    ),
    "HOUSING.PROVIDENT_FUND.LOANS": ("Q", "公积金贷款的最高额度|异地缴存公积金能否在本市贷款"),
    "HOUSING.PROVIDENT_FUND.CONTRIBUTIONS": (
        "CP",
        "单位长期未给职工缴纳公积金|单位少缴公积金，要求补缴",
    ),
    # 劳动和社会保障
    "LABOUR.WAGES.MIGRANT_WORKERS": (
        "CR",
        "工地拖欠农民工工资，包工头联系不上|二十多名工人被拖欠半年工资|项目完工后工资一直拖着不发",
    ),
    "LABOUR.WAGES.EMPLOYEES": ("CR", "公司拖欠三个月工资|单位以效益不好为由停发工资"),
    "LABOUR.WAGES.DEDUCTIONS": ("C", "老板无故克扣工资|工资低于最低工资标准"),
    "LABOUR.RELATIONS.CONTRACTS": (
        "CQ",
        "入职半年公司不签劳动合同|试用期被延长，公司不给转正|？试用期最长可以约定多久",
    ),
    "LABOUR.RELATIONS.DISMISSAL": ("C", "公司违法解除劳动合同不给补偿|怀孕期间被单位辞退"),
    "LABOUR.RELATIONS.HOURS": ("C", "长期加班不给加班费|单位不让休年休假"),
    "LABOUR.RELATIONS.ARBITRATION": ("Q", "申请劳动仲裁需要准备哪些材料|劳动仲裁立案后多久开庭"),
    "LABOUR.SOCIAL_INSURANCE.CONTRIBUTIONS": (
        "CP",
        "单位没有给缴纳社保|社保断缴三个月，要求单位补缴",
    ),
    "LABOUR.SOCIAL_INSURANCE.TRANSFER": ("Q", "外省社保如何转入本市|养老保险关系转移接续的流程"),
    "LABOUR.SOCIAL_INSURANCE.WORK_INJURY": ("QC", "？工伤认定需要多长时间|工伤待遇迟迟不兑现"),
    "LABOUR.SOCIAL_INSURANCE.UNEMPLOYMENT": ("Q", "失业金领取条件和期限|失业保险金如何线上申领"),
    "LABOUR.PENSIONS.PAYMENT": (
        "QC",
        "？本月养老金为什么没有到账|？养老金调整什么时候补发|养老金调整后迟迟未补发",
    ),
    "LABOUR.PENSIONS.RETIREMENT": ("Q", "办理退休需要准备哪些材料|档案中工龄认定有误如何处理"),
    "LABOUR.PENSIONS.RESIDENTS": ("Q", "城乡居民养老保险的缴费档次|居民养老保险今年的缴费截止时间"),
    "LABOUR.MEDICAL_INSURANCE.ENROLMENT": (
        "Q",
        "居民医保今年的缴费标准和时间|新生儿如何参加居民医保",
    ),
    "LABOUR.MEDICAL_INSURANCE.REIMBURSEMENT": ("Q", "异地就医如何备案报销|门诊慢特病的报销比例"),
    "LABOUR.MEDICAL_INSURANCE.CARD": ("Q", "医保电子凭证如何激活|医保卡丢失如何补办"),
    "LABOUR.MEDICAL_INSURANCE.FRAUD": (
        "P",
        "有药店用医保卡套刷生活用品|有医院虚构住院骗取医保基金",
    ),
    "LABOUR.EMPLOYMENT.JOB_SERVICES": ("Q", "近期有哪些招聘会|灵活就业人员如何办理就业登记"),
    "LABOUR.EMPLOYMENT.TRAINING": ("Q", "免费职业技能培训如何报名|技能提升补贴如何申领"),
    "LABOUR.EMPLOYMENT.STARTUPS": ("Q", "创业担保贷款的申请条件|一次性创业补贴如何申请"),
    # 噪音扰民
    "NOISE.CONSTRUCTION.NIGHT_WORK": (
        "C",
        "工地夜间施工噪音扰民，凌晨还在打桩|夜里十一点后工地仍在切割钢筋",
    ),
    "NOISE.CONSTRUCTION.SITES": ("C", "附近工地机械噪音很大，白天也没法休息|工地搅拌机噪音刺耳"),
    "NOISE.SOCIAL.NEIGHBOURS": ("C", "楼上住户深夜吵闹|邻居家经常半夜大声放音乐"),
    "NOISE.SOCIAL.SQUARE_DANCE": ("C", "广场舞音响声音太大，晚上十点还不停|晨练音响一早开始扰民"),
    "NOISE.SOCIAL.RENOVATION": ("C", "楼上装修午休时间电钻不停|周末一早就开始装修砸墙"),
    "NOISE.COMMERCIAL.LOUDSPEAKERS": ("C", "商铺门口高音喇叭循环叫卖|门店促销音响声音很大"),
    "NOISE.COMMERCIAL.VENUES": ("C", "KTV深夜噪音扰民|烧烤夜市吵闹到凌晨"),
    "NOISE.COMMERCIAL.EQUIPMENT": ("C", "饭店空调外机噪音很大|商场冷却塔昼夜轰鸣"),
    "NOISE.TRAFFIC_INDUSTRY.STREET_RACING": ("CP", "夜间改装车炸街|摩托车深夜飙车轰鸣"),
    "NOISE.TRAFFIC_INDUSTRY.INDUSTRIAL": (
        "C",
        "附近工厂机器昼夜运转，噪音扰民|厂区夜间作业噪音很大",
    ),
    # 市场监管
    "MARKET.FOOD.CATERING": ("CP", "饭店后厨卫生脏乱|在餐馆吃饭发现菜里有苍蝇"),
    "MARKET.FOOD.POISONING": ("R", "一家人在饭店吃饭后腹泻呕吐|多名工人吃了食堂饭菜后身体不适"),
    "MARKET.FOOD.EXPIRED": ("CP", "超市销售过期食品|买到的面包已经发霉"),
    "MARKET.FOOD.WORKSHOPS": ("P", "居民楼里有无证食品加工小作坊|有人用地沟油炸制食品"),
    "MARKET.FOOD.DELIVERY": ("C", "外卖餐品里吃出异物|网络订餐平台上的商家无实体店"),
    "MARKET.DRUGS.QUALITY": ("P", "在药店买到疑似假药|药品包装破损，怀疑质量有问题"),
    "MARKET.DRUGS.PHARMACIES": ("C", "药店无处方销售处方药|药店药品价格明显偏高"),
    "MARKET.DRUGS.DEVICES_COSMETICS": ("C", "使用美容店化妆品后皮肤过敏|买到的血压计质量有问题"),
    "MARKET.PRICES.GOUGING": ("P", "菜市场蔬菜价格突然大幅上涨|景区附近商店哄抬物价"),
    "MARKET.PRICES.LABELLING": ("C", "超市商品标价与结账价格不一致|商铺不明码标价"),
    "MARKET.PRICES.FEES": ("C", "停车场收费标准不合理|小区收取的二次供水费用不合理"),
    "MARKET.CONSUMER.GOODS": ("C", "新买的冰箱出现质量问题，商家不给换|家具商城拒绝履行三包"),
    "MARKET.CONSUMER.SERVICES": ("C", "汽车维修店维修后问题依旧|美发店办卡后服务缩水"),
    "MARKET.CONSUMER.PREPAID_CARDS": (
        "C",
        "健身房突然关门，预付卡无法退费|培训机构跑路，预付的课时费退不了",
    ),
    "MARKET.CONSUMER.ONLINE": ("C", "网购商品与描述不符，商家拒绝退货|直播间买的商品是假货"),
    "MARKET.ORDER.FALSE_ADVERTISING": ("P", "保健品讲座夸大宣传功效|商家虚假宣传促销活动"),
    "MARKET.ORDER.COUNTERFEITS": ("P", "商店销售假冒名牌商品|市场上有人卖假冒白酒"),
    "MARKET.ORDER.UNLICENSED": ("P", "门店无营业执照经营|有人在小区内无证经营"),
    "MARKET.ORDER.PYRAMID_SELLING": ("P", "有人以高额回报拉人头发展下线|疑似传销组织在出租屋聚集"),
    "MARKET.ORDER.MEASURES": ("P", "菜市场商贩缺斤短两|加油站加油机计量不准"),
    "MARKET.SPECIAL_EQUIPMENT.ELEVATOR_TRAPPED": (
        "R",
        "电梯突然停运，有人被困在电梯里|老人被困电梯二十分钟无人救援",
    ),
    "MARKET.SPECIAL_EQUIPMENT.ELEVATOR_FAULTS": (
        "RC",
        "电梯频繁故障停运|电梯运行时异响，年检标志过期",
    ),
    "MARKET.SPECIAL_EQUIPMENT.BOILERS": ("P", "浴池锅炉无证运行|企业压力容器未按期检验"),
    "MARKET.SPECIAL_EQUIPMENT.RIDES": ("P", "商场游乐设施无检验标志|公园游乐设施存在安全隐患"),
    # 交通运输
    "TRANSPORT.BUS.ROUTES": (
        "SR",
        "＋希望增设通往新建小区的公交线路|＋建议在医院门口增设公交站点|"
        "新建小区附近没有公交站，出行不便",
    ),
    "TRANSPORT.BUS.SERVICE": ("C", "公交司机甩站不停车|公交车开车太猛，老人差点摔倒"),
    "TRANSPORT.BUS.TIMETABLE": ("CR", "公交班次间隔太长，等车半小时|末班车提前发车"),
    "TRANSPORT.TAXI.REFUSAL": ("C", "出租车司机拒载|出租车不打表，随意议价"),
    "TRANSPORT.TAXI.OVERCHARGING": ("C", "出租车故意绕路多收费|网约车到达后加收费用"),
    "TRANSPORT.TAXI.UNLICENSED": ("P", "火车站附近黑车拉客|有人长期无证从事客运"),
    "TRANSPORT.TAXI.LOST_PROPERTY": ("R", "手提包落在出租车上|手机遗失在网约车上，联系不上司机"),
    "TRANSPORT.ROADS.DAMAGE": ("R", "路面坑洼不平，车辆经过颠簸|人行道地砖松动破损"),
    "TRANSPORT.ROADS.COLLAPSE": ("R", "道路中间出现塌陷大坑|路面下沉，存在安全隐患"),
    "TRANSPORT.ROADS.WORKS": ("C", "道路开挖后长期未恢复|占道施工未设置警示标志"),
    "TRANSPORT.ROADS.HIGHWAYS": ("R", "国道路面破损严重|公路护栏损坏无人修复"),
    "TRANSPORT.TRAFFIC.SIGNALS": ("R", "路口红绿灯不亮|信号灯配时不合理，行人过不了马路"),
    "TRANSPORT.TRAFFIC.MARKINGS": (
        "RS",
        "学校门口斑马线标线模糊|路口交通标志被树枝遮挡|＋建议在路口增设减速带",
    ),
    "TRANSPORT.TRAFFIC.CONGESTION": (
        "CS",
        "上下学时段学校门口严重拥堵|早晚高峰路口拥堵严重|＋建议高峰时段在学校门口增派交警疏导",
    ),
    "TRANSPORT.PARKING.ILLEGAL": ("CR", "车辆乱停堵住小区出入口|人行道上停满车辆，行人无法通行"),
    "TRANSPORT.PARKING.CHARGES": ("C", "道路停车收费员多收费|停车场收费不出具票据"),
    "TRANSPORT.PARKING.SHORTAGE": ("S", "建议在医院周边增设停车位|建议利用闲置空地建设停车场"),
    "TRANSPORT.PARKING.ABANDONED": ("R", "路边僵尸车长期停放|废弃车辆占用停车位"),
    "TRANSPORT.FREIGHT.OVERLOADING": ("P", "拉煤车严重超载，路面被压坏|大货车超限通行"),
    "TRANSPORT.FREIGHT.DANGEROUS_GOODS": (
        "P",
        "危化品槽罐车违规停放在居民区|危险货物运输车辆夜间违规通行",
    ),
    # 生态环境
    "ENVIRONMENT.AIR.EMISSIONS": ("P", "附近企业烟囱冒黑烟|焦化厂夜间偷排废气"),
    "ENVIRONMENT.AIR.ODOUR": ("C", "空气中有刺鼻异味|夜间闻到很浓的化工臭味"),
    "ENVIRONMENT.AIR.CATERING_FUMES": ("C", "楼下饭店油烟直排，窗户都不敢开|烧烤摊油烟熏人"),
    "ENVIRONMENT.AIR.OPEN_BURNING": ("P", "有人露天焚烧垃圾|空地上焚烧秸秆，浓烟很大"),
    "ENVIRONMENT.WATER.DISCHARGE": ("P", "企业通过暗管偷排废水|工厂向沟渠排放污水"),
    "ENVIRONMENT.WATER.WATER_BODIES": ("P", "乌海湖边有人倾倒污物|河道水体发黑发臭"),
    "ENVIRONMENT.DUST.SITES": ("C", "工地裸土未苫盖，扬尘严重|施工现场未洒水降尘"),
    "ENVIRONMENT.DUST.ROADS": ("C", "渣土车沿路撒漏|道路扬尘大，洒水车很少来"),
    "ENVIRONMENT.DUST.STOCKPILES": ("C", "煤场堆场未苫盖，煤灰飘进居民家|料场扬尘严重"),
    "ENVIRONMENT.WASTE.COLLECTION": ("RC", "垃圾桶满溢，几天没有清运|小区垃圾清运不及时，异味很大"),
    "ENVIRONMENT.WASTE.SORTING": ("RS", "垃圾分类后又被混装运走|＋建议小区增设分类垃圾桶"),
    "ENVIRONMENT.WASTE.CONSTRUCTION_WASTE": ("P", "有人夜间偷倒建筑垃圾|空地上堆满装修垃圾"),
    "ENVIRONMENT.WASTE.HAZARDOUS": ("P", "企业随意倾倒工业废渣|医疗废物混入生活垃圾"),
    "ENVIRONMENT.NATURE.MINING": ("P", "有人在山里私挖滥采|河道内有人非法采砂"),
    "ENVIRONMENT.NATURE.LAND": ("P", "有人占用耕地建房|村里有人违法占地搭建厂房"),
    "ENVIRONMENT.NATURE.GRASSLAND": ("P", "有人开荒毁坏草原|路边行道树被人砍伐"),
    "ENVIRONMENT.NATURE.WILDLIFE": ("P", "有人在湿地捕猎野鸟|市场上有人贩卖野生动物"),
    # 城市管理
    "URBAN.CITYSCAPE.STREET_VENDING": ("C", "路边流动摊贩占道经营|早市摊位占满人行道"),
    "URBAN.CITYSCAPE.OUTSIDE_SHOPS": ("C", "商铺出店经营，货物堆到人行道上|饭店在门口摆桌占道"),
    "URBAN.CITYSCAPE.SIGNBOARDS": ("R", "商铺招牌松动，随时可能掉落|户外广告牌破损严重"),
    "URBAN.CITYSCAPE.FLYERS": ("C", "楼道里贴满小广告|墙面被乱涂乱画"),
    "URBAN.ILLEGAL_BUILDING.STRUCTURES": ("P", "一楼住户私搭彩钢房|楼顶违规加盖房屋"),
    "URBAN.ILLEGAL_BUILDING.PUBLIC_LAND": ("P", "有人圈占小区绿地种菜|公共空地被围起来私用"),
    "URBAN.SANITATION.CLEANING": ("C", "道路保洁不到位，垃圾遍地|背街小巷长期无人清扫"),
    "URBAN.SANITATION.TOILETS": ("C", "公共厕所脏乱无人打扫|公厕长期锁门不开放"),
    "URBAN.SANITATION.SNOW": ("R", "人行道积雪结冰没人清理|小区门口路面结冰，老人摔倒"),
    "URBAN.GREENING.DAMAGE": ("P", "有人毁坏绿地停车|绿化带被踩踏出小路"),
    "URBAN.GREENING.TREES": ("R", "树枝遮挡窗户需要修剪|大风后树木倒伏挡路"),
    "URBAN.GREENING.PARKS": ("RS", "公园健身器材损坏|公园路灯不亮|＋建议公园延长开放时间"),
    "URBAN.GREENING.PESTS": ("R", "行道树生虫，虫子掉落|杨絮飘飞严重，希望处理"),
    "URBAN.FACILITIES.STREETLIGHTS": ("R", "路灯不亮，晚上出行不安全|整条路的路灯坏了好几盏"),
    "URBAN.FACILITIES.MANHOLES": ("R", "路上井盖丢失，存在安全隐患|井盖破损松动，车辆经过哐当响"),
    "URBAN.FACILITIES.FURNITURE": ("R", "路边护栏损坏|盲道被破坏，座椅损坏"),
    "URBAN.ANIMALS.DOGS": ("CP", "有人遛狗不拴绳|邻居养的狗夜里一直叫"),
    "URBAN.ANIMALS.STRAYS": ("R", "小区流浪狗多，追咬行人|流浪猫聚集在楼道"),
    # 公共安全
    "SECURITY.ORDER.HAZARDS": ("P", "夜间有人醉酒闹事|出租屋内人员复杂，形迹可疑"),
    "SECURITY.ORDER.GAMBLING_VICE": ("P", "棋牌室内聚众赌博|有按摩店疑似涉黄"),
    "SECURITY.ORDER.GANGS": ("P", "有人放高利贷暴力催收|有团伙强迫交易"),
    "SECURITY.ORDER.DRUGS": ("P", "出租屋内疑似有人吸毒|有人在网吧附近兜售可疑药品"),
    "SECURITY.FRAUD.TELECOM": (
        "PQ",
        "接到冒充客服的诈骗电话|刷单返利被骗了钱|？如何识别冒充公检法的诈骗电话",
    ),
    "SECURITY.FRAUD.FUNDRAISING": ("P", "有公司以高息理财为名非法集资|投资公司老板跑路"),
    "SECURITY.FRAUD.ELDERLY": (
        "P",
        "有人以免费体检为名向老人推销保健品|养老项目高额回报骗取老人钱财",
    ),
    "SECURITY.FIRE.ESCAPE_ROUTES": ("RP", "消防通道被车辆堵塞|安全出口被杂物堵死"),
    "SECURITY.FIRE.HAZARDS": ("RP", "商铺灭火器过期|小区消火栓没有水"),
    "SECURITY.FIRE.EBIKE_CHARGING": ("P", "有住户从楼上飞线给电动车充电|电动车在楼道里充电"),
    "SECURITY.STABILITY.CULTS": ("P", "有人在小区散发邪教传单|有人组织非法宗教聚会"),
    "SECURITY.STABILITY.GATHERINGS": ("P", "有人组织业主集体上访|工地工人聚集讨要工资"),
    "SECURITY.STABILITY.RUMOURS": ("P", "网上有人散布不实信息|微信群里传播谣言"),
    # 矛盾纠纷
    "DISPUTES.CIVIL.NEIGHBOURS": ("R", "与邻居因漏水问题发生纠纷|邻居加装防盗窗影响采光"),
    "DISPUTES.CIVIL.FAMILY": ("R", "子女不履行赡养义务|家庭财产分割发生纠纷"),
    "DISPUTES.CIVIL.DEBTS": (
        "RQ",
        "朋友借钱多年不还，希望帮助调解|装修公司收了钱不干活|？借款纠纷如何申请调解",
    ),
    "DISPUTES.RIGHTS.DOMESTIC_VIOLENCE": ("R", "长期遭受丈夫殴打|邻居家经常传出打骂孩子的声音"),
    "DISPUTES.RIGHTS.WOMEN": ("RC", "求职时遭受性别歧视|孕期被单位调岗降薪"),
    "DISPUTES.RIGHTS.MINORS": ("RP", "网吧接纳未成年人上网|孩子在学校遭受欺凌"),
    "DISPUTES.RIGHTS.LEGAL_AID": ("Q", "申请法律援助需要什么条件|哪里可以免费咨询律师"),
    # 教育
    "EDUCATION.ENROLMENT.SCHOOL_PLACES": ("Q", "今年小学划片入学的范围|随迁子女入学需要哪些材料"),
    "EDUCATION.ENROLMENT.KINDERGARTEN": ("QC", "？普惠性幼儿园如何报名|附近公办幼儿园学位不足"),
    "EDUCATION.ENROLMENT.TRANSFERS": ("Q", "外地转学回本市的手续|学籍转接的办理流程"),
    "EDUCATION.FEES.SCHOOL_FEES": ("CP", "学校强制收取资料费|学校统一订购校服价格偏高"),
    "EDUCATION.FEES.TUTORING": ("C", "校外培训机构拒绝退费|培训机构违规开展学科类培训"),
    "EDUCATION.FEES.STUDENT_AID": ("Q", "家庭困难学生资助如何申请|助学金什么时候发放"),
    "EDUCATION.SCHOOLS.TEACHERS": ("P", "老师有偿补课|老师体罚学生"),
    "EDUCATION.SCHOOLS.SAFETY": ("R", "学校门口上下学时段秩序混乱|校门口有人兜售三无食品"),
    "EDUCATION.SCHOOLS.CANTEENS": ("C", "学校食堂饭菜质量差|营养餐分量不足"),
    "EDUCATION.SCHOOLS.WORKLOAD": ("CS", "孩子作业太多，每天写到深夜|＋建议学校延长课后服务时间"),
    # 医疗卫生
    "HEALTH.HOSPITALS.ATTITUDE": ("C", "医院护士服务态度差|医生看病推诿患者"),
    "HEALTH.HOSPITALS.APPOINTMENTS": (
        "CQ",
        "医院专家号很难挂|网上预约挂号系统无法使用|？如何预约医院专家号",
    ),
    "HEALTH.HOSPITALS.CHARGES": ("C", "医院重复收取检查费|住院费用清单中有未使用的项目"),
    "HEALTH.DISPUTES.MALPRACTICE": (
        "C",
        "家人手术后出现严重并发症，怀疑医疗过错|孩子在诊所输液后出现不良反应",
    ),
    "HEALTH.DISPUTES.ILLEGAL_PRACTICE": ("P", "居民楼里有无证诊所|有人无证行医给人针灸"),
    "HEALTH.PUBLIC_HEALTH.INFECTIOUS": ("RQ", "学校出现多名发热学生|？流感高发期如何预防"),
    "HEALTH.PUBLIC_HEALTH.HYGIENE": ("C", "洗浴中心卫生条件差|游泳馆水质浑浊"),
    "HEALTH.PUBLIC_HEALTH.BIRTHS": ("Q", "出生医学证明如何办理|育儿补贴如何申领"),
    "HEALTH.VACCINES.APPOINTMENTS": ("Q", "九价HPV疫苗如何预约|狂犬疫苗哪里可以接种"),
    "HEALTH.VACCINES.REACTIONS": ("R", "孩子接种疫苗后持续高烧|接种疫苗后接种部位红肿"),
    "HEALTH.VACCINES.SUPPLY": (
        "CQ",
        "社区卫生服务中心疫苗长期缺货|疫苗预约后被告知没有苗|？流感疫苗什么时候到货",
    ),
    "HEALTH.MENTAL.COUNSELLING": (
        "RQ",
        "孩子厌学情绪严重，希望得到心理辅导|长期失眠焦虑，想找心理咨询师|？心理援助热线的服务时间",
    ),
    "HEALTH.MENTAL.CRISIS": ("R", "来电人情绪低落，有轻生念头|家属称亲人情绪失控，有自伤倾向"),
    # 民政服务
    "CIVIL_AFFAIRS.ASSISTANCE.SUBSISTENCE": (
        "QR",
        "？低保申请的条件和流程|家庭收入变化后低保被取消，希望重新核实",
    ),
    "CIVIL_AFFAIRS.ASSISTANCE.EXTREME_POVERTY": (
        "QR",
        "？特困人员供养如何申请|特困供养金没有按时发放",
    ),
    "CIVIL_AFFAIRS.ASSISTANCE.TEMPORARY": (
        "R",
        "家人突发重病，生活困难，申请临时救助|家中失火，急需临时救助",
    ),
    "CIVIL_AFFAIRS.ASSISTANCE.HOMELESS": ("R", "桥洞下有流浪人员，天冷需要救助|街头有老人流浪乞讨"),
    "CIVIL_AFFAIRS.ELDERLY.INSTITUTIONS": (
        "CQ",
        "养老院护理不到位|养老院收费项目不透明|？公办养老机构入住条件",
    ),
    "CIVIL_AFFAIRS.ELDERLY.HOME_CARE": (
        "QS",
        "？社区老年食堂如何办理助餐|＋建议社区增设日间照料中心",
    ),
    "CIVIL_AFFAIRS.ELDERLY.ALLOWANCES": ("QC", "？高龄津贴的申领条件|高龄津贴几个月没有到账"),
    "CIVIL_AFFAIRS.REGISTRY.FUNERALS": ("QC", "？丧葬补助金如何申领|公墓收费过高"),
    "CIVIL_AFFAIRS.REGISTRY.MARRIAGE": ("Q", "婚姻登记需要携带哪些材料|婚姻登记处的办公时间"),
    "CIVIL_AFFAIRS.REGISTRY.CHILDREN": ("RQ", "留守儿童无人照看|？困境儿童如何申请生活补贴"),
    "CIVIL_AFFAIRS.SPECIAL_GROUPS.DISABILITY": ("Q", "残疾证如何办理|残疾人两项补贴的申领流程"),
    "CIVIL_AFFAIRS.SPECIAL_GROUPS.VETERANS": (
        "QR",
        "？退役军人优待证如何申领|？退役士兵安置政策|退役军人优待证申请后迟迟未发放",
    ),
    # 农牧林水
    "AGRICULTURE.FARMING.INPUTS": ("P", "买到假种子，出苗率很低|农资店销售劣质化肥"),
    "AGRICULTURE.FARMING.SUBSIDIES": ("Q", "耕地地力保护补贴什么时候发放|惠农补贴如何查询"),
    "AGRICULTURE.FARMING.ANIMAL_HEALTH": ("P", "有人随意丢弃病死羊|活畜交易未经检疫"),
    "AGRICULTURE.FARMING.LIVESTOCK": ("CP", "养殖场粪污随意堆放|禁牧区有人放牧"),
    "AGRICULTURE.RURAL.LAND_CONTRACTS": (
        "RQ",
        "土地流转费未按时支付|土地承包经营权确权信息有误|？土地承包经营权如何流转",
    ),
    "AGRICULTURE.RURAL.COLLECTIVE_ASSETS": ("CP", "村集体资产收益不公开|村务账目长期不公示"),
    "AGRICULTURE.RURAL.RELAPSE": ("R", "家中因病致贫，申请帮扶|脱贫户因灾收入下降，希望纳入监测"),
    "AGRICULTURE.WATER_FORESTRY.IRRIGATION": (
        "R",
        "灌溉水渠堵塞，地浇不上水|灌溉用水时间安排不合理",
    ),
    "AGRICULTURE.WATER_FORESTRY.FLOODS": ("R", "山洪沟被垃圾堵塞，汛期有隐患|河道堤坝出现裂缝"),
    "AGRICULTURE.WATER_FORESTRY.FIRES": ("P", "有人在林区烧荒|山上冒烟，疑似起火"),
    # 应急管理
    "EMERGENCY.PRODUCTION.ENTERPRISES": ("P", "工厂工人高空作业无防护|企业违规作业存在安全隐患"),
    "EMERGENCY.PRODUCTION.CHEMICALS": ("P", "仓库违规储存危化品|化工企业储罐周边管理混乱"),
    "EMERGENCY.PRODUCTION.MINES": ("P", "有人非法开采煤矿|煤矿违规组织生产"),
    "EMERGENCY.PRODUCTION.BUILDING_SITES": (
        "P",
        "工地塔吊作业无人指挥|脚手架搭设不规范，工人无安全带",
    ),
    "EMERGENCY.PRODUCTION.FIREWORKS": ("P", "居民楼内非法储存烟花爆竹|无证销售烟花爆竹"),
    "EMERGENCY.INCIDENTS.HAZMAT_LEAK": ("R", "槽罐车发生泄漏，气味刺鼻|工厂有不明气体泄漏"),
    "EMERGENCY.INCIDENTS.ACCIDENTS": ("R", "工地发生事故，有工人受伤|厂区发生生产安全事故"),
    "EMERGENCY.INCIDENTS.DISASTERS": ("R", "暴雨导致山体滑坡，道路中断|沙尘暴刮倒围墙"),
    "EMERGENCY.INCIDENTS.WEATHER": ("Q", "明天是否有大风降温|寒潮预警期间有哪些注意事项"),
    # 企业服务
    "ENTERPRISE.BUSINESS_ENVIRONMENT.COMPLAINTS": (
        "C",
        "办事人员对企业吃拿卡要|部门对企业诉求推诿不办",
    ),
    "ENTERPRISE.BUSINESS_ENVIRONMENT.APPROVALS": (
        "QC",
        "？项目审批的流程和时限|项目审批手续迟迟办不下来",
    ),
    "ENTERPRISE.BUSINESS_ENVIRONMENT.REGISTRATION": (
        "Q",
        "企业开办如何全程网办|企业简易注销的条件",
    ),
    "ENTERPRISE.POLICIES.ENQUIRIES": ("Q", "今年中小企业扶持资金的申报条件|技术改造奖补政策"),
    "ENTERPRISE.POLICIES.FULFILMENT": ("C", "已批复的奖补资金迟迟未拨付|政策兑现申报后无人回复"),
    "ENTERPRISE.POLICIES.TAX_RELIEF": ("Q", "小微企业减税政策|增值税留抵退税如何申请"),
    "ENTERPRISE.POLICIES.FINANCING": ("QR", "？创业担保贷款的额度|企业融资难，希望政府协调"),
    "ENTERPRISE.INTEGRITY.PAYMENT_ARREARS": (
        "C",
        "机关单位拖欠企业工程款|政府项目拖欠中小企业账款",
    ),
    "ENTERPRISE.INTEGRITY.PROMISES": (
        "C",
        "招商引资承诺的优惠政策不兑现|招商合同约定的配套设施未落实",
    ),
    "ENTERPRISE.INTEGRITY.CHARGES": ("C", "向企业乱收费乱摊派|对企业重复检查罚款"),
    # 政务服务
    "GOVERNMENT.EFFICIENCY.DELAYS": ("C", "办理业务超过承诺时限|窗口以系统故障为由拖延不办"),
    "GOVERNMENT.EFFICIENCY.RUNAROUND": ("C", "办事要求反复提交证明材料|一件事跑了好几趟没办成"),
    "GOVERNMENT.EFFICIENCY.ONLINE": (
        "CQ",
        "蒙速办App提交材料后一直显示审核中|网上办事系统经常打不开|？哪些事项可以在蒙速办App上办理",
    ),
    "GOVERNMENT.CONDUCT.ATTITUDE": ("C", "窗口工作人员态度生硬|办事大厅工作人员玩手机不理人"),
    "GOVERNMENT.CONDUCT.OFFICIALS": ("P", "公职人员上班时间外出办私事|基层干部不作为"),
    "GOVERNMENT.CONDUCT.ENFORCEMENT": ("C", "执法人员粗暴执法|执法过程未出示证件"),
    "GOVERNMENT.PETITIONS.PETITIONS": ("R", "多年前的征地问题至今未解决|反映的问题多次信访未果"),
    "GOVERNMENT.PETITIONS.REPEATS": ("C", "此前反映的问题至今未解决|上次反映后部门答复不实"),
    # 文化旅游
    "CULTURE.TOURISM.COMPLAINTS": ("C", "跟团游被导游强制购物|旅行社擅自变更行程"),
    "CULTURE.TOURISM.SCENIC_AREAS": ("CQ", "景区门票价格与公示不符|？乌海湖景区开放时间和门票优惠"),
    "CULTURE.CULTURE.INTERNET_CAFES": ("P", "网吧接纳未成年人|网吧不登记身份证"),
    "CULTURE.CULTURE.VENUES": ("C", "演出场所超员售票|KTV未取得文化经营许可"),
    "CULTURE.CULTURE.SPORTS": ("QS", "？体育馆是否免费开放|＋建议增加全民健身场地"),
    "CULTURE.CULTURE.PUBLIC_CULTURE": ("QS", "？图书馆开放时间|＋建议图书馆延长夜间开放时间"),
    # 政策咨询
    "CONSULTATION.PERMITS.HUKOU": ("Q", "投靠子女落户的条件|户口迁移需要哪些材料"),
    "CONSULTATION.PERMITS.ID_CARDS": ("Q", "身份证丢失如何补办|异地换领身份证的流程"),
    "CONSULTATION.PERMITS.EXIT_ENTRY": ("Q", "办理护照需要多长时间|港澳通行证续签如何办理"),
    "CONSULTATION.PERMITS.VEHICLES": ("Q", "驾驶证到期换证流程|机动车年检预约方式"),
    "CONSULTATION.POLICIES.SOCIAL_SECURITY": ("Q", "灵活就业人员社保缴费基数|社保待遇资格认证方式"),
    "CONSULTATION.POLICIES.TALENT": ("Q", "高校毕业生来乌就业的安家补贴|人才引进的申报条件"),
    "CONSULTATION.POLICIES.TAX": ("Q", "个人所得税年度汇算如何办理|个人代开发票的流程"),
    "CONSULTATION.POLICIES.HOUSING": ("Q", "购房补贴政策是否还在执行|首套房契税优惠标准"),
    "CONSULTATION.GUIDANCE.PROCEDURES": ("Q", "办理营业执照需要什么材料|不动产登记在哪里办理"),
    "CONSULTATION.GUIDANCE.CONTACTS": ("Q", "社保中心的办公地址和电话|政务服务中心周末是否上班"),
    # 表扬建议
    "FEEDBACK.PRAISE.STAFF": (
        "T",
        "热力公司维修师傅冒雪上门抢修，服务热情周到|"
        "社区网格员帮助独居老人解决生活难题|派出所民警帮忙找回走失老人",
    ),
    "FEEDBACK.PRAISE.HOTLINE": ("T", "热线话务员耐心解答问题|反映的问题在热线督促下很快解决"),
    "FEEDBACK.SUGGESTIONS.CITY": ("S", "建议在滨河公园增设休息座椅|建议增设城市慢行步道"),
    "FEEDBACK.SUGGESTIONS.SERVICES": (
        "S",
        "建议政务服务中心延长午间办公时间|建议增加便民自助服务终端",
    ),
    "FEEDBACK.SUGGESTIONS.POLICIES": (
        "S",
        "建议完善老旧小区加装电梯补贴政策|建议简化灵活就业人员社保办理流程",
    ),
}

#: What the department did, by group or leaf (the leaf wins), ``|``-separated variants.
REPLIES: dict[str, str] = {
    "HEATING.QUALITY": (
        "维修人员已上门排查，对管网排气并调节入户阀门，复测室温达到18℃以上|"
        "经检测为单元立管堵塞，已清洗疏通，供热恢复正常"
    ),
    "HEATING.QUALITY.PIPE_LEAK": "维修人员已关阀抢修，更换破损管段，漏水已止住并恢复供热",
    "HEATING.FEES.REFUND": "已核实供热情况，按规定为市民办理退费，款项将于十个工作日内退回",
    "HEATING.SERVICE": "已安排专人跟进，维修及施工现场已处理完毕，并向市民致歉",
    "HEATING.SERVICE.NEW_ESTATES": "已协调开发商和热力公司完成入网手续，小区已正常供热",
    "UTILITIES.WATER": (
        "供水公司已派抢修人员到场处理，供水已恢复正常|已完成管道抢修并对水质进行检测，各项指标合格"
    ),
    "UTILITIES.DRAINAGE": "已组织清掏疏通排水管网，积水和污水已清理完毕",
    "UTILITIES.GAS_SAFETY": "燃气公司已派人到场检测处置，隐患已排除，并对住户开展安全宣传",
    "UTILITIES.GAS_SAFETY.BOTTLED": "已会同相关部门现场检查，依法查扣违规气瓶并责令整改",
    "UTILITIES.GAS_SERVICE": "燃气公司已完成抢修，供气已恢复正常",
    "UTILITIES.POWER": "供电公司已派抢修人员处理，供电已恢复正常|已更换老化线路和设备，隐患已消除",
    "PROPERTY.SERVICE": (
        "已约谈物业服务企业，责令限期整改，目前问题已处理|已督促物业安排维修，现已修复"
    ),
    "PROPERTY.SERVICE.ABANDONED": (
        "已由社区牵头临时代管，组织清理垃圾并修复设施，正在协调引入新物业"
    ),
    "PROPERTY.OWNERS_COMMITTEE": "已由街道指导业委会依法履职，并督促其按规定公示相关事项",
    "PROPERTY.SERVICE.FEES": "已约谈物业企业，责令其按备案标准收费并公示收费明细",
    "PROPERTY.PARKING": "已协调物业和开发商，按规定公示收费标准并规范车位管理",
    "PROPERTY.PARKING.LOCKS": "社区已协调物业拆除私装地锁，并清理长期占用的车辆",
    "HOUSING.QUALITY": "已约谈开发企业，督促其在保修期内完成维修，现已修复",
    "HOUSING.SAFETY": "已组织专业人员现场鉴定并设置警示，责令产权单位限期整改，隐患已排除",
    "HOUSING.CERTIFICATES": "已督促开发企业补齐手续，相关房产证办理工作正在推进",
    "HOUSING.MARKET": "已约谈相关企业，责令整改并依法处理，已向市民说明进展",
    "HOUSING.DEMOLITION": "已核实征收补偿情况，按政策向市民作了解释，相关款项正在发放",
    "HOUSING.PROVIDENT_FUND": "已督促单位为职工补缴住房公积金",
    "HOUSING.SUPPORT": "已核实改造计划和申请情况，向市民说明安排并协助办理相关手续",
    "LABOUR.WAGES": (
        "劳动监察大队已约谈用工单位，被拖欠工资已足额发放|"
        "已责令企业限期支付拖欠工资，工人已领到工资"
    ),
    "LABOUR.RELATIONS": "已约谈用人单位，责令其依法整改，并告知劳动者维权途径",
    "LABOUR.SOCIAL_INSURANCE": "已督促用人单位为职工补缴社会保险",
    "LABOUR.SOCIAL_INSURANCE.WORK_INJURY": "已督促加快工伤认定，相关待遇已按规定支付",
    "LABOUR.PENSIONS": "已核实发放情况，相关款项已到账",
    "LABOUR.MEDICAL_INSURANCE.FRAUD": "已对涉事机构立案调查，依法追回医保基金并处罚",
    "NOISE": "已到现场责令停止扰民行为，并加强巡查|已对当事人进行劝导教育，噪音问题已解决",
    "NOISE.CONSTRUCTION": "已责令施工单位停止夜间施工，需连续作业须依法办理审批并公告",
    "MARKET.FOOD": "执法人员已现场检查，责令商户整改并依法立案处理",
    "MARKET.DRUGS": "已对涉事药店进行检查，责令整改并依法处理",
    "MARKET.PRICES": "已对经营者进行价格检查，责令其规范明码标价，并依法处理",
    "MARKET.CONSUMER": "已组织双方调解，商家同意退换货（退费），消费者表示认可",
    "MARKET.ORDER": "已对相关经营者立案调查，依法查处",
    "MARKET.SPECIAL_EQUIPMENT": "已督促维保单位到场处置，设备已恢复正常并安排全面检验",
    "TRANSPORT.BUS": "公交公司已对驾驶员进行批评教育并考核，同时优化线路班次",
    "TRANSPORT.BUS.ROUTES": "公交公司已将增设线路和站点的需求纳入线网优化方案",
    "TRANSPORT.TAXI": "已调取行车记录核实，对驾驶员依规处理，多收费用已退还",
    "TRANSPORT.TAXI.LOST_PROPERTY": "已通过车辆定位联系到司机，失物已归还市民",
    "TRANSPORT.ROADS": "已安排养护单位对路面进行修补，现已修复完毕",
    "TRANSPORT.TRAFFIC": "交警部门已现场处置，恢复交通秩序并对相关设施进行维修",
    "TRANSPORT.PARKING": "已到现场处置违停车辆，并加强该路段巡查",
    "TRANSPORT.FREIGHT": "已在相关路段设卡检查，对违法车辆依法处罚",
    "ENVIRONMENT": (
        "执法人员已到现场检查，责令企业整改并依法立案处理|经监测已责令停止排放，后续将加强监管"
    ),
    "ENVIRONMENT.AIR.CATERING_FUMES": "已责令商户安装油烟净化设施并定期清洗，现已整改到位",
    "ENVIRONMENT.DUST": "已责令施工单位覆盖裸土、落实洒水降尘，现场已整改",
    "ENVIRONMENT.WASTE": "已安排环卫车辆清运，并加密清运频次",
    "URBAN.CITYSCAPE": "执法人员已到现场劝导摊贩规范经营，并加强巡查|已清理违规张贴物，恢复市容",
    "URBAN.ILLEGAL_BUILDING": "已下达限期拆除通知书，违建已拆除",
    "URBAN.SANITATION": "已安排保洁人员清扫并加强日常保洁|已组织清雪除冰，道路已恢复通行",
    "URBAN.GREENING": "园林部门已安排人员修剪树木并修复绿地",
    "URBAN.FACILITIES": "已安排维修人员处理，设施已修复|已补装井盖并设置警示标志",
    "URBAN.ANIMALS": "已联系养犬人进行教育并督促文明养犬|已安排人员收容流浪动物",
    "SECURITY": "公安机关已接警处置并依法调查|已到现场核查，依法处理相关人员",
    "SECURITY.FIRE": "消防救援人员已现场检查，责令清理堵塞物并整改隐患",
    "SECURITY.FRAUD": "公安机关已受理并开展调查，同时向市民宣传防范知识",
    "SECURITY.FIRE.EBIKE_CHARGING": "社区已联系住户停止飞线充电，并引导使用集中充电设施",
    "DISPUTES": "已组织双方调解，达成调解协议|人民调解员已上门调解，矛盾已化解",
    "DISPUTES.RIGHTS": "已联系当事人了解情况，协调相关部门提供帮助",
    "EDUCATION": "教育部门已约谈学校，责令整改并向家长说明情况",
    "EDUCATION.ENROLMENT": "已核实学位情况，协调就近学校和幼儿园解决入学入园需求",
    "EDUCATION.FEES.TUTORING": "已约谈培训机构，责令按规定退还未消课费用",
    "HEALTH": "已责令医院调查核实，对相关人员批评教育，并向患者致歉|卫健部门已现场检查，责令整改",
    "HEALTH.MENTAL.CRISIS": (
        "已联系心理援助热线专家介入干预，并通知家属和社区持续关注，来电人情绪已稳定"
    ),
    "HEALTH.VACCINES.REACTIONS": "已组织专家会诊，儿童已得到妥善治疗，目前情况稳定",
    "CIVIL_AFFAIRS": "已入户核实情况，符合条件的已纳入救助并发放救助金|已安排工作人员上门协助办理",
    "CIVIL_AFFAIRS.ASSISTANCE.HOMELESS": "救助站已派人将流浪人员接回站内救助",
    "CIVIL_AFFAIRS.ELDERLY.INSTITUTIONS": "已对养老机构进行检查，责令其整改护理服务并公示收费",
    "CIVIL_AFFAIRS.REGISTRY.FUNERALS": "已核实收费情况，责令公墓按公示标准收费",
    "AGRICULTURE": "已派技术人员现场核查，依法处理并指导整改",
    "AGRICULTURE.RURAL": "已督促村委会公开集体资产和村务收支情况，并组织审计核查",
    "AGRICULTURE.RURAL.LAND_CONTRACTS": "已组织村委会和双方协商，土地流转纠纷已调解",
    "AGRICULTURE.RURAL.RELAPSE": "已入户核实，将其纳入防返贫监测对象并落实帮扶措施",
    "EMERGENCY": "应急管理部门已组织检查，责令企业停产整改并依法处罚",
    "EMERGENCY.INCIDENTS": "已第一时间组织救援处置，现场险情已排除",
    "ENTERPRISE": "已协调相关部门现场办公，推动问题解决，企业表示认可",
    "ENTERPRISE.POLICIES": "已协调相关部门加快审核拨付，资金已到位",
    "GOVERNMENT": "已约谈相关窗口和工作人员，责令整改并向办事群众致歉",
    "GOVERNMENT.PETITIONS": "已依法按程序受理，相关部门正在调查处理，并向信访人说明情况",
    "GOVERNMENT.CONDUCT.ENFORCEMENT": "已调查核实执法过程，对相关执法人员批评教育并规范执法程序",
    "GOVERNMENT.CONDUCT.OFFICIALS": "已转纪检监察部门调查核实，依规依纪处理",
    "GOVERNMENT.EFFICIENCY.ONLINE": "已协调技术人员排查系统问题，市民的事项已办结",
    "CULTURE": "已对经营者进行检查，责令整改并依法处理",
    "CULTURE.TOURISM": "已约谈旅行社和景区，责令退还相关费用并依法处理",
}

#: How a ticket is written up, by kind: who came forward (市民来电 ...), then what they said;
#: about something at their own place, where it is and since when.
_FRAMES: dict[TicketKind, tuple[str, ...]] = {
    TicketKind.COMPLAINT: (
        "{who}反映：{text}，{tried}，希望相关部门尽快处理。",
        "{who}投诉：{text}，要求相关部门调查处理并给予答复。",
    ),
    TicketKind.REQUEST: (
        "{who}反映：{text}，请求相关部门尽快协调处理。",
        "{who}反映：{text}，希望相关部门帮助解决。",
    ),
    TicketKind.REPORT: (
        "{who}反映：{text}，请相关部门核查处理。",
        "{who}举报：{text}，希望尽快依法查处。",
    ),
    TicketKind.CONSULTATION: ("{who}咨询：{text}。", "{who}咨询{text}，请相关部门给予解答。"),
    TicketKind.SUGGESTION: ("{who}提出：{text}。",),
    TicketKind.PRAISE: ("{who}表扬：{text}，特此致谢。",),
}
_LOCAL_FRAMES: dict[TicketKind, tuple[str, ...]] = {
    TicketKind.COMPLAINT: (
        "{who}反映：{addr}{text}，{since}，{tried}，严重影响正常生活，要求尽快处理。",
        "{who}反映：{addr}{text}，{since}，希望相关部门尽快解决并给予答复。",
    ),
    TicketKind.REQUEST: (
        "{who}反映：{addr}{text}，{since}，请求相关部门尽快协调处理。",
        "{who}反映：{addr}{text}，希望派人查看处理。",
    ),
    TicketKind.REPORT: (
        "{who}反映：{addr}{text}，请相关部门核查处理。",
        "{who}举报：{addr}{text}，存在隐患，希望尽快依法查处。",
    ),
}
_GRID_FRAMES: tuple[str, ...] = (
    "网格员巡查发现：{addr}{text}，已拍照留存，请相关部门处置。",
    "网格员走访居民时了解到：{addr}{text}，请相关部门处理。",
)
#: Marks the texts of a leaf filed under several kinds that belong to one kind only.
_MARKS = {TicketKind.CONSULTATION: "？", TicketKind.SUGGESTION: "＋"}
_SINCE = ("已持续两三天", "从上周开始", "近几天一直这样", "今天上午开始", "反复出现", "已有些日子")
_TRIED = ("此前已反映过但未解决", "多次反映未果", "联系相关单位无人处理", "自行协调无果")
_ANSWER_ROUTES = (
    "可通过蒙速办App在线办理",
    "可到市政务服务中心相关窗口办理",
    "可通过乌海12345微信小程序查询",
    "已将办理流程和所需材料以短信发送",
)
ON_SITE_NOTES = (
    "网格员现场劝导，当事人已整改完毕",
    "已现场协调处理完毕",
    "已联系物业现场清理完毕",
    "经现场调解，双方达成一致",
    "已现场督促整改，问题已解决",
)
REVISIT_NOTES = {
    "SATISFIED": ("市民对办理结果满意", "市民表示满意，感谢相关部门", "满意"),
    "BASICALLY_SATISFIED": ("市民表示基本满意", "问题已基本解决，市民基本满意"),
    "UNSATISFIED": ("市民表示问题仍未解决，要求重新办理", "市民对答复不认可，要求重办"),
}
URGE_NOTES = ("市民来电催办，请加快办理", "诉求人再次来电，请尽快处理并回复", "请抓紧办理")
#: Categories about something at the caller's own place: their tickets name it.
LOCAL = (
    "HEATING.QUALITY", "HEATING.SERVICE.NETWORK_WORKS", "HEATING.SERVICE.NEW_ESTATES",
    "UTILITIES.WATER.OUTAGE", "UTILITIES.WATER.LOW_PRESSURE", "UTILITIES.WATER.QUALITY",
    "UTILITIES.WATER.PIPE_BURST", "UTILITIES.DRAINAGE", "UTILITIES.GAS_SAFETY",
    "UTILITIES.GAS_SERVICE.OUTAGE", "UTILITIES.POWER.OUTAGE", "UTILITIES.POWER.VOLTAGE",
    "UTILITIES.POWER.HAZARD", "PROPERTY", "HOUSING.QUALITY", "HOUSING.SAFETY",
    "HOUSING.MARKET.LATE_DELIVERY", "HOUSING.SUPPORT.RENOVATION", "NOISE", "ENVIRONMENT",
    "URBAN", "TRANSPORT.ROADS", "TRANSPORT.TRAFFIC", "TRANSPORT.PARKING", "TRANSPORT.BUS.ROUTES",
    "SECURITY.ORDER.HAZARDS", "SECURITY.FIRE", "MARKET.SPECIAL_EQUIPMENT.ELEVATOR",
    "MARKET.FOOD.CATERING", "MARKET.FOOD.WORKSHOPS", "DISPUTES.CIVIL.NEIGHBOURS", "EMERGENCY",
    "AGRICULTURE.WATER_FORESTRY", "AGRICULTURE.FARMING.LIVESTOCK", "EDUCATION.SCHOOLS.SAFETY",
    "CIVIL_AFFAIRS.ASSISTANCE.HOMELESS",
)  # fmt: skip
ESTATE_PREFIXES = (
    "滨河", "阳光", "金地", "海馨", "紫荆", "湖景", "龙泉", "福泽", "泰和", "康乐",
    "惠民", "锦绣", "御景", "世纪", "盛世", "碧水", "书香", "枫林", "丽景", "凤凰",
    "青山", "绿洲", "和谐", "明珠", "东方", "西城", "南苑", "北辰", "嘉园", "黄河",
)  # fmt: skip
ESTATE_SUFFIXES = ("花园", "小区", "家园", "苑", "华庭", "新村", "名苑", "佳园", "雅居", "公寓")


def kinds_of(code: str) -> tuple[TicketKind, ...]:
    """The kinds a leaf's tickets are filed as, the most common first."""
    entry = LEAVES.get(code)
    return tuple(KIND_LETTERS[letter] for letter in entry[0]) if entry else (TicketKind.REQUEST,)


def texts_for(code: str, name: str, kind: TicketKind) -> tuple[str, ...]:
    """What callers say about the leaf ``code`` (named ``name``) in a ticket of ``kind``:
    the texts marked for that kind if the leaf has any, else its plain texts."""
    entry = LEAVES.get(code)
    if entry is None:
        return (f"{name}问题",)
    texts = entry[1].split("|")
    mark = _MARKS.get(kind)
    marked = tuple(t[1:] for t in texts if mark and t.startswith(mark))
    return marked or tuple(t for t in texts if t[0] not in "？＋")


def estate(grid_code: str, rng: random.Random) -> str:
    """One of the two housing estates of a community grid (the same two on every run)."""
    seed = zlib.crc32(grid_code.encode())
    first = ESTATE_PREFIXES[seed % len(ESTATE_PREFIXES)]
    second = ESTATE_PREFIXES[(seed >> 8) % len(ESTATE_PREFIXES)]
    suffix = ESTATE_SUFFIXES[(seed >> 16) % len(ESTATE_SUFFIXES)]
    return f"{rng.choice((first, second))}{suffix}"


def title(kind: TicketKind, text: str, place: str) -> str:
    """A ticket's title: the place and the first clause of what was said."""
    clause = text.split("，")[0]
    if kind is TicketKind.CONSULTATION:
        return clause if clause.startswith("咨询") else f"咨询{clause}"
    if kind is TicketKind.PRAISE:
        return f"表扬{clause}"
    if kind is TicketKind.SUGGESTION:
        return clause
    return f"{place}{clause}"[:100]


def content(
    kind: TicketKind, text: str, *, who: str, address: str, grid_event: bool, rng: random.Random
) -> str:
    """The ticket's content as an agent or grid worker writes it up; ``address`` (empty for
    what is not about the caller's own place) says where."""
    if grid_event:
        frames = _GRID_FRAMES
    else:
        frames = _LOCAL_FRAMES.get(kind, _FRAMES[kind]) if address else _FRAMES[kind]
    return rng.choice(frames).format(
        who=who,
        addr=address,
        text=text,
        since=rng.choice(_SINCE),
        tried=rng.choice(_TRIED),
    )


def reply(code: str, kind: TicketKind, text: str, department: str, rng: random.Random) -> str:
    """What the department answers when it resolves a ticket."""
    if kind is TicketKind.CONSULTATION:
        return (
            f"{department}已电话联系诉求人，就所咨询的{text.split('，')[0]}作了详细解答，"
            f"{rng.choice(_ANSWER_ROUTES)}。"
        )
    if kind is TicketKind.PRAISE:
        return f"已将市民的表扬转达{department}，并在单位内部通报表扬。"
    if kind is TicketKind.SUGGESTION:
        return f"{department}已收悉建议，将在下一步工作中认真研究、积极采纳，感谢市民关心。"
    action = _action(code)
    return f"经{department}核实处理：{rng.choice(action.split('|'))}。已电话回复诉求人。"


def intake_reply(kind: TicketKind, text: str, desk: str, rng: random.Random) -> str:
    """What the agent (``desk``: 话务员, 窗口工作人员) answers at first contact (一次办结)."""
    if kind is TicketKind.PRAISE:
        return "已记录市民的表扬，将转达相关单位，感谢市民对热线工作的支持。"
    topic = text.split("，")[0]
    return f"{desk}根据知识库当即解答了市民咨询的{topic}，{rng.choice(_ANSWER_ROUTES)}。"


def return_reason(right: str) -> str:
    """Why a department sends back a ticket that is not its business."""
    return f"经核实，该诉求不属于本单位职责范围，应由{right}办理，请重新派单。"


def _action(code: str) -> str:
    parts = code.split(".")
    for depth in (3, 2, 1):
        found = REPLIES.get(".".join(parts[:depth]))
        if found:
            return found
    return "已安排专人核实处理，问题已解决"
