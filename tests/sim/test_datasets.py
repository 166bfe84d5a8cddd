from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import devvolume as dv
from devvolume.core import CANONICAL, WorklogSchema, conversion_rate, development_volume
from devvolume.sim import _cards as cards
from devvolume.sim import _datasets as datasets
from devvolume.sim._cases import DTYPES, FRAMES, list_datasets
from devvolume.sim._datasets import load_dataset

ROOT = Path(datasets.__file__).resolve().parents[3] / "datasets"
NAMES = ("directsales", "fmcg", "software")


@pytest.fixture(scope="module", params=NAMES)
def data(request: pytest.FixtureRequest) -> datasets.Dataset:
    return load_dataset(request.param)


def first_won(log: pd.DataFrame) -> pd.Series:
    """The independent count: each customer's first won date."""
    return log[log["stage"] == "won"].groupby("customer")["date"].min()


def rep_recount(log: pd.DataFrame) -> pd.DataFrame:
    """The independent count of the cards' rep table, valid on the simulated logs only.

    Credits each customer to the rep on its first row. The simulator gives every customer one
    rep throughout, so this agrees with cohort credit there; on a real log it does not (ties on
    the first date, customers shared between reps: see test_rep_profile_is_a_slice).
    """
    won = first_won(log)
    customers = log.groupby("customer").agg(rep=("rep", "first"))
    customers["won"] = customers.index.isin(won.index)
    profile = customers.groupby("rep").agg(customers=("won", "size"), won=("won", "sum"))
    profile.insert(0, "rows", log.groupby("rep").size())
    profile["conversion"] = profile["won"] / profile["customers"]
    return profile


def conversion_recount(log: pd.DataFrame, rep: str, date: str, end: str) -> tuple[float, float]:
    """The independent count of a rep's 90-day conversion before and after ``date``."""
    start = log[log["rep"] == rep].groupby("customer")["date"].min()
    start = start[start <= pd.Timestamp(end) - pd.Timedelta(days=90)]
    within = (first_won(log).reindex(start.index) - start).dt.days <= 90
    early = start < pd.Timestamp(date)
    return float(within[early].mean()), float(within[~early].mean())


def test_list_datasets() -> None:
    assert list_datasets() == list(NAMES)


def test_unknown_name_lists_the_available_ones() -> None:
    with pytest.raises(ValueError, match="Available datasets: directsales, fmcg, software"):
        load_dataset("retail")


