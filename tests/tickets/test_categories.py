"""The demo category tree: well formed, routable to a demo department, and covering what a
12345 hotline hears."""

from __future__ import annotations

import re
from collections import Counter

from grids.demo import CITY_CODE
from grids.demo.catalogue import COMMUNITY_KEY, STREET_KEY, departments
from tickets.demo.categories import LEAF_COUNT, SAFETY_DIMENSIONS, CategorySpec, category_tree

TREE = category_tree()
BY_CODE = {spec.code: spec for spec in TREE}
LEAVES = [spec for spec in TREE if spec.code.count(".") == 2]
BRANCHES = [spec for spec in TREE if spec.code.count(".") < 2]
SEGMENT = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*")
CJK = re.compile(r"[\u4e00-\u9fff]")


def _level(spec: CategorySpec) -> int:
    return spec.code.count(".") + 1


def test_codes_are_unique_and_dotted_by_level() -> None:
    assert len(BY_CODE) == len(TREE)
    for spec in TREE:
        segments = spec.code.split(".")
        assert all(SEGMENT.fullmatch(segment) for segment in segments), spec.code
        assert spec.parent == (".".join(segments[:-1]) or None), spec.code


def test_parents_come_before_their_children() -> None:
    seen: set[str] = set()
    for spec in TREE:
        assert spec.parent is None or spec.parent in seen, spec.code
        seen.add(spec.code)


def test_exactly_three_levels_and_every_branch_has_children() -> None:
    assert {_level(spec) for spec in TREE} == {1, 2, 3}
    parents = {spec.parent for spec in TREE}
    assert all(spec.code in parents for spec in BRANCHES)
    assert not any(leaf.code in parents for leaf in LEAVES)


def test_at_least_120_leaves() -> None:
    assert LEAF_COUNT == len(LEAVES) >= 120


def test_only_leaves_carry_routing_deadlines_and_keywords() -> None:
    for spec in BRANCHES:
        assert spec.department is None and spec.dimension is None, spec.code
        assert (spec.reply_days, spec.complete_days, spec.urgency_hint) == (None, None, None)
        assert spec.keywords == ()


def test_every_leaf_routes_to_a_demo_department() -> None:
    """To a city department, or to the body every street or community has."""
    codes = {department.code for department in departments()}
    for leaf in LEAVES:
        assert leaf.department is not None, leaf.code
        grassroots = leaf.department in (STREET_KEY, COMMUNITY_KEY)
        assert grassroots or f"{CITY_CODE}-{leaf.department}" in codes, leaf.code
    keys = Counter(leaf.department for leaf in LEAVES)
    assert 15 <= keys[STREET_KEY] + keys[COMMUNITY_KEY] <= 30
    assert BY_CODE["DISPUTES.CIVIL.NEIGHBOURS"].department == COMMUNITY_KEY


def test_dimensions_are_the_safety_index_and_all_are_used() -> None:
    assert SAFETY_DIMENSIONS == (
        "PUBLIC_ORDER",
        "DISPUTES",
        "PRODUCTION_SAFETY",
        "ECOLOGY",
        "POLITICAL_SECURITY",
        "FOOD_DRUG_SAFETY",
        "ECONOMIC_SECURITY",
        "SOCIAL_SERVICES",
    )
    used = Counter(leaf.dimension for leaf in LEAVES)
    assert set(used) - {None} == set(SAFETY_DIMENSIONS)
    assert used[None] > 0  # consultations, praise and suggestions count towards none


def test_deadline_overrides_are_positive_working_days() -> None:
    for leaf in LEAVES:
        for days in (leaf.reply_days, leaf.complete_days):
            assert days is None or days >= 1, leaf.code
        if leaf.reply_days is not None and leaf.complete_days is not None:
            assert leaf.reply_days <= leaf.complete_days, leaf.code
        assert leaf.urgency_hint in (None, "URGENT", "CRITICAL"), leaf.code


def test_outages_and_emergencies_are_fast_and_flagged() -> None:
    heating_outage = BY_CODE["HEATING.QUALITY.OUTAGE"]
    assert (heating_outage.complete_days, heating_outage.urgency_hint) == (1, "URGENT")
    assert BY_CODE["LABOUR.WAGES.MIGRANT_WORKERS"].complete_days == 5
    assert BY_CODE["UTILITIES.GAS_SAFETY.LEAK"].urgency_hint == "CRITICAL"
    for code in ("UTILITIES.WATER.OUTAGE", "UTILITIES.POWER.OUTAGE"):
        assert BY_CODE[code].urgency_hint == "URGENT"
    assert sum(leaf.urgency_hint is None for leaf in LEAVES) > len(LEAVES) * 3 // 4


def test_names_keywords_and_translations() -> None:
    for spec in TREE:
        assert CJK.search(spec.name) and spec.name == spec.name.strip(), spec.code
        assert spec.name_en and not CJK.search(spec.name_en), spec.code
    for leaf in LEAVES:
        assert leaf.keywords, leaf.code
        assert len(set(leaf.keywords)) == len(leaf.keywords), leaf.code
        assert all(CJK.search(keyword) or keyword.isalnum() for keyword in leaf.keywords)
    siblings = Counter((spec.parent, spec.name) for spec in TREE)
    assert [key for key, count in siblings.items() if count > 1] == []


def test_the_hotlines_topics_are_covered() -> None:
    groups = {spec.name for spec in TREE if _level(spec) == 2}
    assert {
        "供热质量",
        "供水",
        "排水",
        "燃气安全",
        "供电",
        "物业服务",
        "维修基金",
        "业委会",
        "征收拆迁",
        "拖欠工资",
        "社会保险",
        "施工噪音",
        "社会生活噪音",
        "商业噪音",
        "食品安全",
        "特种设备",
        "公共交通",
        "扬尘污染",
        "市容环境",
        "消防安全",
        "医疗纠纷",
        "养老服务",
        "营商环境",
        "惠企政策",
        "政务诚信",
        "工作作风",
        "表扬",
    } <= groups
    leaves = {leaf.name for leaf in LEAVES}
    assert {"暖气不热", "停暖", "拖欠农民工工资", "低保", "殡葬", "婚姻登记"} <= leaves


def test_a_leaf_reads_as_its_path() -> None:
    vending = BY_CODE["URBAN.CITYSCAPE.STREET_VENDING"]
    assert vending.parent is not None
    group = BY_CODE[vending.parent]
    assert group.parent is not None
    path = [BY_CODE[group.parent].name, group.name, vending.name]
    assert path == ["城市管理", "市容环境", "占道经营"]
    assert (vending.department, vending.dimension) == ("JD", "PUBLIC_ORDER")
