"""纠纷调解 (dispute mediation): an industry committee or the area's people's mediation committee.

A dispute goes first to the industry committee for its kind (a medical dispute to the
medical dispute committee), otherwise to the people's mediation committee responsible for
the smallest area around the citizen. Completion records whether the parties agreed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from wuyou import (
    Choice,
    Dispatch,
    DispatchMode,
    FieldType,
    FormField,
    Free,
    ProviderKind,
    Qualification,
    ServiceType,
    hookimpl,
    rank_closest_coverage,
    rank_specialists_first,
)

SERVICE_TYPE = ServiceType(
    code="dispute_mediation",
    name="纠纷调解",
    name_en="Dispute mediation",
    brand="无忧解纷",
    description=(
        "人民调解免费：邻里、家庭、物业、劳动、消费、交通、医疗等纠纷，由行业专业调解委员会"
        "或所在地人民调解委员会调解；达成协议的可申请司法确认，调解不成的引导诉讼或仲裁。"
    ),
    fields=(
        FormField(
            "disputeType",
            "纠纷类型",
            FieldType.SINGLE_CHOICE,
            label_en="Dispute type",
            choices=(
                Choice("NEIGHBOURS", "邻里纠纷", "Neighbours"),
                Choice("FAMILY", "婚姻家庭纠纷", "Family"),
                Choice("PROPERTY_MANAGEMENT", "物业纠纷", "Property management"),
                Choice("LABOUR", "劳动争议", "Labour"),
                Choice("CONSUMER", "消费纠纷", "Consumer"),
                Choice("TRAFFIC", "交通事故纠纷", "Traffic accident"),
                Choice("MEDICAL", "医疗纠纷", "Medical"),
                Choice("OTHER", "其他", "Other"),
            ),
        ),
        FormField(
            "otherParty",
            "对方当事人",
            FieldType.STRING,
            label_en="Other party",
            help="姓名或单位名称，如“楼上 502 住户”“某物业公司”。",
            max_length=60,
        ),
        FormField(
            "otherPartyPhone",
            "对方联系电话",
            FieldType.PHONE,
            required=False,
            label_en="Other party's phone",
            help="便于调解员联系对方；仅接案的调解组织可见。",
        ),
        FormField(
            "description",
            "纠纷经过",
            FieldType.TEXT,
            label_en="What happened",
            help="时间、经过、您的诉求。",
            minimum=10,
            max_length=2000,
        ),
        FormField(
            "amount",
            "涉及金额",
            FieldType.NUMBER,
            required=False,
            label_en="Amount in dispute",
            minimum=0,
            maximum=100_000_000,
            unit="元",
        ),
    ),
    pricing=Free("人民调解不收费"),
    provider_kind=ProviderKind.MEDIATION_ORG,
    qualifications=(
        Qualification("mediation_committee_record", "人民调解委员会或行业调解组织备案"),
    ),
    dispatch=Dispatch(DispatchMode.SEQUENTIAL, accept_timeout=timedelta(minutes=30)),
    rank=rank_specialists_first("disputeType", then=rank_closest_coverage),
    outcomes=(
        Choice("AGREEMENT_REACHED", "达成调解协议", "Agreement reached"),
        Choice(
            "NO_AGREEMENT",
            "调解不成，引导诉讼或仲裁",
            "No agreement: referred to court or arbitration",
        ),
    ),
    example=lambda now: {
        "disputeType": "NEIGHBOURS",
        "otherParty": "楼上 502 住户",
        "description": "楼上卫生间漏水，我家天花板受潮发霉，多次沟通对方不愿维修。",
    },
)


@hookimpl
def register_service_types(register: Callable[[ServiceType], None]) -> None:
    register(SERVICE_TYPE)
