"""Interactive controls for the lessons: thin ipywidgets over pure, tested functions.

Every control follows one rule: its callback only reads the widgets' values and calls a pure
function of this module (or of the metric engine) that returns a table or a chart; the tests
check those functions, never the widgets. :func:`worklog_picker` loads a manager's own
工作日志表 (by path or upload) and shows the loader's problems table; the explorers let a
learner change level, period, team or grouping and see the numbers move.
"""

from __future__ import annotations

import dataclasses
import html
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import pandas as pd

from devvolume.io import WorklogCheck, WorklogError, check_worklog
from devvolume.schema import COLUMN_LABELS, LEVELS, STAGE_LABELS

#: File types the upload button accepts.
UPLOAD_ACCEPT = ".xlsx,.csv"
#: Problems shown in the picker before "and n more" (the full table is ``picker.check``).
MAX_PROBLEMS_SHOWN = 50
#: Period codes and their Chinese names, in the order the drop-downs show them.
PERIOD_LABELS: dict[str, str] = {"W": "周（周一开始）", "M": "月", "Q": "季度", "Y": "年"}
#: Label of "the whole company" in team drop-downs.
ALL_TEAMS = "全公司"

_PROBLEM_HEADERS = {"row": "行号 row", "column": "列 column", "header": "表头 header",
                    "value": "内容 value", "problem": "问题 problem"}  # fmt: skip


# --- loading a manager's own work log -----------------------------------------------------------

def load_uploaded(name: str, content: bytes) -> WorklogCheck:
    r"""Check an uploaded work log, reporting problems against the uploaded file's name.

    The bytes are written to a private temporary file with the same file name (hence the same
    suffix, which decides how it is read), checked with :func:`devvolume.io.check_worklog`, and
    the temporary file is removed. Nothing of the user's is read or written.

    Parameters
    ----------
    name : str
        The uploaded file's name, e.g. ``"三月工作日志.xlsx"``; any folder part is ignored.
    content : bytes
        The file's bytes.

    Returns
    -------
    WorklogCheck
        ``source`` is ``name``; ``valid`` and ``problems`` as from ``check_worklog``.

    Raises
    ------
    WorklogError
        For a file that cannot be used at all (unknown type, unreadable, missing columns); the
        message and problems name the uploaded file, never the temporary one.

    Examples
    --------
    >>> text = "日期,销售员,团队,客户,阶段\n2026-01-05,王磊,一组,恒达,成交\n2026-02-30,王磊,一组,万通,意向\n"
    >>> report = load_uploaded("my.csv", text.encode("utf-8"))
    >>> report.source, len(report.valid), report.bad_rows
    ('my.csv', 1, [3])
    """
    display_name = Path(name).name or "upload"
    with tempfile.TemporaryDirectory(prefix="devvolume-upload-") as folder:
        path = Path(folder) / display_name
        path.write_bytes(bytes(content))
        try:
            report = check_worklog(path)
        except WorklogError as exc:
            problems = exc.problems.copy()
            problems["problem"] = problems["problem"].astype(str).str.replace(
                str(path), display_name, regex=False)
            message = str(exc).replace(str(path), display_name)
            raise WorklogError(message, problems, display_name) from None
    return dataclasses.replace(report, source=display_name)


def describe_worklog(log: pd.DataFrame) -> pd.DataFrame:
    """Summarise a loaded work log in one friendly table of a loaded work log (what a manager checks first).

    Examples
    --------
    >>> log = pd.DataFrame({"date": pd.to_datetime(["2026-01-05", "2026-01-09"]),
    ...                     "rep": ["王磊", "李娜"], "team": ["一组", "一组"],
    ...                     "customer": ["恒达", "恒达"], "stage": ["contacted", "won"]})
    >>> describe_worklog(log)["内容"].tolist()
    ['2', '2026-01-05 至 2026-01-09', '1', '2', '1', '首次接触 1、成交 1']
    """
    first, last = log["date"].min(), log["date"].max()
    span = "（没有数据）" if log.empty else f"{first:%Y-%m-%d} 至 {last:%Y-%m-%d}"
    counts = log["stage"].value_counts()
    stages = "、".join(f"{STAGE_LABELS[s]} {int(counts[s])}"
                      for s in STAGE_LABELS if s in counts.index)
    rows = [
        ("行数（活动记录）", str(len(log))),
        ("日期范围", span),
        ("团队数", str(log["team"].nunique())),
        ("销售员人数", str(log["rep"].nunique())),
        ("客户数（去重）", str(log["customer"].nunique())),
        ("各阶段的行数", stages or "（没有）"),
    ]
    return pd.DataFrame(rows, columns=["项目", "内容"])


