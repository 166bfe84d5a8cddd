"""Instructor reports: a personalised report for every team or rep, and an index page.

:func:`build_reports` runs a report notebook (``notebooks/reports/``: ``team_report``,
``rep_report``, ``meeting_pack``) once per selected team or rep, writes each as single-file HTML
with no code and no external requests, and writes ``index.html`` with a summary table linking
every report. A failing report is recorded (in the index and on stderr) and the batch goes on.
The notebooks run in warm kernels, one per worker process (:mod:`devvolume.report._engine`), so
a report takes a fraction of a second of start-up instead of ten.

File names keep Chinese names readable (``team_华东一组.html``) but can never leave the output
folder: path separators, characters Windows reserves, control characters and ``..`` are
replaced, and a short hash of the original name is added whenever the name had to change or
two names would meet in the same file.

Report notebooks use :func:`load_source` to read their data and :func:`publish_summary` to give
the index its numbers.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from devvolume.report._engine import SUMMARY_MIMETYPE, Task, run_tasks, write_atomic
from devvolume.report._index import INDEX_TEXT, render_index

#: The notebook that makes each kind of report, and whom it is for.
KINDS: dict[str, tuple[str, str]] = {
    "team": ("team_report", "team"),
    "meeting": ("meeting_pack", "team"),
    "rep": ("rep_report", "rep"),
}
PERIODS = ("W", "M", "Q", "Y")
LANGS = ("zh", "en")
#: A file in the output folder that says devvolume made it (and may write there again).
MARKER = ".devvolume-reports"
#: Longest readable part of a file name, in characters (CJK is 3 bytes in UTF-8; limit 255).
MAX_NAME_CHARS = 60
HASH_CHARS = 8
#: Where the report notebooks are looked for: inside the package, then the source tree.
NOTEBOOK_DIRS: tuple[Path, ...] = (
    Path(__file__).resolve().parent / "report_notebooks",
    Path(__file__).resolve().parents[3] / "notebooks" / "reports",
)

_UNSAFE = re.compile(r'(?:[\\/:*?"<>|\x00-\x1f\x7f]|\.\.)+')
_WHO = {"team": ("团队", "team"), "rep": ("销售员", "rep")}


@dataclass(frozen=True)
class ReportData:
    """What a report notebook reads: the work log and, for a dataset, its targets."""

    source: str
    worklog: pd.DataFrame
    targets: pd.DataFrame | None


@dataclass(frozen=True)
class ReportResult:
    """The outcome of one report: its file (``None`` when it failed) or its error."""

    name: str
    kind: str
    path: Path | None
    ok: bool
    error: str = ""
    seconds: float = 0.0
    summary: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ReportBatch:
    """All reports of one :func:`build_reports` call and the index page that links them."""

    out: Path
    index: Path
    results: tuple[ReportResult, ...]

    @property
    def ok(self) -> bool:
        """True when every report was written."""
        return all(result.ok for result in self.results)

    @property
    def failed(self) -> list[ReportResult]:
        """The reports that failed."""
        return [result for result in self.results if not result.ok]


def build_reports(
    source: str | os.PathLike[str],
    *,
    out: str | os.PathLike[str],
    by: Literal["team", "rep"] = "team",
    kind: Literal["team", "rep", "meeting"] | None = None,
    only: Sequence[str] | None = None,
    period: str = "M",
    jobs: int = 1,
    force: bool = False,
    lang: Literal["zh", "en"] = "zh",
    progress: bool = True,
    parameters: dict[str, Any] | None = None,
) -> ReportBatch:
    """Write a report for every team or rep in a work log, and an index page.

    Parameters
    ----------
    source : str or path
        A work-log file (``.xlsx`` or ``.csv``, read with :func:`devvolume.read_worklog`) or the
        name of a dataset (:func:`devvolume.sim._datasets.list_datasets`).
    out : str or path
        Output folder. It is created if missing. A folder that is not empty and was not made by
        this function is refused unless ``force``; only report files and ``index.html`` are
        ever written, nothing is deleted.
    by : {"team", "rep"}
        One report per team or per rep.
    kind : {"team", "meeting", "rep"}, optional
        ``"team"`` (team report) or ``"meeting"`` (weekly meeting pack) for ``by="team"``;
        ``"rep"`` (personal report, peers anonymised) for ``by="rep"``. Default: ``by``.
    only : list of str, optional
        Names of the teams or reps to report on; default all. An unknown name is a failed
        report whose error lists the names that exist; the others are still written.
    period : {"W", "M", "Q", "Y"}
        Period of the team and rep reports.
    jobs : int
        Worker processes, each with its own warm kernel.
    force : bool
        Write into a non-empty folder that devvolume did not make.
    lang : {"zh", "en"}
        Language of the reports' labels and of the index.
    progress : bool
        Show a progress bar on stderr.
    parameters : dict, optional
        More notebook parameters for every report, e.g. ``{"as_of": "2025-06-30"}`` or
        ``{"stalled_days": 21}``; see ``papermill --help-notebook`` for each notebook's list.

    Returns
    -------
    ReportBatch
        ``results`` (one per report, in name order), ``index`` (the index page), ``ok``.

    Raises
    ------
    ValueError
        For an unknown source, ``by``/``kind`` combination, period, language or ``jobs``.
    FileExistsError
        For a non-empty output folder not made by devvolume, without ``force``.
    """
    kind = kind or by
    notebook = _check_options(by, kind, period, lang, jobs)
    extra = _check_parameters(notebook, parameters or {})
    data = load_source(source)
    names = sorted(data.worklog[by].dropna().unique())
    wanted, unknown = _select(names, only)
    out_dir = _prepare_out(Path(out), force=force)
    files = safe_file_names(wanted, prefix=kind)
    tasks = [
        Task(index, name, str(notebook),
             {**extra, **_parameters(kind, data.source, name, period, lang)},
             str(_inside(out_dir, files[name])), f"{name} · {INDEX_TEXT[lang]['kinds'][kind]}")
        for index, name in enumerate(wanted)
    ]  # fmt: skip
    results = [ReportResult(name, kind, None, False, _unknown_message(name, names, by))
               for name in unknown]  # fmt: skip
    for result in results:
        print(result.error, file=sys.stderr)
    outcomes = run_tasks(tasks, jobs=jobs, progress=progress, label=f"{kind} reports")
    for task in tasks:
        outcome = outcomes[task.index]
        results.append(ReportResult(task.name, kind, Path(task.html) if outcome.ok else None,
                                    outcome.ok, outcome.error, outcome.seconds, outcome.summary))
    results.sort(key=lambda result: result.name)
    index = out_dir / "index.html"
    write_atomic(index, render_index(results, source=data.source, by=by, kind=kind,
                                     period=period, lang=lang))  # fmt: skip
    return ReportBatch(out_dir, index, tuple(results))


def _check_options(by: str, kind: str, period: str, lang: str, jobs: int) -> Path:
    if kind not in KINDS or KINDS[kind][1] != by:
        pairs = ", ".join(f"--by {who} --kind {name}" for name, (_, who) in KINDS.items())
        msg = f"报告类型与对象不匹配 / cannot make kind={kind!r} reports by {by!r}.\nHint: use {pairs}."
        raise ValueError(msg)
    checks = ((period, PERIODS, "period"), (lang, LANGS, "lang"))
    for value, allowed, name in checks:
        if value not in allowed:
            msg = f"{name}={value!r} 无效 / is not valid.\nHint: use one of {', '.join(allowed)}."
            raise ValueError(msg)
    if jobs < 1:
        msg = f"jobs={jobs} 无效 / is not valid.\nHint: use 1 or more worker processes."
        raise ValueError(msg)
    stem = KINDS[kind][0]
    for folder in NOTEBOOK_DIRS:
        if (folder / f"{stem}.ipynb").is_file():
            return folder / f"{stem}.ipynb"
    msg = (f"找不到报告笔记本 / report notebook {stem}.ipynb not found in "
           f"{', '.join(map(str, NOTEBOOK_DIRS))}.\nHint: build it with `make notebooks`.")  # fmt: skip
    raise FileNotFoundError(msg)


def _check_parameters(notebook: Path, parameters: dict[str, Any]) -> dict[str, Any]:
    """Refuse parameters the notebook does not have, or that build_reports sets itself."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    source = next(("".join(cell["source"]) for cell in cells
                   if "parameters" in cell.get("metadata", {}).get("tags", [])), "")  # fmt: skip
    known = set(re.findall(r"^(\w+)\s*(?::|=)", source, flags=re.MULTILINE))
    managed = {"source", "team", "rep", "period", "lang"}
    wrong = sorted(set(parameters) - (known - managed))
    if wrong:
        msg = (f"报告笔记本 {notebook.stem} 不接受参数 / does not take the parameters {wrong}. "
               f"Parameters it takes: {', '.join(sorted(known - managed))} "
               f"({', '.join(sorted(managed & known))} are set by build_reports).")  # fmt: skip
        raise ValueError(msg)
    return dict(parameters)


