"""Time every widget callback on the ``directsales`` data: the pure function, and the full callback.

"pure" is the function the callback calls (the number a test checks); "callback" is what a
learner waits for in the kernel after moving a control: the pure function, the labels and table,
building the altair chart, turning it into the live Vega-Lite bundle
(:func:`devvolume.viz.live_bundle`), setting it on the widget's ``Output`` and encoding
that state as JSON for the wire (what the comm would send). The browser then draws the chart
(about 45 ms measured in JupyterLab, not included). "build the control" includes the first chart,
drawn once as static SVG (what a notebook stores). Each is run ``RUNS`` times after one
warm-up, cycling through a few control values. The target is 100 ms.

Run with ``python benchmarks/bench_widgets.py [RUNS]``.
"""

from __future__ import annotations

import atexit
import datetime as dt
import json
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from itertools import cycle
from pathlib import Path
from typing import Any

import pandas as pd

import devvolume as dv
from devvolume import teach
from devvolume.viz import ChartView, render_svg, setup

RUNS = 30
TARGET_MS = 100.0


def timed(func: Callable[[], Any], runs: int) -> tuple[float, float]:
    """Median and 95th percentile in milliseconds, after one warm-up call."""
    func()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        func()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    return statistics.median(samples), p95


def setter(control: Any, values: list[Any]) -> Callable[[], None]:
    """Set ``control`` to the next of ``values`` (fires the widget's callback)."""
    values_cycle = cycle(values)

    def move() -> None:
        control.value = next(values_cycle)

    return move


def labels_only(widget: Any, control: Any, values: list[Any]) -> Callable[[], None]:
    """Move ``control`` without its callback, then refresh the labels only (no chart)."""
    values_cycle = cycle(values)

    def move() -> None:
        control.unobserve(widget._on_change, names="value")
        control.value = next(values_cycle)
        control.observe(widget._on_change, names="value")
        widget.refresh(redraw=False)

    return move


def caller(func: Callable[..., Any], choices: list[dict[str, Any]]) -> Callable[[], None]:
    """Call ``func`` with the next keyword set of ``choices``."""
    choice_cycle = cycle(choices)

    def call() -> None:
        func(**next(choice_cycle))

    return call


def live_callback(view: ChartView, control: Any, values: list[Any]) -> Callable[[], None]:
    """Move ``control`` (its callback redraws live), then JSON-encode the state the comm sends."""
    move = setter(control, values)

    def call() -> None:
        move()
        json.dumps(view.live.get_state())

    return call


