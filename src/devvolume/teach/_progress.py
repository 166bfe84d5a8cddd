"""The local progress record of the exercises: who checked which question, and what came of it.

Every ``check()``, ``hint()`` and ``solution()`` of a lesson's question appends one JSON object,
on one line, to ``.devvolume/progress.jsonl`` in the learner's workspace::

    {"learner": "张三", "lesson": "01", "question": "q1", "outcome": "incorrect",
     "mistake": "row_count", "answer": "7", "time": "2026-05-06T10:12:03+08:00"}

``outcome`` is ``correct``, ``incorrect``, ``format`` (the answer was asked for again in another
form: a share written as a percent, or with too few decimals), ``hint`` or ``solution``;
``mistake`` is the diagnosis code of an incorrect answer (null when none matched), or the form
asked for (``format_percent``, ``format_decimals``), and null for the other outcomes; ``answer``
is the answer checked, short (a number, or a small table as JSON, at most
:data:`MAX_ANSWER_CHARS` characters; anything else only by its type), so the instructor sees what
was answered; it is null for hints and solutions, and absent from records written before it was
kept. ``time`` is ISO 8601 with the computer's UTC offset. A check that finds the blank still
there ("not attempted") is not recorded.

The workspace is the folder the notebook runs in (Jupyter starts the kernel in the notebook's
folder), or ``DEVVOLUME_WORKSPACE``. The learner's name comes from ``DEVVOLUME_LEARNER``, else
the name given in this session (:func:`sign_in`, the box in the first exercise cell), else the
workspace's ``.devvolume/settings.json``. Until a name is known, records wait in memory and are
written when the learner signs in, so a session nobody signs in to (a notebook build, a test)
writes nothing. ``DEVVOLUME_PROGRESS=off`` turns recording off. Nothing is ever sent anywhere.

Each line is written with one ``write`` on a file opened for appending, so two kernels never
interleave half lines; a line a crash cut short is ended before the next is written (which can
leave a blank line, which readers skip). A folder that cannot be written never breaks an exercise: a
:class:`ProgressWarning` says so, once per session.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
import warnings
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import ipywidgets as widgets

#: Environment variables: the learner's name, the workspace folder, and the off switch.
LEARNER_ENV = "DEVVOLUME_LEARNER"
WORKSPACE_ENV = "DEVVOLUME_WORKSPACE"
RECORDING_ENV = "DEVVOLUME_PROGRESS"
#: Values of ``DEVVOLUME_PROGRESS`` that turn recording off.
OFF_VALUES = frozenset({"off", "0", "false", "no"})
#: The folder inside the workspace, and the files in it.
RECORD_DIR = ".devvolume"
PROGRESS_FILE = "progress.jsonl"
SETTINGS_FILE = "settings.json"
#: What a line can say happened, and its keys in the order they are written.
OUTCOMES = ("correct", "incorrect", "format", "hint", "solution")
#: The outcomes that carry a code in ``mistake`` and the answer given.
CHECKED = ("correct", "incorrect", "format")
FIELDS = ("learner", "lesson", "question", "outcome", "mistake", "answer", "time")
#: Longest answer kept, in characters (a number, or a table of a few rows).
MAX_ANSWER_CHARS = 120
#: Longest learner name kept, in characters.
MAX_NAME_CHARS = 40
#: Records kept in memory while no name is known (the oldest are dropped beyond this).
MAX_PENDING = 500

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class ProgressWarning(UserWarning):
    """The progress record could not be written; the exercise itself goes on."""


@dataclass(frozen=True)
class ProgressRecord:
    r"""One line of ``progress.jsonl``.

    Examples
    --------
    >>> r = ProgressRecord("张三", "01", "q1", "incorrect", "row_count", "7",
    ...                    "2026-05-06T10:12:03+08:00")
    >>> print(r.to_line().replace(", ", ",\n "), end="")
    {"learner": "张三",
     "lesson": "01",
     "question": "q1",
     "outcome": "incorrect",
     "mistake": "row_count",
     "answer": "7",
     "time": "2026-05-06T10:12:03+08:00"}
    """

    learner: str
    lesson: str
    question: str
    outcome: str
    mistake: str | None
    answer: str | None
    time: str

    def to_line(self) -> str:
        """Return the record as one JSON line (UTF-8 text, keys in :data:`FIELDS` order)."""
        return json.dumps(asdict(self), ensure_ascii=False) + "\n"


@dataclass
class _Session:
    """What one kernel remembers: the name given in it, records waiting for a name, warnings."""

    learner: str | None = None
    pending: list[ProgressRecord] = field(default_factory=list)
    warned: bool = False


_session = _Session()


def clean_name(name: object) -> str | None:
    r"""Return a learner name fit to record (trimmed, one space, no control characters), or None.

    Examples
    --------
    >>> clean_name("  张  三\n"), clean_name("   "), clean_name(None)
    ('张 三', None, None)
    """
    if not isinstance(name, str):
        return None
    text = " ".join(_CONTROL.sub(" ", name).split())[:MAX_NAME_CHARS]
    return text or None


def workspace() -> Path:
    """Return the learner's workspace: ``DEVVOLUME_WORKSPACE``, else the current folder."""
    folder = os.environ.get(WORKSPACE_ENV, "").strip()
    return Path(folder) if folder else Path.cwd()