def problems_table(problems: pd.DataFrame, *, limit: int = MAX_PROBLEMS_SHOWN) -> pd.DataFrame:
    """Show the loader's problems with bilingual headers, the first ``limit`` rows, sorted by row.

    Examples
    --------
    >>> p = pd.DataFrame({"row": [3], "column": ["date"], "header": ["日期"],
    ...                   "value": ["2026-02-30"], "problem": ["不是有效日期 / not a date"]})
    >>> list(problems_table(p).columns)
    ['行号 row', '列 column', '表头 header', '内容 value', '问题 problem']
    """
    table = problems.sort_values(["row", "column"], kind="stable").head(limit)
    table = table.rename(columns=_PROBLEM_HEADERS)
    return table.reset_index(drop=True)


def _check_summary_html(report: WorklogCheck) -> str:
    """HTML for a finished check: a summary when the file is clean, else its problems."""
    name = html.escape(report.source)
    if report.ok:
        summary = describe_worklog(report.valid).to_html(index=False)
        return (f"<p style='color:#1b7f3b'><b>✅ 已载入 {name}</b>：没有发现问题。"
                f"现在可以运行下面的单元格，用 <code>picker.worklog</code> 分析你的数据。</p>"
                f"{summary}")
    bad = len(report.bad_rows)
    more = len(report.problems) - MAX_PROBLEMS_SHOWN
    tail = f"<p>……另有 {more} 个问题没有列出（完整列表见 <code>picker.check.problems</code>）。</p>" \
        if more > 0 else ""
    return (f"<p style='color:#b00020'><b>❌ {name} 有 {bad} 行数据有问题</b>"
            f"（共读入 {report.rows_read} 行）。/ {bad} of {report.rows_read} rows have problems."
            "</p><p>请在 Excel 里按行号改正这些单元格，保存后再点“加载”。"
            "没有问题的行已放在 <code>picker.check.valid</code>，可以先用它们试一试。</p>"
            f"{problems_table(report.problems).to_html(index=False)}{tail}")


def _error_html(error: WorklogError) -> str:
    text = html.escape(str(error)).replace("\n", "<br>")
    return f"<p style='color:#b00020'><b>❌ 无法使用这个文件 / this file cannot be used</b></p><p>{text}</p>"


def example_problem_file() -> tuple[str, bytes]:
    """Return a small CSV work log with three typical mistakes, as an upload would deliver it.

    Lessons feed it to :func:`load_uploaded` to show what the loader says about a bad file
    (an impossible date, an empty 销售员 cell, an unknown stage) without touching any real file.

    Examples
    --------
    >>> name, content = example_problem_file()
    >>> load_uploaded(name, content).bad_rows
    [3, 4, 5]
    """
    text = ("日期,销售员,团队,客户,阶段\n"
            "2026-04-01,王磊,华东一组,恒达贸易,首次接触\n"
            "2026/4/31,王磊,华东一组,万通物流,签约\n"
            "2026-04-03,,华东一组,华联超市,成交\n"
            "2026-04-06,李娜,华东一组,金桥科技,已付款\n")
    return "示例_有问题的工作日志.csv", text.encode("utf-8")

class WorklogPicker(widgets.VBox):
    """Load your own 工作日志表: a path box, an upload button, a 加载 button and the result.

    After a load without problems, :attr:`worklog` holds the canonical work log; it stays None
    until then. :attr:`check` holds the last :class:`~devvolume.io.WorklogCheck` (or None).
    """

    def __init__(self, *, path: str = "",
                 on_load: Callable[[pd.DataFrame], None] | None = None) -> None:
        self.worklog: pd.DataFrame | None = None
        self.check: WorklogCheck | None = None
        self.error: WorklogError | None = None
        self._on_load = on_load
        self.path = widgets.Text(value=path, description="文件路径",
                                 placeholder="例如 我的工作日志.xlsx 或 D:/数据/三月.csv",
                                 layout=widgets.Layout(width="520px"))
        self.upload = widgets.FileUpload(accept=UPLOAD_ACCEPT, multiple=False,
                                         description="上传文件")
        self.button = widgets.Button(description="加载", button_style="primary", icon="upload")
        self.result = widgets.HTML()
        self.button.on_click(self._on_click)
        hint = widgets.HTML("<small>填写路径，或点“上传文件”选择 .xlsx / .csv，然后点“加载”。"
                            "上传的文件优先。</small>")
        super().__init__([widgets.HBox([self.path, self.upload, self.button]), hint, self.result])

    def load(self) -> str:
        """Load from the upload (if any) or the path; update the output; return its HTML."""
        uploads = self.upload.value
        self.worklog, self.check, self.error = None, None, None
        try:
            if uploads:
                item = uploads[0]
                self.check = load_uploaded(str(item["name"]), bytes(item["content"]))
            elif self.path.value.strip():
                self.check = check_worklog(self.path.value.strip())
            else:
                text = "<p>请先填写文件路径，或上传一个 .xlsx / .csv 文件。</p>"
                self._show(text)
                return text
        except WorklogError as exc:
            self.error = exc
            text = _error_html(exc)
            self._show(text)
            return text
        if self.check.ok:
            self.worklog = self.check.valid
        text = _check_summary_html(self.check)
        self._show(text)
        if self.worklog is not None and self._on_load is not None:
            self._on_load(self.worklog)
        return text

    def _show(self, text: str) -> None:
        self.result.value = text

    def _on_click(self, _button: Any) -> None:
        self.load()


