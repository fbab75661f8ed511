"""Load the hotline's catalogue: the demo category tree, China's public holidays and the
desks' policy specialists (:mod:`tickets.demo.specialists`).

Idempotent: only missing categories and calendar days are added, in one transaction.
"""

from __future__ import annotations

from datetime import timedelta

from tortoise.transactions import in_transaction

from grids.demo import SeedReport
from tickets.demo.categories import category_tree
from tickets.demo.specialists import seed_demo_specialists
from tickets.holidays import CHINA_HOLIDAYS, CHINA_WORKDAYS
from tickets.models import CalendarDay, CalendarDayKind, Category, SafetyDimension
from tickets.sla import Urgency


async def seed_ticket_catalogue() -> SeedReport:
    """Add the demo categories and the known public holidays that are missing."""
    async with in_transaction():
        known = dict(await Category.all().values_list("code", "id"))
        categories = 0
        for order, spec in enumerate(category_tree(), start=1):
            if spec.code in known:
                continue
            created = await Category.create(
                code=spec.code,
                name=spec.name,
                name_en=spec.name_en,
                parent_id=known[spec.parent] if spec.parent else None,
                level=spec.code.count(".") + 1,
                department_key=spec.department,
                dimension=SafetyDimension(spec.dimension) if spec.dimension else None,
                reply_days=spec.reply_days,
                complete_days=spec.complete_days,
                urgency_hint=Urgency(spec.urgency_hint) if spec.urgency_hint else None,
                keywords=list(spec.keywords),
                sort_order=order,
            )
            known[spec.code] = created.id
            categories += 1
        days = set(await CalendarDay.all().values_list("day", flat=True))
        wanted = [
            CalendarDay(day=first + timedelta(days=n), kind=CalendarDayKind.HOLIDAY, name=name)
            for first, last, name in CHINA_HOLIDAYS
            for n in range((last - first).days + 1)
        ] + [
            CalendarDay(day=day, kind=CalendarDayKind.WORKDAY, name=name)
            for day, name in CHINA_WORKDAYS
        ]
        missing = [d for d in wanted if d.day not in days]
        await CalendarDay.bulk_create(missing)
    specialists = await seed_demo_specialists()
    return SeedReport(
        {"ticket_categories": categories, "calendar_days": len(missing), "specialists": specialists}
    )
