"""A hostile or careless class folder cannot stall ``devvolume class`` or reach outside it.

A zip with 20,000 progress files is opened once (the opens are counted); a link to a file or a
folder outside the class folder is listed and not followed; a named pipe is not waited on; what
one hand-in may cost is capped (:data:`MAX_HANDIN_FILES`, :data:`MAX_HANDIN_BYTES`,
:data:`MAX_HANDIN_ENTRIES`), and a cap that is hit is listed on the page. Names with control or
bidirectional-override characters are shown escaped.
"""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path
from typing import Any, ClassVar

import pytest

from devvolume.teach import _class_records
from devvolume.teach._class_records import (
    MAX_HANDIN_FILES,
    ReadProblem,
    read_progress,
)
from devvolume.teach._classroom import build_class_report

OUTSIDE = "符号链接指向这个文件夹以外，没有读取 / a symbolic link to outside the folder: not followed"


def record(learner: str, minute: int = 0, question: str = "q1") -> str:
    return json.dumps({"learner": learner, "lesson": "01", "question": question,
                       "outcome": "correct", "time": f"2026-05-06T10:{minute % 60:02d}:00+08:00"},
                      ensure_ascii=False) + "\n"  # fmt: skip


def progress_file(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


class CountingZipFile(zipfile.ZipFile):
    opened: ClassVar[list[Any]] = []

    def __init__(self, file: Any, *args: Any, **kwargs: Any) -> None:
        type(self).opened.append(file)
        super().__init__(file, *args, **kwargs)


def test_a_zip_of_20000_entries_is_opened_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "class"
    root.mkdir()
    with zipfile.ZipFile(root / "王五.zip", "w") as archive:
        for number in range(20_000):
            archive.writestr(f"w{number:05d}/.devvolume/progress.jsonl",
                             record("王五", number, f"q{number}"))  # fmt: skip
    monkeypatch.setattr(CountingZipFile, "opened", [])
    monkeypatch.setattr(_class_records.zipfile, "ZipFile", CountingZipFile)
    progress = read_progress(root)
    assert len(CountingZipFile.opened) == 1
    assert len(progress.records) == MAX_HANDIN_FILES  # one record each, up to the cap
    (limit,) = progress.problems
    assert limit.source == "王五.zip"
    assert f"另有 {20_000 - MAX_HANDIN_FILES:,} 个没有读取" in limit.problem


def test_every_member_of_a_zip_is_read_in_one_opening(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    root = tmp_path / "class"
    root.mkdir()
    with zipfile.ZipFile(root / "王五.zip", "w") as archive:
        for number in range(300):
            archive.writestr(f"w{number}/.devvolume/progress.jsonl", record("王五", number, f"q{number}"))
    monkeypatch.setattr(CountingZipFile, "opened", [])
    monkeypatch.setattr(_class_records.zipfile, "ZipFile", CountingZipFile)
    progress = read_progress(root)
    assert len(CountingZipFile.opened) == 1
    assert len(progress.records) == 300
    assert progress.problems == ()


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="symbolic links")
def test_links_out_of_the_folder_are_listed_not_followed(tmp_path: Path) -> None:
    secret = progress_file(tmp_path / "elsewhere" / "progress.jsonl", record("外人"))
    root = tmp_path / "class"
    progress_file(root / "张三" / ".devvolume" / "progress.jsonl", record("张三"))
    (root / "李四").mkdir()
    (root / "李四" / "progress.jsonl").symlink_to(secret)              # a file outside
    (root / "李四" / "stolen").symlink_to(secret.parent, target_is_directory=True)  # a folder outside
    (root / "赵六_progress.jsonl").symlink_to(Path("/etc/passwd"))     # a system file
    (root / "copy").symlink_to(root / "张三", target_is_directory=True)  # inside: read where it is
    (root / "王五").mkdir()
    (root / "王五" / "progress.jsonl").symlink_to(root / "张三" / ".devvolume" / "progress.jsonl")
    progress = read_progress(root)
    assert set(progress.records["learner"]) == {"张三"}
    assert sorted(p.source for p in progress.problems if p.problem == OUTSIDE) == [
        "李四/progress.jsonl", "李四/stolen", "赵六_progress.jsonl"]
    assert "王五/progress.jsonl" in progress.sources  # a link inside the folder is read
    page = build_class_report(root, out=tmp_path / "out").page.read_text(encoding="utf-8")
    assert "李四/stolen" in page
    assert "外人" not in page
    assert "root:" not in page


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
def test_a_named_pipe_is_not_waited_on(tmp_path: Path) -> None:
    root = tmp_path / "class"
    progress_file(root / "张三" / "progress.jsonl", record("张三"))
    (root / "李四").mkdir()
    os.mkfifo(root / "李四" / "progress.jsonl")  # reading it would block until someone writes
    progress = read_progress(root)
    assert set(progress.records["learner"]) == {"张三"}
    assert ReadProblem("李四/progress.jsonl", None,
                       "读不了这个文件 / unreadable: 不是普通文件 / not a regular file") in progress.problems


def test_a_handins_limits_are_listed_on_the_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "class"
    for lesson in range(5):
        progress_file(root / "张三" / f"0{lesson}" / ".devvolume" / "progress.jsonl", record("张三", lesson))
    progress_file(root / "李四" / "progress.jsonl", record("李四") * 10)
    for number in range(30):
        (root / "赵六" / f"junk{number}").mkdir(parents=True)
    progress_file(root / "赵六" / "zzz" / "progress.jsonl", record("赵六"))
    monkeypatch.setattr(_class_records, "MAX_HANDIN_FILES", 3)
    monkeypatch.setattr(_class_records, "MAX_HANDIN_BYTES", 1_000)
    monkeypatch.setattr(_class_records, "MAX_HANDIN_ENTRIES", 20)
    progress = read_progress(root)
    limits = {p.source: p.problem for p in progress.problems}
    assert "最多读取 3 个进度文件、共 1,000 字节，另有 2 个没有读取" in limits["张三"]
    assert "最多读取 3 个进度文件、共 1,000 字节，另有 1 个没有读取" in limits["李四"]
    assert "最多查看 20 个文件和文件夹" in limits["赵六"]
    assert set(progress.records["learner"]) == {"张三"}
    page = build_class_report(root, out=tmp_path / "out").page.read_text(encoding="utf-8")
    assert "超过一份作业的上限" in page


def test_a_zip_that_declares_too_many_entries_is_not_parsed(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    root = tmp_path / "class"
    root.mkdir()
    with zipfile.ZipFile(root / "王五.zip", "w") as archive:
        for number in range(30):
            archive.writestr(f"w{number}/progress.jsonl", record("王五", number))
    monkeypatch.setattr(_class_records, "MAX_HANDIN_ENTRIES", 20)
    monkeypatch.setattr(CountingZipFile, "opened", [])
    monkeypatch.setattr(_class_records.zipfile, "ZipFile", CountingZipFile)
    progress = read_progress(root)
    assert CountingZipFile.opened == []  # its end record said enough
    assert "zip 里超过 20 个条目，没有读取" in progress.problems[0].problem


def test_hidden_characters_in_names_are_shown_escaped(tmp_path: Path) -> None:
    root = tmp_path / "class"
    progress_file(root / "a" / "progress.jsonl", record("abc\u202etxt.exe"))
    report = build_class_report(root, out=tmp_path / "out")
    page = report.page.read_text(encoding="utf-8")
    learners = report.csv["learners"].read_text(encoding="utf-8-sig")
    assert "\u202e" not in page
    assert "\u202e" not in learners
    assert "abc\\u202etxt.exe" in page
    assert "abc\\u202etxt.exe" in learners