def worklog_picker(*, path: str = "",
                   on_load: Callable[[pd.DataFrame], None] | None = None) -> WorklogPicker:
    """Build the "load your own work log" control (path box + upload + 加载 + result).

    Parameters
    ----------
    path : str
        A path to fill in the box in advance.
    on_load : callable, optional
        Called with the canonical work log after every load without problems.

    Returns
    -------
    WorklogPicker
        A widget; ``picker.worklog`` is None until a valid load.
    """
    return WorklogPicker(path=path, on_load=on_load)


# --- shared helpers for the explorers -----------------------------------------------------------

def level_options() -> list[tuple[str, str]]:
    """(label, code) pairs for a level drop-down, in funnel order."""
    return [(f"{STAGE_LABELS[level]}（{level}）", level) for level in LEVELS]


def period_options() -> list[tuple[str, str]]:
    """(label, code) pairs for a period drop-down."""
    return [(label, code) for code, label in PERIOD_LABELS.items()]


def team_options(log: pd.DataFrame) -> list[tuple[str, str]]:
    """(label, value) pairs for a team drop-down: the whole company first, then each team."""
    return [(ALL_TEAMS, ""), *((t, t) for t in sorted(log["team"].dropna().unique()))]


def select_team(log: pd.DataFrame, team: str = "") -> pd.DataFrame:
    """Keep the rows of one team, or all rows for ``""``; fail listing the teams that exist.

    Examples
    --------
    >>> log = pd.DataFrame({"team": ["一组", "二组"], "rep": ["A", "B"]})
    >>> len(select_team(log, "")), len(select_team(log, "二组"))
    (2, 1)
    """
    if not team:
        return log
    if team not in set(log["team"]):
        teams = "、".join(sorted(log["team"].dropna().unique()))
        msg = (f"没有名为“{team}”的团队。/ no team named {team!r}.\n"
               f"现有团队 / teams: {teams}\nHint: team 留空（\"\"）表示全公司。")
        raise ValueError(msg)
    return log[log["team"] == team]


def _dropdown(options: Sequence[tuple[str, str]], value: str, description: str) -> Any:
    return widgets.Dropdown(options=list(options), value=value, description=description,
                            style={"description_width": "4em"},
                            layout=widgets.Layout(width="260px"))


def _label(column: str) -> str:
    return COLUMN_LABELS.get(column, column)


# --- pure functions behind the explorers --------------------------------------------------------

def period_of(dates: pd.Series, period: str) -> pd.Series:
    """First day of each date's period: ISO week from Monday, month, quarter or year.

    Examples
    --------
    >>> dates = pd.Series(pd.to_datetime(["2025-03-02", "2025-03-03"]))
    >>> period_of(dates, "W").dt.strftime("%Y-%m-%d").tolist()
    ['2025-02-24', '2025-03-03']
    """
    if period not in PERIOD_LABELS:
        msg = (f"不认识的统计周期 {period!r}。/ unknown period {period!r}.\n"
               f"可用 / choose one of: {', '.join(PERIOD_LABELS)}（W 周、M 月、Q 季、Y 年）")
        raise ValueError(msg)
    if period == "W":
        days = pd.to_timedelta(dates.dt.day_of_week, unit="D")
        return (dates.dt.normalize() - days).astype("datetime64[us]")
    code = {"M": "M", "Q": "Q", "Y": "Y"}[period]
    return dates.dt.to_period(code).dt.start_time.astype("datetime64[us]")


def _rank(stages: pd.Series) -> pd.Series:
    from devvolume.schema import STAGE_RANK

    return stages.map(STAGE_RANK)


