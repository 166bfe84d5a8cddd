"""Coaching from evidence: a bottleneck only where the gap is material and not chance.

Companies are generated with known differences between teams (report_helpers.funnel_company),
loaded as the whole company, and the coaching of one team is read: what it says the team does
well, where it falls behind, which notes explain empty periods or implied stages, and which
actions it proposes. The statistics of the comparison with peers are tested in
tests/core/test_peers.py.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from report_helpers import funnel_company

import devvolume as dv
from devvolume.report import coach, gather, load_company, money_figures, period_figures

AVERAGE = {"steps": (0.5, 0.5, 0.8), "visits": 1}


def _coaching(log: pd.DataFrame, team: str, *, lang: str = "zh", who: str = "team") -> tuple:
    company = load_company(log)
    figures = period_figures(company, period="M", **{who: team})
    evidence = gather(company, who=who, name=team, period="M", stalled_days=14,
                      volumes=figures.volumes)
    return evidence, coach(evidence, lang=lang, period="M", who_label="" if who == "team" else team)


def _teams(**special: dict) -> dict:
    # Six average teams of four reps: enough reps to estimate how much reps differ from each other.
    teams = {f"平均{number}组": {"customers": 160, "reps": [f"平均{number}-{r}" for r in "abcd"], **AVERAGE}
             for number in range(6)}  # fmt: skip
    for name, spec in special.items():
        teams[name] = {"reps": [f"{name}-{r}" for r in "abcd"], **AVERAGE, **spec}
    return teams


def test_a_team_better_at_every_step_gets_no_bottleneck_and_no_prescription() -> None:
    log = funnel_company(_teams(强队={"customers": 480, "steps": (0.8, 0.8, 0.95)}))
    evidence, coaching = _coaching(log, "强队")
    assert coaching.bottleneck == ""
    assert coaching.weaknesses == ()
    assert any(note.startswith("与其他团队相比，开发结果") for note in coaching.notes)
    assert {"首次接触 → 意向", "意向 → 签约"} <= {s.split("：")[0] for s in coaching.strengths}
    strategies = [strategy for strategy, _ in coaching.advice]
    assert "培训" not in strategies
    assert "精准定位" not in strategies
    assert evidence.tests["step:signed"].code == "stronger"


def test_a_material_gap_that_is_not_chance_is_the_bottleneck_with_its_own_advice() -> None:
    log = funnel_company(_teams(弱队={"customers": 480, "steps": (0.5, 0.15, 0.8)}))
    evidence, coaching = _coaching(log, "弱队")
    assert evidence.tests["step:signed"].code == "weaker"
    assert evidence.tests["step:signed"].clear
    assert coaching.bottleneck == "意向 → 签约"
    assert coaching.weaknesses[0].startswith("意向 → 签约：本团队 ")
    assert "超出了同行之间的正常差异" in coaching.weaknesses[0]
    (strategy, action), *_ = coaching.advice
    assert strategy == "培训"
    assert "需求挖掘" in action
    assert "全公司" in action
    # the table shows every measure with its verdict
    assert coaching.table.loc["意向 → 签约", "结论"] == "明显较弱"


def test_a_small_gap_on_few_customers_is_called_chance() -> None:
    log = funnel_company(_teams(小队={"customers": 60, "reps": ["独行侠"], "steps": (0.45, 0.5, 0.8)}))
    evidence, coaching = _coaching(log, "小队")
    assert coaching.bottleneck == ""
    assert evidence.tests["step:signed"].code in {"similar", "too_few"}
    assert not any(strategy == "培训" for strategy, _ in coaching.advice)


def test_advice_follows_what_the_data_show_about_activity() -> None:
    lazy = funnel_company(_teams(少接触={"customers": 20, "visits": 1}))
    busy = funnel_company(_teams(少接触={"customers": 20, "visits": 40}))
    lazy_evidence, lazy_coaching = _coaching(lazy, "少接触")
    busy_evidence, busy_coaching = _coaching(busy, "少接触")
    assert lazy_evidence.tests["contacts"].code == busy_evidence.tests["contacts"].code == "weaker"
    assert lazy_coaching.advice[0][0] == "优化流程"  # few contacts, few activities: time
    assert busy_coaching.advice[0][0] == "精准定位"  # busy on old customers: focus
    assert lazy_coaching.advice[0][1] != busy_coaching.advice[0][1]


def test_a_saturated_customer_base_is_explained_not_coached_as_a_bottleneck() -> None:
    # every customer contacted in January and February, then only worked: the CRM-export case
    log = funnel_company(_teams(), days=60)
    last = log["date"].max()
    follow_up = log.drop_duplicates("customer").assign(stage="contacted")
    follow_up["date"] = [last + pd.Timedelta(days=30 * k) for k in range(1, 4)] * (len(follow_up) // 3) + \
        [last + pd.Timedelta(days=30)] * (len(follow_up) % 3)
    _, coaching = _coaching(pd.concat([log, follow_up], ignore_index=True), "平均0组")
    note = next(note for note in coaching.notes if "没有新接触的客户" in note)
    assert "已连续" in note
    assert "精力都放在已有客户身上" in note
    assert "客户基础已经饱和" in note
    assert coaching.advice[0][0] == "精准定位"
    assert "名单已经用完" in coaching.advice[0][1]
    assert coaching.bottleneck == ""


def test_stages_never_recorded_are_not_compared() -> None:
    log = funnel_company(_teams(弱队={"customers": 480, "steps": (0.5, 0.15, 0.8)}))
    log = log[~log["stage"].isin(["qualified", "signed"])]  # a CRM export: contacts and wins only
    _, coaching = _coaching(log, "弱队")
    assert any("没有“意向、签约”的记录" in note for note in coaching.notes)
    assert not any("→" in measure for measure in coaching.table.index)
    assert coaching.bottleneck != "意向 → 签约"


def test_english_coaching_and_a_rep_as_the_group() -> None:
    # one rep far off the others: a rep is judged against the spread of all the company's reps
    log = funnel_company(_teams(弱队={"customers": 200, "reps": ["独行侠"], "steps": (0.5, 0.15, 0.8)}))
    _, coaching = _coaching(log, "独行侠", lang="en", who="rep")
    assert coaching.bottleneck == "qualified → signed"
    assert "the company" in coaching.weaknesses[0]
    assert coaching.advice[0][0] == "Training"


def test_money_is_the_first_order_and_the_open_signed_value() -> None:
    log = funnel_company(_teams(富队={"customers": 60, "amount": 5000.0, "signed_amount": 20000.0}))
    company = load_company(log)
    window = dv.Window(log["date"].min().date(), company.day)
    money = money_figures(company, window, team="富队")
    assert money is not None
    reached = dv.reached_levels(log)
    won = reached[(reached["level"] == "won") & (reached["team"] == "富队")]
    assert money.new_won == len(won)
    assert money.first_order_total == pytest.approx(5000.0 * len(won))
    still_signed = dv.stalled_customers(log, as_of=company.day, idle_days=0, from_level="signed")
    open_signed = still_signed[still_signed["team"] == "富队"]
    assert money.open_signed == len(open_signed) > 0
    assert money.open_value == pytest.approx(20000.0 * len(open_signed))
    assert "合计" in money.text("zh")
    assert money_figures(load_company(log.drop(columns="amount")), window, team="富队") is None


def test_a_repeat_order_is_not_a_first_order() -> None:
    log = pd.DataFrame({
        "date": pd.to_datetime(["2026-03-02", "2026-03-20", "2026-03-03"]),
        "rep": ["A", "A", "B"], "team": ["T", "T", "U"], "customer": ["C1", "C1", "C2"],
        "stage": ["won", "won", "won"], "amount": [1000.0, 9000.0, 500.0]})
    money = money_figures(load_company(log), dv.Window(dt.date(2026, 3, 1), dt.date(2026, 3, 31)), team="T")
    assert money is not None
    assert (money.new_won, money.first_order_total, money.company_mean) == (1, 1000.0, 750.0)


# --- whom to call: the call list's order, the long-dead to close as lost -----------------------


def test_advice_names_the_warm_stalled_customers_and_closes_the_long_dead() -> None:
    # Qualified 2026-01-05 (idle 176 days), 2026-05-20 (41), 2026-05-30 (31); signed 2026-04-01
    # (90: at the threshold); a contact (not stalled). The report day is 2026-06-30.
    log = pd.DataFrame({
        "date": pd.to_datetime(["2026-01-05", "2026-05-20", "2026-05-30", "2026-04-01", "2026-06-30"]),
        "rep": ["A", "A", "A", "A", "A"], "team": ["T"] * 5,
        "customer": ["老王", "小李", "小张", "老陈", "新客"],
        "stage": ["qualified", "qualified", "qualified", "signed", "contacted"]})  # fmt: skip
    company = load_company(log)
    evidence = gather(company, who="rep", name="A", stalled_days=14)
    # latest stage first, then the most recently active; idle 90 days or more: to close
    assert evidence.stalled_list["customer"].tolist() == ["老陈", "小张", "小李", "老王"]
    assert evidence.stalled_list["suggest_close"].tolist() == [True, False, False, True]
    advice = dict(coach(evidence, lang="zh", period="M", money=None, stalled_days=14).advice)
    follow_up = advice["优化流程"]
    assert "本周先联系还热的（阶段靠后、最近联系过的在前）：小张、小李。" in follow_up
    assert "另有 2 个已 90 天以上无人联系，确认后按流失关闭" in follow_up
    english = dict(coach(evidence, lang="en", period="M", money=None, stalled_days=14).advice)
    assert "Call the warm ones first this week (latest stage, most recently active): 小张, 小李." in \
        english["Streamlined process"]
