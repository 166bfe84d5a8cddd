from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devvolume import sim as sm
from devvolume.core import CANONICAL, STAGE_RANK, STAGES, WorklogSchema
from devvolume.sim._calendar import (
    SPRING_FESTIVAL,
    company_names,
    rep_names,
    team_names,
    working_days,
)
from devvolume.sim._model import DEFAULT_CHANNELS
from devvolume.sim._simulate import ACTIVITY_TYPES

SMALL = sm.SalesModel(teams=2, reps_per_team=3, start="2025-01-01", end="2025-06-30", seed=3)
LEVER_CODES = ("targeting", "process", "training", "digital", "database")


@pytest.fixture(scope="module")
def sim() -> sm.Simulation:
    return sm.simulate(sm.SalesModel(seed=11))


def first_won(log: pd.DataFrame) -> pd.Series:
    return log[log["stage"] == "won"].groupby("customer")["date"].min()


# --- the calendar and the name pools ---------------------------------------------------------


def test_working_days_skip_weekends_and_spring_festival() -> None:
    days, factor = working_days("2025-01-01", "2025-12-31")
    weekday = pd.DatetimeIndex(days.astype("datetime64[ns]")).day_of_week
    assert (weekday < 5).all()
    assert np.datetime64("2025-01-29") not in days  # 春节
    assert np.datetime64("2025-02-04") not in days
    assert np.datetime64("2025-02-05") in days
    assert np.datetime64("2025-10-01") not in days  # 国庆
    assert factor.min() < 1.0
    assert factor[days == np.datetime64("2025-06-16")][0] == 1.0


@pytest.mark.parametrize("year", [2024, 2025, 2026, 2027])
def test_spring_festival_dip_every_year(year: int) -> None:
    festival, first_off, last_off = (np.datetime64(d) for d in SPRING_FESTIVAL[year])
    days, factor = working_days(f"{year}-01-01", f"{year}-03-31")
    assert festival not in days
    assert not ((days >= first_off) & (days <= last_off)).any()
    near = (days >= first_off - 7) & (days <= last_off + 10)
    assert near.sum() >= 8
    assert (factor[near] < 1).all()
    assert (factor[days > last_off + 30] == 1).all()


def test_names_are_unique_and_chinese() -> None:
    rng = np.random.default_rng(0)
    reps = rep_names(rng, 500)
    assert len(set(reps)) == 500
    assert all(2 <= len(name) <= 5 for name in reps)
    teams = team_names(60)
    assert len(set(teams)) == 60
    assert teams[:2] == ["华东一组", "华东二组"]
    names = company_names(rng, 200_000).to_pylist()
    assert len(set(names)) == 200_000
    assert all("公司" in name for name in names[:100])


# --- the work log: schema and domain rules ---------------------------------------------------


def test_worklog_follows_the_canonical_schema(sim: sm.Simulation) -> None:
    log = sim.worklog
    assert tuple(log.columns) == CANONICAL
    assert str(log["date"].dtype) == "datetime64[us]"
    for column in ("rep", "team", "customer", "stage", "channel", "activity", "note"):
        assert log[column].dtype == "str", column
    assert log["stage"].isin(STAGES).all()
    for column in ("rep", "team", "customer", "channel", "activity"):
        assert log[column].notna().all()
        assert (log[column].str.len() > 0).all()
    WorklogSchema.validate(log, lazy=True)


def test_amount_is_on_won_rows_only(sim: sm.Simulation) -> None:
    log = sim.worklog
    won = log["stage"] == "won"
    assert (log.loc[won, "amount"] > 0).all()
    assert log.loc[~won, "amount"].isna().all()
    assert log.loc[log["stage"] == "lost", "note"].notna().all()


def test_customer_rows_move_forward_and_lost_ends(sim: sm.Simulation) -> None:
    log = sim.worklog
    rank = log["stage"].map(STAGE_RANK).where(log["stage"] != "lost", 99)
    frame = log.assign(rank=rank)
    steps = frame.groupby("customer", sort=False)["rank"].diff().dropna()
    assert (steps >= 0).all()
    lost = frame[frame["stage"] == "lost"]
    assert lost["customer"].is_unique
    last = frame.groupby("customer")["date"].max()
    assert (lost.set_index("customer")["date"] == last.reindex(lost["customer"])).all()
    assert (log.groupby("customer")["rep"].nunique() == 1).all()
    assert (log.groupby("customer")["team"].nunique() == 1).all()
    assert (log.groupby("customer")["channel"].nunique() == 1).all()
    assert (log.groupby("rep")["team"].nunique() == 1).all()


