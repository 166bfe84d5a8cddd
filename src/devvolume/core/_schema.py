"""The 工作日志表 (work log): canonical columns, stage codes and the declared schema.

A work log has one row per sales activity. Every part of devvolume (loaders, metrics,
simulator, lessons and reports) speaks in the canonical column names and the English stage
codes defined here; the Chinese headers and labels are accepted on input and shown on output.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import pandas as pd
import pandera.pandas as pa

#: Ordered development levels. A customer that reaches a later level has reached every
#: earlier one on the same day at the latest.
LEVELS: tuple[str, ...] = ("contacted", "qualified", "signed", "won")

#: An outcome outside the order: a lost customer was contacted and never reached anything more
#: through that row.
LOST = "lost"

STAGES: tuple[str, ...] = (*LEVELS, LOST)

STAGE_LABELS: dict[str, str] = {
    "contacted": "首次接触",
    "qualified": "意向",
    "signed": "签约",
    "won": "成交",
    "lost": "流失",
}
#: How a sentence names a level's new customers: 新接触客户 (never 新首次接触客户), 新成交客户 ….
NEW_CUSTOMERS: dict[str, str] = {"contacted": "新接触客户", "qualified": "新意向客户",
                                 "signed": "新签约客户", "won": "新成交客户"}

#: Rank of each stage on the level ladder; ``lost`` counts as a contact only.
STAGE_RANK: dict[str, int] = {"contacted": 0, "qualified": 1, "signed": 2, "won": 3, "lost": 0}


@dataclass(frozen=True)
class Column:
    """One canonical work-log column and the headers people write for it."""

    name: str
    label: str
    aliases: tuple[str, ...]
    required: bool
    meaning: str


COLUMNS: tuple[Column, ...] = (
    Column("date", "日期", ("日期",), True, "活动发生的日期，如 2026-01-05、2026/1/5 或 Excel 日期"),
    Column("rep", "销售员", ("销售员", "业务员"), True, "做这次活动的销售员"),
    Column("team", "团队", ("团队",), True, "销售员所在的团队"),
    Column("customer", "客户", ("客户", "客户名称"), True, "客户名称，同一客户每次写法要一致"),
    Column("stage", "阶段", ("阶段",), True, "这次活动后客户所处的阶段：首次接触/意向/签约/成交/流失"),
    Column("channel", "渠道", ("渠道", "来源"), False, "客户从哪里来：转介绍、陌拜、线上、展会……"),
    Column("activity", "活动类型", ("活动类型",), False, "电话、拜访、微信、演示……"),
    Column("amount", "金额", ("金额",), False, "成交金额（元），只在成交行填写，不能为负"),
    Column("note", "备注", ("备注",), False, "任何补充说明"),
    Column("deal", "商机", ("商机", "商机编号", "商机号", "商机ID", "机会编号", "deal", "deal_id",
                          "deal id", "opportunity", "opportunity_id", "opportunity id"), False,
           "商机（一笔生意）的编号，CRM 导出时自带；同一客户可以有多个商机。开发量仍按客户算"),
)

#: The optional 商机 (deal) column. A loaded log has it only when its file has a 商机 column, so
#: a log without deals looks exactly as before; deal measures need it (``unit="deal"``).
DEAL = "deal"

#: The columns every loaded work log has, in order (the 商机 column follows when present).
CANONICAL: tuple[str, ...] = tuple(c.name for c in COLUMNS if c.name != DEAL)
REQUIRED: tuple[str, ...] = tuple(c.name for c in COLUMNS if c.required)
COLUMN_LABELS: dict[str, str] = {c.name: c.label for c in COLUMNS}

#: Suggested values for the template's drop-downs; other values are accepted.
CHANNELS: tuple[str, ...] = ("转介绍", "陌拜", "线上", "展会", "老客户推荐", "电话营销", "其他")
ACTIVITIES: tuple[str, ...] = ("电话", "拜访", "微信", "演示", "邮件", "会议", "其他")


#: The largest amount (元) a work-log row may have: 100 亿. Above it a value is a typing slip or an
#: overflow (``99999999999999999999999`` reads as ``1e23``), never a deal a sales team closed.
MAX_AMOUNT = 10_000_000_000.0


class WorklogSchema(pa.DataFrameModel):
    """The canonical work log after loading: one row per sales activity."""

    date: pa.typing.Series[pd.Timestamp] = pa.Field(nullable=False)
    rep: pa.typing.Series[str] = pa.Field(nullable=False, str_length={"min_value": 1})
    team: pa.typing.Series[str] = pa.Field(nullable=False, str_length={"min_value": 1})
    customer: pa.typing.Series[str] = pa.Field(nullable=False, str_length={"min_value": 1})
    stage: pa.typing.Series[str] = pa.Field(nullable=False, isin=list(STAGES))
    channel: pa.typing.Series[str] = pa.Field(nullable=True)
    activity: pa.typing.Series[str] = pa.Field(nullable=True)
    amount: pa.typing.Series[float] = pa.Field(nullable=True, ge=0, le=MAX_AMOUNT)
    note: pa.typing.Series[str] = pa.Field(nullable=True)
    # Optional[...] is how pandera declares a column that may be absent (X | None is not read).
    deal: Optional[pa.typing.Series[str]] = pa.Field(nullable=True)  # noqa: UP045

    class Config:
        """Exactly the canonical columns, in order (then 商机 when the log has deals)."""

        strict = True
        ordered = True

#: Every stage label accepted in a ``stage`` column (English code or Chinese label) -> its code.
#: Labels are turned into codes once, when a metric reads its input.
STAGE_CODES: dict[str, str] = {
    **{code: code for code in STAGES},
    **{label: code for code, label in STAGE_LABELS.items()},
}
