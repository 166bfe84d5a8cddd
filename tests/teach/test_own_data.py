"""A manager's own work log in the lessons: found by a relative path, loaded without code, explored
by team as a slice of the file's company-wide result, and usable when a few rows are bad.

The log here is the hand-counted ``shared_log`` of ``tests/conftest.py`` (two teams sharing
customers, Chinese labels) written as the CSV a manager would have, plus one bad row. Team A's
new contacts are 3 (甲, 丙, 丁) of the company's 4; counted on A's own rows they would be 4.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import devvolume as dv
from devvolume import WorklogError, teach

HEADER = "日期,销售员,团队,客户,阶段\n"
ROWS = [
    "2026-03-02,张,A,客户甲,首次接触",
    "2026-03-03,李,B,客户乙,首次接触",
    "2026-03-04,张,A,客户丙,首次接触",
    "2026-03-10,李,B,客户甲,意向",
    "2026-03-20,张,A,客户丙,流失",
    "2026-03-24,李,B,客户甲,签约",
    "2026-03-30,李,B,客户甲,成交",
    "2026-04-01,李,B,客户丁,首次接触",
    "2026-04-01,张,A,客户丁,首次接触",
    "2026-04-06,张,A,客户乙,成交",
    "2026-04-20,李,B,客户丁,首次接触",
]
#: A row with an impossible date: row 13 as Excel shows it (the header is row 1).
BAD_ROW = "2026-04-31,李,B,客户戊,首次接触"


def write_log(folder: Path, name: str = "三月工作日志.csv", *, bad: bool = False) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(HEADER + "\n".join(ROWS + ([BAD_ROW] if bad else [])) + "\n",
                    encoding="utf-8")
    return path


@pytest.fixture
def lab(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A JupyterLab started in ``tmp_path/lab``, as a kernel sees it; the kernel runs in
    ``lab/notebooks`` (the notebook's folder)."""
    root = tmp_path / "lab"
    notebooks = root / "notebooks"
    notebooks.mkdir(parents=True)
    runtime = tmp_path / "runtime"
    runtime.mkdir()
    (runtime / "jpserver-4242.json").write_text(json.dumps({"root_dir": str(root), "pid": 4242}),
                                                encoding="utf-8")
    monkeypatch.setenv("JPY_PARENT_PID", "4242")
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(runtime))
    monkeypatch.chdir(notebooks)
    return root


# --- finding the file ----------------------------------------------------------------------------

def test_jupyterlab_folder_comes_first(lab: Path) -> None:
    assert teach.lab_root() == lab
    assert teach.start_folders() == [lab.resolve(), (lab / "notebooks").resolve()]


