"""Instructor reports: a personalised report for every team or rep, an index page and a CSV.

:func:`build_reports` runs a report notebook (``notebooks/reports/``: ``team_report``,
``rep_report``, ``meeting_pack``) once per selected team or rep, all at the same report day,
writes each as single-file HTML with no code and no external requests, and writes
``index.html`` with a summary table linking every report and ``summary.csv`` with each report's
numbers. A failing report is recorded (in the index, the CSV and on stderr) and the batch goes
on.
The notebooks run in warm kernels, one per worker process (:mod:`devvolume.report._engine`), so
a report takes a fraction of a second of start-up instead of ten.

File names keep Chinese names readable (``team_华东一组.html``) but can never leave the output
folder: path separators, characters Windows reserves, control characters and ``..`` are
replaced, and a short hash of the original name is added whenever the name had to change or
two names would meet in the same file.

Report notebooks use :func:`~devvolume.report.load_company` to read their data and
:func:`publish_summary` to give the index and ``summary.csv`` their numbers.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import sys
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from devvolume.core import period_window
from devvolume.report._data import load_source, report_day
from devvolume.report._engine import SUMMARY_MIMETYPE, Task, run_tasks, write_atomic
from devvolume.report._figures import SUMMARY_FIELDS
from devvolume.report._index import INDEX_TEXT, SUMMARY_FILE, render_index, render_summary

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
class ReportResult:
    """The outcome of one report: its file (``None`` when it failed) or its error."""

    name: str
    kind: str
    path: Path | None
    ok: bool
    error: str = ""
    seconds: float = 0.0
    #: Headline numbers for the index page, under the report's own (zh or en) labels.
    summary: dict[str, Any] = field(default_factory=dict)
    #: The report's row of ``summary.csv`` (:data:`SUMMARY_FIELDS`), as the report shows it.
    figures: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ReportBatch:
    """All reports of one :func:`build_reports` call, the index page and ``summary.csv``."""

    out: Path
    index: Path
    results: tuple[ReportResult, ...]
    summary: Path
    as_of: dt.date

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
    as_of: str | dt.date | None = None,
    jobs: int = 1,
    force: bool = False,
    lang: Literal["zh", "en"] = "zh",
    progress: bool = True,
    parameters: dict[str, Any] | None = None,
) -> ReportBatch:
    """Write a report for every team or rep in a work log, an index page and ``summary.csv``.

    Every report is cut at the same report day ``as_of`` and computes its numbers on the whole
    company's log up to that day, then keeps its own team's or rep's rows. ``summary.csv``
    (UTF-8 with a BOM, so Excel reads the Chinese) has one row per report: ``name, kind,
    period, as_of, contacted, qualified, signed, won, target, attainment, status``, with the
    numbers the report shows (this period up to ``as_of``; team rows add up to the company's).

    Parameters
    ----------
    source : str or path
        A work-log file (``.xlsx`` or ``.csv``, read with :func:`devvolume.read_worklog`) or the
        name of a dataset (:func:`devvolume.list_datasets`).
    out : str or path
        Output folder. It is created if missing. A folder that is not empty and was not made by
        this function is refused unless ``force``; only report files, ``index.html`` and
        ``summary.csv`` are ever written, nothing is deleted.
    by : {"team", "rep"}
        One report per team or per rep.
    kind : {"team", "meeting", "rep"}, optional
        ``"team"`` (team report) or ``"meeting"`` (weekly meeting pack) for ``by="team"``;
        ``"rep"`` (personal report, peers anonymised) for ``by="rep"``. Default: ``by``.
    only : list of str, optional
        Names of the teams or reps to report on; default all. An unknown name is a failed
        report whose error lists the names that exist; the others are still written.
    period : {"W", "M", "Q", "Y"}
        Period of the team and rep reports (the meeting pack reviews a week).
    as_of : str or date, optional
        The report day (``YYYY-MM-DD``) for every report, from the data's first to its last
        day; default the last day in the data.
    jobs : int
        Worker processes, each with its own warm kernel.
    force : bool
        Write into a non-empty folder that devvolume did not make.
    lang : {"zh", "en"}
        Language of the reports' labels and of the index.
    progress : bool
        Show a progress bar on stderr.
    parameters : dict, optional
        More notebook parameters for every report, e.g. ``{"stalled_days": 21}``; see
        ``papermill --help-notebook`` for each notebook's list.

    Returns
    -------
    ReportBatch
        ``results`` (one per report, in name order), ``index`` (the index page), ``summary``
        (``summary.csv``), ``as_of`` and ``ok``.

    Raises
    ------
    ValueError
        For an unknown source, ``by``/``kind`` combination, period, language or ``jobs``, or a
        report day that is not a date within the data.
    FileExistsError
        For a non-empty output folder not made by devvolume, without ``force``.
    """
    kind = kind or by
    notebook = _check_options(by, kind, period, lang, jobs)
    extra = _check_parameters(notebook, parameters or {})
    data = load_source(source)
    day = report_day(data.worklog, as_of)
    names = sorted(data.worklog[by].dropna().unique())
    wanted, unknown = _select(names, only)
    out_dir = _prepare_out(Path(out), force=force)
    files = safe_file_names(wanted, prefix=kind)
    tasks = [
        Task(index, name, str(notebook),
             {**extra, **_parameters(kind, data.source, name, period, lang, day)},
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
                                    outcome.ok, outcome.error, outcome.seconds, outcome.summary,
                                    outcome.figures))  # fmt: skip
    results.sort(key=lambda result: result.name)
    index = out_dir / "index.html"
    shown_period = "W" if kind == "meeting" else period
    write_atomic(index, render_index(results, source=data.source, by=by, kind=kind,
                                     period=shown_period, lang=lang, as_of=day))  # fmt: skip
    summary = out_dir / SUMMARY_FILE
    first = period_window(day, shown_period).first
    write_atomic(summary, render_summary(results, period=first, as_of=day))
    return ReportBatch(out_dir, index, tuple(results), summary, day)


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
    managed = {"source", "team", "rep", "period", "lang", "as_of"}
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


def _parameters(kind: str, source: str, name: str, period: str, lang: str, day: dt.date
                ) -> dict[str, Any]:  # fmt: skip
    who = KINDS[kind][1]
    parameters: dict[str, Any] = {"source": source, who: name, "lang": lang,
                                  "as_of": day.isoformat()}  # fmt: skip
    if kind != "meeting":
        parameters["period"] = period
    return parameters


def publish_summary(figures: Mapping[str, Any], /, **shown: Any) -> None:
    """Give the batch this report's numbers: ``figures`` for ``summary.csv``, ``shown`` for the index.

    Call it once, at the end of a report notebook. The output is taken out of the report
    before export, so it never shows in the HTML.

    Parameters
    ----------
    figures : mapping
        The machine-readable row: keys among ``period, as_of, contacted, qualified, signed,
        won, target, attainment`` (e.g. :meth:`PeriodFigures.summary`), the numbers the page
        shows.
    **shown
        Headline numbers for the index page, under human labels (``成交=8``).

    Raises
    ------
    ValueError
        For a key of ``figures`` that ``summary.csv`` has no column for.
    """
    from IPython.display import display

    unknown = sorted(set(figures) - set(SUMMARY_FIELDS))
    if unknown:
        msg = (f"summary.csv 没有这些列 / summary.csv has no columns {unknown}.\n"
               f"Hint: use {', '.join(SUMMARY_FIELDS)}.")  # fmt: skip
        raise ValueError(msg)

    def plain(value: Any) -> Any:
        return value.item() if hasattr(value, "item") else value

    payload = {"figures": {key: plain(value) for key, value in figures.items()},
               "shown": {label: plain(value) for label, value in shown.items()}}  # fmt: skip
    display({SUMMARY_MIMETYPE: payload}, raw=True)


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
