from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from devvolume.sim import _datasets as datasets
from devvolume.sim._datasets import DTYPES, FRAMES, list_datasets, load_dataset
from devvolume.core import conversion_rate, development_volume
from devvolume.core import CANONICAL, WorklogSchema

ROOT = Path(datasets.__file__).resolve().parents[3] / "datasets"
NAMES = ("directsales", "fmcg", "software")


@pytest.fixture(scope="module", params=NAMES)
def data(request: pytest.FixtureRequest) -> datasets.Dataset:
    return load_dataset(request.param)


def first_won(log: pd.DataFrame) -> pd.Series:
    """The independent count: each customer's first won date."""
    return log[log["stage"] == "won"].groupby("customer")["date"].min()


def test_list_datasets() -> None:
    assert list_datasets() == list(NAMES)


def test_unknown_name_lists_the_available_ones() -> None:
    with pytest.raises(ValueError, match="Available datasets: directsales, fmcg, software"):
        load_dataset("retail")


def test_missing_files_say_how_to_regenerate(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(datasets, "DATA_DIRS", (tmp_path,))
    with pytest.raises(FileNotFoundError, match=r"python -m devvolume\.datasets fmcg"):
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
    assert f"python -m devvolume.sim._datasets {data.name} datasets/{data.name}" in card
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
    before, after = datasets._conversion_around(log, "刘洋", "2025-05-12", "2025-12-31")
    assert after > 2 * before
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
    rate = rate.set_index("period")["rate"]
    assert rate[pd.Timestamp("2025-07-01")] > rate[pd.Timestamp("2025-04-01")]
    assert rate[pd.Timestamp("2025-04-01")] == pytest.approx(within[quarter == 2].mean())


def test_card_headline_matches_the_data() -> None:
    for name in NAMES:
        data = load_dataset(name)
        for key, value in datasets.headline(name, data.worklog).items():
            shown = f"{value:.4f}" if isinstance(value, float) else str(value)
            assert f"- {key}: {shown}" in data.card
