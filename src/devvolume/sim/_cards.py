"""The data cards: what each case dataset holds and shows, every figure computed by the core.

A card is Markdown: the case's words, its headline figures, the named reps against the company,
one line per column of every file, and the model's parameters. The figures come from one
:func:`~devvolume.reached_levels` table of the work log and the core's metrics on it; the card
counts nothing itself (a rep's cohort is the customers credited to the rep at first contact, a
slice of the company, never a recount on the rep's own rows).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd

from devvolume.core import (
    PeriodComparison,
    activity_counts,
    compare_periods,
    conversion_rate,
    development_volume,
    funnel,
    reached_levels,
)
from devvolume.sim._calendar import (
    FESTIVAL_AFTER_DAYS,
    FESTIVAL_AFTER_FACTOR,
    FESTIVAL_BEFORE_DAYS,
    FESTIVAL_BEFORE_FACTOR,
)
from devvolume.sim._cases import CASES, DTYPES, FRAMES, Case
from devvolume.sim._model import SalesModel
from devvolume.sim._simulate import LOST_REASONS

#: Days a contacted customer has to be won to count as converted in the cards' conversions.
CONVERSION_DAYS = 90

#: One line per column of every file, on the card.
COLUMN_NOTES: dict[str, dict[str, str]] = {
    "worklog": {
        "date": "活动日期 (working days only)",
        "rep": "销售员 who did the activity; one rep handles a customer throughout",
        "team": "团队 of the rep",
        "customer": "客户名称, unique per customer",
        "stage": "阶段 after the activity: contacted/qualified/signed/won/lost",
        "channel": "渠道 the customer came through",
        "activity": "活动类型: 电话/拜访/微信/演示/邮件/会议",
        "amount": "金额 (CNY) of the first deal, on `won` rows only",
        "note": "备注: the reason on `lost` rows, empty elsewhere",
    },
    "orders": {
        "customer": "客户名称 (a customer won inside the period)",
        "date": "order date; the first order is the won deal itself",
        "amount": "order value (CNY)",
    },
    "targets": {
        "rep": "销售员",
        "team": "团队",
        "period": "first day of the month",
        "target": "目标: new customers to win in the month",
    },
    "reps": {
        "rep": "销售员",
        "team": "团队",
        "hire_date": "入职日期",
        "tenure_months": "months employed at the start of the data",
        "skill": "the model's latent selling skill (logit units, 0 = average)",
        "capacity": "activities the rep can do per working day",
        "training_hours": "training hours by the end of the data",
        "trained_on": "date of a personal training course, if any",
    },
}


def headline(
    name: str, worklog: pd.DataFrame, *, reached: pd.DataFrame | None = None
) -> dict[str, float]:
    """Compute a case's headline figures with the core, from its reached-levels table.

    ``directsales``: teams, reps and rows of the log, customers contacted and customers won.
    ``fmcg``: new customers won in 2024 and 2025 and their ratio. ``software``: won in Apr–Jun
    and Jul–Sep, their ratio, and the 90-day cohort conversion contacted → won of the customers
    first contacted in each quarter.

    Parameters
    ----------
    name : str
        One of :func:`~devvolume.sim.list_datasets`.
    worklog : pandas.DataFrame
        The case's work log.
    reached : pandas.DataFrame, optional
        Its :func:`~devvolume.reached_levels` table, when the caller has it already.

    Returns
    -------
    dict
        Figure name to value: ``int`` counts, ``float`` ratios and rates.

    Examples
    --------
    >>> from devvolume.sim import load_dataset
    >>> headline("fmcg", load_dataset("fmcg").worklog)
    {'won_2024': 226, 'won_2025': 340, 'ratio': 1.5044247787610618}
    """
    table = reached_levels(worklog) if reached is None else reached
    if name == "fmcg":
        won = _by_period(development_volume(table, level="won", period="Y"), "volume")
        won_2024, won_2025 = int(won.get("2024-01-01", 0)), int(won.get("2025-01-01", 0))
        return {"won_2024": won_2024, "won_2025": won_2025, "ratio": won_2025 / (won_2024 or 1)}
    if name == "software":
        q2, q3 = "2025-04-01", "2025-07-01"
        won = _by_period(development_volume(table, level="won", period="Q"), "volume")
        within = conversion_rate(table, start="contacted", end="won", period="Q",
                                 within_days=CONVERSION_DAYS)  # fmt: skip
        conversion = _by_period(within, "conversion")
        won_q2, won_q3 = int(won.get(q2, 0)), int(won.get(q3, 0))
        return {
            "won_q2": won_q2, "won_q3": won_q3, "ratio": won_q3 / (won_q2 or 1),
            "conversion90_q2": float(conversion[q2]), "conversion90_q3": float(conversion[q3]),
        }  # fmt: skip
    company = funnel(table).set_index("level")["customers"]
    return {"teams": int(worklog["team"].nunique()), "reps": int(worklog["rep"].nunique()),
            "rows": len(worklog), "customers": int(company["contacted"]),
            "won": int(company["won"])}  # fmt: skip


def _by_period(result: pd.DataFrame, column: str) -> dict[str, float]:
    """Map each period's first day (``YYYY-MM-DD``) to ``column`` of a company-wide result."""
    return dict(zip(result["period"].dt.strftime("%Y-%m-%d"), result[column], strict=True))


