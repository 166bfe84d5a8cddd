"""One exercise question: its expected answer, a hint ladder, the solution, and the known mistakes.

A learner's answer has three outcomes: not attempted (the blank ``____`` is still there),
incorrect, and correct; and one reply that is neither: an answer written in a form that cannot
be judged (a share as a percent, or with too few decimals to tell two methods apart) is asked
for again in the right form (:attr:`Outcome.FORMAT`). An incorrect answer is compared with what
each *known mistake* would have produced on the same data (a row count instead of distinct
customers, active instead of new customers, …); when one matches, the learner is told which
mistake it was. No message ever contains the expected value.

An answer is right only as far as it is exact: a count must be the count; a share, money or an
average may be shown rounded (or cut) to the decimals a person would write, and no fewer
(:data:`UNITS`). The question's data are chosen so that every known wrong method lands outside
that rounding.

A question of a lesson (named by :func:`numbered`: lesson ``"01"``, question ``"q1"``) records
every check, hint and solution in the learner's local progress file
(:mod:`devvolume.teach._progress`), which the instructor's class page reads.
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import html
import inspect
import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from devvolume.teach._progress import MAX_ANSWER_CHARS, record

#: Below this difference two numbers are the same number (float noise of two ways to compute it).
SAME_NUMBER = 1e-9


@dataclass(frozen=True)
class Unit:
    """How an answer may be written: the fewest decimals that show it, and whether it is a share.

    ``decimals`` None means exact (a count of customers: 523 is not 524). Otherwise the answer
    is right when it is the expected value itself, or that value rounded or cut to the answer's
    own decimals, and the answer shows at least ``decimals`` of them.
    """

    name: str
    decimals: int | None
    share: bool = False


#: The units of the exercises' answers.
UNITS = {unit.name: unit for unit in (
    Unit("count", None),                # customers, rows: exact
    Unit("share", 3, share=True),       # a rate or share, as a decimal: 0.294 or finer
    Unit("yuan", 0),                    # money, to the yuan or finer
    Unit("tenth", 1),                   # an average or a projection: 74.1 or finer
)}


class _Blank:
    """The placeholder a learner replaces with an answer."""

    def __repr__(self) -> str:
        return "____"


#: Write ``answer = ____`` in a learner notebook; the checker reports "not attempted".
____ = _Blank()


class Outcome(enum.Enum):
    """The outcomes of a check: the three of learntools, and the reply that asks for another form."""

    NOT_ATTEMPTED = "not attempted"
    INCORRECT = "incorrect"
    CORRECT = "correct"
    #: Neither right nor wrong: the answer's form hides which method it came from.
    FORMAT = "format"


_ICONS = {Outcome.NOT_ATTEMPTED: "✏️", Outcome.INCORRECT: "❌", Outcome.CORRECT: "✅",
          Outcome.FORMAT: "🔁"}
_HEADINGS = {Outcome.NOT_ATTEMPTED: "还没有作答", Outcome.INCORRECT: "还不对",
             Outcome.CORRECT: "正确！", Outcome.FORMAT: "换个写法再交"}
_COLOURS = {Outcome.NOT_ATTEMPTED: "#555555", Outcome.INCORRECT: "#b00020",
            Outcome.CORRECT: "#1b7f3b", Outcome.FORMAT: "#8a5300"}


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
        Known mistakes, tried in order. Two entries may share a name (and message): one
        mistake that gives two answers, e.g. the month before and the month after.
    kind : {"number", "table"}
        ``"number"`` compares a single value; ``"table"`` compares a mapping from keys
        (e.g. rep, or period) to values, given as dict, Series or two-column DataFrame.
    unit : {"count", "share", "yuan", "tenth"}
        How exact the answer must be (:data:`UNITS`): counts exactly, a share to at least
        three decimals (a percent or fewer decimals gets the :attr:`Outcome.FORMAT` reply),
        money to the yuan, an average to one decimal.
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
    >>> q.check(3).outcome.value      # a count is exact
    'incorrect'
    >>> r = Question(variable="r", prompt="?", expected=lambda: 2 / 7, hints=[], answer_code="",
    ...              unit="share")
    >>> [r.check(answer).outcome.value for answer in (0.286, 0.2857, 0.285, 0.287, 0.29, 28.57)]
    ['correct', 'correct', 'correct', 'incorrect', 'format', 'format']
    """

    variable: str
    prompt: str
    expected: Callable[[], Any]
    hints: Sequence[str]
    answer_code: str
    mistakes: Sequence[Mistake] = ()
    kind: str = "number"
    unit: str = "count"
    lesson: str = ""
    name: str = ""
    _hints_shown: int = field(default=0, repr=False)

    def __post_init__(self) -> None:
        if self.unit not in UNITS:
            msg = f"unknown unit {self.unit!r}; expected one of {', '.join(UNITS)}"
            raise ValueError(msg)

    @cached_property
    def _expected(self) -> Any:
        return _normalise(self.expected(), self.kind)

    def check(self, answer: Any = ____) -> Feedback:
        """Check the learner's answer; without an argument, read the notebook variable."""
        if answer is ____:
            answer = _caller_globals().get(self.variable, ____)
        feedback = self._verdict(answer)
        if feedback.outcome is not None and feedback.outcome is not Outcome.NOT_ATTEMPTED:
            self._record(feedback.outcome.value, feedback.mistake, answer_text(answer))
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
        unit = UNITS[self.unit]
        if _same(given, self._expected, unit):
            return Feedback(Outcome.CORRECT, "口径和数字都对。")
        for mistake in self.mistakes:
            wrong = _normalise(mistake.answer(), self.kind)
            if _same(given, wrong, unit) or (unit.share and _same(_hundredth(given), wrong, unit)):
                return Feedback(Outcome.INCORRECT, mistake.message, mistake=mistake.name)
        return _generic_diagnosis(given, self._expected, unit)

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

    def _record(self, outcome: str, mistake: str | None = None,
                answer: str | None = None) -> None:  # fmt: skip
        if self.lesson and self.name:
            record(self.lesson, self.name, outcome, mistake, answer)


