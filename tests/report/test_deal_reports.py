"""Reports on a CRM export: deal figures beside customer figures, and coaching that reads the mix.

The export is generated (``devvolume.sim.crm_opportunities``: 85 accounts shared by 6 managers'
teams, many repeat deals per account, deals without a date or an account) and reported on as an
instructor does: ``report --from pipeline --roster`` by team and by rep, a year to 2017-12-31.
The deal columns of ``summary.csv`` and the deal table on the page are checked against counts
written here in plain pandas on the export itself; the pages are read as a manager reads them.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from report_helpers import html_tables, read_summary, shared_teams_rows, write_csv

import devvolume as dv
from devvolume.core._peers import VERDICT_WORDS
from devvolume.report import build_reports, deal_figures, load_company
from devvolume.report._deals import MIN_DEALS_FOR_MIX, MOSTLY_REPEAT
from devvolume.report._figures import DEAL_FIELDS
from devvolume.sim._opportunities import Opportunities, crm_opportunities, pipeline_csv

#: A fifth of the public dataset: 1,760 deals, most won deals repeat deals with the 85 accounts.
SCALE = 0.2
AS_OF = "2017-12-31"
PROSPECTING_ADVICE = "每周留出固定时段开发新客户"


@pytest.fixture(scope="module")
def opportunities() -> Opportunities:
    return crm_opportunities(scale=SCALE)


@pytest.fixture(scope="module")
def export(opportunities: Opportunities, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("crm")
    path, roster = folder / "sales_pipeline.csv", folder / "sales_teams.csv"
    pipeline_csv(opportunities).to_csv(path, index=False)
    opportunities.teams[["sales_agent", "manager", "regional_office"]].to_csv(roster, index=False)
    return path, roster


@pytest.fixture(scope="module")
def teams(export: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> dv.report.ReportBatch:
    path, roster = export
    out = tmp_path_factory.mktemp("teams") / "out"
    return build_reports(path, out=out, by="team", period="Y", as_of=AS_OF, jobs=2, progress=False,
                         crm="pipeline", roster=roster)  # fmt: skip


def _imported(batch: dv.report.ReportBatch) -> Path:
    return batch.out / ".devvolume-import" / "sales_pipeline.parquet"


# --- the oracle: plain pandas on the export ------------------------------------------------------


def _oracle(data: Opportunities) -> pd.DataFrame:
    """Per team, 2017: deals won and lost, win rate, open deals, won and first-deal revenue."""
    p = data.pipeline.copy()
    p["team"] = p["sales_agent"].map(dict(zip(data.teams["sales_agent"], data.teams["manager"],
                                              strict=True)))  # fmt: skip
    written = p[(p["engage_date"].notna() | p["close_date"].notna()) & p["account"].notna()]
    in_2017 = written["close_date"].dt.year == 2017
    won = written[(written["deal_stage"] == "Won") & in_2017]
    lost = written[(written["deal_stage"] == "Lost") & in_2017]
    every_won = written[written["deal_stage"] == "Won"]
    # an account's first deal: its earliest won deal; a tie on the day goes to the smaller rep
    # name, then team, then deal id (the credit rule of DESIGN.md)
    first = every_won.sort_values(["close_date", "sales_agent", "team", "opportunity_id"]).groupby(
        "account").head(1)
    first = first[first["close_date"].dt.year == 2017]
    frame = pd.DataFrame({
        "deals_won": won.groupby("team").size(), "deals_lost": lost.groupby("team").size(),
        "open_deals": written[written["deal_stage"] == "Engaging"].groupby("team").size(),
        "won_revenue": won.groupby("team")["close_value"].sum(),
        "first_deal_revenue": first.groupby("team")["close_value"].sum(),
        "first_deals": first.groupby("team").size(),
    }).fillna(0)
    frame["deal_win_rate"] = frame["deals_won"] / (frame["deals_won"] + frame["deals_lost"])
    return frame


def test_summary_deal_columns_equal_an_independent_count(teams: dv.report.ReportBatch,
                                                         opportunities: Opportunities) -> None:  # fmt: skip
    assert teams.ok, [result.error for result in teams.results]
    oracle = _oracle(opportunities)
    rows = {row["name"]: row for row in read_summary(teams.summary)}
    assert set(rows) == set(oracle.index)
    for team, expected in oracle.iterrows():
        row = rows[team]
        for column in ("deals_won", "deals_lost", "open_deals"):
            assert int(row[column]) == expected[column], (team, column)
        assert float(row["deal_win_rate"]) == round(expected["deal_win_rate"], 4), team
        assert float(row["won_revenue"]) == pytest.approx(expected["won_revenue"]), team
        assert float(row["first_deal_revenue"]) == pytest.approx(expected["first_deal_revenue"]), team
        # a first deal made its account a customer: as many as the new customers won
        assert int(row["won"]) == expected["first_deals"], team


def test_a_log_without_deals_has_empty_deal_columns(tmp_path: Path) -> None:
    log = write_csv(shared_teams_rows(), tmp_path / "log.csv")
    batch = build_reports(log, out=tmp_path / "out", only=["先锋队"], progress=False)
    assert batch.ok, [result.error for result in batch.results]
    (row,) = read_summary(batch.summary)
    assert [row[column] for column in DEAL_FIELDS] == [""] * len(DEAL_FIELDS)
    page = batch.results[0].path.read_text(encoding="utf-8")  # type: ignore[union-attr]
    assert "商机" not in page
    assert "六、教练建议" in page  # no deal section: the sections keep their numbers


# --- the page -------------------------------------------------------------------------------------


def _text(page: str) -> str:
    from bs4 import BeautifulSoup

    return BeautifulSoup(page, "html.parser").get_text(" ", strip=True)


def _table_rows(page: str, column: str) -> list[list[str]]:
    """Every body row (index cell first) of the page's table with ``column``, duplicates kept."""
    from bs4 import BeautifulSoup

    for table in BeautifulSoup(page, "html.parser").find_all("table"):
        if column in table.find("thead").get_text():
            return [[cell.get_text(strip=True) for cell in row.find_all(["th", "td"])]
                    for row in table.find("tbody").find_all("tr")]  # fmt: skip
    return []


