"""The output folder of a report batch: who may write there, and what it holds.

A folder made by ``devvolume report`` has a marker file (:data:`MARKER`), a lock file
(:data:`LOCK`) and a manifest (:data:`MANIFEST`):

- **the lock** (:class:`FolderLock`) is held for the whole batch, so two runs into one folder
  can never interleave: the second is refused at once with a message naming the first (its
  process and start time). The operating system releases it when the process ends, even when
  it is killed, so a crashed run never leaves the folder locked.
- **the manifest** records every report in the folder: its file, the run that wrote it, the
  fingerprint of what it was made from (source file, targets file, parameters, notebook and
  package version) and the numbers it shows. The index page and ``summary.csv`` are written from
  it, so they list every report in the folder, each with the numbers of the run that wrote that
  file, and a rerun can skip a report whose fingerprint has not changed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from devvolume.report._engine import write_atomic

#: A file in the output folder that says devvolume made it (and may write there again).
MARKER = ".devvolume-reports"
#: The lock file held while a batch writes into the folder.
LOCK = ".devvolume-reports.lock"
#: The record of every report in the folder.
MANIFEST = ".devvolume-manifest.json"
MANIFEST_VERSION = 1


class FolderBusyError(RuntimeError):
    """Another ``devvolume report`` run is writing into the same output folder."""


@dataclass
class Entry:
    """One report in the folder, as the run that last made (or tried to make) it left it."""

    name: str
    kind: str
    file: str
    status: str  # "ok", "error" or "interrupted"
    as_of: str = ""
    period: str = ""
    source: str = ""
    lang: str = "zh"
    pdf: str = ""
    fingerprint: str = ""
    run: str = ""
    written: str = ""
    skipped_rows: int = 0
    error: str = ""
    seconds: float = 0.0
    summary: dict[str, Any] = field(default_factory=dict)
    figures: dict[str, Any] = field(default_factory=dict)
    #: The report's comparisons with its peers: its rows of ``evidence.csv``.
    evidence: list[dict[str, Any]] = field(default_factory=list)
    #: The last good report of this name, kept on disk, when this run's attempt did not finish.
    previous: dict[str, Any] | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Entry:
        """Read an entry of the manifest, ignoring fields a later version may add."""
        known = {name: data[name] for name in cls.__dataclass_fields__ if name in data}
        return cls(**known)


def read_manifest(out: Path) -> dict[str, Entry]:
    """Read the folder's entries by file name; an unreadable manifest counts as empty."""
    path = out / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        reports = data["reports"] if data.get("version") == MANIFEST_VERSION else {}
        return {file: Entry.from_dict(entry) for file, entry in reports.items()}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def write_manifest(out: Path, entries: dict[str, Entry]) -> None:
    """Write the manifest atomically, entries sorted by file name."""
    data = {"version": MANIFEST_VERSION,
            "reports": {file: asdict(entries[file]) for file in sorted(entries)}}  # fmt: skip
    write_atomic(out / MANIFEST, json.dumps(data, ensure_ascii=False, indent=1, default=str))


def prepare_folder(out: Path, *, force: bool, marker: str = MARKER,
                   command: str = "devvolume report") -> Path:  # fmt: skip
    """Create the output folder, or check that ``command`` may write into it.

    A folder ``command`` made holds the file ``marker``.

    Raises
    ------
    ValueError
        If ``out`` is a file.
    FileExistsError
        If the folder is not empty and was not made by ``command``, without ``force``.
    """
    if out.exists() and not out.is_dir():
        msg = f"输出位置不是文件夹 / --out is not a folder: {out}\nHint: give a folder path."
        raise ValueError(msg)
    if out.is_dir() and not (out / marker).is_file() and any(out.iterdir()) and not force:
        msg = (f"输出文件夹不是空的，也不是 {command} 生成的 / the output folder {out} is not empty "
               f"and was not made by {command}, so its files could be overwritten.\n"
               "Hint: 换一个新的或空的文件夹，或加 --force 写进去 / choose a new or empty folder, or "
               "pass --force (force=True) to write into it.")  # fmt: skip
        raise FileExistsError(msg)
    out.mkdir(parents=True, exist_ok=True)
    if not (out / marker).is_file():
        write_atomic(out / marker, f"Made by `{command}`; it may overwrite its files here.\n")
    return out


class FolderLock:
    """An exclusive lock on an output folder, held from ``acquire`` to ``release``.

    The lock is an operating-system lock on :data:`LOCK` (``flock`` on POSIX, ``msvcrt`` on
    Windows): a second process is refused at once, and the lock goes away with the process that
    holds it. The file holds the holder's process id, start time and command for the message.
    """

    def __init__(self, out: Path) -> None:
        self.path = out / LOCK
        self._fd: int | None = None

    def acquire(self) -> FolderLock:
        """Take the lock, or raise :class:`FolderBusyError` naming the run that holds it."""
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        if not _try_lock(fd):
            holder = _read_holder(fd)
            os.close(fd)
            folder = self.path.parent
            msg = (f"另一个 devvolume report 正在写入这个文件夹{holder['zh']} / another devvolume report "
                   f"run{holder['en']} is writing into {folder}.\n"
                   "Hint: 等它结束后再运行，或换一个 --out 文件夹 / wait for it to finish, or choose "
                   "another --out folder.")  # fmt: skip
            raise FolderBusyError(msg)
        os.ftruncate(fd, 0)
        started = dt.datetime.now().isoformat(timespec="seconds")
        command = " ".join(sys.argv[:1] + sys.argv[1:6])
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, json.dumps({"pid": os.getpid(), "started": started, "command": command},
                                ensure_ascii=False).encode("utf-8"))  # fmt: skip
        self._fd = fd
        return self

    def release(self) -> None:
        """Let go of the lock (the file stays, empty)."""
        if self._fd is None:
            return
        try:
            os.ftruncate(self._fd, 0)
        finally:
            _unlock(self._fd)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> FolderLock:
        return self.acquire()

    def __exit__(self, *_: object) -> None:
        self.release()


def _try_lock(fd: int) -> bool:
    if os.name == "nt":  # pragma: no cover - Windows
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _unlock(fd: int) -> None:
    if os.name == "nt":  # pragma: no cover - Windows
        import msvcrt

        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]
        return
    import fcntl

    fcntl.flock(fd, fcntl.LOCK_UN)


def _read_holder(fd: int) -> dict[str, str]:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        holder = json.loads(os.read(fd, 4096).decode("utf-8"))
        pid, started = int(holder["pid"]), str(holder["started"])
    except (OSError, ValueError, KeyError, TypeError):
        return {"zh": "", "en": ""}
    return {"zh": f"（进程 {pid}，{started} 开始）", "en": f" (process {pid}, started {started})"}


# --- fingerprints ------------------------------------------------------------------------------


def file_digest(path: str | os.PathLike[str] | None) -> str:
    """SHA-256 of a file's bytes (``""`` for no file)."""
    if not path:
        return ""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fingerprint(**parts: Any) -> str:
    """One hash of everything a report is made from (sources' digests, parameters, versions).

    Examples
    --------
    >>> fingerprint(a=1, b="x") == fingerprint(b="x", a=1) != fingerprint(a=2, b="x")
    True
    """
    text = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
