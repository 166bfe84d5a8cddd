"""The charts of a printed report: one colour per stage, a legend for targets, the window in titles.

These wrap the chart builders of :mod:`devvolume.viz` for the reports:

- :func:`trend_chart` colours each stage by its code (:data:`STAGE_COLORS`), not by its label,
  so 成交 and "Won" are the same green and a reader comparing a Chinese and an English report
  never sees the colours swap;
- :func:`leaderboard_chart` draws targets as marks **with a legend** saying what they are;
- every title says the window the chart covers (:func:`span_text`).
"""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd

from devvolume.core import LEVELS, Window
from devvolume.viz import FONT_STACK, MAIN_COLOR, TARGET_COLOR, label, volume_trend

#: One colour per stage, whatever the language.
STAGE_COLORS: dict[str, str] = {"contacted": "#4c78a8", "qualified": "#72b7b2",
                                "signed": "#f58518", "won": "#54a24b"}  # fmt: skip


def span_text(window: Window, *, period: str = "D", lang: str = "zh") -> str:
    """Say a window in a title: days, or months/quarters/years for a run of whole periods.

    Examples
    --------
    >>> import datetime as dt
    >>> span_text(Window(dt.date(2025, 1, 1), dt.date(2025, 12, 31)), period="M")
    '2025 年 1 月至 2025 年 12 月'
    >>> span_text(Window(dt.date(2025, 12, 1), dt.date(2025, 12, 17)), lang="en")
    '1 Dec 2025 – 17 Dec 2025'
    """
    first, last = window.first, window.last
    if lang == "zh":
        if period == "M":
            return f"{first.year} 年 {first.month} 月至 {last.year} 年 {last.month} 月"
        return f"{first.year} 年 {first.month} 月 {first.day} 日至 {last.year} 年 {last.month} 月 {last.day} 日"
    if period == "M":
        return f"{first:%b %Y} – {last:%b %Y}"
    return f"{first.day} {first:%b %Y} – {last.day} {last:%b %Y}"


def trend_chart(volumes: pd.DataFrame, *, period: str, window: Window, lang: str = "zh",
                levels: tuple[str, ...] = ("contacted", "signed", "won")) -> Any:  # fmt: skip
    """Chart the volume of each stage over time, one fixed colour per stage.

    ``volumes`` is a slice's series (``period, level, volume``); ``window`` is the span shown
    (whole periods; the last may be running), named in the title.
    """
    shown = volumes[volumes["level"].isin(levels)
                    & (volumes["period"] >= pd.Timestamp(window.first))
                    & (volumes["period"] <= pd.Timestamp(window.last))]  # fmt: skip
    names = [label(level, lang) for level in LEVELS if level in levels]  # type: ignore[arg-type]
    shown = shown.assign(level=[label(level, lang) for level in shown["level"]])  # type: ignore[arg-type]
    every = label(f"every_{period}", lang)  # type: ignore[arg-type]
    title = label("volume_title", lang, every=every)  # type: ignore[arg-type]
    span = span_text(window, period="M" if period in "MQY" else "D", lang=lang)
    title = f"{title}（{span}）" if lang == "zh" else f"{title} ({span})"
    chart = volume_trend(shown, period=period, by="level", lang=lang, title=title)  # type: ignore[arg-type]
    chart.encoding.color = alt.Color(
        "level:N", title=label("level", lang), sort=names,  # type: ignore[arg-type]
        scale=alt.Scale(domain=names, range=[STAGE_COLORS[level] for level in LEVELS
                                             if level in levels]))  # fmt: skip
    return chart


def funnel_title(window: Window, *, lang: str = "zh") -> str:
    """Return the funnel's title, naming the cohort's window (customers first contacted in it)."""
    span = span_text(window, lang=lang)
    if lang == "zh":
        return f"客户开发漏斗（{span}首次接触的客户）"
    return f"Development funnel (customers first contacted {span})"


def leaderboard_chart(board: pd.DataFrame, *, window: Window, lang: str = "zh", measure: str = "",
                      title: str = "") -> Any:  # fmt: skip
    """Chart reps ranked by volume, with their targets as marks and a legend saying so.

    ``board`` has ``rep``, ``volume`` and optionally ``target``; ``measure`` names what the
    bars count (default: new customers won).
    """
    measure = measure or (label("won", lang) if lang == "en" else "新成交客户")  # type: ignore[arg-type]
    target_name = label("target", lang)  # type: ignore[arg-type]
    order = board.sort_values(["volume", "rep"], ascending=[False, True], kind="stable")["rep"].tolist()
    span = span_text(window, lang=lang)
    title = title or (f"销售员排行：{measure}（{span}）" if lang == "zh"
                      else f"Reps by {measure.lower()} ({span})")  # fmt: skip
    series = [measure] + ([target_name] if "target" in board.columns else [])
    color = alt.Color("series:N", title="", sort=series,
                      scale=alt.Scale(domain=series, range=[MAIN_COLOR, TARGET_COLOR][: len(series)]),
                      legend=alt.Legend(orient="top", direction="horizontal"))  # fmt: skip
    y = alt.Y("rep:N", title=label("rep", lang), sort=order)  # type: ignore[arg-type]
    bars_data = board[["rep", "volume"]].assign(series=measure)
    base = alt.Chart(bars_data).encode(y=y)
    top = max([1, *board["volume"].dropna().tolist(),
               *(board["target"].dropna().tolist() if "target" in board.columns else [])])
    step = next(step for step in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000) if top / step <= 10)
    ticks = list(range(0, int(top) + step + 1, step))
    axis = alt.Axis(format="d", values=ticks)
    scale = alt.Scale(domain=[0, ticks[-1]])
    layers: list[Any] = [
        base.mark_bar().encode(x=alt.X("volume:Q", title=measure, axis=axis, scale=scale), color=color,
                               tooltip=[alt.Tooltip("rep:N", title=label("rep", lang)),  # type: ignore[arg-type]
                                        alt.Tooltip("volume:Q", title=measure)]),
        base.mark_text(align="left", dx=4).encode(x="volume:Q", text="volume:Q"),
    ]
    if "target" in board.columns:
        targets = board[["rep", "target"]].dropna().assign(series=target_name)
        layers.append(alt.Chart(targets).mark_tick(thickness=3, size=18).encode(
            y=y, x=alt.X("target:Q", axis=axis, scale=scale), color=color,
            tooltip=[alt.Tooltip("rep:N", title=label("rep", lang)),  # type: ignore[arg-type]
                     alt.Tooltip("target:Q", title=target_name)]))
    height = max(120, 24 * len(order))
    return (alt.layer(*layers).properties(title=title, width=460, height=height)
            .configure(font=FONT_STACK).configure_title(anchor="start", fontSize=15)
            .configure_view(stroke=None))  # fmt: skip
