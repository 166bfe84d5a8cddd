"""Personalised lessons for every team: the course's lessons run on a team's own work log.

:func:`build_course` (``devvolume course WORKLOG --by team --out DIR``) runs the chosen lessons
(``notebooks/0*.ipynb`` of the course kit, found with :func:`devvolume._kit.kit_path`) once per
team of a work log, with the lesson parameters ``dataset`` (the log's absolute path, or a case
name) and ``team``, and writes for each team a folder ``DIR/team_<name>/`` holding every lesson
as an executed notebook (``01_what_counts.ipynb``, to open in JupyterLab) and as a single-file
HTML page that loads nothing from the network (``01_what_counts.html``, code shown, as in the
lesson). ``DIR/index.html`` lists the teams and the lessons with a link to each page, and every
failure with its error. The lessons compute every figure on the whole file and slice it to the
team (see :func:`devvolume.teach.lesson_data`); this module only passes them parameters, so the
report layer never imports the teaching layer.

A work log with bad rows is refused (naming them, as ``devvolume validate`` does) unless
``skip_invalid``: then the lessons use the valid rows, each lesson says how many rows were left
out, and ``problems.html`` lists them. Everything else behaves as ``devvolume report``: the
warm-kernel engine (:mod:`devvolume.report._engine`) runs ``jobs`` lessons at once, a failing
lesson is recorded and the batch goes on, Ctrl-C stops within about a second
(:class:`~devvolume.report.Interrupted`); a folder that is not empty and was not made by
``devvolume course`` is refused without ``force``; two runs never write into one folder at once
(:class:`~devvolume.report._folder.FolderLock`); a rerun keeps the pages it does not remake and
skips those whose log, lesson, parameters and package version have not changed (unless
``force``); folder names are safe and unique (:mod:`devvolume.report._names`).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from devvolume import _kit
from devvolume._interrupt import checkpoint, deferred
from devvolume.inputs import ImportSummary, import_into
from devvolume.inputs._errors import printable
from devvolume.report._course_index import write_course_index
from devvolume.report._course_run import LessonTask, run_lessons
from devvolume.report._data import SKIP_HINT, ReportData, load_source
from devvolume.report._engine import INTERRUPTED, Finished, Interrupted, Outcome
from devvolume.report._folder import (
    Entry,
    FolderLock,
    file_digest,
    fingerprint,
    prepare_folder,
    read_manifest,
    write_manifest,
)
from devvolume.report._index import write_problems
from devvolume.report._names import safe_file_names

#: A file in the output folder that says ``devvolume course`` made it (and may write there again).
COURSE_MARKER = ".devvolume-course"
#: The lesson notebooks of the kit: ``01_what_counts.ipynb`` ... (not the report notebooks).
LESSON_PATTERN = re.compile(r"^(\d{2})_\w+\.ipynb$")
#: What a team folder's name starts with (a team named ``CON`` stays harmless on Windows).
FOLDER_PREFIX = "team"
#: Whom a course is for: lessons take a ``team`` parameter.
BY = ("team",)

COURSE_SKIP_HINT = (
    "Hint: 改正这些行后重新运行；或者加 --skip-invalid（Python 里 skip_invalid=True），只用没有问题的行"
    "生成课程，每一课都会注明跳过了多少行，明细见 problems.html / fix these rows and run again, or "
    "pass --skip-invalid (skip_invalid=True) to run the lessons on the valid rows only; every "
    "lesson then says how many rows were left out.")  # fmt: skip


@dataclass(frozen=True)
class LessonResult:
    """The outcome of one lesson for one team: its files (``None`` when it failed) or its error."""

    team: str
    lesson: str
    html: Path | None
    ipynb: Path | None
    ok: bool
    error: str = ""
    seconds: float = 0.0
    #: Kept from an earlier run: same log, lesson, parameters and package version.
    unchanged: bool = False
    #: Ctrl-C stopped the batch before this lesson was written.
    interrupted: bool = False


@dataclass(frozen=True)
class CourseBatch(Finished[LessonResult]):
    """All lessons of one :func:`build_course` call, and the index page."""

    out: Path
    index: Path
    results: tuple[LessonResult, ...]
    #: Rows of the work log left out (``skip_invalid``), and the page listing them.
    skipped_rows: int = 0
    problems: Path | None = None
    #: What importing a CRM export did (deals written, left out and why), when the source was one.
    imported: ImportSummary | None = None



def lesson_notebooks(folder: str | os.PathLike[str] | None = None) -> dict[str, Path]:
    """Find the course's lessons by name (``01_what_counts`` ...), in the kit or in ``folder``.

    Examples
    --------
    >>> sorted(lesson_notebooks())[:2]
    ['01_what_counts', '02_calculation']
    """
    where = Path(folder) if folder is not None else _kit.kit_path("notebooks")
    found = {path.stem: path for path in sorted(where.glob("*.ipynb"))
             if LESSON_PATTERN.match(path.name)}  # fmt: skip
    if not found:
        msg = (f"找不到课程笔记本 / no lesson notebooks (01_*.ipynb ...) in {where}.\n"
               "Hint: build them with `make notebooks`, or reinstall devvolume.")  # fmt: skip
        raise FileNotFoundError(msg)
    return found


def select_lessons(available: Sequence[str], wanted: Sequence[str] | None) -> list[str]:
    """Pick lessons by number (``01``, ``1``) or name (``01_what_counts``); default all.

    Examples
    --------
    >>> select_lessons(["01_what_counts", "02_calculation"], ["2", "01"])
    ['01_what_counts', '02_calculation']
    >>> select_lessons(["01_what_counts"], ["09"])
    Traceback (most recent call last):
    ...
    ValueError: 没有这一课 / no lesson '09'. 现有 / lessons: 01_what_counts
    """
    if not wanted:
        return sorted(available)
    chosen = set()
    for text in [wanted] if isinstance(wanted, str) else wanted:
        key = str(text).strip()
        matches = [name for name in available
                   if key == name or (key.isdigit() and int(key) == int(name[:2]))]  # fmt: skip
        if not matches:
            msg = f"没有这一课 / no lesson {key!r}. 现有 / lessons: {', '.join(sorted(available))}"
            raise ValueError(msg)
        chosen.update(matches)
    return sorted(chosen)


def build_course(
    source: str | os.PathLike[str],
    *,
    out: str | os.PathLike[str],
    by: str = "team",
    lessons: Sequence[str] | None = None,
    jobs: int = 1,
    skip_invalid: bool = False,
    force: bool = False,
    progress: bool = True,
    notebooks: str | os.PathLike[str] | None = None,
    crm: str | None = None,
    roster: str | os.PathLike[str] | None = None,
    mapping: str | os.PathLike[str] | None = None,
) -> CourseBatch:
    """Run the course's lessons for every team of a work log: a folder per team, and an index.

    Parameters
    ----------
    source : str or path
        A work-log file (``.xlsx``, ``.csv``, ``.parquet``) or a case dataset's name.
    out : str or path
        Output folder, created if missing. A folder that is not empty and was not made by
        ``devvolume course`` is refused unless ``force``; nothing is ever deleted.
    by : {"team"}
        One set of lessons per team (the lessons' ``team`` parameter).
    lessons : list of str, optional
        Lessons by number (``"01"``) or name (``"01_what_counts"``); default every lesson.
    jobs : int
        Worker processes, each with its own warm kernel.
    skip_invalid : bool
        Run the lessons on the valid rows of a work log with bad rows; every lesson says how
        many rows were left out and ``problems.html`` lists each problem.
    force : bool
        Write into a non-empty folder that ``devvolume course`` did not make, and remake
        lessons that are unchanged since the last run.
    progress : bool
        Show a progress bar on stderr.
    notebooks : str or path, optional
        A folder of lesson notebooks to use instead of the course kit's.
    crm, roster, mapping : optional
        ``source`` is a CRM opportunity export (see :func:`devvolume.report.build_reports`): it
        is imported into the output folder and the lessons run on that work log.

    Returns
    -------
    CourseBatch

    Raises
    ------
    ValueError
        For an unknown source, lesson or option, or a work log with bad rows without
        ``skip_invalid`` (a :class:`devvolume.WorklogError` naming them).
    FileExistsError
        For a non-empty output folder not made by ``devvolume course``, without ``force``.
    FolderBusyError
        When another run is writing into the same folder.
    Interrupted
        On Ctrl-C, after the index (marking what did not finish) is written; ``.batch`` holds
        the :class:`CourseBatch`.
    """
    if by not in BY:
        msg = (f"课程只能按团队生成 / a course is made per team, not by {by!r}.\n"
               "Hint: use --by team (the lessons take a team).")  # fmt: skip
        raise ValueError(msg)
    if jobs < 1:
        msg = f"jobs={jobs} 无效 / is not valid.\nHint: use 1 or more worker processes."
        raise ValueError(msg)
    available = lesson_notebooks(notebooks)
    chosen = select_lessons(list(available), lessons)
    imported = None
    if crm is not None or roster is not None or mapping is not None:
        prepare_folder(Path(out), force=force, marker=COURSE_MARKER, command="devvolume course")
        source, result = import_into(out, source, crm=crm or "auto", roster=roster,
                                     mapping=mapping)  # fmt: skip
        imported = result.summary
    data = _load(source, skip_invalid)
    teams = sorted(str(team) for team in data.worklog["team"].dropna().unique())
    out_dir = prepare_folder(Path(out), force=force, marker=COURSE_MARKER,
                             command="devvolume course")
    with FolderLock(out_dir):
        entries = read_manifest(out_dir)
        folders = _team_folders(teams, entries)
        shared = {"version": _version(), "source": _source_digest(data),
                  "skip_invalid": skip_invalid}  # fmt: skip
        digests = {name: file_digest(available[name]) for name in chosen}
        titles = {name: lesson_title(available[name]) for name in chosen}
        run = f"{dt.datetime.now().isoformat(timespec='seconds')}#{os.getpid()}"
        tasks: list[LessonTask] = []
        kept: list[Entry] = []
        for team in teams:
            for name in chosen:
                parameters = {"dataset": data.source, "team": team}
                mark = fingerprint(parameters=parameters, notebook=digests[name], **shared)
                entry = entries.get(_key(name, team))
                if not force and _unchanged(entry, out_dir, mark):
                    assert entry is not None
                    kept.append(entry)
                    continue
                page = out_dir / folders[team] / f"{name}.html"
                page.parent.mkdir(exist_ok=True)
                tasks.append(LessonTask(len(tasks), f"{team} · {name}", str(available[name]),
                                        parameters, str(page), f"{printable(team)} · {titles[name]}",
                                        fingerprint=mark, ipynb=str(page.with_suffix(".ipynb"))))  # fmt: skip
        stop: Interrupted | None = None
        outcomes: dict[int, Outcome] = {}
        problems: Path | None = None
        try:
            problems = write_problems(out_dir, data.skipped, source=data.source, lang="zh")
            outcomes = run_lessons(tasks, jobs=jobs, progress=progress)
        except Interrupted as interrupted:
            stop, outcomes = interrupted, interrupted.outcomes
        except KeyboardInterrupt:  # before the workers started: no lesson was run
            stop = Interrupted(outcomes, 0.0)
        with deferred() as held:  # the index is written whole, whenever Ctrl-C comes
            batch = _finish(tasks, outcomes, kept, entries, out_dir, data, titles, run, teams,
                            problems, imported)  # fmt: skip
        if stop is None and held.interrupted:
            stop = Interrupted(outcomes, 0.0)
    if stop is not None:
        stop.batch = batch  # type: ignore[attr-defined]
        raise stop
    return batch


def _finish(tasks: list[LessonTask], outcomes: dict[int, Outcome], kept: list[Entry],
            entries: dict[str, Entry], out_dir: Path, data: ReportData, titles: dict[str, str],
            run: str, teams: list[str], problems: Path | None,
            imported: ImportSummary | None) -> CourseBatch:  # fmt: skip
    """Record every lesson's outcome in the manifest; write the index.

    A task without an outcome did not finish (Ctrl-C came before it ran).
    """
    results = []
    skipped = data.skipped.rows if data.skipped else 0
    for task in tasks:
        outcome = outcomes.get(task.index) or Outcome(False, 0.0, INTERRUPTED, interrupted=True)
        team, name = task.parameters["team"], Path(task.notebook).stem
        status = "ok" if outcome.ok else "interrupted" if outcome.interrupted else "error"
        entry = Entry(team, name, Path(task.html).relative_to(out_dir).as_posix(), status,
                      source=data.source, lang="zh",
                      fingerprint=task.fingerprint if outcome.ok else "", run=run,
                      written=dt.datetime.now().isoformat(timespec="seconds"),
                      skipped_rows=skipped, error=outcome.error,
                      seconds=round(outcome.seconds, 2),
                      summary={"title": titles[name]})  # fmt: skip
        entries[_key(name, team)] = entry
        results.append(_result(entry, out_dir, outcome.seconds))
    results += [_result(entry, out_dir, 0.0, unchanged=True) for entry in kept]
    results.sort(key=lambda result: (result.team, result.lesson))
    write_manifest(out_dir, entries)
    checkpoint("index")  # a test's Ctrl-C while the index is written
    index = write_course_index(out_dir, entries, source=data.source, teams=teams,
                               skipped=data.skipped, problems=problems)  # fmt: skip
    return CourseBatch(out_dir, index, tuple(results), skipped, problems, imported)


def lesson_title(notebook: Path) -> str:
    """Return the lesson's title: its first ``# 第…课`` heading, else its file name."""
    import json

    cells = json.loads(notebook.read_text(encoding="utf-8")).get("cells", [])
    for cell in cells:
        if cell.get("cell_type") != "markdown":
            continue
        for line in "".join(cell.get("source", "")).splitlines():
            if line.startswith("# "):
                return line[2:].strip()
    return notebook.stem


# --- the folder -------------------------------------------------------------------------------


def _load(source: str | os.PathLike[str], skip_invalid: bool) -> ReportData:
    from devvolume.inputs import WorklogError

    try:
        return load_source(source, skip_invalid=skip_invalid)
    except WorklogError as exc:
        message = str(exc).replace(SKIP_HINT, COURSE_SKIP_HINT)
        raise WorklogError(message, exc.problems, exc.source, sheet=exc.sheet) from None


def _team_folders(teams: Sequence[str], entries: dict[str, Entry]) -> dict[str, str]:
    """Each team's folder: safe and unique, and the same as in earlier runs."""
    reserved = {f"{entry.file.split('/')[0]}.html": entry.name for entry in entries.values()
                if "/" in entry.file}  # fmt: skip
    files = safe_file_names(teams, prefix=FOLDER_PREFIX, reserved=reserved)
    return {team: file.removesuffix(".html") for team, file in files.items()}


def _key(lesson: str, team: str) -> str:
    return f"{lesson}:{team}"


def _unchanged(entry: Entry | None, out: Path, mark: str) -> bool:
    if entry is None or entry.status != "ok" or entry.fingerprint != mark:
        return False
    page = out / entry.file
    return page.is_file() and page.with_suffix(".ipynb").is_file()


def _result(entry: Entry, out: Path, seconds: float, *, unchanged: bool = False) -> LessonResult:
    ok = entry.status == "ok"
    page = out / entry.file
    return LessonResult(entry.name, entry.kind, page if ok else None,
                        page.with_suffix(".ipynb") if ok else None, ok, entry.error, seconds,
                        unchanged, entry.status == "interrupted")  # fmt: skip


def _version() -> str:
    from devvolume import __version__

    return str(__version__)


def _source_digest(data: ReportData) -> str:
    path = Path(data.source)
    return file_digest(path) if path.is_file() else f"dataset:{data.source}"


