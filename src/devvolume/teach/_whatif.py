"""What-if controls: a strategy simulator (lesson 05) and an incentive planner (lesson 06).

Both follow one rule: the widget only moves numbers around, and a pure function does the work.
:func:`project_strategies` turns four strategy levels (精准定位, 优化流程, 培训, 数字营销) into the
team's projected monthly development volume, target attainment, cost and the value of the
extra customers. It takes the *lifts* from the simulator's expected-value projection
(:func:`devvolume.project`) and applies them to a :class:`Baseline` measured on a real work log
(a team's figures are its slice of the company's), so a manager can ask "what if" of their own
team. :func:`incentive_payouts` prices a per-customer bonus with an accelerator above 100 %
attainment for every rep, through :func:`devvolume.incentive_payout`.

The widgets show their charts in a :class:`devvolume.viz.ChartView`: the first as offline
SVG in an ``HTML`` widget (what a built notebook stores and an export shows), and, once the
learner moves a control, every later one drawn live by JupyterLab's own Vega-Lite renderer.
Labels are ``HTML`` widgets, so a headless run stores no stray outputs and a browser test can
read them (CSS classes
:data:`PROJECTED_VOLUME_CLASS`, ``dv-strategy-<code>``, ``dv-incentive-total``,
and ``dv-month-change`` in :mod:`devvolume.teach._change`).
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

import ipywidgets as widgets
import pandas as pd

from devvolume.core import development_volume, incentive_payout, reached_levels
from devvolume.sim import Projection, SalesModel, project
from devvolume.teach._views import check_team
from devvolume.teach._widgets import Described
from devvolume.viz import ChartView

#: The four strategies of syllabus section 四: slider code → label.
STRATEGIES: dict[str, str] = {
    "targeting": "精准定位",
    "process": "优化流程",
    "training": "培训",
    "digital": "数字营销",
}
#: CSS class of the headline label, so a browser test can find it.
PROJECTED_VOLUME_CLASS = "dv-projected-volume"
#: Headline text before the number; the browser test reads the number after it.
PROJECTED_VOLUME_TEXT = "预计每月新成交客户："
#: A setup cost is spread over this many months when it is set against monthly value.
SETUP_PAYBACK_MONTHS = 12
#: Bounds of the assumption controls: effect size (share of the model's effect) and ramp-up.
EFFECT_RANGE = (0.0, 2.0)
RAMP_MAX_MONTHS = 12


def ramp_share(ramp_months: float, horizon: float = SETUP_PAYBACK_MONTHS) -> float:
    """Average share of the full effect over the first ``horizon`` months of a linear ramp-up.

    A plan whose effect grows evenly from nothing to full over ``ramp_months`` gives, on
    average over the first year, ``1 - ramp / 24`` of its full effect (``6 / ramp`` past a
    year). Its costs run from the first day.

    Examples
    --------
    >>> ramp_share(0), ramp_share(3), ramp_share(12), ramp_share(24)
    (1.0, 0.875, 0.5, 0.25)
    """
    if ramp_months < 0:
        msg = f"Ramp-up {ramp_months!r} months is negative. Hint: 0 means full effect at once."
        raise ValueError(msg)
    if ramp_months <= horizon:
        return 1.0 - ramp_months / (2.0 * horizon)
    return horizon / (2.0 * ramp_months)

_MEASURES: tuple[str, ...] = (
    "每月新接触客户",
    "每月新成交客户",
    "目标达成率",
    "每月成本（元）",
    "新增客户价值（元/月）",
    "净收益（元/月）",
)


@dataclass(frozen=True)
class Baseline:
    """The team a what-if starts from.

    Attributes
    ----------
    contacted_per_month, won_per_month : float
        Observed new customers per month (first contact, first win).
    target_per_month : float
        The team's monthly target of new customers won.
    reps : int
        Head count; running costs are per rep.
    model : devvolume.SalesModel
        The simulator model whose expected lifts are applied. Its size sets the scale of its
        costs, which are scaled to ``reps``.
    history : pandas.DataFrame, optional
        Observed new customers won per month (``period, volume``), drawn by the what-if chart;
        without it the chart shows twelve average months.
    """

    contacted_per_month: float
    won_per_month: float
    target_per_month: float
    reps: int
    model: SalesModel = field(default_factory=SalesModel)
    history: pd.DataFrame | None = field(default=None, compare=False, repr=False)

    def monthly(self) -> pd.DataFrame:
        """Return the observed months (``period, volume``), or twelve average months."""
        if self.history is not None and not self.history.empty:
            return self.history[["period", "volume"]].reset_index(drop=True)
        periods = pd.date_range(self.model.start, periods=12, freq="MS")
        return pd.DataFrame({"period": periods, "volume": self.won_per_month})


def baseline_from_worklog(
    log: pd.DataFrame,
    *,
    targets: pd.DataFrame | None = None,
    team: str = "",
    model: SalesModel | None = None,
    reached: pd.DataFrame | None = None,
) -> Baseline:
    """Measure a :class:`Baseline` on a work log (and its targets, when there are any).

    Parameters
    ----------
    log : pandas.DataFrame
        The company's canonical work log.
    targets : pandas.DataFrame, optional
        ``rep, team, period, target`` (new customers won per month). Without it the target is
        the observed monthly volume, so attainment starts at 100 %.
    team : str
        Measure this team: its slice of the company's monthly volumes (the customers credited
        to it), its reps and its targets; ``""`` means the whole company.
    model : devvolume.SalesModel, optional
        The simulator model for the lifts; the default company model.
    reached : pandas.DataFrame, optional
        ``dv.reached_levels(log)``, when the caller has it already.

    Examples
    --------
    >>> log = pd.DataFrame({
    ...     "date": pd.to_datetime(["2026-03-02", "2026-03-05", "2026-04-01", "2026-04-09"]),
    ...     "rep": ["A", "B", "A", "B"], "team": ["T1"] * 4,
    ...     "customer": ["C1", "C2", "C3", "C2"],
    ...     "stage": ["contacted", "contacted", "won", "won"]})
    >>> b = baseline_from_worklog(log)
    >>> b.contacted_per_month, b.won_per_month, b.target_per_month, b.reps
    (1.5, 1.0, 1.0, 2)
    """
    check_team(log, team)
    table = reached_levels(log) if reached is None else reached
    by = "team" if team else None
    volumes = {}
    for level in ("contacted", "won"):
        monthly = development_volume(table, level=level, period="M", by=by)
        if team:
            monthly = monthly[monthly["team"] == team].drop(columns="team")
        volumes[level] = monthly.reset_index(drop=True)
    # head count is a roster, read from the log's rows (never a count of new customers)
    reps = log.loc[log["team"] == team, "rep"] if team else log["rep"]
    if targets is not None and team:
        targets = targets[targets["team"] == team]
    won = volumes["won"]
    won_per_month = float(won["volume"].mean()) if len(won) else 0.0
    if targets is not None and not targets.empty:
        target = float(targets.groupby("period")["target"].sum().mean())
    else:
        target = won_per_month
    contacted = volumes["contacted"]
    return Baseline(
        contacted_per_month=float(contacted["volume"].mean()) if len(contacted) else 0.0,
        won_per_month=won_per_month,
        target_per_month=target,
        reps=int(reps.nunique()),
        model=model or SalesModel(),
        history=won,
    )


@dataclass(frozen=True)
class StrategyProjection:
    """What a strategy mix is expected to do for a team, per month (money in CNY)."""

    levels: dict[str, float]
    baseline: Baseline
    contacted: float
    won: float
    attainment: float
    baseline_attainment: float
    setup_cost: float
    monthly_cost: float
    value_per_customer: float
    extra_value_per_month: float
    net_value_per_month: float
    effect: float = 1.0
    ramp_months: float = 0.0

    @property
    def headline(self) -> str:
        """The label a manager reads first, e.g. ``预计每月新成交客户：123.4``."""
        return f"{PROJECTED_VOLUME_TEXT}{self.won:.1f}"

    @property
    def monthly(self) -> pd.DataFrame:
        """Month by month: observed new wins (``baseline``) and the same months under the plan."""
        months = self.baseline.monthly()
        lift = self.won / self.baseline.won_per_month if self.baseline.won_per_month else 1.0
        return pd.DataFrame({"period": months["period"], "baseline": months["volume"],
                             "scenario": months["volume"] * lift})  # fmt: skip

    @property
    def money(self) -> pd.DataFrame:
        """The plan's money per month (元): cost, value of the extra customers, net value."""
        cost = self.monthly_cost + self.setup_cost / SETUP_PAYBACK_MONTHS
        return pd.DataFrame({"item": ["每月成本", "新增客户价值", "净收益"],
                             "amount": [cost, self.extra_value_per_month,
                                        self.net_value_per_month]})  # fmt: skip

    @property
    def table(self) -> pd.DataFrame:
        """Return 现状 against 方案 for every measure, in a fixed order."""
        base = self.baseline
        cost = self.monthly_cost + self.setup_cost / SETUP_PAYBACK_MONTHS
        now = [base.contacted_per_month, base.won_per_month, self.baseline_attainment,
               0.0, 0.0, 0.0]  # fmt: skip
        then = [self.contacted, self.won, self.attainment, cost, self.extra_value_per_month,
                self.net_value_per_month]  # fmt: skip
        frame = pd.DataFrame({"指标": list(_MEASURES), "现状": now, "方案": then})
        frame["变化"] = frame["方案"] - frame["现状"]
        return frame