def counting_comparison(log: pd.DataFrame, *, level: str = "contacted", period: str = "M",
                        team: str = "") -> pd.DataFrame:
    """Three ways to count per period: rows, active customers, and new customers (the right one).

    - ``rows``: rows whose stage is exactly ``level`` (the first classic mistake);
    - ``active``: distinct customers with a row at ``level`` or later in the period (a ``lost``
      row counts as a contact); many of them were developed earlier (the second mistake);
    - ``new``: the development volume, customers reaching ``level`` for the first time.

    Examples
    --------
    >>> log = pd.DataFrame({
    ...     "date": pd.to_datetime(["2026-03-30", "2026-04-02", "2026-04-03", "2026-04-10"]),
    ...     "rep": ["A", "A", "B", "A"], "team": ["T1"] * 4,
    ...     "customer": ["C1", "C1", "C2", "C1"],
    ...     "stage": ["contacted", "contacted", "won", "signed"]})
    >>> counting_comparison(log, level="contacted")
          period  rows  active  new
    0 2026-03-01     1       1    1
    1 2026-04-01     1       2    1
    """
    from devvolume.metrics import development_volume
    from devvolume.schema import STAGE_RANK

    scoped = select_team(log, team)
    new = development_volume(scoped, level=level, period=period)
    buckets = period_of(scoped["date"], period)
    rows = (scoped["stage"] == level).groupby(buckets).sum()
    at_level = _rank(scoped["stage"]) >= STAGE_RANK[level]
    active = scoped.loc[at_level, "customer"].groupby(buckets[at_level]).nunique()
    table = new.rename(columns={"volume": "new"})
    table.insert(1, "rows", table["period"].map(rows).fillna(0).astype("int64"))
    table.insert(2, "active", table["period"].map(active).fillna(0).astype("int64"))
    return table.reset_index(drop=True)


def volume_view(log: pd.DataFrame, *, level: str = "won", period: str = "M", team: str = "",
                by: str = "") -> pd.DataFrame:
    """Development volume of one team (or all) by period, optionally split by ``team``/``rep``/….

    Examples
    --------
    >>> log = pd.DataFrame({"date": pd.to_datetime(["2026-04-03", "2026-05-06"]),
    ...                     "rep": ["B", "A"], "team": ["T1", "T1"],
    ...                     "customer": ["C2", "C1"], "stage": ["won", "won"]})
    >>> volume_view(log, by="rep")["volume"].tolist()
    [0, 1, 1, 0]
    """
    from devvolume.metrics import development_volume

    scoped = select_team(log, team)
    return development_volume(scoped, level=level, period=period, by=by or None)


def volume_totals(table: pd.DataFrame, *, by: str = "") -> pd.DataFrame:
    """Totals of a :func:`volume_view` table per group (or one total), biggest first.

    New customers add up across periods and across people, so these totals are exact.

    Examples
    --------
    >>> t = pd.DataFrame({"period": [1, 1, 2, 2], "rep": ["A", "B", "A", "B"],
    ...                   "volume": [1, 0, 2, 5]})
    >>> volume_totals(t, by="rep").to_dict("records")
    [{'rep': 'B', 'volume': 5}, {'rep': 'A', 'volume': 3}]
    """
    if not by:
        return pd.DataFrame({"volume": [int(table["volume"].sum())]})
    totals = table.groupby(by, as_index=False)["volume"].sum()
    return totals.sort_values(["volume", by], ascending=[False, True], ignore_index=True)


def funnel_view(log: pd.DataFrame, *, team: str = "") -> pd.DataFrame:
    """Compute the stage funnel of one team (or the company): customers reaching each level, step rates.

    Examples
    --------
    >>> log = pd.DataFrame({"date": pd.to_datetime(["2026-03-30", "2026-04-03"]),
    ...                     "rep": ["A", "B"], "team": ["T1", "T1"],
    ...                     "customer": ["C1", "C2"], "stage": ["contacted", "won"]})
    >>> funnel_view(log)["customers"].tolist()
    [2, 1, 1, 1]
    """
    from devvolume.metrics import funnel

    return funnel(select_team(log, team))


def conversion_view(log: pd.DataFrame, *, start: str = "contacted", end: str = "won",
                    period: str = "M", team: str = "", within_days: int | None = None,
                    form: str = "cohort") -> pd.DataFrame:
    """Conversion per period, in the cohort form (default) or the period (throughput) form.

    Returns ``period, cohort, converted, rate`` (cohort) or ``period, started, finished,
    throughput`` (period form); ``within_days`` 0 or None means "ever".

    Examples
    --------
    >>> log = pd.DataFrame({
    ...     "date": pd.to_datetime(["2026-03-30", "2026-04-03", "2026-05-06"]),
    ...     "rep": ["A", "B", "A"], "team": ["T1"] * 3,
    ...     "customer": ["C1", "C2", "C1"], "stage": ["contacted", "won", "won"]})
    >>> conversion_view(log)["rate"].tolist()
    [1.0, 1.0, nan]
    >>> conversion_view(log, form="period")["throughput"].tolist()
    [0.0, 1.0, nan]
    """
    from devvolume.metrics import conversion_rate

    scoped = select_team(log, team)
    if form == "period":
        return conversion_rate(scoped, start=start, end=end, period=period, form="period")
    return conversion_rate(scoped, start=start, end=end, period=period,
                           within_days=within_days or None)