def test_repeat_contacts_and_every_stage_occur(sim: sm.Simulation) -> None:
    log = sim.worklog
    contacts = log[log["stage"] == "contacted"].groupby("customer").size()
    assert (contacts >= 2).mean() > 0.3
    assert set(log["stage"]) == set(STAGES)
    assert log["date"].is_monotonic_increasing
    assert set(log["activity"]) <= set(ACTIVITY_TYPES)
    assert set(log["channel"]) == {c.name for c in DEFAULT_CHANNELS}


def test_activity_days_are_working_days(sim: sm.Simulation) -> None:
    days, _ = working_days("2025-01-01", "2025-12-31")
    logged = sim.worklog["date"].to_numpy().astype("datetime64[D]")
    assert np.isin(logged, days).all()


def test_orders_start_with_the_won_deal(sim: sm.Simulation) -> None:
    log, orders = sim.worklog, sim.orders
    assert list(orders.columns) == ["customer", "date", "amount"]
    assert set(orders["customer"]) <= set(first_won(log).index)
    first = orders.groupby("customer").first()
    won = log[log["stage"] == "won"].set_index("customer")
    assert (first["date"] == won.loc[first.index, "date"]).all()
    assert np.allclose(first["amount"], won.loc[first.index, "amount"])
    assert (orders.groupby("customer").size() > 1).any()
    assert (orders["amount"] > 0).all()


def test_targets_and_reps(sim: sm.Simulation) -> None:
    targets, reps = sim.targets, sim.reps
    assert list(targets.columns) == ["rep", "team", "period", "target"]
    assert (targets["target"] >= 1).all()
    assert (targets["period"].dt.day == 1).all()
    assert targets.groupby("rep").size().max() == 12
    assert len(reps) == 42
    assert reps["rep"].is_unique
    assert set(reps["rep"]) == set(sim.worklog["rep"])
    assert list(reps.columns) == ["rep", "team", "hire_date", "tenure_months", "skill",
                                  "capacity", "training_hours", "trained_on"]


def test_same_seed_same_data_other_seed_other_data() -> None:
    one, two = sm.simulate(SMALL), sm.simulate(SMALL)
    pd.testing.assert_frame_equal(one.worklog, two.worklog)
    pd.testing.assert_frame_equal(one.orders, two.orders)
    other = sm.simulate(SMALL.replace(seed=4))
    assert not one.worklog.equals(other.worklog)


def test_unknown_lever_lists_the_known_ones() -> None:
    with pytest.raises(ValueError, match="Known levers: database, digital"):
        sm.Intervention("magic", "2025-01-01")


def test_rep_spec_outside_the_company_is_refused() -> None:
    with pytest.raises(ValueError, match="slot is outside 0–5"):
        sm.simulate(SMALL.replace(rep_specs=(sm.RepSpec(slot=6, rep="甲"),)))


def test_empty_calendar() -> None:
    days, factor = working_days("2025-02-01", "2025-01-31")
    assert days.size == factor.size == 0


def test_new_hire_is_silent_before_hire_date() -> None:
    spec = sm.RepSpec(slot=0, rep="新人甲", hire_date="2025-04-01")
    log = sm.simulate(SMALL.replace(rep_specs=(spec,))).worklog
    assert log.loc[log["rep"] == "新人甲", "date"].min() >= pd.Timestamp("2025-04-01")


# --- levers move the numbers in the documented direction ---------------------------------


@settings(max_examples=25, deadline=None)
@given(
    code=st.sampled_from(LEVER_CODES),
    low=st.floats(0.0, 0.9),
    step=st.floats(0.05, 0.5),
    seed=st.integers(0, 1000),
)
def test_projection_rises_with_every_lever(code: str, low: float, step: float, seed: int) -> None:
    model = SMALL.replace(seed=seed)
    before = sm.project(model, **{code: low})
    after = sm.project(model, **{code: low + step})
    assert after.won > before.won
    assert after.monthly_cost > before.monthly_cost
    assert after.setup_cost > before.setup_cost
    if code in {"database", "digital", "process"}:
        assert after.contacted > before.contacted
    elif code == "training":
        assert after.contacted == pytest.approx(before.contacted)
    else:  # targeting trades a few leads for better ones
        assert after.contacted < before.contacted


@pytest.mark.parametrize(
    ("code", "column"),
    [("database", "contacted"), ("training", "won"), ("targeting", "won"),
     ("digital", "contacted"), ("process", "won")],
)  # fmt: skip
def test_simulated_lever_raises_volume(code: str, column: str) -> None:
    model = sm.SalesModel(teams=2, reps_per_team=5, end="2025-12-31", seed=5)
    with_lever = model.replace(interventions=(sm.Intervention(code, "2024-09-01", 1.0),))

    def volume(m: sm.SalesModel) -> int:
        log = sm.simulate(m).worklog
        if column == "won":
            return int(first_won(log).size)
        return int(log["customer"].nunique())

    assert volume(with_lever) > volume(model)


