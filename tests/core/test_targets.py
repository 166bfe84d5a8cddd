"""Targets: attainment and gap, leaderboard, tiered payout and growth, on every backend."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

import devvolume.core as m
import devvolume.core as tg

D = dt.date


@pytest.fixture
def targets() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "rep": ["A", "B", "A", "B"],
            "period": pd.to_datetime(["2026-04-15", "2026-04-01", "2026-05-01", "2026-05-31"]),
            "target": [1, 2, 2, 0],
        }
    )


def test_attainment_design_example(backend, design_log, targets):
    got = backend.rows(tg.attainment(backend.make(design_log), backend.make(targets)))
    assert got == [
        (D(2026, 4, 1), "A", 1, 0, 0.0, 1),
        (D(2026, 4, 1), "B", 2, 1, 0.5, 1),
        (D(2026, 5, 1), "A", 2, 1, 0.5, 1),
        (D(2026, 5, 1), "B", 0, 0, None, 0),
    ]


def test_attainment_matches_development_volume(backend, design_log, targets):
    log = backend.make(design_log)
    volume = {
        (p, rep): v
        for p, rep, v in backend.rows(m.development_volume(log, level="signed", by="rep"))
    }
    for row in backend.rows(tg.attainment(log, backend.make(targets), level="signed")):
        assert row[3] == volume[(row[0], row[1])]


def test_attainment_by_team_quarter(backend, design_log):
    goals = pd.DataFrame({"team": ["T1"], "period": pd.to_datetime(["2026-06-30"]), "target": [4]})
    got = backend.rows(
        tg.attainment(backend.make(design_log), backend.make(goals), period="Q", by="team")
    )
    assert got == [(D(2026, 4, 1), "T1", 4, 2, 0.5, 2)]


def test_targets_errors(design_log, targets):
    with pytest.raises(ValueError, match=r"(?s)target.*Hint:"):
        tg.attainment(design_log, targets.drop(columns=["target"]))
    import duckdb

    con = duckdb.connect()
    with pytest.raises(TypeError, match="same kind"):
        tg.attainment(design_log, con.from_df(targets))
    con.close()


def test_leaderboard(backend, design_log, targets):
    got = backend.rows(tg.leaderboard(backend.make(design_log), backend.make(targets)))
    assert [(r[0], r[1], r[-1]) for r in got] == [
        (D(2026, 4, 1), "B", 1),
        (D(2026, 4, 1), "A", 2),
        (D(2026, 5, 1), "A", 1),
        (D(2026, 5, 1), "B", 2),
    ]


@pytest.mark.parametrize(
    ("target", "actual", "expected"),
    [
        (10, 0, 0.0),
        (10, 10, 1000.0),
        (10, 11, 1000.0 + 150.0),  # one above 100 %: 1.5 x
        (10, 12, 1000.0 + 300.0),
        (10, 15, 1000.0 + 300.0 + 3 * 200.0),  # above 120 %: 2 x
        (0, 3, 300.0),  # no target: base rate
    ],
)
def test_incentive_payout_tiers(backend, target, actual, expected):
    table = pd.DataFrame({"rep": ["A"], "target": [target], "actual": [actual]})
    got = backend.records(tg.incentive_payout(backend.make(table), per_customer=100.0))
    assert got[0]["payout"] == pytest.approx(expected)


def test_payout_constants_are_used():
    table = pd.DataFrame({"target": [1], "actual": [1]})
    assert tg.incentive_payout(table)["payout"].item() == tg.PAY_PER_NEW_CUSTOMER


def test_growth_pop_and_yoy(backend):
    volumes = pd.DataFrame(
        {
            "period": pd.to_datetime(["2025-01-01", "2025-02-01", "2026-01-01", "2026-02-01"]),
            "volume": [4, 0, 6, 3],
        }
    )
    got = backend.rows(tg.growth(backend.make(volumes)))
    assert got == [
        (D(2025, 1, 1), 4, None, None, None, None),
        (D(2025, 2, 1), 0, 4, -1.0, None, None),
        (D(2026, 1, 1), 6, None, None, 4, 0.5),  # December 2025 is missing: no previous
        (D(2026, 2, 1), 3, 6, -0.5, 0, None),  # last year was 0: growth undefined
    ]


def test_growth_weekly_by_rep(backend, design_log):
    weekly = m.development_volume(backend.make(design_log), level="contacted", period="W", by="rep")
    got = backend.rows(tg.growth(weekly, period="W", by="rep"))
    b_rows = [r for r in got if r[1] == "B"]
    # B's first contact is in the week of 2026-03-30 (C2 on 04-03); the week before is 0.
    assert b_rows[0][:3] == (D(2026, 3, 30), "B", 1)
    assert b_rows[1][:5] == (D(2026, 4, 6), "B", 0, 1, -1.0)


def test_monthly_targets_add_up_to_a_quarter(backend, make_log):
    """A quarter's attainment compares the quarter's actual with the sum of its monthly targets."""
    log = backend.make(
        make_log(
            [
                ("2026-01-05", "A", "T1", "C1", "won"),
                ("2026-02-05", "A", "T1", "C2", "won"),
                ("2026-03-05", "A", "T1", "C3", "won"),
            ]
        )
    )
    targets = pd.DataFrame(
        {
            "rep": ["A"] * 3,
            "period": pd.to_datetime(["2026-01-01", "2026-02-01", "2026-03-01"]),
            "target": [1, 2, 3],
        }
    )
    got = backend.rows(tg.attainment(log, backend.make(targets), period="Q"))
    assert got == [(dt.date(2026, 1, 1), "A", 6, 3, 0.5, 3)]
