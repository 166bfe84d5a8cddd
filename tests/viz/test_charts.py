"""Chart builders, tested through their Vega-Lite spec (never pixels)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import altair as alt
import pandas as pd
import pytest

import devvolume as dv
from devvolume.core import STAGE_LABELS
from devvolume.viz import _charts as charts
from devvolume.viz._display import FONT

P = pd.to_datetime

# The worked example of DESIGN.md, as the metric engine would return it.
VOLUME = pd.DataFrame({
    "period": P(["2026-03-01", "2026-04-01", "2026-05-01"] * 2),
    "rep": ["A"] * 3 + ["B"] * 3,
    "volume": [1, 0, 0, 0, 1, 1],
})
FUNNEL = pd.DataFrame({"level": ["won", "contacted", "signed", "qualified"],
                       "customers": [2, 3, 2, 2]})
CONVERSION = pd.DataFrame({"period": P(["2026-03-01", "2026-04-01", "2026-05-01"]),
                           "cohort": [1, 1, 1], "converted": [1, 1, 0],
                           "conversion": [1.0, 1.0, 0.0]})
RETENTION = pd.DataFrame({
    "cohort": P(["2026-01-01"] * 3 + ["2026-02-01"] * 2 + ["2026-03-01"]),
    "offset": [0, 1, 2, 0, 1, 0], "customers": [4, 4, 4, 2, 2, 5],
    "retained": [4, 2, 0, 2, 1, 5], "retention": [1.0, 0.5, 0.0, 1.0, 0.5, 1.0],
})
BOARD = pd.DataFrame({"rep": ["张伟", "李娜", "王芳", "A"], "volume": [5, 8, 5, 2],
                      "target": [6, 6, 6, 6]})
BOARD["attainment"] = BOARD["volume"] / BOARD["target"]
WHATIF = pd.DataFrame({"period": pd.date_range("2026-01-01", periods=3, freq="MS"),
                       "baseline": [10.0, 10.0, 11.0], "scenario": [10.0, 12.0, 14.0]})

CJK = re.compile(r"[\u4e00-\u9fff]")


def layers(spec: dict) -> list[dict]:
    return spec.get("layer", [spec])


def all_titles(spec: dict) -> list[str]:
    """Every title string in a spec: chart, axes, legends."""
    found: list[str] = []

    def walk(node: object, key: str = "") -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, k)
        elif isinstance(node, list):
            for v in node:
                walk(v, key)
        elif key == "title" and isinstance(node, str):
            found.append(node)

    walk(spec)
    return found


def dataset(spec: dict) -> list[dict]:
    """The rows of the chart's main (first) inline dataset."""
    return next(iter(spec["datasets"].values()))


ALL = {
    "volume_trend": lambda lang: charts.volume_trend(VOLUME, by="rep", lang=lang),
    "volume_bar": lambda lang: charts.volume_trend(VOLUME, mark="bar", lang=lang),
    "funnel": lambda lang: charts.funnel(FUNNEL, lang=lang),
    "conversion": lambda lang: charts.conversion_by_cohort(CONVERSION, lang=lang),
    "retention": lambda lang: charts.retention_heatmap(RETENTION, lang=lang),
    "leaderboard": lambda lang: charts.leaderboard(BOARD, target=6, lang=lang),
    "attainment": lambda lang: charts.attainment(BOARD, lang=lang),
    "whatif": lambda lang: charts.whatif_comparison(WHATIF, lang=lang),
}


@pytest.mark.parametrize("name", sorted(ALL))
def test_every_chart_is_chinese_configured_and_deterministic(name: str) -> None:
    chart = ALL[name]("zh")
    assert isinstance(chart, alt.TopLevelMixin)
    spec = chart.to_dict()
    assert spec["config"]["font"].startswith(FONT)
    titles = all_titles(spec)
    assert CJK.search(spec["title"]), spec["title"]
    assert all(CJK.search(t) for t in titles if t not in {"A", "B"}), titles
    # the same frame gives the same spec, byte for byte (no generated ids or names)
    assert json.dumps(spec, sort_keys=True) == json.dumps(ALL[name]("zh").to_dict(),
                                                          sort_keys=True)
    assert "param_" not in json.dumps(spec)
    assert spec.get("width")
    assert spec.get("height")


