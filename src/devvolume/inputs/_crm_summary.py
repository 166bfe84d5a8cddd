"""What an import did, accounted for: every deal written or left out with its reason.

:class:`ImportSummary` is the small record of an import (deals in, written, left out by reason,
what each source stage became, rows out) that later readers need: the command prints it, and it
is saved beside the imported work log (:mod:`._crm_write`) so a report can say "另有 1,088 个没有
客户名的商机未计入" without the export. :class:`CrmImport` is the whole result: the summary, the
work log and the list of deals left out (row as seen in Excel, deal id, reason, detail).

The books always balance: deals written + deals left out = deals in (every non-blank data row of
the export is one deal), and the rows out are the dated stage events of the deals written.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd

from devvolume.core import STAGE_LABELS

#: Why a deal was left out, in the order the reasons are checked (a deal gets the first that
#: applies): code -> (Chinese, English).
REASONS: dict[str, tuple[str, str]] = {
    "duplicate": ("商机编号重复（前面已有同一编号）", "a duplicate deal id (an earlier row has it)"),
    "no_deal_id": ("没有商机编号", "no deal id"),
    "no_stage": ("没有阶段", "no stage"),
    "skipped_stage": ("阶段在映射里设为跳过（skip）", "its stage is mapped to skip"),
    "unreadable": ("日期、金额或标记读不出来，或日期不合理", "a date, amount or flag that cannot be read, "
                   "or an implausible date"),
    "no_close_date": ("已赢单或丢单，但没有关闭日期", "won or lost, but no close date"),
    "no_date": ("没有任何日期", "no date at all"),
    "no_account": ("没有客户名", "no account"),
    "no_rep": ("没有销售员", "no rep"),
    "no_team": ("没有团队（销售员不在名单里，或团队是空的）", "no team (the rep is not in the roster, "
                "or the team is blank)"),
}
#: What a left-out count reads like on a page, per reason: "另有 {n} 个…商机未计入".
_NOTICE: dict[str, tuple[str, str]] = {
    "no_account": ("没有客户名", "without an account"),
    "no_date": ("没有任何日期", "without any date"),
    "no_close_date": ("已关闭却没有关闭日期", "closed without a close date"),
    "no_team": ("没有团队", "without a team"),
    "no_rep": ("没有销售员", "without a rep"),
}
BECAME_LABELS: dict[str, str] = {**STAGE_LABELS, "skip": "跳过", "": "—"}


@dataclass(frozen=True)
class StageRow:
    """One source stage value and what its deals became.

    ``became`` is a stage code (``contacted`` … ``lost``), ``skip``, or ``""`` (no stage);
    ``via`` names the flag column that decided a closed deal's outcome (``""``: the stage did).
    """

    stage: str
    became: str
    via: str
    deals: int
    written: int


@dataclass(frozen=True)
class ImportSummary:
    """The record of one import: counts, reasons and stage mapping; saved beside the work log.

    Attributes
    ----------
    source : str
        The export file's name.
    preset : str
        The preset or mapping file used (``pipeline``, ``salesforce``, …).
    roster, mapping : str or None
        The roster and mapping files' names.
    date_order : str
        How slashed dates were read: ``MDY``, ``DMY``, or ``YMD`` (none in the file).
    deals_in, deals_written, rows_out : int
        Deals (non-blank data rows) in the export, deals written, and work-log rows written.
    left_out : dict of str to int
        Deals left out, by reason code (:data:`REASONS`), in that order; reasons with none are
        not listed.
    stages : tuple of StageRow
        What each source stage value became.
    blank_rows : int
        Blank rows of the export, skipped (they are no deals).
    hire_dates : dict of str to str
        Reps' hire dates from the roster (ISO dates), for pages that compare reps by tenure.
    """

    source: str
    preset: str
    roster: str | None
    mapping: str | None
    date_order: str
    deals_in: int
    deals_written: int
    rows_out: int
    left_out: dict[str, int]
    stages: tuple[StageRow, ...]
    blank_rows: int = 0
    hire_dates: dict[str, str] = field(default_factory=dict)

    @property
    def deals_left_out(self) -> int:
        """Deals left out, all reasons together."""
        return sum(self.left_out.values())

    def notice(self, lang: str = "zh") -> list[str]:
        """Say on a page which deals are not counted, one sentence per reason.

        Examples
        --------
        >>> summary = ImportSummary("p.csv", "pipeline", None, None, "YMD", 8800, 7212, 0,
        ...                         {"no_date": 500, "no_account": 1088}, ())
        >>> summary.notice()
        ['另有 500 个没有任何日期的商机未计入。', '另有 1,088 个没有客户名的商机未计入。']
        >>> summary.notice("en")[1]
        '1,088 more deals without an account are not counted.'
        """
        lines = []
        for reason, count in self.left_out.items():
            zh, en = _NOTICE.get(reason, REASONS[reason])
            lines.append(f"另有 {count:,} 个{zh}的商机未计入。" if lang == "zh"
                         else f"{count:,} more deals {en} are not counted.")  # fmt: skip
        return lines

    def lines(self) -> list[str]:
        """Word the whole import for the person who ran it, in Chinese and English."""
        out = [f"导入 / imported: {self.source}（{self.preset}）",
               f"  日期格式 / dates: {self.date_order}"]  # fmt: skip
        if self.roster:
            out.append(f"  团队来自名单 / teams from the roster: {self.roster}")
        if self.mapping:
            out.append(f"  映射文件 / mapping file: {self.mapping}")
        out.append("  各阶段的去向 / what each stage became:")
        width = max((len(row.stage) for row in self.stages), default=0)
        for row in self.stages:
            became = (f"{BECAME_LABELS[row.became]} {row.became}" if row.became else
                      "— (没有阶段 / no stage)")
            via = f"（由 {row.via} 列决定 / by {row.via}）" if row.via else ""
            out.append(f"    {row.stage or '(空 / blank)':<{width}} → {became}{via}: "
                       f"{row.deals:,} 个商机 / deals, 写入 / written {row.written:,}")
        out.append(f"  商机 / deals: 读入 in {self.deals_in:,} = 写入 written {self.deals_written:,}"
                   f" + 未计入 left out {self.deals_left_out:,}")
        for reason, count in self.left_out.items():
            zh, en = REASONS[reason]
            out.append(f"    未计入 / left out {count:,}: {zh} / {en}")
        out.append(f"  工作日志 / work log: {self.rows_out:,} 行 / rows（每个商机每个有日期的阶段一行 / "
                   "one row per dated stage event of each deal）")
        if self.blank_rows:
            out.append(f"  空行已跳过 / blank rows skipped: {self.blank_rows:,}")
        return out

    def to_dict(self) -> dict[str, Any]:
        """Give the summary as plain JSON values."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ImportSummary:
        """Read a summary written by :meth:`to_dict` (ignoring fields a later version may add)."""
        known = {name: data[name] for name in cls.__dataclass_fields__ if name in data}
        known["stages"] = tuple(StageRow(**row) for row in known.get("stages", ()))
        return cls(**known)


@dataclass(frozen=True)
class CrmImport:
    """The result of an import: the work log, the deals left out and the summary.

    Attributes
    ----------
    worklog : pandas.DataFrame
        The work log: the canonical columns and ``deal``, one row per dated stage event.
    left_out : pandas.DataFrame
        One row per deal left out: ``row`` (as seen in Excel), ``deal``, ``reason`` (code),
        ``problem`` (Chinese / English) and ``detail`` (the value at fault, where there is one).
    summary : ImportSummary
    """

    worklog: pd.DataFrame
    left_out: pd.DataFrame
    summary: ImportSummary

    def text(self, *, examples: int = 3) -> str:
        """Word the summary, with the first few rows left out for each reason."""
        lines = self.summary.lines()
        if examples and not self.left_out.empty:
            lines.append("  例如 / for example:")
            for reason in REASONS:
                group = self.left_out[self.left_out["reason"] == reason]
                for item in group.head(examples).itertuples(index=False):
                    detail = f"：{item.detail}" if item.detail else ""
                    lines.append(f"    第 {item.row} 行 / row {item.row} ({item.deal or '-'}): "
                                 f"{REASONS[reason][0]}{detail}")
        return "\n".join(lines)
