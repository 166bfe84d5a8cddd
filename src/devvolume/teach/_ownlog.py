"""Load a manager's own 工作日志表 by path or upload, and describe it or its problems in Chinese.

The pure half of :func:`devvolume.teach.worklog_picker`. A typed path is found by
:func:`resolve_path`: a relative path starts in the folder JupyterLab was started in (the top of
its file browser, which is what 右键 → 复制路径 / Copy Path gives), then in the notebook's own
folder; when neither holds the file, the error names every absolute path it tried. An upload
arrives as a file name and bytes; :func:`load_uploaded` checks it with
:func:`devvolume.check_worklog` through a private temporary copy and reports every problem
against the name the manager knows. The summary and problems tables (bilingual headers) are
what the picker shows.
"""

from __future__ import annotations

import dataclasses
import html
import json
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from devvolume.core import STAGE_LABELS
from devvolume.inputs import WorklogCheck, WorklogError, check_worklog

#: Problems shown in the picker before "and n more" (the full table is ``picker.check``).
MAX_PROBLEMS_SHOWN = 50

_PROBLEM_HEADERS = {"row": "行号 row", "column": "列 column", "header": "表头 header",
                    "value": "内容 value", "problem": "问题 problem"}  # fmt: skip


def lab_root() -> Path | None:
    """Return the folder the running JupyterLab serves (the top of its file browser), if any.

    A kernel started by a Jupyter server carries the server's process id in ``JPY_PARENT_PID``;
    the server describes itself, its ``root_dir`` included, in ``jpserver-<pid>.json`` in the
    Jupyter runtime folder. Outside a Jupyter server (a script, a notebook build) this is None.
    """
    pid = os.environ.get("JPY_PARENT_PID", "")
    if not pid.isdigit():
        return None
    try:
        from jupyter_core.paths import jupyter_runtime_dir
    except ImportError:  # a kernel always has jupyter_core; a bare interpreter may not
        return None
    info = Path(jupyter_runtime_dir()) / f"jpserver-{pid}.json"
    try:
        root = json.loads(info.read_text(encoding="utf-8")).get("root_dir")
    except (OSError, ValueError):
        return None
    return Path(root) if isinstance(root, str) and Path(root).is_dir() else None


def start_folders() -> list[Path]:
    """Where a relative path is looked for, in order: JupyterLab's folder, then this folder.

    The second is the current folder: the notebook's own folder in a Jupyter kernel.
    """
    folders = [lab_root(), Path.cwd()]
    unique: list[Path] = []
    for folder in folders:
        if folder is not None and folder.resolve() not in unique:
            unique.append(folder.resolve())
    return unique


def resolve_path(text: str, *, folders: Sequence[Path] | None = None) -> Path:
    r"""Find the file a manager typed: absolute as it is, relative from the start folders.

    Quotes around a pasted path and spaces are dropped, and ``~`` is the home folder.

    Parameters
    ----------
    text : str
        The path as typed, e.g. ``"我的数据/三月.xlsx"`` or ``"D:/数据/三月.csv"``.
    folders : sequence of Path, optional
        Where to look for a relative path, in order; default :func:`start_folders`.

    Returns
    -------
    Path
        The absolute path of the file.

    Raises
    ------
    WorklogError
        If no such file exists; the message names every absolute path tried (Chinese first).

    Examples
    --------
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "log.csv").write_text("日期\n", encoding="utf-8")
    >>> resolve_path(' "log.csv" ', folders=[folder]) == (folder / "log.csv").resolve()
    True
    >>> resolve_path("nope.csv", folders=[folder])
    Traceback (most recent call last):
    ...
    devvolume.inputs._errors.WorklogError: 找不到文件 / file not found: nope.csv
    ...
    """
    typed = text.strip().strip("\"'“”‘’").strip()
    path = Path(typed).expanduser()
    tried = ([path] if path.is_absolute()
             else [(folder / path).resolve() for folder in (folders or start_folders())])
    for candidate in tried:
        if candidate.is_file():
            return candidate.resolve()
    raise _not_found(typed, tried)


def _not_found(typed: str, tried: list[Path]) -> WorklogError:
    places = "\n".join(f"  - {p}" for p in tried)
    root = lab_root()
    if Path(typed).is_absolute():
        rule = ""
    elif root is not None:
        rule = (f"相对路径先从启动 JupyterLab 的文件夹找（左侧文件浏览器的最上层：{root}），"
                "再从笔记本所在的文件夹找。\n")
    else:
        rule = "相对路径从当前文件夹找。\n"
    message = (
        f"找不到文件 / file not found: {typed}\n"
        f"找过这些地方 / looked for:\n{places}\n{rule}"
        "提示 / Hint: 在左侧文件浏览器里右键这个文件 → “复制路径”（Copy Path），粘贴到路径框里；"
        "或者点“上传文件”。文件名要带扩展名（.xlsx 或 .csv）。"
    )
    problems = pd.DataFrame([{"row": 0, "column": "", "header": "", "value": typed,
                              "problem": "找不到文件 / file not found: "
                                         + "、".join(map(str, tried))}])
    return WorklogError(message, problems, typed)


def load_uploaded(name: str, content: bytes) -> WorklogCheck:
    r"""Check an uploaded work log, reporting problems against the uploaded file's name.

    The bytes are written to a private temporary file with the same file name (hence the same
    suffix, which decides how it is read), checked with :func:`devvolume.check_worklog`, and
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


def check_summary_html(report: WorklogCheck) -> str:
    """HTML for a finished check: a summary when the file is clean, else its problems."""
    name = html.escape(report.source)
    if report.ok:
        summary = describe_worklog(report.valid).to_html(index=False)
        return (f"<p style='color:#1b7f3b'><b>✅ 已载入 {name}</b>：没有发现问题。</p>"
                f"{summary}")
    bad = len(report.bad_rows)
    usable = len(report.valid)
    go_on = (f"也可以点下面的按钮，先用没有问题的 {usable} 行继续（有问题的行不算进去）。"
             if usable else "没有一行可以直接用。")
    return (f"<p style='color:#b00020'><b>❌ {name} 有 {bad} 行数据有问题</b>"
            f"（共读入 {report.rows_read} 行）。/ {bad} of {report.rows_read} rows have problems."
            f"</p><p>请在 Excel 里按行号改正这些单元格，保存后再点“加载”。{go_on}</p>"
            f"{problems_html(report)}")


def problems_html(report: WorklogCheck) -> str:
    """Show the problems table of a check (every text in full), and how many more were left out."""
    more = len(report.problems) - MAX_PROBLEMS_SHOWN
    tail = f"<p>……另有 {more} 个问题没有列出（完整列表见 <code>picker.check.problems</code>）。</p>" \
        if more > 0 else ""
    return f"{problems_table(report.problems).to_html(index=False)}{tail}"


def partial_html(report: WorklogCheck) -> str:
    """Return the note above a view of only the rows without problems: how many are left out.

    Examples
    --------
    >>> name, content = example_problem_file()
    >>> "有 3 行有问题" in partial_html(load_uploaded(name, content))
    True
    """
    name = html.escape(report.source)
    return (f"<p style='color:#8a5a00'><b>⚠️ 正在使用 {name} 里没有问题的 {len(report.valid)} 行</b>："
            f"有 {len(report.bad_rows)} 行有问题，没有算进来（见下面的列表）。请在 Excel 里按行号改正"
            "这些单元格，保存后再点“加载”，数字才完整。</p>")


def error_html(error: WorklogError) -> str:
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