def recording_on() -> bool:
    """Return False when ``DEVVOLUME_PROGRESS`` turns recording off."""
    return os.environ.get(RECORDING_ENV, "").strip().lower() not in OFF_VALUES


def progress_path() -> Path:
    """Return the progress file of the current workspace."""
    return workspace() / RECORD_DIR / PROGRESS_FILE


def _settings_path() -> Path:
    return workspace() / RECORD_DIR / SETTINGS_FILE


def _saved_name() -> str | None:
    try:
        settings = json.loads(_settings_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return clean_name(settings.get("learner")) if isinstance(settings, dict) else None


def current_learner() -> str | None:
    """Return the learner's name: ``DEVVOLUME_LEARNER``, this session's, the workspace's, or None."""
    return (clean_name(os.environ.get(LEARNER_ENV)) or _session.learner) or _saved_name()


def _now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def record(lesson: str, question: str, outcome: str, mistake: str | None = None,
           answer: str | None = None) -> ProgressRecord | None:  # fmt: skip
    """Append one line to the workspace's progress file; never raise for a file problem.

    ``mistake`` and ``answer`` are kept for a check only (:data:`CHECKED`), the answer cut to
    :data:`MAX_ANSWER_CHARS`. Returns the record, or None when recording is off. Without a
    learner name the record waits in memory (:func:`sign_in` writes it).
    """
    if outcome not in OUTCOMES:
        msg = f"unknown outcome {outcome!r}; expected one of {', '.join(OUTCOMES)}"
        raise ValueError(msg)
    if not recording_on():
        return None
    checked = outcome in CHECKED
    mistake = mistake if checked and outcome != "correct" else None
    answer = answer[:MAX_ANSWER_CHARS] if checked and answer is not None else None
    learner = current_learner()
    entry = ProgressRecord(learner or "", lesson, question, outcome, mistake, answer, _now())
    if learner is None:
        _session.pending = [*_session.pending, entry][-MAX_PENDING:]
    else:
        _append([entry])
    return entry


def _append(entries: list[ProgressRecord]) -> bool:
    """Append the lines in one ``write``; warn once (and return False) if that fails."""
    data = "".join(entry.to_line() for entry in entries).encode("utf-8")
    path = Path(RECORD_DIR, PROGRESS_FILE)
    try:
        path = progress_path()          # the current folder may be gone
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            # a line cut short by a crash must not swallow the next one
            if os.fstat(descriptor).st_size and not _ends_with_newline(path):
                data = b"\n" + data
            while data:
                data = data[os.write(descriptor, data):]
        finally:
            os.close(descriptor)
    except OSError as exc:
        _warn_once(path, exc)
        return False
    return True


def _ends_with_newline(path: Path) -> bool:
    with path.open("rb") as handle:
        handle.seek(-1, os.SEEK_END)
        return handle.read(1) == b"\n"


def _warn_once(path: Path, exc: OSError) -> None:
    if _session.warned:
        return
    _session.warned = True
    reason = exc.strerror or type(exc).__name__
    msg = (f"练习进度没能保存到 {path}（{reason}）。练习照常进行，只是老师看不到这部分进度。"
           f"/ The exercise progress could not be saved to {path} ({reason}); the exercise "
           "goes on, but this progress will not reach the class page.\n"
           "Hint: 把练习文件夹复制到自己能写入的位置再打开，或把环境变量 DEVVOLUME_WORKSPACE 设为"
           "一个可写的文件夹。/ copy the exercise folder somewhere you can write, or set "
           "DEVVOLUME_WORKSPACE to a writable folder.")
    warnings.warn(msg, ProgressWarning, stacklevel=2)


def set_learner(name: str) -> str:
    """Remember the learner's name for this session and the workspace; return what to tell them.

    The name is saved in ``.devvolume/settings.json`` (so the next session knows it), and the
    records made before it was known are written under it.
    """
    learner = clean_name(name)
    if learner is None:
        return "请先写上你的名字。/ Please type your name."
    _session.learner = learner
    _save_name(learner)
    pending, _session.pending = _session.pending, []
    if pending and recording_on():
        _append([replace(entry, learner=learner) for entry in pending])
    return _confirmation(current_learner() or learner)


def _save_name(learner: str) -> None:
    try:
        path = _settings_path()
    except OSError as exc:              # the current folder is gone
        _warn_once(Path(RECORD_DIR, SETTINGS_FILE), exc)
        return
    try:
        settings = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        settings = {}
    if not isinstance(settings, dict):
        settings = {}
    settings["learner"] = learner
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text(json.dumps(settings, ensure_ascii=False, indent=1) + "\n",
                             encoding="utf-8")  # fmt: skip
        temporary.replace(path)
    except OSError as exc:
        _warn_once(path, exc)
    finally:
        temporary.unlink(missing_ok=True)


def _confirmation(learner: str) -> str:
    where = f"{RECORD_DIR}/{PROGRESS_FILE}"
    source = "（来自环境变量 DEVVOLUME_LEARNER）" if clean_name(os.environ.get(LEARNER_ENV)) else ""
    return (f"📝 这份练习的进度记在「{learner}」名下{source}，只保存在本机练习文件夹的 {where} 里，"
            "不会上传。换名字：运行 sign_in('新名字')。")


def sign_in_view(name: str | None = None) -> Any:
    """Return what :func:`sign_in` shows: a note, or the name box when no name is known yet."""
    from IPython.display import HTML

    if not recording_on():
        return HTML(f"<p>练习进度记录已关闭（{RECORDING_ENV}=off）。</p>")
    if name is not None:
        return HTML(f"<p>{html.escape(set_learner(name))}</p>")
    learner = current_learner()
    if learner is not None:
        return HTML(f"<p>{html.escape(_confirmation(learner))}</p>")
    return LearnerSignIn()


def sign_in(name: str | None = None) -> None:
    """Tell the exercises who you are, once per workspace, and see where your progress is kept.

    Without a name, and when none is known yet, shows a box to type it in; ``sign_in("张三")``
    sets it directly (also where widgets do not show). The name and the progress stay in the
    exercise folder (``.devvolume/``); the instructor collects the folders to see the class's
    progress.
    """
    from IPython.display import display

    display(sign_in_view(name))


class LearnerSignIn(widgets.VBox):
    """The name box of the first exercise cell: type a name, press Enter or 保存."""

    def __init__(self) -> None:
        intro = widgets.HTML(
            "<p>✍️ 写上你的名字，按回车或点“保存”。之后每次 check()、hint()、solution() 的结果都记在"
            "这个名字下，只保存在本机的练习文件夹里（.devvolume/），老师收齐练习文件夹后汇总全班进度。"
            "只需要写一次。</p>")
        self.name = widgets.Text(placeholder="例如：张三", description="你的名字",
                                 continuous_update=False)
        self.save = widgets.Button(description="保存", button_style="primary")
        self.status = widgets.HTML()
        self.save.on_click(lambda _button: self.submit())
        self.name.observe(lambda _change: self.submit(), names="value")
        super().__init__([intro, widgets.HBox([self.name, self.save]), self.status])

    def submit(self) -> str:
        """Save the typed name; show and return the message."""
        self.status.value = f"<p>{html.escape(set_learner(self.name.value))}</p>"
        return str(self.status.value)

    def __repr__(self) -> str:
        # a stable text form for stored notebook outputs
        return "LearnerSignIn()"
