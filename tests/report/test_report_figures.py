"""The numbers the reports show, and summary.csv, are slices of the engine's company-wide results.

Two batches run through :func:`build_reports`: the team reports of ``directsales`` (summary.csv
adds up to the company), and the team reports and meeting packs of a generated company whose
teams share customers, with Chinese and English stage labels and a partial last month. Every
table on those pages is read back and compared with the engine, sliced by team: volumes, the
like-for-like window, funnel step rates, win rates, each rep's weekly numbers, stalled customers.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from report_helpers import html_tables, number, read_summary, shared_teams_rows, write_csv

import devvolume as dv
from devvolume.report import ReportBatch, ReportResult, build_reports, publish_summary
from devvolume.report._figures import DEAL_FIELDS
from devvolume.report._folder import Entry
from devvolume.report._index import render_summary

LEVELS = ["contacted", "qualified", "signed", "won"]
ZH_LEVELS = {"contacted": "首次接触", "qualified": "意向", "signed": "签约", "won": "成交"}
STEPS = {"qualified": "首次接触 → 意向", "signed": "意向 → 签约", "won": "签约 → 成交"}


def up_to(log: pd.DataFrame, day: dt.date) -> pd.DataFrame:
    return log[log["date"] <= pd.Timestamp(day)]


def engine_volume(log: pd.DataFrame, *, level: str, period: str, first: dt.date, last: dt.date,
                  **where: str) -> int:
    """The engine's volume of one group in [first, last], a window at the start of a period.

    Computed on the whole company's log cut at ``last`` (a cut by date), grouped ``by`` the
    ``where`` columns, then sliced: a different path from the reports' compare_periods.
    """
    volume = dv.development_volume(up_to(log, last), level=level, period=period, by=list(where) or None)
    rows = volume[volume["period"] == pd.Timestamp(first)]
    for column, value in where.items():
        rows = rows[rows[column] == value]
    return int(rows["volume"].sum())


def by_name(batch: ReportBatch) -> dict[str, ReportResult]:
    return {result.name: result for result in batch.results}


def summary_sums(rows: list[dict[str, str]]) -> dict[str, int]:
    return {level: sum(int(row[level]) for row in rows) for level in LEVELS}


# --- directsales: summary.csv adds up to the company -------------------------------------------


@pytest.fixture(scope="module")
def directsales_batch(tmp_path_factory: pytest.TempPathFactory) -> ReportBatch:
    out = tmp_path_factory.mktemp("directsales") / "out"
    return build_reports("directsales", out=out, by="team", jobs=2, progress=False)


def test_directsales_summary_adds_up_to_the_company(directsales_batch: ReportBatch) -> None:
    assert directsales_batch.ok, [result.error for result in directsales_batch.failed]
    rows = read_summary(directsales_batch.summary)
    log = dv.load_dataset("directsales").worklog
    assert len(rows) == log["team"].nunique() == 7
    assert {(row["kind"], row["period"], row["as_of"], row["status"]) for row in rows} == {
        ("team", "2025-12-01", "2025-12-31", "ok")}
    company = {level: engine_volume(log, level=level, period="M", first=dt.date(2025, 12, 1),
                                    last=dt.date(2025, 12, 31)) for level in LEVELS}  # fmt: skip
    assert summary_sums(rows) == company
    targets = dv.load_dataset("directsales").targets
    december = targets[targets["period"] == pd.Timestamp("2025-12-01")]
    for row in rows:
        target = int(december.loc[december["team"] == row["name"], "target"].sum())
        assert int(row["target"]) == target
        assert float(row["attainment"]) == pytest.approx(int(row["won"]) / target, abs=1e-4)
    index = directsales_batch.index.read_text(encoding="utf-8")
    assert "报告日期: 2025-12-31" in index


def test_directsales_page_shows_the_summary_numbers(directsales_batch: ReportBatch) -> None:
    result = by_name(directsales_batch)["华东一组"]
    assert result.path is not None
    volume_table = html_tables(result.path.read_text(encoding="utf-8"))[0]
    assert volume_table["columns"][:2] == ["本期", "上期"]  # December is over: whole months
    for level, label in ZH_LEVELS.items():
        assert number(volume_table["rows"][label][0]) == result.figures[level]
    assert volume_table["rows"]["成交"][3:] == [str(result.figures["target"]),
                                              f"{result.figures['attainment']:.0%}"]


# --- a company whose teams share customers ------------------------------------------------------


@pytest.fixture(scope="module")
def shared_batches(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("shared")
    log = shared_teams_rows()
    path = write_csv(log, folder / "工作日志.csv")
    teams = build_reports(path, out=folder / "teams", by="team", jobs=2, progress=False)
    meeting = build_reports(path, out=folder / "meeting", by="team", kind="meeting", jobs=2,
                            progress=False)  # fmt: skip
    return {"log": dv.read_worklog(path), "teams": teams, "meeting": meeting}


def test_shared_summary_adds_up_to_the_company(shared_batches: dict[str, Any]) -> None:
    log = shared_batches["log"]
    day = log["date"].max().date()
    for kind, period in (("teams", "M"), ("meeting", "W")):
        batch = shared_batches[kind]
        assert batch.ok, [result.error for result in batch.failed]
        rows = read_summary(batch.summary)
        first, last = dv.period_window(day, period).first, day
        if kind == "meeting":  # the pack reviews the last complete week: 9–15 March
            week = dv.last_complete(day, "W").current
            first, last = week.first, week.last
        assert {(row["period"], row["as_of"]) for row in rows} == {(str(first), str(last))}
        company = {level: engine_volume(log, level=level, period=period, first=first, last=last)
                   for level in LEVELS}  # fmt: skip
        assert summary_sums(rows) == company, kind
        assert all(row["target"] == "" and row["attainment"] == "" for row in rows)
    # a recount on each team's own rows would not add up
    recount = sum(engine_volume(log[log["team"] == team], level="contacted", period="M",
                                first=dv.period_window(day, "M").first, last=day)
                  for team in set(log["team"]))  # fmt: skip
    assert recount > engine_volume(log, level="contacted", period="M",
                                   first=dv.period_window(day, "M").first, last=day)


def test_team_report_figures_are_the_engine_slices(shared_batches: dict[str, Any]) -> None:
    log = shared_batches["log"]
    day = log["date"].max().date()
    comparison = dv.like_for_like(day, "M")
    assert comparison.partial
    reached = dv.reached_levels(log)
    funnels, company_funnel = dv.funnel(reached, by="team"), dv.funnel(reached)
    wins, company_wins = dv.win_rate(reached, by="team"), dv.win_rate(reached)
    stalled = dv.stalled_customers(log, as_of=day, close_after_days=90)  # the call list's order
    for team, result in by_name(shared_batches["teams"]).items():
        assert result.path is not None
        page = result.path.read_text(encoding="utf-8")
        volumes, steps, *rest = html_tables(page)
        # (e) the page says which comparison it makes, and labels its columns so
        assert dv.report.describe_comparison(comparison, period="M") in page
        assert "本期至今（3 月 1 日–3 月 16 日，16 天）与上期同样天数（2 月 1 日–2 月 16 日）比较" in page
        assert volumes["columns"][:3] == ["本期至今", "上期同样天数", "变化"]
        for level, label in ZH_LEVELS.items():
            now = engine_volume(log, level=level, period="M", first=comparison.current.first,
                                last=comparison.current.last, team=team)
            before = engine_volume(log, level=level, period="M", first=comparison.previous.first,
                                   last=comparison.previous.last, team=team)
            shown = [number(cell) for cell in volumes["rows"][label][:3]]
            assert shown == [now, before, now - before], (team, level)
            assert result.figures[level] == now
        team_funnel = funnels[funnels["team"] == team].set_index("level")["from_previous"]
        company_steps = company_funnel.set_index("level")["from_previous"]
        for level, label in STEPS.items():
            expected = "—" if pd.isna(team_funnel[level]) else f"{team_funnel[level]:.1%}"
            assert steps["rows"][label] == [expected, f"{company_steps[level]:.1%}"], (team, level)
        team_win = wins.loc[wins["team"] == team, "win_rate"].iloc[0]
        win_row = steps["rows"]["赢单率（成交 ÷ 成交与流失）"]
        assert win_row == ["—" if pd.isna(team_win) else f"{team_win:.1%}",
                           f"{company_wins['win_rate'].iloc[0]:.1%}"]
        mine = stalled[(stalled["team"] == team) & ~stalled["suggest_close"]]  # warm first
        listed = next((list(table["rows"]) for table in rest if "停滞天数" in table["columns"]), [])
        assert listed == mine["customer"].head(15).tolist(), team


def test_meeting_pack_figures_are_the_engine_slices(shared_batches: dict[str, Any]) -> None:
    log = shared_batches["log"]
    day = log["date"].max().date()  # Monday 16 March: the running week has one day
    comparison = dv.last_complete(day, "W")
    assert str(comparison.current) == "2026-03-09 – 2026-03-15"
    calls = dv.stalled_customers(log, as_of=day, idle_days=14, close_after_days=90)
    windows = (comparison.current, comparison.previous)
    for team, result in by_name(shared_batches["meeting"]).items():
        assert result.path is not None
        page = result.path.read_text(encoding="utf-8")
        assert ("回顾的一周：2026 年 3 月 9 日至 2026 年 3 月 15 日（周一到周日，完整的一周），"
                "和前一周 2026 年 3 月 2 日至 2026 年 3 月 8 日 整周比较") in page
        assert "本周 2026 年 3 月 16 日至 2026 年 3 月 16 日 还没过完（1 天），只单独列出，不和整周比较" in page
        assert dv.report.NOISE_WARNING["zh"] in page
        tables = html_tables(page)
        summary = next(t for t in tables if t["columns"][:3] == ["回顾的一周", "前一周", "变化"])
        reps = next(t for t in tables if "新接触客户/回顾的一周" in t["columns"])
        running = next(t for t in tables if t["columns"] == ["本周至今（未过完）"])
        for level, label in (("contacted", "新接触客户"), ("won", "新成交客户")):
            expected = [engine_volume(log, level=level, period="W", first=w.first, last=w.last,
                                      team=team) for w in windows]  # fmt: skip
            assert [number(cell) for cell in summary["rows"][label][:2]] == expected, (team, level)
            assert result.figures[level] == expected[0]
            assert number(running["rows"][label][0]) == engine_volume(
                log, level=level, period="W", first=day, last=day, team=team)
        activities = []
        for window in windows:
            counts = dv.activity_counts(up_to(log, window.last), period="W", by="team")
            rows = counts[(counts["period"] == pd.Timestamp(window.first)) & (counts["team"] == team)]
            activities.append(int(rows["activities"].sum()))
        assert [number(cell) for cell in summary["rows"]["活动次数"][:2]] == activities
        roster = sorted(log.loc[(log["team"] == team)
                                & (log["date"] <= pd.Timestamp(comparison.current.last)), "rep"].unique())
        assert list(reps["rows"]) == roster
        for rep in roster:
            shown = dict(zip(reps["columns"], reps["rows"][rep], strict=True))
            for level, label in (("contacted", "新接触客户"), ("won", "新成交客户")):
                expected = [engine_volume(log, level=level, period="W", first=w.first, last=w.last,
                                          team=team, rep=rep) for w in windows]  # fmt: skip
                assert [number(shown[f"{label}/回顾的一周"]), number(shown[f"{label}/前一周"])] == expected
        # the call list: the team's slice of the company's, warm and late first; the old ones apart
        mine = calls[calls["team"] == team]
        listed = [list(t["rows"]) for t in tables if "停滞天数" in t["columns"]]
        expected_lists = [rows["customer"].head(15).tolist()
                          for rows in (mine[~mine["suggest_close"]], mine[mine["suggest_close"]])
                          if not rows.empty]  # fmt: skip
        assert listed == expected_lists, team
        # the commitments file beside the pack: one blank row per rep for the week of 16 March
        commitments = result.path.with_suffix(".commitments.csv")
        frame = pd.read_csv(commitments, encoding="utf-8-sig", dtype=str, keep_default_na=False)
        assert frame["周"].unique().tolist() == ["2026-03-16"]
        assert frame["销售员"].tolist() == roster


# --- the summary file itself -------------------------------------------------------------------


def test_summary_csv_has_a_bom_english_columns_and_failed_rows(tmp_path: Path) -> None:
    entries = [
        Entry("华东一组", "team", "team_华东一组.html", "ok", "2025-12-18", "M", figures={
            "period": "2025-12-01", "as_of": "2025-12-18", "contacted": 5, "qualified": 3,
            "signed": 2, "won": 1, "target": None, "attainment": None}),
        Entry("华南一组", "team", "team_华南一组.html", "interrupted", "2025-12-18", "M"),
    ]
    unknown = [ReportResult("不存在", "team", None, False, "no team named '不存在'")]
    text = render_summary(entries, unknown, run={"as_of": dt.date(2025, 12, 18), "period": "M"})
    path = tmp_path / "summary.csv"
    path.write_text(text, encoding="utf-8")
    blank = dict.fromkeys(("contacted", "qualified", "signed", "won", "target", "attainment",
                           "first_order_value", "open_signed_value", *DEAL_FIELDS, "skipped_rows",
                           "file"), "")  # no deals: their columns are empty
    assert read_summary(path) == [
        {**blank, "name": "华东一组", "kind": "team", "period": "2025-12-01", "as_of": "2025-12-18",
         "contacted": "5", "qualified": "3", "signed": "2", "won": "1", "skipped_rows": "0",
         "status": "ok", "file": "team_华东一组.html"},
        {**blank, "name": "华南一组", "kind": "team", "period": "2025-12-01", "as_of": "2025-12-18",
         "status": "interrupted"},
        {**blank, "name": "不存在", "kind": "team", "period": "2025-12-01", "as_of": "2025-12-18",
         "status": "error"},
    ]


def test_publish_summary_refuses_columns_summary_csv_does_not_have() -> None:
    with pytest.raises(ValueError, match=r"summary.csv has no columns \['成交'\]"):
        publish_summary({"成交": 3})