def test_missing_files_say_how_to_regenerate(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(datasets, "DATA_DIRS", (tmp_path,))
    with pytest.raises(FileNotFoundError, match=r"python -m devvolume\.sim fmcg"):
        load_dataset("fmcg")


def test_frames_have_explicit_dtypes(data: datasets.Dataset) -> None:
    for frame in FRAMES:
        table = getattr(data, frame)
        assert list(table.columns) == list(DTYPES[frame]), frame
        for column, dtype in DTYPES[frame].items():
            assert str(table[column].dtype) == dtype, (frame, column)
        assert len(table) > 0
    assert tuple(data.worklog.columns) == CANONICAL


def test_worklog_passes_the_schema(data: datasets.Dataset) -> None:
    log = data.worklog
    WorklogSchema.validate(log, lazy=True)
    assert (log.loc[log["stage"] == "won", "amount"] > 0).all()
    for column in ("rep", "team", "customer"):
        assert (log[column].str.len() > 0).all()
    assert (log.groupby("customer")["rep"].nunique() == 1).all()


def test_card_describes_the_data(data: datasets.Dataset) -> None:
    card = data.card
    assert f"python -m devvolume.sim {data.name} datasets/{data.name}" in card
    assert f"`worklog.csv`: {len(data.worklog)} rows × 9 columns" in card
    for frame in FRAMES:
        for column in DTYPES[frame]:
            assert f"- `{column}` (" in card
    assert "## What it shows" in card
    assert "## Model parameters" in card


@pytest.mark.parametrize("name", NAMES)
def test_regenerating_reproduces_the_files(name: str, tmp_path: Path) -> None:
    folder = datasets.build_dataset(name, tmp_path / name)
    for file in ("worklog.csv", "orders.csv", "targets.csv", "reps.csv", "README.md"):
        assert (folder / file).read_bytes() == (ROOT / name / file).read_bytes(), file


def test_main_writes_to_a_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    datasets.main(["software", str(tmp_path / "sw")])
    assert (tmp_path / "sw" / "README.md").is_file()
    assert "sw" in capsys.readouterr().out


def test_all_datasets_are_small() -> None:
    size = sum(f.stat().st_size for f in ROOT.glob("*/*") if f.is_file())
    assert size < 5_000_000


# --- headline figures ---------------------------------------------------------------------


def test_directsales_is_a_company() -> None:
    data = load_dataset("directsales")
    log = data.worklog
    assert log["team"].nunique() >= 6
    assert log["rep"].nunique() >= 40
    assert log["date"].dt.year.unique().tolist() == [2025]
    assert set(data.targets["rep"]) == set(data.reps["rep"])
    assert len(data.orders) > 0
    assert len(data.targets) > 0


def test_directsales_reps_the_lessons_discover() -> None:
    log = load_dataset("directsales").worklog
    start = log.groupby("customer").agg(rep=("rep", "first"), date=("date", "min"))
    won = first_won(log)
    start["won"] = start.index.isin(won.index)
    per_rep = start.groupby("rep").agg(customers=("won", "size"), conversion=("won", "mean"))
    rows = log.groupby("rep").size()
    # 陈静: a strong closer with few contacts
    assert per_rep["conversion"].idxmax() == "陈静"
    assert rows["陈静"] <= rows.quantile(0.1)
    # 张伟: busy, converts poorly
    assert per_rep["customers"].idxmax() == "张伟"
    assert rows.idxmax() == "张伟"
    assert per_rep["conversion"].idxmin() == "张伟"
    # 刘洋: a new hire who improves after training on 2025-05-12
    change = cards.conversion_around(dv.reached_levels(log), "刘洋", "2025-05-12",
                                     first="2025-01-01", last="2025-12-31")
    (won_before, before), (won_after, after) = change.before, change.after
    assert won_after / after > 2 * won_before / before
    assert (won_before / before, won_after / after) == pytest.approx(
        conversion_recount(log, "刘洋", "2025-05-12", "2025-12-31"))
    assert log.loc[log["rep"] == "刘洋", "date"].min() >= pd.Timestamp("2025-02-17")


def test_fmcg_grows_by_half_in_a_year() -> None:
    log = load_dataset("fmcg").worklog
    years = first_won(log).dt.year.value_counts()
    assert years[2025] / years[2024] == pytest.approx(1.50, abs=0.02)
    volume = development_volume(log, level="won", period="Y")
    by_year = dict(zip(volume["period"].dt.year, volume["volume"], strict=True))
    assert by_year[2025] / by_year[2024] == pytest.approx(1.50, abs=0.02)
    assert by_year == {2024: years[2024], 2025: years[2025]}


def test_fmcg_growth_comes_through_the_database_channel() -> None:
    log = load_dataset("fmcg").worklog
    first = log.groupby("customer").agg(date=("date", "min"), channel=("channel", "first"))
    tele = first[first["channel"] == "电话营销"]["date"].dt.year.value_counts()
    assert tele[2025] > 1.8 * tele[2024]


def test_software_grows_by_thirty_percent_in_a_quarter() -> None:
    log = load_dataset("software").worklog
    won = first_won(log)
    quarters = won[won.dt.year == 2025].dt.quarter.value_counts()
    assert quarters[3] / quarters[2] == pytest.approx(1.30, abs=0.03)
    volume = development_volume(log, level="won", period="Q").set_index("period")["volume"]
    q2, q3 = volume[pd.Timestamp("2025-04-01")], volume[pd.Timestamp("2025-07-01")]
    assert (q2, q3) == (quarters[2], quarters[3])
    assert q3 / q2 == pytest.approx(1.30, abs=0.03)


def test_software_cohort_conversion_rises_after_the_change() -> None:
    log = load_dataset("software").worklog
    contacted = log.groupby("customer")["date"].min()
    within = (first_won(log).reindex(contacted.index) - contacted).dt.days <= 90
    quarter = contacted.dt.quarter
    assert within[quarter == 3].mean() > within[quarter == 2].mean()
    rate = conversion_rate(log, start="contacted", end="won", period="Q", within_days=90)
    rate = rate.set_index("period")["conversion"]
    assert rate[pd.Timestamp("2025-07-01")] > rate[pd.Timestamp("2025-04-01")]
    assert rate[pd.Timestamp("2025-04-01")] == pytest.approx(within[quarter == 2].mean())


def test_card_headline_matches_the_data() -> None:
    for name in NAMES:
        data = load_dataset(name)
        for key, value in cards.headline(name, data.worklog).items():
            shown = f"{value:.4f}" if isinstance(value, float) else str(value)
            assert f"- {key}: {shown}" in data.card


def test_card_figures_match_the_independent_counts() -> None:
    old = {"fmcg": {"won_2024": 226, "won_2025": 340}, "software": {"won_q2": 89, "won_q3": 116}}
    for name, expected in old.items():
        figures = cards.headline(name, load_dataset(name).worklog)
        assert {key: figures[key] for key in expected} == expected
    log = load_dataset("directsales").worklog
    figures = cards.headline("directsales", log)
    assert figures["won"] == first_won(log).size == 938
    assert figures["customers"] == log["customer"].nunique()


def test_rep_profile_matches_the_recount_on_the_simulated_log() -> None:
    log = load_dataset("directsales").worklog
    profile = cards.rep_profile(log, reached=dv.reached_levels(log))
    pd.testing.assert_frame_equal(profile.sort_index(), rep_recount(log).sort_index(),
                                  check_dtype=False)
    assert profile.loc["陈静", "conversion"] == pytest.approx(32 / 90)
    assert profile.loc["张伟", "conversion"] == pytest.approx(12 / 234)


def test_rep_profile_is_a_slice(shared_log: pd.DataFrame) -> None:
    # 张 first contacted 甲 (won by 李), 丙 (lost) and 丁 (tie on 04-01: 张 sorts first); 李 乙
    # (won by 张). Crediting the first row in file order would give 丁 to 李.
    profile = cards.rep_profile(shared_log)
    assert profile.loc["张"].tolist() == [5, 3, 1, pytest.approx(1 / 3)]
    assert profile.loc["李"].tolist() == [6, 1, 1, 1.0]
    assert profile["customers"].sum() == shared_log["customer"].nunique()
    assert rep_recount(shared_log).loc["李", "customers"] == 2     # the old recount was wrong


def test_conversion_around_is_a_slice(shared_log: pd.DataFrame) -> None:
    change = cards.conversion_around(dv.reached_levels(shared_log), "张", "2026-03-04",
                                     first="2026-03-01", last="2026-12-31")
    # before: 甲 (won by 李 within 90 days); after: 丙 and 丁, neither won. A recount on 张's own
    # rows would add 乙 to the after cohort (张's first row for 乙 is the won row on 04-06).
    assert (change.before, change.after) == ((1, 1), (0, 2))


@pytest.mark.parametrize("name", NAMES)
def test_card_lists_the_built_in_effects(name: str) -> None:
    card = datasets.load_dataset(name).card
    effects = card.split("## Built-in effects: what the model assumed", 1)[1].split("## Files")[0]
    assert "drawn uniformly at random" in effects  # the lost reasons
    assert "Channel gaps" in effects
    assert "Seed" in effects  # how the seed was chosen
    for channel in dv.sim.CASES[name].model.channels:
        assert f"{channel.name} {channel.propensity:+.2f}" in effects
    if name == "directsales":
        assert all(rep in effects for rep in ("陈静", "张伟", "刘洋"))
        assert "training_added_hours=120" in effects
