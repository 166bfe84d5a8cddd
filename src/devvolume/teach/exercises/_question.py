"""One exercise question: its expected answer, a hint ladder, the solution, and the known mistakes.

A learner's answer has three outcomes: not attempted (the blank ``____`` is still there),
incorrect, and correct. An incorrect answer is compared with what each *known mistake* would
have produced on the same data (a row count instead of distinct customers, active instead of
new customers, …); when one matches, the learner is told which mistake it was. No message ever
contains the expected value.

A question of a lesson (named by :func:`numbered`: lesson ``"01"``, question ``"q1"``) records
every check, hint and solution in the learner's local progress file
(:mod:`devvolume.teach._progress`), which the instructor's class page reads.
"""

from __future__ import annotations

import datetime as dt
import enum
import html
import inspect
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from devvolume.teach._progress import record

#: Relative tolerance when comparing numbers (rates are often rounded by hand).
RELATIVE_TOLERANCE = 5e-3
#: Absolute tolerance, for rates written as 0.333 or counts given as floats.
ABSOLUTE_TOLERANCE = 5e-4


class _Blank:
    """The placeholder a learner replaces with an answer."""

    def __repr__(self) -> str:
        return "____"


#: Write ``answer = ____`` in a learner notebook; the checker reports "not attempted".
____ = _Blank()


class Outcome(enum.Enum):
    """The three outcomes of a check."""

    NOT_ATTEMPTED = "not attempted"
    INCORRECT = "incorrect"
    CORRECT = "correct"


_ICONS = {Outcome.NOT_ATTEMPTED: "✏️", Outcome.INCORRECT: "❌", Outcome.CORRECT: "✅"}
_HEADINGS = {Outcome.NOT_ATTEMPTED: "还没有作答", Outcome.INCORRECT: "还不对",
             Outcome.CORRECT: "正确！"}
_COLOURS = {Outcome.NOT_ATTEMPTED: "#555555", Outcome.INCORRECT: "#b00020",
            Outcome.CORRECT: "#1b7f3b"}


@dataclass(frozen=True)
class Feedback:
    """What a check, a hint or a solution says; shows itself in a notebook."""

    outcome: Outcome | None
    message: str
    mistake: str | None = None
    code: str | None = None

    def __str__(self) -> str:
        head = f"{_ICONS[self.outcome]} {_HEADINGS[self.outcome]} " if self.outcome else ""
        text = head + self.message
        return text + (f"\n\n{self.code}" if self.code else "")

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        colour = _COLOURS[self.outcome] if self.outcome else "#1f4e79"
        head = (f"<strong>{_ICONS[self.outcome]} {_HEADINGS[self.outcome]}</strong> "
                if self.outcome else "")
        body = html.escape(self.message).replace("\n", "<br>")
        code = f"<pre>{html.escape(self.code)}</pre>" if self.code else ""
        return f'<div style="color:{colour}">{head}{body}{code}</div>'


@dataclass(frozen=True)
class Mistake:
    """A known mistake: what answer it produces on the question's data, and what to say.

    Parameters
    ----------
    name : str
        A short code, e.g. ``"row_count"`` or ``"active_not_new"``.
    message : str
        The diagnosis in Chinese. It must say what went wrong, never what the answer is.
    answer : callable
        Computes the answer a learner who makes this mistake would give.
    """

    name: str
    message: str
    answer: Callable[[], Any]


