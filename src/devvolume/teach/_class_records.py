"""The collected progress files of a class, read forgivingly and merged per learner.

:func:`read_progress` reads every ``*progress.jsonl`` (the format of
:mod:`devvolume.teach._progress`) under a folder of collected exercise workspaces: a folder per
learner, loose files, or a ``.zip`` per learner (each zip is opened once and its ``progress.jsonl``
members are read in place, nothing is extracted). A file that cannot be read, and every line that
is not a valid record, is listed as a :class:`ReadProblem` and skipped; the rest is used.

What learners hand in is never trusted to be small or tidy, so reading it cannot stall or reach
outside the folder: a symbolic link that points out of the folder is listed and not followed;
only regular files are opened (a named pipe would block a read forever); and each hand-in (an
entry of the folder: a learner's folder, zip or loose file) may cost at most
:data:`MAX_HANDIN_ENTRIES` entries looked at, :data:`MAX_HANDIN_FILES` progress files and
:data:`MAX_HANDIN_BYTES` bytes read, each file at most :data:`MAX_FILE_BYTES`. A limit that is hit
is listed with the rest of what was skipped. The same learner in
several files (two folders, a folder and its zip) is one learner: names are matched after
Unicode normalisation (full-width letters), trimming and ignoring case, and identical records
are counted once. A record without a name is put under the name of the folder or zip it was
collected in. A record written before answers were kept (no ``answer`` key) reads as one
without an answer.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, BinaryIO

import pandas as pd

from devvolume._interrupt import checkpoint
from devvolume.teach._progress import (
    CHECKED,
    MAX_ANSWER_CHARS,
    OUTCOMES,
    PROGRESS_FILE,
    RECORD_DIR,
    clean_name,
)

#: Files larger than this are not read (a progress file grows by about 150 bytes a check).
MAX_FILE_BYTES = 50_000_000
#: What one hand-in (an entry of the class folder: a learner's folder, zip or loose file) may
#: cost: entries looked at (files and folders walked, or a zip's members), progress files read,
#: and their bytes. A learner has a progress file per lesson folder (7); a folder holding a
#: whole class nested one level down still fits.
MAX_HANDIN_ENTRIES = 50_000
MAX_HANDIN_FILES = 1_000
MAX_HANDIN_BYTES = 200_000_000
#: Zip files larger than this are not opened (only their directory and progress files are
#: read, but a learner's zip should hold a workspace, not a disk image).
MAX_ZIP_BYTES = 1_000_000_000
#: Problems listed per file; the rest are counted.
MAX_PROBLEMS_PER_FILE = 20
RECORD_COLUMNS = ("learner", "lesson", "question", "outcome", "mistake", "answer", "time",
                  "time_text", "source")  # fmt: skip

@dataclass(frozen=True)
class ReadProblem:
    """A file, or a line of it (counted from 1), that was skipped, and why."""

    source: str
    line: int | None
    problem: str


@dataclass(frozen=True)
class ClassProgress:
    """Every valid record of a class (one row each, learners merged) and what was skipped.

    ``records`` has :data:`RECORD_COLUMNS`: ``time`` is a UTC timestamp, ``time_text`` the
    record's own ISO text, ``source`` the (first) file it came from. ``learner_files`` lists
    every file each learner's records were found in, copies included.
    """

    records: pd.DataFrame
    sources: tuple[str, ...]
    problems: tuple[ReadProblem, ...]
    learner_files: dict[str, tuple[str, ...]]


def read_progress(folder: str | Path) -> ClassProgress:
    """Read every progress file under ``folder`` (or the one file or zip ``folder`` names).

    Raises
    ------
    FileNotFoundError
        When ``folder`` does not exist, or holds no progress file at all (and nothing that was
        skipped, such as a broken zip or a link out of the folder).
    """
    root = Path(folder)
    if not root.exists():
        msg = (f"找不到文件夹 / no such folder: {root}\n"
               "Hint: 给出收齐学员练习文件夹（或 zip）的那个文件夹。/ give the folder the "
               "learners' exercise folders (or zips) were collected in.")
        raise FileNotFoundError(msg)
    rows: list[dict[str, Any]] = []
    sources: list[str] = []
    problems: list[ReadProblem] = []
    for label, fallback, read in _sources(root, problems):
        sources.append(label)
        try:
            data = read()
        except (OSError, zipfile.BadZipFile, ValueError) as exc:
            problems.append(ReadProblem(label, None, f"读不了这个文件 / unreadable: {exc}"))
            continue
        rows += _parse_file(data, label, fallback, problems)
        checkpoint("class")  # a test's Ctrl-C while the class folder is read
    if not sources and not problems:  # else the page lists what was skipped, and why
        msg = (f"{root} 里没有找到任何 {PROGRESS_FILE} / no {PROGRESS_FILE} under {root}.\n"
               f"Hint: 学员做练习时会在练习文件夹里生成 {RECORD_DIR}/{PROGRESS_FILE}；收作业时连同这个"
               "隐藏文件夹一起复制或打包。/ copy or zip each exercise folder with its hidden "
               f"{RECORD_DIR} folder.")
        raise FileNotFoundError(msg)
    records, learner_files = _merge(rows)
    return ClassProgress(records, tuple(sources), tuple(problems), learner_files)


def _sources(root: Path, problems: list[ReadProblem]
             ) -> Iterator[tuple[str, str, Callable[[], bytes]]]:  # fmt: skip
    """Yield (label, learner name to use when a record has none, reader) for each file.

    Each reader is called before the next item is taken (a zip's members are read from the
    archive opened once, while it is open).
    """
    if root.is_file():
        yield from _handin(root, root.parent, root, [root], problems)
        return
    inside = os.path.realpath(root)
    for entry in sorted(root.iterdir(), key=lambda entry: (entry.is_dir(), entry.name)):
        if entry.is_symlink():
            if not _inside(entry, inside):
                problems.append(ReadProblem(entry.relative_to(root).as_posix(), None, _OUTSIDE))
                continue
            if entry.is_dir():
                continue  # a link to a folder inside: its files are read where they are
        files = _walk(entry, root, inside, problems) if entry.is_dir() else [entry]
        yield from _handin(entry, root, root, files, problems)


def _walk(folder: Path, root: Path, inside: str, problems: list[ReadProblem]) -> list[Path]:
    """List the progress files and zips under one hand-in folder; list links that lead out."""
    files: list[Path] = []
    seen = 0
    for directory, folders, names in os.walk(folder):
        folders.sort()
        here = Path(directory)
        seen += len(folders) + len(names)
        if seen > MAX_HANDIN_ENTRIES:
            problems.append(ReadProblem(folder.relative_to(root).as_posix(), None, _limit(
                f"最多查看 {MAX_HANDIN_ENTRIES:,} 个文件和文件夹，其余没有查看",
                f"at most {MAX_HANDIN_ENTRIES:,} files and folders looked at; the rest were not")))
            break
        for name in folders:  # os.walk never descends into a link; say which ones lead out
            if (here / name).is_symlink() and not _inside(here / name, inside):
                problems.append(ReadProblem((here / name).relative_to(root).as_posix(), None,
                                            _OUTSIDE))  # fmt: skip
        for name in sorted(names):
            path = here / name
            if not (name.endswith(PROGRESS_FILE) or path.suffix.lower() == ".zip"):
                continue
            if path.is_symlink() and not _inside(path, inside):
                problems.append(ReadProblem(path.relative_to(root).as_posix(), None, _OUTSIDE))
                continue
            files.append(path)
    return files


def _handin(handin: Path, base: Path, root: Path, files: list[Path],
            problems: list[ReadProblem]) -> Iterator[tuple[str, str, Callable[[], bytes]]]:  # fmt: skip
    """Yield the progress files of one hand-in, within its limits (listed when hit)."""
    budget = _Budget()
    for path in files:
        label = path.relative_to(base).as_posix()
        if path.name.endswith(PROGRESS_FILE):
            if budget.take(_size(path)):
                yield label, _folder_name(path, base, root), partial(_read_file, path)
        elif path.suffix.lower() == ".zip":
            try:
                handle = _open_regular(path, MAX_ZIP_BYTES)
            except (OSError, ValueError) as exc:
                problems.append(ReadProblem(label, None, f"读不了这个文件 / unreadable: {exc}"))
                continue
            try:
                with handle:
                    if not _few_entries(handle):
                        budget.entries_hit = True
                        continue
                    with zipfile.ZipFile(handle) as archive:  # once: each opening reads it all
                        members = [info for info in archive.infolist()
                                   if not info.is_dir() and info.filename.endswith(PROGRESS_FILE)]
                        for info in members:
                            if budget.take(info.file_size):
                                yield (f"{label}!{info.filename}", path.stem,
                                       partial(_read_member, archive, info))  # fmt: skip
            except (OSError, zipfile.BadZipFile) as exc:
                problems.append(ReadProblem(label, None, f"不是完好的 zip / not a valid zip: {exc}"))
    problems.extend(ReadProblem(handin.relative_to(base).as_posix(), None, text)
                    for text in budget.hit())  # fmt: skip


_OUTSIDE = ("符号链接指向这个文件夹以外，没有读取 / a symbolic link to outside the folder: not "
            "followed")


def _limit(zh: str, en: str) -> str:
    return f"超过一份作业的上限：{zh} / a hand-in's limit was hit: {en}"


class _Budget:
    """What one hand-in has cost so far (:data:`MAX_HANDIN_FILES`, :data:`MAX_HANDIN_BYTES`)."""

    def __init__(self) -> None:
        self.files = self.bytes = 0
        self.skipped = 0
        self.entries_hit = False

    def take(self, size: int) -> bool:
        """Count a file of ``size`` bytes if the hand-in's limits allow it; else count it skipped."""
        if self.files >= MAX_HANDIN_FILES or self.bytes + min(size, MAX_FILE_BYTES) > MAX_HANDIN_BYTES:
            self.skipped += 1
            return False
        self.files += 1
        self.bytes += min(size, MAX_FILE_BYTES)  # a larger file is refused unread
        return True

    def hit(self) -> list[str]:
        """Say which limits were hit, for the page."""
        said = []
        if self.entries_hit:
            said.append(_limit(f"zip 里超过 {MAX_HANDIN_ENTRIES:,} 个条目，没有读取",
                               f"a zip of more than {MAX_HANDIN_ENTRIES:,} entries is not read"))
        if self.skipped:
            said.append(_limit(
                f"最多读取 {MAX_HANDIN_FILES:,} 个进度文件、共 {MAX_HANDIN_BYTES:,} 字节，"
                f"另有 {self.skipped:,} 个没有读取",
                f"at most {MAX_HANDIN_FILES:,} progress files and {MAX_HANDIN_BYTES:,} bytes are "
                f"read; {self.skipped:,} more were not"))
        return said