def project_strategies(
    baseline: Baseline,
    targeting: float = 0.0,
    process: float = 0.0,
    training: float = 0.0,
    digital: float = 0.0,
    *,
    database: float = 0.0,
    effect: float = 1.0,
    value_per_customer: float | None = None,
    ramp_months: float = 0.0,
) -> StrategyProjection:
    """Project a team's month under a mix of the four strategies.

    The simulator's expected-value projection gives how much each level lifts new contacts
    and new wins; the lifts are applied to the observed ``baseline``. Costs are the model's,
    scaled to the team's head count; the setup cost is spread over
    :data:`SETUP_PAYBACK_MONTHS` months in the net value.

    The lifts, the value of a customer and the time to take effect are the model's
    assumptions, so they are parameters: a learner can ask how the answer moves with them.

    Parameters
    ----------
    baseline : Baseline
        The team as it is (see :func:`baseline_from_worklog`).
    targeting, process, training, digital : float
        Effort on 精准定位, 优化流程, 培训 and 数字营销, from 0 (none) to 1 (full).
    database : float
        Effort on the customer-development database (客户开发数据库), 0 to 1.
    effect : float
        Share of the model's assumed lifts that comes true (1: as assumed, 0.5: half).
    value_per_customer : float, optional
        Value of one new customer (元); None uses the model's lifetime gross margin.
    ramp_months : float
        Months for the effect to grow from nothing to full; the volumes are the first year's
        average (see :func:`ramp_share`), the costs run from the first day.

    Returns
    -------
    StrategyProjection

    Examples
    --------
    >>> base = Baseline(contacted_per_month=400, won_per_month=80, target_per_month=100, reps=42)
    >>> now = project_strategies(base)
    >>> now.won, now.attainment, now.monthly_cost
    (80.0, 0.8, 0.0)
    >>> trained = project_strategies(base, training=1.0)
    >>> trained.won > now.won and trained.monthly_cost > 0
    True
    >>> trained.headline.startswith("预计每月新成交客户：")
    True
    >>> slow = project_strategies(base, training=1.0, ramp_months=12, effect=0.5)
    >>> round(slow.won - 80, 6) == round((trained.won - 80) * 0.5 * 0.5, 6)
    True
    """
    levels = {"targeting": targeting, "process": process, "training": training,
              "digital": digital, "database": database}  # fmt: skip
    for code, level in levels.items():
        if not 0.0 <= level <= 1.0:
            msg = (f"Strategy level {code}={level!r} is outside 0–1. "
                   "Hint: 1 means full effort; give 0.5 for 50 %.")  # fmt: skip
            raise ValueError(msg)
    low, high = EFFECT_RANGE
    if not low <= effect <= high:
        msg = f"Effect size {effect!r} is outside {low}–{high}. Hint: 1 means as the model assumes."
        raise ValueError(msg)
    if value_per_customer is not None and value_per_customer < 0:
        msg = f"Value per customer {value_per_customer!r} is negative. Hint: give 元, e.g. 10000."
        raise ValueError(msg)
    model = baseline.model
    p: Projection = project(model, **levels)
    realised = effect * ramp_share(ramp_months)
    won = baseline.won_per_month * (1.0 + realised * (p.won / p.baseline_won - 1.0))
    contacted = baseline.contacted_per_month * (
        1.0 + realised * (p.contacted / p.baseline_contacted - 1.0))
    scale = baseline.reps / (model.teams * model.reps_per_team)
    setup, monthly = p.setup_cost * scale, p.monthly_cost * scale
    value = p.value_per_customer if value_per_customer is None else float(value_per_customer)
    extra = (won - baseline.won_per_month) * value
    target = baseline.target_per_month
    return StrategyProjection(
        levels=levels, baseline=baseline, contacted=contacted, won=won,
        attainment=won / target if target else float("nan"),
        baseline_attainment=baseline.won_per_month / target if target else float("nan"),
        setup_cost=setup, monthly_cost=monthly, value_per_customer=value,
        extra_value_per_month=extra,
        net_value_per_month=extra - monthly - setup / SETUP_PAYBACK_MONTHS,
        effect=effect, ramp_months=ramp_months,
    )  # fmt: skip


