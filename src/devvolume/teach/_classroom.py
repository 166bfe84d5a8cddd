"""The class's progress, summed up for the instructor: who is stuck, which mistakes the class makes.

:func:`class_tables` turns the records :func:`~devvolume.teach._class_records.read_progress`
read into the instructor's tables: per learner (questions attempted, solved, solved without
hints, time spent, stuck, last activity), per question (attempts, learners, success rate, hints
and solutions used), per question and mistake, and per misconception over all questions (its
Chinese name and the lesson section that re-teaches it); and a short "next session" list built
from those figures. :func:`build_class_report` writes them as one offline page and CSV files
(:mod:`devvolume.teach._class_page` renders them).
"""

from __future__ import annotations

import datetime as dt
import importlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from devvolume._interrupt import checkpoint, deferred
from devvolume.inputs._excel_csv import write_csv
from devvolume.teach._class_page import render_class_page
from devvolume.teach._class_records import ClassProgress, read_progress
from devvolume.teach.exercises._misconceptions import UNDIAGNOSED, misconception

#: A learner is stuck on a question after this many incorrect checks without solving it.
STUCK_AFTER = 3
#: Records of one learner further apart than this start a new sitting (time spent counts
#: only the gaps inside a sitting).
SITTING_GAP = dt.timedelta(minutes=30)
#: A misconception goes on the "next session" list when at least this share of the class, and
#: at least :data:`REVIEW_MIN_LEARNERS` learners, made it; at most :data:`REVIEW_MAX` of them.
REVIEW_SHARE = 0.2
REVIEW_MIN_LEARNERS = 2
REVIEW_MAX = 3
#: A question goes on the list when fewer than this share of the learners who tried solved it.
HARD_SUCCESS_RATE = 0.5
#: The class page, the CSV files beside it (table -> file), and the file that says devvolume
#: made the output folder (and may write there again).
PAGE_FILE = "class_progress.html"
CSV_FILES = {"learners": "learners.csv", "questions": "questions.csv",
             "mistakes": "mistakes.csv", "misconceptions": "misconceptions.csv"}
MARKER = ".devvolume-class"


@dataclass(frozen=True)
class ClassTables:
    """The instructor's tables (:data:`CSV_FILES` names their files) and the next-session plan."""

    learners: pd.DataFrame
    questions: pd.DataFrame
    mistakes: pd.DataFrame
    misconceptions: pd.DataFrame
    next_session: tuple[str, ...]


@dataclass
class _Work:
    """One learner on one question, from their records in time order."""

    checks: int = 0
    incorrect: int = 0
    formats: int = 0              # asked to write the answer again (a percent, too few decimals)
    hints: int = 0
    solution: bool = False
    solved: bool = False
    helped: bool = False          # a hint or the solution before the first correct check
    solved_unhelped: bool = False
    first_try: bool | None = None

    def add(self, outcome: str) -> None:
        if outcome in ("hint", "solution"):
            self.hints += outcome == "hint"
            self.solution |= outcome == "solution"
            self.helped |= not self.solved
            return
        self.checks += 1
        if self.first_try is None:
            self.first_try = outcome == "correct"
        if outcome == "incorrect":
            self.incorrect += 1
        elif outcome == "format":
            # neither right nor wrong: only a correct check solves a question
            self.formats += 1
        elif not self.solved:
            self.solved, self.solved_unhelped = True, not self.helped

    @property
    def stuck(self) -> bool:
        return self.incorrect >= STUCK_AFTER and not self.solved


def question_label(lesson: str, question: str) -> str:
    """How the page names a question: ``01 q3``."""
    return f"{lesson} {question}"


def class_tables(progress: ClassProgress) -> ClassTables:
    """Sum the records up per learner, question, mistake and misconception; plan the next session."""
    records = progress.records
    work: dict[tuple[str, str, str], _Work] = {}
    for learner, lesson, question, outcome in records[
            ["learner", "lesson", "question", "outcome"]].itertuples(index=False):
        work.setdefault((learner, lesson, question), _Work()).add(outcome)
    learners = _learner_table(records, work, progress.learner_files)
    questions = _question_table(records, work)
    mistakes = _mistake_table(records)
    misconceptions = _misconception_table(records, class_size=len(learners))
    plan = next_session(learners, questions, misconceptions)
    return ClassTables(learners, questions, mistakes, misconceptions, plan)


