"""Instructor reports: a personalised report for every team or rep, an index page and a CSV.

:func:`build_reports` runs a report notebook (``notebooks/reports/``: ``team_report``,
``rep_report``, ``meeting_pack``) once per selected team or rep, all at the same report day,
writes each as single-file HTML with no code and no external requests (and, with ``pdf``, an A4
PDF beside it), and writes ``index.html`` with a summary table linking every report in the
folder and ``summary.csv`` with each report's numbers. A failing report is recorded (in the
index, the CSV and on stderr) and the batch goes on.

A batch behaves as a person expects of a folder of files (:mod:`devvolume.report._folder`):
two runs into one folder never interleave (a lock; the second is refused); a rerun keeps the
reports it does not remake, skips those whose source, parameters and package version have not
changed (unless ``force``), and the index lists every report in the folder with the numbers of
the run that wrote it; Ctrl-C stops the workers within about a second, writes an index that
marks what did not finish and raises :class:`~devvolume.report._engine.Interrupted` (a
``KeyboardInterrupt``). File names are unique and safe on every file system
(:mod:`devvolume.report._names`).

The notebooks run in warm kernels, one per worker process (:mod:`devvolume.report._engine`).
The company up to the report day, and every company-wide result the reports slice, are computed
once for the whole batch and shared by its kernels (:mod:`devvolume.report._shared`).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from devvolume._interrupt import checkpoint, deferred
from devvolume._kit import kit_path
from devvolume.inputs import ImportSummary, import_into
from devvolume.inputs._errors import printable
from devvolume.report._commitments import COMMITMENTS_SUFFIX
from devvolume.report._data import ReportData, company_key, company_shared, load_source, report_day
from devvolume.report._engine import INTERRUPTED, Finished, Interrupted, Outcome, Task, run_tasks
from devvolume.report._folder import (
    MARKER,
    Entry,
    FolderLock,
    file_digest,
    fingerprint,
    prepare_folder,
    read_manifest,
    write_manifest,
)
from devvolume.report._index import INDEX_TEXT, PROBLEMS_HTML, write_index, write_problems
from devvolume.report._names import safe_file_names
from devvolume.report._shared import STORE_ENV, batch_store, write_store

#: The notebook that makes each kind of report, and whom it is for.
KINDS: dict[str, tuple[str, str]] = {
    "team": ("team_report", "team"),
    "meeting": ("meeting_pack", "team"),
    "rep": ("rep_report", "rep"),
}
PERIODS = ("W", "M", "Q", "Y")
LANGS = ("zh", "en")
#: Where the report notebooks are looked for: the wheel's ``devvolume/kit/notebooks/reports/``,
#: or ``notebooks/reports/`` of the source checkout (see devvolume._kit).
NOTEBOOK_DIRS: tuple[Path, ...] = (kit_path("notebooks", "reports"),)
#: Parameters build_reports sets itself (the notebooks have them all).
MANAGED = frozenset({"source", "team", "rep", "period", "lang", "as_of", "skip_invalid", "targets"})

_WHO = {"team": ("团队", "team"), "rep": ("销售员", "rep")}

__all__ = ["KINDS", "LANGS", "MARKER", "PERIODS", "ReportBatch", "ReportResult", "build_reports"]


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
    #: The PDF beside the HTML, when one was asked for.
    pdf: Path | None = None
    #: Kept from an earlier run: same source, parameters and package version.
    unchanged: bool = False
    #: Ctrl-C stopped the batch before this report was written.
    interrupted: bool = False
    pdf_seconds: float = 0.0


@dataclass(frozen=True)
class ReportBatch(Finished[ReportResult]):
    """All reports of one :func:`build_reports` call, the index page and ``summary.csv``."""

    out: Path
    index: Path
    results: tuple[ReportResult, ...]
    summary: Path
    as_of: dt.date
    #: Rows of the work log left out (``skip_invalid``), and the pages listing them.
    skipped_rows: int = 0
    problems: Path | None = None
    #: Every report's comparisons with its peers (``evidence.csv``).
    evidence: Path | None = None
    #: What importing a CRM export did (deals written, left out and why), when the source was one.
    imported: ImportSummary | None = None



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
    skip_invalid: bool = False,
    targets: str | os.PathLike[str] | None = None,
    stalled_days: int | None = None,
    pdf: bool = False,
    crm: str | None = None,
    roster: str | os.PathLike[str] | None = None,
    mapping: str | os.PathLike[str] | None = None,
) -> ReportBatch:
    """Write a report for every team or rep in a work log, an index page and ``summary.csv``.

    Every report is cut at the same report day ``as_of`` and computes its numbers on the whole
    company's log up to that day, then keeps its own team's or rep's rows. ``summary.csv``
    (UTF-8 with a BOM, so Excel reads the Chinese) has one row per report in the folder
    (:data:`~devvolume.report.SUMMARY_COLUMNS`), with the numbers that report shows.

    Parameters
    ----------
    source : str or path
        A work-log file (``.xlsx`` or ``.csv``, read with :func:`devvolume.read_worklog`) or the
        name of a dataset (:func:`devvolume.list_datasets`).
    out : str or path
        Output folder. It is created if missing. A folder that is not empty and was not made by
        this function is refused unless ``force``; only report files, ``index.html``,
        ``summary.csv``, ``problems.html``/``.csv`` and devvolume's own hidden files are ever
        written, nothing is deleted. Reports already there from earlier runs are kept.
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
        Write into a non-empty folder that devvolume did not make, and remake reports that are
        unchanged since the last run.
    lang : {"zh", "en"}
        Language of the reports' labels and of the index.
    progress : bool
        Show a progress bar on stderr.
    parameters : dict, optional
        More notebook parameters for every report; see ``papermill --help-notebook``.
    skip_invalid : bool
        Report on the valid rows of a work log with bad rows. Every report and the index say
        how many rows were left out; ``problems.html`` and ``problems.csv`` list each problem.
    targets : str or path, optional
        A targets file (``.csv``/``.xlsx`` with ``rep, team, period, target``; Chinese headers
        ``销售员, 团队, 月份, 目标`` accepted; ``devvolume template --targets`` writes one).
    stalled_days : int, optional
        Days without activity after which a customer counts as stalled (default 14).
    pdf : bool
        Also print each report to an A4 PDF beside its HTML (needs Playwright and Chromium).
    crm, roster, mapping : optional
        ``source`` is a CRM opportunity export: its format (``auto``, ``pipeline``,
        ``salesforce``, ``hubspot``, ``odoo``), a roster (销售员, 团队) and a mapping file, as for
        :func:`devvolume.import_crm`. Any of them imports the export into the output folder
        (``.devvolume-import/``, with its summary) and reports on that work log.

    Returns
    -------
    ReportBatch

    Raises
    ------
    ValueError
        For an unknown source, option or parameter, a report day outside the data, or a work
        log with bad rows without ``skip_invalid`` (a :class:`devvolume.WorklogError`).
    FileExistsError
        For a non-empty output folder not made by devvolume, without ``force``.
    FolderBusyError
        When another run is writing into the same folder.
    RuntimeError
        For ``pdf`` when no PDF renderer is installed.
    Interrupted
        On Ctrl-C, after the index (marking what did not finish) is written; ``.batch`` holds
        the :class:`ReportBatch`.
    """
    kind = kind or by
    notebook = _check_options(by, kind, period, lang, jobs)
    extra = _check_parameters(notebook, parameters or {})
    if stalled_days is not None:
        extra["stalled_days"] = _check_days(stalled_days)
    if pdf:
        from devvolume.report._pdf import check_renderer

        check_renderer()
    imported = None
    if crm is not None or roster is not None or mapping is not None:
        prepare_folder(Path(out), force=force)  # the folder is checked before anything goes in
        source, done = import_into(out, source, crm=crm or "auto", roster=roster, mapping=mapping)
        imported = done.summary
    data = load_source(source, skip_invalid=skip_invalid, targets=targets)
    day = report_day(data.worklog, as_of)
    names = sorted(data.worklog[by].dropna().unique())
    wanted, unknown = _select(names, only)
    out_dir = prepare_folder(Path(out), force=force)
    with FolderLock(out_dir):
        entries = read_manifest(out_dir)
        own = {entry.file: entry.name for entry in entries.values()
               if entry.kind == kind and entry.file}  # fmt: skip
        files = safe_file_names(names, prefix=kind, reserved=own)
        shared = {"version": _version(), "notebook": file_digest(notebook),
                  "source": _source_digest(data), "targets": file_digest(targets), "pdf": pdf,
                  "skip_invalid": skip_invalid}  # fmt: skip
        run = f"{dt.datetime.now().isoformat(timespec='seconds')}#{os.getpid()}"
        tasks: list[Task] = []
        kept: list[Entry] = []
        for name in wanted:
            parameters_ = {**extra, **_parameters(kind, data.source, name, period, lang, day,
                                                  skip_invalid, targets)}  # fmt: skip
            file = files[name]
            if kind == "meeting":  # the team's commitments file, beside its pack
                parameters_["commitments"] = str((out_dir / file).with_suffix(COMMITMENTS_SUFFIX))
            mark = fingerprint(parameters=parameters_, **shared)
            entry = entries.get(_key(kind, name))
            if not force and _unchanged(entry, out_dir, mark, pdf):
                assert entry is not None
                kept.append(entry)
                continue
            html = out_dir / file
            tasks.append(Task(len(tasks), name, str(notebook), parameters_, str(html),
                              f"{printable(name)} · {INDEX_TEXT[lang]['kinds'][kind]}",
                              str(html.with_suffix(".pdf")) if pdf else "", mark))  # fmt: skip
        stop: Interrupted | None = None
        outcomes: dict[int, Outcome] = {}
        try:
            problems = write_problems(out_dir, data.skipped, source=data.source, lang=lang)
            with batch_store() as store:
                if tasks:
                    _share_company(store, data.source, skip_invalid, targets, day)
                outcomes = run_tasks(tasks, jobs=jobs, progress=progress, label=f"{kind} reports",
                                     env={STORE_ENV: str(store)})  # fmt: skip
        except Interrupted as interrupted:
            stop, outcomes = interrupted, interrupted.outcomes
        except KeyboardInterrupt:  # before the workers started: no report was made
            stop = Interrupted(outcomes, 0.0)
            problems = out_dir / PROBLEMS_HTML if (out_dir / PROBLEMS_HTML).is_file() else None
        with deferred() as held:  # the index is written whole, whenever Ctrl-C comes
            batch = _finish(tasks, outcomes, kept, entries, unknown, names, out_dir, kind, by,
                            day, period, data, lang, run, problems, imported)  # fmt: skip
        if stop is None and held.interrupted:
            stop = Interrupted(outcomes, 0.0)
    if stop is not None:
        stop.batch = batch  # type: ignore[attr-defined]
        raise stop
    return batch


def _finish(tasks: list[Task], outcomes: dict[int, Outcome], kept: list[Entry],
            entries: dict[str, Entry], unknown: list[str], names: list[str], out_dir: Path,
            kind: str, by: str, day: dt.date, period: str, data: ReportData, lang: str, run: str,
            problems: Path | None, imported: ImportSummary | None) -> ReportBatch:  # fmt: skip
    """Record every report's outcome in the manifest; write the index, summary and evidence.

    A task without an outcome did not finish (Ctrl-C came before it ran).
    """
    missing = [_unknown_result(name, names, by, kind) for name in unknown]
    for result in missing:
        print(result.error, file=sys.stderr)
    results = list(missing)
    for task in tasks:
        outcome = outcomes.get(task.index) or Outcome(False, 0.0, INTERRUPTED, interrupted=True)
        entry = Entry(task.name, kind, Path(task.html).name,
                      "ok" if outcome.ok else "interrupted" if outcome.interrupted else "error",
                      day.isoformat(), "W" if kind == "meeting" else period, data.source, lang,
                      Path(task.pdf).name if task.pdf and outcome.ok else "",
                      task.fingerprint if outcome.ok else "",
                      run, dt.datetime.now().isoformat(timespec="seconds"),
                      data.skipped.rows if data.skipped else 0, outcome.error,
                      round(outcome.seconds, 2), outcome.summary, outcome.figures,
                      outcome.evidence)  # fmt: skip
        old = entries.get(_key(kind, task.name))
        if not outcome.ok and old is not None:
            entry.previous = _previous(old, out_dir)
        entries[_key(kind, task.name)] = entry
        results.append(_result(entry, out_dir, outcome.seconds, outcome.pdf_seconds))
    results += [_result(entry, out_dir, 0.0, 0.0, unchanged=True) for entry in kept]
    results.sort(key=lambda result: result.name)
    write_manifest(out_dir, entries)
    checkpoint("index")  # a test's Ctrl-C while the index is written
    index, summary, evidence = write_index(
        out_dir, entries, unknown=missing,
        run={"source": data.source, "by": by, "kind": kind, "lang": lang, "as_of": day,
             "period": "W" if kind == "meeting" else period, "problems": problems,
             "skipped": data.skipped.rows if data.skipped else 0,
             "rows_read": data.skipped.rows_read if data.skipped else 0})  # fmt: skip
    return ReportBatch(out_dir, index, tuple(results), summary, day,
                       data.skipped.rows if data.skipped else 0, problems, evidence,
                       imported)  # fmt: skip


def _share_company(store: Path, source: str, skip_invalid: bool,
                   targets: str | os.PathLike[str] | None, day: dt.date) -> None:  # fmt: skip
    """Write the company up to the report day into the batch store, for every worker's kernel.

    The kernels then neither read and check the source again nor compute its reached levels;
    the company-wide results they compute on it are shared through the store too
    (:mod:`devvolume.report._shared`).
    """
    key = company_key(source, skip_invalid=skip_invalid, targets=targets, as_of=day)
    write_store(store, company_shared(key))


def _key(kind: str, name: str) -> str:
    return f"{kind}:{name}"


def _unchanged(entry: Entry | None, out: Path, mark: str, pdf: bool) -> bool:
    if entry is None or entry.status != "ok" or entry.fingerprint != mark:
        return False
    if not (out / entry.file).is_file():
        return False
    return not pdf or bool(entry.pdf and (out / entry.pdf).is_file())


def _previous(old: Entry, out: Path) -> dict[str, Any] | None:
    """Return the last good report of a name, if its file is still there."""
    if old.status == "ok" and old.file and (out / old.file).is_file():
        return {"file": old.file, "as_of": old.as_of, "period": old.period, "run": old.run}
    return old.previous


def _result(entry: Entry, out: Path, seconds: float, pdf_seconds: float, *,
            unchanged: bool = False) -> ReportResult:  # fmt: skip
    ok = entry.status == "ok"
    return ReportResult(entry.name, entry.kind, out / entry.file if ok else None, ok,
                        entry.error, seconds, entry.summary, entry.figures,
                        out / entry.pdf if ok and entry.pdf else None, unchanged,
                        entry.status == "interrupted", pdf_seconds)  # fmt: skip


def _version() -> str:
    from devvolume import __version__

    return str(__version__)


def _source_digest(data: ReportData) -> str:
    path = Path(data.source)
    return file_digest(path) if path.is_file() else f"dataset:{data.source}"


def _check_days(days: Any) -> int:
    if isinstance(days, bool) or not isinstance(days, int) or days < 1:
        msg = (f"stalled_days={days!r} 无效 / is not valid.\nHint: 写一个正整数，例如 14 / give a "
               "whole number of days, e.g. 14.")  # fmt: skip
        raise ValueError(msg)
    return days


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
    wrong = sorted(set(parameters) - (known - MANAGED))
    if wrong:
        msg = (f"报告笔记本 {notebook.stem} 不接受参数 / does not take the parameters {wrong}. "
               f"Parameters it takes: {', '.join(sorted(known - MANAGED))} "
               f"({', '.join(sorted(MANAGED & known))} are set by build_reports).")  # fmt: skip
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


def _unknown_result(name: str, names: list[str], by: str, kind: str) -> ReportResult:
    zh, en = _WHO[by]
    error = (f"没有名为“{printable(name)}”的{zh} / no {en} named {printable(repr(name))}. "
             f"现有{zh} / existing {en}s: {printable('、'.join(names))}.\n"
             f"Hint: 检查 --only 的拼写（与工作日志表“{zh}”列一致）/ check the spelling in --only.")  # fmt: skip
    return ReportResult(name, kind, None, False, error)


def _parameters(kind: str, source: str, name: str, period: str, lang: str, day: dt.date,
                skip_invalid: bool, targets: str | os.PathLike[str] | None) -> dict[str, Any]:  # fmt: skip
    who = KINDS[kind][1]
    parameters: dict[str, Any] = {"source": source, who: name, "lang": lang,
                                  "as_of": day.isoformat(), "skip_invalid": skip_invalid,
                                  "targets": str(Path(targets).resolve()) if targets else ""}  # fmt: skip
    if kind != "meeting":
        parameters["period"] = period
    return parameters
