"""The weekly meeting review: rep rows are slices of company-wide counts, like for like."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from report_helpers import shared_teams_rows

import devvolume as dv
from devvolume.report import TOTAL, load_company, period_figures, review_chart, weekly_review


def _log() -> pd.DataFrame:
    rows = [
        ("2025-06-02", "A", "C1", "contacted"),   # last week (Monday): new contact
        ("2025-06-06", "B", "C9", "contacted"),   # last week (Friday): after the same days
        ("2025-06-09", "A", "C1", "contacted"),   # this week: repeat contact, not new
        ("2025-06-10", "A", "C2", "won"),         # this week: implies contacted, new
        ("2025-06-15", "B", "C3", "contacted"),   # Sunday: still this week
        ("2025-06-16", "B", "C4", "contacted"),   # next Monday: not this week
    ]
    frame = pd.DataFrame(rows, columns=["date", "rep", "customer", "stage"])
    frame["date"] = pd.to_datetime(frame["date"])
    frame["team"] = "T"
    return frame


def test_a_whole_week_is_compared_with_the_whole_week_before() -> None:
    review = weekly_review(_log(), as_of="2025-06-15").set_index("rep")
    assert review.attrs["comparison"].basis == "complete"
    assert review.loc["A", "新接触_本周"] == 1      # C2; C1 is a repeat
    assert review.loc["A", "新接触_上周"] == 1
    assert review.loc["B", "新接触_本周"] == 1      # C3 on Sunday; C4 is next week
    assert review.loc["B", "新接触_上周"] == 1      # C9
    assert review.loc["A", "新成交_本周"] == 1
    assert review.loc["A", "活动_本周"] == 2
    assert review.loc[TOTAL, "新接触_本周"] == 2
    assert review.loc[TOTAL, "新接触_变化"] == 0


def test_a_running_week_is_compared_with_the_same_days() -> None:
    review = weekly_review(_log(), as_of="2025-06-11").set_index("rep")  # a Wednesday
    comparison = review.attrs["comparison"]
    assert comparison.basis == "same_days"
    assert (comparison.previous.first, comparison.previous.last) == (dt.date(2025, 6, 2),
                                                                     dt.date(2025, 6, 4))
    assert review.loc["B", "新接触_上周"] == 0      # C9 came on Friday: not in Monday to Wednesday
    assert review.loc["B", "新接触_本周"] == 0      # C3 comes on Sunday, after the report day
    assert review.loc[TOTAL, "新接触_本周"] == 1
    assert review.loc[TOTAL, "活动_上周"] == 1


def test_a_shared_customer_is_new_only_for_the_team_that_contacted_it_first(
    shared_log: pd.DataFrame,
) -> None:
    # Wednesday 1 April: 丁 is contacted by both teams that day (张 of A sorts first), and
    # B won 甲 on Monday 30 March; a recount on B's own rows would call 丁 new for B as well.
    b = weekly_review(shared_log, as_of="2026-04-01", team="B").set_index("rep")
    assert b.loc["李", ["新接触_本周", "新成交_本周", "活动_本周"]].tolist() == [0, 1, 2]
    assert b.loc["李", ["新接触_上周", "活动_上周"]].tolist() == [0, 1]  # 24 March: 甲 signed
    a = weekly_review(shared_log, as_of="2026-04-01", team="A").set_index("rep")
    assert a.loc["张", ["新接触_本周", "新成交_本周", "活动_本周"]].tolist() == [1, 0, 1]
    both = weekly_review(shared_log, as_of="2026-04-01").set_index("rep")
    assert both.loc[TOTAL, "新接触_本周"] == a.loc[TOTAL, "新接触_本周"] + b.loc[TOTAL, "新接触_本周"]


def test_review_totals_are_the_team_figures_of_the_week() -> None:
    log = shared_teams_rows()
    company = load_company(log)
    for team in company.names["team"]:
        review = weekly_review(company.log, as_of=company.day, team=team, reached=company.reached)
        total = review.set_index("rep").loc[TOTAL]
        figures = period_figures(company, period="W", team=team)
        assert total["新接触_本周"] == figures.now["contacted"]
        assert total["新接触_上周"] == figures.before["contacted"]
        assert total["新成交_本周"] == figures.now["won"]
        assert total["新成交_上周"] == figures.before["won"]
        week = dv.like_for_like(company.day, "W").current
        rows = company.log[(company.log["team"] == team)
                           & (company.log["date"] >= pd.Timestamp(week.first))]
        assert total["活动_本周"] == len(rows)  # oracle: the team's own rows this week


def test_every_rep_of_the_team_is_listed_even_without_credit(shared_log: pd.DataFrame) -> None:
    log = pd.concat([shared_log, pd.DataFrame({
        "date": pd.to_datetime(["2026-04-02"]), "rep": ["王"], "team": ["B"],
        "customer": ["客户甲"], "stage": ["成交"]})], ignore_index=True)  # a follow-up only
    review = weekly_review(log, as_of="2026-04-02", team="B")
    assert review["rep"].tolist() == ["李", "王", TOTAL]
    assert review.set_index("rep").loc["王", ["新成交_本周", "活动_本周"]].tolist() == [0, 1]


def test_unknown_team_lists_the_teams() -> None:
    with pytest.raises(ValueError, match="T"):
        weekly_review(_log(), as_of="2025-06-11", team="X")


def test_review_chart_draws_both_windows() -> None:
    spec = review_chart(weekly_review(_log(), as_of="2025-06-15")).to_dict()
    assert spec["title"] == "本周与上周：新接触"
    values = next(iter(spec["datasets"].values()))
    assert {row["rep"] for row in values} == {"A", "B"}


# --- the weekly meeting pack: weeks, pace, pipeline, call list, commitments --------------------


def _running_week_log() -> pd.DataFrame:
    """A team whose data stop on Wednesday 31 December 2025: that week has only 3 days.

    Whole weeks: 15–21 Dec (B contacts C1, C2; A contacts C3) and 22–28 Dec (A contacts C4 and
    wins C3; B contacts nobody new, follows up C1). Running week 29–31 Dec: A contacts C5 and C6.
    """
    rows = [
        ("2025-12-15", "B", "C1", "contacted"),
        ("2025-12-16", "B", "C2", "contacted"),
        ("2025-12-19", "A", "C3", "contacted"),
        ("2025-12-22", "A", "C4", "contacted"),
        ("2025-12-23", "B", "C1", "qualified"),
        ("2025-12-26", "A", "C3", "won"),
        ("2025-12-29", "A", "C5", "contacted"),
        ("2025-12-31", "A", "C6", "contacted"),
    ]
    frame = pd.DataFrame(rows, columns=["date", "rep", "customer", "stage"])
    frame["date"] = pd.to_datetime(frame["date"])
    frame["team"] = "T"
    return frame


def test_the_pack_reviews_the_last_complete_week_and_keeps_the_running_one_apart() -> None:
    from devvolume.report import meeting_weeks, week_summary

    company = load_company(_running_week_log())
    weeks = meeting_weeks(company.day)
    assert str(weeks.review.current) == "2025-12-22 – 2025-12-28"
    assert str(weeks.review.previous) == "2025-12-15 – 2025-12-21"
    assert weeks.review.basis == "complete"
    assert str(weeks.running) == "2025-12-29 – 2025-12-31"
    assert weeks.coming == dt.date(2025, 12, 29)
    review = weekly_review(company, as_of=weeks.review.current.last, team="T").set_index("rep")
    assert review.loc["A", ["新接触_本周", "新接触_上周", "新成交_本周"]].tolist() == [1, 1, 1]
    assert review.loc["B", ["新接触_本周", "新接触_上周", "活动_本周"]].tolist() == [0, 2, 1]
    assert review.loc[TOTAL, ["新接触_本周", "新接触_上周"]].tolist() == [1, 3]
    # the running week, on its own: 3 days, never compared with the whole week
    running = weekly_review(company, team="T").set_index("rep")
    assert running.loc[TOTAL, "新接触_本周"] == 2
    # C3 won on 26 Dec is also qualified and signed that day; C1 qualified on 23 Dec
    assert week_summary(company, weeks.review.current, team="T") == {
        "period": "2025-12-22", "as_of": "2025-12-28",
        "contacted": 1, "qualified": 2, "signed": 1, "won": 1}


def test_a_sunday_has_no_running_week() -> None:
    from devvolume.report import meeting_weeks

    weeks = meeting_weeks("2025-12-28")
    assert weeks.running is None
    assert str(weeks.review.current) == "2025-12-22 – 2025-12-28"


def test_rep_points_warn_about_noise_first_and_name_only_clear_changes() -> None:
    from devvolume.report import NOISE_WARNING, rep_points

    changes = pd.DataFrame({"rep": ["A", "B"], "before": [0, 12], "after": [14, 1],
                            "p_value": [0.00001, 0.0034], "significant": [True, True]})
    points = rep_points(changes)
    assert points[0] == NOISE_WARNING["zh"]
    assert "偶然" in points[0]
    assert points[1] == "A：新接触客户从 0 个增加到 14 个（p < 0.001），变化明显：请在会上分享做法。"
    assert "（p = 0.003）" in points[2]
    assert len(points) == 3  # no "within chance" line: every change is clear
    assert rep_points(changes.iloc[:0]) == [NOISE_WARNING["zh"]]


def test_month_pace_against_a_target_and_without_one(tmp_path: Path) -> None:
    from devvolume.report import month_pace

    log = _running_week_log()
    # Without targets: December 1–31 against the same days of November (all of it, 30 days)
    pace = month_pace(load_company(log), team="T")
    assert pace.target is None
    text = pace.text()
    assert text[0].startswith("本月没有目标，所以与上个月比较：")
    # With a target, partway through the month: 1 won by 26 Dec of 31 days, target 4
    targets = tmp_path / "targets.csv"
    pd.DataFrame({"销售员": ["A", "B"], "团队": ["T", "T"], "月份": ["2025-12-01"] * 2,
                  "目标": [3, 1]}).to_csv(targets, index=False)
    pace = month_pace(load_company(log, as_of="2025-12-26", targets=targets), team="T")
    assert (pace.target, pace.elapsed, pace.days, pace.figures.now["won"]) == (4, 26, 31, 1)
    assert pace.text()[0] == ("12 月到 2025-12-26 已过 26/31 天（84%）：新成交客户 1 个，"
                              "目标 4 个，完成 25%，慢于时间进度。")


def test_pipeline_counts_open_customers_at_their_stage() -> None:
    from devvolume.report import pipeline

    company = load_company(_running_week_log())
    # open on 31 Dec: C1 qualified (B), C2, C4, C5, C6 contacted; C3 won is out of the pipeline
    table = pipeline(company, team="T").set_index("level")
    assert table["customers"].to_dict() == {"contacted": 4, "qualified": 1, "signed": 0}
    assert pipeline(company, team="T", rep="B").set_index("level")["customers"].tolist() == [1, 1, 0]


def test_pipeline_with_deals_and_amounts() -> None:
    from devvolume.report import pipeline

    log = pd.DataFrame({
        "date": pd.to_datetime(["2026-03-02", "2026-03-03", "2026-03-05", "2026-03-06"]),
        "rep": ["A", "A", "A", "B"], "team": ["T", "T", "T", "U"],
        "customer": ["C1", "C1", "C2", "C3"], "deal": ["D1", "D2", "D3", "D4"],
        "stage": ["signed", "qualified", "qualified", "signed"],
        "amount": [8000.0, None, None, 5000.0]})
    table = pipeline(load_company(log), team="T").set_index("level")
    # customers: C1 at signed (its highest), C2 qualified; deals: D1 signed, D2 and D3 qualified
    assert table["customers"].tolist() == [0, 1, 1]
    assert table["open_deals"].tolist() == [0, 2, 1]
    assert table.loc["signed", ["valued", "value"]].tolist() == [1, 8000.0]


def test_the_call_list_puts_warm_late_customers_first_and_sets_old_ones_apart() -> None:
    from devvolume.report import CLOSE_AS_LOST_DAYS, call_list

    assert CLOSE_AS_LOST_DAYS == 90
    rows = [
        ("2025-06-01", "A", "T", "老客户", "signed"),      # 213 days idle: close as lost
        ("2025-10-01", "A", "T", "意向冷", "qualified"),    # 91 days: close as lost
        ("2025-11-20", "B", "T", "签约温", "signed"),       # 41 days
        ("2025-12-10", "B", "T", "意向温", "qualified"),    # 21 days
        ("2025-12-01", "A", "T", "意向中", "qualified"),    # 30 days
        ("2025-12-25", "A", "T", "意向新", "qualified"),    # 6 days: not stalled yet
        ("2025-11-01", "C", "U", "别队的", "signed"),       # another team's
        ("2025-12-31", "A", "T", "活跃", "contacted"),
    ]
    log = pd.DataFrame(rows, columns=["date", "rep", "team", "customer", "stage"])
    log["date"] = pd.to_datetime(log["date"])
    calls = call_list(load_company(log), idle_days=14, team="T")
    assert calls.call["customer"].tolist() == ["签约温", "意向温", "意向中"]
    assert calls.close["customer"].tolist() == ["老客户", "意向冷"]
    assert calls.close["idle_days"].tolist() == [213, 91]
    # every name is a slice of the company-wide list
    company_list = dv.stalled_customers(log, as_of="2025-12-31", idle_days=14, close_after_days=90)
    assert company_list["customer"].tolist() == ["签约温", "别队的", "老客户", "意向温", "意向中", "意向冷"]


def test_commitments_round_trip(tmp_path: Path) -> None:
    from devvolume.inputs._excel_csv import csv_text
    from devvolume.report import meeting_commitments, ticked
    from devvolume.report._commitments import read_commitments

    path = tmp_path / "meeting_T.commitments.csv"
    week1, week2, week3 = dt.date(2025, 12, 22), dt.date(2025, 12, 29), dt.date(2026, 1, 5)
    first = meeting_commitments(path, reviewed=week1, coming=week2, reps=["A", "B"])
    assert first.status == "created"
    assert first.reviewed.empty
    raw = path.read_bytes()
    assert raw.startswith("\ufeff".encode())  # Excel-safe: BOM, written by write_csv
    assert raw.decode("utf-8-sig").splitlines()[:2] == ["周,销售员,承诺,完成", "2025-12-29,A,,"]
    # The manager fills the rows in (as Excel saves them: dates rewritten, a formula-like text).
    filled = pd.DataFrame({"周": ["2025/12/29", "2025/12/29"], "销售员": ["A", "B"],
                           "承诺": ["周三前回访恒达", "=拜访 5 家"], "完成": ["", ""]})
    path.write_text(csv_text(filled), encoding="utf-8")
    # The same week's run again: the coming week has rows, nothing is written.
    before = path.read_bytes()
    again = meeting_commitments(path, reviewed=week1, coming=week2, reps=["A", "B"])
    assert again.status == "kept"
    assert again.coming["承诺"].tolist() == ["周三前回访恒达", "'=拜访 5 家"]
    assert path.read_bytes() == before
    # Next week: last week's commitments come back, and blank rows are appended for the new week.
    nxt = meeting_commitments(path, reviewed=week2, coming=week3, reps=["A", "B", "C"])
    assert nxt.status == "appended"
    assert nxt.reviewed["承诺"].tolist() == ["周三前回访恒达", "'=拜访 5 家"]
    assert nxt.coming["销售员"].tolist() == ["A", "B", "C"]
    after = path.read_bytes()
    assert after.startswith(before)  # the manager's rows are untouched
    frame, _ = read_commitments(path)
    assert frame["周"].tolist()[-3:] == ["2026-01-05"] * 3
    assert [ticked(v) for v in ["是", "✓", "", "否"]] == [True, True, False, False]


def test_commitments_saved_as_gbk_are_appended_in_gbk(tmp_path: Path) -> None:
    from devvolume.report import meeting_commitments

    path = tmp_path / "c.csv"
    path.write_bytes("周,销售员,承诺,完成\r\n2025-12-29,张三,拜访恒达,是\r\n".encode("gbk"))
    result = meeting_commitments(path, reviewed=dt.date(2025, 12, 29), coming=dt.date(2026, 1, 5),
                                 reps=["张三"])  # fmt: skip
    assert result.status == "appended"
    assert result.reviewed.to_dict("records") == [{"销售员": "张三", "承诺": "拜访恒达", "完成": "是"}]
    assert path.read_bytes().decode("gbk").splitlines()[-1] == "2026-01-05,张三,,"


def test_a_commitments_file_without_its_columns_is_left_alone(tmp_path: Path) -> None:
    from devvolume.report import meeting_commitments

    path = tmp_path / "c.csv"
    path.write_text("name,todo\nA,call\n", encoding="utf-8")
    result = meeting_commitments(path, reviewed=dt.date(2025, 12, 22), coming=dt.date(2025, 12, 29),
                                 reps=["A"])  # fmt: skip
    assert result.status == "unreadable"
    assert "缺少列" in result.problem
    assert path.read_text(encoding="utf-8") == "name,todo\nA,call\n"


def test_no_commitments_file_writes_nothing(tmp_path: Path) -> None:
    from devvolume.report import agenda_table, meeting_commitments

    result = meeting_commitments("", reviewed=dt.date(2025, 12, 22), coming=dt.date(2025, 12, 29),
                                 reps=["A"])  # fmt: skip
    assert (result.status, result.path) == ("none", None)
    assert list(tmp_path.iterdir()) == []
    agenda = agenda_table()
    assert agenda["时间"].tolist()[0] == "0–5 分钟"
    assert "做得好" in " ".join(agenda["议题"])


def test_next_weeks_pack_shows_last_weeks_commitments_to_tick(tmp_path: Path) -> None:
    """Two weekly runs into one folder: the manager fills the file in between."""
    from report_helpers import html_tables, write_csv

    from devvolume.inputs._excel_csv import csv_text
    from devvolume.report import build_reports

    source = write_csv(shared_teams_rows(), tmp_path / "工作日志.csv")
    out = tmp_path / "周会"
    first = build_reports(source, out=out, by="team", kind="meeting", only=["华东一组"],
                          as_of="2026-03-09", progress=False)  # fmt: skip
    assert first.ok, [result.error for result in first.failed]
    (result,) = first.results
    assert result.path is not None
    path = result.path.with_suffix(".commitments.csv")
    frame = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert frame.to_dict("records") == [
        {"周": "2026-03-09", "销售员": rep, "承诺": "", "完成": ""} for rep in ["李强", "王芳"]]
    # In the meeting of 9 March the manager types the commitments, then ticks one a week later.
    frame["承诺"] = ["周三前回访 3 个意向客户", "拜访 5 家新客户"]
    frame["完成"] = ["是", ""]
    path.write_text(csv_text(frame), encoding="utf-8")
    filled = path.read_bytes()
    second = build_reports(source, out=out, by="team", kind="meeting", only=["华东一组"],
                           as_of="2026-03-16", progress=False)  # fmt: skip
    assert second.ok, [result.error for result in second.failed]
    page = result.path.read_text(encoding="utf-8")
    assert "上周（2026-03-09）会上定下的承诺" in page
    (promised,) = [table for table in html_tables(page) if table["columns"] == ["承诺", "完成"]
                   and "周三前回访 3 个意向客户" in str(table["rows"])]  # fmt: skip
    assert promised["rows"] == {"李强": ["周三前回访 3 个意向客户", "☑"], "王芳": ["拜访 5 家新客户", "☐"]}
    after = path.read_bytes()
    assert after.startswith(filled)  # the manager's rows are kept as they were
    rows = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert rows["周"].tolist() == ["2026-03-09", "2026-03-09", "2026-03-16", "2026-03-16"]


def test_a_commitments_file_that_cannot_be_written_is_reported(tmp_path: Path) -> None:
    from devvolume.report import meeting_commitments

    path = tmp_path / "no such folder" / "c.csv"
    result = meeting_commitments(path, reviewed=dt.date(2025, 12, 22), coming=dt.date(2025, 12, 29),
                                 reps=["A"])  # fmt: skip
    assert result.status == "unreadable"
    assert result.coming["销售员"].tolist() == ["A"]  # the pack still prints the blank rows
    assert not path.parent.exists()
