"""The collected progress files of a class, read forgivingly and merged per learner.

:func:`read_progress` reads every ``*progress.jsonl`` (the format of
:mod:`devvolume.teach._progress`) under a folder of collected exercise workspaces: a folder per
learner, loose files, or a ``.zip`` per learner (each zip's ``progress.jsonl`` members are read in
place, nothing is extracted). A file that cannot be read, and every line that is not a valid
record, is listed as a :class:`ReadProblem` and skipped; the rest is used. The same learner in
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
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

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
        When ``folder`` does not exist, or holds no progress file at all.
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
    if not sources:
        msg = (f"{root} 里没有找到任何 {PROGRESS_FILE} / no {PROGRESS_FILE} under {root}.\n"
               f"Hint: 学员做练习时会在练习文件夹里生成 {RECORD_DIR}/{PROGRESS_FILE}；收作业时连同这个"
               "隐藏文件夹一起复制或打包。/ copy or zip each exercise folder with its hidden "
               f"{RECORD_DIR} folder.")
        raise FileNotFoundError(msg)
    records, learner_files = _merge(rows)
    return ClassProgress(records, tuple(sources), tuple(problems), learner_files)


def _sources(root: Path, problems: list[ReadProblem]
             ) -> Iterator[tuple[str, str, Callable[[], bytes]]]:  # fmt: skip
    """Yield (label, learner name to use when a record has none, reader) for each file."""
    if root.is_file():
        files = [root]
        base = root.parent
    else:
        files = []
        for directory, folders, names in os.walk(root):
            folders.sort()
            files += [Path(directory) / name for name in sorted(names)]
        base = root
    for path in files:
        label = path.relative_to(base).as_posix()
        if path.name.endswith(PROGRESS_FILE):
            yield label, _folder_name(path, base, root), _file_reader(path)
        elif path.suffix.lower() == ".zip":
            try:
                with zipfile.ZipFile(path) as archive:
                    members = [info for info in archive.infolist()
                               if not info.is_dir() and info.filename.endswith(PROGRESS_FILE)]
            except (OSError, zipfile.BadZipFile) as exc:
                problems.append(ReadProblem(label, None, f"不是完好的 zip / not a valid zip: {exc}"))
                continue
            for info in members:
                yield f"{label}!{info.filename}", path.stem, _zip_reader(path, info)


def _folder_name(path: Path, base: Path, root: Path) -> str:
    """Name the collected folder a file sits in (``班级/张三/.devvolume/progress.jsonl`` -> 张三)."""
    parts = path.relative_to(base).parts
    first = parts[0] if len(parts) > 1 else path.name.removesuffix(PROGRESS_FILE).strip("_-. ")
    if not first or first == RECORD_DIR:
        return root.name if root.is_dir() else root.parent.name
    return first


def _file_reader(path: Path) -> Callable[[], bytes]:
    def read() -> bytes:
        if path.stat().st_size > MAX_FILE_BYTES:
            msg = f"larger than {MAX_FILE_BYTES:,} bytes"
            raise ValueError(msg)
        return path.read_bytes()

    return read


def _zip_reader(path: Path, info: zipfile.ZipInfo) -> Callable[[], bytes]:
    def read() -> bytes:
        if info.file_size > MAX_FILE_BYTES:
            msg = f"larger than {MAX_FILE_BYTES:,} bytes"
            raise ValueError(msg)
        with zipfile.ZipFile(path) as archive:
            return archive.read(info)

    return read


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