@pytest.mark.parametrize("name", sorted(ALL))
def test_english_labels_have_no_chinese(name: str) -> None:
    spec = ALL[name]("en").to_dict()
    for title in all_titles(spec):
        assert not CJK.search(title), title


def test_unknown_lang_is_refused() -> None:
    with pytest.raises(ValueError, match="unsupported lang"):
        charts.volume_trend(VOLUME, lang="fr")  # type: ignore[arg-type]


def test_missing_columns_are_named() -> None:
    with pytest.raises(ValueError, match=r"lacks columns \['volume'\].*Columns in the frame"):
        charts.volume_trend(VOLUME.drop(columns="volume"))


def test_volume_trend_line_by_rep() -> None:
    spec = charts.volume_trend(VOLUME, by="rep", level="won").to_dict()
    assert spec["title"] == "每月客户开发量（成交）"
    assert spec["mark"]["type"] == "line"
    enc = spec["encoding"]
    assert enc["x"]["field"] == "period"
    assert enc["x"]["timeUnit"] == "yearmonth"
    assert enc["x"]["type"] == "temporal"
    assert enc["x"]["axis"]["format"] == "%Y年%-m月"
    assert enc["x"]["title"] == "月份"
    assert (enc["y"]["field"], enc["y"]["aggregate"]) == ("volume", "sum")
    assert enc["y"]["title"] == "新客户数"
    assert enc["color"]["field"] == "rep"
    assert enc["color"]["sort"] == ["A", "B"]
    assert enc["color"]["title"] == "销售员"


@pytest.mark.parametrize(("period", "unit", "word"), [
    ("W", "yearmonthdate", "每周"), ("Q", "yearquarter", "每季度"), ("Y", "year", "每年")])
def test_volume_trend_periods(period: str, unit: str, word: str) -> None:
    spec = charts.volume_trend(VOLUME, period=period, mark="bar").to_dict()
    assert spec["title"] == f"{word}客户开发量"
    assert spec["encoding"]["x"]["timeUnit"] == unit
    assert spec["encoding"]["x"]["type"] == "ordinal"
    assert spec["encoding"]["x"]["sort"] == "ascending"


@pytest.mark.parametrize(("period", "ticks"), [
    ("M", {"interval": "month", "step": 1}), ("Q", {"interval": "month", "step": 3}),
    ("Y", {"interval": "year", "step": 1}), ("W", None)])
def test_time_axes_tick_once_per_period(period: str, ticks: dict | None) -> None:
    # JupyterLab's Vega-Lite 5.6 otherwise ticks every two weeks and repeats month labels
    axis = charts.volume_trend(VOLUME, period=period).to_dict()["encoding"]["x"]["axis"]
    assert axis.get("tickCount") == ticks
    bars = charts.volume_trend(VOLUME, period=period, mark="bar").to_dict()
    assert "tickCount" not in bars["encoding"]["x"]["axis"]     # ordinal: one band per period


def test_volume_trend_rejects_unknown_period() -> None:
    with pytest.raises(ValueError, match="unknown period"):
        charts.volume_trend(VOLUME, period="D")


def test_funnel_in_level_order_with_chinese_labels() -> None:
    spec = charts.funnel(FUNNEL).to_dict()
    assert spec["title"] == "客户开发漏斗"
    bars = layers(spec)[0]
    order = [STAGE_LABELS[c] for c in ("contacted", "qualified", "signed", "won")]
    assert bars["encoding"]["y"]["sort"] == order
    rows = dataset(spec)
    assert [r["label"] for r in rows] == order
    assert [r["text"] for r in rows] == ["3（100%）", "2（67%）", "2（67%）", "2（67%）"]
    assert bars["encoding"]["x"]["field"] == "customers"
    # the input frame is not mutated
    assert list(FUNNEL.columns) == ["level", "customers"]


