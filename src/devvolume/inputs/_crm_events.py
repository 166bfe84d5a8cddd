"""Read an export's deals into work-log events, or leave each out with its reason.

:class:`Deals` holds the cells of the fields a mapping found (:mod:`._mapping`) and reads each
deal (one data row of the export) in turn: what its stage becomes (from the vendor's flags, or
the stage mapping), its dated events (created → contacted; won or lost on the close date; an open
deal's stage on its latest real date), collapsed so that one day keeps only the event that
implies the others, and the first reason (:data:`~._crm_summary.REASONS`) that leaves it out.
Stage values the mapping does not know are refused together, after every deal was read, naming
each with its deals and first row. :func:`~devvolume.inputs.import_crm` is the entry point.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from devvolume.core import STAGES, WorklogSchema
from devvolume.inputs._cells import Marker, _to_amount, clean, shown, to_text
from devvolume.inputs._columns import RawTable
from devvolume.inputs._crm_summary import REASONS, CrmImport, ImportSummary, StageRow
from devvolume.inputs._errors import fail, printable
from devvolume.inputs._exportdates import date_order, read_date
from devvolume.inputs._mapping import SKIP, SUGGEST_HINT, CrmMapping, resolve, stage_key
from devvolume.inputs._worklog import plausible_dates

_TRUE = {"true", "1", "yes", "y", "t", "x", "是", "真", "✓", "✔"}
_FALSE = {"false", "0", "no", "n", "f", "", "否", "假"}
#: Currency marks around an export's amounts (¥, RMB and 元 are the work log's own).
_CURRENCY = re.compile(r"^(?:\$|US\$|USD|€|EUR|£|GBP)\s*|\s*(?:USD|EUR|GBP)$", re.IGNORECASE)
_ORDER = {stage: rank for rank, stage in enumerate(STAGES)}

@dataclass
class _Deal:
    """One export row being read into events, or the reason it is left out."""

    row: int
    deal: str | None
    stage: str
    became: str = ""
    via: str = ""
    reason: str = ""
    detail: str = ""


class Deals:
    """The export's deals: each read into dated events, or left out with a reason."""

    def __init__(self, table: RawTable, header_record: int, headers: list[str],
                 used: CrmMapping, roster: pd.DataFrame | None) -> None:  # fmt: skip
        self.name, self.sheet, self.used, self.headers = table.name, table.sheet, used, headers
        body = np.arange(header_record + 1, table.records, dtype=np.int64)
        blank = np.ones(len(body), dtype=bool)
        for column in table.columns:
            blank &= column.blank_values()[column.codes[body]]
        self.blank_rows = int(blank.sum())
        data = body[~blank]
        self.rows = [int(n) for n in table.rows[data]]
        self.fields = resolve(used, headers)
        self.cells: dict[str, list[list[Any]]] = {}
        for field_name, positions in self.fields.items():
            self.cells[field_name] = []
            for position in positions:
                column = table.columns[position]
                values = column.values
                self.cells[field_name].append([values[c] for c in column.codes[data]])
        self.teams = None if roster is None else dict(zip(roster["rep"], roster["team"],
                                                          strict=True))  # fmt: skip
        self.roster = roster
        if self.teams is None and "team" not in self.fields:
            fail(self.name, "导出文件里没有团队列，需要一份名单来给每个销售员找团队 / the export has no "
                 "team column: a roster must give each rep's team",
                 "用 --roster 名单.csv 传入名单（两列：销售员、团队，可再加入职日期；sales_teams.csv "
                 "的 sales_agent、manager 也行）。/ Pass a roster with --roster FILE (rep and team "
                 "columns; sales_teams.csv with sales_agent and manager works too).",
                 sheet=self.sheet)
        dates = [(self.headers[p], self.rows[i], cells[i])
                 for name in ("created", "closed", "latest") if name in self.fields
                 for p, cells in zip(self.fields[name], self.cells[name], strict=True)
                 for i in _firsts(cells)]  # fmt: skip
        self.order = date_order(self.name, dates, used.date_order)
        self.window = plausible_dates()

    def cell(self, field_name: str, index: int) -> Any:
        columns = self.cells.get(field_name)
        return None if not columns else clean(columns[0][index])

    def header(self, field_name: str) -> str:
        return self.headers[self.fields[field_name][0]]

    def run(self, source: str | None, roster: str | None, mapping: str | None) -> CrmImport:
        seen: set[str] = set()
        events: list[tuple[Any, ...]] = []
        deals: list[_Deal] = []
        for index, row in enumerate(self.rows):
            deal = _Deal(row, _text(self.cell("deal", index)), _text(self.cell("stage", index)) or "")
            deals.append(deal)
            events.extend(self.events(deal, index, seen))
        self.check_stages(deals)
        return self.result(deals, events, source, roster, mapping)

    def events(self, deal: _Deal, index: int, seen: set[str]) -> list[tuple[Any, ...]]:
        """Read one deal; return its work-log rows, or set ``deal.reason`` and return none."""
        # What the stage becomes is worked out for every deal, for the summary's stage table.
        outcome: str | None = None
        unreadable = ""
        try:
            outcome, deal.via = self.outcome(index)
        except ValueError as exc:
            unreadable = str(exc)
        if outcome is None and deal.stage:
            outcome = self.used.stages.get(stage_key(deal.stage), "?")
        deal.became = outcome or ""
        if deal.deal is None:
            deal.reason = "no_deal_id"
            return []
        if deal.deal in seen:
            deal.reason, deal.detail = "duplicate", deal.deal
            return []
        seen.add(deal.deal)
        if outcome is None or outcome == "?":  # no stage; an unknown one is refused after the loop
            deal.reason = "no_stage" if outcome is None else ""
            return []
        if outcome == SKIP:
            deal.reason = "skipped_stage"
            return []
        if unreadable:
            deal.reason, deal.detail = "unreadable", unreadable
            return []
        try:
            created = self.date("created", index)
            closed = self.date("closed", index) if outcome in ("won", "lost") else None
            latest = [self.date_at("latest", k, index)
                      for k in range(len(self.cells.get("latest", [])))]  # fmt: skip
        except ValueError as exc:
            deal.reason, deal.detail = "unreadable", str(exc)
            return []
        dated: list[tuple[dt.date, str]] = [] if created is None else [(created, "contacted")]
        if outcome in ("won", "lost"):
            if closed is None:
                deal.reason = "no_close_date"
                return []
            dated.append((closed, outcome))
        else:
            known = [d for d in (created, *latest) if d is not None]
            if not known:
                deal.reason = "no_date"
                return []
            dated.append((max(known), outcome))
        customer, rep = _text(self.cell("customer", index)), _text(self.cell("rep", index))
        if customer is None:
            deal.reason = "no_account"
            return []
        if rep is None:
            deal.reason = "no_rep"
            return []
        team = self.teams.get(rep) if self.teams is not None else _text(self.cell("team", index))
        if team is None:
            deal.reason, deal.detail = "no_team", rep
            return []
        amount = None
        if outcome == "won" and self.cell("amount", index) is not None:
            raw = self.cell("amount", index)
            try:
                amount = _amount(raw)
            except ValueError:
                deal.reason, deal.detail = "unreadable", f"{self.header('amount')}: {shown(raw)}"
                return []
        channel, note = _text(self.cell("channel", index)), _text(self.cell("note", index))
        return [(day, rep, team, customer, stage, channel, None,
                 amount if stage == "won" else None, note, deal.deal)
                for day, stage in _collapse(dated)]  # fmt: skip

    def outcome(self, index: int) -> tuple[str | None, str]:
        """Won or lost from the vendor's flags (and which column said so), or None."""
        won = self.flag("won_flag", index)
        if won:
            return "won", self.header("won_flag")
        if self.flag("closed_flag", index):
            return "lost", self.header("closed_flag")
        if self.flag("active_flag", index) is False:
            return "lost", self.header("active_flag")
        if "lost_reason" in self.fields and self.cell("lost_reason", index) is not None:
            return "lost", self.header("lost_reason")
        return None, ""

    def flag(self, field_name: str, index: int) -> bool | None:
        if field_name not in self.fields:
            return None
        cell = self.cell(field_name, index)
        text = "" if cell is None else to_text(cell).strip().lower()
        if isinstance(cell, bool | np.bool_):
            return bool(cell)
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        msg = f"{self.header(field_name)}: {shown(cell)}"
        raise ValueError(msg)

    def date(self, field_name: str, index: int) -> dt.date | None:
        return self.date_at(field_name, 0, index) if field_name in self.fields else None

    def date_at(self, field_name: str, k: int, index: int) -> dt.date | None:
        cell = clean(self.cells[field_name][k][index])
        if cell is None:
            return None
        header = self.headers[self.fields[field_name][k]]
        try:
            if isinstance(cell, Marker):
                raise ValueError(cell)
            day = read_date(cell, self.order)
        except (ValueError, TypeError, OverflowError):
            msg = f"{header}: {shown(cell)}"
            raise ValueError(msg) from None
        first, last = self.window
        if not first <= day <= last:
            msg = f"{header}: {shown(cell)} ({first} ~ {last})"
            raise ValueError(msg)
        return day

    def check_stages(self, deals: list[_Deal]) -> None:
        """Refuse stage values the mapping does not know, naming each, its deals and first row."""
        unknown = [d for d in deals if d.became == "?"]
        if not unknown:
            return
        counts = Counter(d.stage for d in unknown)
        first = {d.stage: d.row for d in reversed(unknown)}
        listed = "；".join(f"“{printable(stage)}”（{n:,} 个商机，首见第 {first[stage]} 行 / {n:,} deals, "
                          f"first on row {first[stage]}）" for stage, n in counts.most_common())
        known = "、".join(self.used.stage_names.get(k, k) for k in self.used.stages)
        example = printable(counts.most_common(1)[0][0]).replace('"', '\\"')
        fail(self.name, f"{self.header('stage')} 列有映射里没有的阶段 / unknown stage values in column "
             f"{self.header('stage')}: {listed}",
             f"在映射文件的 [stages] 里写明每个阶段是什么，例如 \"{example}\" = \"qualified\""
             "（可填 contacted/qualified/signed/won/lost 或 skip），用 --map 传入。/ Map each under "
             f"[stages] in a mapping file (pass it with --map).\n{self.used.name} 认识的阶段 / known "
             f"stages: {known}\n{SUGGEST_HINT}", row=min(first.values()), sheet=self.sheet)

    def result(self, deals: list[_Deal], events: list[tuple[Any, ...]], source: str | None,
               roster: str | None, mapping: str | None) -> CrmImport:  # fmt: skip
        log = _frame(events)
        left = [d for d in deals if d.reason]
        left_out = pd.DataFrame(
            [(d.row, d.deal or "", d.reason, *_problem(d.reason), d.detail) for d in left],
            columns=["row", "deal", "reason", "problem", "detail"],
        ).astype({"row": "int64"})
        reasons = Counter(d.reason for d in left)
        stage_rows: dict[tuple[str, str, str], list[int]] = {}
        for d in deals:
            counts = stage_rows.setdefault((d.stage, d.became, d.via), [0, 0])
            counts[0] += 1
            counts[1] += not d.reason
        rank = {code: k for k, code in enumerate(("contacted", "qualified", "signed", "won", "lost",
                                                 SKIP, "?", ""))}  # fmt: skip
        stages = tuple(StageRow(stage, became, via, n, written) for (stage, became, via), (n, written)
                       in sorted(stage_rows.items(), key=lambda kv: (rank[kv[0][1]], kv[0])))
        hires = {} if self.roster is None else {
            rep: day.date().isoformat() for rep, day in zip(self.roster["rep"],
                                                            self.roster["hire_date"], strict=True)
            if not pd.isna(day)}  # fmt: skip
        summary = ImportSummary(
            source or "<DataFrame>", self.used.name, roster, mapping, self.order, len(deals),
            len(deals) - len(left), len(log), {r: reasons[r] for r in REASONS if reasons[r]},
            stages, self.blank_rows, hires)
        return CrmImport(log, left_out, summary)


