"""Import a CRM opportunity export: one work-log row per dated stage event of each deal.

An export has one row per opportunity (deal). :func:`import_crm` reads it with the work log's
machinery (CSV in any encoding, Excel, Parquet, a DataFrame), maps its columns and stage values
with a preset or a mapping file (:mod:`._presets`, :mod:`._mapping`), and writes each deal's
dated events, keeping the deal id in the ``deal`` (商机) column:

- the created (or engaged) date → 首次接触 (contacted);
- a won deal → 成交 (won) on its close date, with the amount; a lost deal → 流失 (lost) on it;
- an open deal's current stage (意向, 签约 … as mapped) on the latest real date the export gives
  (created, last stage change, last activity). Its close date is an expected date, never an
  event.

On one day a deal keeps only the event that implies the others (a contact and a qualification
on the same day are one 意向 row). Won and lost come from the stage, or from the vendor's flags
when the export has them (Salesforce ``IsWon``/``IsClosed``, Odoo ``Active``/``Lost Reason``).
Teams come from the export's team column, or from a roster (``--roster``) by rep.

Nothing is dropped silently: each deal is written or left out with a reason (:data:`REASONS`:
no date, no account …), and the summary says what every source stage became. Problems no deal
can be imported through (an unknown stage value, a missing column, a roster needed and not
given, dates that mix day/month orders) raise :class:`~devvolume.inputs.WorklogError` naming the
column or value and the fix, in Chinese and English. The export is only ever read.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pandas as pd

from devvolume.inputs._crm_events import Deals
from devvolume.inputs._crm_summary import CrmImport
from devvolume.inputs._errors import fail, printable
from devvolume.inputs._headers import find_header, normalise_header
from devvolume.inputs._mapping import (
    FIELDS,
    SUGGEST_HINT,
    CrmMapping,
    missing_fields,
    read_mapping,
    resolve,
)
from devvolume.inputs._presets import PRESETS, SOURCES, detect
from devvolume.inputs._roster import read_roster
from devvolume.inputs._sources import read_source


def import_crm(source: str | os.PathLike[str] | pd.DataFrame, *, crm: str = "auto",
               roster: str | os.PathLike[str] | pd.DataFrame | None = None,
               mapping: str | os.PathLike[str] | CrmMapping | None = None,
               sheet: str | int | None = None) -> CrmImport:  # fmt: skip
    """Turn a CRM opportunity export into a work log with a 商机 (deal) column.

    Parameters
    ----------
    source : str, Path or pandas.DataFrame
        The export (``.csv``, ``.xlsx``, ``.parquet`` …), one row per opportunity.
    crm : {"auto", "pipeline", "salesforce", "hubspot", "odoo"}
        The export's format; ``auto`` recognises it from its headers.
    roster : str, Path or pandas.DataFrame, optional
        销售员, 团队[, 入职日期]: each rep's team, for an export that names only the rep.
    mapping : str, Path or CrmMapping, optional
        A mapping file (TOML) for any other export, or put over the preset.
    sheet : str or int, optional
        The worksheet of a workbook (default: the one holding the headers).

    Returns
    -------
    CrmImport
        ``worklog``, ``left_out`` (every deal not written, with its reason) and ``summary``.

    Raises
    ------
    WorklogError
        For an export that cannot be read, or whose columns, stages, dates, mapping or roster
        need fixing first; the message names the column or value and the fix.

    Examples
    --------
    >>> export = pd.DataFrame({
    ...     "opportunity_id": ["A1", "A2", "A3"], "sales_agent": ["Ann", "Ann", "Bo"],
    ...     "product": ["GTX"] * 3, "account": ["Acme", None, "Zoom"],
    ...     "deal_stage": ["Won", "Engaging", "Engaging"],
    ...     "engage_date": ["2017-01-05", "2017-02-01", "2017-02-03"],
    ...     "close_date": ["2017-03-02", None, None], "close_value": [1200, None, None]})
    >>> roster = pd.DataFrame({"sales_agent": ["Ann", "Bo"], "manager": ["Kim", "Lee"]})
    >>> result = import_crm(export, roster=roster)
    >>> result.worklog[["date", "rep", "team", "customer", "stage", "amount", "deal"]]
            date  rep team customer      stage  amount deal
    0 2017-01-05  Ann  Kim     Acme  contacted     NaN   A1
    1 2017-02-03   Bo  Lee     Zoom  qualified     NaN   A3
    2 2017-03-02  Ann  Kim     Acme        won  1200.0   A1
    >>> result.summary.notice()
    ['另有 1 个没有客户名的商机未计入。']
    """
    name = "<DataFrame>" if isinstance(source, pd.DataFrame) else str(source)
    chosen = _options(name, crm, mapping)
    mappings = (*PRESETS.values(), *([chosen] if chosen else []))
    known: dict[str, str | None] = {normalise_header(h): None for m in mappings
                                    for headers in m.columns.values() for h in headers}  # fmt: skip
    table = read_source(source, sheet=sheet, known=known)
    header = find_header(table, known)
    if header is None or (not header.recognised and chosen is None):
        texts = [] if header is None else [header.text(p) for p in range(len(header.cells))]
        fail(name, "认不出这是哪种 CRM 导出 / this is not a CRM export devvolume knows",
             f"文件里的表头 / headers found: {'、'.join(t for t in texts if t) or '(无)'}\n"
             f"用 --from 指明格式（{', '.join(PRESETS)}），或用映射文件。/ Name the format with "
             f"--from, or map the columns with --map.\n{SUGGEST_HINT}", sheet=table.sheet)
    headers = [header.text(p) for p in range(len(header.cells))]
    used = _choose(name, crm, chosen, headers, table.sheet)
    roster_frame = None if roster is None else read_roster(roster)
    deals = Deals(table, header.record, headers, used, roster_frame)
    return deals.run(_label(source), _label(roster), _label(mapping))


def _label(item: Any) -> str | None:
    if item is None:
        return None
    if isinstance(item, CrmMapping):
        return item.name
    return "<DataFrame>" if isinstance(item, pd.DataFrame) else Path(item).name


def _options(name: str, crm: str, mapping: str | os.PathLike[str] | CrmMapping | None) -> CrmMapping | None:
    if crm not in SOURCES:
        fail(name, f"不认识的格式 --from {printable(crm)} / unknown export format",
             f"可用的 / formats: {', '.join(SOURCES)}；其他导出用 --map 映射文件。/ Other exports "
             "need a mapping file (--map).")
    if mapping is None or isinstance(mapping, CrmMapping):
        return mapping
    return read_mapping(mapping)


def _choose(name: str, crm: str, own: CrmMapping | None, headers: list[str],
            sheet: str | None) -> CrmMapping:  # fmt: skip
    """Pick the mapping: the preset named (or recognised), with the mapping file over it."""
    base = PRESETS.get(crm)
    if base is None and crm == "auto":
        found = detect(headers)
        base = PRESETS[found] if found else None
    used = own.over(base) if own and base else own or base
    if used is None:
        listing = "\n".join(f"  {preset}: 缺少 / lacks {', '.join(_missing(PRESETS[preset], headers))}"
                            for preset in PRESETS)
        fail(name, "认不出这是哪种 CRM 导出：表头不符合任何预设 / the headers fit no preset",
             f"文件里的表头 / headers found: {'、'.join(h for h in headers if h)}\n{listing}\n"
             f"{SUGGEST_HINT}", sheet=sheet)
    missing = _missing(used, headers)
    if missing:
        fail(name, f"导出文件缺少列（按 {used.name} 的格式）/ the export lacks columns for "
             f"{used.name}: {'; '.join(missing)}",
             f"文件里的表头 / headers found: {'、'.join(h for h in headers if h)}\n"
             "在映射文件的 [columns] 里写明哪一列是什么，例如 customer = \"Company\"。/ Say which "
             f"header holds each field under [columns] in a mapping file.\n{SUGGEST_HINT}",
             row=1, sheet=sheet)
    return used


def _missing(used: CrmMapping, headers: list[str]) -> list[str]:
    labels = {f.name: f.label for f in FIELDS}
    out = []
    for missing in missing_fields(resolve(used, headers)):
        names = missing.split("/")
        tried = [h for n in names for h in used.columns.get(n, ())]
        label = "/".join(labels[n] for n in names)
        out.append(f"{label} ({missing}; 找过 / looked for: {', '.join(tried) or '-'})")
    return out