def test_funnel_rejects_unknown_level() -> None:
    with pytest.raises(ValueError, match="unknown levels"):
        charts.funnel(pd.DataFrame({"level": ["visited"], "customers": [1]}))


def test_funnel_refuses_several_groups_at_once() -> None:
    frame = pd.concat([FUNNEL.assign(team="T1"), FUNNEL.assign(team="T2")])
    with pytest.raises(ValueError, match=r"one row per level.*\['team'\]"):
        charts.funnel(frame)
    spec = charts.funnel(frame[frame["team"] == "T2"]).to_dict()
    assert [row["customers"] for row in dataset(spec)] == [3, 2, 2, 2]


def test_conversion_by_cohort_rate_axis() -> None:
    spec = charts.conversion_by_cohort(CONVERSION, start="contacted", end="won").to_dict()
    assert spec["title"] == "按批次的转化率（首次接触 → 成交）"
    enc = spec["encoding"]
    assert enc["y"]["field"] == "conversion"
    assert enc["y"]["title"] == "转化率"
    assert enc["y"]["scale"]["domain"] == [0, 1]
    assert enc["y"]["axis"]["format"] == "%"
    assert enc["x"]["title"] == "批次（首次接触月份）"
    assert {t["field"] for t in enc["tooltip"]} == {"period", "cohort", "converted", "conversion"}


@pytest.mark.parametrize(("builder", "frame", "column", "metric"), [
    (charts.conversion_by_cohort, CONVERSION, "conversion", "dv.conversion_rate"),
    (charts.retention_heatmap, RETENTION, "retention", "dv.retention_matrix"),
])
def test_an_old_rate_column_is_refused_with_its_new_name(
    builder: Callable[[pd.DataFrame], object], frame: pd.DataFrame, column: str, metric: str
) -> None:
    old = frame.rename(columns={column: "rate"})
    with pytest.raises(ValueError, match=rf"lacks columns \['{column}'\].*`rate` is now "
                                         rf"`{column}` \({metric}\)"):
        builder(old)
    with pytest.raises(ValueError, match=rf"lacks columns \['{column}'\]") as error:
        builder(frame.drop(columns=column))
    assert "renamed" not in str(error.value)


def test_builders_take_the_core_results_as_they_are() -> None:
    log = pd.DataFrame({
        "date": P(["2026-03-30", "2026-04-02", "2026-04-03", "2026-04-10", "2026-05-06",
                   "2026-05-07"]),
        "rep": ["A", "A", "B", "A", "A", "B"], "team": ["T1"] * 6,
        "customer": ["C1", "C1", "C2", "C1", "C1", "C3"],
        "stage": ["contacted", "contacted", "won", "signed", "won", "lost"]})
    conversion = dv.conversion_rate(log, start="contacted", end="won", by="team")
    spec = charts.conversion_by_cohort(conversion, by="team").to_dict()
    assert [row["conversion"] for row in dataset(spec)] == [1.0, 1.0, 0.0]
    orders = pd.DataFrame({"customer": ["C1", "C2", "C1"],
                           "date": P(["2026-04-03", "2026-04-06", "2026-05-20"])})
    spec = charts.retention_heatmap(dv.retention_matrix(orders)).to_dict()
    assert [row["retention"] for row in dataset(spec)] == [1.0, 0.5]
    spec = charts.volume_trend(dv.development_volume(log, by="rep"), by="rep").to_dict()
    assert spec["encoding"]["color"]["sort"] == ["A", "B"]
    charts.funnel(dv.funnel(log)).to_dict()


def test_conversion_by_cohort_side_by_side_groups() -> None:
    frame = pd.concat([CONVERSION.assign(team="T2"), CONVERSION.assign(team="T1")])
    enc = charts.conversion_by_cohort(frame, by="team").to_dict()["encoding"]
    assert enc["xOffset"]["field"] == "team"
    assert enc["color"]["sort"] == ["T1", "T2"]