def _deal_table(page: str) -> dict[str, Any]:
    return next(table for table in html_tables(page) if "单位" in table["columns"])


def test_the_team_page_shows_deals_with_their_units(teams: dv.report.ReportBatch,
                                                    opportunities: Opportunities) -> None:  # fmt: skip
    oracle = _oracle(opportunities)
    imported = dv.inputs.read_import_summary(_imported(teams))
    assert imported is not None
    company = oracle.sum()
    for result in teams.results:
        assert result.path is not None
        page = result.path.read_text(encoding="utf-8")
        text = _text(page)
        expected = oracle.loc[result.name]
        # the import's books: every deal no figure counts is said, once, at the top
        for sentence in imported.notice():
            assert text.count(sentence) == 1, sentence
        table = _deal_table(page)
        assert table["columns"] == ["单位", "本团队", "全公司"]
        rows = table["rows"]
        units = {label: cells[0] for label, cells in rows.items()}
        assert units["成交的商机"] == units["流失的商机"] == "个商机"
        assert units["商机赢单率（成交 ÷ 成交与流失）"] == "按商机"
        assert units["客户赢单率（同一时期，对照）"] == "按客户"
        assert units["成交金额"] == units["其中首单金额"] == "元"
        assert units["新成交的客户（客户开发量）"] == "位客户"
        shown = {label: cells[1] for label, cells in rows.items()}
        assert shown["成交的商机"] == f"{int(expected['deals_won']):,}"
        assert shown["其中首单（客户的第一单：客户开发）"] == f"{int(expected['first_deals']):,}"
        assert shown["其中复购（已有客户的又一单）"] == f"{int(expected['deals_won'] - expected['first_deals']):,}"
        # a first deal made its account a customer: the customers won are as many, in their own unit
        assert shown["新成交的客户（客户开发量）"] == f"{int(expected['first_deals']):,}"
        assert shown["流失的商机"] == f"{int(expected['deals_lost']):,}"
        assert shown["成交金额"] == f"{expected['won_revenue']:,.0f}"
        assert shown["其中首单金额"] == f"{expected['first_deal_revenue']:,.0f}"
        assert rows["成交的商机"][2] == f"{int(company['deals_won']):,}"
        assert shown["客户赢单率（同一时期，对照）"] == "100.0%"  # every account is won by some deal
        assert shown["商机赢单率（成交 ÷ 成交与流失）"] == f"{expected['deal_win_rate']:.1%}"
        assert "两个数都对" in text
        # the customer win rate is named so everywhere on the page
        assert "客户赢单率（成交 ÷ 成交与流失，按客户）" in text
        assert "赢单率（成交 ÷ 成交与流失） " not in text.replace("商机赢单率（成交 ÷ 成交与流失）", "")
        assert not re.search(r"\bnan\b", text, re.IGNORECASE)