def rep_profile(worklog: pd.DataFrame, *, reached: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per rep: activity rows, the customers credited at first contact, and how many were won.

    ``customers`` is the rep's cohort by cohort credit (the customers whose first contact was
    the rep's row), ``won`` how many of them reached ``won`` (by anyone) and ``conversion`` their
    share (:func:`~devvolume.funnel` ``by="rep"``); ``rows`` counts the rep's own activity rows
    (:func:`~devvolume.activity_counts`). Indexed by rep, in the funnel's order.

    Examples
    --------
    >>> log = pd.DataFrame({
    ...     "date": pd.to_datetime(["2026-03-30", "2026-04-02", "2026-04-03", "2026-05-07"]),
    ...     "rep": ["A", "A", "B", "B"], "team": ["T1"] * 4,
    ...     "customer": ["C1", "C1", "C2", "C3"], "stage": ["contacted", "won", "won", "lost"]})
    >>> rep_profile(log).reset_index()
      rep  rows  customers  won  conversion
    0   A     2          1    1         1.0
    1   B     2          2    1         0.5
    """
    table = reached_levels(worklog) if reached is None else reached
    cohorts = funnel(table, by="rep")
    first, won = (cohorts[cohorts["level"] == level].set_index("rep")
                  for level in ("contacted", "won"))  # fmt: skip
    rows = activity_counts(worklog, period="Y", by="rep").groupby("rep")["activities"].sum()
    profile = pd.DataFrame({"rows": rows.reindex(first.index, fill_value=0),
                            "customers": first["customers"], "won": won["customers"],
                            "conversion": won["from_first"]})  # fmt: skip
    profile.index.name = "rep"
    return profile


def _parameters(model: SalesModel) -> str:
    lines: list[str] = []
    for item in dataclasses.fields(model):
        value = getattr(model, item.name)
        if item.name == "channels":
            lines.extend(
                f"- channel `{c.name}`: share {c.share}, propensity {c.propensity:+}, "
                f"deal factor {c.deal_factor}"
                for c in value
            )
        elif item.name == "interventions":
            lines.extend(f"- intervention: lever `{i.lever}` from {i.start} at level {i.level}"
                         for i in value)  # fmt: skip
        elif item.name == "rep_specs":
            lines.extend(f"- rep `{s.rep}` (slot {s.slot}): " + ", ".join(
                f"{f.name}={getattr(s, f.name)}" for f in dataclasses.fields(s)
                if f.name not in {"slot", "rep"} and getattr(s, f.name) is not None)
                for s in value)  # fmt: skip
        else:
            lines.append(f"- `{item.name}` = {value!r}")
    return "\n".join(lines)


def _figures(name: str, worklog: pd.DataFrame, reached: pd.DataFrame) -> str:
    figures = headline(name, worklog, reached=reached)
    return "\n".join(
        f"- {key}: {value:.4f}" if isinstance(value, float) else f"- {key}: {value}"
        for key, value in figures.items()
    )


def _named_reps(case: Case, worklog: pd.DataFrame, reached: pd.DataFrame) -> list[str]:
    names = [spec.rep for spec in case.model.rep_specs]
    if not names:
        return []
    profile = rep_profile(worklog, reached=reached)
    lines = ["The named reps against the company: activity rows, the customers each rep first "
             "contacted (cohort credit), how many of them were won (by anyone) and that share:",
             "", "| rep | rows | customers | won | conversion |", "|---|---|---|---|---|"]  # fmt: skip
    for rep in [*names, "median rep"]:
        row = profile.median() if rep == "median rep" else profile.loc[rep]
        lines.append(f"| {rep} | {row['rows']:.0f} | {row['customers']:.0f} | {row['won']:.0f} "
                     f"| {row['conversion']:.3f} |")
    lines.append("")
    for spec in case.model.rep_specs:
        if spec.trained_on is None:
            continue
        change = conversion_around(reached, spec.rep, spec.trained_on,
                                   first=case.model.start, last=case.model.end)  # fmt: skip
        (won_before, before), (won_after, after) = change.before, change.after
        lines += [f"{spec.rep}'s {CONVERSION_DAYS}-day conversion contacted → won: "
                  f"{won_before / before:.3f} ({won_before}/{before}) for customers first "
                  f"contacted before {spec.trained_on}, {won_after / after:.3f} "
                  f"({won_after}/{after}) for those contacted from then until "
                  f"{CONVERSION_DAYS} days before the end (Fisher's exact test "
                  f"p = {change.p_value:.3f}).", ""]  # fmt: skip
    return lines


def conversion_around(
    reached: pd.DataFrame, rep: str, date: str, *, first: str, last: str
) -> PeriodComparison:
    """Compare a rep's 90-day cohort conversion before and after ``date`` (e.g. a training).

    The cohorts are the customers the rep was credited with at first contact from ``first`` to
    the day before ``date``, and from ``date`` to 90 days before ``last`` (so every customer had
    90 days to convert); converted means won by anyone within 90 days
    (:func:`~devvolume.compare_periods` with ``where={"rep": rep}``: a slice of the company).

    Examples
    --------
    >>> from devvolume.sim import load_dataset
    >>> data = load_dataset("directsales")
    >>> change = conversion_around(reached_levels(data.worklog), "刘洋", "2025-05-12",
    ...                            first="2025-01-01", last="2025-12-31")
    >>> change.before, change.after
    ((1, 31), (9, 38))
    """
    day = dt.date.fromisoformat(date)
    return compare_periods(
        reached,
        before=(first, day - dt.timedelta(days=1)),
        after=(day, dt.date.fromisoformat(last) - dt.timedelta(days=CONVERSION_DAYS)),
        metric="conversion",
        start="contacted",
        end="won",
        within_days=CONVERSION_DAYS,
        where={"rep": rep},
    )


def built_in_effects(case: Case) -> str:
    """List every effect the model builds in: the case's own, then those every case shares.

    A finding about one of these is the model's assumption read back, not evidence; the
    lessons' "这是模拟数据" boxes point here. The shared lines are written from the model's
    parameters and the simulator's constants, so they follow any change to them.
    """
    model = case.model
    channels = sorted(model.channels, key=lambda c: -c.propensity)
    gaps = ", ".join(f"{c.name} {c.propensity:+.2f}" for c in channels)
    reasons = "、".join(LOST_REASONS)
    shared = [
        f"- Channel gaps: each channel's propensity is a fixed logit shift ({gaps}; full on "
        "qualifying, half on signing), so the channels' conversion order is set in advance.",
        f"- Lost reasons: each `lost` row's 备注 is drawn uniformly at random from {reasons}, "
        "independent of the customer, channel and rep, so every reason is about a fifth of "
        "the lost customers and the reasons can say nothing about why customers are lost.",
        f"- Calendar: no work at weekends and statutory holidays; leads × "
        f"{FESTIVAL_BEFORE_FACTOR} in the {FESTIVAL_BEFORE_DAYS} days before the Spring "
        f"Festival and × {FESTIVAL_AFTER_FACTOR} in the {FESTIVAL_AFTER_DAYS} days after it.",
        f"- Market index: trend {model.market_trend:+.0%} a year, a seasonal wave of "
        f"± {model.market_amplitude:.0%} (highest around June), day-to-day noise of "
        f"{model.market_volatility:.0%}; it scales leads and shifts every step's logit.",
        f"- Team market potential: drawn log-normal (sd {model.team_potential_sd}); reps' "
        f"skill drawn normal (sd {model.skill_sd}); skilled reps need fewer repeat contacts.",
        "- Activity types (电话, 拜访, …) are drawn by channel and stage; they cause nothing.",
    ]
    return "\n".join([case.assumed, *shared] if case.assumed else shared)


def data_card(name: str, frames: dict[str, pd.DataFrame]) -> str:
    """Write the Markdown data card of dataset ``name`` from its frames.

    Every figure on it comes from the core, on one reached-levels table of the work log.
    """
    case = CASES[name]
    worklog = frames["worklog"]
    reached = reached_levels(worklog)
    parts = [
        f"# {case.title}",
        "",
        case.about,
        "",
        "Simulated with `devvolume.sim` (a seeded generative model of a direct-sales "
        "team); every name is made up. Regenerate every file here, this card included, byte "
        "for byte with:",
        "",
        "```",
        f"python -m devvolume.sim {name} datasets/{name}",
        "```",
        "",
        "## What it shows",
        "",
        case.shows,
        "",
        "Headline figures, computed from `worklog.csv` by devvolume's core on one "
        "`dv.reached_levels` table (a customer counts on the date it first reached a level, "
        "credited to the rep on the row that set that date):",
        "",
        _figures(name, worklog, reached),
        "",
        *_named_reps(case, worklog, reached),
        "## Built-in effects: what the model assumed",
        "",
        "These effects were put into the simulator, so the data can only show them back. "
        "A lesson that finds one of them has found an assumption, not evidence.",
        "",
        built_in_effects(case),
        "",
        "## Files",
    ]
    for frame in FRAMES:
        data = frames[frame]
        parts += ["", f"### `{frame}.csv`: {len(data)} rows × {data.shape[1]} columns", ""]
        parts += [f"- `{col}` ({DTYPES[frame][col]}): {COLUMN_NOTES[frame][col]}"
                  for col in data.columns]  # fmt: skip
    parts += ["", "## Model parameters", "", _parameters(case.model), ""]
    return "\n".join(parts)