class StrategySimulator(Described, widgets.VBox):
    """Four strategy sliders, a headline label, a table and a chart, for one :class:`Baseline`.

    Moving a slider calls :func:`project_strategies` and redraws; the headline label carries
    the CSS class :data:`PROJECTED_VOLUME_CLASS` and reads ``预计每月新成交客户：123.4``. Each
    slider carries the class ``dv-strategy-<code>`` (``dv-strategy-training`` …), so a browser
    test can find it.
    """

    what = "策略模拟器"

    def __init__(self, baseline: Baseline, *, title: str = "方案与现状对比", effect: float = 1.0,
                 value_per_customer: float | None = None, ramp_months: float = 0.0) -> None:
        self.baseline = baseline
        self.title = title
        model_value = project(baseline.model).value_per_customer
        style = {"description_width": "8em"}
        layout = widgets.Layout(width="460px")
        # the model's assumptions, as controls: the answer moves with them
        self.assumptions = {
            "effect": widgets.FloatSlider(
                value=effect, min=EFFECT_RANGE[0], max=EFFECT_RANGE[1], step=0.05,
                description="效果打几折", readout_format=".0%", continuous_update=False,
                style=style, layout=layout),
            "value_per_customer": widgets.FloatSlider(
                value=model_value if value_per_customer is None else value_per_customer,
                min=0.0, max=max(50_000.0, 2 * model_value), step=500.0,
                description="每个新客户值（元）", readout_format=",.0f",
                continuous_update=False, style=style, layout=layout),
            "ramp_months": widgets.FloatSlider(
                value=ramp_months, min=0.0, max=RAMP_MAX_MONTHS, step=1.0,
                description="几个月见效", readout_format=".0f", continuous_update=False,
                style=style, layout=layout),
        }  # fmt: skip
        self.sliders = {
            code: widgets.FloatSlider(
                value=0.0, min=0.0, max=1.0, step=0.05, description=label,
                readout_format=".0%", continuous_update=False,
                style={"description_width": "5em"}, layout=widgets.Layout(width="420px"))
            for code, label in STRATEGIES.items()
        }  # fmt: skip
        self.headline = widgets.HTML()
        self.headline.add_class(PROJECTED_VOLUME_CLASS)
        self.details = widgets.HTML()
        self.charts = ChartView()
        for code, slider in self.sliders.items():
            slider.add_class(f"dv-strategy-{code}")
            slider.observe(self._on_change, names="value")
        for code, control in self.assumptions.items():
            control.add_class(f"dv-assumption-{code}")
            control.observe(self._on_change, names="value")
        heading = widgets.HTML("<b>假设（可以改）：</b>")
        super().__init__([*self.sliders.values(), heading, *self.assumptions.values(),
                          self.headline, self.details, self.charts])  # fmt: skip
        self.refresh()

    @property
    def projection(self) -> StrategyProjection:
        """The projection at the sliders' current levels and the assumption controls' values."""
        return project_strategies(self.baseline, **{c: s.value for c, s in self.sliders.items()},
                                  **{c: s.value for c, s in self.assumptions.items()})

    def refresh(self, *, redraw: bool = True, live: bool = False) -> StrategyProjection:
        """Recompute, update the labels, then redraw the charts; returns the projection.

        The labels are set first: each assignment reaches the browser at once, so the headline
        moves first and the charts follow. ``live`` (set by the sliders' callback) hands the
        charts to JupyterLab's renderer instead of rendering SVG here.
        """
        result = self.projection
        self.headline.value = f"<h3 style='margin:4px 0'>{html.escape(result.headline)}</h3>"
        self.details.value = html.escape(_details(result))
        if redraw:
            from devvolume.viz import combine

            # one chart of both: the static SVG's cost is mostly per vl-convert call
            self.charts.show(combine(strategy_chart(result, title=self.title),
                                     money_chart(result)), live=live)  # fmt: skip
        return result

    def _on_change(self, _change: Any) -> None:
        self.refresh(live=True)