def test_stalled_deals_are_listed_warmest_first(teams: dv.report.ReportBatch) -> None:
    log = dv.read_worklog(_imported(teams))
    stalled = dv.stalled_customers(log, as_of=AS_OF, idle_days=14, unit="deal")
    assert stalled["suggest_close"].any()
    assert not stalled["suggest_close"].all()
    for result in teams.results:
        assert result.path is not None
        page = result.path.read_text(encoding="utf-8")
        mine = stalled[stalled["team"] == result.name].head(15)
        listed = _table_rows(page, "停滞天数")
        assert [row[0] for row in listed] == mine["customer"].tolist()  # a customer may have several
        assert [row[1] for row in listed] == mine["deal"].tolist()
        assert [row[-1] for row in listed] == ["按流失关闭" if close else "跟进" for close in mine["suggest_close"]]
        assert f"停滞 {int(stalled['close_after_days'].iloc[0])} 天以上" in _text(page)


def test_team_coaching_reads_the_repeat_business(teams: dv.report.ReportBatch) -> None:
    log = dv.read_worklog(_imported(teams))
    split = dv.won_deals(log, by="team").set_index("team")
    for result in teams.results:
        assert result.path is not None
        text = _text(result.path.read_text(encoding="utf-8"))
        advice = text[text.index("七、教练建议"):]
        mine = split.loc[result.name]
        assert (f"本团队成交的 {int(mine['deals_won']):,} 个商机里，{int(mine['first_deals']):,} 个是首单"
                in advice), result.name
        assert mine["repeat_deals"] / mine["deals_won"] > MOSTLY_REPEAT, result.name
        assert "本团队的生意主要来自已有客户" in advice
        assert PROSPECTING_ADVICE not in text


@pytest.fixture(scope="module")
def quiet_reps(teams: dv.report.ReportBatch, export: tuple[Path, Path],
               tmp_path_factory: pytest.TempPathFactory) -> dv.report.ReportBatch:  # fmt: skip
    """The rep report of a rep who never first contacted a customer in the data."""
    log = dv.read_worklog(_imported(teams))
    contacted = dv.development_volume(log, level="contacted", period="Y", by="rep")
    never = sorted(set(log["rep"]) - set(contacted.loc[contacted["volume"] > 0, "rep"]))
    assert never
    path, roster = export
    out = tmp_path_factory.mktemp("reps") / "out"
    return build_reports(path, out=out, by="rep", only=never[:1], period="Y", as_of=AS_OF, jobs=2,
                         progress=False, crm="pipeline", roster=roster)  # fmt: skip


def test_rep_coaching_does_not_urge_prospecting_without_the_context(
        quiet_reps: dv.report.ReportBatch) -> None:  # fmt: skip
    assert quiet_reps.ok, [result.error for result in quiet_reps.results]
    log = dv.read_worklog(_imported(quiet_reps))
    split = dv.won_deals(log, by="rep").set_index("rep")
    for result in quiet_reps.results:
        assert result.path is not None
        page = result.path.read_text(encoding="utf-8")
        text = _text(page)
        assert _deal_table(page)["columns"] == ["单位", "我", "团队", "全公司"]
        advice = text[text.index("七、教练建议"):]
        mine = split.loc[result.name]
        assert f"{result.name} 成交的 {int(mine['deals_won']):,} 个商机里" in advice
        assert "在数据里（自 2016-10-20 数据开始起）一直没有新接触的客户" in advice
        assert PROSPECTING_ADVICE not in text
        assert "不必为了开发量放下他们" in advice  # the stretch's advice, read with the mix
        assert not re.search(r"\bnan\b", text, re.IGNORECASE)