def _firsts(cells: list[Any]) -> list[int]:
    """Give the index of each distinct cell's first occurrence (dates are decided on those)."""
    first: dict[Any, int] = {}
    for index, cell in enumerate(cells):
        try:
            first.setdefault(cell, index)
        except TypeError:  # an unhashable cell: it is no date text anyway
            continue
    return sorted(first.values())


def _text(cell: Any) -> str | None:
    if cell is None or isinstance(cell, Marker):
        return None
    text = printable(to_text(cell)).strip()
    return text or None


def _amount(cell: Any) -> float:
    if isinstance(cell, str):
        cell = _CURRENCY.sub("", cell.strip())
    value = _to_amount(cell)
    if value < 0:
        raise ValueError(cell)
    return value


def _collapse(dated: list[tuple[dt.date, str]]) -> list[tuple[dt.date, str]]:
    """Keep, on each day, only the events the others do not imply (implied stages count).

    The highest of the day's ladder stages implies the lower ones, and any event implies a
    contact; a loss is an outcome and is kept beside a higher stage.
    """
    by_day: dict[dt.date, set[str]] = {}
    for day, stage in dated:
        by_day.setdefault(day, set()).add(stage)
    kept: list[tuple[dt.date, str]] = []
    for day, stages in sorted(by_day.items()):
        ladder = [s for s in ("contacted", "qualified", "signed", "won") if s in stages]
        top = ladder[-1:]
        if top == ["contacted"] and "lost" in stages:
            top = []
        kept.extend((day, stage) for stage in (*top, *(["lost"] if "lost" in stages else [])))
    return kept


def _frame(events: list[tuple[Any, ...]]) -> pd.DataFrame:
    columns = ["date", "rep", "team", "customer", "stage", "channel", "activity", "amount", "note",
               "deal"]
    frame = pd.DataFrame(events, columns=columns)
    frame["_order"] = frame["stage"].map(_ORDER)
    frame = frame.sort_values(["date", "deal", "_order"], kind="stable").drop(columns="_order")
    frame["date"] = pd.to_datetime(frame["date"]).astype("datetime64[us]")
    frame["amount"] = frame["amount"].astype("float64")
    text = ["rep", "team", "customer", "stage", "channel", "activity", "note", "deal"]
    frame = frame.astype(dict.fromkeys(text, "str")).reset_index(drop=True)
    return WorklogSchema.validate(frame)


def _problem(reason: str) -> tuple[str]:
    zh, en = REASONS[reason]
    return (f"{zh} / {en}",)
