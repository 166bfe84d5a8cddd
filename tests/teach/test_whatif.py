"""The pure functions behind the what-if widgets of lessons 05 and 06."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import devvolume as dv
from devvolume.sim import SalesModel, project
from devvolume.teach import _whatif as whatif
from devvolume.viz import _display as display

BASE = whatif.Baseline(contacted_per_month=400.0, won_per_month=80.0, target_per_month=100.0,
                       reps=42)
level = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)


def test_no_strategy_is_the_baseline() -> None:
    result = whatif.project_strategies(BASE)
    assert result.won == pytest.approx(80.0)
    assert result.contacted == pytest.approx(400.0)
    assert result.attainment == pytest.approx(0.8)
    assert result.monthly_cost == result.setup_cost == result.net_value_per_month == 0.0
    assert result.headline == "预计每月新成交客户：80.0"


@pytest.mark.parametrize("code", list(whatif.STRATEGIES))
def test_each_strategy_adds_customers_and_costs_money(code: str) -> None:
    result = whatif.project_strategies(BASE, **{code: 1.0})
    assert result.won > BASE.won_per_month
    assert result.monthly_cost > 0
    assert result.setup_cost > 0
    assert result.net_value_per_month == pytest.approx(
        result.extra_value_per_month - result.monthly_cost
        - result.setup_cost / whatif.SETUP_PAYBACK_MONTHS)


def test_targeting_trades_contacts_for_quality() -> None:
    result = whatif.project_strategies(BASE, targeting=1.0)
    assert result.contacted < BASE.contacted_per_month
    assert result.won > BASE.won_per_month


def test_lifts_come_from_the_simulator() -> None:
    model = SalesModel()
    expected = project(model, training=0.5, digital=0.25)
    result = whatif.project_strategies(BASE, training=0.5, digital=0.25)
    assert result.won / BASE.won_per_month == pytest.approx(expected.won / expected.baseline_won)
    assert result.monthly_cost == pytest.approx(expected.monthly_cost)  # 42 reps, as the model


def test_costs_scale_with_head_count() -> None:
    half = whatif.Baseline(200.0, 40.0, 50.0, reps=21)
    full = whatif.project_strategies(BASE, process=1.0)
    small = whatif.project_strategies(half, process=1.0)
    assert small.monthly_cost == pytest.approx(full.monthly_cost / 2)
    assert small.setup_cost == pytest.approx(full.setup_cost / 2)


@settings(max_examples=15, deadline=None)
@given(level, level, level, level, st.sampled_from(list(whatif.STRATEGIES)))
def test_more_effort_never_loses_customers(a: float, b: float, c: float, d: float,
                                           code: str) -> None:
    levels = dict(zip(whatif.STRATEGIES, (a, b, c, d), strict=True))
    now = whatif.project_strategies(BASE, **levels)
    more = whatif.project_strategies(BASE, **{**levels, code: min(1.0, levels[code] + 0.2)})
    assert more.won >= now.won - 1e-9
    assert more.monthly_cost >= now.monthly_cost


def test_table_has_every_measure_in_order() -> None:
    table = whatif.project_strategies(BASE, training=1.0).table
    assert list(table.columns) == ["指标", "现状", "方案", "变化"]
    assert table["指标"].tolist()[:3] == ["每月新接触客户", "每月新成交客户", "目标达成率"]
    assert (table["变化"] == table["方案"] - table["现状"]).all()


def test_level_out_of_range_is_refused() -> None:
    with pytest.raises(ValueError, match="outside 0–1"):
        whatif.project_strategies(BASE, training=50)


def _log() -> pd.DataFrame:
    return pd.DataFrame({
        "date": pd.to_datetime(["2026-03-02", "2026-03-05", "2026-04-01", "2026-04-09",
                                "2026-04-10"]),
        "rep": ["A", "B", "A", "B", "C"], "team": ["T1", "T1", "T1", "T1", "T2"],
        "customer": ["C1", "C2", "C3", "C2", "C4"],
        "stage": ["contacted", "contacted", "won", "won", "contacted"]})


def test_baseline_from_worklog_with_targets_and_team() -> None:
    goals = pd.DataFrame({"rep": ["A", "B", "A", "B"], "team": ["T1"] * 4,
                          "period": pd.to_datetime(["2026-03-01"] * 2 + ["2026-04-01"] * 2),
                          "target": [1, 1, 1, 1]})
    base = whatif.baseline_from_worklog(_log(), targets=goals, team="T1")
    assert (base.contacted_per_month, base.won_per_month, base.target_per_month,
            base.reps) == (1.5, 1.0, 2.0, 2)
    with pytest.raises(ValueError, match="T9"):
        whatif.baseline_from_worklog(_log(), team="T9")


def test_a_team_baseline_is_a_slice_of_the_company(shared_log: pd.DataFrame) -> None:
    """Team A contacted 甲, 丙, 丁 and won 乙 (B's contact): slices, never a recount."""
    team_a = whatif.baseline_from_worklog(shared_log, team="A")
    team_b = whatif.baseline_from_worklog(shared_log, team="B")
    company = whatif.baseline_from_worklog(shared_log)
    assert (team_a.contacted_per_month, team_a.won_per_month) == (1.5, 0.5)
    assert (team_b.contacted_per_month, team_b.won_per_month) == (0.5, 0.5)
    assert company.contacted_per_month == team_a.contacted_per_month + team_b.contacted_per_month
    assert company.won_per_month == team_a.won_per_month + team_b.won_per_month
    assert team_a.history is not None
    assert team_a.history["volume"].tolist() == [0, 1]
    assert (team_a.reps, company.reps) == (1, 2)
    reached = dv.reached_levels(shared_log)
    assert whatif.baseline_from_worklog(shared_log, team="A", reached=reached) == team_a


def _attained() -> pd.DataFrame:
    return pd.DataFrame({
        "period": pd.to_datetime(["2025-06-01", "2025-06-01", "2025-07-01", "2025-07-01"]),
        "rep": ["A", "B", "A", "B"], "target": [4, 4, 4, 0], "actual": [6, 3, 2, 1]})


def test_payout_month_by_month_with_accelerator() -> None:
    plan = whatif.incentive_payouts(_attained(), per_customer=100, accelerator=2)
    # A: June 4×100 + 2×200, July 2×100; B: June 3×100, July no target → 1×100
    assert plan.table.set_index("rep")["payout"].to_dict() == {"A": 1000.0, "B": 400.0}
    assert plan.total == 1400.0
    assert plan.new_customers == 12
    assert plan.cost_per_customer == pytest.approx(1400 / 12)
    assert plan.table["rep"].tolist() == ["A", "B"]      # best paid first


def test_accelerator_of_one_is_a_flat_rate() -> None:
    plan = whatif.incentive_payouts(_attained(), per_customer=100, accelerator=1)
    assert plan.total == 100 * _attained()["actual"].sum()


def test_payout_for_one_period_and_unknown_period() -> None:
    plan = whatif.incentive_payouts(_attained(), per_customer=100, accelerator=2,
                                    period="2025-07-01")
    assert plan.table.set_index("rep")["payout"].to_dict() == {"A": 200.0, "B": 100.0}
    with pytest.raises(ValueError, match="2025-06-01, 2025-07-01"):
        whatif.incentive_payouts(_attained(), period="2025-08-01")


@settings(max_examples=25, deadline=None)
@given(st.floats(min_value=0, max_value=2000), st.floats(min_value=1, max_value=3))
def test_a_higher_accelerator_never_pays_less(bonus: float, accelerator: float) -> None:
    low = whatif.incentive_payouts(_attained(), per_customer=bonus, accelerator=accelerator)
    high = whatif.incentive_payouts(_attained(), per_customer=bonus,
                                    accelerator=accelerator + 0.5)
    assert high.total >= low.total
    assert low.total >= bonus * _attained()["actual"].sum() - 1e-6


def test_no_customers_gives_nan_cost_per_customer() -> None:
    empty = _attained().assign(actual=0)
    assert math.isnan(whatif.incentive_payouts(empty).cost_per_customer)


def test_strategy_simulator_headline_moves_with_a_slider() -> None:
    simulator = whatif.StrategySimulator(BASE)
    assert whatif.PROJECTED_VOLUME_CLASS in simulator.headline._dom_classes
    assert "dv-strategy-training" in simulator.sliders["training"]._dom_classes
    assert "预计每月新成交客户：80.0" in simulator.headline.value
    assert "<img" in simulator.charts.static.value     # the first charts: offline SVG
    assert simulator.charts.live.outputs == ()
    simulator.sliders["training"].value = 1.0
    assert "预计每月新成交客户：80.0" not in simulator.headline.value
    assert simulator.projection.won > 80.0
    # after a move the charts are drawn live by JupyterLab, and the static ones are hidden
    assert simulator.charts.static.layout.display == "none"
    (output,) = simulator.charts.live.outputs
    spec = output["data"][display.LIVE_MIMETYPE]
    assert spec["$schema"] == display.LIVE_SCHEMA
    assert "预计" in str(spec) or "方案与现状对比" in str(spec)


def test_incentive_planner_follows_its_controls() -> None:
    planner = whatif.IncentivePlanner(_attained())
    before = planner.headline.value
    assert "<img" in planner.charts.static.value
    planner.accelerator.value = 3.0
    assert planner.headline.value != before
    assert planner.plan.accelerator == 3.0
    (output,) = planner.charts.live.outputs
    assert output["data"][display.LIVE_MIMETYPE]["title"] == "每位销售员的奖金"
    assert planner.charts.static.layout.display == "none"


def test_the_assumptions_are_parameters() -> None:
    full = whatif.project_strategies(BASE, training=1.0)
    half = whatif.project_strategies(BASE, training=1.0, effect=0.5)
    slow = whatif.project_strategies(BASE, training=1.0, ramp_months=12)
    assert half.won - 80.0 == pytest.approx((full.won - 80.0) * 0.5)
    assert slow.won - 80.0 == pytest.approx((full.won - 80.0) * 0.5)   # half a year's worth
    assert slow.monthly_cost == full.monthly_cost                        # costs run at once
    cheap = whatif.project_strategies(BASE, training=1.0, value_per_customer=1000.0)
    assert cheap.value_per_customer == 1000.0
    assert cheap.extra_value_per_month == pytest.approx((full.won - 80.0) * 1000.0)
    assert whatif.project_strategies(BASE, training=1.0, effect=0.0).won == pytest.approx(80.0)
    with pytest.raises(ValueError, match="Effect size"):
        whatif.project_strategies(BASE, effect=3.0)
    with pytest.raises(ValueError, match="negative"):
        whatif.project_strategies(BASE, ramp_months=-1.0)


def test_ramp_share_is_the_first_years_average() -> None:
    assert whatif.ramp_share(0) == 1.0
    assert whatif.ramp_share(6) == pytest.approx(0.75)
    assert whatif.ramp_share(36) == pytest.approx(12 / 72)


def test_a_cheap_customer_makes_the_rankings_differ() -> None:
    """At the lesson's defaults the most customers is not the best net value: 值不值 is real."""
    def ranking(key: str) -> list[str]:
        plans = {code: whatif.project_strategies(BASE, **{code: 1.0}, value_per_customer=10_500,
                                                 ramp_months=3) for code in whatif.STRATEGIES}
        return sorted(plans, key=lambda code: -getattr(plans[code], key))

    assert ranking("won") != ranking("net_value_per_month")


def test_strategy_simulator_shows_its_assumptions() -> None:
    simulator = whatif.StrategySimulator(BASE, value_per_customer=5000.0, ramp_months=2.0)
    assert set(simulator.assumptions) == {"effect", "value_per_customer", "ramp_months"}
    assert "dv-assumption-effect" in simulator.assumptions["effect"]._dom_classes
    simulator.sliders["digital"].value = 1.0
    before = simulator.projection.net_value_per_month
    simulator.assumptions["value_per_customer"].value = 20_000.0
    assert simulator.projection.net_value_per_month > before
    assert "每个新客户 20,000 元" in simulator.details.value