def pooled_rate(table: pd.DataFrame, *, numerator: str = "converted",
                denominator: str = "cohort") -> float:
    """Compute a rate over several groups: total numerator ÷ total denominator (never a mean of rates).

    Examples
    --------
    >>> t = pd.DataFrame({"cohort": [1, 9], "converted": [1, 0]})
    >>> pooled_rate(t), float((t["converted"] / t["cohort"]).mean())
    (0.1, 0.5)
    """
    total = float(table[denominator].sum())
    return float(table[numerator].sum()) / total if total else float("nan")


#: Factors a manager can compare in lesson 04: column → Chinese name.
FACTORS: dict[str, str] = {"channel": "渠道", "team": "团队", "rep": "销售员"}


def factor_view(log: pd.DataFrame, *, factor: str = "channel", team: str = "",
                end: str = "won") -> pd.DataFrame:
    """Compare the groups of one factor: new contacts, new ``end`` customers, conversion, win rate.

    Every customer belongs to the group on the row that first contacted it (its channel, its
    rep), so the counts add up to the company's and the rates are true shares.

    Returns
    -------
    pandas.DataFrame
        ``factor value, contacted, converted, conversion, won, lost, win_rate, activities,
        activities_per_new`` sorted by conversion (highest first), then name.

    Examples
    --------
    >>> log = pd.DataFrame({
    ...     "date": pd.to_datetime(["2026-03-02", "2026-03-03", "2026-03-09", "2026-03-10"]),
    ...     "rep": ["A", "A", "B", "A"], "team": ["T1"] * 4,
    ...     "customer": ["C1", "C2", "C3", "C1"],
    ...     "stage": ["contacted", "contacted", "lost", "won"],
    ...     "channel": ["转介绍", "陌拜", "陌拜", "转介绍"]})
    >>> factor_view(log)[["channel", "contacted", "converted", "conversion"]].to_dict("records")
    [{'channel': '转介绍', 'contacted': 1, 'converted': 1, 'conversion': 1.0}, \
{'channel': '陌拜', 'contacted': 2, 'converted': 0, 'conversion': 0.0}]
    """
    from devvolume.metrics import conversion_rate, win_rate

    if factor not in log.columns:
        msg = (f"工作日志表里没有“{_label(factor)}”（{factor}）这一列。/ no column {factor!r}.\n"
               f"现有的列 / columns: {', '.join(map(str, log.columns))}")
        raise ValueError(msg)
    scoped = select_team(log, team)
    scoped = scoped.assign(**{factor: scoped[factor].fillna("（未填写）")})
    conv = conversion_rate(scoped, start="contacted", end=end, period="Y", by=factor)
    conv = conv.groupby(factor, as_index=False)[["cohort", "converted"]].sum()
    wins = win_rate(scoped, by=factor)[[factor, "won", "lost", "rate"]]
    rows = scoped.groupby(factor).size().rename("activities").reset_index()
    table = conv.merge(wins, on=factor, how="outer").merge(rows, on=factor, how="outer")
    table = table.fillna({"cohort": 0, "converted": 0, "won": 0, "lost": 0, "activities": 0})
    table = table.rename(columns={"cohort": "contacted", "rate": "win_rate"})
    counts = ["contacted", "converted", "won", "lost", "activities"]
    table[counts] = table[counts].astype("int64")
    table["conversion"] = table["converted"] / table["contacted"].where(table["contacted"] > 0)
    table["activities_per_new"] = table["activities"] / table["converted"].where(
        table["converted"] > 0)
    columns = [factor, "contacted", "converted", "conversion", "won", "lost", "win_rate",
               "activities", "activities_per_new"]
    table = table[columns].sort_values(["conversion", factor], ascending=[False, True],
                                       na_position="last")
    return table.reset_index(drop=True)


