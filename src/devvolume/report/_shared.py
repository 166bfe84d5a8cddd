"""Company-wide results, computed once and shared by every report of a batch.

Every report of a batch slices the same company-wide results: the reached-levels table, the
funnel and win rate by team and by rep, the stalled customers on the report day, the sales
cycles… Computed again in every report, they made a rep report on a 243,007-row log take 1.6 to
1.8 times as long as on the 20,841-row case (``benchmarks/bench_reports.py --scale``). Here each
is computed once:

- **in a process** (a report kernel, or a notebook session): :func:`devvolume.report.load_company`
  keeps the company by source file, size, modification time, options and report day, and
  :class:`Shared` keeps every result computed on it (:meth:`Shared.get`), so a second report in
  the same kernel only slices;
- **across the processes of a batch**: :func:`devvolume.report.build_reports` writes the
  company (the log up to the report day, its reached-levels table, the targets, the names and the
  rows left out) once into a *batch store* (:func:`write_store`), a private temporary folder that
  every worker finds in the environment variable :data:`STORE_ENV`. A kernel reads the company
  from there instead of reading and checking the source file again, and each company-wide result
  is computed by the first process that needs it, under a lock, and read by the others.

A result is the core's own object, stored with pickle, so a kernel gets the very frame (dtypes
and all) the core returned, and every caller gets a copy-on-write copy that it may change. The
store is written by the batch itself into a folder only its user can read, matched to the
source by its path, size, modification time, options and report day (a company from another
source or with other options is never taken from it) and removed when the batch ends.

Hook: when the environment variable :data:`TRACE_ENV` names a file, every computation of a
company or of a company-wide result appends a line to it (process id, a tab, the result's name),
in whatever process it happens (tests count them: a batch computes each result once).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import inspect
import os
import pickle
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd

T = TypeVar("T")

#: The environment variable naming a batch's store (set in every worker of a batch).
STORE_ENV = "DEVVOLUME_BATCH_STORE"
#: The environment variable naming a file that records every company-wide computation.
TRACE_ENV = "DEVVOLUME_SHARED_TRACE"
#: The company in a store, and the record of what it was made from.
COMPANY_FILE = "company.pkl"
KEY_FILE = "company.key"
#: Company-wide results in a store, one file each.
RESULTS = "results"

#: What a company is made from: source (path or dataset name), size, mtime_ns, skip_invalid,
#: targets path, size, mtime_ns, and the report day.
Key = tuple[Any, ...]


@dataclass
class Shared:
    """One company up to a report day, and every company-wide result computed on it.

    ``key`` says what it was made from (``None`` for a work log given in memory: never stored);
    ``store`` is the batch store it came from, where its results are shared with the other
    processes of the batch (``None`` outside a batch).
    """

    key: Key | None
    source: str
    day: dt.date
    log: pd.DataFrame
    reached: pd.DataFrame
    targets: pd.DataFrame | None
    names: dict[str, tuple[str, ...]]
    skipped: Any = None
    store: Path | None = None
    results: dict[str, Any] = field(default_factory=dict, repr=False)

    def get(self, name: str, compute: Callable[[], T]) -> T:
        """Return the result called ``name``, computing it with ``compute`` only the first time.

        ``name`` must say everything the result depends on besides this company (the metric and
        its options). In a batch the result is read from the store when another process has
        computed it, and computed under the store's lock otherwise.
        """
        if name not in self.results:
            if self.store is None:
                self.results[name] = traced(name, compute)
            else:
                self.results[name] = _stored_result(self.store, name, compute)
        return fresh(self.results[name])

    def result_count(self) -> int:
        """How many company-wide results this process holds."""
        return len(self.results)


def fresh(value: T) -> T:
    """Copy a value for a caller who may change it: copy-on-write frames, shallow for the rest."""
    if isinstance(value, pd.DataFrame | pd.Series):
        return value.copy(deep=False)  # type: ignore[return-value]
    if isinstance(value, dict | list | set):
        return value.copy()  # type: ignore[return-value]
    return value


def traced(name: str, compute: Callable[[], T]) -> T:
    """Run ``compute``, and record it in the :data:`TRACE_ENV` file if there is one."""
    value = compute()
    trace = os.environ.get(TRACE_ENV)
    if trace:
        with Path(trace).open("a", encoding="utf-8") as handle:
            handle.write(f"{os.getpid()}\t{name}\n")
    return value


def result_name(metric: Callable[..., Any], on: str, options: Mapping[str, Any]) -> str:
    """Name a core result by its function, what it is computed on and all its options.

    Options left out are named with their defaults, so two calls that mean the same get the
    same name.

    Examples
    --------
    >>> from devvolume.core import funnel
    >>> result_name(funnel, "reached", {"by": ["team"]})
    "devvolume.core._conversion.funnel(reached, by=('team',), period=None)"
    >>> result_name(funnel, "reached", {"by": "team", "period": None}) == result_name(
    ...     funnel, "reached", {"by": "team"})
    True
    """
    try:
        signature = inspect.signature(metric)
        bound = signature.bind(None, **options)
    except (TypeError, ValueError) as exc:
        msg = f"{getattr(metric, '__name__', metric)!r} does not take these options: {exc}"
        raise TypeError(msg) from None
    bound.apply_defaults()
    first = next(iter(signature.parameters))
    text = ", ".join(f"{key}={_plain(value)!r}" for key, value in bound.arguments.items()
                     if key != first)  # fmt: skip
    return f"{metric.__module__}.{metric.__qualname__}({on}{', ' if text else ''}{text})"


def _plain(value: Any) -> Any:
    """Turn an option into a value with a stable ``repr``; refuse anything else (e.g. a frame)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, pd.Timestamp):
        return ("timestamp", value.isoformat())
    if isinstance(value, dt.date):
        return ("date", value.isoformat())
    if isinstance(value, list | tuple):
        return tuple(_plain(item) for item in value)
    if isinstance(value, Mapping):
        return tuple((str(key), _plain(item)) for key, item in sorted(value.items()))
    msg = (f"A company-wide result cannot be keyed by a {type(value).__name__} option.\n"
           "Hint: pass names, numbers, dates or lists of them; call the metric directly for "
           "anything else.")  # fmt: skip
    raise TypeError(msg)