def _details(result: StrategyProjection) -> str:
    base = result.baseline
    cost = result.monthly_cost + result.setup_cost / SETUP_PAYBACK_MONTHS
    return (f"现状 {base.won_per_month:.1f}，目标 {base.target_per_month:.1f}；"
            f"目标达成率 {result.baseline_attainment:.0%} → {result.attainment:.0%}；"
            f"每月成本 {cost:,.0f} 元，新增客户价值 {result.extra_value_per_month:,.0f} 元/月，"
            f"净收益 {result.net_value_per_month:,.0f} 元/月（假设：效果按模型的 {result.effect:.0%}，"
            f"每个新客户 {result.value_per_customer:,.0f} 元，{result.ramp_months:.0f} 个月见效；"
            f"数字是头一年的月平均）")


def strategy_chart(result: StrategyProjection, *, title: str = "方案与现状对比") -> Any:
    """Draw a projection: new customers per month, 现状 against 方案, by :mod:`devvolume.viz`.

    Examples
    --------
    >>> base = Baseline(contacted_per_month=400, won_per_month=80, target_per_month=100, reps=42)
    >>> spec = strategy_chart(project_strategies(base, training=1.0), title="示例").to_dict()
    >>> spec["title"]
    '示例'
    """
    from devvolume.viz import whatif_comparison

    return whatif_comparison(result.monthly, period="M", title=title,
                             y_title="新成交客户（个）")  # fmt: skip