def before_after(log: pd.DataFrame, *, rep: str, date: str, start: str = "contacted",
                 end: str = "won") -> pd.DataFrame:
    """One rep's cohort conversion for customers first reached before and from ``date`` on.

    Use it to see whether a training course (or any change on a date) made a difference: the
    cohorts are split by the date each customer reached ``start``.

    Examples
    --------
    >>> log = pd.DataFrame({
    ...     "date": pd.to_datetime(["2026-03-02", "2026-03-03", "2026-05-04", "2026-05-05"]),
    ...     "rep": ["A"] * 4, "team": ["T1"] * 4, "customer": ["C1", "C2", "C3", "C3"],
    ...     "stage": ["contacted", "lost", "contacted", "won"]})
    >>> before_after(log, rep="A", date="2026-04-01")[["cohort", "converted"]].values.tolist()
    [[2, 0], [1, 1]]
    """
    from devvolume.schema import STAGE_RANK

    if rep not in set(log["rep"]):
        msg = f"工作日志表里没有销售员“{rep}”。/ no rep named {rep!r}."
        raise ValueError(msg)
    mine = log[log["rep"] == rep]
    rank = _rank(mine["stage"])
    started = mine[rank >= STAGE_RANK[start]].groupby("customer")["date"].min()
    ended = mine[rank >= STAGE_RANK[end]].groupby("customer")["date"].min()
    after = started >= pd.Timestamp(date)
    converted = started.index.isin(ended.index)
    rows = []
    for label, part in (("之前", ~after), ("之后", after)):
        cohort = int(part.sum())
        done = int((part & converted).sum())
        rows.append({"when": label, "cohort": cohort, "converted": done,
                     "rate": done / cohort if cohort else float("nan")})
    return pd.DataFrame(rows)


# --- presentation: Chinese headers and charts ---------------------------------------------------

#: Chinese column headers for the tables the explorers show.
HEADERS: dict[str, str] = {
    "period": "周期", "volume": "新客户数", "rows": "行数（错误口径）",
    "active": "活跃客户（错误口径）", "new": "新客户（正确口径）", "team": "团队", "rep": "销售员",
    "channel": "渠道", "level": "阶段", "step": "步骤", "customers": "客户数",
    "from_previous": "占上一步", "from_first": "占首次接触", "cohort": "批次客户数",
    "converted": "已转化", "rate": "转化率", "started": "本期开始数", "finished": "本期完成数",
    "throughput": "吞吐比（可大于 1）", "contacted": "新接触客户", "conversion": "接触→成交转化率",
    "won": "成交客户", "lost": "流失客户", "win_rate": "赢单率", "activities": "活动次数",
    "activities_per_new": "每个新成交客户的活动次数", "when": "培训", "method": "口径",
    "date": "日期", "customer": "客户", "stage": "阶段", "activity": "活动类型", "amount": "金额",
    "note": "备注",
}  # fmt: skip

#: The three ways of counting, as shown in the comparison chart's legend.
METHOD_LABELS: dict[str, str] = {"rows": "行数（错误）", "active": "活跃客户（错误）",
                                 "new": "新客户（正确）"}


def chinese(table: pd.DataFrame) -> pd.DataFrame:
    """Return the table with Chinese headers, dates as text and levels in Chinese (for showing).

    Examples
    --------
    >>> t = pd.DataFrame({"period": pd.to_datetime(["2026-04-01"]), "level": ["won"],
    ...                   "volume": [3]})
    >>> chinese(t).to_dict("records")
    [{'周期': '2026-04-01', '阶段': '成交', '新客户数': 3}]
    """
    shown = table.copy()
    for column in shown.columns:
        if pd.api.types.is_datetime64_any_dtype(shown[column]):
            shown[column] = shown[column].dt.strftime("%Y-%m-%d")
    for column in ("level", "stage"):
        if column in shown.columns:
            shown[column] = shown[column].map(STAGE_LABELS).fillna(shown[column])
    return shown.rename(columns=HEADERS)


def counting_long(table: pd.DataFrame) -> pd.DataFrame:
    """Reshape :func:`counting_comparison` for a chart: ``period, 口径, volume``.

    Examples
    --------
    >>> t = pd.DataFrame({"period": [1], "rows": [7], "active": [6], "new": [5]})
    >>> counting_long(t).to_dict("records")[-1]
    {'period': 1, '口径': '新客户（正确）', 'volume': 5}
    """
    long = table.melt(id_vars=["period"], value_vars=list(METHOD_LABELS), var_name="method",
                      value_name="volume")
    long["口径"] = long["method"].map(METHOD_LABELS)
    return long[["period", "口径", "volume"]].reset_index(drop=True)


def counting_chart(table: pd.DataFrame, *, period: str = "M", title: str | None = None) -> Any:
    """Line chart of the three counts of :func:`counting_comparison` (built by devvolume.charts)."""
    from devvolume import charts

    return charts.volume_trend(counting_long(table), period=period, by="口径",
                               title=title or "三种数法的对比：只有“新客户”是客户开发量")


def factor_chart(table: pd.DataFrame, *, factor: str = "channel", title: str | None = None) -> Any:
    """Bar chart of the conversion per group of :func:`factor_view` (built by devvolume.charts)."""
    from devvolume import charts

    name = FACTORS.get(factor, factor)
    frame = pd.DataFrame({"period": pd.Timestamp("2025-01-01"), name: table[factor],
                          "cohort": table["contacted"], "converted": table["converted"],
                          "rate": table["conversion"]})
    return charts.conversion_by_cohort(
        frame, period="Y", by=name, height=240,
        title=title or f"按{name}比较：首次接触 → 成交的转化率")


