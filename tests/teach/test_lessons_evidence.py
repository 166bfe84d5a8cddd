"""Lessons tell evidence from assumption: a simulated case says so, and text follows its numbers.

The stored lessons are read as a learner opens them (see ``test_lessons_learner.py``). Every
number and comparative word a lesson prints about a case is checked here against an independent
computation on the case's data, so prose can never drift from the table beside it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import jupytext
import pandas as pd
import pytest

import devvolume as dv

ROOT = Path(__file__).resolve().parents[2]
LESSONS = sorted(p.stem for p in (ROOT / "notebooks" / "source").glob("0*.py"))
#: Lessons built on a simulated case whose built-in effects they discuss.
SIMULATED = ("04_factors", "05_strategies", "07_cases")
BOX = "这是模拟数据"


def stored(name: str) -> dict:
    return json.loads((ROOT / "notebooks" / f"{name}.ipynb").read_text(encoding="utf-8"))


def printed(name: str) -> str:
    """Everything a stored lesson shows as text: printed lines and text forms of results."""
    texts = []
    for cell in stored(name)["cells"]:
        for output in cell.get("outputs", []):
            texts.append("".join(output.get("text", "")))
            data = output.get("data", {})
            texts += ["".join(data.get(kind, "")) for kind in ("text/plain", "text/html")]
    return "\n".join(texts)


def source(name: str) -> str:
    return (ROOT / "notebooks" / "source" / f"{name}.py").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", LESSONS)
def test_no_lesson_prints_p_equals_zero(name: str) -> None:
    shown = printed(name)
    assert "p = 0.000" not in shown
    assert "p=0.000" not in shown


@pytest.mark.parametrize("name", SIMULATED)
def test_a_simulated_case_says_so_near_the_top_and_at_its_findings(name: str) -> None:
    cells = jupytext.read(ROOT / "notebooks" / "source" / f"{name}.py").cells
    top = [c.source for c in cells[:4] if c.cell_type == "markdown"]
    assert any(BOX in text and "假设" in text for text in top), name
    assert BOX in printed(name) or name == "05_strategies"   # 05 draws no finding from the case


def test_lesson_04_box_names_the_models_effects() -> None:
    model = dv.sim.CASES["directsales"].model
    (liu,) = [spec for spec in model.rep_specs if spec.rep == "刘洋"]
    box = source("04_factors").split(BOX, 1)[1].split("# %%", 1)[0]
    assert f"training_added_hours={liu.training_added_hours:g}" in box
    for words in ("陈静", "张伟", "刘洋", "渠道", "流失原因", "随机", f"{model.seed} 号"):
        assert words in box, words


def test_lesson_04_channel_gap_is_computed() -> None:
    assert "差好几倍" not in source("04_factors")
    log = dv.load_dataset("directsales").worklog
    channels = dv.teach.factor_view(log, factor="channel")
    top = channels.sort_values(["conversion", "channel"], ascending=[False, True]).iloc[0]
    low = channels.sort_values(["conversion", "channel"]).iloc[0]
    times = top["conversion"] / low["conversion"]
    assert f"“{top['channel']}”（{top['conversion']:.1%}）是最低的“{low['channel']}”" in printed("04_factors")
    assert f"约 {times:.1f} 倍" in printed("04_factors")


def test_lesson_04_lost_reasons_are_called_random() -> None:
    assert "没有一个“大漏洞”" not in source("04_factors")
    shown = printed("04_factors")
    assert "等概率随机" in shown
    reasons = dv.reached_levels(dv.load_dataset("directsales").worklog, by="note")
    shares = reasons.loc[reasons["level"] == "lost", "note"].value_counts(normalize=True)
    spread = round(shares.round(3).max() - shares.round(3).min(), 3) * 100
    assert f"最多相差 {spread:.1f} 个百分点" in shown


def test_lesson_04_training_gap_is_read_from_the_split_and_called_an_assumption() -> None:
    log = dv.load_dataset("directsales").worklog
    split = dv.teach.before_after(log, rep="刘洋", date="2025-05-12")
    before, after = split["rate"].tolist()
    word = "更高" if after > before else "更低" if after < before else "一样"
    shown = printed("04_factors")
    assert f"成交比例是 {after:.1%}，比培训前那批的 {before:.1%} {word}" in shown
    assert "不是“培训有效”的证据" in shown


def test_lesson_05_rankings_sentence_follows_its_table() -> None:
    shown = printed("05_strategies")
    assert "排序不一定相同" not in source("05_strategies")
    data = dv.teach.lesson_data("directsales", "")
    base = dv.teach.baseline_from_worklog(data.worklog, targets=data.targets, model=data.model)
    plans = {label: dv.teach.project_strategies(base, **{code: 1.0}, value_per_customer=10500.0,
                                                ramp_months=3.0)
             for code, label in dv.teach.STRATEGIES.items()}
    by_won = sorted(plans, key=lambda k: -plans[k].won)
    by_net = sorted(plans, key=lambda k: -plans[k].net_value_per_month)
    assert by_won != by_net     # the defaults make “值不值” a real question
    assert f"按多出来的客户数排：{' > '.join(by_won)}；按净收益排：{' > '.join(by_net)}" in shown


def _quarter_rates() -> list[float]:
    log = dv.load_dataset("software").worklog
    rates = dv.conversion_rate(log, start="contacted", end="won", period="Q", within_days=90)
    return [float(rates.loc[rates["period"] == pd.Timestamp(d), "conversion"].iloc[0])
            for d in ("2025-01-01", "2025-04-01", "2025-07-01")]


def test_lesson_07_conversion_words_follow_the_table() -> None:
    q1, q2, q3 = _quarter_rates()
    shown = printed("07_cases")
    assert "转化率有改善的迹象" not in source("07_cases")
    word_q2 = "高于" if q3 > q2 else "低于" if q3 < q2 else "等于"
    word_q1 = "高于" if q3 > q1 else "低于" if q3 < q1 else "等于"
    assert f"7–9 月接触的客户 {q3:.1%}，{word_q2} 4–6 月的 {q2:.1%}，{word_q1}改革前更早的 1–3 月" in shown


def test_lesson_07_cycle_claim_follows_the_medians() -> None:
    cycle = dv.sales_cycle(dv.load_dataset("software").worklog)
    medians = [cycle.loc[cycle["start_date"].dt.quarter == q, "days"].median() for q in (1, 2, 3)]
    shown = printed("07_cases")
    line = next(line for line in shown.splitlines() if line.startswith("中位周期"))
    assert all(f"{m:g} 天" in line for m in medians)
    if medians[2] >= min(medians[:2]):
        assert "变短了" not in line


def test_lesson_07_real_is_not_caused_by_us() -> None:
    log = dv.load_dataset("directsales").worklog
    reached = dv.reached_levels(log)
    real = [m.month for m in pd.date_range("2025-02-01", "2025-12-01", freq="MS")
            if dv.teach.month_over_month(log, month=m, reached=reached).comparison.significant]
    shown = printed("07_cases")
    assert f"11 个月里，{len(real)} 个月被判为“很可能是真实变化”" in shown
    assert all(f"{m} 月（" in shown for m in real)
    assert "不是说“是我们做了什么”" in shown
    assert "数据库确实起了作用" not in source("07_cases")


def test_lesson_07_shows_the_spread_over_seeds_and_how_the_seed_was_chosen() -> None:
    shown = printed("07_cases")
    counts = [int(n) for n in re.findall(r"(\d+) 个种子里有", shown)]
    assert len(counts) == 2
    assert min(counts) >= 20
    for case in ("fmcg", "software"):
        assert f"案例用的是第 {dv.sim.CASES[case].model.seed} 号种子（从 0 号往上找" in shown
    assert shown.count("是日历、季节和市场带来的") == 2


def test_lesson_05_box_quotes_the_levers_as_the_model_sets_them() -> None:
    levers = dv.sim.LEVERS
    box = source("05_strategies").split(BOX, 1)[1].split("# %%", 1)[0]
    assert f"{levers['training'].training_hours:g} 个培训小时" in box
    assert f"线索少 {-levers['targeting'].extra_leads:.0%}" in box
    assert f"线上线索多 {levers['digital'].extra_leads:.0%}" in box
    assert f"等待 × {levers['process'].cycle:g}" in box
    assert f"活动 × {levers['process'].capacity:g}" in box
