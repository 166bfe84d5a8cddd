"""A manager's own 工作日志表 in a lesson: load it without code, then explore it by team.

:func:`own_worklog` is the control a lesson's "用你自己的数据" section shows: the file picker
(:class:`~devvolume.teach.WorklogPicker`: a path or an upload, every problem listed by Excel row,
and a button to go on with the rows without problems) and, once a log is loaded, the lesson's
own controls built on it. Each of them has a team drop-down (and a level drop-down where a level
is asked), so nothing needs code. A team is always a slice of the file's company-wide result,
never a recount on the team's rows, and every chart says what it counts: the team chosen, or
:data:`OWN_EVERYONE` for the whole file. A file of one team starts on that team.

The views are named (:data:`OWN_VIEWS`: ``"counting"``, ``"volume"``, ``"funnel"``,
``"conversion"``, ``"factor"``, ``"strategy"``, ``"change"``) or given as a function
``view(log, team)`` that returns what to show (a widget, a table, a chart, a sentence or a
list of them); :class:`TeamSwitch` puts a team drop-down in front of such a function.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import ipywidgets as widgets
import pandas as pd
from IPython.display import display

from devvolume.teach._change import ChangeChecker
from devvolume.teach._views import check_team
from devvolume.teach._whatif import StrategySimulator, baseline_from_worklog
from devvolume.teach._widgets import (
    ConversionExplorer,
    CountingExplorer,
    Described,
    FactorExplorer,
    FunnelExplorer,
    VolumeExplorer,
    WorklogPicker,
    team_options,
)

#: How the team drop-downs and chart titles name the whole of a manager's own file.
OWN_EVERYONE = "全部团队"

#: A view of a loaded log: ``view(log, team)`` returns what to show for that team.
TeamRender = Callable[[pd.DataFrame, str], Any]


class TeamSwitch(Described, widgets.VBox):
    """A team drop-down in front of ``render(log, team)``: each choice shows its result.

    ``render`` gets the whole log and the team chosen (``""`` for everyone), so it slices the
    company-wide result itself (``team=`` of a view, ``by="team"`` of a metric). :attr:`shown`
    holds what the last call returned.
    """

    what = "按团队查看的小工具"

    def __init__(self, log: pd.DataFrame, render: TeamRender, *, team: str = "",
                 everyone: str = OWN_EVERYONE) -> None:
        self.worklog = log
        self.render = render
        self.everyone = everyone
        self.team = widgets.Dropdown(options=team_options(log, everyone=everyone),
                                     value=check_team(log, team), description="团队",
                                     style={"description_width": "4em"},
                                     layout=widgets.Layout(width="260px"))  # fmt: skip
        self.team.add_class("dv-own-team")
        self.output = widgets.Output()
        self.shown: list[Any] = []
        self.team.observe(self._on_change, names="value")
        super().__init__([self.team, self.output])
        self.refresh()

    def refresh(self) -> list[Any]:
        """Call ``render`` for the team chosen and show its result; return it as a list."""
        result = self.render(self.worklog, str(self.team.value))
        self.shown = list(result) if isinstance(result, list | tuple) else [result]
        self.output.clear_output(wait=True)
        with self.output:
            for item in self.shown:
                if isinstance(item, str):
                    print(item)  # a sentence, not its repr in quotes
                else:
                    display(item)
        return self.shown

    def _on_change(self, _change: Any) -> None:
        self.refresh()


def _strategy(log: pd.DataFrame, *, team: str, everyone: str, **options: Any) -> TeamSwitch:
    def simulate(whole: pd.DataFrame, chosen: str) -> StrategySimulator:
        baseline = baseline_from_worklog(whole, team=chosen, **options)
        return StrategySimulator(baseline, title=f"{chosen or everyone}：每月新成交客户，方案与现状对比")

    return TeamSwitch(log, simulate, team=team, everyone=everyone)


#: The named views of :func:`own_worklog`: a builder ``(log, team=, everyone=, **options)``
#: and the options it takes (a lesson passes its parameters; each view takes the ones it knows).
OWN_VIEWS: dict[str, tuple[Callable[..., Any], tuple[str, ...]]] = {
    "counting": (CountingExplorer, ("level", "period")),
    "volume": (VolumeExplorer, ("level", "period", "by")),
    "funnel": (FunnelExplorer, ()),
    "conversion": (ConversionExplorer, ("start", "end", "period", "within_days", "form")),
    "factor": (FactorExplorer, ("factor",)),
    "strategy": (_strategy, ("model", "targets")),
    "change": (ChangeChecker, ("level",)),
}


def view_of(log: pd.DataFrame, view: str | TeamRender, *, team: str = "",
            everyone: str = OWN_EVERYONE, **options: Any) -> Any:
    """Build one view of a loaded log: a named view (:data:`OWN_VIEWS`) or a :class:`TeamSwitch`.

    A named view takes the ``options`` it knows and leaves the others (one set of lesson
    parameters serves several views).

    Examples
    --------
    >>> log = pd.DataFrame({"date": pd.to_datetime(["2026-04-03", "2026-05-06"]),
    ...                     "rep": ["B", "A"], "team": ["T1", "T2"],
    ...                     "customer": ["C2", "C1"], "stage": ["won", "won"]})
    >>> explorer = view_of(log, "volume", team="T2", level="won", within_days=30)
    >>> explorer.values["team"], explorer.table["volume"].tolist()
    ('T2', [0, 1])
    """
    if callable(view):
        return TeamSwitch(log, view, team=team, everyone=everyone)
    if view not in OWN_VIEWS:
        msg = f"没有名为“{view}”的小工具。/ no view {view!r}. 现有 / views: {', '.join(OWN_VIEWS)}"
        raise ValueError(msg)
    build, known = OWN_VIEWS[view]
    return build(log, team=team, everyone=everyone,
                 **{k: v for k, v in options.items() if k in known})


def first_team(log: pd.DataFrame) -> str:
    """Return the team a view starts on: the file's only team, else ``""`` (everyone).

    Examples
    --------
    >>> first_team(pd.DataFrame({"team": ["一组", "一组"]})), first_team(pd.DataFrame({"team": ["一组", "二组"]}))
    ('一组', '')
    """
    teams = log["team"].dropna().unique()
    return str(teams[0]) if len(teams) == 1 else ""


class OwnWorklog(Described, widgets.VBox):
    """Load your own 工作日志表 and explore it with the lesson's controls, without code.

    :attr:`picker` loads the file; after a load without problems, or once the button for the
    rows without problems is pressed, :attr:`views` holds the lesson's controls built on
    :attr:`worklog`, shown below the picker.
    """

    what = "载入你自己的工作日志表的小工具"

    def __init__(self, views: Sequence[str | TeamRender], *, path: str = "",
                 everyone: str = OWN_EVERYONE, **options: Any) -> None:
        unknown = set(options) - {k for name in views if isinstance(name, str)
                                  for k in OWN_VIEWS.get(name, (None, ()))[1]}
        if unknown:
            known = sorted({k for _, keys in OWN_VIEWS.values() for k in keys})
            msg = (f"这些参数没有小工具用得上 / unused options: {', '.join(sorted(unknown))}。"
                   f"可用的参数 / options: {', '.join(known)}")
            raise TypeError(msg)
        for view in views:
            if isinstance(view, str) and view not in OWN_VIEWS:
                msg = f"没有名为“{view}”的小工具。/ no view {view!r}. 现有 / views: {', '.join(OWN_VIEWS)}"
                raise ValueError(msg)
        self.view_names = tuple(views)
        self.everyone = everyone
        self.options = options
        self.views: list[Any] = []
        self.body = widgets.VBox()
        self.picker = WorklogPicker(path=path, on_load=self._show_views)
        super().__init__([self.picker, self.body])
        self.add_class("dv-own-worklog")

    @property
    def worklog(self) -> pd.DataFrame | None:
        """The rows in use (None until a file is loaded)."""
        return self.picker.worklog

    def load(self) -> str:
        """Load the picker's file (as its 加载 button does); return the message shown."""
        return self.picker.load()

    def _show_views(self, log: pd.DataFrame) -> None:
        team = first_team(log)
        self.views = [view_of(log, view, team=team, everyone=self.everyone, **self.options)
                      for view in self.view_names]
        self.body.children = tuple(self.views)


def own_worklog(*views: str | TeamRender, path: str = "", **options: Any) -> OwnWorklog:
    """Build a lesson's "用你自己的数据" control: load a file, then explore it by team.

    Parameters
    ----------
    *views : str or callable
        The controls to build on the loaded log, in order: names from :data:`OWN_VIEWS`
        (``"counting"``, ``"volume"``, ``"funnel"``, ``"conversion"``, ``"factor"``,
        ``"strategy"``, ``"change"``), or functions ``view(log, team)``.
    path : str
        A path to fill in the box in advance.
    **options
        Starting values of the controls (``level``, ``period``, ``within_days``, ``factor``,
        ``model`` ...); each named view takes those it knows.

    Returns
    -------
    OwnWorklog
        A widget; ``.worklog`` is None until a file is loaded, ``.views`` the controls then.
    """
    return OwnWorklog(views, path=path, **options)