# --- the explorers ------------------------------------------------------------------------------

def chart_html(chart: Any) -> str:
    """Render an altair chart to the same offline SVG ``<img>`` HTML as a notebook output."""
    from devvolume import display

    return str(display.renderer(chart.to_dict())["text/html"])


def _format_float(value: float) -> str:
    return f"{value:.3f}"


class Explorer(widgets.VBox):
    """Drop-downs over a work log; each change calls a pure function and redraws table + chart.

    Subclasses set :attr:`controls` and implement :meth:`compute` (pure: values → table) and
    :meth:`draw` (table → chart). :attr:`table` is the last result.
    """

    def __init__(self, log: pd.DataFrame, controls: dict[str, Any]) -> None:
        self.worklog = log
        self.controls = controls
        self.table: pd.DataFrame = pd.DataFrame()
        # HTML widgets, not an Output: the view lives in the widgets' state, so a notebook run
        # headless (nbclient, nbval) gets no stray outputs from building the control. The table
        # comes first and is updated first: it is ready in milliseconds, the SVG chart later.
        self.table_view = widgets.HTML()
        self.chart_view = widgets.HTML()
        self._charts: dict[tuple[Any, ...], str] = {}
        for control in controls.values():
            control.observe(self._on_change, names="value")
        rows = [widgets.HBox(list(controls.values())[i:i + 3])
                for i in range(0, len(controls), 3)]
        super().__init__([*rows, self.chart_view, self.table_view])
        self.refresh()

    @property
    def values(self) -> dict[str, Any]:
        """The controls' current values, by name."""
        return {name: control.value for name, control in self.controls.items()}

    def compute(self, **values: Any) -> pd.DataFrame:
        """Return the table for these control values (pure)."""
        raise NotImplementedError

    def draw(self, table: pd.DataFrame, **values: Any) -> Any:
        """Return the chart of a table."""
        raise NotImplementedError

    def shown(self, table: pd.DataFrame, **values: Any) -> pd.DataFrame:
        """Return the table as shown under the chart (Chinese headers)."""
        return chinese(table)

    def refresh(self) -> pd.DataFrame:
        """Recompute the table and show it, then redraw the chart; return the table."""
        values = self.values
        try:
            self.table = self.compute(**values)
        except ValueError as exc:
            self.table_view.value = f"<p style='color:#b00020'>{html.escape(str(exc))}</p>"
            self.chart_view.value = ""
            return self.table
        self.table_view.value = self.shown(self.table, **values).to_html(
            index=False, na_rep="—", float_format=_format_float)
        # Rendering the SVG takes most of the time; a setting seen before is drawn from memory.
        key = tuple(values.items())
        if key not in self._charts:
            self._charts[key] = chart_html(self.draw(self.table, **values))
        self.chart_view.value = self._charts[key]
        return self.table

    @property
    def shown_html(self) -> str:
        """The chart and the table as HTML, as shown."""
        return self.chart_view.value + self.table_view.value

    def _on_change(self, _change: Any) -> None:
        self.refresh()


class CountingExplorer(Explorer):
    """Lesson 01: rows vs active customers vs new customers, by level, period and team."""

    def __init__(self, log: pd.DataFrame, *, level: str = "contacted", period: str = "M",
                 team: str = "") -> None:
        super().__init__(log, {
            "level": _dropdown(level_options(), level, "阶段"),
            "period": _dropdown(period_options(), period, "周期"),
            "team": _dropdown(team_options(log), team, "团队"),
        })

    def compute(self, **values: Any) -> pd.DataFrame:  # noqa: D102
        return counting_comparison(self.worklog, **values)

    def draw(self, table: pd.DataFrame, **values: Any) -> Any:  # noqa: D102
        return counting_chart(table, period=values["period"])


#: Split choices of the volume explorer: (label, column).
SPLITS: tuple[tuple[str, str], ...] = (("不拆分", ""), ("按团队", "team"), ("按销售员", "rep"),
                                       ("按渠道", "channel"))


class VolumeExplorer(Explorer):
    """Lesson 02: development volume by level, period, team and split, with totals."""

    def __init__(self, log: pd.DataFrame, *, level: str = "won", period: str = "M",
                 team: str = "", by: str = "") -> None:
        super().__init__(log, {
            "level": _dropdown(level_options(), level, "阶段"),
            "period": _dropdown(period_options(), period, "周期"),
            "team": _dropdown(team_options(log), team, "团队"),
            "by": _dropdown([s for s in SPLITS if not s[1] or s[1] in log.columns], by, "拆分"),
        })

    def compute(self, **values: Any) -> pd.DataFrame:  # noqa: D102
        return volume_view(self.worklog, **values)

    def draw(self, table: pd.DataFrame, **values: Any) -> Any:  # noqa: D102
        from devvolume import charts

        by = values["by"] or None
        return charts.volume_trend(table, period=values["period"], by=by, level=values["level"],
                                   mark="bar" if by else "line")

    def shown(self, table: pd.DataFrame, **values: Any) -> pd.DataFrame:  # noqa: D102
        return chinese(volume_totals(table, by=values["by"]))