def _few_entries(handle: BinaryIO) -> bool:
    """Whether a zip's end record declares at most :data:`MAX_HANDIN_ENTRIES` entries.

    Read before the archive is opened: opening parses the whole central directory (time and
    memory grow with it). The directory's size is checked too, so a record that understates
    the count cannot hide a huge directory. ``True`` when there is no end record: opening the
    archive then says what is wrong with it.
    """
    handle.seek(0, os.SEEK_END)
    size = handle.tell()
    handle.seek(max(0, size - _END_RECORD - 0xFFFF))  # the record, after a comment of any length
    tail = handle.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < _END_RECORD:
        return True
    entries = int.from_bytes(tail[at + 10:at + 12], "little")
    directory = int.from_bytes(tail[at + 12:at + 16], "little")
    # 0xFFFF and 0xFFFFFFFF mean "see the zip64 record": more than any limit here anyway
    return entries <= MAX_HANDIN_ENTRIES and directory <= MAX_HANDIN_ENTRIES * _DIRECTORY_ENTRY


#: Bytes of a zip's end-of-central-directory record, and a generous size of one directory entry
#: (46 bytes and a file name).
_END_RECORD = 22
_DIRECTORY_ENTRY = 46 + 254


def _inside(path: Path, folder: str) -> bool:
    """Whether a link resolves to a place inside ``folder`` (a real path)."""
    target = os.path.realpath(path)
    return target == folder or target.startswith(folder.rstrip(os.sep) + os.sep)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # the read will say what is wrong