def test_without_the_repeat_context_the_advice_is_the_usual_one(quiet_reps: dv.report.ReportBatch) -> None:
    """The same rep, coached as if most won deals had been first deals: the usual advice."""
    company = load_company(_imported(quiet_reps), as_of=AS_OF)
    rep = quiet_reps.results[0].name
    figures = dv.report.period_figures(company, period="Y", rep=rep)
    deals = deal_figures(company, period="Y", rep=rep)
    assert deals is not None
    assert deals.history.mostly_repeat
    evidence, repeat = dv.report.advise(company, figures, money=None, stalled_days=14, who_label=rep,
                                        deals=deals)  # fmt: skip
    development = dataclasses.replace(deals.history, deals_won=MIN_DEALS_FOR_MIX,
                                      first_deals=MIN_DEALS_FOR_MIX)  # fmt: skip
    usual = dv.report.coach(evidence, period="Y", who_label=rep,
                            deals=dataclasses.replace(deals, history=development))  # fmt: skip
    repeat_text = " ".join(action for _, action in repeat.advice)
    usual_text = " ".join(action for _, action in usual.advice)
    assert PROSPECTING_ADVICE in usual_text
    assert PROSPECTING_ADVICE not in repeat_text
    # the context adds no verdict: every verdict word is the judged comparisons'
    for note in repeat.notes[:2]:
        assert not any(words[0] in note for words in VERDICT_WORDS.values())
    assert repeat.table.equals(usual.table)


def test_english_pages_say_the_units_too(teams: dv.report.ReportBatch, export: tuple[Path, Path],
                                         tmp_path: Path) -> None:  # fmt: skip
    path, roster = export
    team = teams.results[0].name
    batch = build_reports(path, out=tmp_path / "en", only=[team], period="Y", as_of=AS_OF, lang="en",
                          progress=False, crm="pipeline", roster=roster)  # fmt: skip
    assert batch.ok, [result.error for result in batch.results]
    text = _text(batch.results[0].path.read_text(encoding="utf-8"))  # type: ignore[union-attr]
    assert "more deals without an account are not counted." in text
    assert "Deal win rate (won ÷ won and lost) by deal" in text
    assert "Customer win rate (same days, for contrast) by customer" in text
    assert "The team's business comes mostly from existing customers" in text
    assert "set fixed hours each week for new customers" not in text


# --- small cases, by hand ------------------------------------------------------------------------


def _small_log() -> pd.DataFrame:
    """C1: won D1 (its first deal) and D2 (a repeat deal), lost D3; C2: lost D4; C3: D5 open."""
    return pd.DataFrame({
        "date": pd.to_datetime(["2026-01-05", "2026-01-20", "2026-02-10", "2026-02-12", "2026-02-15",
                                "2026-01-08", "2026-01-09"]),
        "rep": ["A", "A", "A", "B", "B", "B", "A"], "team": ["T", "T", "T", "U", "U", "U", "T"],
        "customer": ["C1", "C1", "C1", "C1", "C2", "C3", "C3"],
        "deal": ["D1", "D1", "D2", "D3", "D4", "D5", "D5"],
        "stage": ["contacted", "won", "won", "lost", "lost", "contacted", "qualified"]})


def test_deal_figures_by_hand_without_amounts() -> None:
    company = load_company(_small_log())
    team = deal_figures(company, period="M", team="T")
    assert team is not None
    assert (team.mix.deals_won, team.mix.first_deals, team.mix.repeat_deals, team.deals_lost) == (1, 0, 1, 0)
    assert (team.history.deals_won, team.history.first_deals) == (2, 1)
    assert team.mix.won_revenue is None  # no 金额 column: no revenue, never a 0 that means nothing
    assert team.open_deals == 1  # D5, qualified by A of T
    assert team.summary()["won_revenue"] is None
    table = dv.report.deal_table({"T": team})
    assert table.loc["成交金额", "T"] == "无金额"
    company_figures = deal_figures(company, period="M")
    assert company_figures is not None
    assert (company_figures.mix.deals_won, company_figures.deals_lost) == (1, 2)
    assert company_figures.deal_win_rate == pytest.approx(1 / 3)
    # C1 was won in January, C2 lost in February: the customer win rate of February has no won one
    assert (company_figures.customers_won, company_figures.customers_lost) == (0, 1)
    assert not company_figures.history.mostly_repeat  # 2 won deals say nothing about a mix