def _learner_table(records: pd.DataFrame, work: dict[tuple[str, str, str], _Work],
                   files: dict[str, tuple[str, ...]]) -> pd.DataFrame:  # fmt: skip
    rows = []
    for learner, mine in records.groupby("learner", sort=True):
        items = {(lesson, q): w for (who, lesson, q), w in work.items() if who == learner}
        stuck = [question_label(*key) for key, w in sorted(items.items(), key=_order) if w.stuck]
        latest = mine.loc[mine["time"].idxmax()]
        rows.append({
            "learner": learner,
            "attempted": sum(w.checks > 0 for w in items.values()),
            "solved": sum(w.solved for w in items.values()),
            "solved_without_hints": sum(w.solved_unhelped for w in items.values()),
            "incorrect": sum(w.incorrect for w in items.values()),
            "format": sum(w.formats for w in items.values()),
            "hints": sum(w.hints for w in items.values()),
            "solutions": sum(w.solution for w in items.values()),
            "minutes": time_spent(mine["time"]),
            "stuck": len(stuck),
            "stuck_questions": ", ".join(stuck),
            "last_activity": latest["time_text"],
            "files": len(files.get(str(learner), ())),
        })
    columns = ["learner", "attempted", "solved", "solved_without_hints", "incorrect", "format",
               "hints", "solutions", "minutes", "stuck", "stuck_questions", "last_activity", "files"]
    return pd.DataFrame(rows, columns=columns)


def _order(item: tuple[tuple[str, str], Any]) -> tuple[str, int, str]:
    (lesson, question), _ = item
    return _question_order(lesson, question)


def _question_order(lesson: str, question: str) -> tuple[str, int, str]:
    digits = question.lstrip("q")
    return lesson, int(digits) if digits.isdigit() else 10**6, question


