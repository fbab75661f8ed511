"""The demo city's policy specialists: demo-specialist of the market-supervision bureau
on the enterprise desk, and a dozen more of the departments enterprises and citizens
most often need on the line (tax, development and reform, industry, commerce, finance,
human resources, housing fund ...).

Idempotent: missing accounts (password-less, but demo-specialist's, which the demo city
creates with the password ``demo``) and missing profiles are added; nothing is changed.
"""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.transactions import in_transaction

from accounts.models import Account, Role
from accounts.service import create_account
from grids.models import Department
from tickets.models import Desk, Specialist
from wuyou import clock

_E, _I = Desk.ENTERPRISE, Desk.INTEGRITY


@dataclass(frozen=True, slots=True)
class SpecialistSpec:
    username: str
    display_name: str
    department: str
    title: str
    topics: tuple[str, ...]
    desks: tuple[Desk, ...]


DEMO_SPECIALISTS: tuple[SpecialistSpec, ...] = (
    SpecialistSpec(
        "demo-specialist",
        "演示政策专家",
        "150300-SCJG",
        "登记注册科科长",
        ("ENTERPRISE", "LICENCE", "TAX", "MARKET"),
        (_E,),
    ),
    SpecialistSpec(
        "spec-swj", "高建华", "150300-SWJ", "纳税服务科", ("ENTERPRISE.POLICIES", "TAX"), (_E,)
    ),
    SpecialistSpec(
        "spec-fg",
        "李文博",
        "150300-FG",
        "营商环境建设科",
        ("ENTERPRISE.BUSINESS_ENVIRONMENT", "ENTERPRISE.INTEGRITY", "MARKET.PRICES"),
        (_E, _I),
    ),
    SpecialistSpec(
        "spec-gx",
        "张秀云",
        "150300-GX",
        "中小企业服务科",
        ("ENTERPRISE.POLICIES", "ENTERPRISE.INTEGRITY.PAYMENT_ARREARS"),
        (_E, _I),
    ),
    SpecialistSpec(
        "spec-sw",
        "王海鹏",
        "150300-SW",
        "投资促进科",
        ("ENTERPRISE.INTEGRITY.PROMISES", "INVESTMENT"),
        (_E, _I),
    ),
    SpecialistSpec(
        "spec-cz",
        "陈丽娟",
        "150300-CZ",
        "金融服务科",
        ("ENTERPRISE.POLICIES.FINANCING", "ENTERPRISE.INTEGRITY.PAYMENT_ARREARS"),
        (_E, _I),
    ),
    SpecialistSpec(
        "spec-zsj",
        "刘志强",
        "150300-ZSJ",
        "审批服务科",
        ("ENTERPRISE.BUSINESS_ENVIRONMENT", "GOVERNMENT", "LICENCE"),
        (_E, _I),
    ),
    SpecialistSpec(
        "spec-rs",
        "赵春梅",
        "150300-RS",
        "社会保险科",
        ("LABOUR", "SOCIAL_INSURANCE"),
        (_E,),
    ),
    SpecialistSpec(
        "spec-gjj",
        "孙佳琪",
        "150300-GJJ",
        "归集管理科",
        ("HOUSING.PROVIDENT_FUND", "HOUSING_FUND"),
        (_E,),
    ),
    SpecialistSpec(
        "spec-sf",
        "周浩然",
        "150300-SF",
        "公共法律服务科",
        ("DISPUTES", "ENTERPRISE.INTEGRITY", "LEGAL"),
        (_I,),
    ),
    SpecialistSpec(
        "spec-sj", "吴建军", "150300-SJ", "财政审计科", ("ENTERPRISE.INTEGRITY",), (_I,)
    ),
    SpecialistSpec(
        "spec-zj",
        "郑晓燕",
        "150300-ZJ",
        "房地产市场科",
        ("HOUSING", "PROPERTY"),
        (),
    ),
    SpecialistSpec(
        "spec-yb",
        "何玉兰",
        "150300-YB",
        "待遇保障科",
        ("LABOUR.MEDICAL_INSURANCE", "MEDICAL_INSURANCE"),
        (),
    ),
)


async def seed_demo_specialists() -> int:
    """Add the demo specialists that are missing; return how many profiles were added.
    demo-specialist gets its profile only once the demo city has created its account."""
    departments = dict(
        await Department.filter(code__in=[s.department for s in DEMO_SPECIALISTS]).values_list(
            "code", "id"
        )
    )
    accounts = dict(
        await Account.filter(username__in=[s.username for s in DEMO_SPECIALISTS]).values_list(
            "username", "id"
        )
    )
    profiled = set(
        await Specialist.filter(account_id__in=list(accounts.values())).values_list(
            "account_id", flat=True
        )
    )
    added = 0
    now = clock.now()
    async with in_transaction():
        for spec in DEMO_SPECIALISTS:
            if spec.department not in departments:
                continue
            account_id = accounts.get(spec.username)
            if account_id is None:
                if spec.username.startswith("demo-"):
                    continue  # the demo city's account, with its password
                created = await create_account(
                    username=spec.username,
                    role=Role.SPECIALIST,
                    display_name=spec.display_name,
                    password=None,
                    is_demo=True,
                )
                account_id = created.id
            if account_id in profiled:
                continue
            await Specialist.create(
                account_id=account_id,
                department_id=departments[spec.department],
                title=spec.title,
                topics=list(spec.topics),
                desks=[d.value for d in spec.desks],
                is_active=True,
                created_at=now,
            )
            added += 1
    return added
