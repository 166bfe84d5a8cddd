r"""What goes wrong with a work log, worded for the person who fixes it, and safe to print.

A :class:`WorklogError` says what is wrong, where (file, sheet, row as seen in Excel, column)
and how to fix it, in Chinese first and then English. Text taken from the file (cell values,
headers, sheet names) passes through :func:`printable` before it is shown, so a cell holding a
terminal escape code cannot recolour or rewrite the screen of whoever reads the message.
"""

from __future__ import annotations

import re
from typing import NoReturn

import pandas as pd

#: The columns of every problems table.
PROBLEM_COLUMNS = ("row", "column", "header", "value", "problem")

#: Characters never shown, or put in a file name, as they are (a regular-expression class): C0
#: and C1 controls, and the invisible marks that reorder or hide text: bidirectional controls and
#: overrides (``\u202e`` makes ``abc\u202etxt.exe`` look like it ends in ``.txt``), zero-width
#: characters and line separators.
HIDDEN_CHARACTERS = "\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff"
# Terminal escape sequences (CSI and OSC), and the hidden characters.
_UNPRINTABLE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]?|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"
    rf"|[{HIDDEN_CHARACTERS}]"
)
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(text: object) -> str:
    r"""Return ``text`` with control characters and terminal escape codes made visible.

    Examples
    --------
    >>> printable("恒达\x1b[31m贸易\n")
    '恒达\\x1b[31m贸易\\n'
    """
    return _UNPRINTABLE.sub(_visible, str(text))


def printable_lines(text: object) -> str:
    r"""Return :func:`printable` text that keeps its line breaks (a message of several lines).

    Examples
    --------
    >>> printable_lines("没有名为“abc\u202etxt”的团队\nHint: …")
    '没有名为“abc\\u202etxt”的团队\nHint: …'
    """
    return "\n".join(printable(line) for line in str(text).split("\n"))


def _visible(match: re.Match[str]) -> str:
    return "".join(_NAMED.get(ch) or (ch if ch.isprintable() else _escape(ch))
                   for ch in match.group())


def _escape(ch: str) -> str:
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


class WorklogError(ValueError):
    """A work log that cannot be used as it is; ``.problems`` lists every problem.

    Attributes
    ----------
    problems : pandas.DataFrame
        ``row`` (as seen in Excel; 0 when the whole file is concerned), ``column``, ``header``,
        ``value`` and ``problem``.
    source : str
        The file name.
    sheet : str or None
        The worksheet concerned, for an Excel workbook.
    """

    def __init__(self, message: str, problems: pd.DataFrame, source: str = "",
                 *, sheet: str | None = None) -> None:
        super().__init__(message)
        self.problems = problems
        self.source = source
        self.sheet = sheet


def where(name: str, sheet: str | None = None) -> str:
    """Name the file (and worksheet) in a message."""
    lines = f"文件 / file: {printable(name)}"
    if sheet is not None:
        lines += f"\n工作表 / sheet: {printable(sheet)}"
    return lines


def fail(name: str, what: str, hint: str, *, row: int = 0, sheet: str | None = None) -> NoReturn:
    """Raise a :class:`WorklogError` for a problem with the whole file (or its header)."""
    problems = pd.DataFrame([(row, "", "", "", what)], columns=list(PROBLEM_COLUMNS))
    msg = f"{what}\n{where(name, sheet)}\n提示 / Hint: {hint}"
    raise WorklogError(msg, problems, name, sheet=sheet)


def fail_os(name: str, error: OSError) -> NoReturn:
    """Word an operating-system error (a folder, no permission, a vanished file) for a person."""
    if isinstance(error, IsADirectoryError):
        fail(name, "这是一个文件夹，不是文件 / this is a folder, not a file",
             "给出文件夹里的工作日志表文件，例如 数据/三月.xlsx。/ Give the work-log file inside it.")
    if isinstance(error, PermissionError):
        fail(name, "没有权限读取这个文件 / no permission to read this file",
             "关闭正在使用它的程序（如 Excel），或把它复制到自己的文件夹再试。/ Close the program "
             "that holds it (e.g. Excel), or copy it to a folder of your own.")
    if isinstance(error, FileNotFoundError):
        fail(name, f"找不到文件 / file not found: {printable(name)}",
             "检查路径是否正确，文件名是否包含扩展名（.xlsx 或 .csv）。/ Check the path and extension.")
    reason = printable(error.strerror or type(error).__name__)
    fail(name, f"无法读取这个文件 / cannot read this file ({reason})",
         "确认文件在本机磁盘上且没有被其他程序占用，然后再试。/ Check that the file is on a local "
         "disk and not held by another program, then try again.")