def test_the_mix_in_words() -> None:
    company = load_company(_small_log())
    team = deal_figures(company, period="M", team="T")
    assert team is not None
    assert team.history.text() == ("2026 年 1 月 5 日至 2 月 15 日，本团队成交的 2 个商机里，1 个是首单（让一个"
                                   "客户第一次成交的那一单，也就是客户开发），其余 1 个是老客户的复购；同一时期新接触"
                                   "的客户 1 个。")
    english = team.history.text(lang="en", who="Anna Moss")
    assert english.startswith("Of the 2 deals Anna Moss won from 5 Jan 2026 to 15 Feb 2026, 1 was a "
                              "first deal")
    assert "1 a repeat deal" in english
    mostly = dataclasses.replace(team.history, deals_won=MIN_DEALS_FOR_MIX + 1, first_deals=1)
    assert mostly.mostly_repeat
    assert not dataclasses.replace(mostly, first_deals=(MIN_DEALS_FOR_MIX + 1) // 2 + 1).mostly_repeat


def test_no_deal_column_no_deal_figures() -> None:
    assert deal_figures(load_company(_small_log().drop(columns="deal")), period="M") is None
    empty = _small_log().assign(deal=None)
    assert deal_figures(load_company(empty), period="M") is None


def _repeat_business(deals_won: int = 200, first_deals: int = 10) -> dv.report.DealFigures:
    """Deal figures of a business whose won deals are mostly repeat deals (made by hand)."""
    import datetime as dt

    window = dv.Window(dt.date(2026, 1, 1), dt.date(2026, 5, 31))
    mix = dv.report.DealMix(window, None, deals_won, first_deals, None, None, 3)
    return dv.report.DealFigures({}, mix, mix, 50, 3, 0, 0, 14, None,
                                 pd.DataFrame(columns=["customer", "deal", "suggest_close"]))  # fmt: skip


def test_few_new_contacts_in_a_repeat_business_are_advised_in_context() -> None:
    """Few new contacts (with many or few activities): the advice quotes the won deals first."""
    from report_helpers import funnel_company
    from test_coaching import _teams

    for visits, kind in ((1, "优化流程"), (40, "精准定位")):
        log = funnel_company(_teams(少接触={"customers": 20, "visits": visits}))
        company = load_company(log)
        figures = dv.report.period_figures(company, period="M", team="少接触")
        evidence = dv.report.gather(company, who="team", name="少接触", period="M", stalled_days=14,
                                    volumes=figures.volumes)  # fmt: skip
        assert evidence.tests["contacts"].code == "weaker"
        usual = dv.report.coach(evidence, period="M")
        repeat = dv.report.coach(evidence, period="M", deals=_repeat_business())
        assert usual.advice[0][0] == repeat.advice[0][0] == kind
        assert "200 个商机里 10 个是首单，其余 190 个是老客户的复购" in repeat.advice[0][1]
        assert PROSPECTING_ADVICE not in repeat.advice[0][1]
        assert repeat.weaknesses == usual.weaknesses  # the verdicts are the peer comparisons'
        assert repeat.table.equals(usual.table)
        development = dv.report.coach(evidence, period="M", deals=_repeat_business(200, 150))
        assert development.advice[0] == usual.advice[0]  # mostly first deals: the usual advice


def test_steps_next_to_a_stage_the_export_never_records_show_a_dash(teams: dv.report.ReportBatch) -> None:
    # The pipeline format has no 签约 stage: every won customer counts as signed, so 签约 → 成交
    # would read 100 % and 意向 → 签约 would be won ÷ qualified. Neither is shown as a step rate.
    for result in teams.results:
        assert result.path is not None
        page = result.path.read_text(encoding="utf-8")
        steps = next(table for table in html_tables(page) if "首次接触 → 意向" in table["rows"])
        assert steps["rows"]["意向 → 签约"] == ["—", "—"]
        assert steps["rows"]["签约 → 成交"] == ["—", "—"]
        assert all(cell.endswith("%") for cell in steps["rows"]["首次接触 → 意向"])
        assert "这份数据里没有“签约”的记录" in page
