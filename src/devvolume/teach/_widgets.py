"""Interactive controls for the lessons: thin ipywidgets over pure, tested functions.

Every control follows one rule: its callback only reads the widgets' values and calls a pure
function (from :mod:`devvolume.teach._views`, re-exported by :mod:`devvolume.teach`) that returns
a table, then draws it with :mod:`devvolume.viz`; the tests check those functions, never the
widgets. An explorer computes the company's :func:`~devvolume.reached_levels` table once, when it
is built, and hands it to the view on every move, so a move only slices; its team drop-down
slices company-wide results. :func:`worklog_picker` loads a manager's own 工作日志表 (by path or
upload) and shows the loader's problems table.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from typing import Any

import ipywidgets as widgets
import pandas as pd

from devvolume.core import LEVELS, STAGE_LABELS, reached_levels
from devvolume.core._schema import NEW_CUSTOMERS
from devvolume.inputs import WorklogCheck, WorklogError, check_worklog
from devvolume.teach._ownlog import (
    check_summary_html,
    error_html,
    load_uploaded,
    partial_html,
    problems_html,
    resolve_path,
)
from devvolume.teach._views import (
    FACTORS,
    PERIOD_LABELS,
    chinese,
    conversion_view,
    counting_chart,
    counting_comparison,
    factor_chart,
    factor_view,
    funnel_view,
    volume_totals,
    volume_view,
)
from devvolume.viz import ChartView

#: File types the upload button accepts.
UPLOAD_ACCEPT = ".xlsx,.csv"
#: Label of "the whole company" in team drop-downs.
ALL_TEAMS = "全公司"


#: What an unrun notebook shows in a control's place (its text form, stored with the outputs).
NOT_RUN_TEXT = "〔{what}：运行这个单元格后才会出现。请先点菜单 Run → Run All Cells（运行全部单元格）〕"


class Described:
    """A control that names itself in the text an unrun notebook shows in its place.

    A stored notebook keeps a control's text form next to its widget view; JupyterLab shows the
    text until the cell runs again, so it says what will appear there and how to get it.
    """

    #: What the control is, in Chinese.
    what = "小工具"

    def __repr__(self) -> str:
        return NOT_RUN_TEXT.format(what=self.what)


# --- loading a manager's own work log -----------------------------------------------------------

class WorklogPicker(Described, widgets.VBox):
    """Load your own 工作日志表: a path box, an upload button, a 加载 button and the result.

    A relative path starts in the folder JupyterLab was started in, then the notebook's folder
    (:func:`~devvolume.teach.resolve_path`). After a load without problems, :attr:`worklog`
    holds the canonical work log. When some rows have problems, they are listed and a button
    offers to go on with the rows without problems; :attr:`worklog` holds those rows once it is
    pressed (:attr:`partial` is then True). :attr:`check` holds the last
    :class:`~devvolume.WorklogCheck` (or None), :attr:`error` the last unusable file's error.
    """

    what = "载入工作日志表的小工具"

    def __init__(self, *, path: str = "",
                 on_load: Callable[[pd.DataFrame], None] | None = None) -> None:
        self.worklog: pd.DataFrame | None = None
        self.check: WorklogCheck | None = None
        self.error: WorklogError | None = None
        self.partial = False
        self._on_load = on_load
        self.path = widgets.Text(value=path, description="文件路径",
                                 placeholder="例如 我的数据/三月工作日志.xlsx 或 D:/数据/三月.csv",
                                 layout=widgets.Layout(width="520px"))
        self.path.add_class("dv-worklog-path")
        self.upload = widgets.FileUpload(accept=UPLOAD_ACCEPT, multiple=False,
                                         description="上传文件")
        self.button = widgets.Button(description="加载", button_style="primary", icon="upload")
        self.button.add_class("dv-worklog-load")
        self.result = widgets.HTML()
        self.result.add_class("dv-worklog-result")
        self.use_valid = widgets.Button(description="先用没有问题的行继续", button_style="warning",
                                        layout=widgets.Layout(width="auto", display="none"))
        self.use_valid.add_class("dv-worklog-use-valid")
        self.button.on_click(self._on_click)
        self.use_valid.on_click(self._on_use_valid)
        hint = widgets.HTML(
            "<small>填写路径，或点“上传文件”选择 .xlsx / .csv，然后点“加载”。上传的文件优先。"
            "相对路径从启动 JupyterLab 的文件夹（左侧文件浏览器的最上层）算起："
            "在文件浏览器里右键文件 → “复制路径”，粘贴过来就行。</small>")
        super().__init__([widgets.HBox([self.path, self.upload, self.button]), hint, self.result,
                          self.use_valid])

    def load(self) -> str:
        """Load from the upload (if any) or the path; update the output; return its HTML."""
        uploads = self.upload.value
        self.worklog, self.check, self.error, self.partial = None, None, None, False
        self.use_valid.layout.display = "none"
        try:
            if uploads:
                item = uploads[0]
                self.check = load_uploaded(str(item["name"]), bytes(item["content"]))
            elif self.path.value.strip():
                self.check = check_worklog(resolve_path(self.path.value))
            else:
                text = "<p>请先填写文件路径，或上传一个 .xlsx / .csv 文件。</p>"
                self._show(text)
                return text
        except WorklogError as exc:
            self.error = exc
            text = error_html(exc)
            self._show(text)
            return text
        text = check_summary_html(self.check)
        self._show(text)
        if self.check.ok:
            self._loaded(self.check.valid)
        elif len(self.check.valid):
            self.use_valid.description = f"先用没有问题的 {len(self.check.valid)} 行继续"
            self.use_valid.layout.display = None
        return text

    def use_valid_rows(self) -> pd.DataFrame:
        """Go on with the rows without problems (what the button does); the problems stay listed.

        The red message that offered the button goes with it: the note above the list says
        which rows are in use now.
        """
        if self.check is None or not len(self.check.valid):
            msg = "没有可用的行：先加载一个文件。/ nothing loaded yet."
            raise ValueError(msg)
        self.partial = True
        self.use_valid.layout.display = "none"
        self._show(partial_html(self.check) + problems_html(self.check))
        self._loaded(self.check.valid)
        return self.check.valid

    def _loaded(self, log: pd.DataFrame) -> None:
        self.worklog = log
        if self._on_load is not None:
            self._on_load(log)

    def _show(self, text: str) -> None:
        self.result.value = text

    def _on_click(self, _button: Any) -> None:
        self.load()

    def _on_use_valid(self, _button: Any) -> None:
        self.use_valid_rows()


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


# --- the explorers ------------------------------------------------------------------------------

def level_options() -> list[tuple[str, str]]:
    """(label, code) pairs for a level drop-down, in funnel order."""
    return [(f"{STAGE_LABELS[level]}（{level}）", level) for level in LEVELS]


def period_options() -> list[tuple[str, str]]:
    """(label, code) pairs for a period drop-down."""
    return [(label, code) for code, label in PERIOD_LABELS.items()]


def team_options(log: pd.DataFrame, *, everyone: str = ALL_TEAMS) -> list[tuple[str, str]]:
    """(label, value) pairs for a team drop-down: everyone (``""``) first, then each team.

    Examples
    --------
    >>> log = pd.DataFrame({"team": ["二组", "一组", "二组"]})
    >>> team_options(log, everyone="全部团队")
    [('全部团队', ''), ('一组', '一组'), ('二组', '二组')]
    """
    return [(everyone, ""), *((t, t) for t in sorted(log["team"].dropna().unique()))]


def _dropdown(options: Sequence[tuple[str, str]], value: str, description: str) -> Any:
    return widgets.Dropdown(options=list(options), value=value, description=description,
                            style={"description_width": "4em"},
                            layout=widgets.Layout(width="260px"))


def _format_float(value: float) -> str:
    return f"{value:.3f}"


class Explorer(Described, widgets.VBox):
    """Drop-downs over a work log; each change calls a pure function and redraws table + chart.

    Subclasses set :attr:`controls` and implement :meth:`compute` (pure: values → table) and
    :meth:`draw` (table → chart). :attr:`table` is the last result; :attr:`reached` is the
    company's reached-levels table, computed once here and passed to every view. The first chart
    is static SVG; once a control moves, charts are drawn live by JupyterLab (:class:`ChartView`).
    Every chart's title starts with what it counts: the team chosen, or :attr:`everyone` (the
    whole log: 全公司 for a case, 全部团队 for a manager's own file).
    """

    def __init__(self, log: pd.DataFrame, controls: dict[str, Any], *,
                 everyone: str = ALL_TEAMS) -> None:
        self.worklog = log
        self.everyone = everyone
        self.reached = reached_levels(log)
        self.controls = controls
        self.table: pd.DataFrame = pd.DataFrame()
        # Widgets' state, not captured outputs: a notebook run headless (nbclient, nbval) gets no
        # stray outputs from building the control. The table comes first and is updated first.
        self.table_view = widgets.HTML()
        self.table_view.add_class("dv-explorer-table")
        self.chart_view = ChartView()
        for name, control in controls.items():
            control.add_class(f"dv-control-{name}")  # a browser test finds each control
            control.observe(self._on_change, names="value")
        rows = [widgets.HBox(list(controls.values())[i:i + 3])
                for i in range(0, len(controls), 3)]
        super().__init__([*rows, self.chart_view, self.table_view])
        self.add_class("dv-explorer")
        self.refresh()

    @property
    def values(self) -> dict[str, Any]:
        """The controls' current values, by name."""
        return {name: control.value for name, control in self.controls.items()}

    def compute(self, **values: Any) -> pd.DataFrame:
        """Return the table for these control values (pure)."""
        raise NotImplementedError

    def scope(self, **values: Any) -> str:
        """Name what the table counts: the team chosen, or everyone in the log."""
        return str(values.get("team") or self.everyone)

    def draw(self, table: pd.DataFrame, **values: Any) -> Any:
        """Return the chart of a table."""
        raise NotImplementedError

    def shown(self, table: pd.DataFrame, **values: Any) -> pd.DataFrame:
        """Return the table as shown under the chart (Chinese headers)."""
        return chinese(table)

    def refresh(self, *, live: bool = False) -> pd.DataFrame:
        """Recompute the table and show it, then redraw the chart; return the table.

        ``live`` (set by the controls' callback) hands the chart to JupyterLab's renderer.
        """
        values = self.values
        try:
            self.table = self.compute(**values)
        except ValueError as exc:
            self.table_view.value = f"<p style='color:#b00020'>{html.escape(str(exc))}</p>"
            self.chart_view.clear()
            return self.table
        self.table_view.value = self.shown(self.table, **values).to_html(
            index=False, na_rep="—", float_format=_format_float)
        self.chart_view.show(self.draw(self.table, **values), live=live)
        return self.table

    @property
    def shown_html(self) -> str:
        """The static chart and the table as HTML."""
        return self.chart_view.static_html + self.table_view.value

    def _on_change(self, _change: Any) -> None:
        self.refresh(live=True)