def _open_regular(path: Path, limit: int) -> BinaryIO:
    """Open a regular file for reading without following a link or waiting on a pipe."""
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)
    if not path.is_symlink():  # a link inside the folder is read where it points
        flags |= getattr(os, "O_NOFOLLOW", 0)
    descriptor = os.open(path, flags)
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            msg = "不是普通文件 / not a regular file"
            raise ValueError(msg)
        if status.st_size > limit:
            msg = f"larger than {limit:,} bytes"
            raise ValueError(msg)
    except BaseException:
        os.close(descriptor)
        raise
    return os.fdopen(descriptor, "rb")


def _read_file(path: Path) -> bytes:
    with _open_regular(path, MAX_FILE_BYTES) as handle:
        return handle.read(MAX_FILE_BYTES + 1)[:MAX_FILE_BYTES]


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    if info.file_size > MAX_FILE_BYTES:
        msg = f"larger than {MAX_FILE_BYTES:,} bytes"
        raise ValueError(msg)
    return archive.read(info)


def _folder_name(path: Path, base: Path, root: Path) -> str:
    """Name the collected folder a file sits in (``班级/张三/.devvolume/progress.jsonl`` -> 张三)."""
    parts = path.relative_to(base).parts
    first = parts[0] if len(parts) > 1 else path.name.removesuffix(PROGRESS_FILE).strip("_-. ")
    if not first or first == RECORD_DIR:
        return root.name if root.is_dir() else root.parent.name
    return first


