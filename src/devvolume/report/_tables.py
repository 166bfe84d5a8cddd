"""Tables and names of a report: the volume table, the step-rate table, targets, peer names.

:func:`volume_table` sets this period's volume at every level against the comparison window
(labelled by :func:`~devvolume.report.window_labels`) and won against target;
:func:`step_table` puts funnel step rates side by side; :func:`period_target` sums the targets of
a team or rep in the report period; :func:`anonymise` shows peers in a personal report as 同事A,
同事B….
"""

from __future__ import annotations

import html
import string
from collections.abc import Collection, Mapping, Sequence
from typing import Any, Literal

import pandas as pd

from devvolume.core import LEVELS, STAGE_LABELS, period_window
from devvolume.report._data import Company
from devvolume.report._figures import PeriodFigures, window_labels

STEP_NAMES = {
    "zh": {"contacted": "获取新客户（首次接触）", "qualified": "首次接触 → 意向",
           "signed": "意向 → 签约", "won": "签约 → 成交"},
    "en": {"contacted": "finding new customers (first contacts)",
           "qualified": "contacted → qualified", "signed": "qualified → signed",
           "won": "signed → won"},
}  # fmt: skip


def anonymise(names: Sequence[str], *, keep: str = "", lang: str = "zh") -> dict[str, str]:
    """Map peers to 同事A, 同事B… (in name order); ``keep`` keeps its own name.

    Examples
    --------
    >>> anonymise(["王芳", "李强", "陈静"], keep="陈静")
    {'李强': '同事A', '王芳': '同事B', '陈静': '陈静'}
    >>> anonymise(["b", "a"], lang="en")
    {'a': 'Peer A', 'b': 'Peer B'}
    """
    prefix = "同事" if lang == "zh" else "Peer "
    letters = string.ascii_uppercase
    mapping = {}
    peers = sorted(name for name in set(names) if name != keep)
    for number, name in enumerate(peers):
        suffix = letters[number % 26] + (str(number // 26) if number >= 26 else "")
        mapping[name] = f"{prefix}{suffix}"
    if keep in set(names):
        mapping[keep] = keep
    return mapping


def period_target(targets: pd.DataFrame | None, *, day: Any, period: str, **where: str
                  ) -> int | None:  # fmt: skip
    """Sum the targets of one team or rep (``where``) whose period lies in the report period.

    Targets are set per rep and month: a team's target is the sum of its reps' targets, a
    quarter's the sum of its months'. A week has no target (a monthly target cannot be cut into
    weeks), and neither has a period with no target rows: both give ``None``.

    Examples
    --------
    >>> plan = pd.DataFrame({"rep": ["A", "B", "A"], "team": ["T", "T", "T"],
    ...                      "period": pd.to_datetime(["2026-03-01", "2026-04-01", "2026-04-01"]),
    ...                      "target": [5, 7, 2]})
    >>> period_target(plan, day="2026-04-18", period="M", team="T")
    9
    >>> period_target(plan, day="2026-04-18", period="Q", rep="A"), period_target(plan, day="2026-04-18", period="W")
    (2, None)
    """
    if targets is None or period == "W":
        return None
    window = period_window(day, period)
    inside = targets[(targets["period"] >= pd.Timestamp(window.first))
                     & (targets["period"] <= pd.Timestamp(window.last))]  # fmt: skip
    for column, value in where.items():
        inside = inside[inside[column] == value]
    return int(inside["target"].sum()) if not inside.empty else None


def volume_table(figures: PeriodFigures, *, text: dict[str, str], lang: Literal["zh", "en"] = "zh",
                 levels: Sequence[str] = LEVELS) -> pd.DataFrame:  # fmt: skip
    """Tabulate each level's volume this period against the comparison window, and won against target.

    The two window columns are labelled by :func:`~devvolume.report.window_labels`: "本期至今"
    and "上期同样天数" while the period is running, "本期" and "上期" once it is over. A level
    the data cover only in part in the period before shows "—" there (never a raw count of fewer
    days): :func:`~devvolume.report.coverage_note` says what was compared instead. ``text``
    holds the other column labels (keys ``level, delta, target, attain``).

    Examples
    --------
    >>> from devvolume.report._data import load_company
    >>> from devvolume.report._figures import period_figures
    >>> figures = period_figures(load_company("software", as_of="2025-03-18"), period="M",
    ...                          team="华东一组", target=8)
    >>> labels = {key: key for key in ("level", "delta", "target", "attain")}
    >>> list(volume_table(figures, text=labels, levels=["won"]).columns)
    ['本期至今', '上期同样天数', 'delta', 'target', 'attain']
    """
    from devvolume.viz import label

    now_label, before_label = window_labels(figures.comparison, period=figures.period, lang=lang)
    rows = []
    for level in levels:
        now, before = figures.now[level], figures.before[level]
        goal = figures.target if level == "won" else None
        rows.append({
            text["level"]: label(level, lang), now_label: now,
            before_label: "—" if before is None else before,
            text["delta"]: "—" if before is None else f"{now - before:+d}",
            text["target"]: "—" if goal is None else goal,
            text["attain"]: "—" if not goal else f"{now / goal:.0%}",
        })  # fmt: skip
    return pd.DataFrame(rows).set_index(text["level"])


def step_table(funnels: Mapping[str, pd.DataFrame], win_rates: Mapping[str, float | None], *,
               step: str, win_rate: str, lang: Literal["zh", "en"] = "zh",
               recorded: Collection[str] | None = None) -> pd.DataFrame:  # fmt: skip
    """Tabulate the funnel's step rates (and the win rate) side by side, one column per funnel.

    ``funnels`` maps a column label to a :func:`devvolume.funnel` result (one group's rows, or
    the company's); ``win_rates`` the same labels to a win rate. ``step`` and ``win_rate`` are
    the labels of the first column and of the last row. ``recorded`` (see
    :func:`recorded_levels`): a step into or out of a level no row of the log names shows "—",
    as its rate says nothing (a log without 签约 rows counts every won customer as signed, so
    签约 → 成交 would always be 100 %); :func:`unrecorded_note` says so under the table.

    Examples
    --------
    >>> company = pd.DataFrame({"level": ["contacted", "qualified", "signed", "won"],
    ...                         "from_previous": [None, 0.5, 0.5, 0.8]})
    >>> table = step_table({"全公司": company}, {"全公司": 0.3}, step="环节", win_rate="赢单率")
    >>> table["全公司"].to_dict()
    {'首次接触 → 意向': '50.0%', '意向 → 签约': '50.0%', '签约 → 成交': '80.0%', '赢单率': '30.0%'}
    """
    def share(value: Any) -> str:
        return "—" if value is None or pd.isna(value) else f"{value:.1%}"

    names = [STEP_NAMES[lang][level] for level in LEVELS[1:]]
    missing = set() if recorded is None else set(LEVELS[1:-1]) - set(recorded)
    unknown = {level for index, level in enumerate(LEVELS[1:], start=1)
               if level in missing or LEVELS[index - 1] in missing}  # fmt: skip
    table = pd.DataFrame({step: [*names, win_rate]})
    for column, frame in funnels.items():
        rates = frame.set_index("level")["from_previous"]
        table[column] = [*(share(None if level in unknown else rates.get(level)) for level in LEVELS[1:]),
                         share(win_rates.get(column))]  # fmt: skip
    return table.set_index(step)


def recorded_levels(company: Company) -> tuple[str, ...]:
    """Give the levels some row of the company's log names (the others are only implied)."""
    log = company.log
    return tuple(company.once("recorded levels", lambda: [level for level in LEVELS
                                                          if bool((log["stage"] == level).any())]))  # fmt: skip


def unrecorded_note(recorded: Collection[str], lang: Literal["zh", "en"] = "zh") -> str | None:
    """Say which middle levels the log never records, so their steps show "—"; None if none.

    Examples
    --------
    >>> unrecorded_note(["contacted", "qualified", "won", "lost"])
    '这份数据里没有“签约”的记录（到了后面阶段的客户都算经过了它），和它相连的两步算不出来，显示为 —；请看赢单率。'
    >>> unrecorded_note(["contacted", "qualified", "signed", "won"]) is None
    True
    """
    missing = [level for level in LEVELS[1:-1] if level not in set(recorded)]
    if not missing:
        return None
    if lang == "zh":
        names = "、".join(f"“{STAGE_LABELS[level]}”" for level in missing)
        return (f"这份数据里没有{names}的记录（到了后面阶段的客户都算经过了它），"
                "和它相连的两步算不出来，显示为 —；请看赢单率。")
    names = ", ".join(f"{STAGE_LABELS[level]} ({level})" for level in missing)
    return (f"The data have no {names} rows (customers at a later stage count as having passed it), so "
            "the steps next to it cannot be computed and show —; see the win rate.")


def caption(text: str) -> None:
    """Show an escaped caption line above a table or chart (what it covers, which window)."""
    from IPython.display import HTML, display

    display(HTML(f'<p class="devvolume-caption">{html.escape(text)}</p>'))


def notice(text: str) -> None:
    """Show an escaped notice box (e.g. rows left out of the report)."""
    from IPython.display import HTML, display

    display(HTML(f'<p class="devvolume-note">{html.escape(text)}</p>'))