class CountingExplorer(Explorer):
    """Lesson 01: rows vs active customers vs new customers, by level, period and team."""

    what = "三种数法对比的小工具"

    def __init__(self, log: pd.DataFrame, *, level: str = "contacted", period: str = "M",
                 team: str = "", everyone: str = ALL_TEAMS) -> None:
        super().__init__(log, {
            "level": _dropdown(level_options(), level, "阶段"),
            "period": _dropdown(period_options(), period, "周期"),
            "team": _dropdown(team_options(log, everyone=everyone), team, "团队"),
        }, everyone=everyone)

    def compute(self, **values: Any) -> pd.DataFrame:
        return counting_comparison(self.worklog, reached=self.reached, **values)

    def draw(self, table: pd.DataFrame, **values: Any) -> Any:
        level = STAGE_LABELS[values["level"]]
        return counting_chart(table, period=values["period"],
                              title=f"{self.scope(**values)}：三种数法的对比（{level}）")


#: Split choices of the volume explorer: (label, column).
SPLITS: tuple[tuple[str, str], ...] = (("不拆分", ""), ("按团队", "team"), ("按销售员", "rep"),
                                       ("按渠道", "channel"))


class VolumeExplorer(Explorer):
    """Lesson 02: development volume by level, period, team and split, with totals."""

    what = "开发量小工具"

    def __init__(self, log: pd.DataFrame, *, level: str = "won", period: str = "M",
                 team: str = "", by: str = "", everyone: str = ALL_TEAMS) -> None:
        super().__init__(log, {
            "level": _dropdown(level_options(), level, "阶段"),
            "period": _dropdown(period_options(), period, "周期"),
            "team": _dropdown(team_options(log, everyone=everyone), team, "团队"),
            "by": _dropdown([s for s in SPLITS if not s[1] or s[1] in log.columns], by, "拆分"),
        }, everyone=everyone)

    def compute(self, **values: Any) -> pd.DataFrame:
        return volume_view(self.worklog, reached=self.reached, **values)

    def draw(self, table: pd.DataFrame, **values: Any) -> Any:
        from devvolume.viz import volume_trend

        by = values["by"] or None
        title = (f"{self.scope(**values)}：每{PERIOD_LABELS[values['period']]}"
                 f"{NEW_CUSTOMERS[values['level']]}")
        return volume_trend(table, period=values["period"], by=by, level=values["level"],
                            mark="bar" if by else "line", title=title)

    def shown(self, table: pd.DataFrame, **values: Any) -> pd.DataFrame:
        return chinese(volume_totals(table, by=values["by"]))


