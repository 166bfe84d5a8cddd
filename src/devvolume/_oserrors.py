r"""Operating-system errors worded for a person: what happened, where, and what to do.

A command that writes a folder meets the file system's refusals: a folder it may not write to, an
``--out`` below a file, a full disk, a path too long. Python says ``[Errno 28] No space left on
device``, with a traceback; :func:`os_error_message` says it in Chinese and English, names the
path (control characters shown, not obeyed) and gives a ``Hint:``. The command line prints it and
exits with 1 (:func:`devvolume.cli.main`), whichever command met it.

Examples
--------
>>> import errno
>>> print(os_error_message(OSError(errno.ENOSPC, "No space left on device", "out/summary.csv")))
... # doctest: +ELLIPSIS
磁盘空间不足 / no space left on the disk: out/summary.csv
Hint: 清理一些磁盘空间，或把输出放到另一个磁盘上，然后重新运行 / free some space, ...
"""

from __future__ import annotations

import errno
from pathlib import Path

from devvolume.inputs._errors import printable

#: errno -> (what happened in Chinese / in English, the hint).
_WORDS: dict[int, tuple[str, str]] = {
    errno.EACCES: ("没有权限 / permission denied",
                   "换一个你能写入的文件夹（如 --out 你的文档下的新文件夹），或请管理员给这个文件夹写入权限 "
                   "/ choose a folder you can write to (e.g. --out a new folder in your documents), "
                   "or ask for write permission on this one."),
    errno.EROFS: ("这个位置是只读的 / the file system is read-only",
                  "换一个可以写入的文件夹（--out）/ choose a folder on a writable disk (--out)."),
    errno.ENOTDIR: ("路径中的一部分是文件，不是文件夹 / a part of the path is a file, not a folder",
                    "换一个不在文件下面的文件夹（--out）/ choose a folder path that does not go "
                    "through a file (--out)."),
    errno.EISDIR: ("这是一个文件夹，不是文件 / this is a folder, not a file",
                   "给出文件的路径 / give the path of a file."),
    errno.ENOSPC: ("磁盘空间不足 / no space left on the disk",
                   "清理一些磁盘空间，或把输出放到另一个磁盘上，然后重新运行 / free some space, or "
                   "write to another disk, then run the command again."),
    errno.ENAMETOOLONG: ("路径或文件名太长 / the path or a file name is too long",
                         "用更短的文件夹路径或文件名，如 --out D:\\报告 / use a shorter folder path or "
                         "file name, e.g. --out ~/reports."),
    errno.ENOENT: ("找不到这个文件或文件夹 / no such file or folder",
                   "检查路径的拼写，以及上一级文件夹是否存在 / check the path's spelling and that "
                   "its folders exist."),
    errno.EEXIST: ("已经存在 / it already exists",
                   "换一个名字，或先移走原来的 / choose another name, or move the old one away."),
    errno.EMFILE: ("同时打开的文件太多 / too many files open at once",
                   "关闭一些程序后重新运行 / close some programs and run the command again."),
    errno.EIO: ("读写磁盘出错 / input/output error",
                "磁盘或网络驱动器可能有问题：换一个文件夹（--out）再试 / the disk or network drive "
                "may be failing: try another folder (--out)."),
}
_WORDS[errno.EPERM] = _WORDS[errno.EACCES]
_WORDS[errno.EDQUOT] = _WORDS[errno.ENOSPC]
_WORDS[errno.ENFILE] = _WORDS[errno.EMFILE]


def os_error_message(error: OSError) -> str:
    """Word an ``OSError`` for a person: bilingual, with the path and a ``Hint:``.

    An ``OSError`` devvolume raised with its own message (no ``errno``) is returned as it is.
    """
    if error.errno is None:
        return str(error)
    what, hint = _WORDS.get(error.errno, (
        f"操作系统拒绝了这个操作 / the operating system refused: {error.strerror or error}",
        "检查路径和权限后重新运行 / check the path and its permissions, then run the command "
        "again."))  # fmt: skip
    paths = [str(name) for name in (error.filename, error.filename2) if name not in (None, "")]
    where = f": {printable(' -> '.join(paths))}" if paths else ""
    blocker = _file_in_the_way(paths[0]) if error.errno == errno.ENOTDIR and paths else None
    if blocker is not None:
        where += f"（{printable(blocker)} 是文件 / is a file）"
    return f"{what}{where}\nHint: {hint}"


def _file_in_the_way(path: str) -> str | None:
    """Find the first part of ``path`` that is a file, where a folder was needed."""
    for parent in reversed(Path(path).parents):
        if parent.is_file():
            return str(parent)
    return None