# --- the batch store ---------------------------------------------------------------------------


def _store_from_environment() -> Path | None:
    folder = os.environ.get(STORE_ENV)
    return Path(folder) if folder and Path(folder).is_dir() else None


def _key_text(key: Key) -> str:
    return repr(tuple(_plain(part) for part in key))


def stored_day(key: Key) -> bool:
    """Whether this batch's store holds the company made from ``key`` (ending with its day)."""
    store = _store_from_environment()
    if store is None:
        return False
    try:
        return (store / KEY_FILE).read_text(encoding="utf-8") == _key_text(key)
    except OSError:
        return False


def read_store(key: Key) -> Shared | None:
    """Read the company made from ``key`` from this batch's store (``None``: not there)."""
    if not stored_day(key):
        return None
    store = _store_from_environment()
    assert store is not None
    with (store / COMPANY_FILE).open("rb") as handle:
        shared: Shared = pickle.load(handle)  # written by this batch: see write_store
    shared.store = store
    return shared


def write_store(folder: Path, shared: Shared) -> None:
    """Write a company into a batch store (the parent of the batch does it, before any report)."""
    assert shared.key is not None
    data = Shared(shared.key, shared.source, shared.day, shared.log, shared.reached,
                  shared.targets, shared.names, shared.skipped)  # fmt: skip
    _write_pickle(folder / COMPANY_FILE, data)
    (folder / RESULTS).mkdir(exist_ok=True)
    _write_text(folder / KEY_FILE, _key_text(shared.key))


@contextlib.contextmanager
def batch_store() -> Iterator[Path]:
    """Make a private temporary folder for one batch's store; remove it afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="devvolume-batch-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _stored_result(store: Path, name: str, compute: Callable[[], T]) -> T:
    digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:32]
    path = store / RESULTS / f"{digest}.pkl"
    if path.is_file():
        return _read_pickle(path)  # type: ignore[no-any-return]
    with _locked(path.with_suffix(".lock")):
        if path.is_file():  # another process computed it while this one waited
            return _read_pickle(path)  # type: ignore[no-any-return]
        value = traced(name, compute)
        _write_pickle(path, value)
    return value


def _read_pickle(path: Path) -> Any:
    with path.open("rb") as handle:
        return pickle.load(handle)  # written by this batch, in its private folder


def _write_pickle(path: Path, value: Any) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with temporary.open("wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        temporary.replace(path)
    finally:
        temporary.unlink(missing_ok=True)


def _write_text(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)


#: Seconds between two tries for a result's lock on Windows (``msvcrt`` does not block for long).
_WINDOWS_RETRY = 0.05


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold an exclusive operating-system lock on ``path`` (waits for the holder to let go).

    The lock goes with the process, so a kernel killed while computing never blocks the others.
    """
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        if os.name == "nt":  # pragma: no cover - Windows
            import msvcrt

            while True:
                try:
                    msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
                    break
                except OSError:
                    time.sleep(_WINDOWS_RETRY)
            try:
                yield
            finally:
                os.lseek(fd, 0, os.SEEK_SET)
                msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]
            return
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