@dataclass
class Question:
    """An exercise question, checked with ``q.check()``.

    Parameters
    ----------
    variable : str
        The name the learner assigns the answer to; ``check()`` reads it from the notebook.
    prompt : str
        The question, in Chinese.
    expected : callable
        Computes the correct answer from the case data.
    hints : sequence of str
        The hint ladder, from a nudge to nearly the method.
    answer_code : str
        The solution code, shown by ``solution()``.
    mistakes : sequence of Mistake
        Known mistakes, tried in order.
    kind : {"number", "table"}
        ``"number"`` compares a single value; ``"table"`` compares a mapping from keys
        (e.g. rep, or period) to values, given as dict, Series or two-column DataFrame.
    lesson, name : str
        The lesson (``"01"``) and the question's name in it (``"q1"``), set by
        :func:`numbered`. Only a named question records progress.

    Examples
    --------
    >>> q = Question(variable="x", prompt="1+1?", expected=lambda: 2,
    ...              hints=["加法"], answer_code="x = 1 + 1",
    ...              mistakes=[Mistake("concat", "这是字符串拼接，不是加法。", lambda: 11)])
    >>> q.check(____).outcome.value, q.check(11).mistake, q.check(2).outcome.value
    ('not attempted', 'concat', 'correct')
    """

    variable: str
    prompt: str
    expected: Callable[[], Any]
    hints: Sequence[str]
    answer_code: str
    mistakes: Sequence[Mistake] = ()
    kind: str = "number"
    lesson: str = ""
    name: str = ""
    _hints_shown: int = field(default=0, repr=False)

    @cached_property
    def _expected(self) -> Any:
        return _normalise(self.expected(), self.kind)

    def check(self, answer: Any = ____) -> Feedback:
        """Check the learner's answer; without an argument, read the notebook variable."""
        if answer is ____:
            answer = _caller_globals().get(self.variable, ____)
        feedback = self._verdict(answer)
        if feedback.outcome in (Outcome.CORRECT, Outcome.INCORRECT):
            self._record(str(feedback.outcome.value), feedback.mistake)
        return feedback

    def _verdict(self, answer: Any) -> Feedback:
        if answer is ____ or answer is None or answer is Ellipsis:
            return Feedback(Outcome.NOT_ATTEMPTED,
                            f"把答案赋给变量 {self.variable}，再运行 check()。")
        if _is_empty(answer):
            return Feedback(Outcome.INCORRECT, EMPTY_TABLE, mistake="empty_table")
        try:
            given = _normalise(answer, self.kind)
        except (TypeError, ValueError) as exc:
            return Feedback(Outcome.INCORRECT, str(exc), mistake="wrong_type")
        if _same(given, self._expected):
            return Feedback(Outcome.CORRECT, "口径和数字都对。")
        for mistake in self.mistakes:
            if _same(given, _normalise(mistake.answer(), self.kind)):
                return Feedback(Outcome.INCORRECT, mistake.message, mistake=mistake.name)
        return _generic_diagnosis(given, self._expected)

    def hint(self, level: int | None = None) -> Feedback:
        """Show the next hint of the ladder (or hint number ``level``, from 1)."""
        if not self.hints:
            return Feedback(None, "这道题没有提示。")
        if level is None:
            self._hints_shown = min(self._hints_shown + 1, len(self.hints))
            level = self._hints_shown
        level = max(1, min(level, len(self.hints)))
        self._record("hint")
        return Feedback(None, f"提示 {level}/{len(self.hints)}：{self.hints[level - 1]}")

    def solution(self) -> Feedback:
        """Show the solution code."""
        self._record("solution")
        return Feedback(None, "参考答案：", code=self.answer_code)

    def _record(self, outcome: str, mistake: str | None = None) -> None:
        if self.lesson and self.name:
            record(self.lesson, self.name, outcome, mistake)


def numbered(lesson: str, *questions: Question) -> tuple[Question, ...]:
    """Name a lesson's questions ``q1``, ``q2``, … in order, so their progress is recorded.

    Examples
    --------
    >>> a = Question(variable="a", prompt="?", expected=lambda: 1, hints=[], answer_code="a = 1")
    >>> [(q.lesson, q.name) for q in numbered("01", a)]
    [('01', 'q1')]
    """
    for number, question in enumerate(questions, start=1):
        question.lesson, question.name = lesson, f"q{number}"
    return questions


def _caller_globals() -> Mapping[str, Any]:
    frame = inspect.currentframe()
    # Walk out of this module to the notebook (or test) that called check().
    while frame is not None and frame.f_globals.get("__name__") == __name__:
        frame = frame.f_back
    return frame.f_globals if frame is not None else {}


def _normalise(answer: Any, kind: str) -> Any:
    """Bring an answer to a comparable form: a float, or a dict of key → float."""
    if kind == "number":
        if isinstance(answer, pd.DataFrame | pd.Series | dict | list | tuple):
            msg = "这里要一个数字，你交的是一张表或一列数。把它汇总成一个数再交。"
            raise TypeError(msg)
        if isinstance(answer, bool):
            msg = "这里要一个数字，不是 True/False。"
            raise TypeError(msg)
        try:
            return float(answer)
        except (TypeError, ValueError):
            msg = f"这里要一个数字，你交的是 {type(answer).__name__}。"
            raise TypeError(msg) from None
    if isinstance(answer, pd.DataFrame):
        if answer.shape[1] != 2:
            msg = ("这里要一张两列的表（分组、数值），或一个 dict / Series。"
                   f"你交的表有 {answer.shape[1]} 列：{', '.join(map(str, answer.columns))}。")
            raise ValueError(msg)
        answer = answer.set_index(answer.columns[0])[answer.columns[1]]
    if isinstance(answer, pd.Series):
        answer = answer.to_dict()
    if not isinstance(answer, dict):
        msg = f"这里要一张表（dict、Series 或两列的 DataFrame），你交的是 {type(answer).__name__}。"
        raise TypeError(msg)
    return {_key(k): float(v) for k, v in answer.items()}


