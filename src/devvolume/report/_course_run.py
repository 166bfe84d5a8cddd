"""Run the course's lessons in the report engine's warm kernels, keeping each executed notebook.

:func:`run_lessons` hands lesson tasks to :func:`devvolume.report._engine.run_tasks`, whose
worker processes run them in warm kernels, with another export (:func:`export_lesson`): it
writes the executed notebook beside the page, shows the code (as the lesson does), and puts a
sentence in place of each control, which needs a running notebook.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from devvolume.report._engine import Outcome, Task, run_tasks, write_atomic


@dataclass
class LessonTask(Task):
    """One lesson for one team: the engine's task, and where the executed notebook goes."""

    ipynb: str = ""


def run_lessons(tasks: Sequence[LessonTask], *, jobs: int, progress: bool) -> dict[int, Outcome]:
    """Run lesson tasks in the engine's warm workers, keeping each executed notebook."""
    return run_tasks(list(tasks), jobs=jobs, progress=progress, label="lessons",
                     exporter=lesson_exporter)  # fmt: skip


def lesson_exporter(task: Task) -> Callable[..., str]:
    """Export one lesson task with :func:`export_lesson`, into the task's ``ipynb``."""
    return partial(export_lesson, ipynb=Path(task.ipynb))  # type: ignore[attr-defined]


#: What a lesson's control shows in a page (controls need a running notebook).
CONTROL_TEXT = ("〔这里是一个可以动手操作的小工具（{what}）。网页里用不了：用 JupyterLab 打开同一文件夹里的 "
                "{notebook}，点菜单 Run → Run All Cells（运行全部单元格）后就会出现。〕")  # fmt: skip
_WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
_WHAT = re.compile(r"^〔(?P<what>[^：〕]+)：")


#: The tag of a lesson's first cell, which tells a learner that the stored outputs are the case's.
RUN_FIRST_TAG = "dv-run-first"
#: What that cell says instead in a lesson the course ran for a team (``{how}``: the notebook or page).
RAN_TEXT = ("> **这一课已经为 {team} 运行好了**，用的是{data}：下面的表和图都是用它算出来的，团队的数字是"
            "先在整个文件上数好、再记在这个团队名下的那部分。课文里引用案例数字的地方，都加了“你的数据”说明。\n"
            "> {how}")  # fmt: skip
RAN_NOTEBOOK = ("小工具（下拉框、滑块、“加载”按钮）要再运行一次才会出现：点菜单 **运行 → 运行全部单元格**"
                "（Run → Run All Cells）。工作日志表在这台电脑上放在别处的话，先把参数单元格里的 dataset "
                "改成它的路径。")  # fmt: skip
RAN_PAGE = ("这是网页版，小工具（下拉框、滑块）在网页里用不了：用 JupyterLab 打开同一文件夹里的 "
            "{notebook}，就能动手操作。")  # fmt: skip


def export_lesson(notebook: Any, *, title: str, ipynb: Path) -> str:
    """Write the executed lesson to ``ipynb``; return its page (code shown, nothing from the network).

    The lesson's first cell (tagged :data:`RUN_FIRST_TAG`) says the outputs are the case's until
    the lesson is run; both files say instead whose data it ran on. A control (a widget) cannot
    work in a page: the page says where to use it instead.
    """
    import copy

    import nbformat

    from devvolume.report._pdf import add_print_style
    from devvolume.viz import export_html

    _say_it_ran(notebook, RAN_NOTEBOOK)
    write_atomic(ipynb, nbformat.writes(notebook))
    page = copy.deepcopy(notebook)
    _say_it_ran(page, RAN_PAGE.format(notebook=ipynb.name))
    for cell in page.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if _WIDGET_VIEW in data:
                plain = "".join(data.get("text/plain", ""))
                match = _WHAT.match(plain)
                what = match.group("what") if match else "小工具"
                output["data"] = {"text/plain": CONTROL_TEXT.format(what=what, notebook=ipynb.name)}
    return add_print_style(export_html(page, hide_code=False, title=title))


def _say_it_ran(notebook: Any, how: str) -> None:
    parameters = notebook.metadata.get("papermill", {}).get("parameters", {})
    dataset, team = str(parameters.get("dataset", "")), str(parameters.get("team", "")) or "全公司"
    from devvolume.sim import list_datasets

    data = f"案例数据 {dataset}" if dataset in list_datasets() else f"你们自己的工作日志表 {Path(dataset).name}"
    for cell in notebook.cells:
        if RUN_FIRST_TAG in cell.get("metadata", {}).get("tags", []):
            cell.source = RAN_TEXT.format(team=team, data=data, how=how)
