"""The category tree as plain records, and the queries that read it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from tickets.models import CATEGORY_CODE_MAX_LENGTH, Category, SafetyDimension
from tickets.sla import Urgency

#: The level of the leaves: only they take tickets, route them and set deadlines.
LEAF_LEVEL = 3


@dataclass(frozen=True, slots=True)
class CategoryRecord:
    """A node of the three-level category tree."""

    id: int
    code: str
    name: str
    name_en: str
    parent_id: int | None
    level: int
    department_key: str | None
    dimension: SafetyDimension | None
    reply_days: int | None
    complete_days: int | None
    urgency_hint: Urgency | None
    keywords: list[str]
    sort_order: int
    is_active: bool


_COLUMNS = tuple(CategoryRecord.__dataclass_fields__)
_ORDER = ("sort_order", "code")


def _record(row: Mapping[str, Any]) -> CategoryRecord:
    return CategoryRecord(**{c: row[c] for c in _COLUMNS})


async def categories(
    parent_code: str | None, *, include_inactive: bool = False
) -> list[CategoryRecord]:
    """The categories directly beneath ``parent_code`` (None: the top level) in catalogue
    order; inactive ones only when asked for. Empty for an unknown code."""
    query = (
        Category.filter(parent_id=None)
        if parent_code is None
        else Category.filter(parent__code=parent_code[:CATEGORY_CODE_MAX_LENGTH])
    )
    if not include_inactive:
        query = query.filter(is_active=True)
    return [_record(r) for r in await query.order_by(*_ORDER).values(*_COLUMNS)]


async def children_of(parent_ids: Iterable[int]) -> dict[int, list[CategoryRecord]]:
    """The active categories beneath each parent, in catalogue order (one query)."""
    wanted = list(set(parent_ids))
    result: dict[int, list[CategoryRecord]] = {pid: [] for pid in wanted}
    if wanted:
        rows = await (
            Category.filter(parent_id__in=wanted, is_active=True)
            .order_by(*_ORDER)
            .values(*_COLUMNS)
        )
        for row in rows:
            result[row["parent_id"]].append(_record(row))
    return result


async def get_categories_by_id(ids: Iterable[int]) -> dict[int, CategoryRecord]:
    """Categories by id (one query); unknown ids are absent."""
    wanted = list(set(ids))
    if not wanted:
        return {}
    rows = await Category.filter(id__in=wanted).values(*_COLUMNS)
    return {r["id"]: _record(r) for r in rows}


async def get_categories_by_code(codes: Iterable[str]) -> dict[str, CategoryRecord]:
    """Categories by code (one query); unknown codes are absent."""
    wanted = list({c for c in codes if len(c) <= CATEGORY_CODE_MAX_LENGTH})
    if not wanted:
        return {}
    rows = await Category.filter(code__in=wanted).values(*_COLUMNS)
    return {r["code"]: _record(r) for r in rows}


async def get_category(code: str) -> CategoryRecord | None:
    """The category with ``code``, active or not, or None."""
    return (await get_categories_by_code([code])).get(code)


async def leaves_with_paths(
    codes: Iterable[str] | None = None,
) -> list[tuple[CategoryRecord, tuple[CategoryRecord, ...]]]:
    """The active leaves in catalogue order (only those of ``codes`` if given), each with
    its ancestors from the top level down, in one query over the whole (small) tree."""
    rows = await Category.filter(is_active=True).order_by(*_ORDER).values(*_COLUMNS)
    by_id = {row["id"]: _record(row) for row in rows}
    wanted = None if codes is None else set(codes)
    result = []
    for node in by_id.values():
        if node.level != LEAF_LEVEL or (wanted is not None and node.code not in wanted):
            continue
        path: list[CategoryRecord] = []
        parent = by_id.get(node.parent_id) if node.parent_id is not None else None
        while parent is not None:
            path.insert(0, parent)
            parent = by_id.get(parent.parent_id) if parent.parent_id is not None else None
        result.append((node, tuple(path)))
    return result