def _key(key: Any) -> str:
    """Write a table key as text; a day (Timestamp, date, a period) as its first day."""
    if isinstance(key, pd.Period):
        key = key.start_time
    if isinstance(key, np.datetime64):
        key = pd.Timestamp(key)
    if isinstance(key, dt.date):  # pandas Timestamps and datetimes are dates too
        return key.strftime("%Y-%m-%d")
    return str(key)


def _same(given: Any, expected: Any) -> bool:
    if isinstance(expected, dict):
        if not isinstance(given, dict) or given.keys() != expected.keys():
            return False
        return all(_close(given[k], expected[k]) for k in expected)
    return not isinstance(given, dict) and _close(given, expected)


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= max(ABSOLUTE_TOLERANCE, RELATIVE_TOLERANCE * abs(b))


#: Messages of the diagnoses every question makes, after its own known mistakes.
EMPTY_TABLE = ("你交的是一张空表，一行也没有。多半是筛选条件一行也没选中：检查日期、团队或人名是不是和表里"
               "写得完全一样（例如 '2025-3-1' 对不上 2025-03-01），先把筛选出来的表显示出来看一看。")
EMPTY_SELECTION = ("你的答案是 0。多半是筛选条件一行也没选中，求和就得到了 0：检查日期、团队或人名是不是"
                   "和表里写得完全一样，先把筛选出来的行显示出来看一看。")
NOT_A_NUMBER = ("你的答案是 NaN（不是一个数）。常见原因：除以了 0，或者筛选出来的行是空的。"
                "先把算式里的每一部分单独显示出来看一看。")
PERCENT_NOT_SHARE = "你写的是百分数，题目要的是小数：把百分数除以 100 再交（例如 25% 写成小数）。"
GENERIC_NUMBER = "数字和正确答案不一致。检查统计口径和时间段，或者用 hint() 看提示。"


def _generic_diagnosis(given: Any, expected: Any) -> Feedback:
    """Diagnose what no known mistake of the question matched: blanks, NaN, percents, tables."""
    if isinstance(expected, dict):
        return Feedback(Outcome.INCORRECT, _table_difference(given, expected), mistake=None)
    if math.isnan(given):
        return Feedback(Outcome.INCORRECT, NOT_A_NUMBER, mistake="not_a_number")
    if given == 0 and not _close(0.0, expected):
        return Feedback(Outcome.INCORRECT, EMPTY_SELECTION, mistake="empty_selection")
    if 0 < abs(expected) <= 1 and _close(given, 100 * expected):
        return Feedback(Outcome.INCORRECT, PERCENT_NOT_SHARE, mistake="percent_not_share")
    return Feedback(Outcome.INCORRECT, GENERIC_NUMBER, mistake=None)


def _is_empty(answer: Any) -> bool:
    """Tell an empty table, column or mapping: a filter that kept nothing."""
    if isinstance(answer, pd.DataFrame | pd.Series | dict | list | tuple):
        return len(answer) == 0
    return False


def _table_difference(given: dict[str, float], expected: dict[str, float]) -> str:
    missing = [k for k in expected if k not in given]
    extra = [k for k in given if k not in expected]
    if missing and not set(given) & set(expected):
        return (f"表里的行和题目问的对不上：题目要的是 {'、'.join(list(expected)[:3])} 这样的行，"
                f"你的表是 {'、'.join(list(given)[:3])}。检查第一列是不是题目要的分组（人、团队或周期的第一天）。")
    if missing:
        return f"表里少了这些行：{'、'.join(missing[:5])}。是不是把数量为 0 的时间段或人漏掉了？"
    if extra:
        return f"表里多了这些行：{'、'.join(extra[:5])}。检查筛选条件和时间范围。"
    wrong = [k for k in expected if not _close(given[k], expected[k])]
    return f"有 {len(wrong)} 行的数字不对，例如 {'、'.join(wrong[:3])}。检查统计口径。"
