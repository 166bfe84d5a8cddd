"""The real-shaped opportunity export: the public dataset's shape, seeded, and the kit's examples."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from devvolume._kit import kit_path
from devvolume.sim._opportunities import (
    EXAMPLE_SCALE,
    crm_opportunities,
    write_crm_examples,
)


def test_the_full_scale_export_has_the_public_datasets_shape() -> None:
    data = crm_opportunities()
    p = data.pipeline
    assert len(p) == 8800
    assert p["deal_stage"].value_counts().to_dict() == {
        "Won": 4238, "Lost": 2473, "Engaging": 1589, "Prospecting": 500}
    no_account = p[p["account"].isna()]["deal_stage"].value_counts().to_dict()
    assert no_account == {"Engaging": 1088, "Prospecting": 337}
    assert p["account"].nunique() == 85
    assert p["sales_agent"].nunique() == 30
    assert len(data.teams) == 35
    assert data.teams["manager"].nunique() == 6
    assert p["opportunity_id"].is_unique
    prospecting = p[p["deal_stage"] == "Prospecting"]
    assert prospecting[["engage_date", "close_date"]].isna().all().all()
    assert p["engage_date"].min() == pd.Timestamp(dt.date(2016, 10, 20))
    closed = p[p["deal_stage"].isin(["Won", "Lost"])]
    assert closed["close_date"].min() >= pd.Timestamp(dt.date(2017, 3, 1))
    assert (closed["close_date"] >= closed["engage_date"]).all()
    assert p[p["deal_stage"] == "Engaging"]["close_date"].isna().all()
    # very uneven reps, and accounts shared by every team
    per_rep = p.groupby("sales_agent").size()
    assert per_rep.max() > 5 * per_rep.min()
    teams = p.assign(team=p["sales_agent"].map(dict(zip(data.teams["sales_agent"],
                                                        data.teams["manager"], strict=True))))
    assert teams.groupby("account")["team"].nunique().min() >= 5


def test_the_same_seed_gives_the_same_export() -> None:
    pd.testing.assert_frame_equal(crm_opportunities(scale=0.05).pipeline,
                                  crm_opportunities(scale=0.05).pipeline)
    assert not crm_opportunities(scale=0.05, seed=1).pipeline.equals(
        crm_opportunities(scale=0.05).pipeline)


def test_the_kits_examples_are_the_generators(tmp_path: Path) -> None:
    written = write_crm_examples(tmp_path, scale=EXAMPLE_SCALE)
    assert len(written) == 7
    for path in written:
        name = path.relative_to(tmp_path)
        assert (kit_path("examples", "crm") / name).read_bytes() == path.read_bytes(), name