class FunnelExplorer(Explorer):
    """Lesson 03: the funnel of the company, or one team's by cohort credit."""

    what = "开发漏斗小工具"

    def __init__(self, log: pd.DataFrame, *, team: str = "", everyone: str = ALL_TEAMS) -> None:
        super().__init__(log, {"team": _dropdown(team_options(log, everyone=everyone), team,
                                                 "团队")}, everyone=everyone)

    def compute(self, **values: Any) -> pd.DataFrame:
        return funnel_view(self.worklog, reached=self.reached, **values)

    def draw(self, table: pd.DataFrame, **values: Any) -> Any:
        from devvolume.viz import funnel

        return funnel(table, title=f"{self.scope(**values)}：客户开发漏斗")


class ConversionExplorer(Explorer):
    """Lesson 03: cohort (or period) conversion between two levels, optionally within N days."""

    what = "转化率小工具"

    def __init__(self, log: pd.DataFrame, *, start: str = "contacted", end: str = "won",
                 period: str = "M", team: str = "", within_days: int = 0,
                 form: str = "cohort", everyone: str = ALL_TEAMS) -> None:
        super().__init__(log, {
            "start": _dropdown(level_options()[:-1], start, "从"),
            "end": _dropdown(level_options()[1:], end, "到"),
            "period": _dropdown(period_options(), period, "周期"),
            "team": _dropdown(team_options(log, everyone=everyone), team, "团队"),
            "within_days": widgets.IntSlider(value=within_days, min=0, max=180, step=15,
                                             description="天内（0=不限）",
                                             style={"description_width": "7em"},
                                             continuous_update=False),
            "form": _dropdown([("队列口径（推荐）", "cohort"), ("期间口径（吞吐比）", "period")],
                              form, "口径"),
        }, everyone=everyone)

    def compute(self, **values: Any) -> pd.DataFrame:
        return conversion_view(self.worklog, reached=self.reached, **values)

    def draw(self, table: pd.DataFrame, **values: Any) -> Any:
        from devvolume.viz import conversion_by_cohort

        scope = self.scope(**values)
        steps = f"{STAGE_LABELS[values['start']]} → {STAGE_LABELS[values['end']]}"
        if values["form"] == "period":
            frame = table.rename(columns={"started": "cohort", "finished": "converted"})
            frame["conversion"] = frame.pop("throughput").clip(upper=1.0)
            return conversion_by_cohort(
                frame, period=values["period"], start=values["start"], end=values["end"],
                title=f"{scope}：{steps}，期间口径：本期完成数 ÷ 本期开始数"
                      "（不是同一批客户，超过 100% 的被截断）")
        return conversion_by_cohort(table, period=values["period"], start=values["start"],
                                    end=values["end"],
                                    title=f"{scope}：{steps} 的队列转化率（每批客户后来转化的比例）")


class FactorExplorer(Explorer):
    """Lesson 04: compare channels, teams or reps on contacts, conversion, win rate and effort."""

    what = "因素比较小工具"

    def __init__(self, log: pd.DataFrame, *, factor: str = "channel", team: str = "",
                 everyone: str = ALL_TEAMS) -> None:
        options = [(name, column) for column, name in FACTORS.items() if column in log.columns]
        super().__init__(log, {
            "factor": _dropdown(options, factor, "比较"),
            "team": _dropdown(team_options(log, everyone=everyone), team, "团队"),
        }, everyone=everyone)

    def compute(self, **values: Any) -> pd.DataFrame:
        return factor_view(self.worklog, reached=self.reached, **values)

    def draw(self, table: pd.DataFrame, **values: Any) -> Any:
        name = FACTORS[values["factor"]]
        return factor_chart(table, factor=values["factor"],
                            title=f"{self.scope(**values)}：按{name}比较，首次接触 → 成交的转化率")

    def shown(self, table: pd.DataFrame, **values: Any) -> pd.DataFrame:
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