def time_spent(times: pd.Series) -> int:
    """Whole minutes between a learner's records, leaving out pauses longer than :data:`SITTING_GAP`.

    Examples
    --------
    >>> t = pd.to_datetime(["2026-05-06 10:00", "2026-05-06 10:20", "2026-05-06 14:00",
    ...                     "2026-05-06 14:05"], utc=True)
    >>> time_spent(pd.Series(t))
    25
    """
    gaps = pd.Series(times).sort_values().diff().dropna()
    inside = gaps[gaps <= SITTING_GAP]
    return int(inside.sum().total_seconds() // 60) if len(inside) else 0


def _lesson_questions(lesson: str) -> list[tuple[str, str]]:
    """Return the (question, prompt) pairs of a lesson's exercises ([] for an unknown lesson)."""
    if not (lesson.isdigit() and len(lesson) == 2):
        return []
    try:
        module = importlib.import_module(f"devvolume.teach.exercises.lesson{lesson}")
    except ModuleNotFoundError:
        return []
    return [(q.name, q.prompt) for q in getattr(module, "QUESTIONS", ())]


def _question_table(records: pd.DataFrame,
                    work: dict[tuple[str, str, str], _Work]) -> pd.DataFrame:  # fmt: skip
    known: dict[tuple[str, str], str] = {}
    for lesson in sorted(records["lesson"].unique()):
        known.update({(lesson, name): prompt for name, prompt in _lesson_questions(lesson)})
    for lesson, question in records[["lesson", "question"]].itertuples(index=False):
        known.setdefault((lesson, question), "")
    rows = []
    for lesson, question in sorted(known, key=lambda key: _question_order(*key)):
        items = [w for (_, les, q), w in work.items() if (les, q) == (lesson, question)]
        learners = len(items)
        solved = sum(w.solved for w in items)
        rows.append({
            "lesson": lesson, "question": question, "prompt": known[(lesson, question)],
            "learners": learners,
            "attempts": sum(w.checks for w in items),
            "solved": solved,
            "success_rate": round(solved / learners, 3) if learners else None,
            "first_try": sum(bool(w.first_try) for w in items),
            "hints": sum(w.hints for w in items),
            "hint_learners": sum(w.hints > 0 for w in items),
            "solutions": sum(w.solution for w in items),
            "stuck": sum(w.stuck for w in items),
        })
    columns = ["lesson", "question", "prompt", "learners", "attempts", "solved", "success_rate",
               "first_try", "hints", "hint_learners", "solutions", "stuck"]
    return pd.DataFrame(rows, columns=columns)


def _wrong(records: pd.DataFrame) -> pd.DataFrame:
    wrong = records[records["outcome"] == "incorrect"]
    return wrong.assign(mistake=wrong["mistake"].fillna(UNDIAGNOSED))


#: Different answers listed per mistake in ``mistakes.csv``, the most frequent first.
ANSWERS_LISTED = 3


def common_answers(answers: pd.Series) -> str:
    """List the most frequent answers given (records without one are left out): ``0.294 ×3; 0.3``.

    Examples
    --------
    >>> common_answers(pd.Series(["0.294", None, "0.3", "0.294", "0.294"]))
    '0.294 ×3; 0.3'
    """
    counts = answers.dropna().value_counts(sort=False)
    order = sorted(counts.items(), key=lambda item: (-item[1], str(item[0])))[:ANSWERS_LISTED]
    return "; ".join(f"{answer} ×{n}" if n > 1 else str(answer) for answer, n in order)


def _mistake_table(records: pd.DataFrame) -> pd.DataFrame:
    """``lesson, question, mistake, learners, attempts, answers`` for every incorrect answer."""
    grouped = _wrong(records).groupby(["lesson", "question", "mistake"], sort=False)
    table = grouped.agg(learners=("learner", "nunique"), attempts=("learner", "size"),
                        answers=("answer", common_answers))  # fmt: skip
    table = table.reset_index()
    if table.empty:
        return table
    order = table.apply(lambda row: _question_order(row["lesson"], row["question"]), axis=1)
    table = table.assign(_order=order, _undiagnosed=table["mistake"] == UNDIAGNOSED)
    table = table.sort_values(["_order", "_undiagnosed", "learners", "attempts", "mistake"],
                              ascending=[True, True, False, False, True], ignore_index=True)
    return table.drop(columns=["_order", "_undiagnosed"])


def _misconception_table(records: pd.DataFrame, *, class_size: int) -> pd.DataFrame:
    """Each diagnosed mistake over all questions: who made it, where, and where to re-teach it."""
    wrong = _wrong(records)
    wrong = wrong[wrong["mistake"] != UNDIAGNOSED]
    rows = []
    for code, made in wrong.groupby("mistake"):
        entry = misconception(str(code))
        places = sorted({(les, q) for les, q in made[["lesson", "question"]].itertuples(index=False)},
                        key=lambda key: _question_order(*key))
        learners = made["learner"].nunique()
        rows.append({
            "mistake": code, "name": entry.name, "learners": learners,
            "share": round(learners / class_size, 3) if class_size else None,
            "attempts": len(made),
            "questions": ", ".join(question_label(*place) for place in places),
            "reteach": entry.reteach,
        })
    columns = ["mistake", "name", "learners", "share", "attempts", "questions", "reteach"]
    table = pd.DataFrame(rows, columns=columns)
    return table.sort_values(["learners", "attempts", "mistake"], ascending=[False, False, True],
                             ignore_index=True)


def next_session(learners: pd.DataFrame, questions: pd.DataFrame,
                 misconceptions: pd.DataFrame) -> tuple[str, ...]:  # fmt: skip
    """Return a short plan for the next session, in Chinese, from the class's tables."""
    size = len(learners)
    if not size:
        return ("还没有任何有效的练习记录：检查收上来的文件夹里有没有 .devvolume/progress.jsonl，"
                "以及页面最下方跳过的内容。",)
    plan = []
    shared = misconceptions[(misconceptions["learners"] >= REVIEW_MIN_LEARNERS)
                            & (misconceptions["learners"] >= REVIEW_SHARE * size)]
    for row in shared.head(REVIEW_MAX).itertuples(index=False):
        where = f"重讲：{row.reteach}。" if row.reteach else ""
        plan.append(f"复习“{row.name}”（{row.mistake}）：{size} 位学员中有 {row.learners} 位犯过"
                    f"（{row.questions}）。{where}")
    tried = questions[questions["learners"] >= REVIEW_MIN_LEARNERS]
    hard = tried[tried["success_rate"] < HARD_SUCCESS_RATE]
    for row in hard.sort_values("success_rate", kind="stable").head(REVIEW_MAX).itertuples():
        plan.append(f"一起讲解 {question_label(row.lesson, row.question)}：做过的 {row.learners} 位中"
                    f"只有 {row.solved} 位做对，{row.solutions} 位看了参考答案。")
    stuck = learners[learners["stuck"] > 0]
    if len(stuck):
        names = "、".join(f"{row.learner}（{row.stuck_questions}）" for row in stuck.itertuples())
        plan.append(f"课前先找卡住的学员聊几句：{names}。")
    untouched = questions[questions["learners"] == 0]
    if len(untouched):
        labels = "、".join(question_label(r.lesson, r.question) for r in untouched.itertuples())
        plan.append(f"还没有人做过：{labels}。留一点课堂时间，或提醒大家课后完成。")
    if not plan:
        plan.append("没有全班共同的难点，也没有卡住的学员：可以按计划进入下一课。")
    return tuple(plan)


@dataclass(frozen=True)
class ClassReport:
    """What :func:`build_class_report` wrote and read."""

    page: Path
    csv: dict[str, Path]
    progress: ClassProgress
    tables: ClassTables

    @property
    def learners(self) -> int:
        """How many learners (after merging)."""
        return len(self.tables.learners)


def build_class_report(folder: str | Path, *, out: str | Path, force: bool = False) -> ClassReport:
    """Read the class's progress under ``folder``; write the class page and CSVs into ``out``.

    The page (:data:`PAGE_FILE`) is one offline HTML file: no script, nothing loaded from the
    network, every name escaped. The CSV files (:data:`CSV_FILES`) have a BOM so that Excel
    opens the Chinese names correctly.

    Parameters
    ----------
    folder : str or Path
        The collected workspaces (folders, loose ``progress.jsonl`` files, or a zip each), or
        one such file.
    out : str or Path
        The output folder. A folder that is not empty and was not made by this function is
        refused unless ``force``; only the page and the CSV files are (over)written.
    force : bool
        Write into a non-empty folder not made by ``devvolume class``.

    Raises
    ------
    FileNotFoundError
        When ``folder`` does not exist or holds no progress file.
    FileExistsError
        For a non-empty output folder not made by devvolume, without ``force``.
    ValueError
        When ``out`` is a file.
    """
    source = Path(folder)
    progress = read_progress(source)
    tables = class_tables(progress)
    frames = {"learners": tables.learners, "questions": tables.questions,
              "mistakes": tables.mistakes, "misconceptions": tables.misconceptions}
    page_text = render_class_page(progress, tables, source=source.name or str(source))
    written = {}
    with deferred() as held:  # a Ctrl-C waits until the page and all its tables are written
        out_dir = _prepare_out(Path(out), force=force)
        for name, file_name in CSV_FILES.items():
            written[name] = write_csv(out_dir / file_name, frames[name])
            checkpoint("class-write")  # a test's Ctrl-C while the files are written
        page = out_dir / PAGE_FILE
        _write_atomic(page, page_text)
    if held.interrupted:
        raise KeyboardInterrupt
    return ClassReport(page=page, csv=written, progress=progress, tables=tables)


def _prepare_out(out: Path, *, force: bool) -> Path:
    if out.exists() and not out.is_dir():
        msg = f"输出位置不是文件夹 / --out is not a folder: {out}\nHint: give a folder path."
        raise ValueError(msg)
    if out.is_dir() and not (out / MARKER).is_file() and any(out.iterdir()) and not force:
        msg = (f"输出文件夹不是空的，也不是 devvolume class 生成的 / the output folder {out} is not "
               "empty and was not made by devvolume class, so its files could be overwritten.\n"
               "Hint: choose a new or empty folder, or pass --force (force=True) to write into it.")
        raise FileExistsError(msg)
    out.mkdir(parents=True, exist_ok=True)
    if not (out / MARKER).is_file():
        _write_atomic(out / MARKER, "Made by `devvolume class`; it may overwrite its page and CSV "
                                    "files here.\n")
    return out


def _write_atomic(path: Path, text: str) -> None:
    """Write through a temporary file in the same folder and ``os.replace``."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with temporary.open("w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        temporary.replace(path)
    finally:
        temporary.unlink(missing_ok=True)