class FunnelExplorer(Explorer):
    """Lesson 03: the funnel of one team or the company."""

    def __init__(self, log: pd.DataFrame, *, team: str = "") -> None:
        super().__init__(log, {"team": _dropdown(team_options(log), team, "团队")})

    def compute(self, **values: Any) -> pd.DataFrame:  # noqa: D102
        return funnel_view(self.worklog, **values)

    def draw(self, table: pd.DataFrame, **values: Any) -> Any:  # noqa: D102
        from devvolume import charts

        return charts.funnel(table, title=f"客户开发漏斗：{values['team'] or ALL_TEAMS}")


class ConversionExplorer(Explorer):
    """Lesson 03: cohort (or period) conversion between two levels, optionally within N days."""

    def __init__(self, log: pd.DataFrame, *, start: str = "contacted", end: str = "won",
                 period: str = "M", team: str = "", within_days: int = 0,
                 form: str = "cohort") -> None:
        super().__init__(log, {
            "start": _dropdown(level_options()[:-1], start, "从"),
            "end": _dropdown(level_options()[1:], end, "到"),
            "period": _dropdown(period_options(), period, "周期"),
            "team": _dropdown(team_options(log), team, "团队"),
            "within_days": widgets.IntSlider(value=within_days, min=0, max=180, step=15,
                                             description="天内（0=不限）",
                                             style={"description_width": "7em"},
                                             continuous_update=False),
            "form": _dropdown([("队列口径（推荐）", "cohort"), ("期间口径（吞吐比）", "period")],
                              form, "口径"),
        })

    def compute(self, **values: Any) -> pd.DataFrame:  # noqa: D102
        return conversion_view(self.worklog, **values)

    def draw(self, table: pd.DataFrame, **values: Any) -> Any:  # noqa: D102
        from devvolume import charts

        if values["form"] == "period":
            frame = table.rename(columns={"started": "cohort", "finished": "converted",
                                          "throughput": "rate"})
            return charts.conversion_by_cohort(
                frame.assign(rate=frame["rate"].clip(upper=1.0)), period=values["period"],
                start=values["start"], end=values["end"],
                title="期间口径：本期完成数 ÷ 本期开始数（不是同一批客户，超过 100% 的被截断）")
        return charts.conversion_by_cohort(table, period=values["period"],
                                           start=values["start"], end=values["end"])


class FactorExplorer(Explorer):
    """Lesson 04: compare channels, teams or reps on contacts, conversion, win rate and effort."""

    def __init__(self, log: pd.DataFrame, *, factor: str = "channel", team: str = "") -> None:
        options = [(name, column) for column, name in FACTORS.items() if column in log.columns]
        super().__init__(log, {
            "factor": _dropdown(options, factor, "比较"),
            "team": _dropdown(team_options(log), team, "团队"),
        })

    def compute(self, **values: Any) -> pd.DataFrame:  # noqa: D102
        return factor_view(self.worklog, **values)

    def draw(self, table: pd.DataFrame, **values: Any) -> Any:  # noqa: D102
        return factor_chart(table, factor=values["factor"])

    def shown(self, table: pd.DataFrame, **values: Any) -> pd.DataFrame:  # noqa: D102
        return chinese(table).round(3)


def counting_explorer(log: pd.DataFrame, **defaults: Any) -> CountingExplorer:
    """Build the lesson-01 control: three ways of counting side by side."""
    return CountingExplorer(log, **defaults)


def volume_explorer(log: pd.DataFrame, **defaults: Any) -> VolumeExplorer:
    """Build the lesson-02 control: development volume by level, period, team and split."""
    return VolumeExplorer(log, **defaults)


def funnel_explorer(log: pd.DataFrame, **defaults: Any) -> FunnelExplorer:
    """Build the lesson-03 funnel control."""
    return FunnelExplorer(log, **defaults)


def conversion_explorer(log: pd.DataFrame, **defaults: Any) -> ConversionExplorer:
    """Build the lesson-03 conversion control."""
    return ConversionExplorer(log, **defaults)


def factor_explorer(log: pd.DataFrame, **defaults: Any) -> FactorExplorer:
    """Build the lesson-04 factor comparison control."""
    return FactorExplorer(log, **defaults)