def test_process_lever_shortens_the_cycle() -> None:
    model = sm.SalesModel(teams=2, reps_per_team=5, seed=9)
    fast = model.replace(interventions=(sm.Intervention("process", "2024-09-01", 1.0),))

    def median_cycle(m: sm.SalesModel) -> float:
        log = sm.simulate(m).worklog
        start = log.groupby("customer")["date"].min()
        won = first_won(log)
        return float((won - start.loc[won.index]).dt.days.median())

    assert median_cycle(fast) < median_cycle(model)


def test_intervention_starts_on_its_date() -> None:
    model = sm.SalesModel(teams=2, reps_per_team=5, seed=2)
    later = model.replace(interventions=(sm.Intervention("database", "2025-07-01", 1.0),))
    base, boosted = sm.simulate(model).worklog, sm.simulate(later).worklog
    channel = "电话营销"

    def leads(log: pd.DataFrame, first: str, last: str) -> int:
        start = log.groupby("customer").agg(date=("date", "min"), channel=("channel", "first"))
        inside = start["date"].between(first, last) & (start["channel"] == channel)
        return int(inside.sum())

    assert leads(boosted, "2025-08-01", "2025-12-31") > 1.4 * leads(base, "2025-08-01", "2025-12-31")


@settings(max_examples=15, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    teams=st.integers(1, 3),
    reps=st.integers(1, 4),
    levers=st.sets(st.sampled_from(LEVER_CODES), max_size=3),
    start=st.sampled_from(["2025-01-01", "2025-03-15", "2025-06-01"]),
)
def test_any_run_keeps_the_domain_rules(
    seed: int, teams: int, reps: int, levers: set[str], start: str
) -> None:
    model = SMALL.replace(seed=seed, teams=teams, reps_per_team=reps,
                          interventions=tuple(sm.Intervention(c, start) for c in sorted(levers)))
    log = sm.simulate(model).worklog
    WorklogSchema.validate(log, lazy=True)
    reached = log.assign(rank=log["stage"].map(STAGE_RANK)).groupby("customer")["rank"].max()
    contacted, qualified = len(reached), int((reached >= 1).sum())
    signed, won = int((reached >= 2).sum()), int((reached >= 3).sum())
    assert won <= signed <= qualified <= contacted
    assert log["date"].between(model.start, model.end).all()
    assert (log.groupby("customer")["rep"].nunique() == 1).all()


def test_market_index_moves_the_whole_team() -> None:
    model = sm.SalesModel(teams=2, reps_per_team=4, seed=8, market_trend=0.0)
    boom = model.replace(market_trend=0.6)
    assert sm.project(boom).contacted > 1.2 * sm.project(model).contacted
    assert (sm.simulate(boom).worklog["customer"].nunique()
            > sm.simulate(model).worklog["customer"].nunique())  # fmt: skip


# --- the projection agrees with the simulator ------------------------------------------------


def test_projection_matches_mean_of_simulations() -> None:
    model = sm.SalesModel(teams=3, reps_per_team=6)
    levels = {"training": 0.5, "digital": 1.0}
    warm = str(np.datetime64(model.start) - model.warmup_days)
    scenario = model.replace(interventions=tuple(
        sm.Intervention(code, warm, level) for code, level in levels.items()))  # fmt: skip
    projection = sm.project(model, **levels)
    won, contacted = [], []
    for seed in range(4):
        won.append(first_won(sm.simulate(scenario.replace(seed=seed)).worklog).size / 12)
        fresh = scenario.replace(seed=seed, warmup_days=0)
        contacted.append(sm.simulate(fresh).worklog["customer"].nunique() / 12)
    assert np.mean(won) == pytest.approx(projection.won, rel=0.08)
    assert np.mean(contacted) == pytest.approx(projection.contacted, rel=0.05)


def test_projection_money_and_attainment() -> None:
    base = sm.project()
    assert base.setup_cost == base.monthly_cost == base.extra_value_per_month == 0
    assert base.won == base.baseline_won
    assert base.attainment == pytest.approx(base.won / base.target)
    full = sm.project(targeting=1, process=1, training=1, digital=1)
    reps = 42
    lever = sm.LEVERS
    assert full.monthly_cost == pytest.approx(
        reps * sum(lever[c].monthly_cost_per_rep for c in LEVER_CODES if c != "database")
    )
    assert full.extra_value_per_month == pytest.approx(
        (full.won - full.baseline_won) * full.value_per_customer
    )
    assert full.net_value_per_month == pytest.approx(
        full.extra_value_per_month - full.monthly_cost - full.setup_cost / 12
    )
    assert 5_000 < base.value_per_customer < 100_000
