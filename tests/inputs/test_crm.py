"""Importing a CRM opportunity export: every deal accounted for, and the numbers a pandas oracle gives.

The real-shaped export (``devvolume.sim.crm_opportunities``: 85 accounts shared by 6 teams, 30
reps, Prospecting deals with no date, Engaging deals with no account) is imported by name and by
``auto``; its development volume per team, deal win rate, open deals and won revenue are checked
against counts written here in plain pandas on the export itself, never through devvolume.
Hand-made exports check each rule: events, collapsing, flags, reasons, dates.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

import devvolume as dv
from devvolume.inputs import WorklogError, import_crm
from devvolume.sim._opportunities import Opportunities, crm_opportunities, pipeline_csv

SCALE = 0.05


@pytest.fixture(scope="module")
def opportunities() -> Opportunities:
    return crm_opportunities(scale=SCALE)


@pytest.fixture(scope="module")
def files(opportunities: Opportunities, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("pipeline")
    export, roster = folder / "sales_pipeline.csv", folder / "sales_teams.csv"
    pipeline_csv(opportunities).to_csv(export, index=False)
    opportunities.teams[["sales_agent", "manager", "regional_office"]].to_csv(roster, index=False)
    return export, roster


@pytest.fixture(scope="module")
def imported(files: tuple[Path, Path]) -> dv.inputs.CrmImport:
    export, roster = files
    return import_crm(export, crm="pipeline", roster=roster)


# --- the oracle: plain pandas on the export ------------------------------------------------------


def _oracle(data: Opportunities) -> dict[str, object]:
    p = data.pipeline.copy()
    p["team"] = p["sales_agent"].map(dict(zip(data.teams["sales_agent"], data.teams["manager"],
                                              strict=True)))  # fmt: skip
    dated = p["engage_date"].notna() | p["close_date"].notna()
    written = p[dated & p["account"].notna()]
    won = written[written["deal_stage"] == "Won"]
    lost = written[written["deal_stage"] == "Lost"]
    # An account's first deal: its earliest won deal; a tie on the day goes to the smaller rep
    # name, then team, then deal id (the credit rule of DESIGN.md).
    first = won.sort_values(["close_date", "sales_agent", "team", "opportunity_id"]).groupby(
        "account").head(1)
    first_month = first.assign(period=first["close_date"].dt.to_period("M").dt.start_time)
    events = 0
    for row in written.itertuples():
        if row.deal_stage in ("Won", "Lost"):
            same_day = row.engage_date == row.close_date
            events += 1 if same_day else 2
        else:
            events += 1
    return {
        "deals_in": len(p), "no_date": int((~dated).sum()),
        "no_account": int((dated & p["account"].isna()).sum()),
        "written": set(written["opportunity_id"]), "events": events,
        "deal_win_rate": len(won) / (len(won) + len(lost)),
        "open": len(written[written["deal_stage"] == "Engaging"]),
        "won_revenue": float(won["close_value"].sum()),
        "new_won_by_team_month": first_month.groupby(["period", "team"]).size().to_dict(),
        "first_revenue_by_team": first.groupby("team")["close_value"].sum().to_dict(),
        "first_deals": set(first["opportunity_id"]),
    }


def test_pipeline_imports_by_name_and_by_auto(files: tuple[Path, Path],
                                              imported: dv.inputs.CrmImport) -> None:  # fmt: skip
    export, roster = files
    auto = import_crm(export, roster=roster)
    assert auto.summary.preset == imported.summary.preset == "pipeline"
    pd.testing.assert_frame_equal(auto.worklog, imported.worklog)
    assert list(imported.worklog.columns) == [*dv.core.CANONICAL, "deal"]


def test_every_input_row_is_accounted_for(imported: dv.inputs.CrmImport,
                                          opportunities: Opportunities) -> None:  # fmt: skip
    oracle = _oracle(opportunities)
    summary = imported.summary
    assert summary.deals_in == oracle["deals_in"] == len(opportunities.pipeline)
    assert summary.deals_written + summary.deals_left_out == summary.deals_in
    assert summary.left_out == {"no_date": oracle["no_date"], "no_account": oracle["no_account"]}
    assert len(imported.left_out) == summary.deals_left_out
    assert set(imported.worklog["deal"]) == oracle["written"]
    assert set(imported.worklog["deal"]).isdisjoint(imported.left_out["deal"])
    assert summary.rows_out == len(imported.worklog) == oracle["events"]
    assert sum(row.deals for row in summary.stages) == summary.deals_in
    assert sum(row.written for row in summary.stages) == summary.deals_written
    assert summary.notice()[1] == f"另有 {oracle['no_account']:,} 个没有客户名的商机未计入。"


def test_measures_equal_an_independent_pandas_count(imported: dv.inputs.CrmImport,
                                                    opportunities: Opportunities) -> None:  # fmt: skip
    oracle = _oracle(opportunities)
    log = imported.worklog
    volume = dv.development_volume(log, level="won", by="team")
    counted = {(row.period, row.team): row.volume for row in volume.itertuples() if row.volume}
    assert counted == oracle["new_won_by_team_month"]
    assert volume["volume"].sum() == log["customer"].nunique()  # every account was won once
    deal_rate = dv.win_rate(log, unit="deal")
    assert deal_rate["deal_win_rate"].item() == pytest.approx(oracle["deal_win_rate"])
    assert dv.win_rate(log)["win_rate"].item() == 1.0  # the account win rate: a different question
    assert len(dv.open_deals(log)) == oracle["open"]
    won = dv.won_deals(log)
    assert won["won_revenue"].item() == pytest.approx(oracle["won_revenue"])
    assert won["first_deals"].item() == len(oracle["first_deals"])
    by_team = dv.won_deals(log, by="team").set_index("team")["first_deal_revenue"]
    assert by_team[by_team > 0].to_dict() == pytest.approx(oracle["first_revenue_by_team"])


def test_the_real_shape_at_full_scale() -> None:
    """The issue's numbers: 8,800 deals, 500 with no date, 1,088 with no account, a 63 % rate."""
    data = crm_opportunities(scale=1.0)
    roster = data.teams[["sales_agent", "manager"]]
    result = import_crm(pipeline_csv(data), roster=roster)
    assert result.summary.left_out == {"no_date": 500, "no_account": 1088}
    assert result.summary.deals_written == 8800 - 1588
    rate = dv.win_rate(result.worklog, unit="deal")
    assert (rate["deals_won"].item(), rate["deals_lost"].item()) == (4238, 2473)
    assert rate["deal_win_rate"].item() == pytest.approx(0.632, abs=0.001)
    assert result.worklog["customer"].nunique() == 85
    assert result.worklog["rep"].nunique() == 30