def test_retention_heatmap_shows_zeros() -> None:
    spec = charts.retention_heatmap(RETENTION).to_dict()
    cells, text = layers(spec)
    assert cells["mark"]["type"] == "rect"
    assert cells["encoding"]["color"]["scale"]["domain"] == [0, 1]
    assert text["encoding"]["text"] == {"field": "retention", "format": ".0%",
                                        "type": "quantitative"}
    assert cells["encoding"]["color"]["field"] == "retention"
    assert "transform" not in spec
    assert "transform" not in text
    assert sum(1 for r in dataset(spec) if r["retention"] == 0) == 1
    assert cells["encoding"]["y"]["field"] == "cohort"
    assert cells["encoding"]["y"]["sort"] == "ascending"
    assert cells["encoding"]["x"]["title"] == "距首单的周期数"


def test_leaderboard_sorted_with_target_rule_and_ticks() -> None:
    spec = charts.leaderboard(BOARD, target=6).to_dict()
    bars = layers(spec)[0]
    # highest first, ties broken by name so the order never depends on row order
    assert bars["encoding"]["y"]["sort"] == ["李娜", "张伟", "王芳", "A"]
    marks = [layer["mark"]["type"] for layer in layers(spec)]
    assert marks == ["bar", "text", "tick", "rule"]
    rule = layers(spec)[-1]
    assert rule["mark"]["strokeDash"] == [6, 3]
    reordered = charts.leaderboard(BOARD.iloc[::-1], target=6).to_dict()
    assert layers(reordered)[0]["encoding"]["y"]["sort"] == bars["encoding"]["y"]["sort"]


def test_leaderboard_without_targets() -> None:
    spec = charts.leaderboard(BOARD[["rep", "volume"]]).to_dict()
    assert [layer["mark"]["type"] for layer in layers(spec)] == ["bar", "text"]


def test_attainment_status_colours_and_goal_line() -> None:
    spec = charts.attainment(BOARD).to_dict()
    bars, rule = layers(spec)
    assert bars["encoding"]["x"]["axis"]["format"] == "%"
    assert bars["encoding"]["color"]["scale"]["domain"] == ["达标", "未达标"]
    assert bars["encoding"]["y"]["sort"][0] == "李娜"
    assert rule["mark"]["type"] == "rule"
    statuses = {r["rep"]: r["status"] for r in dataset(spec)}
    assert statuses == {"张伟": "未达标", "李娜": "达标", "王芳": "未达标", "A": "未达标"}


@pytest.mark.parametrize("frame", [
    WHATIF,
    WHATIF.melt(id_vars="period", var_name="series", value_name="volume"),
], ids=["wide", "long"])
def test_whatif_comparison(frame: pd.DataFrame) -> None:
    spec = charts.whatif_comparison(frame, y_title="新成交客户（个）").to_dict()
    assert spec["title"] == "改进方案与现状的开发量预测"
    enc = spec["encoding"]
    assert enc["color"]["scale"]["domain"] == ["现状", "改进方案"]
    assert enc["strokeDash"]["scale"]["range"][0] == [6, 3]
    assert enc["y"]["title"] == "新成交客户（个）"
    assert len(dataset(spec)) == 6


def test_count_axis_has_whole_number_ticks() -> None:
    axis = charts.volume_trend(VOLUME).to_dict()["encoding"]["y"]["axis"]
    assert axis["format"] == "d"
    assert axis["values"]["expr"].startswith("sequence(0, domain('y')[1] + 1")


def test_label_lookup() -> None:
    assert charts.label("volume_title", "en", every=charts.label("every_Q", "en")) == (
        "Quarterly development volume")


def test_combine_keeps_one_top_level_config() -> None:
    both = charts.combine(ALL["funnel"]("zh"), ALL["retention"]("zh"), direction="horizontal")
    spec = both.to_dict()
    assert len(spec["hconcat"]) == 2
    assert all("config" not in part for part in spec["hconcat"])
    assert spec["config"]["font"].startswith(FONT)