def money_chart(result: StrategyProjection, *, title: str = "每月成本与新增客户价值（元）") -> Any:
    """Draw the plan's monthly cost, the value of its extra customers and the net value.

    Examples
    --------
    >>> base = Baseline(contacted_per_month=400, won_per_month=80, target_per_month=100, reps=42)
    >>> spec = money_chart(project_strategies(base, digital=1.0)).to_dict()
    >>> spec["title"], spec["encoding"]["y"]["title"]
    ('每月成本与新增客户价值（元）', '项目')
    """
    import altair as alt

    from devvolume.viz import MAIN_COLOR, MUTED_COLOR, TARGET_COLOR

    items = ["每月成本", "新增客户价值", "净收益"]
    colours = [TARGET_COLOR, MAIN_COLOR, MUTED_COLOR]
    chart = alt.Chart(result.money).mark_bar().encode(
        y=alt.Y("item:N", title="项目", sort=items),
        x=alt.X("amount:Q", title="元 / 月", axis=alt.Axis(format=",.0f")),
        color=alt.Color("item:N", sort=items, legend=None,
                        scale=alt.Scale(domain=items, range=colours)),
        tooltip=[alt.Tooltip("item:N", title="项目"),
                 alt.Tooltip("amount:Q", title="元 / 月", format=",.0f")])  # fmt: skip
    return _finish(chart, title, height=110)


