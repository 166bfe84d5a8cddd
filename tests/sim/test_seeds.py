"""A case's growth over seeds, with and without its intervention."""

from __future__ import annotations

import pytest

import devvolume as dv
from devvolume.sim import case_growth

Q2 = ("2025-04-01", "2025-06-30")
Q3 = ("2025-07-01", "2025-09-30")


def test_the_shown_seed_reproduces_the_dataset() -> None:
    growth = case_growth("software", before=Q2, after=Q3, seeds=[])
    shown = growth.shown
    volume = dv.development_volume(dv.load_dataset("software").worklog, level="won", period="Q")
    by_quarter = dict(zip(volume["period"].dt.strftime("%Y-%m-%d"), volume["volume"], strict=True))
    assert (shown["before"], shown["after"]) == (by_quarter[Q2[0]], by_quarter[Q3[0]])
    assert shown["growth"] == pytest.approx(shown["after"] / shown["before"] - 1)
    assert growth.seeds_below_shown == 0


def test_without_the_change_is_the_same_model_without_interventions() -> None:
    growth = case_growth("directsales", before=Q2, after=Q3, seeds=[3])
    table = growth.table   # directsales has no intervention: both runs are the same run
    assert (table["before"] == table["before_without"]).all()
    assert (table["after"] == table["after_without"]).all()
    assert growth.calendar_share == pytest.approx(1.0)


def test_the_growth_is_deterministic_and_shares_add_up() -> None:
    first = case_growth("software", before=Q2, after=Q3, seeds=[1, 2])
    again = case_growth("software", before=Q2, after=Q3, seeds=[2, 1])
    assert first.table.equals(again.table)
    assert first.table["seed"].tolist() == [1, 2, 32]
    mean = first.table["after"].mean() / first.table["before"].mean() - 1
    assert first.mean_growth == pytest.approx(mean)
    assert first.calendar_share == pytest.approx(first.mean_growth_without / first.mean_growth)


def test_unknown_case_lists_the_cases() -> None:
    with pytest.raises(ValueError, match="directsales, fmcg, software"):
        case_growth("nope", before=Q2, after=Q3)
