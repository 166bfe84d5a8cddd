"""The exercise machinery: the outcomes, diagnoses, rounding, hints, and never revealing the answer."""

from __future__ import annotations

import pandas as pd
import pytest

from devvolume.teach.exercises import Mistake, Outcome, Question, ____


def make_question(kind: str = "number") -> Question:
    if kind == "number":
        return Question(
            variable="april_new", prompt="四月新开发了多少客户？", expected=lambda: 7,
            hints=["只数新客户", "每个客户只算第一次", "用 development_volume"],
            answer_code="april_new = 7",
            mistakes=[Mistake("row_count", "你数的是行数，不是客户数。", lambda: 19),
                      Mistake("active_not_new", "你数的是活跃客户，不是新客户。", lambda: 11)],
        )
    return Question(
        variable="by_rep", prompt="每人开发了多少？", kind="table",
        expected=lambda: {"王磊": 3, "李娜": 0},
        hints=["分组"], answer_code="by_rep = ...",
        mistakes=[Mistake("dropped_zero", "漏掉了开发量为 0 的人。", lambda: {"王磊": 3})],
    )


def test_not_attempted_from_blank_and_missing_variable() -> None:
    q = make_question()
    assert q.check(____).outcome is Outcome.NOT_ATTEMPTED
    assert q.check().outcome is Outcome.NOT_ATTEMPTED     # no variable in this module


def test_reads_the_callers_variable() -> None:
    q = make_question()
    globals()["april_new"] = 7
    try:
        assert q.check().outcome is Outcome.CORRECT
    finally:
        del globals()["april_new"]


@pytest.mark.parametrize(("answer", "mistake"), [(19, "row_count"), (11, "active_not_new"),
                                                 (8, None)])
def test_incorrect_answers_are_diagnosed(answer: int, mistake: str | None) -> None:
    feedback = make_question().check(answer)
    assert feedback.outcome is Outcome.INCORRECT
    assert feedback.mistake == mistake
    assert "7" not in str(feedback)          # never reveals the expected value


def test_wrong_type_is_explained() -> None:
    feedback = make_question().check(pd.DataFrame({"a": [1], "b": [2]}))
    assert feedback.outcome is Outcome.INCORRECT
    assert feedback.mistake == "wrong_type"
    assert "一个数字" in feedback.message


def test_tables_in_any_shape() -> None:
    q = make_question("table")
    assert q.check({"王磊": 3, "李娜": 0}).outcome is Outcome.CORRECT
    assert q.check(pd.Series({"王磊": 3.0, "李娜": 0.0})).outcome is Outcome.CORRECT
    frame = pd.DataFrame({"rep": ["王磊", "李娜"], "volume": [3, 0]})
    assert q.check(frame).outcome is Outcome.CORRECT
    assert q.check({"王磊": 3}).mistake == "dropped_zero"
    other = q.check({"王磊": 2, "李娜": 0})
    assert other.outcome is Outcome.INCORRECT
    assert "王磊" in other.message


def test_hint_ladder_and_solution() -> None:
    q = make_question()
    assert q.hint().message.startswith("提示 1/3")
    assert q.hint().message.startswith("提示 2/3")
    assert q.hint().message.startswith("提示 3/3")
    assert q.hint().message.startswith("提示 3/3")
    assert q.hint(1).message.startswith("提示 1/3")
    assert "april_new = 7" in str(q.solution())


def test_feedback_renders_as_escaped_html() -> None:
    feedback = make_question().check(19)
    rendered = feedback._repr_html_()
    assert "还不对" in rendered
    assert "<script" not in Question(
        variable="x", prompt="", expected=lambda: 1, hints=[], answer_code="<script>",
    ).solution()._repr_html_()


# --- what every question diagnoses after its own known mistakes ------------------------------


@pytest.mark.parametrize("empty", [pd.DataFrame({"rep": [], "volume": []}), pd.Series(dtype=float),
                                   {}, pd.DataFrame()])
def test_an_empty_table_is_called_empty(empty: object) -> None:
    for kind in ("table", "number"):
        feedback = make_question(kind).check(empty)
        assert feedback.outcome is Outcome.INCORRECT
        assert feedback.mistake == "empty_table"
        assert "空表" in feedback.message
        assert "少了" not in feedback.message


