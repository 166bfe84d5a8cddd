"""Retention: cohort matrix, classic retention/churn, and the sBG model against the paper."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

import devvolume.core as m
import devvolume.core as r

D = dt.date


@pytest.fixture
def orders() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customer": ["C1", "C1", "C2", "C3", "C4", "C1"],
            "date": pd.to_datetime(
                ["2026-01-05", "2026-03-02", "2026-01-20", "2026-02-11", "2026-04-30", "2026-03-09"]
            ),
            "amount": [100.0, 50.0, 80.0, 20.0, 10.0, 5.0],
        }
    )


def test_retention_matrix_hand_computed(backend, orders):
    got = backend.rows(r.retention_matrix(backend.make(orders)))
    assert got == [
        (D(2026, 1, 1), 0, 2, 2, 1.0),
        (D(2026, 1, 1), 1, 2, 0, 0.0),  # zeros are shown
        (D(2026, 1, 1), 2, 2, 1, 0.5),  # C1 ordered twice in March: still one customer
        (D(2026, 1, 1), 3, 2, 0, 0.0),
        (D(2026, 2, 1), 0, 1, 1, 1.0),
        (D(2026, 2, 1), 1, 1, 0, 0.0),
        (D(2026, 2, 1), 2, 1, 0, 0.0),
        (D(2026, 4, 1), 0, 1, 1, 1.0),  # no March cohort: nobody ordered first in March
    ]
    assert backend.columns(r.retention_matrix(backend.make(orders))) == [
        "cohort",
        "offset",
        "customers",
        "retained",
        "retention",
    ]


def test_retention_matrix_quarterly_across_year_end(backend):
    orders = pd.DataFrame(
        {
            "customer": ["A", "A", "B"],
            "date": pd.to_datetime(["2025-12-31", "2026-01-01", "2026-01-02"]),
        }
    )
    assert backend.rows(r.retention_matrix(backend.make(orders), period="Q")) == [
        (D(2025, 10, 1), 0, 1, 1, 1.0),
        (D(2025, 10, 1), 1, 1, 1, 1.0),
        (D(2026, 1, 1), 0, 1, 1, 1.0),
    ]


def test_retention_matrix_weekly(backend):
    orders = pd.DataFrame(
        {
            "customer": ["A", "A", "B"],
            "date": pd.to_datetime(["2026-01-01", "2026-01-05", "2026-01-04"]),  # Thu, Mon, Sun
        }
    )
    assert backend.rows(r.retention_matrix(backend.make(orders), period="W")) == [
        (D(2025, 12, 29), 0, 2, 2, 1.0),
        (D(2025, 12, 29), 1, 2, 1, 0.5),
    ]


def test_order_only_customer_counts_in_retention_not_in_development(backend, orders):
    # C4 has orders but no work-log row: retention sees it, development volume does not.
    log = pd.DataFrame(
        {
            "date": pd.to_datetime(["2026-01-03", "2026-01-05"]),
            "customer": ["C1", "C1"],
            "stage": ["contacted", "won"],
        }
    )
    assert backend.rows(m.development_volume(backend.make(log), level="won")) == [
        (D(2026, 1, 1), 1)
    ]
    cohorts = {row[0]: row[2] for row in backend.rows(r.retention_matrix(backend.make(orders)))}
    assert cohorts[D(2026, 4, 1)] == 1


def test_retention_rate_hand_computed(backend, orders):
    got = backend.rows(r.retention_rate(backend.make(orders), inactive_after=2))
    assert got == [
        (D(2026, 1, 1), 0, 2, 2, None, None),
        (D(2026, 2, 1), 2, 1, 3, 1.0, 0.0),
        (D(2026, 3, 1), 3, 0, 2, pytest.approx(2 / 3), pytest.approx(1 / 3)),
        (D(2026, 4, 1), 2, 1, 2, 0.5, 0.5),
    ]
    churn = backend.rows(r.churn_rate(backend.make(orders), inactive_after=2))
    assert [row[1] for row in churn][1:] == [0.0, pytest.approx(1 / 3), 0.5]


def test_retention_rate_rejects_bad_rule(orders):
    with pytest.raises(ValueError, match="inactive_after"):
        r.retention_rate(orders, inactive_after=0)


# Fader & Hardie (2007), "How to Project Customer Retention", Table 1: survivors out of 1000
# for years 0-7, the calibration period of the paper's fits.
REGULAR = [1000, 631, 468, 382, 326, 289, 262, 241]
HIGH_END = [1000, 869, 743, 653, 593, 551, 517, 491]


@pytest.mark.parametrize(
    ("survivors", "alpha", "beta"),
    [(REGULAR, 0.704, 1.182), (HIGH_END, 0.668, 3.806)],
    ids=["regular", "high-end"],
)
def test_sbg_reproduces_published_fits(survivors, alpha, beta):
    fit = r.fit_sbg(survivors)
    assert round(fit.alpha, 3) == alpha
    assert round(fit.beta, 3) == beta
    assert fit.periods_fitted == 7


def test_sbg_projection_tracks_holdout():
    # Years 8-12 were held out in the paper; the regular cohort's actual % alive in year 8 was
    # 22.7 and the sBG projection stays within a point of it.
    fit = r.fit_sbg(REGULAR)
    assert fit.project(1000, 8)[8] / 10 == pytest.approx(22.7, abs=1.0)
    rates = fit.retention(np.arange(1, 10))
    assert np.all(np.diff(rates) > 0)  # retention rises as the weak customers leave


def test_sbg_lifetime_value_matches_discounted_sum():
    fit = r.fit_sbg(HIGH_END)
    direct = sum(fit.survival(t) / 1.1**t for t in range(2000))
    assert fit.lifetime_value(100.0, discount=0.10) == pytest.approx(100.0 * direct, rel=1e-9)


@pytest.mark.parametrize("bad", [[1000, 1200, 500], [1000, 600], [0, 0, 0]])
def test_sbg_rejects_bad_input(bad):
    with pytest.raises(ValueError, match="non-increasing"):
        r.fit_sbg(bad)