def answer_text(answer: Any) -> str:
    """Write an answer short enough to keep in the progress record.

    A number or a small table as given (a table as compact JSON), cut to
    :data:`~devvolume.teach._progress.MAX_ANSWER_CHARS`; anything else only by its type and size,
    so no text a learner typed and no frame of their own data is ever kept.

    Examples
    --------
    >>> answer_text(0.2936), answer_text(523), answer_text({"华东一组": 50.0, "华东二组": 46})
    ('0.2936', '523', '{"华东一组":50,"华东二组":46}')
    >>> answer_text(pd.DataFrame({"a": ["x", "y"]})), answer_text("我的答案")
    ('<DataFrame 2×1>', '<str>')
    """
    try:
        if isinstance(answer, pd.DataFrame | pd.Series | dict):
            table = _normalise(answer, "table")
            text = json.dumps({k: _number_text(v) for k, v in table.items()},
                              ensure_ascii=False, separators=(",", ":"))  # fmt: skip
        elif not isinstance(answer, bool | str | bytes):
            text = str(_number_text(_normalise(answer, "number")))
        else:
            raise TypeError  # text is never kept: only its type
    except (TypeError, ValueError):
        shape = getattr(answer, "shape", None)
        size = "×".join(map(str, shape)) if isinstance(shape, tuple) and shape else ""
        return f"<{type(answer).__name__}{' ' + size if size else ''}>"
    return text if len(text) <= MAX_ANSWER_CHARS else text[:MAX_ANSWER_CHARS - 1] + "…"


def _number_text(value: float) -> int | float:
    """Write a whole number as an int (523, not 523.0); anything else stays the float."""
    if math.isfinite(value) and value == int(value):
        return int(value)
    return value


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


