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
from devvolume.inputs import WorklogCheck, WorklogError, check_worklog
from devvolume.teach._ownlog import check_summary_html, error_html, load_uploaded
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


# --- loading a manager's own work log -----------------------------------------------------------

class WorklogPicker(widgets.VBox):
    """Load your own 工作日志表: a path box, an upload button, a 加载 button and the result.

    After a load without problems, :attr:`worklog` holds the canonical work log; it stays None
    until then. :attr:`check` holds the last :class:`~devvolume.WorklogCheck` (or None).
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
            text = error_html(exc)
            self._show(text)
            return text
        if self.check.ok:
            self.worklog = self.check.valid
        text = check_summary_html(self.check)
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


# --- the explorers ------------------------------------------------------------------------------

def level_options() -> list[tuple[str, str]]:
    """(label, code) pairs for a level drop-down, in funnel order."""
    return [(f"{STAGE_LABELS[level]}（{level}）", level) for level in LEVELS]


def period_options() -> list[tuple[str, str]]:
    """(label, code) pairs for a period drop-down."""
    return [(label, code) for code, label in PERIOD_LABELS.items()]


def team_options(log: pd.DataFrame) -> list[tuple[str, str]]:
    """(label, value) pairs for a team drop-down: the whole company first, then each team."""
    return [(ALL_TEAMS, ""), *((t, t) for t in sorted(log["team"].dropna().unique()))]


def _dropdown(options: Sequence[tuple[str, str]], value: str, description: str) -> Any:
    return widgets.Dropdown(options=list(options), value=value, description=description,
                            style={"description_width": "4em"},
                            layout=widgets.Layout(width="260px"))


def _format_float(value: float) -> str:
    return f"{value:.3f}"


class Explorer(widgets.VBox):
    """Drop-downs over a work log; each change calls a pure function and redraws table + chart.

    Subclasses set :attr:`controls` and implement :meth:`compute` (pure: values → table) and
    :meth:`draw` (table → chart). :attr:`table` is the last result; :attr:`reached` is the
    company's reached-levels table, computed once here and passed to every view. The first chart
    is static SVG; once a control moves, charts are drawn live by JupyterLab (:class:`ChartView`).
    """

    def __init__(self, log: pd.DataFrame, controls: dict[str, Any]) -> None:
        self.worklog = log
        self.reached = reached_levels(log)
        self.controls = controls
        self.table: pd.DataFrame = pd.DataFrame()
        # Widgets' state, not captured outputs: a notebook run headless (nbclient, nbval) gets no
        # stray outputs from building the control. The table comes first and is updated first.
        self.table_view = widgets.HTML()
        self.chart_view = ChartView()
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

    def __init__(self, log: pd.DataFrame, *, level: str = "contacted", period: str = "M",
                 team: str = "") -> None:
        super().__init__(log, {
            "level": _dropdown(level_options(), level, "阶段"),
            "period": _dropdown(period_options(), period, "周期"),
            "team": _dropdown(team_options(log), team, "团队"),
        })

    def compute(self, **values: Any) -> pd.DataFrame:
        return counting_comparison(self.worklog, reached=self.reached, **values)

    def draw(self, table: pd.DataFrame, **values: Any) -> Any:
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

    def compute(self, **values: Any) -> pd.DataFrame:
        return volume_view(self.worklog, reached=self.reached, **values)

    def draw(self, table: pd.DataFrame, **values: Any) -> Any:
        from devvolume.viz import volume_trend

        by = values["by"] or None
        return volume_trend(table, period=values["period"], by=by, level=values["level"],
                            mark="bar" if by else "line")

    def shown(self, table: pd.DataFrame, **values: Any) -> pd.DataFrame:
        return chinese(volume_totals(table, by=values["by"]))


class FunnelExplorer(Explorer):
    """Lesson 03: the funnel of the company, or one team's by cohort credit."""

    def __init__(self, log: pd.DataFrame, *, team: str = "") -> None:
        super().__init__(log, {"team": _dropdown(team_options(log), team, "团队")})

    def compute(self, **values: Any) -> pd.DataFrame:
        return funnel_view(self.worklog, reached=self.reached, **values)

    def draw(self, table: pd.DataFrame, **values: Any) -> Any:
        from devvolume.viz import funnel

        return funnel(table, title=f"客户开发漏斗：{values['team'] or ALL_TEAMS}")


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

    def compute(self, **values: Any) -> pd.DataFrame:
        return conversion_view(self.worklog, reached=self.reached, **values)

    def draw(self, table: pd.DataFrame, **values: Any) -> Any:
        from devvolume.viz import conversion_by_cohort

        if values["form"] == "period":
            frame = table.rename(columns={"started": "cohort", "finished": "converted"})
            frame["conversion"] = frame.pop("throughput").clip(upper=1.0)
            return conversion_by_cohort(
                frame, period=values["period"], start=values["start"], end=values["end"],
                title="期间口径：本期完成数 ÷ 本期开始数（不是同一批客户，超过 100% 的被截断）")
        return conversion_by_cohort(table, period=values["period"], start=values["start"],
                                    end=values["end"])


class FactorExplorer(Explorer):
    """Lesson 04: compare channels, teams or reps on contacts, conversion, win rate and effort."""

    def __init__(self, log: pd.DataFrame, *, factor: str = "channel", team: str = "") -> None:
        options = [(name, column) for column, name in FACTORS.items() if column in log.columns]
        super().__init__(log, {
            "factor": _dropdown(options, factor, "比较"),
            "team": _dropdown(team_options(log), team, "团队"),
        })

    def compute(self, **values: Any) -> pd.DataFrame:
        return factor_view(self.worklog, reached=self.reached, **values)

    def draw(self, table: pd.DataFrame, **values: Any) -> Any:
        return factor_chart(table, factor=values["factor"])

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