def _select(names: list[str], only: Sequence[str] | None) -> tuple[list[str], list[str]]:
    if not only:
        return names, []
    if isinstance(only, str):
        only = [only]
    known = set(names)
    wanted = sorted({name for name in only if name in known})
    unknown = sorted({name for name in only if name not in known})
    return wanted, unknown


def _unknown_message(name: str, names: list[str], by: str) -> str:
    zh, en = _WHO[by]
    return (f"没有名为“{name}”的{zh} / no {en} named {name!r}. "
            f"现有{zh} / existing {en}s: {'、'.join(names)}.\n"
            f"Hint: 检查 --only 的拼写（与工作日志表“{zh}”列一致）/ check the spelling in --only.")  # fmt: skip


def _parameters(kind: str, source: str, name: str, period: str, lang: str) -> dict[str, Any]:
    who = KINDS[kind][1]
    parameters: dict[str, Any] = {"source": source, who: name, "lang": lang}
    if kind != "meeting":
        parameters["period"] = period
    return parameters


# --- data --------------------------------------------------------------------------------------


def load_source(source: str | os.PathLike[str]) -> ReportData:
    """Load a work-log file or a dataset for a report (cached; every call returns fresh copies).

    A warm kernel runs many reports on the same source, so the parsed data is kept, keyed by
    the file's path, size and modification time; each caller gets its own copy.

    Parameters
    ----------
    source : str or path
        A work-log file (``.xlsx``, ``.csv``) or a dataset name.

    Returns
    -------
    ReportData
        ``source`` (the absolute file path or the dataset name), ``worklog`` and ``targets``
        (``None`` for a work-log file).

    Examples
    --------
    >>> data = load_source("software")
    >>> data.source, sorted(data.worklog["team"].unique())[:1], data.targets is not None
    ('software', ['华东一组'], True)
    """
    path = Path(source)
    if path.is_file():
        stat = path.stat()
        data = _load(str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    else:
        from devvolume.sim._datasets import list_datasets

        if str(source) not in list_datasets():
            msg = (f"找不到工作日志表或数据集 / no work-log file or dataset named {str(source)!r}.\n"
                   f"Hint: give a .xlsx/.csv file, or one of the datasets: "
                   f"{', '.join(list_datasets())}.")  # fmt: skip
            raise ValueError(msg)
        data = _load(str(source), -1, -1)
    targets = None if data.targets is None else data.targets.copy()
    return ReportData(data.source, data.worklog.copy(), targets)


@lru_cache(maxsize=4)
def _load(source: str, size: int, mtime_ns: int) -> ReportData:
    if size < 0:
        from devvolume.sim._datasets import load_dataset

        dataset = load_dataset(source)
        return ReportData(source, dataset.worklog, dataset.targets)
    from devvolume.inputs._worklog import read_worklog

    return ReportData(source, read_worklog(source), None)


def period_window(day: Any, period: str, *, back: int = 0) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last day of the period that contains ``day``, or of ``back`` periods earlier.

    Examples
    --------
    >>> [str(d.date()) for d in period_window("2025-05-14", "M")]
    ['2025-05-01', '2025-05-31']
    >>> [str(d.date()) for d in period_window("2025-05-14", "W", back=1)]
    ['2025-05-05', '2025-05-11']
    >>> [str(d.date()) for d in period_window("2025-01-10", "Q", back=1)]
    ['2024-10-01', '2024-12-31']
    """
    if period not in PERIODS:
        msg = f"period={period!r} 无效 / is not valid.\nHint: use one of {', '.join(PERIODS)}."
        raise ValueError(msg)
    frequency = {"W": "W-SUN", "M": "M", "Q": "Q", "Y": "Y"}[period]
    current = pd.Timestamp(day).normalize().to_period(frequency) - back
    return current.start_time.normalize(), current.end_time.normalize()


def publish_summary(**fields: Any) -> None:
    """Give the index page this report's headline numbers (label = value).

    Call it once, at the end of a report notebook. The output is taken out of the report
    before export, so it never shows in the HTML.
    """
    from IPython.display import display

    shown = {label: (value.item() if hasattr(value, "item") else value)
             for label, value in fields.items()}  # fmt: skip
    display({SUMMARY_MIMETYPE: shown}, raw=True)


# --- file names and the output folder ----------------------------------------------------------


def safe_file_names(names: Iterable[str], *, prefix: str) -> dict[str, str]:
    r"""Map each name to a file name that is safe on every system and still readable.

    Chinese and other letters stay. Path separators, characters Windows reserves
    (``\\ / : * ? " < > |``), control characters and ``..`` become ``_`` (a run of them one
    ``_``), leading and trailing dots and spaces go, and the name is cut
    to :data:`MAX_NAME_CHARS`. When that changed the name, or two names would give the same
    file (ignoring case, as Windows and macOS do), a short hash of the original name is added.

    Examples
    --------
    >>> safe_file_names(["华东一组", "../../x", "a/b"], prefix="team")
    {'华东一组': 'team_华东一组.html', '../../x': 'team__x-9bdbf20b.html', 'a/b': 'team_a_b-3ec69c85.html'}
    """
    names = list(dict.fromkeys(names))
    stems = {name: _clean(name) for name in names}
    seen: dict[str, int] = {}
    for stem in stems.values():
        seen[stem.casefold()] = seen.get(stem.casefold(), 0) + 1
    files = {}
    for name, stem in stems.items():
        if stem != name or seen[stem.casefold()] > 1:
            digest = hashlib.sha1(name.encode("utf-8")).hexdigest()[:HASH_CHARS]
            stem = f"{stem}-{digest}"
        files[name] = f"{prefix}_{stem}.html"
    return files


def _clean(name: str) -> str:
    text = _UNSAFE.sub("_", unicodedata.normalize("NFC", str(name)))
    text = text.strip(" .")[:MAX_NAME_CHARS].strip(" .")
    return text or "_"


def _inside(folder: Path, file_name: str) -> Path:
    """Return the file in folder; refuse anything that would resolve outside it."""
    path = folder / file_name
    if path.resolve().parent != folder.resolve():
        msg = f"unsafe report file name {file_name!r} (would leave {folder})"
        raise ValueError(msg)
    return path


def _prepare_out(out: Path, *, force: bool) -> Path:
    if out.exists() and not out.is_dir():
        msg = f"输出位置不是文件夹 / --out is not a folder: {out}\nHint: give a folder path."
        raise ValueError(msg)
    if out.is_dir() and not (out / MARKER).is_file() and any(out.iterdir()) and not force:
        msg = (f"输出文件夹不是空的，也不是 devvolume 生成的 / the output folder {out} is not empty "
               "and was not made by devvolume report, so its files could be overwritten.\n"
               "Hint: choose a new or empty folder, or pass --force (force=True) to write into it.")
        raise FileExistsError(msg)
    out.mkdir(parents=True, exist_ok=True)
    marker = out / MARKER
    if not marker.is_file():
        write_atomic(marker, "Made by `devvolume report`; it may overwrite report files here.\n")
    return out