def _same(given: Any, expected: Any, unit: Unit) -> bool:
    """Tell whether ``given`` is ``expected`` as ``unit`` allows it to be written."""
    if isinstance(expected, dict):
        if not isinstance(given, dict) or given.keys() != expected.keys():
            return False
        return all(_shows(given[k], expected[k], unit) for k in expected)
    return not isinstance(given, dict) and _shows(given, expected, unit)


def decimals_shown(value: float) -> int:
    """Count the decimals a number is written with (its shortest form; 0.50 has one).

    Examples
    --------
    >>> decimals_shown(0.294), decimals_shown(74.0), decimals_shown(0.16044776119402984)
    (3, 0, 17)
    """
    if not math.isfinite(value):
        return 0
    exponent = decimal.Decimal(repr(float(value))).normalize().as_tuple().exponent
    return max(0, -int(exponent))


def _written(value: float, places: int, *, cut: bool = True) -> set[decimal.Decimal]:
    """``value`` rounded half up, half to even, or (``cut``) cut, to ``places`` decimals."""
    step = decimal.Decimal(1).scaleb(-places)
    exact = decimal.Decimal(repr(float(value)))
    modes = (decimal.ROUND_HALF_UP, decimal.ROUND_HALF_EVEN, *([decimal.ROUND_DOWN] * cut))
    return {exact.quantize(step, rounding=mode) for mode in modes}


def _shows(given: float, value: float, unit: Unit) -> bool:
    """Tell whether ``given`` is ``value`` itself, or ``value`` rounded or cut as a person would."""
    if math.isnan(given) or math.isnan(value):
        return False
    if abs(given - value) <= SAME_NUMBER * max(1.0, abs(value)):
        return True
    if unit.decimals is None:
        return False
    shown = decimals_shown(given)
    if shown > 12:
        return False
    # 0.160 typed is the float 0.16: read the decimals the unit asks for as trailing zeros, as a
    # rounding only (74 is not 74.08 cut to one decimal)
    if shown < unit.decimals:
        return decimal.Decimal(repr(float(given))) in _written(value, unit.decimals, cut=False)
    return decimal.Decimal(repr(float(given))) in _written(value, shown)


def _hundredth(given: Any) -> Any:
    """Read a percent as the share it stands for, keeping its decimals (29.4 -> 0.294, not 0.29399…)."""
    if isinstance(given, dict):
        return {k: _hundredth(v) for k, v in given.items()}
    if not math.isfinite(given):
        return given
    return float(decimal.Decimal(repr(float(given))).scaleb(-2))


#: Messages of the diagnoses every question makes, after its own known mistakes.
EMPTY_TABLE = ("你交的是一张空表，一行也没有。多半是筛选条件一行也没选中：检查日期、团队或人名是不是和表里"
               "写得完全一样（例如 '2025-3-1' 对不上 2025-03-01），先把筛选出来的表显示出来看一看。")
EMPTY_SELECTION = ("你的答案是 0。多半是筛选条件一行也没选中，求和就得到了 0：检查日期、团队或人名是不是"
                   "和表里写得完全一样，先把筛选出来的行显示出来看一看。")
NOT_A_NUMBER = ("你的答案是 NaN（不是一个数）。常见原因：除以了 0，或者筛选出来的行是空的。"
                "先把算式里的每一部分单独显示出来看一看。")
GENERIC_NUMBER = "数字和正确答案不一致。检查统计口径和时间段，或者用 hint() 看提示。"
NOT_WHOLE = ("这里要数的是客户（或行）的个数，应该是整数，你的答案带小数。检查是不是把平均数、比率或"
             "别的数当成了个数。")
#: The format replies: the code kept in the progress record, and what the learner is asked.
FORMAT_PERCENT = "format_percent"
FORMAT_DECIMALS = "format_decimals"
PERCENT_FOR_SHARE = ("你写的像是百分数。比率请写成小数再交，并保留至少三位小数"
                     "（例如 37.5% 写成 0.375）。这一次不算对，也不算错。")