def cases() -> list[tuple[str, str, Callable[[], Any]]]:
    data = dv.load_dataset("directsales")
    log = data.worklog
    reached = dv.reached_levels(log)
    baseline = teach.baseline_from_worklog(log, targets=data.targets,
                                           model=dv.sim.CASES["directsales"].model)
    attained = dv.attainment(log, data.targets)
    levels = [0.0, 0.25, 0.5, 0.75, 1.0]
    months = [dt.date(2025, m, 1) for m in (3, 6, 9, 12)]
    callback = "full callback (live chart)"
    rows: list[tuple[str, str, Callable[[], Any]]] = []

    simulator = teach.StrategySimulator(baseline)
    training = simulator.sliders["training"]
    rows += [
        ("teach.StrategySimulator", "pure project_strategies",
         caller(lambda **kw: teach.project_strategies(baseline, **kw),
                [{"training": x, "digital": 1 - x} for x in levels])),
        ("teach.StrategySimulator", "callback up to the headline label",
         labels_only(simulator, training, levels)),
        ("teach.StrategySimulator", callback, live_callback(simulator.charts, training, levels)),
        ("teach.StrategySimulator", "build the control (first chart: static SVG, once)",
         lambda: teach.StrategySimulator(baseline)),
    ]
    team_attained = attained[attained["rep"].isin(
        data.targets.loc[data.targets["team"] == "华北一组", "rep"])]
    for scope, table in (("42 reps", attained), ("one team, 6 reps", team_attained)):
        planner = teach.IncentivePlanner(table)
        name = f"teach.IncentivePlanner ({scope})"
        accelerators = [1.0, 1.5, 2.0, 2.5]
        rows += [
            (name, "pure incentive_payouts",
             caller(lambda table=table, **kw: teach.incentive_payouts(table, **kw),
                    [{"per_customer": 300 + 100 * i, "accelerator": 1 + 0.25 * i}
                     for i in range(5)])),
            (name, "callback up to the headline label",
             labels_only(planner, planner.accelerator, accelerators)),
            (name, callback, live_callback(planner.charts, planner.accelerator, accelerators)),
        ]
    checker = teach.ChangeChecker(log)
    rows += [
        ("teach.ChangeChecker", "pure month_over_month",
         caller(lambda **kw: teach.month_over_month(log, reached=reached, **kw),
                [{"month": m, "team": t} for m in months for t in ("", "华东一组")])),
        ("teach.ChangeChecker", "callback (month; text only, no chart)",
         setter(checker.month, months)),
    ]
    explorers: list[tuple[str, Any, str, list[Any], Callable[..., Any]]] = [
        ("teach.CountingExplorer", teach.counting_explorer(log), "level",
         ["contacted", "qualified", "won"], teach.counting_comparison),
        ("teach.VolumeExplorer", teach.volume_explorer(log), "by",
         ["", "team", "rep", "channel"], teach.volume_view),
        ("teach.FunnelExplorer", teach.funnel_explorer(log), "team",
         ["", "华东一组", "华北一组"], teach.funnel_view),
        ("teach.ConversionExplorer", teach.conversion_explorer(log), "within_days",
         [0, 30, 90], teach.conversion_view),
        ("teach.FactorExplorer", teach.factor_explorer(log), "factor",
         ["channel", "team", "rep"], teach.factor_view),
    ]
    for name, explorer, control, values, pure in explorers:
        defaults = explorer.values
        rows += [
            (name, f"pure {pure.__name__} (reached given, as the control does)",
             caller(lambda pure=pure, **kw: pure(log, reached=reached, **kw),
                    [{**defaults, control: v} for v in values])),
            (name, f"{callback} ({control})",
             live_callback(explorer.chart_view, explorer.controls[control], values)),
        ]
    csv = log.to_csv(index=False).encode("utf-8")
    rows.append(("teach.WorklogPicker", "pure load_uploaded (directsales CSV, 加载 button)",
                 lambda: teach.load_uploaded("worklog.csv", csv)))
    # a manager's own file by a relative path: load it, build the lesson's control, pick teams
    folder = Path(tempfile.mkdtemp(prefix="devvolume-bench-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    (folder / "worklog.csv").write_bytes(csv)
    own = teach.own_worklog("counting", path=str(folder / "worklog.csv"))
    own.load()
    counting = own.views[0]
    rows += [
        ("teach.OwnWorklog", "加载 a path (directsales CSV) and build the counting control",
         own.load),
        ("teach.OwnWorklog", f"{callback} (team)",
         live_callback(counting.chart_view, counting.controls["team"],
                       ["华东一组", "华北一组", ""])),
    ]
    return rows


def render_floor() -> Callable[[], None]:
    """A five-bar chart with ASCII labels: what any chart costs vl-convert on this machine."""
    import altair as alt

    chart = alt.Chart(pd.DataFrame({"a": list("abcde"), "b": range(5)})).mark_bar().encode(
        x="a:N", y="b:Q")
    return lambda: render_svg(chart.to_dict())


def main(argv: list[str]) -> None:
    runs = int(argv[0]) if argv else RUNS
    setup(warn=False)
    table = []
    for widget, what, func in [*cases(), ("(reference)", "SVG of a 5-bar ASCII chart",
                                          render_floor())]:
        median, p95 = timed(func, runs)
        table.append((widget, what, median, p95))
    width = max(len(w) for w, *_ in table)
    what_width = max(len(w) for _, w, *_ in table)
    print(f"widget callbacks on directsales ({runs} runs each; target {TARGET_MS:.0f} ms)")
    print(f"{'widget':<{width}}  {'what':<{what_width}}  {'median ms':>9}  {'p95 ms':>7}  ok")
    for widget, what, median, p95 in table:
        ok = "yes" if p95 <= TARGET_MS else "NO"
        print(f"{widget:<{width}}  {what:<{what_width}}  {median:9.1f}  {p95:7.1f}  {ok}")


if __name__ == "__main__":
    main(sys.argv[1:])