def _parse_file(data: bytes, label: str, fallback: str,
                problems: list[ReadProblem]) -> list[dict[str, Any]]:  # fmt: skip
    rows, skipped = [], 0
    for number, raw in enumerate(data.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            row = _parse_line(raw, fallback)
        except ValueError as exc:
            skipped += 1
            if skipped <= MAX_PROBLEMS_PER_FILE:
                problems.append(ReadProblem(label, number, str(exc)))
            continue
        rows.append({**row, "source": label})
    if skipped > MAX_PROBLEMS_PER_FILE:
        more = skipped - MAX_PROBLEMS_PER_FILE
        problems.append(ReadProblem(label, None, f"另有 {more} 行也跳过了 / {more} more lines skipped"))
    return rows


def _parse_line(raw: bytes, fallback: str) -> dict[str, Any]:
    """One record from one line; ValueError (its message for the page) when it is not one."""
    try:
        item = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        msg = "不是 UTF-8 文本 / not UTF-8 text"
        raise ValueError(msg) from None
    except json.JSONDecodeError:
        msg = "不是完整的 JSON（可能只写了一半）/ not valid JSON (perhaps cut short)"
        raise ValueError(msg) from None
    if not isinstance(item, dict):
        msg = "不是一个 JSON 对象 / not a JSON object"
        raise ValueError(msg)
    outcome = item.get("outcome")
    if outcome not in OUTCOMES:
        msg = f"outcome 应为 {'/'.join(OUTCOMES)} / unknown outcome: {outcome!r}"
        raise ValueError(msg)
    lesson, question, mistake = item.get("lesson"), item.get("question"), item.get("mistake")
    if isinstance(lesson, int) and not isinstance(lesson, bool):
        lesson = f"{lesson:02d}"
    if not (isinstance(lesson, str) and lesson.strip() and isinstance(question, str)
            and question.strip()):
        msg = "缺少 lesson 或 question / lesson or question missing"
        raise ValueError(msg)
    if mistake is not None and not isinstance(mistake, str):
        msg = f"mistake 应为文字或 null / mistake is not text: {mistake!r}"
        raise ValueError(msg)
    answer = item.get("answer")
    if answer is not None and not isinstance(answer, str):
        msg = f"answer 应为文字或 null / answer is not text: {str(answer)[:40]!r}"
        raise ValueError(msg)
    text = item.get("time")
    try:
        time = dt.datetime.fromisoformat(text) if isinstance(text, str) else None
    except ValueError:
        time = None
    if time is None or time.tzinfo is None:
        msg = f"time 应为带时区的 ISO 8601 时间 / time is not ISO 8601 with an offset: {text!r}"
        raise ValueError(msg)
    return {"learner": clean_name(item.get("learner")) or fallback,
            "lesson": lesson.strip(), "question": question.strip(), "outcome": outcome,
            "mistake": (mistake or None) if outcome in CHECKED and outcome != "correct" else None,
            "answer": answer[:MAX_ANSWER_CHARS] if answer and outcome in CHECKED else None,
            "time": pd.Timestamp(time).tz_convert("UTC"), "time_text": text}  # fmt: skip


def learner_key(name: str) -> str:
    """Return the key that merges spellings of one name.

    Examples
    --------
    >>> learner_key(" Ｚｈang  San ") == learner_key("zhang san")
    True
    """
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def _merge(rows: list[dict[str, Any]]) -> tuple[pd.DataFrame, dict[str, tuple[str, ...]]]:
    """Return one frame (a learner under one spelling, a record once, in time order) and files.

    The files are, for each learner, every file their records were found in.
    """
    if not rows:
        empty = pd.DataFrame({column: pd.Series(dtype="object") for column in RECORD_COLUMNS})
        return empty, {}
    frame = pd.DataFrame(rows, columns=list(RECORD_COLUMNS))
    keys = frame["learner"].map(learner_key)
    spellings: dict[str, Counter[str]] = {}
    for key, name in zip(keys, frame["learner"], strict=True):
        spellings.setdefault(key, Counter())[name] += 1
    frame["learner"] = keys.map({key: names.most_common(1)[0][0] for key, names in spellings.items()})
    files = {str(learner): tuple(dict.fromkeys(found["source"]))
             for learner, found in frame.groupby("learner", sort=True)}
    frame = frame.drop_duplicates(subset=["learner", "lesson", "question", "outcome", "mistake",
                                          "answer", "time"])  # fmt: skip
    return frame.sort_values("time", kind="stable", ignore_index=True), files