TOO_FEW_DECIMALS = {
    "share": ("小数位数太少：几种不同的算法四舍五入到两位小数，常常是同一个数，看不出你用的是哪一种。"
              "请保留至少三位小数再交（最好直接交算出来的结果）。这一次不算对，也不算错。"),
    "tenth": ("请保留至少一位小数再交（最好直接交算出来的结果）：取整以后，几种不同的算法可能是同一个数。"
              "这一次不算对，也不算错。"),
}


def _generic_diagnosis(given: Any, expected: Any, unit: Unit) -> Feedback:
    """Diagnose what no known mistake matched: blanks, NaN, a form to write again, tables."""
    if isinstance(expected, dict):
        if unit.share and given.keys() == expected.keys():  # a table of shares: each value as above
            wrong = [k for k in expected if not _shows(given[k], expected[k], unit)]
            if all(abs(given[k]) > 1 and _shows(_hundredth(given[k]), expected[k], Unit("any", 0))
                   for k in wrong):  # fmt: skip
                return Feedback(Outcome.FORMAT, PERCENT_FOR_SHARE, mistake=FORMAT_PERCENT)
            if all(decimals_shown(given[k]) < unit.decimals and not float(given[k]).is_integer()  # type: ignore[operator]
                   for k in wrong):  # fmt: skip
                return Feedback(Outcome.FORMAT, TOO_FEW_DECIMALS[unit.name], mistake=FORMAT_DECIMALS)
        return Feedback(Outcome.INCORRECT, _table_difference(given, expected, unit), mistake=None)
    if math.isnan(given):
        return Feedback(Outcome.INCORRECT, NOT_A_NUMBER, mistake="not_a_number")
    if given == 0 and not _shows(0.0, expected, unit):
        return Feedback(Outcome.INCORRECT, EMPTY_SELECTION, mistake="empty_selection")
    if unit.decimals is None and not float(given).is_integer():
        return Feedback(Outcome.INCORRECT, NOT_WHOLE, mistake=None)
    if unit.share and abs(given) > 1 and _shows(_hundredth(given), expected, Unit("any", 0)):
        # a percent: the learner's decimals plus two are the share's; too few asks again anyway
        return Feedback(Outcome.FORMAT, PERCENT_FOR_SHARE, mistake=FORMAT_PERCENT)
    if unit.decimals and decimals_shown(given) < unit.decimals and not (
            unit.share and float(given).is_integer()):
        return Feedback(Outcome.FORMAT, TOO_FEW_DECIMALS[unit.name], mistake=FORMAT_DECIMALS)
    return Feedback(Outcome.INCORRECT, GENERIC_NUMBER, mistake=None)


def _is_empty(answer: Any) -> bool:
    """Tell an empty table, column or mapping: a filter that kept nothing."""
    if isinstance(answer, pd.DataFrame | pd.Series | dict | list | tuple):
        return len(answer) == 0
    return False


def _table_difference(given: dict[str, float], expected: dict[str, float], unit: Unit) -> str:
    missing = [k for k in expected if k not in given]
    extra = [k for k in given if k not in expected]
    if missing and not set(given) & set(expected):
        return (f"表里的行和题目问的对不上：题目要的是 {'、'.join(list(expected)[:3])} 这样的行，"
                f"你的表是 {'、'.join(list(given)[:3])}。检查第一列是不是题目要的分组（人、团队或周期的第一天）。")
    if missing and all(expected[k] == 0 for k in missing):
        return f"表里少了这些行：{'、'.join(missing[:5])}。是不是把数量为 0 的时间段或人漏掉了？"
    if missing:
        return (f"表里少了这些行：{'、'.join(missing[:5])}。题目问到的每一个都要有一行："
                "检查筛选条件，是不是把它们筛掉了。")
    if extra:
        return f"表里多了这些行：{'、'.join(extra[:5])}。检查筛选条件和时间范围。"
    wrong = [k for k in expected if not _shows(given[k], expected[k], unit)]
    return f"有 {len(wrong)} 行的数字不对，例如 {'、'.join(wrong[:3])}。检查统计口径。"
