"""The index of a report batch: a page with one linked row per report, and ``summary.csv``.

The page shows each report's headline numbers under the report's own labels (Chinese or
English) or its error. ``summary.csv`` is for machines and spreadsheets: English column names,
one row per report, the numbers the report itself published (:func:`publish_summary`), never
recomputed here.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from devvolume.report._figures import SUMMARY_FIELDS

if TYPE_CHECKING:
    from devvolume.report._build import ReportResult

#: The machine-readable summary of a batch, beside ``index.html``.
SUMMARY_FILE = "summary.csv"
#: Its columns, in order.
SUMMARY_COLUMNS = ("name", "kind", *SUMMARY_FIELDS, "status")

INDEX_TEXT: dict[str, dict[str, Any]] = {
    "zh": {"title": "客户开发量报告", "name": "名称", "status": "状态", "ok": "完成", "failed": "失败",
           "error": "错误", "source": "数据", "period": "周期", "as_of": "报告日期",
           "count": "共 {n} 份，完成 {ok} 份，失败 {bad} 份",
           "kinds": {"team": "团队报告", "rep": "个人报告", "meeting": "周会材料"}},
    "en": {"title": "Customer development reports", "name": "Name", "status": "Status", "ok": "done",
           "failed": "failed", "error": "Error", "source": "Data", "period": "Period",
           "as_of": "Report day",
           "count": "{n} reports: {ok} done, {bad} failed",
           "kinds": {"team": "Team reports", "rep": "Rep reports", "meeting": "Meeting packs"}},
}  # fmt: skip

_INDEX_STYLE = """
body { font-family: "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif;
       margin: 2rem auto; max-width: 70rem; padding: 0 1rem; color: #222; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid #ddd; padding: .4rem .6rem; text-align: left; }
th { background: #f4f6f8; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.failed { color: #b00020; } .meta { color: #555; }
"""


def render_index(results: Sequence[ReportResult], *, source: str, by: str, kind: str,
                 period: str, lang: str, as_of: dt.date) -> str:  # fmt: skip
    """Return the index page: one row per report, with its summary numbers or its error.

    Every name, number and error is HTML-escaped; links are relative and percent-encoded.
    """
    text = INDEX_TEXT[lang]
    esc = html.escape
    columns = list(dict.fromkeys(label for result in results for label in result.summary))
    head = [text["name"], text["status"], *columns, text["error"]]
    rows = []
    for result in results:
        if result.path is not None:
            name = f'<a href="{esc(quote(result.path.name))}">{esc(result.name)}</a>'
        else:
            name = esc(result.name)
        status = text["ok"] if result.ok else f'<span class="failed">{esc(text["failed"])}</span>'
        cells = [f"<td>{name}</td>", f"<td>{status}</td>"]
        cells += [_cell(result.summary.get(label)) for label in columns]
        cells.append(f'<td class="failed">{esc(result.error)}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    bad = sum(not result.ok for result in results)
    count = text["count"].format(n=len(results), ok=len(results) - bad, bad=bad)
    title = f'{text["title"]} · {text["kinds"][kind]}'
    return "\n".join([
        "<!DOCTYPE html>",
        f'<html lang="{"zh-CN" if lang == "zh" else "en"}">',
        '<head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(title)}</title><style>{_INDEX_STYLE}</style></head>",
        f"<body><h1>{esc(title)}</h1>",
        f'<p class="meta">{esc(text["source"])}: {esc(Path(source).name)} · '
        f'{esc(text["period"])}: {esc(period)} · {esc(text["as_of"])}: {as_of} · '
        f'{esc(count)}</p>',
        "<table><thead><tr>" + "".join(f"<th>{esc(str(h))}</th>" for h in head) + "</tr></thead>",
        "<tbody>", *rows, "</tbody></table></body></html>", "",
    ])  # fmt: skip


def _cell(value: Any) -> str:
    if value is None:
        return "<td></td>"
    if isinstance(value, float):
        return f'<td class="num">{value:,.1f}</td>'
    if isinstance(value, int):
        return f'<td class="num">{value:,}</td>'
    return f"<td>{html.escape(str(value))}</td>"


def render_summary(results: Sequence[ReportResult], *, period: dt.date, as_of: dt.date) -> str:
    """Return ``summary.csv``: a BOM, then one row per report in :data:`SUMMARY_COLUMNS` order.

    A report that was written gives the figures it published; one that failed gives its name,
    kind, the batch's period and report day, empty numbers and ``status`` ``error``. Empty
    cells are values the report does not have (a target where there is none).
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(SUMMARY_COLUMNS)
    for result in results:
        row: dict[str, Any] = {"period": period.isoformat(), "as_of": as_of.isoformat()}
        if result.ok:
            row.update(result.figures)
        row.update(name=result.name, kind=result.kind, status="ok" if result.ok else "error")
        writer.writerow(["" if row.get(column) is None else row[column]
                         for column in SUMMARY_COLUMNS])  # fmt: skip
    return "\ufeff" + buffer.getvalue()
