"""The safety index's arithmetic, number by number (no database)."""

from __future__ import annotations

import dataclasses
import math

import pytest

from grids.safety.formula import (
    Indicator,
    Tally,
    add_up,
    incident_score,
    overall,
    population_used,
    score_dimension,
    yearly_rate,
)
from grids.safety.settings import DEFAULT_SETTINGS, Curve, settings_of
from tickets.models import SafetyDimension

ORDER = SafetyDimension.PUBLIC_ORDER


def test_rates_are_per_10000_residents_per_year() -> None:
    assert yearly_rate(5.0, 1000, 365) == pytest.approx(50.0)
    assert yearly_rate(5.0, 1000, 73) == pytest.approx(250.0)  # a fifth of a year
    assert population_used(40, 500) == 500 and population_used(0, 500) == 500
    assert population_used(900, 500) == 900


def test_curves() -> None:
    assert incident_score(0, Curve.EXPONENTIAL, 300) == 100
    assert incident_score(300, Curve.EXPONENTIAL, 300) == pytest.approx(100 / math.e)
    assert incident_score(150, Curve.LINEAR, 300) == pytest.approx(50)
    assert incident_score(450, Curve.LINEAR, 300) == 0


def test_a_dimension_is_the_weighted_mean_of_its_parts() -> None:
    tally = Tally(
        tickets=5, grid_events=1, weighted=4.3, due=3, on_time=1, satisfied=2, unsatisfied=1,
        repeats=1,
    )  # fmt: skip
    score = score_dimension(ORDER, tally, (), settings=DEFAULT_SETTINGS, residents=1000, days=365)
    incidents = 100 * math.exp(-43 / 300)
    parts = {p.code: (p.score, p.weight) for p in score.parts}
    assert parts == {
        "INCIDENTS": (pytest.approx(incidents), 0.6),
        "ON_TIME": (pytest.approx(100 / 3), 0.15),
        "SATISFACTION": (pytest.approx(200 / 3), 0.15),
        "REPEATS": (pytest.approx(80), 0.1),
    }
    expected = 0.6 * incidents + 0.15 * 100 / 3 + 0.15 * 200 / 3 + 0.1 * 80
    assert score.score == pytest.approx(expected)
    assert sum(p.contribution for p in score.parts) == pytest.approx(score.score)
    assert score.rate == pytest.approx(43)
    assert (score.on_time_share, score.satisfaction_share, score.repeat_share) == (
        pytest.approx(1 / 3),
        pytest.approx(2 / 3),
        pytest.approx(1 / 5),
    )


def test_parts_without_data_leave_their_weight_to_the_others() -> None:
    nothing = score_dimension(ORDER, Tally(), (), settings=DEFAULT_SETTINGS, residents=500, days=30)
    assert [p.code for p in nothing.parts] == ["INCIDENTS"] and nothing.score == 100
    one = Tally(tickets=1, weighted=1.0)
    score = score_dimension(ORDER, one, (), settings=DEFAULT_SETTINGS, residents=500, days=365)
    incidents = 100 * math.exp(-20 / 300)
    assert score.score == pytest.approx((0.6 * incidents + 0.1 * 100) / 0.7)


def test_plugin_indicators_are_parts_with_their_own_weight() -> None:
    inspection = Indicator(ORDER, "INSPECTIONS", "消防检查合格率", 50.0, 0.4, 92.5, "%", "fire")
    score = score_dimension(
        ORDER, Tally(), [inspection], settings=DEFAULT_SETTINGS, residents=800, days=365
    )
    assert score.score == pytest.approx((0.6 * 100 + 0.4 * 50) / 1.0)
    assert score.parts[-1].source == "fire" and score.parts[-1].contribution == pytest.approx(20)


def test_settings_change_the_curve_and_weights() -> None:
    settings = settings_of(
        {"curve.PUBLIC_ORDER": "LINEAR", "scale.PUBLIC_ORDER": 100.0, "partWeight.REPEATS": 0.0}
    )
    tally = Tally(tickets=2, weighted=2.5, repeats=2)
    score = score_dimension(ORDER, tally, (), settings=settings, residents=1000, days=365)
    # rate 25 → 75 on the linear curve; repeats (score 0) weigh nothing.
    assert score.score == pytest.approx(75)
    assert {p.code: p.contribution for p in score.parts} == {"INCIDENTS": 75, "REPEATS": 0}


def test_overall_is_the_weighted_mean_of_the_dimensions() -> None:
    scores = {d: 100.0 for d in SafetyDimension} | {ORDER: 50.0}
    total, contributions = overall(scores, DEFAULT_SETTINGS.dimension_weights)
    assert total == pytest.approx(0.2 * 50 + 0.8 * 100)
    assert sum(contributions.values()) == pytest.approx(total)
    weights = dict.fromkeys(SafetyDimension, 0.0) | {ORDER: 1.0}
    assert overall(scores, weights)[0] == pytest.approx(50)


def test_tallies_add_up() -> None:
    a, b = Tally(1, 1, 0.5, 1, 1, 1, 0, 0), Tally(2, 0, 2.0, 1, 0, 0, 1, 1)
    assert add_up([a, b]) == Tally(3, 1, 2.5, 2, 1, 1, 1, 1)
    assert add_up([]) == Tally() and dataclasses.astuple(a + Tally()) == dataclasses.astuple(a)
