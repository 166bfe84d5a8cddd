"""Chart builders for the metric engine's result frames.

Each builder takes one result frame (see ``DESIGN.md``), never mutates it, and returns a finished
altair chart with Chinese titles and axes (``lang="en"`` gives English ones). Charts are
deterministic: no generated ids, explicit sizes and explicit sort orders, so their specs and
their SVG (see :mod:`devvolume.viz._display`) are the same run to run. The returned charts carry a
top-level ``config`` (the CJK font list), which altair refuses inside ``alt.vconcat`` or
``alt.hconcat``; combine them with :func:`combine` instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import altair as alt
import pandas as pd

from devvolume.core import LEVELS
from devvolume.viz._display import FONT_STACK
from devvolume.viz._labels import LABELS, TIME_FORMATS, Lang, label

__all__ = [
    "HEIGHT", "LABELS", "MAIN_COLOR", "MUTED_COLOR", "TARGET_COLOR", "TIME_FORMATS", "WIDTH",
    "attainment", "combine", "conversion_by_cohort", "funnel", "funnel_plot_chart", "label", "leaderboard",
    "retention_heatmap",
    "volume_trend", "whatif_comparison",
]

#: Default plot size in pixels; explicit so the output never depends on the active theme.
WIDTH = 480
HEIGHT = 280


def _count_axis(scale: str) -> alt.Axis:
    """Return an axis for counts of customers: whole-number ticks at a 1-2-5 step.

    Vega ignores ``tickMinStep`` here (measured: 0.5 steps on a 0-2 domain), so the tick values
    come from an expression on the ``scale``'s domain.
    """
    top = f"domain('{scale}')[1]"
    raw = f"max(1, {top} / 6)"
    mag = f"pow(10, floor(log({raw}) / LN10))"
    frac = f"({raw} / {mag})"
    step = f"((({frac} <= 1) ? 1 : ({frac} <= 2) ? 2 : ({frac} <= 5) ? 5 : 10) * {mag})"
    return alt.Axis(format="d", values=alt.ExprRef(f"sequence(0, {top} + 1, {step})"))


#: Colours: the main series, the target / reference line, the "not reached" state.
MAIN_COLOR = "#4c78a8"
TARGET_COLOR = "#e45756"
MUTED_COLOR = "#bab0ac"

#: Vega-Lite time unit that groups dates into each period.
_TIME_UNITS = {"W": "yearmonthdate", "M": "yearmonth", "Q": "yearquarter", "Y": "year"}


#: One tick per period on a time axis. Left to itself, Vega-Lite 5.6 (JupyterLab's live renderer)
#: ticks a few months every two weeks and repeats each month's label. Weeks keep the default:
#: Vega's week interval starts on Sunday, ours on Monday, and their date labels never repeat.
_TICK_INTERVALS: dict[str, dict[str, Any]] = {
    "M": {"interval": "month", "step": 1},
    "Q": {"interval": "month", "step": 3},
    "Y": {"interval": "year", "step": 1},
}


#: Result columns the core renamed (issue 10): new name → (old name, the metric that makes it).
RENAMED: dict[str, tuple[str, str]] = {
    "conversion": ("rate", "dv.conversion_rate"),
    "retention": ("rate", "dv.retention_matrix"),
}


def _require(frame: pd.DataFrame, columns: Sequence[str], builder: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        renamed = [f"`{RENAMED[c][0]}` is now `{c}` ({RENAMED[c][1]})" for c in missing
                   if c in RENAMED and RENAMED[c][0] in frame.columns]  # fmt: skip
        msg = (
            f"{builder}：数据缺少列 {missing}。/ {builder}: the frame lacks columns {missing}. "
            f"Columns in the frame: {list(frame.columns)}. "
            "Hint: pass the result of the matching devvolume metric function"
            + (f"; the column was renamed: {'; '.join(renamed)}." if renamed else ".")
        )
        raise ValueError(msg)


def _check_period(period: str) -> None:
    if period not in _TIME_UNITS:
        msg = f"未知周期 {period!r} / unknown period; use one of: {', '.join(_TIME_UNITS)}"
        raise ValueError(msg)


def _finish(chart: Any, title: str, width: int, height: int) -> Any:
    """Set title, size and the font configuration on a top-level chart."""
    return (
        chart.properties(title=title, width=width, height=height)
        .configure(font=FONT_STACK)
        .configure_title(anchor="start", fontSize=15)
        .configure_view(stroke=None)
    )


def _period_x(period: str, lang: Lang, *, field: str = "period", title: str | None = None,
              ordinal: bool = False, channel: Any = alt.X) -> Any:
    """Return an x (or ``channel``) encoding for a period column (first day of each period)."""
    _check_period(period)
    unit = _TIME_UNITS[period]
    kind = "O" if ordinal else "T"
    axis = alt.Axis(format=TIME_FORMATS[lang][period], formatType="time", labelAngle=0)
    if not ordinal and period in _TICK_INTERVALS:
        axis.tickCount = _TICK_INTERVALS[period]
    return channel(
        f"{unit}({field}):{kind}", title=title or label(period, lang), sort="ascending", axis=axis
    )


def _by_color(by: str | None, frame: pd.DataFrame, lang: Lang) -> dict[str, Any]:
    """Return the colour encoding for an optional group column, sorted by name."""
    if by is None:
        return {}
    _require(frame, [by], "chart")
    domain = sorted(frame[by].dropna().astype(str).unique())
    title = LABELS[lang].get(by, by)
    return {"color": alt.Color(f"{by}:N", title=title, sort=domain, scale=alt.Scale(domain=domain))}


def _mark_color(by: str | None) -> dict[str, Any]:
    """Return a fixed mark colour unless a ``by`` column colours the marks."""
    return {} if by else {"color": MAIN_COLOR}


def volume_trend(frame: pd.DataFrame, *, period: str = "M", by: str | None = None,
                 mark: Literal["line", "bar"] = "line", level: str | None = None,
                 lang: Lang = "zh", title: str | None = None, width: int = WIDTH,
                 height: int = HEIGHT) -> alt.Chart:
    """Chart development volume over time, optionally coloured by a group.

    Parameters
    ----------
    frame : pandas.DataFrame
        ``development_volume`` result: ``period``, optional group columns, ``volume``. Rows of
        group columns not shown are summed.
    period : {"W", "M", "Q", "Y"}
        The period the frame was computed with; sets axis labels and title.
    by : str, optional
        Group column to colour by, e.g. ``"rep"`` or ``"team"``.
    mark : {"line", "bar"}
        Line (trend) or bars (stacked when ``by`` is given).
    level : str, optional
        Level code the volume counts (``"won"`` …), added to the title.
    lang : {"zh", "en"}
        Label language.
    title : str, optional
        Overrides the generated title.
    width, height : int
        Plot size in pixels.

    Returns
    -------
    altair.Chart

    Examples
    --------
    >>> frame = pd.DataFrame({"period": pd.to_datetime(["2026-03-01", "2026-04-01"]),
    ...                       "volume": [1, 2]})
    >>> volume_trend(frame).to_dict()["title"]
    '每月客户开发量'
    """
    _require(frame, ["period", "volume"], "volume_trend")
    _check_period(period)
    text = title or label("volume_title", lang, every=label(f"every_{period}", lang))
    if level is not None and title is None:
        text += f"（{label(level, lang)}）" if lang == "zh" else f" ({label(level, lang)})"
    y = alt.Y("sum(volume):Q", title=label("volume", lang), axis=_count_axis("y"))
    tooltip = [alt.Tooltip("period:T", title=label(period, lang),
                           format=TIME_FORMATS[lang][period]),
               alt.Tooltip("sum(volume):Q", title=label("volume", lang))]
    color = _by_color(by, frame, lang)
    if by is not None:
        tooltip.insert(1, alt.Tooltip(f"{by}:N", title=LABELS[lang].get(by, by)))
    base = alt.Chart(frame)
    if mark == "bar":
        chart = base.mark_bar(color=MAIN_COLOR).encode(
            x=_period_x(period, lang, ordinal=True), y=y, tooltip=tooltip, **color)
    else:
        chart = base.mark_line(point=True, **_mark_color(by)).encode(
            x=_period_x(period, lang), y=y, tooltip=tooltip, **color)
    return _finish(chart, text, width, height)


def funnel(frame: pd.DataFrame, *, lang: Lang = "zh", title: str | None = None,
           width: int = WIDTH, height: int = 200) -> alt.LayerChart:
    """Chart the development funnel: customers at each level, with the share of contacts.

    Parameters
    ----------
    frame : pandas.DataFrame
        ``level`` (codes ``contacted`` … ``won``) and ``customers``, one row per level: a
        ``funnel`` result without ``by``, or one group's rows of a ``funnel(..., by=...)``.
    lang, title, width, height
        As in :func:`volume_trend`.

    Returns
    -------
    altair.LayerChart
        Bars in level order, top to bottom, with "count (share)" labels.
    """
    _require(frame, ["level", "customers"], "funnel")
    unknown = sorted(set(frame["level"]) - set(LEVELS))
    if unknown:
        msg = f"funnel：未知阶段 {unknown} / unknown levels; use {list(LEVELS)}"
        raise ValueError(msg)
    repeated = sorted(set(frame.loc[frame["level"].duplicated(), "level"]))
    if repeated:
        groups = [c for c in frame.columns if c not in {"level", "step", "customers",
                                                        "from_previous", "from_first"}]
        msg = (
            f"funnel：每个阶段只能有一行，{repeated} 出现了多次。/ funnel: one row per level "
            f"expected; {repeated} appear more than once (other columns: {groups}). "
            "Hint: chart one group at a time, e.g. frame[frame['team'] == '华东一组']."
        )
        raise ValueError(msg)
    data = frame[["level", "customers"]].copy()
    data["order"] = data["level"].map(LEVELS.index)
    data = data.sort_values("order", kind="stable").reset_index(drop=True)
    data["label"] = [label(code, lang) for code in data["level"]]
    top = data["customers"].iloc[0] if len(data) else 0
    data["share"] = data["customers"] / top if top else 0.0
    data["text"] = [f"{int(c)}（{s:.0%}）" if lang == "zh" else f"{int(c)} ({s:.0%})"
                    for c, s in zip(data["customers"], data["share"], strict=True)]
    order = [label(code, lang) for code in LEVELS]
    y = alt.Y("label:N", title=label("level", lang), sort=order)
    base = alt.Chart(data).encode(y=y)
    bars = base.mark_bar(color=MAIN_COLOR).encode(
        x=alt.X("customers:Q", title=label("customers", lang), axis=_count_axis("x")),
        tooltip=[alt.Tooltip("label:N", title=label("level", lang)),
                 alt.Tooltip("customers:Q", title=label("customers", lang)),
                 alt.Tooltip("share:Q", title=label("share", lang), format=".0%")])
    text = base.mark_text(align="left", dx=4).encode(x="customers:Q", text="text:N")
    return _finish(alt.layer(bars, text), title or label("funnel_title", lang), width, height)


def conversion_by_cohort(frame: pd.DataFrame, *, period: str = "M", start: str = "contacted",
                         end: str = "won", by: str | None = None, lang: Lang = "zh",
                         title: str | None = None, width: int = WIDTH,
                         height: int = HEIGHT) -> alt.Chart:
    """Chart cohort conversion: the share of each period's cohort that reached ``end``.

    Parameters
    ----------
    frame : pandas.DataFrame
        ``conversion_rate`` result (cohort form): ``period``, optional group columns,
        ``cohort``, ``converted``, ``conversion``.
    period, start, end : str
        What the frame was computed with; used for labels.
    by : str, optional
        Group column shown side by side within each period.
    lang, title, width, height
        As in :func:`volume_trend`.

    Returns
    -------
    altair.Chart
        Bars of the rate (0–100 %) per cohort period.
    """
    _require(frame, ["period", "cohort", "converted", "conversion"], "conversion_by_cohort")
    x = _period_x(period, lang, ordinal=True,
                  title=label("cohort", lang, start=label(start, lang)))
    encoding: dict[str, Any] = {
        "x": x,
        "y": alt.Y("conversion:Q", title=label("conversion", lang), scale=alt.Scale(domain=[0, 1]),
                   axis=alt.Axis(format="%")),
        "tooltip": [alt.Tooltip("period:T", title=label(period, lang),
                                format=TIME_FORMATS[lang][period]),
                    alt.Tooltip("cohort:Q", title=label("cohort_size", lang)),
                    alt.Tooltip("converted:Q", title=label("converted", lang)),
                    alt.Tooltip("conversion:Q", title=label("conversion", lang), format=".1%")],
        **_by_color(by, frame, lang),
    }
    if by is not None:
        encoding["xOffset"] = alt.XOffset(f"{by}:N", sort="ascending")
    chart = alt.Chart(frame).mark_bar(**_mark_color(by)).encode(**encoding)
    text = title or label("conversion_title", lang, start=label(start, lang), end=label(end, lang))
    return _finish(chart, text, width, height)


def retention_heatmap(frame: pd.DataFrame, *, period: str = "M", lang: Lang = "zh",
                      title: str | None = None, width: int = WIDTH,
                      height: int = HEIGHT) -> alt.LayerChart:
    """Chart a retention matrix as a heatmap, every cell labelled, zeros included.

    Parameters
    ----------
    frame : pandas.DataFrame
        ``retention_matrix`` result: ``cohort``, ``offset``, ``customers``, ``retained``,
        ``retention``.
    period, lang, title, width, height
        As in :func:`volume_trend`.

    Returns
    -------
    altair.LayerChart
        Cohorts top to bottom (oldest first), offsets left to right, rate from 0 to 100 %.
    """
    columns = ["cohort", "offset", "customers", "retained", "retention"]
    _require(frame, columns, "retention_heatmap")
    y_enc = _period_x(period, lang, field="cohort", ordinal=True, channel=alt.Y,
                      title=label("first_order", lang))
    base = alt.Chart(frame).encode(
        x=alt.X("offset:O", title=label("offset", lang), sort="ascending",
                axis=alt.Axis(labelAngle=0)),
        y=y_enc)
    cells = base.mark_rect().encode(
        color=alt.Color("retention:Q", title=label("retention", lang),
                        scale=alt.Scale(domain=[0, 1], scheme="blues"),
                        legend=alt.Legend(format="%")),
        tooltip=[alt.Tooltip("offset:O", title=label("offset", lang)),
                 alt.Tooltip("customers:Q", title=label("cohort_size", lang)),
                 alt.Tooltip("retained:Q", title=label("retained", lang)),
                 alt.Tooltip("retention:Q", title=label("retention", lang), format=".0%")])
    text = base.mark_text(fontSize=11).encode(
        text=alt.Text("retention:Q", format=".0%"),
        color=alt.condition(alt.datum.retention > 0.5, alt.value("white"), alt.value("black")))
    return _finish(alt.layer(cells, text), title or label("retention_title", lang), width, height)


def _rank_reps(frame: pd.DataFrame, value: str) -> list[str]:
    """Return reps ordered by ``value`` descending, ties by name: an explicit, stable sort."""
    ranked = frame.sort_values([value, "rep"], ascending=[False, True], kind="stable")
    return [str(r) for r in ranked["rep"]]


def leaderboard(frame: pd.DataFrame, *, target: float | None = None, lang: Lang = "zh",
                title: str | None = None, width: int = WIDTH,
                height: int | None = None) -> alt.LayerChart:
    """Chart reps ranked by development volume, with their target.

    Parameters
    ----------
    frame : pandas.DataFrame
        ``rep``, ``volume`` and optionally ``target`` (one per rep, drawn as a tick).
    target : float, optional
        One target for everybody, drawn as a vertical rule.
    lang, title, width
        As in :func:`volume_trend`.
    height : int, optional
        Defaults to 22 pixels per rep.

    Returns
    -------
    altair.LayerChart
        Horizontal bars, highest volume on top (ties by name).
    """
    _require(frame, ["rep", "volume"], "leaderboard")
    order = _rank_reps(frame, "volume")
    y = alt.Y("rep:N", title=label("rep", lang), sort=order)
    tooltip = [alt.Tooltip("rep:N", title=label("rep", lang)),
               alt.Tooltip("volume:Q", title=label("volume", lang))]
    if "target" in frame.columns:
        tooltip.append(alt.Tooltip("target:Q", title=label("target", lang)))
    base = alt.Chart(frame).encode(y=y)
    layers: list[Any] = [
        base.mark_bar(color=MAIN_COLOR).encode(
            x=alt.X("volume:Q", title=label("volume", lang), axis=_count_axis("x")),
            tooltip=tooltip),
        base.mark_text(align="left", dx=4).encode(x="volume:Q", text="volume:Q"),
    ]
    if "target" in frame.columns:
        layers.append(base.mark_tick(color=TARGET_COLOR, thickness=3).encode(
            x="target:Q", tooltip=tooltip))
    if target is not None:
        rule = alt.Chart(pd.DataFrame({"target": [target]})).mark_rule(
            color=TARGET_COLOR, strokeDash=[6, 3]).encode(
            x="target:Q", tooltip=[alt.Tooltip("target:Q", title=label("target", lang))])
        layers.append(rule)
    return _finish(alt.layer(*layers), title or label("leaderboard_title", lang), width,
                   height or max(120, 22 * len(order)))


def attainment(frame: pd.DataFrame, *, lang: Lang = "zh", title: str | None = None,
               width: int = WIDTH, height: int | None = None) -> alt.LayerChart:
    """Chart target attainment (actual ÷ target) per rep, with the 100 % line.

    Parameters
    ----------
    frame : pandas.DataFrame
        ``rep``, ``attainment`` (a ratio, 1.0 = 100 %), optionally ``volume`` and ``target``.
    lang, title, width, height
        As in :func:`leaderboard`.

    Returns
    -------
    altair.LayerChart
        Bars coloured by reached / not reached, highest attainment on top.
    """
    _require(frame, ["rep", "attainment"], "attainment")
    data = frame.copy()
    data["status"] = [label("reached", lang) if a >= 1 else label("not_reached", lang)
                      for a in data["attainment"]]
    order = _rank_reps(data, "attainment")
    tooltip = [alt.Tooltip("rep:N", title=label("rep", lang)),
               alt.Tooltip("attainment:Q", title=label("attainment", lang), format=".0%")]
    tooltip += [alt.Tooltip(f"{c}:Q", title=label(c, lang))
                for c in ("volume", "target") if c in data.columns]
    status = [label("reached", lang), label("not_reached", lang)]
    bars = alt.Chart(data).mark_bar().encode(
        y=alt.Y("rep:N", title=label("rep", lang), sort=order),
        x=alt.X("attainment:Q", title=label("attainment", lang), axis=alt.Axis(format="%")),
        color=alt.Color("status:N", title=label("status", lang), sort=status,
                        scale=alt.Scale(domain=status, range=[MAIN_COLOR, MUTED_COLOR])),
        tooltip=tooltip)
    rule = alt.Chart(pd.DataFrame({"goal": [1.0]})).mark_rule(
        color=TARGET_COLOR, strokeDash=[6, 3]).encode(x="goal:Q")
    return _finish(alt.layer(bars, rule), title or label("attainment_title", lang), width,
                   height or max(120, 22 * len(order)))


def whatif_comparison(frame: pd.DataFrame, *, period: str = "M", lang: Lang = "zh",
                      title: str | None = None, y_title: str | None = None,
                      width: int = WIDTH, height: int = HEIGHT) -> alt.Chart:
    """Chart a what-if projection: the scenario against the baseline, period by period.

    Parameters
    ----------
    frame : pandas.DataFrame
        Wide (``period``, ``baseline``, ``scenario``) or long (``period``, ``series`` with values
        ``"baseline"`` / ``"scenario"``, ``volume``).
    period, lang, title, width, height
        As in :func:`volume_trend`.
    y_title : str, optional
        Axis title for the value (default: new customers).

    Returns
    -------
    altair.Chart
        Two lines; the baseline dashed.
    """
    if {"baseline", "scenario"} <= set(frame.columns):
        _require(frame, ["period"], "whatif_comparison")
        data = frame.melt(id_vars=["period"], value_vars=["baseline", "scenario"],
                          var_name="series", value_name="volume")
    else:
        _require(frame, ["period", "series", "volume"], "whatif_comparison")
        data = frame[["period", "series", "volume"]].copy()
    data["series_label"] = [label(s, lang) for s in data["series"]]
    names = [label("baseline", lang), label("scenario", lang)]
    series = alt.Color("series_label:N", title=label("series", lang), sort=names,
                       scale=alt.Scale(domain=names, range=[MUTED_COLOR, MAIN_COLOR]))
    chart = alt.Chart(data).mark_line(point=True).encode(
        x=_period_x(period, lang),
        y=alt.Y("volume:Q", title=y_title or label("volume", lang)),
        color=series,
        strokeDash=alt.StrokeDash("series_label:N", title=label("series", lang), sort=names,
                                  scale=alt.Scale(domain=names, range=[[6, 3], [1, 0]])),
        tooltip=[alt.Tooltip("period:T", title=label(period, lang),
                             format=TIME_FORMATS[lang][period]),
                 alt.Tooltip("series_label:N", title=label("series", lang)),
                 alt.Tooltip("volume:Q", title=y_title or label("volume", lang), format=",.1f")])
    return _finish(chart, title or label("whatif_title", lang), width, height)


def combine(*charts: Any, direction: Literal["vertical", "horizontal"] = "vertical") -> Any:
    """Put finished charts one under (or beside) another, keeping their font configuration.

    Parameters
    ----------
    *charts : altair chart
        Charts returned by the builders of this module.
    direction : {"vertical", "horizontal"}
        Stack them top to bottom or left to right.

    Returns
    -------
    altair.VConcatChart or altair.HConcatChart

    Examples
    --------
    >>> frame = pd.DataFrame({"period": pd.to_datetime(["2026-03-01"]), "volume": [1]})
    >>> spec = combine(volume_trend(frame), volume_trend(frame, mark="bar")).to_dict()
    >>> len(spec["vconcat"]), spec["config"]["font"].startswith("Noto Sans CJK SC")
    (2, True)
    """
    parts = [chart.copy() for chart in charts]
    for part in parts:
        part.config = alt.Undefined
    joined = alt.vconcat(*parts) if direction == "vertical" else alt.hconcat(*parts)
    # Each chart keeps its own colours and dashes; shared scales would merge their domains and
    # draw the legend's symbols in black.
    joined = joined.resolve_scale(color="independent", strokeDash="independent")
    return (joined.configure(font=FONT_STACK).configure_title(anchor="start", fontSize=15)
            .configure_view(stroke=None))


def funnel_plot_chart(frame: pd.DataFrame, *, lang: Lang = "zh", title: str | None = None,
                      columns: int = 3, width: int = 220, height: int = 180) -> Any:  # fmt: skip
    """Chart units against their peers as funnel plots: one small plot per measure.

    Every unit is a dot (x: its size, y: its value), the centre line is the typical peer, and two
    pairs of lines are the 95 % (dashed) and 99.8 % (solid) limits, which include the spread
    between peers (:mod:`devvolume.core._peers`). The report's subject is a larger red dot: outside
    the solid lines (and far enough) is what a report calls clearly different.

    Parameters
    ----------
    frame : pandas.DataFrame
        Long data, as :func:`devvolume.report.funnel_plot_data` gives it: ``measure`` (the plot's
        title), ``series`` (``"unit"``, ``"centre"``, ``"95"`` or ``"99.8"``), ``side``
        (``"low"``/``"high"`` for limits), ``n``, ``value``, ``subject`` (bool, units) and
        ``size_label`` (the x-axis title of each measure).
    lang : {"zh", "en"}
    title : str, optional
    columns, width, height : int
        Plots per row, and each plot's size in pixels.

    Returns
    -------
    altair.FacetChart

    Examples
    --------
    >>> frame = pd.DataFrame({
    ...     "measure": ["步骤"] * 5, "series": ["unit", "unit", "centre", "99.8", "99.8"],
    ...     "side": ["", "", "", "low", "high"], "n": [50.0, 80.0, 50.0, 50.0, 50.0],
    ...     "value": [30.0, 45.0, 40.0, 20.0, 60.0], "subject": [True, False, False, False, False],
    ...     "size_label": ["客户数"] * 5})
    >>> spec = funnel_plot_chart(frame).to_dict()
    >>> spec["facet"]["field"], len(spec["spec"]["layer"])
    ('measure', 3)
    """
    _require(frame, ["measure", "series", "side", "n", "value", "subject"], "funnel_plot_chart")
    order = list(dict.fromkeys(frame["measure"]))
    names = {"95": "95 %", "99.8": "99.8 %", "centre": label("typical_peer", lang)}
    data = frame.assign(line=frame["series"].map(names).fillna(""),
                        trace=frame["series"] + frame["side"].fillna(""))  # fmt: skip
    base = alt.Chart(data)
    x = alt.X("n:Q", title=label("funnel_plot_size", lang), scale=alt.Scale(zero=False, nice=True))
    y = alt.Y("value:Q", title=None, scale=alt.Scale(zero=False))
    lines = base.transform_filter(alt.datum.series != "unit").mark_line(color=MUTED_COLOR).encode(
        x=x, y=y, detail="trace:N",
        strokeDash=alt.StrokeDash("line:N", title=None, sort=list(names.values()),
                                  scale=alt.Scale(domain=list(names.values()),
                                                  range=[[5, 3], [1, 0], [2, 2]])))  # fmt: skip
    dots = base.transform_filter(alt.datum.series == "unit").mark_circle(opacity=0.8).encode(
        x=x, y=y,
        color=alt.Color("subject:N", legend=None,
                        scale=alt.Scale(domain=[False, True], range=[MAIN_COLOR, TARGET_COLOR])),
        size=alt.Size("subject:N", legend=None, scale=alt.Scale(domain=[False, True], range=[30, 120])),
        order=alt.Order("subject:N"))  # fmt: skip
    subject = base.transform_filter(alt.datum.subject == True).mark_text(  # noqa: E712 (a Vega expression)
        align="left", dx=7, dy=-7, color=TARGET_COLOR, fontSize=11).encode(x=x, y=y, text="unit:N")
    layered = alt.layer(lines, dots, subject).properties(width=width, height=height)
    chart = layered.facet(facet=alt.Facet("measure:N", sort=order, title=None,
                                          header=alt.Header(labelFontSize=12, labelAnchor="start")),
                          columns=columns).resolve_scale(x="independent", y="independent")  # fmt: skip
    chart = chart.properties(title=title or label("funnel_plot_title", lang))
    return (chart.configure(font=FONT_STACK).configure_title(anchor="start", fontSize=15)
            .configure_view(stroke=None))
