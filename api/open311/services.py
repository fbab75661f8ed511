"""The hotline's leaf categories as GeoReport services, and their service definition.

Every active third-level category is a service: its dotted code is the
``service_code``, its name the ``service_name``, its first-level category the
``group`` and the words agents type for it the ``keywords``. Every service shares one
definition: the attributes below, typed as :mod:`plugins.forms` fields (which check
the values a client sends), plus one informational attribute (``variable`` false) that
states how soon the hotline completes such a request.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from plugins.forms import Choice, FieldType, FormField
from tickets.categories import CategoryRecord
from tickets.models import SlaSetting
from tickets.policy import SLA_SETTING_ID
from tickets.sla import SlaPolicy, TicketKind
from wuyou.clock import CITY_TIMEZONE

#: The GeoReport datatype of each form field type used here.
DATATYPES = {
    FieldType.STRING: "string",
    FieldType.NUMBER: "number",
    FieldType.DATETIME: "datetime",
    FieldType.TEXT: "text",
    FieldType.SINGLE_CHOICE: "singlevaluelist",
    FieldType.MULTI_CHOICE: "multivaluelist",
}
KIND_LABELS = {
    TicketKind.CONSULTATION: ("咨询", "question"),
    TicketKind.REQUEST: ("求助", "request for help"),
    TicketKind.COMPLAINT: ("投诉", "complaint"),
    TicketKind.REPORT: ("举报", "report of a violation"),
    TicketKind.SUGGESTION: ("建议", "suggestion"),
    TicketKind.PRAISE: ("表扬", "praise"),
}
#: When the definition below (the attributes) last changed: the changeset's time while
#: no later change of the SLA policy is recorded.
DEFINITION_CHANGED = datetime(2026, 11, 28, tzinfo=CITY_TIMEZONE)
#: What a request is unless its ``kind`` attribute says otherwise.
DEFAULT_KIND = TicketKind.REQUEST
NOTICE_CODE = "notice"

ATTRIBUTES: tuple[FormField, ...] = (
    FormField(
        "kind",
        "诉求类型",
        FieldType.SINGLE_CHOICE,
        required=False,
        label_en="kind of request",
        help="默认为求助。Defaults to REQUEST.",
        choices=tuple(Choice(k.value, zh, en) for k, (zh, en) in KIND_LABELS.items()),
    ),
    FormField(
        "title",
        "标题",
        FieldType.STRING,
        required=False,
        label_en="title",
        help="2–100 个字；默认取描述的第一行。2–100 characters; defaults to the description's "
        "first line.",
        minimum=2,
        max_length=100,
    ),
    FormField(
        "occurred_at",
        "发生时间",
        FieldType.DATETIME,
        required=False,
        label_en="when it happened",
        help="ISO 8601，如 2026-11-27T08:30:00+08:00；不晚于现在。Not in the future.",
        past=True,
    ),
    FormField(
        "people_affected",
        "涉及人数",
        FieldType.NUMBER,
        required=False,
        label_en="people affected",
        help="1–100000 的整数。A whole number from 1 to 100000.",
        minimum=1,
        maximum=100_000,
        integer=True,
    ),
    FormField(
        "reply_by",
        "答复方式",
        FieldType.MULTI_CHOICE,
        required=False,
        label_en="how to be answered",
        choices=(
            Choice("PHONE", "电话", "phone"),
            Choice("SMS", "短信", "text message"),
            Choice("ONLINE", "网上", "online"),
        ),
    ),
    FormField(
        "expectation",
        "诉求目的",
        FieldType.TEXT,
        required=False,
        label_en="what should be done",
        help="希望如何解决，最多 500 字。What you would like done, at most 500 characters.",
        max_length=500,
    ),
)


def service(leaf: CategoryRecord, path: tuple[CategoryRecord, ...]) -> dict[str, Any]:
    """The GeoReport service of ``leaf``; ``path`` is its first- and second-level parents."""
    english = f" ({leaf.name_en})" if leaf.name_en else ""
    return {
        "service_code": leaf.code,
        "service_name": leaf.name,
        "description": " › ".join(c.name for c in (*path, leaf)) + english,
        "metadata": True,
        "type": "realtime",
        "keywords": ", ".join(leaf.keywords),
        "group": path[0].name if path else leaf.name,
    }


def completion_days(leaf: CategoryRecord, kind: TicketKind, policy: SlaPolicy) -> int:
    """The working days the hotline has to complete a request of ``kind`` in ``leaf``."""
    return leaf.complete_days or policy.complete_days[kind]


def service_notice(leaf: CategoryRecord, kind: TicketKind, policy: SlaPolicy) -> str:
    """What the hotline does with such a request, and how soon."""
    days = completion_days(leaf, kind, policy)
    return f"12345 热线受理后转交承办单位办理，一般 {days} 个工作日内办结。"


def definition(leaf: CategoryRecord, policy: SlaPolicy) -> dict[str, Any]:
    """The service definition of ``leaf``: its attributes in order."""
    notice = {
        "variable": False,
        "code": NOTICE_CODE,
        "datatype": "string",
        "required": False,
        "datatype_description": None,
        "order": 1,
        "description": service_notice(leaf, DEFAULT_KIND, policy),
        "values": [],
    }
    attributes = [notice]
    for order, spec in enumerate(ATTRIBUTES, start=2):
        attributes.append(
            {
                "variable": True,
                "code": spec.code,
                "datatype": DATATYPES[spec.type],
                "required": spec.required,
                "datatype_description": spec.help or None,
                "order": order,
                "description": f"{spec.label} ({spec.label_en})",
                "values": [
                    {"key": c.code, "name": f"{c.label} ({c.label_en})"} for c in spec.choices
                ],
            }
        )
    return {"service_code": leaf.code, "attributes": attributes}


async def changeset(
    leaves: Sequence[tuple[CategoryRecord, tuple[CategoryRecord, ...]]], policy: SlaPolicy
) -> str:
    """Discovery's changeset for the services of ``leaves`` under ``policy``: the time of
    the newest recorded change (the SLA policy's, else :data:`DEFINITION_CHANGED`), then
    ``#`` and a digest of the service list and every definition. Categories record no
    time of change, so a change to one (renamed, deactivated, new days) shows in the
    digest; any change to what clients read changes the changeset."""
    setting = await SlaSetting.filter(id=SLA_SETTING_ID).only("id", "updated_at").first()
    newest = max(DEFINITION_CHANGED, setting.updated_at) if setting else DEFINITION_CHANGED
    documents = [(service(leaf, path), definition(leaf, policy)) for leaf, path in leaves]
    digest = hashlib.sha256(json.dumps(documents, sort_keys=True).encode()).hexdigest()
    moment = newest.astimezone(CITY_TIMEZONE).isoformat(timespec="seconds")
    return f"{moment}#{digest[:12]}"