def _finish(chart: Any, title: str, *, width: int = 480, height: int = 280) -> Any:
    """Title, size and the CJK font, as every devvolume chart has them."""
    from devvolume.viz import FONT_STACK

    return (chart.properties(title=title, width=width, height=height)
            .configure(font=FONT_STACK).configure_title(anchor="start", fontSize=15)
            .configure_view(stroke=None))  # fmt: skip


#: Slider defaults of the incentive planner (元 per new customer; multiplier above target).
DEFAULT_BONUS = 500.0
DEFAULT_ACCELERATOR = 1.5


@dataclass(frozen=True)
class IncentivePlan:
    """Each rep's payout under one bonus and accelerator, with the plan's totals."""

    per_customer: float
    accelerator: float
    table: pd.DataFrame

    @property
    def total(self) -> float:
        """Total payout (元)."""
        return float(self.table["payout"].sum())

    @property
    def new_customers(self) -> int:
        """New customers won by the reps in the plan."""
        return int(self.table["actual"].sum())

    @property
    def cost_per_customer(self) -> float:
        """Payout per new customer won (元); NaN with no customers."""
        return self.total / self.new_customers if self.new_customers else float("nan")

    @property
    def headline(self) -> str:
        """One line for a manager: the total and what a new customer costs."""
        return (f"奖金总额：{self.total:,.0f} 元；新成交客户 {self.new_customers} 个，"
                f"平均每个 {self.cost_per_customer:,.0f} 元")  # fmt: skip


def incentive_payouts(
    attained: pd.DataFrame,
    *,
    per_customer: float = DEFAULT_BONUS,
    accelerator: float = DEFAULT_ACCELERATOR,
    period: str | pd.Timestamp | None = None,
) -> IncentivePlan:
    """Price a per-customer bonus with an accelerator above 100 % of target, rep by rep.

    Each period is paid on its own (:func:`devvolume.incentive_payout` with one tier at
    100 %): a new customer up to the target earns ``per_customer``, each one above it earns
    ``per_customer × accelerator``. The periods are then added up per rep.

    Parameters
    ----------
    attained : pandas.DataFrame
        The result of :func:`devvolume.attainment` (``period, rep, target, actual, …``).
    per_customer : float
        Bonus per new customer up to the target (元).
    accelerator : float
        Multiplier for the customers above the target; 1 is a flat rate.
    period : str or Timestamp, optional
        Pay only this period (its first day, e.g. ``"2025-06-01"``); None pays all of them.

    Returns
    -------
    IncentivePlan
        ``table`` has ``rep, target, actual, attainment, payout``, the best paid first.

    Examples
    --------
    >>> table = pd.DataFrame({"period": pd.to_datetime(["2025-06-01"] * 2),
    ...                       "rep": ["A", "B"], "target": [4, 4], "actual": [6, 3]})
    >>> plan = incentive_payouts(table, per_customer=100, accelerator=2)
    >>> plan.table[["rep", "payout"]].to_dict("list")
    {'rep': ['A', 'B'], 'payout': [800.0, 300.0]}
    >>> plan.total, plan.new_customers
    (1100.0, 9)
    """
    if per_customer < 0 or accelerator < 0:
        msg = (f"Bonus {per_customer!r} and accelerator {accelerator!r} must not be negative. "
               "Hint: an accelerator of 1 pays the same rate above the target.")  # fmt: skip
        raise ValueError(msg)
    by = "team" if "rep" not in attained.columns else "rep"
    frame = attained
    if period is not None:
        frame = frame[frame["period"] == pd.Timestamp(period)]
        if frame.empty:
            known = ", ".join(f"{p:%Y-%m-%d}" for p in sorted(attained["period"].unique()))
            msg = f"No targets for period {period!r}. Periods with targets: {known}."
            raise ValueError(msg)
    paid = incentive_payout(frame, per_customer=per_customer,
                            tiers=((1.0, accelerator),))  # fmt: skip
    table = paid.groupby(by, as_index=False)[["target", "actual", "payout"]].sum()
    table["attainment"] = (table["actual"] / table["target"]).where(table["target"] > 0)
    table = table[[by, "target", "actual", "attainment", "payout"]]
    table = table.sort_values(["payout", by], ascending=[False, True], ignore_index=True)
    return IncentivePlan(per_customer=per_customer, accelerator=accelerator, table=table)