def test_a_zero_from_an_empty_filter_nan_and_a_percent_are_named() -> None:
    q = make_question()
    assert q.check(0).mistake == "empty_selection"
    assert q.check(float("nan")).mistake == "not_a_number"
    share = Question(variable="r", prompt="转化率？", expected=lambda: 0.2353, hints=[],
                     answer_code="r = 0.2353", unit="share")
    percent = share.check(23.5)
    assert (percent.outcome, percent.mistake) == (Outcome.FORMAT, "format_percent")
    assert share.check(0.235).outcome is Outcome.CORRECT
    assert share.check(0.2353).outcome is Outcome.CORRECT
    for text in ("23.5", "0.235", "0.2353"):
        assert text not in percent.message
    coarse = share.check(0.24)
    assert (coarse.outcome, coarse.mistake) == (Outcome.FORMAT, "format_decimals")
    assert share.check(0.3).outcome is Outcome.FORMAT      # one decimal: asked again, not judged
    assert share.check(0.241).mistake is None
    assert share.check(0.241).outcome is Outcome.INCORRECT


def test_counts_are_exact_and_whole() -> None:
    q = make_question()
    assert q.check(7.0).outcome is Outcome.CORRECT
    assert q.check(8).outcome is Outcome.INCORRECT
    assert q.check(7.02).outcome is Outcome.INCORRECT
    assert "整数" in q.check(7.5).message


def test_rounding_is_what_a_person_writes() -> None:
    money = Question(variable="m", prompt="多少元？", expected=lambda: 602627.25, hints=[],
                     answer_code="", unit="yuan")
    assert [money.check(a).outcome.value for a in (602627, 602627.3, 602627.25, 602628, 602600)] \
        == ["correct", "correct", "correct", "incorrect", "incorrect"]
    tenth = Question(variable="t", prompt="平均？", expected=lambda: 74.0833, hints=[],
                     answer_code="", unit="tenth")
    assert [tenth.check(a).outcome.value for a in (74.1, 74.08, 74.0, 74, 74.2)] \
        == ["correct", "correct", "format", "format", "incorrect"]
    share = Question(variable="s", prompt="比率？", expected=lambda: 0.16045, hints=[],
                     answer_code="", unit="share")
    assert share.check(0.160).outcome is Outcome.CORRECT     # 0.160 typed is the float 0.16
    assert share.check(0.161).outcome is Outcome.INCORRECT


def test_an_unknown_unit_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown unit"):
        Question(variable="x", prompt="?", expected=lambda: 1, hints=[], answer_code="",
                 unit="percent")


def test_a_table_with_other_keys_says_so() -> None:
    feedback = make_question("table").check({"华东一组": 3, "华东二组": 0})
    assert feedback.outcome is Outcome.INCORRECT
    assert "对不上" in feedback.message
    assert "王磊" in feedback.message
    assert "3" not in feedback.message


def test_period_keys_in_any_date_form() -> None:
    q = Question(variable="m", prompt="每月？", kind="table", hints=[], answer_code="",
                 expected=lambda: {"2025-03-01": 1, "2025-04-01": 0})
    import datetime as dt

    for keys in (pd.to_datetime(["2025-03-01", "2025-04-01"]),
                 [dt.date(2025, 3, 1), dt.date(2025, 4, 1)],
                 pd.period_range("2025-03", periods=2, freq="M")):
        assert q.check(dict(zip(keys, [1, 0], strict=True))).outcome is Outcome.CORRECT


def test_named_mistakes_come_before_the_generic_diagnoses() -> None:
    q = Question(variable="x", prompt="?", expected=lambda: 0.2, hints=[], answer_code="",
                 unit="share", mistakes=[Mistake("percent_as_named", "具名的错误", lambda: 20)])
    assert q.check(20).mistake == "percent_as_named"
    # a mistake's share written as a percent gets the mistake's diagnosis
    r = Question(variable="r", prompt="?", expected=lambda: 0.2, hints=[], answer_code="",
                 unit="share", mistakes=[Mistake("loss_rate", "输单的比例", lambda: 0.8)])
    assert r.check(80).mistake == "loss_rate"


def test_a_missing_row_that_is_not_zero_is_not_called_a_zero() -> None:
    q = make_question("table")
    assert "为 0" in q.check({"王磊": 3}).message or q.check({"王磊": 3}).mistake
    other = Question(variable="t", prompt="?", kind="table", hints=[], answer_code="",
                     expected=lambda: {"华东一组": 50, "西南一组": 53})
    message = other.check({"华东一组": 50}).message
    assert "西南一组" in message
    assert "为 0" not in message