# --- one rule at a time, on hand-made exports ----------------------------------------------------


def _pipeline(rows: list[tuple[object, ...]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["opportunity_id", "sales_agent", "product", "account",
                                       "deal_stage", "engage_date", "close_date", "close_value"])


ROSTER = pd.DataFrame({"销售员": ["Ann", "Bo"], "团队": ["East", "West"],
                       "入职日期": ["2015-03-02", None]})


def test_events_of_each_kind_of_deal() -> None:
    export = _pipeline([
        ("W1", "Ann", "GTX", "Acme", "Won", "2017-01-05", "2017-03-02", "1200"),
        ("W2", "Ann", "MG", "Acme", "Won", "2017-03-09", "2017-03-09", "55"),
        ("L1", "Bo", "GTX", "Zoom", "Lost", "2017-02-01", "2017-04-01", "0"),
        ("L2", "Bo", "GTX", "Zoom", "Lost", "2017-05-01", "2017-05-01", "0"),
        ("E1", "Bo", "GTX", "Zoom", "Engaging", "2017-02-03", None, None),
        ("P1", "Bo", "GTX", "Zoom", "Prospecting", None, None, None),
    ])
    result = import_crm(export, roster=ROSTER)
    rows = [(str(r.date.date()), r.deal, r.stage, None if pd.isna(r.amount) else r.amount, r.team)
            for r in result.worklog.itertuples()]
    assert rows == [
        ("2017-01-05", "W1", "contacted", None, "East"),
        ("2017-02-01", "L1", "contacted", None, "West"),
        ("2017-02-03", "E1", "qualified", None, "West"),   # an open deal's stage, dated
        ("2017-03-02", "W1", "won", 1200.0, "East"),
        ("2017-03-09", "W2", "won", 55.0, "East"),         # engaged and won the same day: one row
        ("2017-04-01", "L1", "lost", None, "West"),        # no amount on a lost row
        ("2017-05-01", "L2", "lost", None, "West"),        # a loss implies the contact
    ]
    assert result.summary.left_out == {"no_date": 1}
    assert result.left_out.to_dict("records") == [
        {"row": 7, "deal": "P1", "reason": "no_date", "problem": "没有任何日期 / no date at all",
         "detail": ""}]
    assert result.summary.hire_dates == {"Ann": "2015-03-02"}
    assert result.worklog["note"].tolist()[0] == "GTX"


def test_reasons_for_leaving_a_deal_out() -> None:
    export = _pipeline([
        ("A", "Ann", "GTX", "Acme", "Won", "2017-01-05", "2017-03-02", "1200"),
        ("A", "Ann", "GTX", "Acme", "Won", "2017-01-05", "2017-03-02", "1200"),
        (None, "Ann", "GTX", "Acme", "Won", "2017-01-05", "2017-03-02", "1200"),
        ("C", "Ann", "GTX", "Acme", None, "2017-01-05", None, None),
        ("D", "Ann", "GTX", "Acme", "Won", "2017-01-05", None, "5"),
        ("E", "Ann", "GTX", "Acme", "Engaging", "2017-02-30", None, None),
        ("F", "Ann", "GTX", "Acme", "Won", "2017-01-05", "2017-03-02", "12.800,5"),
        ("G", None, "GTX", "Acme", "Engaging", "2017-01-05", None, None),
        ("H", "Cy", "GTX", "Acme", "Engaging", "2017-01-05", None, None),
        ("I", "Ann", "GTX", "Acme", "Won", "1999-12-31", "2017-03-02", "1"),
    ])
    result = import_crm(export, roster=ROSTER)
    reasons = dict(zip(result.left_out["row"], result.left_out["reason"], strict=True))
    assert reasons == {3: "duplicate", 4: "no_deal_id", 5: "no_stage", 6: "no_close_date",
                       7: "unreadable", 8: "unreadable", 9: "no_rep", 10: "no_team",
                       11: "unreadable"}
    details = dict(zip(result.left_out["row"], result.left_out["detail"], strict=True))
    assert details[7] == "engage_date: 2017-02-30"
    assert details[8] == "close_value: 12.800,5"
    assert details[10] == "Cy"
    assert details[11].startswith("engage_date: 1999-12-31")
    assert result.summary.deals_written == 1
    assert result.summary.deals_in == 10


def test_a_stage_mapped_to_skip_is_left_out_on_purpose(tmp_path: Path) -> None:
    mapping = tmp_path / "map.toml"
    mapping.write_text('preset = "pipeline"\n[stages]\n"Prospecting" = "skip"\n', encoding="utf-8")
    export = _pipeline([("P1", "Ann", "GTX", "Acme", "Prospecting", "2017-01-05", None, None),
                        ("E1", "Ann", "GTX", "Acme", "Engaging", "2017-01-05", None, None)])
    result = import_crm(export, roster=ROSTER, mapping=mapping)
    assert result.summary.left_out == {"skipped_stage": 1}
    assert [(r.stage, r.became, r.deals, r.written) for r in result.summary.stages] == [
        ("Engaging", "qualified", 1, 1), ("Prospecting", "skip", 1, 0)]


def test_vendor_flags_decide_won_and_lost() -> None:
    export = pd.DataFrame({
        "Id": ["1", "2", "3"], "Account.Name": ["Acme"] * 3, "Owner.Name": ["Ann"] * 3,
        "StageName": ["Contract Review", "Contract Review", "Prospecting"],
        "CreatedDate": ["2017-01-02"] * 3, "CloseDate": ["2017-02-14", "2017-02-15", "2017-12-31"],
        "IsClosed": ["true", "true", "false"], "IsWon": ["true", "false", "false"],
        "Amount": ["$1,250.00", "900", "700"]})
    result = import_crm(export, crm="salesforce", roster=ROSTER)
    closing = result.worklog[result.worklog["stage"].isin(["won", "lost"])]
    assert closing[["date", "deal", "stage"]].values.tolist() == [
        [pd.Timestamp("2017-02-14"), "1", "won"], [pd.Timestamp("2017-02-15"), "2", "lost"]]
    assert closing["amount"].tolist()[0] == 1250.0
    assert pd.isna(closing["amount"].tolist()[1])  # an amount only on a won row
    # the open deal's 2017-12-31 close date is an expected date: not an event
    assert result.worklog[result.worklog["deal"] == "3"]["date"].tolist() == [
        pd.Timestamp("2017-01-02")]
    assert {(r.stage, r.became, r.via) for r in result.summary.stages} == {
        ("Contract Review", "won", "IsWon"), ("Contract Review", "lost", "IsClosed"),
        ("Prospecting", "contacted", "")}


def test_us_month_day_dates_are_read_from_the_whole_file() -> None:
    rows = [("1", "Ann", "GTX", "Acme", "Won", "3/4/2017", "3/14/2017", "10"),
            ("2", "Ann", "GTX", "Acme", "Engaging", "5/6/2017", None, None)]
    result = import_crm(_pipeline(rows), roster=ROSTER)
    assert result.summary.date_order == "MDY"
    assert [d.date() for d in result.worklog["date"]] == [
        dt.date(2017, 3, 4), dt.date(2017, 3, 14), dt.date(2017, 5, 6)]
    day_first = [("1", "Ann", "GTX", "Acme", "Won", "4/3/2017", "14/3/2017", "10")]
    result = import_crm(_pipeline(day_first), roster=ROSTER)
    assert result.summary.date_order == "DMY"
    assert [d.date() for d in result.worklog["date"]] == [dt.date(2017, 3, 4),
                                                          dt.date(2017, 3, 14)]


def test_dates_that_cannot_tell_month_from_day_are_refused(tmp_path: Path) -> None:
    rows = [("1", "Ann", "GTX", "Acme", "Won", "3/4/2017", "5/6/2017", "10")]
    with pytest.raises(WorklogError, match=r"(?s)无法判断.*3/4/2017.*engage_date.*第 2 行.*"
                                           r"Hint: .*date_order = \"MDY\""):
        import_crm(_pipeline(rows), roster=ROSTER)
    mapping = tmp_path / "map.toml"
    mapping.write_text('[options]\ndate_order = "DMY"\n', encoding="utf-8")
    result = import_crm(_pipeline(rows), roster=ROSTER, mapping=mapping)
    assert result.worklog["date"].dt.month.tolist() == [4, 6]
    mixed = [("1", "Ann", "GTX", "Acme", "Won", "3/14/2017", "14/3/2017", "10")]
    with pytest.raises(WorklogError, match=r"(?s)月/日/年，有的是日/月/年.*3/14/2017.*14/3/2017"):
        import_crm(_pipeline(mixed), roster=ROSTER)
    contradicted = [("1", "Ann", "GTX", "Acme", "Won", "3/14/2017", "3/15/2017", "10")]
    with pytest.raises(WorklogError, match=r'date_order = "DMY".*MDY'):
        import_crm(_pipeline(contradicted), roster=ROSTER, mapping=mapping)


# --- errors that stop an import: bilingual, naming the column or value, with the fix -------------


def test_unknown_stage_values_name_the_value_the_column_and_the_fix() -> None:
    export = _pipeline([("1", "Ann", "GTX", "Acme", "Negotiating", "2017-01-05", None, None),
                        ("2", "Ann", "GTX", "Acme", "Negotiating", "2017-01-06", None, None),
                        ("3", "Ann", "GTX", "Acme", "Won", "2017-01-06", "2017-02-01", "5")])
    with pytest.raises(WorklogError) as caught:
        import_crm(export, roster=ROSTER)
    text = str(caught.value)
    assert "deal_stage 列有映射里没有的阶段 / unknown stage values in column deal_stage" in text
    assert "“Negotiating”（2 个商机，首见第 2 行 / 2 deals, first on row 2）" in text
    assert 'Hint: 在映射文件的 [stages] 里写明每个阶段是什么，例如 "Negotiating" = "qualified"' in text
    assert "Prospecting、Engaging、Won、Lost" in text
    assert "--suggest" in text
    assert caught.value.problems["row"].tolist() == [2]


def test_missing_columns_name_the_field_and_the_headers_tried() -> None:
    export = _pipeline([("1", "Ann", "GTX", "Acme", "Won", "2017-01-05", "2017-02-01", "5")])
    with pytest.raises(WorklogError) as caught:
        import_crm(export.drop(columns=["account"]), crm="pipeline", roster=ROSTER)
    text = str(caught.value)
    assert "导出文件缺少列（按 pipeline 的格式）/ the export lacks columns for pipeline" in text
    assert "客户 (customer; 找过 / looked for: account)" in text
    assert "headers found: opportunity_id、sales_agent" in text
    assert "Hint: " in text
    assert "[columns]" in text
    with pytest.raises(WorklogError, match=r"(?s)the headers fit no preset.*pipeline: 缺少 / lacks "
                                           r"客户 \(customer"):
        import_crm(export.drop(columns=["account"]), roster=ROSTER)


def test_a_team_must_come_from_somewhere() -> None:
    export = _pipeline([("1", "Ann", "GTX", "Acme", "Won", "2017-01-05", "2017-02-01", "5")])
    with pytest.raises(WorklogError, match=r"(?s)没有团队列.*team column.*Hint: 用 --roster"):
        import_crm(export)


def test_unknown_format_and_a_roster_without_teams() -> None:
    export = _pipeline([("1", "Ann", "GTX", "Acme", "Won", "2017-01-05", "2017-02-01", "5")])
    with pytest.raises(WorklogError, match=r"(?s)--from zoho.*Hint: 可用的"):
        import_crm(export, crm="zoho", roster=ROSTER)
    with pytest.raises(WorklogError, match=r"(?s)名单缺少列 / the roster lacks: 团队\(team\)"):
        import_crm(export, roster=pd.DataFrame({"销售员": ["Ann"]}))


def test_an_export_is_read_from_excel_and_never_changed(tmp_path: Path) -> None:
    export = _pipeline([("1", "Ann", "GTX", "Acme", "Won", dt.datetime(2017, 1, 5),
                         dt.datetime(2017, 2, 1), 5.0)])
    path = tmp_path / "export.xlsx"
    export.to_excel(path, index=False)
    before = path.read_bytes()
    result = import_crm(path, roster=ROSTER)
    assert result.worklog["date"].dt.date.tolist() == [dt.date(2017, 1, 5), dt.date(2017, 2, 1)]
    assert path.read_bytes() == before