def test_outside_jupyterlab_the_current_folder(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JPY_PARENT_PID", raising=False)
    monkeypatch.chdir(tmp_path)
    assert teach.lab_root() is None
    assert teach.start_folders() == [tmp_path.resolve()]


def test_a_relative_path_starts_where_jupyterlab_was_started(lab: Path) -> None:
    path = write_log(lab / "我的数据")
    # what JupyterLab's "Copy Path" gives: relative to the top of the file browser
    assert teach.resolve_path("我的数据/三月工作日志.csv") == path.resolve()
    # pasted with quotes and spaces
    assert teach.resolve_path(' "我的数据/三月工作日志.csv" ') == path.resolve()
    # the notebook's own folder is tried next
    beside = write_log(lab / "notebooks", "旁边.csv")
    assert teach.resolve_path("旁边.csv") == beside.resolve()
    assert teach.resolve_path(str(path)) == path.resolve()


def test_not_found_names_every_absolute_path_it_tried(lab: Path) -> None:
    with pytest.raises(WorklogError) as caught:
        teach.resolve_path("数据/没有这个文件.xlsx")
    message = str(caught.value)
    assert message.startswith("找不到文件")
    assert str(lab / "数据" / "没有这个文件.xlsx") in message
    assert str(lab / "notebooks" / "数据" / "没有这个文件.xlsx") in message
    assert "启动 JupyterLab 的文件夹" in message
    assert str(lab) in message
    assert "复制路径" in message


def test_the_picker_loads_a_relative_path_and_says_where_it_looked(lab: Path) -> None:
    write_log(lab / "我的数据")
    picker = teach.worklog_picker(path="我的数据/三月工作日志.csv")
    picker.load()
    assert picker.worklog is not None
    assert len(picker.worklog) == len(ROWS)
    picker.path.value = "我的数据/四月.csv"
    text = picker.load()
    assert picker.worklog is None
    assert str(lab / "我的数据" / "四月.csv") in text


# --- a few bad rows do not block the view -----------------------------------------------------

def test_bad_rows_are_listed_and_the_valid_rows_offered(tmp_path: Path) -> None:
    loaded: list[int] = []
    picker = teach.worklog_picker(path=str(write_log(tmp_path, bad=True)),
                                  on_load=lambda log: loaded.append(len(log)))
    text = picker.load()
    assert picker.worklog is None                         # nothing used without asking
    assert picker.check is not None
    assert picker.check.bad_rows == [len(ROWS) + 2]
    assert "2026-04-31" in text
    assert picker.use_valid.layout.display != "none"
    assert str(len(ROWS)) in picker.use_valid.description
    picker.use_valid.click()
    assert picker.partial
    assert picker.worklog is not None
    assert len(picker.worklog) == len(ROWS)
    assert loaded == [len(ROWS)]
    assert "有 1 行有问题，没有算进来" in picker.result.value
    assert "2026-04-31" in picker.result.value             # the problems stay listed
    assert picker.use_valid.layout.display == "none"
    # the red message went with its button: nothing offers a button that is gone
    assert "❌" not in picker.result.value
    assert "点下面的按钮" not in picker.result.value


def test_a_file_without_a_valid_row_offers_nothing(tmp_path: Path) -> None:
    path = tmp_path / "坏.csv"
    path.write_text(HEADER + BAD_ROW + "\n", encoding="utf-8")
    picker = teach.worklog_picker(path=str(path))
    picker.load()
    assert picker.use_valid.layout.display == "none"
    with pytest.raises(ValueError, match="没有可用的行"):
        teach.worklog_picker().use_valid_rows()


def test_a_clean_file_hides_the_button(tmp_path: Path) -> None:
    picker = teach.worklog_picker(path=str(write_log(tmp_path)))
    picker.load()
    assert not picker.partial
    assert picker.use_valid.layout.display == "none"


# --- the views: a team is a slice of the file's result, and the title says which ---------------

def own(tmp_path: Path, *views: object, bad: bool = False, **options: object) -> teach.OwnWorklog:
    control = teach.own_worklog(*views, path=str(write_log(tmp_path, bad=bad)), **options)
    control.load()
    return control


def test_nothing_is_shown_before_a_load() -> None:
    control = teach.own_worklog("counting")
    assert control.worklog is None
    assert control.views == []
    assert control.body.children == ()


def test_choosing_a_team_slices_the_company_result(tmp_path: Path) -> None:
    control = own(tmp_path, "counting", level="contacted", period="M")
    (explorer,) = control.views
    log = control.worklog
    assert log is not None
    assert explorer.values == {"level": "contacted", "period": "M", "team": ""}
    assert [label for label, _ in explorer.controls["team"].options] == ["全部团队", "A", "B"]
    assert explorer.table["new"].tolist() == [3, 1]           # the whole file: 4 new contacts
    title = explorer.draw(explorer.table, **explorer.values).to_dict()["title"]
    assert title.startswith("全部团队：")
    assert "我的团队" not in title

    explorer.controls["team"].value = "A"                    # a team, no code
    assert explorer.table["new"].tolist() == [2, 1]           # 甲, 丙 in March; 丁 in April
    pd.testing.assert_frame_equal(
        explorer.table, dv.teach.counting_comparison(log, level="contacted", team="A"))
    recount = dv.development_volume(log[log["team"] == "A"], level="contacted")
    assert recount["volume"].sum() == 4 != explorer.table["new"].sum()  # a recount says 4
    title = explorer.draw(explorer.table, **explorer.values).to_dict()["title"]
    assert title.startswith("A：")

    explorer.controls["level"].value = "won"                 # a level, no code
    assert explorer.table["new"].tolist() == [0, 1]           # 乙, won by A's rep in April


def test_every_named_view_is_built_and_titled_with_its_team(tmp_path: Path) -> None:
    control = own(tmp_path, "counting", "volume", "funnel", "conversion", "factor", "change",
                  level="won", period="M", within_days=30)
    kinds = [type(view).__name__ for view in control.views]
    assert kinds == ["CountingExplorer", "VolumeExplorer", "FunnelExplorer", "ConversionExplorer",
                     "FactorExplorer", "ChangeChecker"]
    for view in control.views[:5]:
        view.controls["team"].value = "B"
        spec = view.draw(view.table, **view.values).to_dict()
        assert spec["title"].startswith("B："), (type(view).__name__, spec["title"])
    funnel = control.views[2].table
    assert funnel["customers"].tolist()[0] == 1               # B's cohort: 乙
    checker = control.views[5]
    checker.team.value = "A"
    checker.level_choice.value = "contacted"
    change = checker.refresh()
    assert change.headline.startswith("A 2026-04：新接触客户 2 → 1")
    checker.team.value = ""
    assert checker.refresh().headline.startswith("全部团队 2026-04")


def test_a_file_of_one_team_starts_on_that_team(tmp_path: Path) -> None:
    path = tmp_path / "一组.csv"
    path.write_text(HEADER + "2026-03-02,张,华东一组,客户甲,首次接触\n", encoding="utf-8")
    control = teach.own_worklog("volume", path=str(path))
    control.load()
    assert control.views[0].values["team"] == "华东一组"


def test_the_views_use_the_valid_rows_after_the_button(tmp_path: Path) -> None:
    control = own(tmp_path, "volume", bad=True, level="contacted")
    assert control.views == []
    control.picker.use_valid.click()
    (explorer,) = control.views
    assert explorer.table["volume"].sum() == 4


def test_a_function_view_gets_the_whole_log_and_the_team(tmp_path: Path) -> None:
    calls: list[tuple[int, str]] = []

    def new_contacts(log: pd.DataFrame, team: str) -> pd.DataFrame:
        calls.append((len(log), team))
        return dv.teach.volume_view(log, level="contacted", team=team)

    control = own(tmp_path, new_contacts)
    (switch,) = control.views
    assert isinstance(switch, teach.TeamSwitch)
    assert calls == [(len(ROWS), "")]
    switch.team.value = "A"
    assert calls[-1] == (len(ROWS), "A")                     # never a log cut to the team
    assert switch.shown[0]["volume"].tolist() == [2, 1]


def test_the_strategy_view_starts_from_the_team_slice(tmp_path: Path) -> None:
    model = dv.sim.CASES["directsales"].model
    control = own(tmp_path, "strategy", model=model)
    (switch,) = control.views
    switch.team.value = "A"
    (simulator,) = switch.shown
    log = control.worklog
    assert log is not None
    assert simulator.baseline == dv.teach.baseline_from_worklog(log, team="A", model=model)
    assert simulator.title.startswith("A：")


def test_unknown_views_and_options_are_named() -> None:
    with pytest.raises(ValueError, match="counting"):
        teach.own_worklog("countin")
    with pytest.raises(TypeError, match="levle"):
        teach.own_worklog("counting", levle="won")



def test_every_control_names_itself_until_run(tmp_path: Path) -> None:
    log = dv.read_worklog(write_log(tmp_path))
    data = dv.load_dataset("directsales")
    attained = dv.attainment(data.worklog, data.targets).head(24)
    controls = [teach.worklog_picker(), teach.own_worklog("counting"),
                teach.TeamSwitch(log, lambda whole, team: team),
                teach.counting_explorer(log), teach.volume_explorer(log),
                teach.funnel_explorer(log), teach.conversion_explorer(log),
                teach.factor_explorer(log), teach.ChangeChecker(log),
                teach.StrategySimulator(teach.baseline_from_worklog(log)),
                teach.IncentivePlanner(attained)]
    for control in controls:
        text = control._repr_mimebundle_()["text/plain"]
        assert text.startswith("〔"), text
        assert "Run All Cells" in text, text
        assert not text.endswith("…")                    # short enough to be shown whole


def test_lesson_06_meeting_view_on_a_loaded_file(tmp_path: Path) -> None:
    """The function lesson 06 hands to own_worklog runs on a manager's file, for each team."""
    import jupytext

    lesson = Path(__file__).resolve().parents[2] / "notebooks" / "source" / "06_team_management.py"
    (code,) = [c.source for c in jupytext.read(lesson).cells
               if c.cell_type == "code" and "def my_meeting" in c.source]
    scope: dict[str, object] = {"dv": dv, "pd": pd}
    exec(code.replace("dv.teach.own_worklog(my_meeting)", ""), scope)
    log = dv.read_worklog(write_log(tmp_path))
    switch = teach.TeamSwitch(log, scope["my_meeting"])  # type: ignore[arg-type]
    headline, review, points, count, _calls = switch.shown
    # the log stops on Monday 20 April: the week reviewed is the last complete one
    assert headline.startswith("全部团队：回顾 2026-04-13 – 2026-04-19，和前一周 2026-04-06 – 2026-04-12 整周比")
    assert "本周 2026-04-20 – 2026-04-20 还没过完" in headline
    assert "销售员" in review.columns
    assert points.startswith(dv.report.NOISE_WARNING["zh"])  # the pack's noise warning first
    assert count.startswith("截至 2026-04-20")
    switch.team.value = "B"
    headline, review, _, _, _ = switch.shown
    assert headline.startswith("B：")
    assert set(review["团队"]) <= {"B", ""}
