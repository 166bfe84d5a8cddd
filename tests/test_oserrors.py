"""Operating-system errors end as one bilingual message with a hint and exit 1, never a traceback.

Real where the file system can be made to refuse (``--out`` below a file, a name too long, a
folder without write permission when the tests do not run as root), simulated where it cannot
(a full disk: the write raises ``ENOSPC``; no permission, as root).
"""

from __future__ import annotations

import errno
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from devvolume._oserrors import os_error_message
from devvolume.cli import main

ROOT = Path(__file__).resolve().parents[1]


def tiny_log(path: Path) -> Path:
    pd.DataFrame({"日期": ["2026-01-05", "2026-02-03"], "销售员": ["R1", "R1"], "团队": ["甲组", "甲组"],
                  "客户": ["C1", "C1"], "阶段": ["首次接触", "成交"]}).to_csv(path, index=False)
    return path


def class_folder(root: Path) -> Path:
    path = root / "张三" / ".devvolume" / "progress.jsonl"
    path.parent.mkdir(parents=True)
    path.write_text('{"learner": "张三", "lesson": "01", "question": "q1", "outcome": "correct", '
                    '"time": "2026-05-06T10:00:00+08:00"}\n', encoding="utf-8")
    return root


def commands(tmp_path: Path, out: Path) -> dict[str, list[str]]:
    """Every command that writes a folder or file, writing to ``out``."""
    log = tiny_log(tmp_path / "log.csv")
    return {
        "report": ["report", str(log), "--out", str(out), "--no-progress"],
        "course": ["course", str(log), "--out", str(out), "--no-progress"],
        "class": ["class", str(class_folder(tmp_path / "class")), "--out", str(out)],
        "template": ["template", str(out / "工作日志表.xlsx")],
        "lessons": ["lessons", str(out)],
    }


#: Commands whose folder devvolume prepares with the shared wording (template and lessons word
#: their own refusals, in both languages too).
SHARED_WORDS = {"report", "course", "class"}


def run_main(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """Run the command line in process: exit 1, one message in both languages with a hint."""
    code = main(args)
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    assert code == 1, captured.err
    assert re.search("[\u4e00-\u9fff]", captured.err), captured.err
    assert re.search("[A-Za-z]{4,} [a-z]{2,}", captured.err), captured.err
    assert "Hint" in captured.err, captured.err
    return code, captured.err


@pytest.mark.parametrize("command", ["report", "course", "class", "template", "lessons"])
def test_out_below_a_file(command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "ok.csv"
    blocker.write_text("a file", encoding="utf-8")
    _, err = run_main(commands(tmp_path, blocker / "sub")[command], capsys)
    if command in SHARED_WORDS:
        assert "路径中的一部分是文件，不是文件夹 / a part of the path is a file, not a folder" in err
        assert f"{blocker} 是文件 / is a file" in err
    assert blocker.read_text(encoding="utf-8") == "a file"


@pytest.mark.parametrize("command", ["report", "class", "template"])
def test_a_name_too_long(command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, err = run_main(commands(tmp_path, tmp_path / ("报告" * 100))[command], capsys)
    if command in SHARED_WORDS:
        assert "路径或文件名太长 / the path or a file name is too long" in err


def _refuse(monkeypatch: pytest.MonkeyPatch, inside: Path, code: int) -> None:
    """Make creating folders and files under ``inside`` fail as the file system would."""
    real_mkdir, real_open = os.mkdir, os.open

    def refused(path: Any) -> bool:
        return str(path).startswith(str(inside))

    def mkdir(path: Any, *args: Any, **kwargs: Any) -> None:
        if refused(path):
            raise OSError(code, os.strerror(code), str(path))
        real_mkdir(path, *args, **kwargs)

    def open_(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if refused(path) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            raise OSError(code, os.strerror(code), str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "mkdir", mkdir)
    monkeypatch.setattr(os, "open", open_)


@pytest.mark.parametrize("command", ["report", "course", "class", "template", "lessons"])
def test_a_folder_without_write_permission(command: str, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    args = commands(tmp_path, tmp_path / "locked" / "out")[command]
    _refuse(monkeypatch, tmp_path / "locked", errno.EACCES)
    _, err = run_main(args, capsys)
    assert str(tmp_path / "locked") in err
    if command in SHARED_WORDS:
        assert "没有权限 / permission denied" in err


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="root may write into any folder; the simulated test covers it")
def test_a_real_folder_without_write_permission(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    locked = tmp_path / "locked"
    locked.mkdir()
    args = commands(tmp_path, locked / "out")["report"]
    locked.chmod(0o555)
    try:
        _, err = run_main(args, capsys)
    finally:
        locked.chmod(0o755)
    assert "没有权限 / permission denied" in err


@pytest.mark.parametrize("command", ["report", "class"])
def test_a_full_disk(command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                     capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    out = tmp_path / "out"
    args = commands(tmp_path, out)[command]

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)  # devvolume's writes flush before they rename
    _, err = run_main(args, capsys)
    assert err.startswith("磁盘空间不足 / no space left on the disk")
    assert not list(out.rglob("*.tmp"))  # no temporary file left behind


def test_end_to_end_out_below_a_file(tmp_path: Path) -> None:
    """The run from the issue: ``report ok.csv --out ok.csv/sub`` gave a NotADirectoryError."""
    log = tiny_log(tmp_path / "ok.csv")
    run = subprocess.run([sys.executable, "-m", "devvolume", "report", str(log), "--out",
                          str(log / "sub")], capture_output=True, text=True, encoding="utf-8",
                         cwd=ROOT, timeout=300, check=False)  # fmt: skip
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert "路径中的一部分是文件" in run.stderr


# --- the words ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("code", "words"), [
    (errno.EACCES, "没有权限 / permission denied"),
    (errno.EPERM, "没有权限 / permission denied"),
    (errno.EROFS, "只读的 / the file system is read-only"),
    (errno.ENOSPC, "磁盘空间不足 / no space left on the disk"),
    (errno.EDQUOT, "磁盘空间不足 / no space left on the disk"),
    (errno.ENAMETOOLONG, "太长 / the path or a file name is too long"),
    (errno.EIO, "读写磁盘出错 / input/output error"),
    (errno.EXDEV, "操作系统拒绝了这个操作 / the operating system refused"),
])  # fmt: skip
def test_each_error_is_worded_with_its_path_and_a_hint(code: int, words: str) -> None:
    text = os_error_message(OSError(code, os.strerror(code), "out/\x1b[31mx.html"))
    first, hint = text.split("\n")
    assert words in first
    assert first.endswith(": out/\\x1b[31mx.html")  # a control character is shown, not obeyed
    assert hint.startswith("Hint: ")


def test_an_own_message_is_kept() -> None:
    assert os_error_message(FileExistsError("输出文件夹不是空的 … Hint: …")) == "输出文件夹不是空的 … Hint: …"