class IncentivePlanner(Described, widgets.VBox):
    """Bonus and accelerator sliders (and a period menu) over an attainment table.

    Moving a control calls :func:`incentive_payouts` and redraws the payout chart.
    """

    what = "激励方案小工具"

    def __init__(self, attained: pd.DataFrame, *, title: str = "每位销售员的奖金") -> None:
        self.attained = attained
        self.title = title
        periods = sorted(pd.Timestamp(p) for p in attained["period"].unique())
        self.period = widgets.Dropdown(
            options=[("全部月份", None), *((f"{p:%Y-%m}", p) for p in periods)],
            value=None, description="周期", style={"description_width": "5em"})  # fmt: skip
        self.bonus = widgets.FloatSlider(
            value=DEFAULT_BONUS, min=0, max=2000, step=50, description="每客户奖金",
            readout_format=",.0f", continuous_update=False, style={"description_width": "5em"},
            layout=widgets.Layout(width="420px"))  # fmt: skip
        self.accelerator = widgets.FloatSlider(
            value=DEFAULT_ACCELERATOR, min=1.0, max=3.0, step=0.1, description="超额加速",
            readout_format=".1f", continuous_update=False, style={"description_width": "5em"},
            layout=widgets.Layout(width="420px"))  # fmt: skip
        self.headline = widgets.HTML()
        self.headline.add_class("dv-incentive-total")
        self.charts = ChartView()
        for control in (self.period, self.bonus, self.accelerator):
            control.observe(self._on_change, names="value")
        super().__init__([self.period, self.bonus, self.accelerator, self.headline,
                          self.charts])  # fmt: skip
        self.refresh()

    @property
    def plan(self) -> IncentivePlan:
        """The plan at the controls' current values."""
        return incentive_payouts(self.attained, per_customer=self.bonus.value,
                                 accelerator=self.accelerator.value,
                                 period=self.period.value)  # fmt: skip

    def refresh(self, *, redraw: bool = True, live: bool = False) -> IncentivePlan:
        """Recompute, update the headline, then redraw the chart; returns the plan.

        ``live`` (set by the controls' callback) hands the chart to JupyterLab's renderer.
        """
        plan = self.plan
        self.headline.value = f"<h3 style='margin:4px 0'>{html.escape(plan.headline)}</h3>"
        if redraw:
            self.charts.show(payout_chart(plan, title=self.title), live=live)
        return plan

    def _on_change(self, _change: Any) -> None:
        self.refresh(live=True)


def payout_chart(plan: IncentivePlan, *, title: str = "每位销售员的奖金") -> Any:
    """Draw each rep's payout, the best paid on top.

    Examples
    --------
    >>> table = pd.DataFrame({"period": pd.to_datetime(["2025-06-01"] * 2),
    ...                       "rep": ["A", "B"], "target": [4, 4], "actual": [6, 3]})
    >>> spec = payout_chart(incentive_payouts(table)).to_dict()
    >>> spec["title"], spec["layer"][0]["encoding"]["x"]["title"]
    ('每位销售员的奖金', '奖金（元）')
    """
    import altair as alt

    from devvolume.viz import MAIN_COLOR

    order = plan.table["rep"].astype(str).tolist()
    base = alt.Chart(plan.table).encode(y=alt.Y("rep:N", title="销售员", sort=order))
    bars = base.mark_bar(color=MAIN_COLOR).encode(
        x=alt.X("payout:Q", title="奖金（元）", axis=alt.Axis(format=",.0f")),
        tooltip=[alt.Tooltip("rep:N", title="销售员"),
                 alt.Tooltip("payout:Q", title="奖金（元）", format=",.0f"),
                 alt.Tooltip("actual:Q", title="新成交客户"),
                 alt.Tooltip("target:Q", title="目标")])  # fmt: skip
    text = base.mark_text(align="left", dx=4).encode(
        x="payout:Q", text=alt.Text("payout:Q", format=",.0f"))
    return _finish(alt.layer(bars, text), title, height=max(120, 22 * len(order)))
